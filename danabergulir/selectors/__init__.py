"""Reads of the loan book: region-scoped querysets and the set-based position report.

``posisi`` computes, for every loan in one SQL statement, what ``hitung.alokasi.posisi_pada``
computes in Python (tests compare them): pokok left, arrears of installments due by the date,
denda owed and days past due, counting only loans disbursed and allocations dated on or before
the date, then the class from the product's profile. Dates are day numbers (date.toordinal)
so the SQL is integer arithmetic that SQLite and PostgreSQL evaluate the same way.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import QuerySet

from sop.selectors import filter_lingkup

from ..hitung import KELOMPOK_UMUR
from ..izin import LAYANAN
from ..models import (
    Alokasi,
    Angsuran,
    ImporBerkas,
    JadwalVersi,
    KelasKolektibilitas,
    Pembayaran,
    Pinjaman,
    Produk,
)


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@contextmanager
def _kursor_laporan():
    """A cursor for the big set-based reads. On PostgreSQL, inside a transaction: JIT off (its
    compile time, ~0.8 s, exceeds what it saves here) and 32 MB for the hash aggregates of one
    query instead of spilling them to disk."""
    if connection.vendor != "postgresql":
        with connection.cursor() as c:
            yield c
        return
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL jit = off")
        c.execute("SET LOCAL work_mem = '32MB'")
        yield c


# ------------------------------------------------------------------ scope
def pinjaman_lingkup(user) -> QuerySet:
    """Loans in the regions of the user's offices that run the loan book."""
    return filter_lingkup(Pinjaman.objects.all(), user, LAYANAN, field="wilayah")


def pembayaran_lingkup(user) -> QuerySet:
    """Bank lines of the offices whose region lies in the user's regions."""
    return filter_lingkup(Pembayaran.objects.all(), user, LAYANAN, field="unit__wilayah")


def impor_lingkup(user) -> QuerySet:
    return filter_lingkup(ImporBerkas.objects.all(), user, LAYANAN, field="unit__wilayah")


# ------------------------------------------------------------------ position
def _sql_posisi(per: dt.date, lingkup: QuerySet | None) -> tuple[str, list]:
    t = per.toordinal()
    params: list = [t]
    saring = ""
    if lingkup is not None:
        sub, sub_params = lingkup.values("pk").query.sql_with_params()
        saring = f" AND p.id IN ({sub})"
        params.extend(sub_params)
    sql = f"""
WITH pj AS (
  SELECT p.id, p.nomor, p.denda_ppm, p.produk_id, p.kecamatan_id, p.debitur_id, p.plafon,
         p.hari_pencairan
  FROM {_t(Pinjaman)} p WHERE p.hari_pencairan <= %s{saring}
),
al AS (
  SELECT x.angsuran_id,
         CAST(SUM(x.pokok) AS BIGINT) AS p, CAST(SUM(x.jasa) AS BIGINT) AS j,
         CAST(SUM(x.denda) AS BIGINT) AS d,
         CAST(SUM(CASE WHEN x.hari_efektif < %s
                       THEN (x.pokok + x.jasa) * (%s - x.hari_efektif) ELSE 0 END) AS BIGINT) AS w
  FROM {_t(Alokasi)} x JOIN pj ON pj.id = x.pinjaman_id
  WHERE x.aktif = %s AND x.hari <= %s
  GROUP BY x.angsuran_id
),
a AS (
  SELECT g.pinjaman_id, g.hari,
         g.pokok - COALESCE(al.p, 0) AS sp,
         g.jasa - COALESCE(al.j, 0) AS sj,
         g.denda_tetap - COALESCE(al.d, 0)
           + CASE WHEN g.hari < %s
                  THEN (pj.denda_ppm * ((g.pokok + g.jasa) * (%s - g.hari) - COALESCE(al.w, 0)))
                       / 1000000
                  ELSE 0 END AS dd
  FROM {_t(Angsuran)} g
  JOIN pj ON pj.id = g.pinjaman_id
  JOIN {_t(JadwalVersi)} v ON v.id = g.versi_id
       AND v.hari_mulai <= %s AND (v.hari_sampai IS NULL OR v.hari_sampai > %s)
  LEFT JOIN al ON al.angsuran_id = g.id
),
r AS (
  SELECT a.pinjaman_id AS id,
         CAST(SUM(a.sp) AS BIGINT) AS sisa_pokok,
         CAST(SUM(CASE WHEN a.hari <= %s THEN a.sp ELSE 0 END) AS BIGINT) AS tunggakan_pokok,
         CAST(SUM(CASE WHEN a.hari <= %s THEN a.sj ELSE 0 END) AS BIGINT) AS tunggakan_jasa,
         CAST(SUM(a.dd) AS BIGINT) AS denda,
         COALESCE(%s - MIN(CASE WHEN a.hari <= %s AND (a.sp > 0 OR a.sj > 0)
                                THEN a.hari END), 0) AS dpd
  FROM a GROUP BY a.pinjaman_id
)
SELECT pj.id, pj.nomor, r.sisa_pokok, r.tunggakan_pokok, r.tunggakan_jasa, r.denda, r.dpd,
       k.urutan, k.nama, k.npl, pj.produk_id, pj.kecamatan_id, pj.debitur_id, pj.plafon
FROM pj JOIN r ON r.id = pj.id
JOIN {_t(Produk)} pr ON pr.id = pj.produk_id
LEFT JOIN {_t(KelasKolektibilitas)} k ON k.profil_id = pr.profil_id
     AND r.dpd >= k.dpd_min AND (k.dpd_maks IS NULL OR r.dpd <= k.dpd_maks)
"""  # noqa: S608 - table names from _meta, values as parameters
    params += [t, t, True, t, t, t, t, t, t, t, t, t]
    return sql, params


