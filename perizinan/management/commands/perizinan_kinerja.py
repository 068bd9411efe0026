"""The performance report an office publishes: per service, received, finished, on time, late,
median office minutes against the promised minutes. Exit 0, or 2 for usage errors."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from perizinan.kinerja import per_layanan
from sop.models import Unit


def _tanggal(teks: str, nama: str) -> dt.date:
    try:
        return dt.date.fromisoformat(teks)
    except ValueError as e:
        raise CommandError(f"--{nama} “{teks}” bukan tanggal YYYY-MM-DD.", returncode=2) from e


class Command(BaseCommand):
    help = (
        "Kinerja layanan perizinan satu kantor dalam satu periode (menit jam kerja): masuk, "
        "selesai, tepat waktu, terlambat, median menit dan janji menit per layanan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="kode kantor, mis. dpmptsp-pelalawan")
        parser.add_argument("--dari", required=True, help="tanggal awal YYYY-MM-DD")
        parser.add_argument("--sampai", required=True, help="tanggal akhir YYYY-MM-DD (termasuk)")
        parser.add_argument("--json", action="store_true", help="keluaran JSON")

    def handle(self, *args, **o):
        unit = Unit.objects.filter(kode=o["unit"]).select_related("kalender").first()
        if unit is None:
            raise CommandError(f"Kantor “{o['unit']}” tidak dikenal.", returncode=2)
        dari, sampai = _tanggal(o["dari"], "dari"), _tanggal(o["sampai"], "sampai")
        if sampai < dari:
            raise CommandError("--sampai tidak boleh sebelum --dari.", returncode=2)
        baris = per_layanan(unit, dari, sampai)
        if o["json"]:
            self.stdout.write(json.dumps([b.as_json() for b in baris], ensure_ascii=False))
            return
        self.stdout.write(f"{unit.nama}, {dari:%d-%m-%Y} s.d. {sampai:%d-%m-%Y} (menit jam kerja)")
        for b in baris:
            self.stdout.write(
                f"- {b.layanan}: masuk {b.masuk}, selesai {b.selesai}, tepat waktu "
                f"{b.tepat_waktu}, terlambat {b.terlambat}, median {b.median_menit} menit "
                f"(janji {b.janji_menit} menit)"
            )
