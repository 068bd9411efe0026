"""Posting bank lines to loans: idempotency keys, loan-number matching, allocation rows.

The arithmetic is ``hitung.alokasi``; this module loads the state it needs in a constant number
of queries per batch and writes allocation rows in bulk:

- a batch whose lines are all dated on or after each loan's latest allocation continues from
  the stored totals (one aggregate query per 1,000 loans);
- otherwise (a back-dated line, a reversal, a manual match of an old line) the loan is replayed
  from its schedule and all its postings; only rows that change are switched off and rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db import connection
from django.utils import timezone

from .hitung.alokasi import Angsuran as AngsuranHitung
from .hitung.alokasi import Pembayaran as PembayaranHitung
from .hitung.alokasi import alokasikan, putar_ulang, urutkan
from .models import Alokasi, Angsuran, JadwalVersi, Pembayaran, Pinjaman, normal_nomor
from .sisip import sisip

POTONGAN = 1000


# ------------------------------------------------------------------ idempotency key
def _teks_kunci(s: str) -> str:
    return " ".join((s or "").split()).upper()


def kunci_baris(
    *,
    tanggal: dt.date,
    jumlah: Decimal,
    referensi: str,
    keterangan: str,
    saldo: Decimal | None,
    urutan: int,
) -> str:
    """The idempotency key of a statement line: sha256 of its value date, amount, bank reference,
    description (case and spacing ignored), running balance and ``urutan``, the line's
    occurrence among identical lines of the same statement (1, 2, ...)."""
    bagian = [
        tanggal.isoformat(),
        f"{Decimal(jumlah):.2f}",
        _teks_kunci(referensi),
        _teks_kunci(keterangan),
        "" if saldo is None else f"{Decimal(saldo):.2f}",
        str(urutan),
    ]
    return hashlib.sha256("\x1f".join(bagian).encode()).hexdigest()


def kunci_urut(baris: Iterable) -> list[str]:
    """Keys for the lines of one statement (objects with tanggal, jumlah, referensi,
    keterangan, saldo), numbering identical lines in file order."""
    seen: dict[tuple, int] = defaultdict(int)
    hasil = []
    for b in baris:
        alami = (
            b.tanggal,
            Decimal(b.jumlah),
            _teks_kunci(b.referensi),
            _teks_kunci(b.keterangan),
            b.saldo,
        )
        seen[alami] += 1
        hasil.append(
            kunci_baris(
                tanggal=b.tanggal,
                jumlah=b.jumlah,
                referensi=b.referensi,
                keterangan=b.keterangan,
                saldo=b.saldo,
                urutan=seen[alami],
            )
        )
    return hasil


# ------------------------------------------------------------------ matching
class Pencocok:
    """Finds loan numbers inside bank descriptions, ignoring case and whitespace.

    A number counts only where it is not glued to more letters/digits in the original text
    ("DB-12" does not match inside "DB-123" or "XDB-12"); a match inside a longer match is
    dropped. Exactly one loan found -> that loan; none or several -> suspense."""

    def __init__(self, nomor: dict[str, int]):
        self.nomor = {normal_nomor(k): v for k, v in nomor.items() if normal_nomor(k)}
        self.panjang = sorted({len(k) for k in self.nomor}, reverse=True)
        self.awal = {k[0] for k in self.nomor}

    def cari(self, teks: str) -> list[int]:
        """Ids of the loans whose number appears in ``teks`` (deduplicated, in order)."""
        if not self.nomor or not teks:
            return []
        posisi = [i for i, c in enumerate(teks) if not c.isspace()]
        s = "".join(teks[i] for i in posisi).upper()
        temuan: list[tuple[int, int, int]] = []
        for i, c in enumerate(s):
            if c not in self.awal:
                continue
            for n in self.panjang:
                kandidat = s[i : i + n]
                if len(kandidat) < n or kandidat not in self.nomor:
                    continue
                a, z = posisi[i], posisi[i + n - 1]
                if kandidat[0].isalnum() and a > 0 and teks[a - 1].isalnum():
                    continue
                if kandidat[-1].isalnum() and z + 1 < len(teks) and teks[z + 1].isalnum():
                    continue
                temuan.append((i, i + n, self.nomor[kandidat]))
        hasil: list[int] = []
        for a, z, pk in temuan:
            if any(a2 <= a and z <= z2 and (a2, z2) != (a, z) for a2, z2, _ in temuan):
                continue
            if pk not in hasil:
                hasil.append(pk)
        return hasil


# ------------------------------------------------------------------ state
@dataclass
class Keadaan:
    """What allocation needs of one loan: its rate, current schedule start, latest allocated
    day and the installments of its current schedule that still owe something."""

    ppm: int
    hari_mulai: int
    hari_terakhir: int
    angsuran: list[AngsuranHitung]


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _potong(xs, n=POTONGAN):
    xs = list(xs)
    for i in range(0, len(xs), n):
        yield xs[i : i + n]


def muat_keadaan(pinjaman_ids: Iterable[int], *, semua: bool = False) -> dict[int, Keadaan]:
    """Load the allocation state of loans (three queries per 1,000 loans). ``semua``: every
    installment of the current schedule with zero paid (for a replay), not only those owing."""
    hasil: dict[int, Keadaan] = {}
    for ids in _potong(sorted(set(pinjaman_ids))):
        tanda = ", ".join(["%s"] * len(ids))
        for pk, ppm, mulai in (
            JadwalVersi.objects.filter(pinjaman_id__in=ids, hari_sampai__isnull=True)
            .values_list("pinjaman_id", "pinjaman__denda_ppm", "hari_mulai")
            .iterator()
        ):
            hasil[pk] = Keadaan(ppm, mulai, 0, [])
        with connection.cursor() as c:
            c.execute(
                f"SELECT pinjaman_id, MAX(hari) FROM {_t(Alokasi)} "  # noqa: S608 - _meta names
                f"WHERE aktif = %s AND pinjaman_id IN ({tanda}) GROUP BY pinjaman_id",
                [True, *ids],
            )
            for pk, hari in c.fetchall():
                if pk in hasil:
                    hasil[pk].hari_terakhir = hari
            if semua:
                sql = (
                    f"SELECT g.id, g.pinjaman_id, g.ke, g.hari, g.pokok, g.jasa, "  # noqa: S608
                    f"g.denda_tetap, 0, 0, 0, 0 FROM {_t(Angsuran)} g "
                    f"JOIN {_t(JadwalVersi)} v ON v.id = g.versi_id AND v.hari_sampai IS NULL "
                    f"WHERE g.pinjaman_id IN ({tanda})"
                )
                params = list(ids)
            else:
                sql = (
                    f"SELECT g.id, g.pinjaman_id, g.ke, g.hari, g.pokok, g.jasa, "  # noqa: S608
                    f"g.denda_tetap, COALESCE(s.p, 0), COALESCE(s.j, 0), COALESCE(s.d, 0), "
                    f"COALESCE(s.b, 0) FROM {_t(Angsuran)} g "
                    f"JOIN {_t(JadwalVersi)} v ON v.id = g.versi_id AND v.hari_sampai IS NULL "
                    f"LEFT JOIN (SELECT angsuran_id, CAST(SUM(pokok) AS BIGINT) AS p, "
                    f"CAST(SUM(jasa) AS BIGINT) AS j, CAST(SUM(denda) AS BIGINT) AS d, "
                    f"CAST(SUM((pokok + jasa) * hari_efektif) AS BIGINT) AS b FROM {_t(Alokasi)} "
                    f"WHERE aktif = %s AND pinjaman_id IN ({tanda}) GROUP BY angsuran_id) s "
                    f"ON s.angsuran_id = g.id WHERE g.pinjaman_id IN ({tanda}) "
                    f"AND (g.pokok + g.jasa > COALESCE(s.p, 0) + COALESCE(s.j, 0) "
                    f"OR g.denda_tetap > COALESCE(s.d, 0))"
                )
                params = [True, *ids, *ids]
            c.execute(sql, params)
            for gid, pid, ke, hari, pokok, jasa, tetap, p, j, d, b in c.fetchall():
                a = AngsuranHitung(ke, dt.date.fromordinal(hari), pokok, jasa, tetap, kunci=gid)
                a.dibayar_pokok, a.dibayar_jasa, a.dibayar_denda, a.bobot = p, j, d, b
                hasil[pid].angsuran.append(a)
    for k in hasil.values():
        k.angsuran = urutkan(k.angsuran)
    return hasil


def rupiah_bulat(jumlah: Decimal) -> int:
    """The whole rupiah of a bank amount that allocation uses (sen stay as kelebihan)."""
    return int(Decimal(jumlah).to_integral_value(ROUND_FLOOR))


def _baris_alokasi(p, pinjaman_id: int, hasil) -> list[dict]:
    """Allocation rows as column dicts (written with ``sop.massal.sisip_massal``)."""
    return [
        {
            "pembayaran_id": p.pk,
            "pinjaman_id": pinjaman_id,
            "angsuran_id": b.kunci,
            "hari": p.hari,
            "hari_efektif": b.hari_efektif,
            "pokok": b.pokok,
            "jasa": b.jasa,
            "denda": b.denda,
            "aktif": True,
        }
        for b in hasil.bagian
    ]


def alokasikan_baru(
    pembayaran: list[Pembayaran], *, now=None, putar_ulang_semua: bool = False
) -> dict[str, int]:
    """Write allocation rows for newly posted payments (status DIPOSTING, saved, with
    pinjaman, newer than every posting of their loans unless ``putar_ulang_semua``). Loans whose
    new lines are dated before their latest allocation are replayed."""
    per_pinjaman: dict[int, list[Pembayaran]] = defaultdict(list)
    for p in pembayaran:
        per_pinjaman[p.pinjaman_id].append(p)
    keadaan = muat_keadaan(per_pinjaman)
    baru: list[dict] = []
    ulang = []
    for pid, ps in per_pinjaman.items():
        k = keadaan[pid]
        ps.sort(key=lambda p: (p.hari, p.pk))
        if putar_ulang_semua or ps[0].hari < k.hari_terakhir:
            ulang.append(pid)
            continue
        for p in ps:
            hasil = alokasikan(k.angsuran, p.tanggal, rupiah_bulat(p.jumlah), k.ppm)
            baru.extend(_baris_alokasi(p, pid, hasil))
    sisip(Alokasi, baru)
    n = {"alokasi": len(baru), "diputar_ulang": 0}
    for pid in ulang:
        n["alokasi"] += putar_ulang_pinjaman(pid, now=now)
        n["diputar_ulang"] += 1
    return n


def putar_ulang_pinjaman(pinjaman_id: int, *, now=None) -> int:
    """Recompute a loan's allocation from its current schedule and every posted payment from
    the schedule's start (value date, then posting order). Rows that differ are switched off
    and rewritten; returns the number of rows written."""
    now = now or timezone.now()
    k = muat_keadaan([pinjaman_id], semua=True)[pinjaman_id]
    ps = list(
        Pembayaran.objects.filter(
            pinjaman_id=pinjaman_id, status=Pembayaran.Status.DIPOSTING, hari__gte=k.hari_mulai
        ).order_by("hari", "pk")
    )
    _buku, hasil = putar_ulang(
        k.angsuran,
        [PembayaranHitung(p.pk, p.tanggal, rupiah_bulat(p.jumlah)) for p in ps],
        k.ppm,
    )
    lama: dict[int, set] = defaultdict(set)
    for r in Alokasi.objects.filter(
        pinjaman_id=pinjaman_id, aktif=True, pembayaran__in=[p.pk for p in ps]
    ).values_list("pembayaran_id", "angsuran_id", "hari_efektif", "pokok", "jasa", "denda"):
        lama[r[0]].add(r[1:])
    ganti, baru = [], []
    for p in ps:
        rows = _baris_alokasi(p, pinjaman_id, hasil[p.pk])
        kini = {
            (r["angsuran_id"], r["hari_efektif"], r["pokok"], r["jasa"], r["denda"]) for r in rows
        }
        if kini != lama[p.pk]:
            ganti.append(p.pk)
            baru.extend(rows)
    if ganti:
        Alokasi.objects.filter(pembayaran_id__in=ganti, aktif=True).update(
            aktif=False, dinonaktifkan_pada=now
        )
        sisip(Alokasi, baru)
    return len(baru)


def kunci_ada(unit_id: int, kunci: list[str]) -> dict[str, int]:
    """Idempotency key -> payment id for the keys of ``unit_id`` already stored (raw SQL, one
    query per 1,000 keys: this runs for every statement line)."""
    hasil: dict[str, int] = {}
    with connection.cursor() as c:
        for ks in _potong(kunci):
            tanda = ", ".join(["%s"] * len(ks))
            c.execute(
                f"SELECT kunci, id FROM {_t(Pembayaran)} "  # noqa: S608 - _meta names
                f"WHERE unit_id = %s AND kunci IN ({tanda})",
                [unit_id, *ks],
            )
            hasil.update(c.fetchall())
    return hasil


def nomor_pinjaman_unit(unit_id: int) -> dict[str, tuple[int, int]]:
    """Loan number -> (id, disbursement day) for every loan of ``unit_id``."""
    return {
        n: (pk, hari)
        for n, pk, hari in Pinjaman.objects.filter(unit_id=unit_id)
        .values_list("nomor", "pk", "hari_pencairan")
        .iterator()
    }
