"""The monthly report workbook of a UPT (SOP 24); ``--pdf`` also writes the PDF for the BKD.

``-o FILE.xlsx`` writes the workbook; with ``--pdf`` the PDF goes beside it (FILE.pdf), or to
``-o`` itself when that ends in .pdf. Exit codes: 0 written, 2 usage errors.
"""

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from danabergulir.laporan import laporan_bulanan
from danabergulir.laporan_berkas import tulis_pdf, tulis_xlsx
from sop.models import Unit


class Command(BaseCommand):
    help = "Laporan bulanan dana bergulir (xlsx, dan PDF dengan --pdf)."

    def add_arguments(self, parser):
        parser.add_argument("--bulan", required=True, help="YYYY-MM")
        parser.add_argument("--unit", required=True, help="kode unit UPT")
        parser.add_argument("-o", "--output", required=True, help="berkas keluaran .xlsx")
        parser.add_argument(
            "--pdf", action="store_true", help="tulis juga PDF (tanda tangan Kepala UPT)"
        )

    def handle(self, *args, **o):
        m = re.fullmatch(r"(\d{4})-(\d{2})", o["bulan"])
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise CommandError("--bulan harus YYYY-MM, mis. 2024-05.", returncode=2)
        unit = Unit.objects.filter(kode=o["unit"]).first()
        if unit is None:
            raise CommandError(f"Unit “{o['unit']}” tidak dikenal.", returncode=2)
        keluar = Path(o["output"])
        if not keluar.parent.is_dir():
            raise CommandError(f"Folder “{keluar.parent}” tidak ada.", returncode=2)
        lap = laporan_bulanan(unit, int(m.group(1)), int(m.group(2)))
        ditulis = []
        if keluar.suffix.lower() == ".pdf" and o["pdf"]:
            keluar.write_bytes(tulis_pdf(lap))
            ditulis.append(keluar)
        else:
            keluar.write_bytes(tulis_xlsx(lap))
            ditulis.append(keluar)
            if o["pdf"]:
                pdf = keluar.with_suffix(".pdf")
                pdf.write_bytes(tulis_pdf(lap))
                ditulis.append(pdf)
        for f in ditulis:
            self.stdout.write(f"Laporan ditulis: {f}")
