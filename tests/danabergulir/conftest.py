"""Helpers for the loan book tests: the UPT, its product, loans and statement lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache

from danabergulir import services
from danabergulir.models import Produk
from sop.models import Unit

from .alur import debitur_baru, pinjaman_baru

D = dt.date


@dataclass
class Baris:
    """A credit line of a bank statement as the importer produces it."""

    tanggal: dt.date
    jumlah: Decimal
    keterangan: str
    referensi: str = ""
    saldo: Decimal | None = None
    row: int = 0


def baris(tanggal, jumlah, keterangan, referensi="", saldo=None) -> Baris:
    return Baris(
        tanggal, Decimal(jumlah), keterangan, referensi, None if saldo is None else Decimal(saldo)
    )


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
