"""Print a repayment schedule: ``--json`` gives one object per installment (rupiah as integers).

Exit codes: 0 printed, 2 usage errors (a parameter out of range).
"""

import datetime as dt
import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from danabergulir.hitung import JadwalTidakValid, Metode, jadwal, rupiah


def _galat(pesan: str) -> CommandError:
    return CommandError(pesan, returncode=2)


class Command(BaseCommand):
    help = "Jadwal angsuran (flat, anuitas, menurun) dalam rupiah penuh."

    def add_arguments(self, parser):
        parser.add_argument("--pokok", required=True, help="plafon dalam rupiah, mis. 10000000")
        parser.add_argument("--jasa", required=True, help="jasa %% per tahun, mis. 6 atau 7.5")
        parser.add_argument("--tenor", required=True, type=int, help="jumlah bulan")
        parser.add_argument("--metode", required=True, choices=[m.value for m in Metode])
        parser.add_argument("--jatuh-tempo-pertama", required=True, help="YYYY-MM-DD")
        parser.add_argument("--masa-tenggang", type=int, default=0, help="bulan tanpa pokok")
        parser.add_argument("--json", action="store_true", help="keluaran JSON")

    def handle(self, *args, **o):
        try:
            pokok = int(o["pokok"])
        except ValueError as e:
            raise _galat("--pokok harus bilangan bulat rupiah, mis. 10000000.") from e
        try:
            jasa = Decimal(o["jasa"].replace(",", "."))
        except InvalidOperation as e:
            raise _galat("--jasa harus angka persen per tahun, mis. 6 atau 7.5.") from e
        try:
            pertama = dt.date.fromisoformat(o["jatuh_tempo_pertama"])
        except ValueError as e:
            raise _galat("--jatuh-tempo-pertama harus tanggal YYYY-MM-DD.") from e
        try:
            baris = jadwal(
                pokok=pokok,
                jasa_persen=jasa,
                tenor=o["tenor"],
                metode=o["metode"],
                jatuh_tempo_pertama=pertama,
                masa_tenggang=o["masa_tenggang"],
            )
        except JadwalTidakValid as e:
            pesan = {
                "pokok": "--pokok harus paling sedikit 1 rupiah.",
                "jasa": "--jasa harus antara 0 dan 100 persen per tahun.",
                "tenor": "--tenor harus antara 1 dan 600 bulan.",
                "masa_tenggang": "--masa-tenggang harus lebih kecil dari --tenor.",
            }[e.kode]
            raise _galat(pesan) from e
        if o["json"]:
            self.stdout.write(json.dumps([b.sebagai_dict() for b in baris]))
            return
        self.stdout.write(
            f"{'Ke':>3}  {'Jatuh tempo':10}  {'Pokok':>18}  {'Jasa':>16}  {'Angsuran':>18}  {'Sisa pokok':>18}"
        )
        for b in baris:
            self.stdout.write(
                f"{b.ke:>3}  {b.jatuh_tempo:%d-%m-%Y}  {rupiah(b.pokok):>18}  {rupiah(b.jasa):>16}  "
                f"{rupiah(b.angsuran):>18}  {rupiah(b.sisa_pokok):>18}"
            )
        self.stdout.write(
            f"Jumlah: pokok {rupiah(sum(b.pokok for b in baris))}, "
            f"jasa {rupiah(sum(b.jasa for b in baris))}"
        )
