"""Helpers for the perizinan tests: services by code, valid applicants, uploads, walking a request."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from perizinan import services
from perizinan.models import JenisLayanan, Permohonan

WIB = ZoneInfo("Asia/Jakarta")
SENIN = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WIB)  # Monday, a working day

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

LOKET = {
    "iumk-pelalawan": "fo.pelalawan",
    "nib-pacitan": "perbantuan.pacitan",
    "nik-koperasi-pacitan": "staf.pacitan",
    "rekomtek-iui-pacitan": "verifikator.pacitan",
}


def data_pemohon(i: int = 1, **ubah) -> dict:
    d = {
        "pemohon_nik": f"140501{1 + i % 28:02d}0190{1 + i % 9999:04d}",
        "pemohon_nama": f"Siti Pemohon {i}",
        "pemohon_hp": "0812-3456-7890",
        "pemohon_alamat": f"Jl. Lintas Timur No. {i}, Pangkalan Kerinci",
        "usaha_nama": f"Warung Makan Sederhana {i}",
        "usaha_nib": "",
        "usaha_kbli": "56101",
        "usaha_alamat": f"Jl. Lintas Timur No. {i}, Pangkalan Kerinci",
    }
    d.update(ubah)
    return d


def png(nama="ktp.png"):
    return SimpleUploadedFile(nama, PNG, content_type="image/png")


def pdf(nama="dok.pdf"):
    return SimpleUploadedFile(nama, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media_dan_cache(settings, tmp_path):
    from perizinan.sop_info import kosongkan_cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    kosongkan_cache()
    yield
    cache.clear()
    kosongkan_cache()


@pytest.fixture
def layanan(db):
    return lambda kode: JenisLayanan.objects.get(kode=kode)


@pytest.fixture
def terima(pengguna, layanan):
    """terima("iumk-pelalawan", i=1, lengkap=True, now=SENIN) -> a request received at the counter."""

    def _terima(kode, i=1, *, lengkap=True, now=None, user=None, **ubah):
        j = layanan(kode)
        berkas = {}
        asli = set()
        if lengkap:
            for s in j.persyaratan.all():
                if s.unggah:
                    berkas[s.pk] = pdf(f"s{s.pk}.pdf")
                else:
                    asli.add(s.pk)
        return services.permohonan_terima(
            user=user or pengguna(LOKET[kode]),
            jenis=j,
            data=data_pemohon(i, **ubah),
            berkas=berkas,
            asli=asli,
            now=now or SENIN,
        )

    return _terima


@pytest.fixture
def jalan(pengguna):
    """jalan(p, "selesaikan", "fo.pelalawan", now=..., **kw) -> the request after the transition."""

    def _jalan(p, nama, username, **kw):
        return services.permohonan_transisi(
            user=pengguna(username), permohonan=Permohonan.objects.get(pk=p.pk), nama=nama, **kw
        )

    return _jalan