@dataclass(frozen=True, slots=True)
class BarisPosisi:
    id: int
    nomor: str
    sisa_pokok: int
    tunggakan_pokok: int
    tunggakan_jasa: int
    denda: int
    dpd: int
    kelas_urutan: int | None
    kolektibilitas: str
    npl: bool
    produk_id: int
    kecamatan_id: str
    debitur_id: int
    plafon: int

    def sebagai_dict(self) -> dict:
        return {
            "nomor": self.nomor,
            "sisa_pokok": self.sisa_pokok,
            "tunggakan_pokok": self.tunggakan_pokok,
            "tunggakan_jasa": self.tunggakan_jasa,
            "denda": self.denda,
            "dpd": self.dpd,
            "kolektibilitas": self.kolektibilitas,
        }


def posisi(
    per: dt.date, lingkup: QuerySet | None = None, *, urut: bool = True
) -> list[BarisPosisi]:
    """The position of every loan of ``lingkup`` (a Pinjaman queryset; None = all) on ``per``:
    one query, whatever the number of loans, installments and postings."""
    sql, params = _sql_posisi(per, lingkup)
    if urut:
        sql += " ORDER BY pj.nomor"
    with _kursor_laporan() as c:
        c.execute(sql, params)
        return [
            BarisPosisi(
                r[0],
                r[1],
                int(r[2]),
                int(r[3]),
                int(r[4]),
                int(r[5]),
                int(r[6]),
                r[7],
                r[8] or "",
                bool(r[9]),
                r[10],
                r[11],
                r[12],
                int(r[13]),
            )
            for r in c.fetchall()
        ]


def ringkasan(rows: list[BarisPosisi]) -> dict:
    """Outstanding pokok and NPL (% of outstanding in NPL classes, 2 decimals, half up)."""
    total = sum(b.sisa_pokok for b in rows)
    npl = sum(b.sisa_pokok for b in rows if b.npl)
    return {"outstanding": total, "npl_persen": f"{_persen(npl, total):.2f}"}


def posisi_satu(pinjaman: Pinjaman, per: dt.date) -> BarisPosisi | None:
    rows = posisi(per, Pinjaman.objects.filter(pk=pinjaman.pk), urut=False)
    return rows[0] if rows else None


# ------------------------------------------------------------------ portfolio summary
@dataclass
class Portofolio:
    """Aggregates of the position on one day: by class, by aging bucket, totals and NPL."""

    per: dt.date
    jumlah_pinjaman: int = 0
    outstanding: int = 0
    tunggakan_pokok: int = 0
    tunggakan_jasa: int = 0
    denda: int = 0
    kelas: list[dict] = field(default_factory=list)
    umur: list[dict] = field(default_factory=list)
    npl_persen: Decimal = Decimal("0.00")

    def ringkasan(self) -> dict:
        return {"outstanding": self.outstanding, "npl_persen": f"{self.npl_persen:.2f}"}


