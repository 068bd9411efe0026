"""Helpers for the BPUM tests: the demo round, valid NIKs, proposals at each tier, xlsx files."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import xlsxwriter
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from bpum import services
from bpum.models import Periode, Rekap, Usulan
from sop.models import Wilayah

WIB = ZoneInfo("Asia/Jakarta")
SENIN = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB)

KEC_TEMBILAHAN = "14.04.04"
KEC_RETEH = "14.04.01"
DESA_TK = "14.04.04.1001"  # Tembilahan Kota (desa.tembilahan-kota)
DESA_SP = "14.04.04.1004"  # Sungaiperak (desa.sungaiperak)
DESA_PK = "14.04.01.1001"  # Pulaukijang, Kecamatan Reteh (desa.pulaukijang)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def nik(i: int, *, perempuan: bool = False, kec: str = "140404") -> str:
    """A valid NIK: district code, DDMMYY (+40 for women), serial 0001..9999."""
    hari = 1 + i % 28 + (40 if perempuan else 0)
    bulan = 1 + (i // 28) % 12
    tahun = 70 + (i // 336) % 30
    return f"{kec}{hari:02d}{bulan:02d}{tahun:02d}{1 + (i // 10080) % 9999:04d}"


def kk(i: int) -> str:
    return f"1404{i:012d}"


def berkas_lengkap() -> dict:
    return {
        "ktp": SimpleUploadedFile("ktp.png", PNG, content_type="image/png"),
        "kk": SimpleUploadedFile("kk.pdf", PDF, content_type="application/pdf"),
        "usaha": SimpleUploadedFile("sku.pdf", PDF, content_type="application/pdf"),
        "foto": SimpleUploadedFile("foto.png", PNG, content_type="image/png"),
    }


def data_usulan(i: int, **extra) -> dict:
    d = {
        "nik": nik(i),
        "no_kk": kk(i),
        "nama": f"Pelaku Usaha {i}",
        "alamat": f"Jl. Sudirman {i}",
        "bidang_usaha": "Warung",
        "no_hp": "0812-3456-7890",
        "bukan_pegawai": "1",
        "tidak_menerima_kur": "1",
    }
    d.update(extra)
    return d


@pytest.fixture(autouse=True)
def _media_dan_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def periode(db):
    return Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04")


@pytest.fixture
def buat(pengguna, periode):
    """buat(i, desa=DESA_TK, lengkap=True) -> a proposal received at the village office."""

    def _buat(i, *, desa=DESA_TK, lengkap=True, user=None, **extra):
        user = user or pengguna(
            {
                DESA_TK: "desa.tembilahan-kota",
                DESA_SP: "desa.sungaiperak",
                DESA_PK: "desa.pulaukijang",
            }[desa]
        )
        return services.usulan_buat(
            user=user,
            desa=Wilayah.objects.get(kode=desa),
            data=data_usulan(i, **extra),
            berkas=berkas_lengkap() if lengkap else {},
            periode=periode,
        )

    return _buat


@pytest.fixture
def sampai(pengguna, periode, buat):
    """sampai(tahap, n=1, desa=...) -> proposals walked through the flow up to ``tahap``:
    lengkap | direkap | diverifikasi | dikirim_provinsi | diteruskan."""

    def _sampai(tahap, n=1, *, desa=DESA_TK, mulai=0):
        us = [buat(mulai + i, desa=desa) for i in range(n)]
        desa_user = us[0].dibuat_oleh
        for u in us:
            services.usulan_transisi(user=desa_user, usulan=u, nama="tandai_lengkap")
        if tahap == "lengkap":
            return [Usulan.objects.get(pk=u.pk) for u in us]
        kec = Wilayah.objects.get(kode=desa[:8])
        petugas_kec = pengguna(
            "kecamatan.tembilahan" if desa.startswith(KEC_TEMBILAHAN) else "kecamatan.reteh"
        )
        rekap = services.rekap_terbuka(
            user=petugas_kec, periode=periode, wilayah=kec, tingkat=Rekap.Tingkat.KECAMATAN
        )
        services.rekap_tambah(user=petugas_kec, rekap=rekap, usulan_ids=[u.pk for u in us])
        services.rekap_kirim(user=petugas_kec, rekap=rekap)
        dinas = pengguna("dinas.inhil")
        if tahap != "direkap":
            services.rekap_terima(user=dinas, rekap=rekap)
        if tahap in ("dikirim_provinsi", "diteruskan"):
            rk, _n, _t = services.rekap_kabupaten_susun(user=dinas, periode=periode)
            services.rekap_kirim(user=dinas, rekap=rk)
            if tahap == "diteruskan":
                services.rekap_terima(user=dinas, rekap=rk)
        return [Usulan.objects.get(pk=u.pk) for u in us]

    return _sampai


def xlsx_rekap(
    rows,
    *,
    judul=(
        "NIK",
        "No KK",
        "Nama Lengkap",
        "Alamat Sesuai KTP",
        "Desa/Kelurahan",
        "Bidang Usaha",
        "No HP",
    ),
    sheet="Rekap",
) -> bytes:
    """An xlsx with a header row and ``rows`` (values written as text unless int/float)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet(sheet)
    for j, t in enumerate(judul):
        ws.write_string(0, j, t)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            if isinstance(v, int | float):
                ws.write_number(i, j, v)
            elif v is not None:
                ws.write_string(i, j, str(v))
    wb.close()
    return buf.getvalue()


def baris_rekap(i: int, desa: str = "Tembilahan Kota", **ubah) -> list:
    r = {
        "nik": nik(i),
        "kk": kk(i),
        "nama": f"Pelaku Usaha {i}",
        "alamat": f"Jl. Sudirman {i}",
        "desa": desa,
        "bidang": "Warung",
        "hp": "081234567890",
    }
    r.update(ubah)
    return list(r.values())


@pytest.fixture
def banyak(pengguna, periode):
    """banyak(n, desa=..., status=..., mulai=...) -> n proposals created in bulk (no files),
    with their 'mulai' jejak and clock, like an import: fast enough for query-count tests."""
    from django.utils import timezone

    from sop import massal
    from sop.models import Unit
    from sop.penomoran import kode_acak

    def _banyak(n, *, desa=DESA_TK, status=Usulan.Status.DIAJUKAN, mulai=1000, duplikat=False):
        w = Wilayah.objects.get(kode=desa)
        unit = Unit.objects.get(wilayah=w, jenis=Unit.Jenis.DESA)
        user = pengguna("desa.tembilahan-kota")
        now = timezone.now()
        objs = [
            Usulan(
                sop=services.sop_berlaku(),
                periode=periode,
                wilayah=w,
                kecamatan_id=w.induk_id,
                unit=unit,
                nomor=kode_acak("BPUM"),
                nik=nik(mulai + i),
                no_kk=kk(mulai + i),
                nama=f"Massal {i}",
                alamat="Jl. Baru",
                status=status,
                dibuat_oleh=user,
                duplikat=duplikat,
            )
            for i in range(n)
        ]
        Usulan.objects.bulk_create(objs)
        massal.mulai_proses_massal(objs, user=user, now=now)
        return objs

    return _banyak
