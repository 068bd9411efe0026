"""Service performance: volume, on time, median office minutes against the promise.

Every figure is an aggregate in SQL over the request rows (each finished request carries its
office minutes and on-time flag, stored once when the office's work ended) or over the step log;
a fixed number of queries whatever the volume. Medians come from a histogram of the
integer minutes with running sums in SQL (``sop.laporan.persentil_histogram``), on every database:
the mean of the two middle values for an even count, which is what ``percentile_cont``
interpolates to.

Periods are local dates of the office (``dari`` and ``sampai`` inclusive).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from sop.jadwal import jadwal_unit
from sop.laporan import persentil_histogram
from sop.models import Jejak

from .models import JenisLayanan, Permohonan
from .sop_info import jangka_waktu_sop


def bulat(x) -> int | None:
    """Half-up rounding to whole minutes (None stays None)."""
    if x is None:
        return None
    return int(Decimal(str(x)).quantize(Decimal(1), ROUND_HALF_UP))


def rentang(unit, dari: dt.date, sampai: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) instants of the local dates dari..sampai in the office's zone."""
    tz = ZoneInfo(jadwal_unit(unit).zona)
    a = dt.datetime.combine(dari, dt.time.min, tzinfo=tz)
    b = dt.datetime.combine(sampai + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return a, b


MEDIAN = (Fraction(1, 2),)


def median_per(qs, kunci: str, nilai: str) -> dict:
    """{group key: median of ``nilai``} over ``qs`` (rows with ``nilai`` NULL ignored), one
    query: the rows grouped by (key, value) into a histogram, the median picked from its running
    sums in SQL (``sop.laporan.persentil_histogram``: the same value as ``percentile_cont(0.5)``,
    the mean of the two middle values for an even count, on every database). Grouping the
    integer minutes is a hash aggregate of a few hundred rows per group instead of sorting every
    row (3x faster over 250,000 requests, bench/README.md)."""
    h = (
        qs.filter(**{f"{nilai}__isnull": False})
        .order_by()
        .values(kunci, nilai)
        .annotate(_jumlah=Count("pk"))
    )
    return {
        g: m[0]
        for g, m in persentil_histogram(
            h, grup=kunci, nilai=nilai, jumlah="_jumlah", ps=MEDIAN
        ).items()
    }


def kelompok(qs, kunci: str, hitung: dict, median: tuple[str, ...]) -> dict:
    """{group key: {name: value}} of grouped counts (``hitung``: name -> Count expression) and
    medians (``m_<column>``) of the ``median`` columns: one grouped query for the counts, one
    histogram query per median column (``median_per``)."""
    hasil = {r[kunci]: r for r in qs.order_by().values(kunci).annotate(**hitung)}
    for k in median:
        for g, m in median_per(qs, kunci, k).items():
            if g in hasil:
                hasil[g][f"m_{k}"] = m
    return hasil


@dataclass
class BarisLayanan:
    layanan: str
    kode: str
    masuk: int = 0
    selesai: int = 0
    tepat_waktu: int = 0
    terlambat: int = 0
    median_menit: int | None = None
    janji_menit: int | None = None

    @property
    def persen_tepat(self) -> float | None:
        n = self.tepat_waktu + self.terlambat
        return None if not n else 100.0 * self.tepat_waktu / n

    def as_json(self) -> dict:
        return {
            "layanan": self.layanan,
            "masuk": self.masuk,
            "selesai": self.selesai,
            "tepat_waktu": self.tepat_waktu,
            "terlambat": self.terlambat,
            "median_menit": self.median_menit,
            "janji_menit": self.janji_menit,
        }


def janji_layanan(j: JenisLayanan) -> int | None:
    """The promise of a service in office minutes when its limits are all in minutes."""
    sop = j.sop_berlaku()
    if sop is None:
        return None
    jw = jangka_waktu_sop(sop)
    return jw.menit if jw.hanya_menit and jw.menit else None


def per_layanan(unit, dari: dt.date, sampai: dt.date) -> list[BarisLayanan]:
    """One row per active service of ``unit``: received in the period, finished in the period
    (office work done), of those on time / late, median office minutes, the promise."""
    a, b = rentang(unit, dari, sampai)
    layanan = list(JenisLayanan.objects.filter(unit=unit, aktif=True).order_by("urutan", "nama"))
    from sop.models import Sop

    berlaku = dict(
        Sop.objects.berlaku()
        .filter(kode__in={j.sop_kode for j in layanan})
        .values_list("kode", "pk")
    )
    for j in layanan:
        j.isi_sop(berlaku.get(j.sop_kode))
    hasil = {j.pk: BarisLayanan(j.nama, j.kode, janji_menit=janji_layanan(j)) for j in layanan}
    dasar = Permohonan.objects.filter(unit=unit)
    for jid, n in (
        dasar.filter(diterima_pada__gte=a, diterima_pada__lt=b)
        .order_by()
        .values("jenis_id")
        .annotate(n=Count("pk"))
        .values_list("jenis_id", "n")
    ):
        if jid in hasil:
            hasil[jid].masuk = n
    selesai = dasar.filter(selesai_pada__gte=a, selesai_pada__lt=b)
    per = kelompok(
        selesai,
        "jenis_id",
        {
            "n": Count("pk"),
            "ok": Count("pk", filter=Q(tepat_waktu=True)),
            "telat": Count("pk", filter=Q(tepat_waktu=False)),
        },
        # the requests' own promises only where the service's limits are not all in minutes
        ("menit_kantor",)
        + (("janji_menit",) if any(h.janji_menit is None for h in hasil.values()) else ()),
    )
    for jid, r in per.items():
        if jid not in hasil:
            continue
        h = hasil[jid]
        h.selesai, h.tepat_waktu, h.terlambat = r["n"], r["ok"], r["telat"]
        h.median_menit = bulat(r.get("m_menit_kantor"))
        if h.janji_menit is None:  # limits in days: the median of the requests' own promises
            h.janji_menit = bulat(r.get("m_janji_menit"))
    return [hasil[j.pk] for j in layanan]


@dataclass
class BarisPetugas:
    user_id: int
    nama: str
    langkah: int = 0
    tepat_waktu: int = 0
    terlambat: int = 0
    median_menit: int | None = None
    median_batas: int | None = None

    @property
    def persen_tepat(self) -> float | None:
        n = self.tepat_waktu + self.terlambat
        return None if not n else 100.0 * self.tepat_waktu / n


def per_petugas(unit, dari: dt.date, sampai: dt.date) -> list[BarisPetugas]:
    """The office's own timed steps done by each officer of ``unit`` in the period: count, on
    time, median minutes used against the median limit. Outside steps (recorded for the
    applicant, OSS or the ministry) and untracked ones have no 'late' value and are left out."""
    from django.contrib.auth import get_user_model

    a, b = rentang(unit, dari, sampai)
    qs = Jejak.objects.filter(
        content_type=ContentType.objects.get_for_model(Permohonan),
        unit=unit,
        selesai__gte=a,
        selesai__lt=b,
        terlambat__isnull=False,
        user__isnull=False,
    )
    baris = {}
    per = kelompok(
        qs,
        "user_id",
        {
            "n": Count("pk"),
            "ok": Count("pk", filter=Q(terlambat=False)),
            "telat": Count("pk", filter=Q(terlambat=True)),
        },
        ("menit_kerja", "menit_batas"),
    )
    for uid, r in per.items():
        baris[uid] = BarisPetugas(
            uid,
            "",
            r["n"],
            r["ok"],
            r["telat"],
            bulat(r.get("m_menit_kerja")),
            bulat(r.get("m_menit_batas")),
        )
    User = get_user_model()
    for u in User.objects.filter(pk__in=baris).only("username", "first_name", "last_name"):
        baris[u.pk].nama = u.get_full_name() or u.username
    return sorted(baris.values(), key=lambda r: (-r.langkah, r.nama))


@dataclass
class BarisBulan:
    bulan: dt.date
    masuk: int = 0
    selesai: int = 0
    tepat_waktu: int = 0
    terlambat: int = 0

    @property
    def persen_tepat(self) -> float | None:
        n = self.tepat_waktu + self.terlambat
        return None if not n else 100.0 * self.tepat_waktu / n


@dataclass
class Tren:
    bulan: list[BarisBulan] = field(default_factory=list)

    @property
    def maks(self) -> int:
        return max([1, *(max(b.masuk, b.selesai) for b in self.bulan)])


def tren_bulanan(unit, dari: dt.date, sampai: dt.date, *, jenis=None) -> Tren:
    """Per month: received, finished, on time, late (two grouped queries)."""
    a, b = rentang(unit, dari, sampai)
    tz = ZoneInfo(jadwal_unit(unit).zona)
    dasar = Permohonan.objects.filter(unit=unit)
    if jenis is not None:
        dasar = dasar.filter(jenis=jenis)
    bulan: dict[dt.date, BarisBulan] = {}

    def _b(d) -> BarisBulan:
        d = d.date() if isinstance(d, dt.datetime) else d
        return bulan.setdefault(d, BarisBulan(d))

    for m, n in (
        dasar.filter(diterima_pada__gte=a, diterima_pada__lt=b)
        .annotate(m=TruncMonth("diterima_pada", tzinfo=tz))
        .order_by()
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    ):
        _b(m).masuk = n
    for m, n, ok, telat in (
        dasar.filter(selesai_pada__gte=a, selesai_pada__lt=b)
        .annotate(m=TruncMonth("selesai_pada", tzinfo=tz))
        .order_by()
        .values("m")
        .annotate(
            n=Count("pk"),
            ok=Count("pk", filter=Q(tepat_waktu=True)),
            telat=Count("pk", filter=Q(tepat_waktu=False)),
        )
        .values_list("m", "n", "ok", "telat")
    ):
        r = _b(m)
        r.selesai, r.tepat_waktu, r.terlambat = n, ok, telat
    return Tren(sorted(bulan.values(), key=lambda r: r.bulan))
