"""Payment allocation, denda and days past due, replayable so that a reversal is exact.

Rules (docs/adr/0020-dagulir-aritmetika-pinjaman.md):

- A payment on day T goes installment by installment, oldest first (due date, then number), and
  within one installment to denda, then jasa, then pokok. What is left after every installment
  is paid is ``kelebihan`` (overpayment), never allocated.
- Denda of an installment: rate x its unpaid pokok + jasa for each calendar day after its due
  date up to and including the day it is paid; the unpaid amount of a day is the amount before
  that day's payments. The accrued sum is rounded down to the rupiah once.
- DPD on day T: T minus the due date of the oldest installment with unpaid pokok or jasa,
  never below 0.

The denda rate is an integer in parts per million per day (0.1 % a day = 1000 ppm), so the sums
are exact integers: accrued(T) = ppm x (U x (T - D) - sum_a x_a x (T - e_a)) / 10^6 with U the
installment's pokok + jasa, D its due day, x_a the pokok + jasa of each allocation and
e_a = max(its day, D), counting only terms with e_a < T. The SQL of ``danabergulir.selectors``
computes the same expression over the allocation rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

JUTA = 1_000_000


@dataclass(slots=True)
class Angsuran:
    """State of one installment: what is due and what has been paid so far."""

    ke: int
    jatuh_tempo: dt.date
    pokok: int
    jasa: int
    denda_tetap: int = 0
    kunci: object = None
    dibayar_pokok: int = 0
    dibayar_jasa: int = 0
    dibayar_denda: int = 0
    bobot: int = 0  # sum of (pokok + jasa paid) x effective day of each allocation
    hari: int = field(init=False)

    def __post_init__(self):
        self.hari = self.jatuh_tempo.toordinal()

    @property
    def sisa_pokok(self) -> int:
        return self.pokok - self.dibayar_pokok

    @property
    def sisa_jasa(self) -> int:
        return self.jasa - self.dibayar_jasa

    def terakru_ppm(self, hari: int, ppm: int) -> int:
        """Accrued denda in millionths of a rupiah up to day ``hari`` (no later payments)."""
        if hari <= self.hari:
            return 0
        dibayar = self.dibayar_pokok + self.dibayar_jasa
        return ppm * ((self.pokok + self.jasa) * (hari - self.hari) - (dibayar * hari - self.bobot))

    def denda(self, hari: int, ppm: int) -> int:
        """Denda owed on day ``hari``: carried + accrued (rounded down once) - paid."""
        return self.denda_tetap + self.terakru_ppm(hari, ppm) // JUTA - self.dibayar_denda

    def salin(self) -> Angsuran:
        a = Angsuran(self.ke, self.jatuh_tempo, self.pokok, self.jasa, self.denda_tetap, self.kunci)
        a.dibayar_pokok, a.dibayar_jasa = self.dibayar_pokok, self.dibayar_jasa
        a.dibayar_denda, a.bobot = self.dibayar_denda, self.bobot
        return a

    def keadaan(self) -> tuple:
        return (
            self.ke,
            self.dibayar_pokok,
            self.dibayar_jasa,
            self.dibayar_denda,
            self.bobot,
        )


@dataclass(frozen=True, slots=True)
class Bagian:
    """The part of one payment that went to one installment."""

    ke: int
    kunci: object
    pokok: int
    jasa: int
    denda: int
    hari_efektif: int  # max(payment day, due day): the day the paid amount stops accruing

    @property
    def jumlah(self) -> int:
        return self.pokok + self.jasa + self.denda


@dataclass(frozen=True, slots=True)
class HasilAlokasi:
    tanggal: dt.date
    jumlah: int
    bagian: tuple[Bagian, ...]
    kelebihan: int

    @property
    def dialokasikan(self) -> int:
        return self.jumlah - self.kelebihan


@dataclass(frozen=True, slots=True)
class Pembayaran:
    """A payment to replay: its caller key, value date and whole-rupiah amount."""

    kunci: object
    tanggal: dt.date
    jumlah: int


@dataclass(frozen=True, slots=True)
class Posisi:
    """A loan on one day: pokok left, arrears of installments due by then, denda owed, DPD."""

    sisa_pokok: int
    tunggakan_pokok: int
    tunggakan_jasa: int
    denda: int
    dpd: int

    def sebagai_dict(self) -> dict:
        return {
            "sisa_pokok": self.sisa_pokok,
            "tunggakan_pokok": self.tunggakan_pokok,
            "tunggakan_jasa": self.tunggakan_jasa,
            "denda": self.denda,
            "dpd": self.dpd,
        }


class PembayaranMundur(ValueError):
    """A payment dated before one already applied: replay the loan instead (``putar_ulang``)."""


def urutkan(angsuran: Iterable[Angsuran]) -> list[Angsuran]:
    return sorted(angsuran, key=lambda a: (a.hari, a.ke))


def alokasikan(angsuran: Sequence[Angsuran], tanggal: dt.date, jumlah: int, ppm: int):
    """Apply ``jumlah`` paid on ``tanggal`` to ``angsuran`` (already in allocation order) and
    return the ``HasilAlokasi``. Mutates the installments. The caller guarantees that no earlier
    allocation is dated after ``tanggal``."""
    if jumlah < 0:
        raise ValueError("a payment cannot be negative")
    hari = tanggal.toordinal()
    sisa = jumlah
    bagian = []
    for a in angsuran:
        if sisa == 0:
            break
        d = min(sisa, max(a.denda(hari, ppm), 0))
        sisa -= d
        j = min(sisa, a.sisa_jasa)
        sisa -= j
        p = min(sisa, a.sisa_pokok)
        sisa -= p
        if d or j or p:
            efektif = max(hari, a.hari)
            a.dibayar_denda += d
            a.dibayar_jasa += j
            a.dibayar_pokok += p
            a.bobot += (j + p) * efektif
            bagian.append(Bagian(a.ke, a.kunci, p, j, d, efektif))
    return HasilAlokasi(tanggal, jumlah, tuple(bagian), sisa)


def posisi(angsuran: Sequence[Angsuran], per: dt.date, ppm: int) -> Posisi:
    """The position on ``per`` of installments whose payments are all dated on or before it."""
    hari = per.toordinal()
    sisa_pokok = tp = tj = denda = 0
    tertua = None
    for a in angsuran:
        sisa_pokok += a.sisa_pokok
        denda += a.denda(hari, ppm)
        if a.hari <= hari:
            tp += a.sisa_pokok
            tj += a.sisa_jasa
            if (a.sisa_pokok or a.sisa_jasa) and (tertua is None or a.hari < tertua):
                tertua = a.hari
    dpd = hari - tertua if tertua is not None else 0
    return Posisi(sisa_pokok, tp, tj, denda, dpd)


class Buku:
    """The installments of one loan with payments applied in date order."""

    def __init__(self, angsuran: Iterable[Angsuran], denda_ppm: int):
        self.angsuran = urutkan(angsuran)
        self.ppm = denda_ppm
        self.hari_terakhir = 0

    @classmethod
    def dari_jadwal(cls, baris: Iterable, denda_ppm: int) -> Buku:
        """From ``jadwal.Baris`` rows (or anything with ke, jatuh_tempo, pokok, jasa)."""
        return cls(
            (Angsuran(b.ke, b.jatuh_tempo, b.pokok, b.jasa, kunci=b.ke) for b in baris), denda_ppm
        )

    def bayar(self, tanggal: dt.date, jumlah: int) -> HasilAlokasi:
        hari = tanggal.toordinal()
        if hari < self.hari_terakhir:
            raise PembayaranMundur(tanggal)
        self.hari_terakhir = hari
        return alokasikan(self.angsuran, tanggal, jumlah, self.ppm)

    def posisi(self, per: dt.date) -> Posisi:
        if per.toordinal() < self.hari_terakhir:
            raise PembayaranMundur(per)
        return posisi(self.angsuran, per, self.ppm)

    def terutang(self, per: dt.date) -> int:
        """Everything owed on ``per`` for installments due by then (pokok + jasa + denda)."""
        p = self.posisi(per)
        return p.tunggakan_pokok + p.tunggakan_jasa + p.denda

    def salin(self) -> Buku:
        b = Buku([], self.ppm)
        b.angsuran = [a.salin() for a in self.angsuran]
        b.hari_terakhir = self.hari_terakhir
        return b

    def keadaan(self) -> tuple:
        """Comparable snapshot of every installment's paid amounts."""
        return tuple(a.keadaan() for a in self.angsuran)


def putar_ulang(
    angsuran: Iterable[Angsuran], pembayaran: Iterable[Pembayaran], denda_ppm: int
) -> tuple[Buku, dict[object, HasilAlokasi]]:
    """Replay ``pembayaran`` from a fresh state, by value date then in the given order
    (the posting order). Returns the book and each payment's allocation by its key."""
    buku = Buku((a.salin() for a in angsuran), denda_ppm)
    for a in buku.angsuran:
        a.dibayar_pokok = a.dibayar_jasa = a.dibayar_denda = a.bobot = 0
    hasil = {}
    for b in sorted(pembayaran, key=lambda b: b.tanggal):  # stable: same day keeps the order
        hasil[b.kunci] = buku.bayar(b.tanggal, b.jumlah)
    return buku, hasil


def posisi_pada(
    angsuran: Iterable[Angsuran], pembayaran: Iterable[Pembayaran], per: dt.date, denda_ppm: int
) -> Posisi:
    """The position on ``per`` counting only payments dated on or before it."""
    buku, _ = putar_ulang(angsuran, [b for b in pembayaran if b.tanggal <= per], denda_ppm)
    return posisi(buku.angsuran, per, denda_ppm)
