"""The SLA sweep: set-based, idempotent. Run by `manage.py sop_sla` and the periodic task.

1. warn the performers of open steps past 75 % of their limit: one immutable Peringatan row per
   step (a narrow table of its own, so the wide clock rows are not rewritten);
2. mark steps past their due time as breached (``dilanggar = now``), write one immutable
   Pelanggaran per step and tell performers and their superiors (one digest per user per sweep);
3. fire the timed transitions of steps past their due time, as the system actor: the ones an
   SOP step declares (``Langkah.saat_kedaluwarsa``) and the ones a model declares
   (``langkah_transisi(..., kedaluwarsa=True)``);
4. run the domain sweeps the modules register (``Modul.sapuan``), each in its own transaction.

Clocks of external steps (applicant, bank, ministry: ``eksternal``) are stamped in phase 2 so
their timed transitions fire, but get no warning, no Pelanggaran and no notification: they never
count against an officer (docs/adr/0009).

A breach stamps the sweep's own ``now`` and a warning is a unique row (inserted with ON CONFLICT
DO NOTHING), so a second run finds nothing new: nothing is told twice. Overlapping runs on
PostgreSQL: the whole sweep holds a session advisory lock taken with ``pg_try_advisory_lock``; a
second run that finds it held skips at once and says so. On PostgreSQL steps 1 and 2 are one
statement (CTEs over the partial indexes lb_terbuka_tenggat / lb_terbuka_peringatan,
bench/sla_sweep.py measures it); elsewhere (SQLite) separate statements. Breaches never approve
anything (docs/adr/0004).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Q
from django.tasks import task
from django.utils import timezone

from .models import Langkah, LangkahBerjalan, Pelanggaran, Penugasan, Peringatan
from .selectors import memuat, model_terikat

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
    RETURNING id, tenggat, langkah_id, wilayah_id, eksternal
), pelanggaran AS (
    INSERT INTO {pl} (langkah_berjalan_id, tenggat, tercatat)
    SELECT id, tenggat, %(now)s FROM u WHERE NOT eksternal
    ON CONFLICT (langkah_berjalan_id) DO NOTHING
), w AS (
    SELECT lb.id, lb.langkah_id, lb.wilayah_id FROM {lb} lb
    WHERE lb.selesai IS NULL AND lb.dijeda_sejak IS NULL AND lb.dilanggar IS NULL
        AND lb.peringatan_pada <= %(now)s AND lb.tenggat > %(now)s AND NOT lb.eksternal
        AND NOT EXISTS (SELECT 1 FROM {pr} p WHERE p.langkah_berjalan_id = lb.id)
), peringatan AS (
    INSERT INTO {pr} (langkah_berjalan_id, tercatat) SELECT id, %(now)s FROM w
    ON CONFLICT (langkah_berjalan_id) DO NOTHING
)
SELECT langkah_id, wilayah_id, count(*) FILTER (WHERE jenis = 'w'),
    count(*) FILTER (WHERE jenis = 'u')
FROM (SELECT langkah_id, wilayah_id, 'u' AS jenis FROM u WHERE NOT eksternal
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
    AND lb.peringatan_pada <= %s AND lb.tenggat > %s AND NOT lb.eksternal
    AND NOT EXISTS (SELECT 1 FROM {pr} p WHERE p.langkah_berjalan_id = lb.id)
ON CONFLICT (langkah_berjalan_id) DO NOTHING
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
    dilanggar = Pelanggaran.objects.filter(tercatat=now).count() if dilanggar else 0
    for nama, n, filt in (
        ("diperingatkan", diperingatkan, {"peringatan__tercatat": now}),
        ("dilanggar", dilanggar, {"dilanggar": now, "eksternal": False}),
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
            f"SELECT id, tenggat, %s FROM {lb} WHERE dilanggar = %s AND NOT eksternal "
            "ON CONFLICT (langkah_berjalan_id) DO NOTHING",
            [v, v],
        )
        return c.rowcount


KUNCI_SAPUAN = 0x534F50534C41  # "SOPSLA": the advisory lock key of the whole sweep


@contextmanager
def _kunci_sapuan():
    """Yield True when this process holds the sweep's lock (PostgreSQL advisory lock across
    hosts and processes; other databases run one writer at a time anyway), else False."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as c:
        c.execute("SELECT pg_try_advisory_lock(%s)", [KUNCI_SAPUAN])
        dapat = c.fetchone()[0]
    try:
        yield dapat
    finally:
        if dapat:
            with connection.cursor() as c:
                c.execute("SELECT pg_advisory_unlock(%s)", [KUNCI_SAPUAN])


