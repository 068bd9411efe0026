"""Compliance: met / (met + breached) and the working time used as a share of the limit (median,
90th percentile), per SOP, step, office or officer. Tracked, finished steps only (untracked
limits stay out of the figures). Everything is aggregated in SQL, never in a loop over log rows:

* ``kepatuhan(qs, dimensi=...)``: exact, from step-log rows (a ``Jejak`` queryset): GROUP BY,
  and ``percentile_cont`` on PostgreSQL; elsewhere the same linear interpolation between order
  statistics, from a per-group histogram with window functions (``persentil_histogram``);
* ``kepatuhan_ringkas(dimensi=..., unit_ids=...)``: from the summary rows the database keeps
  current (``sop.RingkasKepatuhan``, ADR 0019): a few thousand rows whatever the size of the log.
  The percentiles are taken over the shares rounded to 0.1 percentage point, so they lie within
  0.05 of the exact ones (shown to one decimal);
* ``kepatuhan_lingkup(user, dimensi=...)``: what the page shows a user: the summary on PostgreSQL
  (where the triggers keep it), the log rows elsewhere (SQLite, small data).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from .models import Jejak, Langkah, RingkasKepatuhan, Sop, Unit

# dimension -> (step-log field it groups by, summary column)
DIMENSI = {
    "sop": ("sop__kode", "sop_id"),
    "langkah": ("langkah_id", "langkah_id"),
    "unit": ("unit__kode", "unit_id"),
    "petugas": ("user__username", "user_id"),
}
PERSENTIL = (Fraction(1, 2), Fraction(9, 10))


@dataclass
class Baris:
    kunci: str
    label: str
    tepat: int = 0
    lewat: int = 0
    median_persen: float | None = None
    p90_persen: float | None = None

    @property
    def total(self) -> int:
        return self.tepat + self.lewat

    @property
    def kepatuhan(self) -> float | None:
        return round(100 * self.tepat / self.total, 1) if self.total else None


def ringkasan_tersedia() -> bool:
    """The summary tables are kept by PostgreSQL triggers (migrations); elsewhere read the log."""
    return connection.vendor == "postgresql"


# --------------------------------------------------------------------------- percentiles
class PersentilCont(Aggregate):
    """PostgreSQL ``percentile_cont(p) WITHIN GROUP (ORDER BY expr)``."""

    function = "percentile_cont"
    template = "%(function)s(%(p)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()

    def __init__(self, expression, p: Fraction, **extra):
        super().__init__(expression, p=float(p), **extra)


def persentil_histogram(
    qs: QuerySet, *, grup: str, nilai: str, jumlah: str, ps: Iterable[Fraction] = PERSENTIL
) -> dict:
    """``percentile_cont`` of each group's multiset, given as rows (group, value, count).

    ``qs`` is a histogram: ``.values(grup, nilai).annotate(jumlah=...)`` (the number of rows with
    that value: ``Count("id")`` over log rows, ``Sum("n")`` over summary rows). One SQL
    statement: running sums per group (window functions), then for each p the values at ranks
    floor(p(N-1)) and the next one, picked by conditional MIN; the interpolation between the two
    is done here. Rank arithmetic is in integers (p as a fraction), identical on every database.
    Returns {group: [percentile for each p]}.
    """
    ps = list(ps)
    sql, params = qs.order_by().query.sql_with_params()
    qn = connection.ops.quote_name
    kolom = []
    for i, p in enumerate(ps):
        k = f"(({p.numerator} * (total - 1)) / {p.denominator})"
        k1 = f"(CASE WHEN {k} + 1 > total - 1 THEN total - 1 ELSE {k} + 1 END)"
        kolom.append(f"MIN(CASE WHEN sebelum + n > {k} THEN v END) AS a{i}")
        kolom.append(f"MIN(CASE WHEN sebelum + n > {k1} THEN v END) AS b{i}")
        kolom.append(f"(({p.numerator} * (total - 1)) %% {p.denominator}) AS s{i}")
    # names from our own annotations, values are parameters of the inner query
    teks = f"""
        WITH h AS ({sql}),
        c AS (
            SELECT {qn(grup)} AS g, {qn(nilai)} AS v, CAST({qn(jumlah)} AS BIGINT) AS n,
                CAST(SUM({qn(jumlah)}) OVER (PARTITION BY {qn(grup)} ORDER BY {qn(nilai)}
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT)
                    - CAST({qn(jumlah)} AS BIGINT) AS sebelum,
                CAST(SUM({qn(jumlah)}) OVER (PARTITION BY {qn(grup)}) AS BIGINT) AS total
            FROM h
        )
        SELECT g, {", ".join(kolom)} FROM c GROUP BY g, total
    """  # noqa: S608
    hasil = {}
    with connection.cursor() as c:
        c.execute(teks, params)
        for row in c.fetchall():
            nilai_p = []
            for i, p in enumerate(ps):
                a, b, s = row[1 + 3 * i : 4 + 3 * i]
                nilai_p.append(
                    None if a is None else float(a) + (float(b) - float(a)) * s / p.denominator
                )
            hasil[row[0]] = nilai_p
    return hasil


def _bulat(x: float | None, skala: float = 1.0) -> float | None:
    return None if x is None else round(x / skala, 1)


# --------------------------------------------------------------------------- labels
def _label(dimensi: str, kunci: Iterable) -> dict:
    kunci = [k for k in kunci if k is not None]
    if dimensi == "sop":
        hasil = {}
        for kode, nama in (
            Sop.objects.filter(kode__in=kunci)
            .order_by("kode", "revisi")
            .values_list("kode", "nama")
        ):
            hasil[kode] = nama  # the newest revision's name
        return hasil
    if dimensi == "langkah":
        return dict(Langkah.objects.filter(pk__in=kunci).values_list("pk", "kegiatan"))
    if dimensi == "unit":
        return dict(Unit.objects.filter(kode__in=kunci).values_list("kode", "nama"))
    from django.contrib.auth import get_user_model

    return {
        u: (n or u)
        for u, n in get_user_model()
        .objects.filter(username__in=kunci)
        .values_list("username", "first_name")
    }


def _urut(rows) -> list[Baris]:
    return sorted(rows, key=lambda b: (b.kepatuhan if b.kepatuhan is not None else 101, b.label))


# --------------------------------------------------------------------------- from the log
def persen_jejak():
    """The share of the limit a finished step used, in percent (NULL without allowed minutes)."""
    return Case(
        When(
            menit_batas__gt=0,
            then=ExpressionWrapper(
                Value(100.0) * Coalesce(F("menit_kerja"), 0) / F("menit_batas"),
                output_field=FloatField(),
            ),
        ),
        default=None,
        output_field=FloatField(),
    )


def kepatuhan(qs=None, *, dimensi: str = "sop") -> list[Baris]:
    """Exact compliance of the step-log rows ``qs`` (default: all), grouped by ``dimensi``."""
    kunci_f = DIMENSI[dimensi][0]
    qs = (qs if qs is not None else Jejak.objects.all()).filter(terlambat__isnull=False)
    hitung = (
        qs.order_by()
        .values(kunci_f)
        .annotate(
            tepat=Count("id", filter=Q(terlambat=False)),
            lewat=Count("id", filter=Q(terlambat=True)),
        )
    )
    if connection.vendor == "postgresql":
        ada = Q(menit_batas__gt=0)
        hitung = hitung.annotate(
            median=PersentilCont(persen_jejak(), PERSENTIL[0], filter=ada),
            p90=PersentilCont(persen_jejak(), PERSENTIL[1], filter=ada),
        )
        persen = {r[kunci_f]: [r["median"], r["p90"]] for r in hitung}
    else:
        hist = (
            qs.filter(menit_batas__gt=0)
            .annotate(_g=Cast(kunci_f, CharField()), _v=persen_jejak())
            .values("_g", "_v")
            .annotate(_k=Count("id"))
        )
        persen = persentil_histogram(hist, grup="_g", nilai="_v", jumlah="_k")
    label = _label(dimensi, [r[kunci_f] for r in hitung])
    rows = []
    for r in hitung:
        k = r[kunci_f]
        med, p90 = persen.get(k) or persen.get(str(k)) or [None, None]
        rows.append(
            Baris(
                str(k),
                str(label.get(k) or k)[:120],
                r["tepat"],
                r["lewat"],
                _bulat(med),
                _bulat(p90),
            )
        )
    return _urut(rows)


# --------------------------------------------------------------------------- from the summary
def _grup_ringkas(dimensi: str, qs: QuerySet):
    """(group expression over summary rows, {group value: key shown}) for ``dimensi``."""
    kolom = DIMENSI[dimensi][1]
    ids = sorted(set(qs.order_by().values_list(kolom, flat=True).distinct()))
    if dimensi == "sop":
        kode = dict(Sop.objects.filter(pk__in=ids).values_list("pk", "kode"))
        urut = sorted(set(kode.values()))
        nomor = {k: i for i, k in enumerate(urut)}
        expr = Case(
            *[
                When(sop_id__in=[s for s, k in kode.items() if k == kd], then=Value(nomor[kd]))
                for kd in urut
            ],
            default=Value(-1),
            output_field=IntegerField(),
        )
        return expr, {nomor[k]: k for k in urut}
    if dimensi == "unit":
        return F("unit_id"), dict(Unit.objects.filter(pk__in=ids).values_list("pk", "kode"))
    if dimensi == "petugas":
        from django.contrib.auth import get_user_model

        return F("user_id"), dict(
            get_user_model().objects.filter(pk__in=ids).values_list("pk", "username")
        )
    return F("langkah_id"), {i: i for i in ids}


def kepatuhan_ringkas(
    *, dimensi: str = "sop", unit_ids: Iterable[int] | None = None
) -> list[Baris]:
    """Compliance from the summary rows, restricted to the offices ``unit_ids`` (None: all)."""
    qs = RingkasKepatuhan.objects.all()
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    expr, kunci_per = _grup_ringkas(dimensi, qs)
    qs = qs.annotate(_g=expr)
    hitung = (
        qs.order_by()
        .values("_g")
        .annotate(
            tepat=Coalesce(Sum("n", filter=Q(terlambat=False)), 0),
            lewat=Coalesce(Sum("n", filter=Q(terlambat=True)), 0),
        )
    )
    persen = persentil_histogram(
        qs.filter(persen10__gte=0)
        .annotate(_v=F("persen10"))
        .values("_g", "_v")
        .annotate(_k=Sum("n")),
        grup="_g",
        nilai="_v",
        jumlah="_k",
    )
    kunci = {r["_g"]: kunci_per.get(r["_g"]) for r in hitung}
    label = _label(dimensi, kunci.values())
    rows = []
    for r in hitung:
        k = kunci[r["_g"]]
        if k is None:  # the system actor (no office / officer) or a deleted one
            continue
        med, p90 = persen.get(r["_g"], [None, None])
        rows.append(
            Baris(
                str(k),
                str(label.get(k) or k)[:120],
                int(r["tepat"]),
                int(r["lewat"]),
                _bulat(med, 10),
                _bulat(p90, 10),
            )
        )
    return _urut(rows)


# --------------------------------------------------------------------------- by user scope
def unit_lingkup(user) -> list[int] | None:
    """Offices whose region lies inside a region the user is assigned to (None: all, superuser)."""
    from .selectors import penugasan_aktif, q_wilayah

    if user.is_superuser:
        return None
    kodes = sorted({t.wilayah_kode for t in penugasan_aktif(user)})
    if not kodes:
        return []
    q = Q()
    for k in kodes:
        q |= q_wilayah(k)
    return list(Unit.objects.filter(q).values_list("pk", flat=True))


def jejak_lingkup(user) -> QuerySet:
    """Step-log rows written by offices inside the user's regions."""
    units = unit_lingkup(user)
    qs = Jejak.objects.all()
    return qs if units is None else qs.filter(unit_id__in=units)


def kepatuhan_lingkup(user, *, dimensi: str = "sop") -> list[Baris]:
    """The compliance table ``user`` may see: steps finished by offices in the user's regions."""
    if ringkasan_tersedia():
        return kepatuhan_ringkas(dimensi=dimensi, unit_ids=unit_lingkup(user))
    return kepatuhan(jejak_lingkup(user), dimensi=dimensi)


# --------------------------------------------------------------------------- export
def kepatuhan_xlsx(tabel: dict[str, list[Baris]]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    judul = {
        "sop": "Per SOP",
        "langkah": "Per langkah",
        "unit": "Per kantor",
        "petugas": "Per petugas",
    }
    for dim, rows in tabel.items():
        ws = wb.add_worksheet(judul.get(dim, dim))
        ws.write_row(
            0,
            0,
            [
                "Kode",
                "Nama",
                "Tepat waktu",
                "Lewat tenggat",
                "Kepatuhan (%)",
                "Median waktu (% batas)",
                "Persentil 90 (% batas)",
            ],
            bold,
        )
        for i, b in enumerate(rows, start=1):
            ws.write_string(i, 0, b.kunci)
            ws.write_string(i, 1, b.label)
            ws.write_row(i, 2, [b.tepat, b.lewat])
            for c, v in ((4, b.kepatuhan), (5, b.median_persen), (6, b.p90_persen)):
                if v is not None:
                    ws.write_number(i, c, v)
        ws.set_column(0, 1, 30)
        ws.set_column(2, 6, 16)
    wb.close()
    return buf.getvalue()
