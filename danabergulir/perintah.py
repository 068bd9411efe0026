"""Shared body of the import commands (``danabergulir_impor_pinjaman``, ``_impor_rekening``).

Exit codes: 0 committed (or a dry run without errors), 1 the file has errors (nothing written),
2 usage errors (unknown office, user or file; the user may not import there). ``--json`` prints
exactly one JSON object on stdout: the counts and ``errors: [{"row", "column", "message"}]``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sop.engine import GagalTransisi
from sop.lembar import BerkasTidakValid

from . import izin
from .impor import staging
from .models import ImporBerkas


def galat_pakai(pesan: str) -> CommandError:
    return CommandError(pesan, returncode=2)


def cari_user(username: str):
    u = get_user_model().objects.filter(username=username, is_active=True).first()
    if u is None:
        raise galat_pakai(f"Pengguna “{username}” tidak dikenal atau tidak aktif.")
    return u


class ImporCommand(BaseCommand):
    jenis = ImporBerkas.Jenis.PINJAMAN
    kosong: dict[str, int] = {}

    def add_arguments(self, parser):
        parser.add_argument("berkas", help="berkas .xlsx atau .csv")
        parser.add_argument("--oleh", required=True, help="username petugas yang mengimpor")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

    def unit(self, opts, user):  # pragma: no cover - overridden
        raise NotImplementedError

    def keluar(self, opts, hitungan: dict, errors: list[dict], pesan: str = "") -> None:
        if opts["json"]:
            self.stdout.write(json.dumps({**hitungan, "errors": errors}, ensure_ascii=False))
        else:
            for e in errors[:200]:
                self.stderr.write(f"baris {e['row']}, kolom {e['column']}: {e['message']}")
            if len(errors) > 200:
                self.stderr.write(f"... dan {len(errors) - 200} kesalahan lain")
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in hitungan.items()))
        if pesan:
            self.stderr.write(pesan)
        if errors:
            raise CommandError("Berkas berisi kesalahan: tidak ada yang disimpan.", returncode=1)

    def handle(self, *args, **opts):
        user = cari_user(opts["oleh"])
        unit = self.unit(opts, user)
        p = Path(opts["berkas"])
        if not p.is_file():
            raise galat_pakai(f"Berkas “{p}” tidak ditemukan.")
        if p.stat().st_size > staging.MAKS_BERKAS:
            return self.keluar(
                opts,
                self.kosong,
                [{"row": 0, "column": "", "message": "Berkas terlalu besar."}],
            )
        if not izin.boleh(user, unit.wilayah_id, izin.PERAN_PETUGAS):
            raise galat_pakai(
                f"{user.get_full_name() or user.username} tidak berwenang mengimpor untuk {unit.nama}."
            )
        raw = p.read_bytes()
        if opts["dry_run"]:
            try:
                r = staging.rencanakan(raw, jenis=self.jenis, unit=unit)
            except BerkasTidakValid as e:
                return self.keluar(
                    opts, self.kosong, [{"row": 0, "column": "", "message": e.message}]
                )
            errors = [e.as_dict() for e in r.errors]
            return self.keluar(opts, r.hitungan(), errors, "(uji coba: tidak ada yang disimpan)")
        try:
            impor = staging.impor_buat(
                user=user, unit=unit, jenis=self.jenis, raw=raw, nama_berkas=p.name
            )
        except BerkasTidakValid as e:
            return self.keluar(opts, self.kosong, [{"row": 0, "column": "", "message": e.message}])
        except GagalTransisi as e:
            raise galat_pakai(str(e)) from e
        impor = staging.impor_validasi(impor)
        if impor.status == ImporBerkas.Status.VALID:
            impor = staging.impor_terapkan(impor, user=user)
        if impor.status == ImporBerkas.Status.SELESAI:
            return self.keluar(opts, impor.hitungan, [])
        errors = list(impor.errors) or [
            {"row": 0, "column": "", "message": impor.pesan or "Impor gagal."}
        ]
        return self.keluar(opts, self.kosong, errors)