def sapu(now: datetime | None = None, *, transisi: bool = True, domain: bool = True) -> dict:
    """One sweep. Returns counts: diperingatkan, dilanggar, notifikasi, transisi, gagal,
    tidak_berlaku (timed transitions whose conditions did not hold), ``sapuan`` (the counts of
    each domain sweep by its dotted path) and ``dilewati`` (1 when another sweep held the lock
    and this one did nothing)."""
    now = now or timezone.now()
    hasil = {
        "diperingatkan": 0,
        "dilanggar": 0,
        "notifikasi": 0,
        "transisi": 0,
        "gagal": 0,
        "tidak_berlaku": 0,
        "dilewati": 0,
        "sapuan": {},
    }
    with _kunci_sapuan() as dapat:
        if not dapat:
            hasil["dilewati"] = 1
            log.info("sop_sla: another sweep holds the lock; skipped")
            return hasil
        _sapu_engine(now, hasil)
        if transisi:
            hasil["transisi"], hasil["gagal"], hasil["tidak_berlaku"] = _transisi_kedaluwarsa(now)
        if domain:
            hasil["sapuan"] = _sapuan_domain(now)
    return hasil


def _sapu_engine(now: datetime, hasil: dict) -> None:
    from .notifikasi import buat_notifikasi

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


def transisi_kedaluwarsa_model(model) -> dict[str, list[str]]:
    """step code -> names of the transitions ``model`` declares ``kedaluwarsa=True`` for it."""
    hasil: dict[str, list[str]] = {}
    for nama in dir(model):
        meta = getattr(getattr(model, nama, None), "_django_fsm", None)
        if meta is None:
            continue
        for t in meta.transitions.values():
            if t.custom.get("kedaluwarsa") and t.custom.get("langkah"):
                hasil.setdefault(t.custom["langkah"], [])
                if nama not in hasil[t.custom["langkah"]]:
                    hasil[t.custom["langkah"]].append(nama)
    return hasil


def _transisi_kedaluwarsa(now: datetime) -> tuple[int, int, int]:
    """Fire the timed transitions of every open clock past its due time (stamped ``dilanggar``):
    the step's ``saat_kedaluwarsa`` and the model's ``kedaluwarsa=True`` transitions. Open clocks
    only, so a transition that fired (and closed its clock) is never fired twice, and one that
    failed is retried by the next sweep. Found through the partial index lb_terbuka_lewat."""
    from .engine import GagalTransisi, jalankan

    per_model: dict[int, tuple[type, dict[str, list[str]]]] = {}
    q = Q(langkah__saat_kedaluwarsa__gt="")
    for model in model_terikat():
        kode = transisi_kedaluwarsa_model(model)
        if kode:
            ct_id = ContentType.objects.get_for_model(model).pk
            per_model[ct_id] = (model, kode)
            q |= Q(content_type_id=ct_id, langkah__kode__in=list(kode))
    rows = (
        LangkahBerjalan.objects.filter(selesai__isnull=True, dilanggar__isnull=False)
        .filter(q)
        .values_list("content_type_id", "object_id", "langkah__kode", "langkah__saat_kedaluwarsa")
        .order_by("tenggat", "id")
    )
    ok = gagal = tidak = 0
    for ct_id, obj_id, kode, data_nama in rows.iterator():
        model = per_model.get(ct_id, (ContentType.objects.get_for_id(ct_id).model_class(), {}))[0]
        nama_list = ([data_nama] if data_nama else []) + per_model.get(ct_id, (None, {}))[1].get(
            kode, []
        )
        try:
            obj = model._default_manager.get(pk=obj_id)
        except model.DoesNotExist:
            gagal += 1
            continue
        hasil_baris = "tidak"
        for nama in nama_list:
            method = getattr(obj, nama, None)
            if method is None:
                hasil_baris = "gagal"
                log.warning("timed transition %s missing on %s", nama, model.__name__)
                continue
            meta = getattr(type(obj), nama)._django_fsm
            status = getattr(obj, obj.STATUS_FIELD)
            if not meta.has_transition(status) or not meta.conditions_met(obj, status):
                continue
            try:
                jalankan(
                    method, user=None, now=now, catatan="Otomatis: batas waktu langkah terlampaui."
                )
                hasil_baris = "ok"
            except GagalTransisi as e:
                hasil_baris = "gagal"
                log.warning("timed transition %s on %s/%s failed: %s", nama, ct_id, obj_id, e)
            break
        if hasil_baris == "ok":
            ok += 1
        elif hasil_baris == "gagal":
            gagal += 1
        else:
            tidak += 1
    return ok, gagal, tidak


def _sapuan_domain(now: datetime) -> dict[str, dict]:
    """Run each module's registered sweep in its own transaction (``Modul.sapuan``)."""
    from .modul import semua_modul

    hasil: dict[str, dict] = {}
    for m in semua_modul():
        for nama, fungsi in m.fungsi_sapuan():
            try:
                with transaction.atomic():
                    hasil[nama] = {k: int(v) for k, v in (fungsi(now) or {}).items()}
            except Exception:  # a broken domain sweep must not stop the others
                log.exception("domain sweep %s failed", nama)
                hasil[nama] = {"gagal": 1}
    return hasil


@task()
def sapu_sla_task() -> dict:
    """The periodic form of the sweep (enqueue from cron / a scheduler; see docs/deployment.md)."""
    return sapu()
