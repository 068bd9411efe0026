"""The monthly report of a UPT (SOP 24): the same figures as the screens, set-based.

- posisi per debitur / kecamatan / produk on the month's last day (``selectors.posisi``);
- realisasi vs tagihan: pokok + jasa due in the month (the schedule in force) against pokok +
  jasa received in the month (allocations dated in the month, whatever installment they paid);
- arrears aging and kolektibilitas with NPL (``selectors.portofolio``);
- the fund statement: opening balance, disbursed, pokok returned, jasa, denda, closing balance,
  from the fund account's opening balance and date (``RekeningDana``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Sum

from sop.models import Unit

from .models import Alokasi, Angsuran, JadwalVersi, Pembayaran, Pinjaman, RekeningDana
from .selectors import BarisPosisi, Portofolio, portofolio, posisi, ringkasan


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def batas_bulan(tahun: int, bulan: int) -> tuple[dt.date, dt.date]:
    return dt.date(tahun, bulan, 1), dt.date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])


def tagihan_realisasi(
    lingkup, periode: list[tuple[dt.date, dt.date]], *, per_kecamatan: bool = False
) -> dict[str | None, list[dict]]:
    """Per period: pokok + jasa due (schedule in force at the period's end) and pokok, jasa and
    denda received; by district when ``per_kecamatan`` (else under the key None). Two queries
    whatever the number of periods, districts and loans."""
    sub, sub_params = lingkup.values("pk").query.sql_with_params()
    kolom_t, kolom_r, p_t, p_r = [], [], [], []
    for i, (a, z) in enumerate(periode):
        ha, hz = a.toordinal(), z.toordinal()
        kolom_t.append(
            f"CAST(SUM(CASE WHEN g.hari BETWEEN %s AND %s AND v.hari_mulai <= %s AND "
            f"(v.hari_sampai IS NULL OR v.hari_sampai > %s) THEN g.pokok + g.jasa ELSE 0 END) "
            f"AS BIGINT) AS t{i}"
        )
        p_t += [ha, hz, hz, hz]
        for k in ("pokok", "jasa", "denda"):
            kolom_r.append(
                f"CAST(SUM(CASE WHEN x.hari BETWEEN %s AND %s THEN x.{k} ELSE 0 END) AS BIGINT)"
            )
            p_r += [ha, hz]
    lo, hi = periode[0][0].toordinal(), periode[-1][1].toordinal()
    kunci = "p.kecamatan_id" if per_kecamatan else "NULL"
    kelompok = "GROUP BY p.kecamatan_id" if per_kecamatan else ""
    with connection.cursor() as c:
        c.execute(
            f"SELECT {kunci}, {', '.join(kolom_t)} FROM {_t(Angsuran)} g "  # noqa: S608
            f"JOIN {_t(JadwalVersi)} v ON v.id = g.versi_id "
            f"JOIN {_t(Pinjaman)} p ON p.id = g.pinjaman_id "
            f"WHERE g.hari BETWEEN %s AND %s AND g.pinjaman_id IN ({sub}) {kelompok}",
            [*p_t, lo, hi, *sub_params],
        )
        tagih = {r[0]: r[1:] for r in c.fetchall()}
        c.execute(
            f"SELECT {kunci}, {', '.join(kolom_r)} FROM {_t(Alokasi)} x "  # noqa: S608
            f"JOIN {_t(Pinjaman)} p ON p.id = x.pinjaman_id "
            f"WHERE x.aktif = %s AND x.hari BETWEEN %s AND %s AND x.pinjaman_id IN ({sub}) "
            f"{kelompok}",
            [*p_r, True, lo, hi, *sub_params],
        )
        real = {r[0]: r[1:] for r in c.fetchall()}
    hasil: dict[str | None, list[dict]] = {}
    for k in set(tagih) | set(real) | ({None} if not per_kecamatan else set()):
        ts, rs = tagih.get(k), real.get(k)
        hasil[k] = []
        for i, (a, z) in enumerate(periode):
            t = int(ts[i] or 0) if ts else 0
            pk, js, dd = (int(rs[3 * i + j] or 0) if rs else 0 for j in range(3))
            hasil[k].append(
                {
                    "mulai": a,
                    "sampai": z,
                    "tagihan": t,
                    "pokok": pk,
                    "jasa": js,
                    "denda": dd,
                    "realisasi": pk + js,
                    "persen": round((pk + js) * 100 / t, 2) if t else None,
                }
            )
    return hasil


def bulan_terakhir(per: dt.date, n: int) -> list[tuple[dt.date, dt.date]]:
    """The ``n`` calendar months ending with ``per``'s month (the last one cut at ``per``)."""
    hasil = []
    th, bl = per.year, per.month
    for _i in range(n):
        a, z = batas_bulan(th, bl)
        hasil.append((a, min(z, per)))
        th, bl = (th, bl - 1) if bl > 1 else (th - 1, 12)
    return hasil[::-1]


@dataclass
class LaporanDana:
    saldo_awal: int
    disalurkan: int
    pokok: int
    jasa: int
    denda: int
    saldo_akhir: int
    suspense: int
    ada_rekening: bool


def _arus(unit: Unit, lingkup, a: dt.date, z: dt.date) -> tuple[int, int, int, int]:
    if z < a:
        return 0, 0, 0, 0
    cair = lingkup.filter(tanggal_pencairan__range=(a, z)).aggregate(s=Sum("plafon"))["s"] or 0
    r = Alokasi.objects.filter(
        aktif=True, pinjaman__in=lingkup, hari__range=(a.toordinal(), z.toordinal())
    ).aggregate(p=Sum("pokok"), j=Sum("jasa"), d=Sum("denda"))
    return int(cair), int(r["p"] or 0), int(r["j"] or 0), int(r["d"] or 0)


def laporan_dana(unit: Unit, lingkup, awal: dt.date, akhir: dt.date) -> LaporanDana:
    """The revolving fund over [awal, akhir]: balance = opening + flows since the account's
    opening date; disbursements out, pokok, jasa and denda received in."""
    rek = RekeningDana.objects.filter(unit=unit).first()
    mulai = rek.tanggal_saldo_awal if rek else awal
    saldo = rek.saldo_awal if rek else 0
    c, p, j, d = _arus(unit, lingkup, mulai, awal - dt.timedelta(days=1))
    saldo += p + j + d - c
    c, p, j, d = _arus(unit, lingkup, max(awal, mulai), akhir)
    suspense = (
        Pembayaran.objects.filter(
            unit=unit, status=Pembayaran.Status.SUSPENSE, hari__lte=akhir.toordinal()
        ).aggregate(s=Sum("jumlah"))["s"]
        or 0
    )
    return LaporanDana(saldo, c, p, j, d, saldo - c + p + j + d, int(suspense), rek is not None)


@dataclass
class Laporan:
    unit: Unit
    tahun: int
    bulan: int
    awal: dt.date
    per: dt.date
    baris: list[BarisPosisi]
    info: dict[int, dict]
    per_kecamatan: list[dict]
    per_produk: list[dict]
    portofolio: Portofolio
    tagihan: dict
    tagihan_kecamatan: list[dict]
    dana: LaporanDana
    ringkasan: dict = field(default_factory=dict)


def _kelompok(baris, info, kunci: str, label: str) -> list[dict]:
    g: dict[str, dict] = {}
    for b in baris:
        k = info[b.id][kunci]
        d = g.setdefault(
            k,
            {
                "nama": info[b.id][label],
                "jumlah": 0,
                "plafon": 0,
                "sisa_pokok": 0,
                "tunggakan_pokok": 0,
                "tunggakan_jasa": 0,
                "denda": 0,
                "npl": 0,
            },
        )
        d["jumlah"] += 1
        d["plafon"] += b.plafon
        d["sisa_pokok"] += b.sisa_pokok
        d["tunggakan_pokok"] += b.tunggakan_pokok
        d["tunggakan_jasa"] += b.tunggakan_jasa
        d["denda"] += b.denda
        d["npl"] += b.sisa_pokok if b.npl else 0
    return sorted(g.values(), key=lambda d: d["nama"])


def laporan_bulanan(unit: Unit, tahun: int, bulan: int) -> Laporan:
    """Every figure of the monthly report of ``unit`` for ``tahun``-``bulan``."""
    awal, per = batas_bulan(tahun, bulan)
    lingkup = Pinjaman.objects.filter(unit=unit)
    baris = posisi(per, lingkup)
    info = {
        d["pk"]: d
        for d in lingkup.filter(hari_pencairan__lte=per.toordinal()).values(
            "pk",
            "debitur__nama",
            "debitur__jenis",
            "kecamatan_id",
            "kecamatan__nama",
            "wilayah__nama",
            "produk_id",
            "produk__nama",
            "tanggal_pencairan",
        )
    }
    t = tagihan_realisasi(lingkup, [(awal, per)])[None][0]
    nama_kec = {d["kecamatan_id"]: d["kecamatan__nama"] for d in info.values()}
    tagih_kec = sorted(
        (
            {"nama": nama_kec.get(k, k), **v[0]}
            for k, v in tagihan_realisasi(lingkup, [(awal, per)], per_kecamatan=True).items()
        ),
        key=lambda d: d["nama"],
    )
    lap = Laporan(
        unit=unit,
        tahun=tahun,
        bulan=bulan,
        awal=awal,
        per=per,
        baris=baris,
        info=info,
        per_kecamatan=_kelompok(baris, info, "kecamatan_id", "kecamatan__nama"),
        per_produk=_kelompok(baris, info, "produk_id", "produk__nama"),
        portofolio=portofolio(per, lingkup),
        tagihan=t,
        tagihan_kecamatan=tagih_kec,
        dana=laporan_dana(unit, lingkup, awal, per),
    )
    lap.ringkasan = ringkasan(baris)
    return lap
