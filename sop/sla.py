"""The SLA sweep: set-based, idempotent. Run by `manage.py sop_sla` and the periodic task.

1. warn the performers of open steps past 75 % of their limit: one immutable Peringatan row per
   step (a narrow table of its own, so the wide clock rows are not rewritten);
2. mark steps past their due time as breached (``dilanggar = now``), write one immutable
   Pelanggaran per step and tell performers and their superiors (one digest per user per sweep);
3. fire the timed transitions declared on breached steps, as the system actor.

A breach stamps the sweep's own ``now`` and a warning is a unique row, so a second run finds
nothing new: nothing is told twice. On PostgreSQL steps 1 and 2 are one statement (CTEs over the
partial indexes lb_terbuka_tenggat / lb_terbuka_peringatan, bench/sla_sweep.py measures it);
elsewhere (SQLite) separate statements. Breaches never approve anything (docs/adr/0004).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Q
from django.tasks import task
from django.utils import timezone

from .models import Langkah, LangkahBerjalan, Pelanggaran, Penugasan, Peringatan
from .selectors import memuat

log = logging.getLogger(__name__)

TERBUKA = Q(selesai__isnull=True, dijeda_sejak__isnull=True)


class _IndeksPetugas:
    """All active assignments in memory: (role, region) -> users, without a query per step."""

    def __init__(self):
        self.per_peran: dict[int, list[tuple[str, int, frozenset[str]]]] = defaultdict(list)
        qs = Penugasan.objects.aktif().filter(unit__hanya_baca=False).select_related("unit")
        for p in qs.prefetch_related("peran"):
            for r in p.peran.all():
                self.per_peran[r.pk].append(
                    (p.unit.wilayah_id, p.user_id, frozenset(p.unit.layanan or []))
                )

    def users(self, peran_ids, wilayah_kode: str | None) -> set[int]:
        hasil = set()
        for pid in peran_ids:
            for wk, uid, _layanan in self.per_peran.get(pid, ()):
                if wilayah_kode is None or memuat(wk, wilayah_kode):
                    hasil.add(uid)
        return hasil


def _peran_langkah(langkah_ids) -> dict[int, tuple[set[int], set[int]]]:
    """langkah id -> (performer role ids incl. recorders, their superior role ids)."""
    from .engine import pelaku_langkah
    from .models import Pelaksana

    hasil: dict[int, tuple[set[int], set[int]]] = {}
    sop: dict[int, object] = {}
    atasan_dari = dict(
        Pelaksana.objects.filter(atasan__isnull=False).values_list("pk", "atasan_id")
    )
    for lk in (
        Langkah.objects.filter(pk__in=langkah_ids)
        .select_related("sop")
        .prefetch_related("pelaksana")
    ):
        lk.sop = sop.setdefault(lk.sop_id, lk.sop)  # kolom_per_peran() caches on the instance
        peran = pelaku_langkah(lk)
        hasil[lk.pk] = (peran, {atasan_dari[p] for p in peran if p in atasan_dari})
    return hasil


def _penerima(grup, sertakan_atasan: bool) -> dict[int, int]:
    """user id -> number of steps they should hear about; ``grup``: (langkah id, wilayah, n)."""
    grup = [g for g in grup if g[2]]
    if not grup:
        return {}
    peran = _peran_langkah({langkah_id for langkah_id, _w, _n in grup})
    indeks = _IndeksPetugas()
    jumlah: dict[int, int] = defaultdict(int)
    for langkah_id, wilayah_id, n in grup:
        pel, ats = peran.get(langkah_id, (set(), set()))
        users = indeks.users(pel, wilayah_id)
        if sertakan_atasan:
            users |= indeks.users(ats, wilayah_id)
        for u in users:
            jumlah[u] += n
    return jumlah


# (langkah id, wilayah id, number of steps)
Grup = list[tuple[int, str | None, int]]

# Phases 1-2 on PostgreSQL, one statement. ``u``: steps past their due time, stamped breached in
# one write each (the partial index lb_terbuka_tenggat finds them); their Pelanggaran are
# inserted from u. ``w``: steps past 75 % but not due that have no warning yet (partial index
# lb_terbuka_peringatan + the unique index of sop_peringatan for the anti-join); their warning
# rows go into the narrow sop_peringatan table: no rewrite of the wide clock rows. All CTEs see
# the same snapshot, so ``w`` excludes the steps ``u`` breaches by ``tenggat > now``.
_STEMPEL_PG = """
WITH u AS (
    UPDATE {lb} SET dilanggar = %(now)s
    WHERE selesai IS NULL AND dijeda_sejak IS NULL AND dilanggar IS NULL AND tenggat <= %(now)s
    RETURNING id, tenggat, langkah_id, wilayah_id
), pelanggaran AS (
    INSERT INTO {pl} (langkah_berjalan_id, tenggat, tercatat)
    SELECT id, tenggat, %(now)s FROM u
), w AS (
    SELECT lb.id, lb.langkah_id, lb.wilayah_id FROM {lb} lb
    WHERE lb.selesai IS NULL AND lb.dijeda_sejak IS NULL AND lb.dilanggar IS NULL
        AND lb.peringatan_pada <= %(now)s AND lb.tenggat > %(now)s
        AND NOT EXISTS (SELECT 1 FROM {pr} p WHERE p.langkah_berjalan_id = lb.id)
), peringatan AS (
    INSERT INTO {pr} (langkah_berjalan_id, tercatat) SELECT id, %(now)s FROM w
)
SELECT langkah_id, wilayah_id, count(*) FILTER (WHERE jenis = 'w'),
    count(*) FILTER (WHERE jenis = 'u')
