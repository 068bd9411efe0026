"""Schedules: worked examples (computed by hand in the docstrings) and properties."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from danabergulir.hitung.jadwal import (
    JadwalTidakValid,
    Metode,
    anuitas_per_bulan,
    jadwal,
    tanggal_jatuh_tempo,
)

D = dt.date


def _baris(j):
    return [(b.ke, b.jatuh_tempo, b.pokok, b.jasa, b.angsuran, b.sisa_pokok) for b in j]


def test_flat_contoh():
    """P = 1.000.000, 12 %/year, 3 months.
    pokok = floor(1.000.000 / 3) = 333.333, last = 1.000.000 - 2 x 333.333 = 333.334;
    jasa = 1.000.000 x 12 / 100 / 12 = 10.000 every month."""
    j = jadwal(
        pokok=1_000_000, jasa_persen=12, tenor=3, metode="flat", jatuh_tempo_pertama=D(2024, 1, 15)
    )
    assert _baris(j) == [
        (1, D(2024, 1, 15), 333_333, 10_000, 343_333, 666_667),
        (2, D(2024, 2, 15), 333_333, 10_000, 343_333, 333_334),
        (3, D(2024, 3, 15), 333_334, 10_000, 343_334, 0),
    ]


def test_menurun_contoh():
    """i = 1 %/month. jasa on the balance before each installment:
    1.000.000 x 1 % = 10.000; 666.667 x 1 % = 6.666,67 -> 6.667; 333.334 x 1 % = 3.333,34 -> 3.333."""
    j = jadwal(
        pokok=1_000_000,
        jasa_persen=12,
        tenor=3,
        metode="menurun",
        jatuh_tempo_pertama=D(2024, 1, 15),
    )
    assert _baris(j) == [
        (1, D(2024, 1, 15), 333_333, 10_000, 343_333, 666_667),
        (2, D(2024, 2, 15), 333_333, 6_667, 340_000, 333_334),
        (3, D(2024, 3, 15), 333_334, 3_333, 336_667, 0),
    ]


def test_anuitas_contoh():
    """A = 1.000.000 x 0,01 / (1 - 1,01^-3) = 10.000 / 0,029409... = 340.022,11 -> 340.022.
    1: jasa 10.000, pokok 330.022, balance 669.978;
    2: jasa 6.699,78 -> 6.700, pokok 333.322, balance 336.656;
    3: jasa 3.366,56 -> 3.367, pokok = the balance 336.656, installment 340.023."""
    assert anuitas_per_bulan(1_000_000, Decimal(12) / 1200, 3) == 340_022
    j = jadwal(
        pokok=1_000_000,
        jasa_persen=12,
        tenor=3,
        metode="anuitas",
        jatuh_tempo_pertama=D(2024, 1, 15),
    )
    assert _baris(j) == [
        (1, D(2024, 1, 15), 330_022, 10_000, 340_022, 669_978),
        (2, D(2024, 2, 15), 333_322, 6_700, 340_022, 336_656),
        (3, D(2024, 3, 15), 336_656, 3_367, 340_023, 0),
    ]


def test_anuitas_sepuluh_juta():
    """PMT(0,5 %, 12, 10.000.000) = 860.664,05 -> 860.664; the last installment 860.669."""
    j = jadwal(
        pokok=10_000_000,
        jasa_persen=6,
        tenor=12,
        metode=Metode.ANUITAS,
        jatuh_tempo_pertama=D(2024, 1, 31),
    )
    assert {b.angsuran for b in j[:-1]} == {860_664}
    assert j[-1].angsuran == 860_669
    assert sum(b.pokok for b in j) == 10_000_000


def test_anuitas_tanpa_jasa():
    """r = 0: A = round-half-up(1.000.000 / 3) = 333.333; the last clears 333.334."""
    j = jadwal(
        pokok=1_000_000, jasa_persen=0, tenor=3, metode="anuitas", jatuh_tempo_pertama=D(2024, 1, 1)
    )
    assert [(b.pokok, b.jasa) for b in j] == [(333_333, 0), (333_333, 0), (333_334, 0)]


@pytest.mark.parametrize(
    ("pokok", "persen", "jasa"),
    [
        (300, 10, 3),  # 300 x 10 / 1200 = 2,5 exactly -> 3 (half up, not 2,4999...)
        (100, 6, 1),  # 0,5 -> 1
        (1_000_000, Decimal("7.5"), 6_250),
        (2_500_000, 9, 18_750),
        (1_000_001, 6, 5_000),  # 5.000,005 -> 5.000
        (1_000_100, 6, 5_001),  # 5.000,5 -> 5.001
    ],
)
def test_jasa_flat_setengah_ke_atas(pokok, persen, jasa):
    j = jadwal(
        pokok=pokok, jasa_persen=persen, tenor=1, metode="flat", jatuh_tempo_pertama=D(2024, 1, 1)
    )
    assert j[0].jasa == jasa


def test_masa_tenggang_flat():
    """4 months with 1 grace month: the first pays jasa 12.000 only, pokok 1.200.000 / 3 after."""
    j = jadwal(
        pokok=1_200_000,
        jasa_persen=12,
        tenor=4,
        metode="flat",
        jatuh_tempo_pertama=D(2024, 1, 10),
        masa_tenggang=1,
    )
    assert [(b.pokok, b.jasa, b.sisa_pokok) for b in j] == [
        (0, 12_000, 1_200_000),
        (400_000, 12_000, 800_000),
        (400_000, 12_000, 400_000),
        (400_000, 12_000, 0),
    ]


def test_masa_tenggang_anuitas():
    """Grace month: jasa on the full balance (12.000); then an annuity over 3 months:
    A = 1.200.000 x 0,01 / (1 - 1,01^-3) = 408.026,53 -> 408.027."""
    j = jadwal(
        pokok=1_200_000,
        jasa_persen=12,
        tenor=4,
        metode="anuitas",
        jatuh_tempo_pertama=D(2024, 1, 10),
        masa_tenggang=1,
    )
    assert (j[0].pokok, j[0].jasa) == (0, 12_000)
    assert j[1].angsuran == j[2].angsuran == 408_027
    assert sum(b.pokok for b in j) == 1_200_000


@pytest.mark.parametrize(
    ("pertama", "ke", "tanggal"),
    [
        (D(2024, 1, 31), 2, D(2024, 2, 29)),  # leap year
        (D(2023, 1, 31), 2, D(2023, 2, 28)),
        (D(2024, 1, 31), 3, D(2024, 3, 31)),  # back to the 31st, not the 29th
        (D(2024, 1, 31), 4, D(2024, 4, 30)),
        (D(2024, 1, 30), 2, D(2024, 2, 29)),
        (D(2024, 1, 30), 3, D(2024, 3, 30)),
        (D(2024, 11, 15), 3, D(2025, 1, 15)),  # across the year
        (D(2024, 8, 31), 2, D(2024, 9, 30)),
        (D(2024, 5, 5), 1, D(2024, 5, 5)),
    ],
)
def test_tanggal_jatuh_tempo(pertama, ke, tanggal):
    assert tanggal_jatuh_tempo(pertama, ke) == tanggal


@pytest.mark.parametrize(
    ("kw", "kode"),
    [
        ({"pokok": 0}, "pokok"),
        ({"tenor": 0}, "tenor"),
        ({"jasa_persen": -1}, "jasa"),
        ({"masa_tenggang": 3}, "masa_tenggang"),
    ],
)
def test_parameter_tidak_valid(kw, kode):
    base = {
        "pokok": 1000,
        "jasa_persen": 6,
        "tenor": 3,
        "metode": "flat",
        "jatuh_tempo_pertama": D(2024, 1, 1),
    }
    with pytest.raises(JadwalTidakValid) as e:
        jadwal(**{**base, **kw})
    assert e.value.kode == kode


metode = st.sampled_from(list(Metode))
persen = st.decimals(min_value=0, max_value=36, places=2)


@settings(max_examples=300, deadline=None)
@given(
    pokok=st.integers(1, 5_000_000_000),
    persen=persen,
    tenor=st.integers(1, 120),
    tenggang=st.integers(0, 12),
    metode=metode,
    pertama=st.dates(D(2000, 1, 1), D(2090, 12, 31)),
)
def test_jadwal_berjumlah_plafon(pokok, persen, tenor, tenggang, metode, pertama):
    tenggang = min(tenggang, tenor - 1)
    j = jadwal(
        pokok=pokok,
        jasa_persen=persen,
        tenor=tenor,
        metode=metode,
        jatuh_tempo_pertama=pertama,
        masa_tenggang=tenggang,
    )
    assert len(j) == tenor
    assert sum(b.pokok for b in j) == pokok
    assert all(b.pokok >= 0 and b.jasa >= 0 for b in j)
    assert all(b.pokok == 0 for b in j[:tenggang])
    assert j[-1].sisa_pokok == 0
    sisa = pokok
    for b in j:
        sisa -= b.pokok
        assert b.sisa_pokok == sisa
    assert all(a.jatuh_tempo < b.jatuh_tempo for a, b in zip(j, j[1:], strict=False))
    for b in j:  # same day as the first, or the month's last day when shorter
        assert b.jatuh_tempo.day == pertama.day or (
            b.jatuh_tempo.day < pertama.day and (b.jatuh_tempo + dt.timedelta(days=1)).day == 1
        )
