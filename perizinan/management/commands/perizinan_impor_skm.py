"""Import an SKM workbook (paper questionnaires) for one office: staged, all or nothing,
idempotent. Exit 0 committed (or a clean dry run, or the file was already imported), 1 file
errors (nothing written), 2 usage errors. ``--json`` prints one object:
``{"created": n, "updated": 0, "unchanged": n, "errors": [{"row", "column", "message"}]}``."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from perizinan import skm_impor
from sop.models import Unit
from sop.selectors import penugasan_aktif


def _pakai(pesan: str) -> CommandError:
    return CommandError(pesan, returncode=2)


class Command(BaseCommand):
    help = (
        "Impor jawaban SKM (xlsx) untuk satu kantor: validasi semua baris, simpan semua atau "
        "tidak sama sekali; berkas yang sama dua kali tidak membuat apa pun. Exit 0/1/2."
    )

    def add_arguments(self, parser):
        parser.add_argument("berkas", help="berkas .xlsx")
        parser.add_argument("--unit", required=True, help="kode kantor, mis. dpmptsp-pelalawan")
        parser.add_argument("--oleh", required=True, help="username petugas yang mengimpor")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

    def keluar(self, o, hitung: dict, errors: list[dict], pesan: str = ""):
        if o["json"]:
            self.stdout.write(json.dumps({**hitung, "errors": errors}, ensure_ascii=False))
        else:
            for e in errors[:200]:
                self.stderr.write(f"baris {e['row']}, kolom {e['column']}: {e['message']}")
            self.stdout.write(
                f"dibuat: {hitung['created']}, sama: {hitung['unchanged']}, kesalahan: {len(errors)}"
            )
        if pesan:
            self.stderr.write(pesan)
        if errors:
            raise CommandError("Berkas berisi kesalahan: tidak ada yang disimpan.", returncode=1)

    def handle(self, *args, **o):
        unit = Unit.objects.filter(kode=o["unit"]).first()
        if unit is None:
            raise _pakai(f"Kantor “{o['unit']}” tidak dikenal.")
        user = get_user_model().objects.filter(username=o["oleh"], is_active=True).first()
        if user is None:
            raise _pakai(f"Pengguna “{o['oleh']}” tidak dikenal atau tidak aktif.")
        if not user.is_superuser and not any(
            t.unit.pk == unit.pk and "perizinan" in t.layanan and not t.hanya_baca
            for t in penugasan_aktif(user)
        ):
            raise _pakai(f"{user.get_full_name() or user.username} tidak bertugas di {unit.nama}.")
        p = Path(o["berkas"])
        if not p.is_file():
            raise _pakai(f"Berkas “{o['berkas']}” tidak ditemukan.")
        raw = p.read_bytes()
        kosong = {"created": 0, "updated": 0, "unchanged": 0}
        if o["dry_run"]:
            hasil = skm_impor.periksa_skm(raw)
            if hasil.errors:
                return self.keluar(o, kosong, hasil.errors)
            return self.keluar(
                o, {**kosong, "created": len(hasil.rows)}, [], "(uji coba: tidak ada yang disimpan)"
            )
        try:
            impor = skm_impor.skm_impor_buat(user=user, unit=unit, raw=raw, nama_berkas=p.name)
            if impor.status == impor.Status.VALID:
                impor = skm_impor.skm_impor_terapkan(impor, user=user)
        except skm_impor.SudahDiimpor as e:
            return self.keluar(o, {**kosong, "unchanged": e.lama.jumlah_dibuat}, [], str(e))
        if impor.status == impor.Status.SELESAI:
            return self.keluar(o, {**kosong, "created": impor.jumlah_dibuat}, [])
        return self.keluar(o, kosong, list(impor.errors))
