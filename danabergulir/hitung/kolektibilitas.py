"""Loan classes by days past due (kolektibilitas), NPL and arrears aging buckets.

The default profile follows POJK 40/POJK.03/2019: Lancar (0), Dalam Perhatian Khusus (1-90),
Kurang Lancar (91-120), Diragukan (121-180), Macet (over 180); NPL counts classes 3-5.
A profile is any list of classes that covers 0 .. infinity without gaps or overlaps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True, slots=True)
class Kelas:
    kode: str
    nama: str
    dpd_min: int
    dpd_maks: int | None  # None: no upper bound
    npl: bool

    def memuat(self, dpd: int) -> bool:
        return dpd >= self.dpd_min and (self.dpd_maks is None or dpd <= self.dpd_maks)


PROFIL_POJK: tuple[Kelas, ...] = (
    Kelas("1", "Lancar", 0, 0, False),
    Kelas("2", "Dalam Perhatian Khusus", 1, 90, False),
    Kelas("3", "Kurang Lancar", 91, 120, True),
    Kelas("4", "Diragukan", 121, 180, True),
    Kelas("5", "Macet", 181, None, True),
)

# (label, lowest DPD, highest DPD or None): the arrears aging buckets of the monthly report.
KELOMPOK_UMUR: tuple[tuple[str, int, int | None], ...] = (
    ("1-30", 1, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-120", 91, 120),
    ("121-180", 121, 180),
    (">180", 181, None),
)


def cek_profil(profil: Sequence[Kelas]) -> list[str]:
    """Problems of a profile (empty when valid): it must start at 0, leave no gap, not overlap,
    and end open (no upper bound)."""
    masalah = []
    if not profil:
        return ["the profile has no class"]
    urut = sorted(profil, key=lambda k: k.dpd_min)
    if urut[0].dpd_min != 0:
        masalah.append("the first class must start at 0 days")
    for a, b in zip(urut, urut[1:], strict=False):
        if a.dpd_maks is None:
            masalah.append(f"class {a.nama} has no upper bound but is not the last")
        elif b.dpd_min != a.dpd_maks + 1:
            masalah.append(f"classes {a.nama} and {b.nama} leave a gap or overlap")
    for k in urut:
        if k.dpd_maks is not None and k.dpd_maks < k.dpd_min:
            masalah.append(f"class {k.nama} ends before it starts")
    if urut[-1].dpd_maks is not None:
        masalah.append("the last class must have no upper bound")
    return masalah


def kelas_untuk(dpd: int, profil: Sequence[Kelas] = PROFIL_POJK) -> Kelas:
    """The class of a loan ``dpd`` days past due."""
    for k in profil:
        if k.memuat(max(dpd, 0)):
            return k
    raise ValueError(f"no class covers {dpd} days")


def kelompok_umur(dpd: int) -> str | None:
    """The aging bucket label of ``dpd`` (None when not in arrears)."""
    for label, bawah, atas in KELOMPOK_UMUR:
        if dpd >= bawah and (atas is None or dpd <= atas):
            return label
    return None


def npl_persen(outstanding_per_kelas: Mapping[str, int], profil: Sequence[Kelas] = PROFIL_POJK):
    """NPL in % with 2 decimals (half up): outstanding pokok of NPL classes / total outstanding.

    ``outstanding_per_kelas`` maps class kode -> outstanding pokok. 0 when nothing is out."""
    total = sum(outstanding_per_kelas.values())
    if total <= 0:
        return Decimal("0.00")
    npl = sum(
        v for k, v in outstanding_per_kelas.items() if any(c.kode == k and c.npl for c in profil)
    )
    return (Decimal(npl) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
