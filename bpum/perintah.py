"""Shared body of the import commands (``bpum_import_rekap``, ``bpum_import_jawaban``).

Exit codes: 0 committed (or a dry run without errors, or the file was already imported),
1 the file has errors (nothing written), 2 usage errors (unknown region, round, user, file;
the user may not import there). ``--json`` prints exactly one JSON object on stdout:
``{"created": n, "updated": n, "unchanged": n, "errors": [{"row", "column", "message"}]}``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sop.engine import GagalTransisi
from sop.models import Unit, Wilayah

from . import impor as imp
from .models import ImporRekap, Periode
from .spreadsheet import BerkasTidakValid


def galat_pakai(pesan: str) -> CommandError:
    return CommandError(pesan, returncode=2)


def cari_wilayah(kode: str, tingkat: int) -> Wilayah:
    w = Wilayah.objects.filter(kode=kode, tingkat=tingkat).first()
    if w is None:
        unit = Unit.objects.filter(kode=kode).select_related("wilayah").first()
        if unit is not None and unit.wilayah.tingkat == tingkat:
            w = unit.wilayah
    if w is None:
        nama = {1: "Provinsi", 2: "Kabupaten", 3: "Kecamatan", 4: "Desa/kelurahan"}[tingkat]
        raise galat_pakai(f"{nama} “{kode}” tidak dikenal (pakai kode Kemendagri, mis. 14.04.04).")
    return w


def cari_periode(kode: str, kabupaten_kode: str) -> Periode:
    p = (
        Periode.objects.filter(kode=kode, wilayah_id=kabupaten_kode)
        .select_related("wilayah")
        .first()
    )
    if p is None:
        raise galat_pakai(f"Periode “{kode}” tidak ada untuk wilayah {kabupaten_kode}.")
    return p


def cari_user(username: str):
    u = get_user_model().objects.filter(username=username, is_active=True).first()
    if u is None:
        raise galat_pakai(f"Pengguna “{username}” tidak dikenal atau tidak aktif.")
    return u


def baca_berkas(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise galat_pakai(f"Berkas “{path}” tidak ditemukan.")
    return p.read_bytes()


class ImporCommand(BaseCommand):
    jenis = ImporRekap.Jenis.REKAP

    def add_arguments(self, parser):
        parser.add_argument("berkas", help="berkas .xlsx")
        parser.add_argument("--periode", required=True, help="kode periode, mis. BPUM-2021")
        parser.add_argument("--oleh", required=True, help="username petugas yang mengimpor")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

    def wilayah(self, opts) -> Wilayah:  # pragma: no cover - overridden
        raise NotImplementedError

    def desa(self, opts, wilayah: Wilayah) -> Wilayah | None:
        """The one village of a file without a village column (``--desa``), else None."""
        kode = opts.get("desa")
        if not kode:
            return None
        w = cari_wilayah(kode, Wilayah.Tingkat.DESA)
        if w.induk_id != wilayah.kode:
            raise galat_pakai(
                f"Desa/kelurahan {w.kode} bukan bagian dari kecamatan {wilayah.kode}."
            )
        return w

    def keluar(self, opts, hitungan: dict, errors: list[dict], pesan: str = "") -> None:
        kode = 1 if errors else 0
        if opts["json"]:
            self.stdout.write(json.dumps({**hitungan, "errors": errors}, ensure_ascii=False))
        else:
            for e in errors[:200]:
                self.stderr.write(f"baris {e['row']}, kolom {e['column']}: {e['message']}")
            if len(errors) > 200:
                self.stderr.write(f"... dan {len(errors) - 200} kesalahan lain")
            self.stdout.write(
                f"dibuat: {hitungan['created']}, diperbarui: {hitungan['updated']}, "
                f"sama: {hitungan['unchanged']}, kesalahan: {len(errors)}"
            )
        if pesan:
            self.stderr.write(pesan)
        if kode:
            raise CommandError("Berkas berisi kesalahan: tidak ada yang disimpan.", returncode=1)

    def handle(self, *args, **opts):
        wilayah = self.wilayah(opts)
        if wilayah.tingkat == Wilayah.Tingkat.PROVINSI:
            # a province working in the portal answers for the rounds of all its regencies
            periode = (
                Periode.objects.filter(
                    kode=opts["periode"],
                    wilayah__kode__startswith=wilayah.kode + ".",
                    provinsi_portal=True,
                )
                .select_related("wilayah")
                .order_by("wilayah_id")
                .first()
            )
            if periode is None:
                raise galat_pakai(
                    f"Periode “{opts['periode']}” tidak ada di provinsi {wilayah.kode} dengan "
                    "provinsi bekerja di portal."
                )
        else:
            periode = cari_periode(opts["periode"], wilayah.kode[:5])
        desa = self.desa(opts, wilayah)
        user = cari_user(opts["oleh"])
        raw = baca_berkas(opts["berkas"])
        kosong = {"created": 0, "updated": 0, "unchanged": 0}
        try:
            imp._cek_wilayah(self.jenis, periode, wilayah)
            imp._izin(user, self.jenis, wilayah, periode)
        except GagalTransisi as e:
            raise galat_pakai(str(e)) from e
        if opts["dry_run"]:
            try:
                r = (
                    imp.rencanakan_rekap(raw, periode=periode, kecamatan=wilayah, desa=desa)
                    if self.jenis == ImporRekap.Jenis.REKAP
                    else imp.rencanakan_jawaban(raw, periode=periode, kabupaten=wilayah)
                )
            except BerkasTidakValid as e:
                return self.keluar(opts, kosong, [{"row": 0, "column": "", "message": e.message}])
            errors = [{"row": e.row, "column": e.column, "message": e.message} for e in r.errors]
            return self.keluar(opts, r.hitungan(), errors, "(uji coba: tidak ada yang disimpan)")
        try:
            impor = imp.impor_buat(
                user=user,
                jenis=self.jenis,
                periode=periode,
                wilayah=wilayah,
                raw=raw,
                nama_berkas=Path(opts["berkas"]).name,
                desa=desa,
            )
        except imp.SudahDiimpor as e:
            lama = e.lama
            return self.keluar(opts, {**kosong, "unchanged": lama.total_baris}, [], str(e))
        except BerkasTidakValid as e:
            return self.keluar(opts, kosong, [{"row": 0, "column": "", "message": e.message}])
        except GagalTransisi as e:
            raise galat_pakai(str(e)) from e
        impor = imp.impor_validasi(impor)
        if impor.status == ImporRekap.Status.VALID:
            impor = imp.impor_terapkan(impor, user=user)
        if impor.status == ImporRekap.Status.SELESAI:
            return self.keluar(
                opts,
                {
                    "created": impor.jumlah_dibuat,
                    "updated": impor.jumlah_diperbarui,
                    "unchanged": impor.jumlah_sama,
                },
                [],
            )
        errors = list(impor.errors) or [
            {"row": 0, "column": "", "message": impor.pesan or "Impor gagal."}
        ]
        return self.keluar(opts, kosong, errors)
