"""Helpers for the loan book tests: the UPT, its product, loans and statement lines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from danabergulir import services
from danabergulir.models import Produk
from sop.models import Unit

from .alur import debitur_baru, pinjaman_baru

D = dt.date


@pytest.fixture(autouse=True)
def _media_dan_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def upt(db):
    return Unit.objects.get(kode="upt-dana-bergulir-pacitan")


@pytest.fixture
def produk(db):
    return Produk.objects.get(kode="dana-bergulir-pacitan")


@pytest.fixture
def petugas(pengguna):
    return pengguna("upt.pacitan")


@pytest.fixture
def kepala(pengguna):
    return pengguna("kaupt.pacitan")


@pytest.fixture
def buat_debitur(upt):
    """buat_debitur(nama="Suparmi", jenis=UMKM, kec="35.01.01") (``alur.debitur_baru``)."""
    return debitur_baru


@pytest.fixture
def buat_pinjaman(upt, produk, petugas):
    """buat_pinjaman(nomor=None, plafon=1_000_000, jasa=12, tenor=3, metode="flat",
    pertama=D(2024, 1, 15)): flat 1.000.000 over 3 months = 343.333/343.333/343.334
    (``alur.pinjaman_baru``)."""
    return pinjaman_baru


@pytest.fixture
def posting(upt, petugas):
    def _posting(lines, user=None):
        return services.rekening_posting(unit=upt, baris=lines, user=user or petugas)

    return _posting