FROM (SELECT langkah_id, wilayah_id, 'u' AS jenis FROM u
      UNION ALL SELECT langkah_id, wilayah_id, 'w' FROM w) x
GROUP BY langkah_id, wilayah_id
"""


def _tabel() -> dict[str, str]:
    return {
        "lb": LangkahBerjalan._meta.db_table,
        "pl": Pelanggaran._meta.db_table,
        "pr": Peringatan._meta.db_table,
    }


def _stempel_pg(now: datetime) -> tuple[int, int, dict[str, Grup]]:
    """Breach, warn and group in one statement. Returns the number of steps warned, the number
    breached, and the groups of each digest."""
    with connection.cursor() as c:
        c.execute(
            _STEMPEL_PG.format(**_tabel()), {"now": connection.ops.adapt_datetimefield_value(now)}
        )
        rows = c.fetchall()
    grup = {
        "diperingatkan": [(lk, w, n) for lk, w, n, _l in rows],
        "dilanggar": [(lk, w, n) for lk, w, _p, n in rows],
    }
    return sum(r[2] for r in rows), sum(r[3] for r in rows), grup


_PERINGATAN_ORM = """
INSERT INTO {pr} (langkah_berjalan_id, tercatat)
SELECT lb.id, %s FROM {lb} lb
WHERE lb.selesai IS NULL AND lb.dijeda_sejak IS NULL AND lb.dilanggar IS NULL
    AND lb.peringatan_pada <= %s AND lb.tenggat > %s
    AND NOT EXISTS (SELECT 1 FROM {pr} p WHERE p.langkah_berjalan_id = lb.id)
"""


def _stempel_orm(now: datetime) -> tuple[int, int, dict[str, Grup]]:
    """The same as _stempel_pg for other databases (SQLite), in separate statements."""
    dilanggar = LangkahBerjalan.objects.filter(
        TERBUKA, dilanggar__isnull=True, tenggat__lte=now
    ).update(dilanggar=now)
    if dilanggar:
        _insert_pelanggaran(now)
    v = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as c:
        c.execute(_PERINGATAN_ORM.format(**_tabel()), [v, v, v])
    diperingatkan = Peringatan.objects.filter(tercatat=now).count()
    grup: dict[str, Grup] = {}
    for nama, n, filt in (
        ("diperingatkan", diperingatkan, {"peringatan__tercatat": now}),
        ("dilanggar", dilanggar, {"dilanggar": now}),
    ):
        qs = LangkahBerjalan.objects.filter(**filt).values_list("langkah_id", "wilayah_id")
        grup[nama] = list(qs.annotate(n=Count("id")).order_by()) if n else []
    return diperingatkan, dilanggar, grup


def _insert_pelanggaran(now: datetime) -> int:
    lb = LangkahBerjalan._meta.db_table
    pl = Pelanggaran._meta.db_table
    v = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as c:
        c.execute(
            f"INSERT INTO {pl} (langkah_berjalan_id, tenggat, tercatat) "  # noqa: S608 - table names from _meta
            f"SELECT id, tenggat, %s FROM {lb} WHERE dilanggar = %s",
            [v, v],
        )
        return c.rowcount


def sapu(now: datetime | None = None, *, transisi: bool = True) -> dict:
    """One sweep. Returns counts: diperingatkan, dilanggar, notifikasi, transisi, gagal."""
    from .notifikasi import buat_notifikasi

    now = now or timezone.now()
    hasil = {"diperingatkan": 0, "dilanggar": 0, "notifikasi": 0, "transisi": 0, "gagal": 0}
    with transaction.atomic():
        stempel_fn = _stempel_pg if connection.vendor == "postgresql" else _stempel_orm
        hasil["diperingatkan"], hasil["dilanggar"], grup = stempel_fn(now)
        stempel = now.isoformat()
        for field, atasan, judul in (
            ("diperingatkan", False, "Peringatan: {n} langkah sudah memakai 75% batas waktunya"),
            ("dilanggar", True, "Lewat tenggat: {n} langkah melewati batas waktu SOP"),
        ):
            if not hasil[field]:
                continue
            for user_id, n in _penerima(grup[field], atasan).items():
                hasil["notifikasi"] += buat_notifikasi(
                    [user_id],
                    judul=judul.format(n=n),
                    isi="Buka papan Lewat Tenggat untuk rinciannya.",
                    url="/sop/lewat-tenggat/",
                    kunci=f"sla:{field}:{stempel}",
                )
    if transisi and hasil["dilanggar"]:
        t, g = _transisi_kedaluwarsa(now)
        hasil["transisi"], hasil["gagal"] = t, g
    return hasil


def _transisi_kedaluwarsa(now: datetime) -> tuple[int, int]:
    from .engine import GagalTransisi, jalankan

    ok = gagal = 0
    rows = (
        LangkahBerjalan.objects.filter(dilanggar=now)
        .exclude(langkah__saat_kedaluwarsa="")
        .select_related("langkah")
        .values_list("content_type_id", "object_id", "langkah__saat_kedaluwarsa")
    )
    for ct_id, obj_id, nama in rows.iterator():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        try:
            obj = model._default_manager.get(pk=obj_id)
            jalankan(
                getattr(obj, nama),
                user=None,
                now=now,
                catatan="Otomatis: batas waktu langkah terlampaui.",
            )
            ok += 1
        except (GagalTransisi, model.DoesNotExist, AttributeError) as e:
            gagal += 1
            log.warning("timed transition %s on %s/%s failed: %s", nama, ct_id, obj_id, e)
    return ok, gagal


@task()
def sapu_sla_task() -> dict:
    """The periodic form of the sweep (enqueue from cron / a scheduler; see docs/deployment.md)."""
    hasil = sapu()
    return {k: int(v) for k, v in hasil.items()}
