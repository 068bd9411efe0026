"""The IKM of an SKM workbook, computed without saving anything.

Exit 0 with the result; 1 when the file has errors (each by Excel row and column; nothing
computed); 2 for usage errors (no such file)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from perizinan import ikm
from perizinan.skm_impor import periksa_skm


class Command(BaseCommand):
    help = (
        "Hitung IKM (Permenpan RB 14/2017) dari berkas SKM xlsx tanpa menyimpan: responden, NRR "
        "sembilan unsur, IKM, mutu dan kinerja. Exit 1 bila berkas berisi kesalahan."
    )

    def add_arguments(self, parser):
        parser.add_argument("berkas", help="berkas .xlsx")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

    def handle(self, *args, **o):
        p = Path(o["berkas"])
        if not p.is_file():
            raise CommandError(f"Berkas “{o['berkas']}” tidak ditemukan.", returncode=2)
        hasil = periksa_skm(p.read_bytes())
        errors = hasil.errors
        if errors:
            if o["json"]:
                self.stdout.write(json.dumps({"errors": errors}, ensure_ascii=False))
            else:
                for e in errors[:200]:
                    self.stderr.write(f"baris {e['row']}, kolom {e['column']}: {e['message']}")
            raise CommandError("Berkas berisi kesalahan: IKM tidak dihitung.", returncode=1)
        h = ikm.hitung(hasil.skor())
        if o["json"]:
            self.stdout.write(json.dumps(h.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"Responden: {h.responden}")
        for (kode, nama), nrr in zip(ikm.UNSUR, h.nrr, strict=True):
            self.stdout.write(f"  {kode.upper()} {nama}: NRR {ikm.format_id(nrr, 3)}")
        self.stdout.write(f"IKM {ikm.format_id(h.ikm)} · mutu {h.mutu} ({h.kinerja})")
