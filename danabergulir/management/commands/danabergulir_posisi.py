"""The position of every loan on a date, set-based (one SQL statement for the whole book).

``--json``: ``{"pinjaman": [{"nomor", "sisa_pokok", "tunggakan_pokok", "tunggakan_jasa",
"denda", "dpd", "kolektibilitas"}], "ringkasan": {"outstanding", "npl_persen"}}``, counting only
loans disbursed and payments dated on or before ``--per``. Exit 2 on usage errors.
"""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from danabergulir.hitung import rupiah
from danabergulir.models import Pinjaman
from danabergulir.selectors import posisi, ringkasan
from sop.models import Unit


class Command(BaseCommand):
    help = "Posisi pinjaman dana bergulir per tanggal (sisa pokok, tunggakan, denda, DPD, kolektibilitas)."

    def add_arguments(self, parser):
        parser.add_argument("--per", required=True, help="tanggal posisi YYYY-MM-DD")
        parser.add_argument("--unit", help="kode unit UPT, mis. upt-dana-bergulir-pacitan")
        parser.add_argument("--json", action="store_true", help="keluaran JSON")

    def handle(self, *args, **o):
        try:
            per = dt.date.fromisoformat(o["per"])
        except ValueError as e:
            raise CommandError("--per harus tanggal YYYY-MM-DD.", returncode=2) from e
        lingkup = None
        if o.get("unit"):
            unit = Unit.objects.filter(kode=o["unit"]).first()
            if unit is None:
                raise CommandError(f"Unit “{o['unit']}” tidak dikenal.", returncode=2)
            lingkup = Pinjaman.objects.filter(unit=unit)
        rows = posisi(per, lingkup)
        r = ringkasan(rows)
        if o["json"]:
            self.stdout.write(
                json.dumps(
                    {"pinjaman": [b.sebagai_dict() for b in rows], "ringkasan": r},
                    ensure_ascii=False,
                )
            )
            return
        for b in rows:
            self.stdout.write(
                f"{b.nomor:20} {rupiah(b.sisa_pokok):>18} {rupiah(b.tunggakan_pokok):>16} "
                f"{rupiah(b.tunggakan_jasa):>14} {rupiah(b.denda):>14} {b.dpd:>5} {b.kolektibilitas}"
            )
        self.stdout.write(f"Outstanding {rupiah(r['outstanding'])}, NPL {r['npl_persen']} %")
