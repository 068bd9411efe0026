"""IKM arithmetic (Permenpan RB 14/2017): exact 1/9 weight, two decimals, mutu boundaries."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perizinan import ikm


def test_semua_tiga_memberi_75_mutu_c():
    h = ikm.hitung([[3] * 9] * 40)
    assert h.responden == 40
    assert h.ikm == Decimal("75.00") and ikm.format_id(h.ikm) == "75,00"
    assert (h.mutu, h.kinerja) == ("C", "Kurang Baik")
    assert h.as_json() == {
        "responden": 40,
        "nrr": [3.0] * 9,
        "ikm": "75.00",
        "mutu": "C",
        "kinerja": "Kurang Baik",
    }


@pytest.mark.parametrize(
    ("nilai", "mutu", "kinerja"),
    [
        ("100.00", "A", "Sangat Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("88.30", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("25.00", "D", "Tidak Baik"),
    ],
)
def test_batas_mutu(nilai, mutu, kinerja):
    assert ikm.mutu_dari(Decimal(nilai)) == (mutu, kinerja)


def _data(jumlah: int, n: int) -> list[list[int]]:
    """n answers of nine scores whose grand total is ``jumlah`` (spread as evenly as possible)."""
    sel = [1] * (9 * n)
    sisa = jumlah - 9 * n
    i = 0
    while sisa:
        naik = min(3, sisa)
        sel[i] += naik
        sisa -= naik
        i += 1
    return [sel[k * 9 : (k + 1) * 9] for k in range(n)]


@pytest.mark.parametrize(
    ("total", "n", "tampil", "mutu"),
    [
        # IKM = 25 x total / (9 n): choose totals that land exactly on each boundary
        (31788, 1000, "88.30", "B"),
        (158958, 5000, "88.31", "A"),
        (27576, 1000, "76.60", "C"),
        (137898, 5000, "76.61", "B"),
        (23400, 1000, "65.00", "C"),
        (116982, 5000, "64.99", "D"),
    ],
)
def test_batas_mutu_dari_data(total, n, tampil, mutu):
    h = ikm.hitung(_data(total, n))
    assert f"{h.ikm:.2f}" == tampil
    assert h.mutu == mutu


def test_bobot_tepat_sepersembilan_bukan_0_111():
    # nine NRR summing to 31.7916: exact weight -> 88.31 (A); a weight rounded to 0.111 gives
    # 25 x 0.111 x 31.7916 = 88.22 (B)
    h = ikm.hitung(_data(158958, 5000))
    salah = (
        Decimal("25")
        * Decimal("0.111")
        * sum(Decimal(x.numerator) / Decimal(x.denominator) for x in h.nrr)
    )
    assert h.mutu == "A" and salah.quantize(Decimal("0.01")) < Decimal("88.31")


def test_pembulatan_setengah_ke_atas_dari_nilai_tepat():
    # 88.305 exactly is shown as 88.31 (half up), and graded on what is shown
    assert ikm.dua_desimal(Fraction(88305, 1000)) == Decimal("88.31")
    assert ikm.mutu_dari(ikm.dua_desimal(Fraction(88305, 1000)))[0] == "A"
    assert ikm.dua_desimal(Fraction(883049, 10000)) == Decimal("88.30")


@pytest.mark.parametrize("buruk", [[0] * 9, [5] * 9, [3] * 8, [3] * 10, [3.0] * 9, [True] * 9])
def test_jawaban_tidak_valid_ditolak(buruk):
    with pytest.raises(ValueError):
        ikm.hitung([[3] * 9, buruk])


def test_tanpa_responden_ditolak():
    with pytest.raises(ValueError):
        ikm.hitung([])


@settings(deadline=None)  # CPU-bound: a loaded CI machine must not fail it on time
@given(st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=60))
def test_sifat_ikm(jawaban):
    h = ikm.hitung(jawaban)
    assert Decimal(25) <= h.ikm <= Decimal(100)
    assert h.ikm_tepat == Fraction(25 * sum(map(sum, jawaban)), 9 * len(jawaban))
    assert all(Fraction(1) <= x <= Fraction(4) for x in h.nrr)
    # the grade follows the shown value, never the unrounded one
    assert (h.mutu, h.kinerja) == ikm.mutu_dari(h.ikm)


def test_format_indonesia():
    assert ikm.format_id(Decimal("88.3")) == "88,30"
    assert ikm.format_id(Fraction(1, 3)) == "0,33"
