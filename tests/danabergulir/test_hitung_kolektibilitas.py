"""Kolektibilitas profile, NPL and aging buckets; money text and statement amounts."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danabergulir.hitung import (
    PROFIL_POJK,
    Kelas,
    baca_jumlah,
    bulat,
    cek_profil,
    kelas_untuk,
    kelompok_umur,
    npl_persen,
    persen_ke_ppm,
    rupiah,
    terbilang_rupiah,
)


@pytest.mark.parametrize(
    ("dpd", "nama"),
    [
        (0, "Lancar"),
        (1, "Dalam Perhatian Khusus"),
        (90, "Dalam Perhatian Khusus"),
        (91, "Kurang Lancar"),
        (120, "Kurang Lancar"),
        (121, "Diragukan"),
        (180, "Diragukan"),
        (181, "Macet"),
        (5000, "Macet"),
    ],
)
def test_kelas_pojk(dpd, nama):
    assert kelas_untuk(dpd).nama == nama


@given(st.integers(0, 100_000))
def test_setiap_dpd_satu_kelas(dpd):
    assert sum(k.memuat(dpd) for k in PROFIL_POJK) == 1


def test_profil_pojk_valid_dan_salah():
    assert cek_profil(PROFIL_POJK) == []
    celah = [Kelas("1", "A", 0, 10, False), Kelas("2", "B", 12, None, True)]
    assert cek_profil(celah)
    tertutup = [Kelas("1", "A", 0, 10, False), Kelas("2", "B", 11, 20, True)]
    assert cek_profil(tertutup)
    assert cek_profil([Kelas("1", "A", 1, None, False)])


def test_npl():
    """Outstanding 1.000.000 Lancar, 200.000 DPK, 100.000 KL, 50.000 Diragukan, 34.000 Macet:
    NPL = 184.000 / 1.384.000 = 13,294797...% -> 13.29."""
    o = {"1": 1_000_000, "2": 200_000, "3": 100_000, "4": 50_000, "5": 34_000}
    assert npl_persen(o) == Decimal("13.29")
    assert npl_persen({}) == Decimal("0.00")
    assert npl_persen({"5": 10}) == Decimal("100.00")


@pytest.mark.parametrize(
    ("dpd", "label"),
    [
        (0, None),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (90, "61-90"),
        (91, "91-120"),
        (121, "121-180"),
        (180, "121-180"),
        (181, ">180"),
    ],
)
def test_kelompok_umur(dpd, label):
    assert kelompok_umur(dpd) == label


def test_bulat_setengah_ke_atas():
    assert [bulat(Decimal(x)) for x in ("0.5", "1.5", "2.5", "2.4999", "-0.5")] == [1, 2, 3, 2, -1]


def test_ppm():
    assert persen_ke_ppm(Decimal("0.1")) == 1000
    assert persen_ke_ppm("0.0001") == 1
    with pytest.raises(ValueError):
        persen_ke_ppm("0.00001")


@pytest.mark.parametrize(
    ("n", "angka", "kata"),
    [
        (10_600_000, "Rp10.600.000,00", "sepuluh juta enam ratus ribu rupiah"),
        (2_950_000, "Rp2.950.000,00", "dua juta sembilan ratus lima puluh ribu rupiah"),
        (1_000, "Rp1.000,00", "seribu rupiah"),
        (11, "Rp11,00", "sebelas rupiah"),
        (100, "Rp100,00", "seratus rupiah"),
        (1_000_000, "Rp1.000.000,00", "satu juta rupiah"),
        (1_000_000_000, "Rp1.000.000.000,00", "satu miliar rupiah"),
        (1_001_000, "Rp1.001.000,00", "satu juta seribu rupiah"),
        (111_111, "Rp111.111,00", "seratus sebelas ribu seratus sebelas rupiah"),
        (0, "Rp0,00", "nol rupiah"),
    ],
)
def test_rupiah_dan_terbilang(n, angka, kata):
    assert rupiah(n) == angka
    assert terbilang_rupiah(n) == kata


@pytest.mark.parametrize(
    ("v", "hasil"),
    [
        ("1.250.000,00", Decimal("1250000")),
        ("1.250.000", Decimal("1250000")),
        ("Rp 1.250.000,50", Decimal("1250000.50")),
        ("1,250,000.00", Decimal("1250000")),
        ("1250000", Decimal("1250000")),
        ("1250000,5", Decimal("1250000.5")),
        ("  750.000,00 ", Decimal("750000")),
        (1250000, Decimal("1250000")),
        (1250000.0, Decimal("1250000")),
        (1250.25, Decimal("1250.25")),
        ("", None),
        ("-", None),
        (None, None),
        ("0,00", None),
        (0, None),
    ],
)
def test_baca_jumlah(v, hasil):
    assert baca_jumlah(v) == hasil


@pytest.mark.parametrize(
    "v", ["satu juta", "1.25.000", "-500", "(500)", "12,345,67", 1.234, "1.2.3"]
)
def test_baca_jumlah_salah(v):
    with pytest.raises(ValueError):
        baca_jumlah(v)