def _persen(bagian: int, total: int) -> Decimal:
    """bagian / total in % with 2 decimals, half up (0 when total is 0)."""
    if total <= 0:
        return Decimal("0.00")
    return (Decimal(bagian) * 100 / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _sql_umur() -> str:
    kasus = " ".join(
        f"WHEN q.dpd >= {bawah}"
        + (f" AND q.dpd <= {atas}" if atas is not None else "")
        + f" THEN {i}"
        for i, (_l, bawah, atas) in enumerate(KELOMPOK_UMUR)
    )
    return f"CASE {kasus} ELSE -1 END"


def portofolio(per: dt.date, lingkup: QuerySet | None = None) -> Portofolio:
    """Counts and sums by (class, aging bucket) in one query over the position of every loan;
    loans with nothing left to pay are not counted."""
    sql, params = _sql_posisi(per, lingkup)
    agregat = f"""
SELECT q.urutan, q.nama, q.npl, {_sql_umur()} AS umur, COUNT(*),
       CAST(SUM(q.sisa_pokok) AS BIGINT), CAST(SUM(q.tunggakan_pokok) AS BIGINT),
       CAST(SUM(q.tunggakan_jasa) AS BIGINT), CAST(SUM(q.denda) AS BIGINT)
FROM ({sql}) q
WHERE q.sisa_pokok > 0 OR q.tunggakan_jasa > 0 OR q.denda > 0
GROUP BY q.urutan, q.nama, q.npl, {_sql_umur()}
"""  # noqa: S608 - built from _sql_posisi and constants
    with _kursor_laporan() as c:
        c.execute(agregat, params)
        rows = c.fetchall()
    hasil = Portofolio(per=per)
    kelas: dict[tuple, dict] = {}
    umur = [
        {"label": label, "jumlah": 0, "sisa_pokok": 0, "tunggakan_pokok": 0, "tunggakan_jasa": 0}
        for label, _b, _a in KELOMPOK_UMUR
    ]
    for urutan, nama, npl, u, n, sp, tp, tj, dd in rows:
        sp, tp, tj, dd = int(sp), int(tp), int(tj), int(dd)
        k = kelas.setdefault(
            (urutan or 0, nama or ""),
            {"urutan": urutan, "nama": nama or "", "npl": bool(npl), "jumlah": 0, "sisa_pokok": 0},
        )
        k["jumlah"] += n
        k["sisa_pokok"] += sp
        if u >= 0:
            b = umur[u]
            b["jumlah"] += n
            b["sisa_pokok"] += sp
            b["tunggakan_pokok"] += tp
            b["tunggakan_jasa"] += tj
        hasil.jumlah_pinjaman += n
        hasil.outstanding += sp
        hasil.tunggakan_pokok += tp
        hasil.tunggakan_jasa += tj
        hasil.denda += dd
    hasil.kelas = [kelas[k] for k in sorted(kelas)]
    hasil.umur = umur
    hasil.npl_persen = _persen(
        sum(k["sisa_pokok"] for k in hasil.kelas if k["npl"]), hasil.outstanding
    )
    for k in hasil.kelas:
        k["persen"] = _persen(k["sisa_pokok"], hasil.outstanding)
    return hasil


def sidik_buku() -> tuple:
    """A fingerprint of everything a position depends on: it changes with every posting,
    replay, reversal, new loan, schedule version or profile change (indexed max() lookups)."""
    from ..models import KelasKolektibilitas as K
    from ..models import Pembalikan

    sql = " UNION ALL ".join(
        f"SELECT MAX(id) FROM {_t(m)}"  # noqa: S608 - table names from _meta
        for m in (Alokasi, Pembalikan, Pinjaman, JadwalVersi, K)
    )
    with connection.cursor() as c:
        c.execute(sql)
        return tuple(r[0] for r in c.fetchall())


def dengan_cache(nama: str, per: dt.date, lingkup: QuerySet, fungsi, *, detik: int = 600):
    """``fungsi()`` (a read over ``lingkup`` on ``per``) kept in the cache under the book's
    fingerprint: screens recompute only after the book changed (or after ``detik`` seconds)."""
    import hashlib

    from django.core.cache import cache

    sub, params = lingkup.values("pk").query.sql_with_params()
    kunci = (
        f"dagulir:{nama}:"
        + hashlib.sha256(
            repr((per.toordinal(), sub, tuple(map(str, params)), sidik_buku())).encode()
        ).hexdigest()
    )
    hasil = cache.get(kunci)
    if hasil is None:
        hasil = fungsi()
        cache.set(kunci, hasil, detik)
    return hasil


def portofolio_cache(per: dt.date, lingkup: QuerySet) -> Portofolio:
    return dengan_cache("porto", per, lingkup, lambda: portofolio(per, lingkup))


def kelas_profil_bawaan() -> list[KelasKolektibilitas]:
    return list(KelasKolektibilitas.objects.filter(profil__kode="pojk-40-2019").order_by("urutan"))


# ------------------------------------------------------------------ one loan
@dataclass
class AngsuranRinci:
    id: int
    versi_id: int
    ke: int
    jatuh_tempo: dt.date
    pokok: int
    jasa: int
    denda_tetap: int
    dibayar_pokok: int
    dibayar_jasa: int
    dibayar_denda: int
    denda: int  # owed on the date asked (current version only)
    status: str = ""

    @property
    def angsuran(self) -> int:
        return self.pokok + self.jasa

    @property
    def sisa(self) -> int:
        return self.pokok + self.jasa - self.dibayar_pokok - self.dibayar_jasa


def angsuran_rinci(pinjaman: Pinjaman, per: dt.date) -> list[AngsuranRinci]:
    """Every installment of every schedule version of a loan with what was paid by ``per`` and
    the denda owed on ``per`` (one query). ``status``: lunas | sebagian | terlambat | belum."""
    t = per.toordinal()
    sql = f"""
SELECT g.id, g.versi_id, g.ke, g.hari, g.pokok, g.jasa, g.denda_tetap,
       COALESCE(al.p, 0), COALESCE(al.j, 0), COALESCE(al.d, 0),
       CASE WHEN v.hari_sampai IS NULL THEN
         g.denda_tetap - COALESCE(al.d, 0)
         + CASE WHEN g.hari < %s
                THEN (p.denda_ppm * ((g.pokok + g.jasa) * (%s - g.hari) - COALESCE(al.w, 0)))
                     / 1000000
                ELSE 0 END
       ELSE 0 END
FROM {_t(Angsuran)} g
JOIN {_t(JadwalVersi)} v ON v.id = g.versi_id
JOIN {_t(Pinjaman)} p ON p.id = g.pinjaman_id
LEFT JOIN (
  SELECT x.angsuran_id, CAST(SUM(x.pokok) AS BIGINT) AS p, CAST(SUM(x.jasa) AS BIGINT) AS j,
         CAST(SUM(x.denda) AS BIGINT) AS d,
         CAST(SUM(CASE WHEN x.hari_efektif < %s
                       THEN (x.pokok + x.jasa) * (%s - x.hari_efektif) ELSE 0 END) AS BIGINT) AS w
  FROM {_t(Alokasi)} x WHERE x.pinjaman_id = %s AND x.aktif = %s AND x.hari <= %s
  GROUP BY x.angsuran_id
) al ON al.angsuran_id = g.id
WHERE g.pinjaman_id = %s
ORDER BY v.nomor, g.ke
"""  # noqa: S608 - table names from _meta, values as parameters
    with connection.cursor() as c:
        c.execute(sql, [t, t, t, t, pinjaman.pk, True, t, pinjaman.pk])
        rows = c.fetchall()
    hasil = []
    for r in rows:
        a = AngsuranRinci(r[0], r[1], r[2], dt.date.fromordinal(r[3]), *(int(x) for x in r[4:11]))
        if a.sisa == 0:
            a.status = "lunas"
        elif a.jatuh_tempo < per:
            a.status = "terlambat"
        elif a.dibayar_pokok or a.dibayar_jasa:
            a.status = "sebagian"
        else:
            a.status = "belum"
        hasil.append(a)
    return hasil


from .proses import (  # noqa: E402 - the SOP runs' reads, re-exported
    antrean_proposal,
    daftar_bank,
    daftar_bank_xlsx,
    hitung_per_langkah,
    jam_per_jalan,
    jam_rekaman,
    jejak_rekaman,
    papan_penagihan,
    proposal_lingkup,
    sk_lingkup,
    surat_terakhir,
)

__all__ = [
    "antrean_proposal",
    "daftar_bank",
    "daftar_bank_xlsx",
    "hitung_per_langkah",
    "jam_per_jalan",
    "jam_rekaman",
    "jejak_rekaman",
    "papan_penagihan",
    "proposal_lingkup",
    "sk_lingkup",
    "surat_terakhir",
]
