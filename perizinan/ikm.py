"""Indeks Kepuasan Masyarakat (Permenpan RB 14/2017), pure Python.

Nine unsur (service elements) are scored 1-4 by each respondent. Per unsur the NRR (nilai
rata-rata) is the sum of its scores divided by the number of respondents; the IKM is 25 times the
mean of the nine NRR, i.e. every unsur weighs exactly 1/9. Everything is exact (``Fraction``): the
regulation's worked examples round the weight to 0,111, which shifts results across a mutu
boundary, so no intermediate value is rounded here.

The IKM is shown with two decimals (half up). The mutu (A-D) is decided on that shown value, so the
number an office publishes and its grade always agree and the bands leave no gap:
A 88,31-100 (Sangat Baik), B 76,61-88,30 (Baik), C 65,00-76,60 (Kurang Baik),
D 25,00-64,99 (Tidak Baik).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

JUMLAH_UNSUR = 9
SKOR_MIN, SKOR_MAKS = 1, 4

# (code, name as the regulation writes it)
UNSUR: tuple[tuple[str, str], ...] = (
    ("u1", "Persyaratan"),
    ("u2", "Sistem, Mekanisme, dan Prosedur"),
    ("u3", "Waktu Penyelesaian"),
    ("u4", "Biaya/Tarif"),
    ("u5", "Produk Spesifikasi Jenis Pelayanan"),
    ("u6", "Kompetensi Pelaksana"),
    ("u7", "Perilaku Pelaksana"),
    ("u8", "Sarana dan Prasarana"),
    ("u9", "Penanganan Pengaduan, Saran dan Masukan"),
)

# (lower bound of the shown IKM, mutu, kinerja), best first.
MUTU: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)

_DUA = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class HasilIkm:
    """The result of a survey: respondents, the nine exact NRR, the exact IKM and its grade."""

    responden: int
    nrr: tuple[Fraction, ...]
    ikm_tepat: Fraction
    ikm: Decimal  # two decimals, half up: what is shown
    mutu: str
    kinerja: str

    def as_json(self) -> dict:
        """The JSON of ``perizinan_ikm --json`` (IKM as a string with a dot, NRR as numbers)."""
        return {
            "responden": self.responden,
            "nrr": [float(x) for x in self.nrr],
            "ikm": f"{self.ikm:.2f}",
            "mutu": self.mutu,
            "kinerja": self.kinerja,
        }


def dua_desimal(x: Fraction) -> Decimal:
    """``x`` rounded half up to two decimals with integer arithmetic only (no float)."""
    ratus = Fraction(x) * 100
    n, d = ratus.numerator, ratus.denominator
    q, r = divmod(abs(n), d)
    if 2 * r >= d:
        q += 1
    return Decimal(-q if n < 0 else q).scaleb(-2)


def mutu_dari(ikm: Decimal) -> tuple[str, str]:
    """(mutu, kinerja) of a shown IKM value (two decimals). Values below 25,00 cannot come from
    scores 1-4 and are refused."""
    ikm = ikm.quantize(_DUA, ROUND_HALF_UP)
    if ikm > 100:
        raise ValueError(f"IKM di atas 100: {ikm}")
    for batas, mutu, kinerja in MUTU:
        if ikm >= batas:
            return mutu, kinerja
    raise ValueError(f"IKM di bawah 25,00: {ikm}")


def nrr_dari_jumlah(jumlah: Sequence[int], responden: int) -> tuple[Fraction, ...]:
    """NRR per unsur from the per-unsur score sums."""
    if responden <= 0:
        raise ValueError("Belum ada responden.")
    if len(jumlah) != JUMLAH_UNSUR:
        raise ValueError(f"Harus {JUMLAH_UNSUR} unsur, ada {len(jumlah)}.")
    return tuple(Fraction(s, responden) for s in jumlah)


def ikm_dari_nrr(nrr: Sequence[Fraction]) -> Fraction:
    """IKM = 25 x mean of the nine NRR (weight exactly 1/9)."""
    if len(nrr) != JUMLAH_UNSUR:
        raise ValueError(f"Harus {JUMLAH_UNSUR} NRR, ada {len(nrr)}.")
    return Fraction(25) * sum(nrr, Fraction(0)) / JUMLAH_UNSUR


def hitung_dari_jumlah(jumlah: Sequence[int], responden: int) -> HasilIkm:
    """The IKM of ``responden`` answers whose per-unsur sums are ``jumlah`` (what SQL gives)."""
    nrr = nrr_dari_jumlah(jumlah, responden)
    tepat = ikm_dari_nrr(nrr)
    tampil = dua_desimal(tepat)
    mutu, kinerja = mutu_dari(tampil)
    return HasilIkm(responden, nrr, tepat, tampil, mutu, kinerja)


def hitung(jawaban: Iterable[Sequence[int]]) -> HasilIkm:
    """The IKM of a list of answers, each nine scores 1-4 (u1..u9)."""
    jumlah = [0] * JUMLAH_UNSUR
    n = 0
    for i, baris in enumerate(jawaban, start=1):
        if len(baris) != JUMLAH_UNSUR:
            raise ValueError(f"Jawaban ke-{i}: harus {JUMLAH_UNSUR} nilai, ada {len(baris)}.")
        for j, s in enumerate(baris):
            if isinstance(s, bool) or not isinstance(s, int) or not SKOR_MIN <= s <= SKOR_MAKS:
                raise ValueError(f"Jawaban ke-{i}, U{j + 1}: nilai harus 1-4, bukan {s!r}.")
            jumlah[j] += s
        n += 1
    return hitung_dari_jumlah(jumlah, n)


def format_id(x: Decimal | Fraction, desimal: int = 2) -> str:
    """Indonesian notation with a decimal comma: 88,33 (half up)."""
    if isinstance(x, Fraction):
        x = Decimal(x.numerator) / Decimal(x.denominator)
    q = Decimal(1).scaleb(-desimal)
    s = f"{x.quantize(q, ROUND_HALF_UP):.{desimal}f}"
    return s.replace(".", ",")
