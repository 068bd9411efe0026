"""Repayment schedules: flat, anuitas (annuity) and menurun (equal principal), in whole rupiah.

With ``r`` the jasa in % per year, ``i = r / 100 / 12`` the monthly rate, ``P`` the plafon and
``m = tenor - masa_tenggang`` the number of installments that repay pokok:

- flat: pokok = floor(P / m), the last installment takes the remainder;
  jasa = round-half-up(P x r / 100 / 12) in every installment (grace months included).
- anuitas: A = round-half-up(P x i / (1 - (1 + i)^-m)); jasa = round-half-up(balance x i);
  pokok = A - jasa (never above the balance); the last installment clears the balance.
  With r = 0, A = round-half-up(P / m).
- menurun: pokok = floor(P / m), the last takes the remainder; jasa = round-half-up(balance x i).

Grace months (masa tenggang) are the first installments: jasa only (as the method computes it
on the full balance), no pokok. Due dates fall monthly on the day of the first due date, on the
month's last day when the month is shorter (31 Jan -> 28/29 Feb -> 31 Mar).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from .uang import bulat


class Metode(StrEnum):
    FLAT = "flat"
    ANUITAS = "anuitas"
    MENURUN = "menurun"


class JadwalTidakValid(ValueError):
    """Schedule parameters out of range; ``kode`` names the parameter."""

    def __init__(self, kode: str, pesan: str):
        super().__init__(pesan)
        self.kode = kode


@dataclass(frozen=True, slots=True)
class Baris:
    """One installment: number, due date, pokok and jasa due, pokok left after it."""

    ke: int
    jatuh_tempo: dt.date
    pokok: int
    jasa: int
    sisa_pokok: int

    @property
    def angsuran(self) -> int:
        return self.pokok + self.jasa

    def sebagai_dict(self) -> dict:
        return {
            "ke": self.ke,
            "jatuh_tempo": self.jatuh_tempo.isoformat(),
            "pokok": self.pokok,
            "jasa": self.jasa,
            "angsuran": self.angsuran,
            "sisa_pokok": self.sisa_pokok,
        }


def tambah_bulan(tanggal: dt.date, bulan: int, hari: int | None = None) -> dt.date:
    """``tanggal`` moved ``bulan`` months, on day ``hari`` (default: its own day), clipped to the
    month's last day."""
    n = tanggal.year * 12 + (tanggal.month - 1) + bulan
    th, bl = divmod(n, 12)
    akhir = calendar.monthrange(th, bl + 1)[1]
    return dt.date(th, bl + 1, min(hari or tanggal.day, akhir))


def tanggal_jatuh_tempo(pertama: dt.date, ke: int) -> dt.date:
    """Due date of installment ``ke`` (1-based): monthly on the first due date's day."""
    return tambah_bulan(pertama, ke - 1, pertama.day)


def _cek(pokok: int, jasa_persen: Decimal, tenor: int, masa_tenggang: int) -> None:
    if not isinstance(pokok, int) or pokok < 1:
        raise JadwalTidakValid("pokok", "pokok must be a whole number of rupiah of at least 1")
    if jasa_persen < 0 or jasa_persen > 100:
        raise JadwalTidakValid("jasa", "jasa must be between 0 and 100 % per year")
    if tenor < 1 or tenor > 600:
        raise JadwalTidakValid("tenor", "tenor must be between 1 and 600 months")
    if masa_tenggang < 0 or masa_tenggang >= tenor:
        raise JadwalTidakValid("masa_tenggang", "grace months must be fewer than the tenor")


def jasa_bulanan(saldo: int, jasa_persen: Decimal) -> int:
    """round-half-up(saldo x r / 100 / 12), dividing last so exact halves stay exact."""
    with localcontext() as ctx:
        ctx.prec = 50
        return bulat(Decimal(saldo) * jasa_persen / 1200)


def anuitas_per_bulan(pokok: int, i: Decimal, m: int) -> int:
    """The level installment A = P.i / (1 - (1+i)^-m), rounded half up (P / m when i = 0)."""
    with localcontext() as ctx:
        ctx.prec = 50
        if i == 0:
            return bulat(Decimal(pokok) / m)
        return bulat(Decimal(pokok) * i / (1 - (1 + i) ** -m))


def jadwal(
    *,
    pokok: int,
    jasa_persen: Decimal | int | str,
    tenor: int,
    metode: Metode | str,
    jatuh_tempo_pertama: dt.date,
    masa_tenggang: int = 0,
) -> list[Baris]:
    """The full schedule; pokok of all rows sums to ``pokok`` exactly."""
    r = Decimal(str(jasa_persen))
    metode = Metode(metode)
    _cek(pokok, r, tenor, masa_tenggang)
    m = tenor - masa_tenggang
    dasar = pokok // m
    a = anuitas_per_bulan(pokok, r / 1200, m) if metode == Metode.ANUITAS else 0
    jasa_flat = jasa_bulanan(pokok, r)
    sisa = pokok
    hasil: list[Baris] = []
    for ke in range(1, tenor + 1):
        jt = tanggal_jatuh_tempo(jatuh_tempo_pertama, ke)
        jasa = jasa_flat if metode == Metode.FLAT else jasa_bulanan(sisa, r)
        if ke <= masa_tenggang:
            p = 0
        elif ke == tenor:
            p = sisa
        elif metode == Metode.ANUITAS:
            p = min(max(a - jasa, 0), sisa)
        else:
            p = min(dasar, sisa)
        sisa -= p
        hasil.append(Baris(ke=ke, jatuh_tempo=jt, pokok=p, jasa=jasa, sisa_pokok=sisa))
    return hasil
