"""Bulk transitions and bulk creation on the engine's terms (many records, one batch).

``sop.engine.jalankan`` locks, checks and logs one record at a time (about ten queries each).
Sending a rekap of 500 proposals or importing 100,000 rows does the same checks once per batch and
writes the step log (``Jejak``) and the clocks (``LangkahBerjalan``) with bulk operations:

* the records are locked by the caller (``select_for_update``) and must all be in a source state
  of the transition (else ``Konflik`` naming the first one that is not);
* every record passes the engine's one guard (``sop.engine.periksa``: system actor, role and
  region, reason, required inputs, domain conditions) with the same messages as ``jalankan``,
  prefixed by the record's number; role lookups are remembered per (region, step);
* the transition's conditions run per record (django-fsm runs them when the method is called);
* clocks are closed/started, paused or resumed with the same arithmetic as ``jalankan``
  (``sop.jam``); due times are computed once per (step, office) because ``now`` is shared;
* one ``Jejak`` per record (``sisip_massal``: one multi-row INSERT per batch), one
  notification per batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from . import jam as jm
from .engine import GagalTransisi, Konflik, StatusTidakMengizinkan, label_transisi, periksa
from .models import Jejak, LangkahBerjalan, Sop
from .models.definisi import sop_siap

POTONGAN = 500  # ids per IN (...) query: below every backend's parameter limit


def potong(xs: list, n: int = POTONGAN) -> Iterable[list]:
    for i in range(0, len(xs), n):
        yield xs[i : i + n]


def sisip_massal(model, baris: Iterable[dict], *, batch: int = 2000) -> int:
    """INSERT rows given as ``{attname: value}``, one multi-row ``INSERT ... VALUES (...), ...``
    per batch: no model instances and no per-row SQL compilation, where ``bulk_create`` spends
    most of its time. One statement per batch also matters to the summary triggers: they are
    statement-level (ADR 0019), so ``executemany`` (one statement per row) upserted the same
    summary row once per row, each walking the versions the transaction had left before it,
    quadratic in the batch (16 s for 2,000 step-log rows, bench/engine_transisi.py). Missing
    columns take the field's default (a callable default is evaluated once per call). Like
    ``bulk_create``: no ``save()``, no signals; the rows are only ever inserted (the step log
    stays append-only)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    # names from the model metadata, quoted; every value is a parameter
    awal = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    )
    satu = "({})".format(", ".join(["%s"] * len(fields)))
    # below the backend's parameter limit, and PostgreSQL's protocol limit of 65,535
    batch = min(batch, connection.ops.bulk_batch_size(fields, [None] * batch), 65535 // len(fields))
    batch = max(1, batch)
    kunci = [f.attname for f in fields]
    bawaan = [f.get_default() for f in fields]
    perlu = {"DateTimeField", "DateField", "TimeField", "JSONField", "DecimalField", "UUIDField"}
    siap = [_penyiap(f) if f.get_internal_type() in perlu else None for f in fields]
    n = 0
    with connection.cursor() as c:

        def kirim(kumpulan):
            c.execute(awal + ", ".join([satu] * len(kumpulan)), [v for r in kumpulan for v in r])

        kumpulan = []
        for d in baris:
            kumpulan.append(
                tuple(
                    (a(d.get(k, b)) if a is not None else d.get(k, b))
                    for k, b, a in zip(kunci, bawaan, siap, strict=True)
                )
            )
            if len(kumpulan) >= batch:
                kirim(kumpulan)
                n += len(kumpulan)
                kumpulan = []
        if kumpulan:
            kirim(kumpulan)
            n += len(kumpulan)
    return n


def perbarui_massal(model, objs, fields: Iterable[str], *, batch: int = 1000) -> int:
    """UPDATE ``fields`` of ``objs`` from their in-memory values in one statement per batch:
    ``UPDATE t SET f = v.column2 FROM (VALUES (id, f), ...) AS v WHERE t.id = v.column1``.
    What ``bulk_update`` does with a CASE per field and row, without its per-row SQL
    compilation (most of the bulk path's time, bench/engine_transisi.py). PostgreSQL gets a
    cast per value (VALUES has no column types); SQLite (3.33+) takes them as they are."""
    objs = list(objs)
    if not objs:
        return 0
    meta = model._meta
    kolom = [meta.get_field(f) for f in dict.fromkeys(fields)]
    pk = meta.pk
    qn = connection.ops.quote_name
    pg = connection.vendor == "postgresql"

    def ph(field) -> str:
        return f"CAST(%s AS {field.db_type(connection)})" if pg else "%s"

    baris_ph = "(" + ", ".join(ph(f) for f in [pk, *kolom]) + ")"
    set_sql = ", ".join(f"{qn(f.column)} = v.column{i + 2}" for i, f in enumerate(kolom))
    siap = [_penyiap(f) for f in [pk, *kolom]]
    n = 0
    with connection.cursor() as c:
        for potongan in potong(objs, batch):
            # names from the model metadata, quoted; every value is a parameter
            sql = "UPDATE {t} SET {s} FROM (VALUES {v}) AS v WHERE {t}.{pk} = v.column1".format(  # noqa: S608
                t=qn(meta.db_table),
                s=set_sql,
                v=", ".join([baris_ph] * len(potongan)),
                pk=qn(pk.column),
            )
            params = []
            for o in potongan:
                for f, a in zip([pk, *kolom], siap, strict=True):
                    params.append(a(getattr(o, f.attname)))
            c.execute(sql, params)
            n += c.rowcount
    return n


def _penyiap(field):
    """``field.get_db_prep_save`` remembered per value: a batch repeats the same ``now``."""
    ingat: dict = {}

    def siap(v):
        if v is None:
            return None
        try:
            return ingat[v]
        except KeyError:
            if len(ingat) > 1000:
                ingat.clear()
            hasil = ingat[v] = field.get_db_prep_save(v, connection)
            return hasil
        except TypeError:  # unhashable (JSON lists/dicts)
            return field.get_db_prep_save(v, connection)

    return siap


def sop_bersama(objs) -> dict[int, Sop]:
    """One Sop instance per revision, so each revision's step cache is built once per batch."""
    if not objs or not hasattr(objs[0], "sop_id"):
        return {}
    sops = {pk: sop_siap(pk) for pk in {o.sop_id for o in objs}}
    for o in objs:
        o.sop = sops[o.sop_id]
    return sops


def _label(o) -> str:
    return str(getattr(o, "nomor", None) or o.pk)


def mulai_proses_massal(
    objs, *, user, now: datetime, catatan: str = "", transisi: str = "mulai", unit=None
) -> None:
    """``sop.engine.mulai_proses`` for many new records of one model: a jejak row
    (``transisi``) and the clock of the step each record waits in. ``unit``: the office of the
    officer who created them (default: each record's office)."""
    if not objs:
        return
    sop_bersama(objs)
    model = type(objs[0])
    ct_id = ContentType.objects.get_for_model(model).pk
    kantor = jm.Kantor()
    user_id = getattr(user, "pk", None)
    status = model.STATUS_FIELD

    def jejak():
        for o in objs:
            yield jm.baris_jejak(
                ct_id,
                o,
                transisi=transisi,
                dari="",
                ke=getattr(o, status),
                user_id=user_id,
                peran_id=None,
                unit_id=unit.pk if unit is not None else o.unit_id,
                langkah_id=None,
                catatan=catatan,
                now=now,
                info={},
            )

    def jam():
        for o in objs:
            d = jm.baris_jam(ct_id, o, o.langkah_untuk(None), now, kantor)
            if d is not None:
                yield d

    sisip_massal(Jejak, jejak())
    if model.BERJAM:
        sisip_massal(LangkahBerjalan, jam())


@transaction.atomic
def jalankan_massal(
    objs: list,
    nama: str,
    *,
    user,
    catatan: str = "",
    catatan_per: dict | None = None,
    kwargs_per: dict | None = None,
    fields: Iterable[str] = (),
    now: datetime | None = None,
    beritahu: bool = True,
    url: str = "",
) -> list:
    """Perform transition ``nama`` on every record in ``objs`` (one model) as ``user``, all or
    nothing. ``objs`` must already be locked by the caller (``select_for_update``) and carry the
    related objects the conditions read. ``fields``: model fields the transition method changes
    besides the status. Returns ``objs``, saved."""
    if not objs:
        return objs
    now = now or timezone.now()
    catatan_per = catatan_per or {}
    kwargs_per = kwargs_per or {}
    model = type(objs[0])
    status = model.STATUS_FIELD
    meta = getattr(model, nama)._django_fsm
    sop_bersama(objs)

    cache: dict = {}
    rencana = []  # (obj, from, transition, guard result)
    extra: set[str] = set()
    for o in objs:
        dari = getattr(o, status)
        t = meta.get_transition(dari)
        if t is None:
            raise Konflik(
                _("%(r)s has the status “%(s)s”: this action is not possible. Reload the page.")
                % {"r": _label(o), "s": o.label_status()}
            )
        catatan_o = catatan_per.get(o.pk, catatan)
        try:
            izin = periksa(o, t, nama, user=user, catatan=catatan_o, cache=cache)
        except GagalTransisi as e:
            e.args = (f"{_label(o)}: {e}",)
            raise
        try:
            getattr(o, nama)(**kwargs_per.get(o.pk, {}))
        except TransitionNotAllowed as e:
            raise StatusTidakMengizinkan(
                f"{_label(o)}: "
                + _("“%(a)s” is not possible now: a condition of this step is not met.")
                % {"a": label_transisi(t, nama)}
            ) from e
        extra.update(o.tandai_diubah(now))
        rencana.append((o, dari, t, izin))

    perbarui_massal(model, objs, [status, *extra, *fields])

    ct_id = ContentType.objects.get_for_model(model).pk
    t0 = rencana[0][2]
    jeda, lanjut = bool(t0.custom.get("jeda")), bool(t0.custom.get("lanjut"))
    jam_per_obj: dict[str, LangkahBerjalan] = {}
    if model.BERJAM:
        for ids in potong([str(o.pk) for o in objs]):
            for j in (
                LangkahBerjalan.objects.terbuka()
                .filter(content_type_id=ct_id, object_id__in=ids)
                .select_related("langkah", "unit")
            ):
                jam_per_obj[j.object_id] = j

    kantor = jm.Kantor()
    ubah_jam, jam_baru, jejak = [], [], []
    user_id = getattr(user, "pk", None)
    for o, dari, _t, izin in rencana:
        j = jam_per_obj.get(str(o.pk))
        info: dict = {}
        if not model.BERJAM:
            pass
        elif jeda:
            if j is not None and jm.jeda(j, now):
                ubah_jam.append(j)
            info = jm.info_jam(j)
        elif lanjut:
            if j is not None and jm.lanjut(j, now, kantor.jadwal(j.unit)):
                ubah_jam.append(j)
            info = jm.info_jam(j)
        else:
            if j is not None:
                info = jm.tutup(j, now, kantor.jadwal(j.unit))
                ubah_jam.append(j)
            baru = jm.baris_jam(ct_id, o, o.langkah_untuk(None), now, kantor)
            if baru is not None:
                jam_baru.append(baru)
        jejak.append(
            jm.baris_jejak(
                ct_id,
                o,
                transisi=nama,
                dari=dari,
                ke=getattr(o, status),
                user_id=user_id,
                peran_id=izin.peran_id,
                unit_id=izin.unit.pk if izin.unit is not None else None,
                langkah_id=izin.langkah.pk if izin.langkah else None,
                catatan=catatan_per.get(o.pk, catatan),
                now=now,
                info=info,
            )
        )
    if ubah_jam:
        kolom = jm.KOLOM_JEDA if jeda else (jm.KOLOM_LANJUT if lanjut else jm.KOLOM_TUTUP)
        perbarui_massal(LangkahBerjalan, ubah_jam, kolom)
    sisip_massal(LangkahBerjalan, jam_baru)
    sisip_massal(Jejak, jejak)
    if beritahu and model.BERJAM and not jeda and not lanjut:
        transaction.on_commit(lambda: beritahu_massal(objs, nama, url=url))
    return objs


def beritahu_massal(objs: list, nama: str, *, url: str = "") -> None:
    """One notification per batch to the performers of the step the records now wait in."""
    from .engine import pelaku_langkah
    from .notifikasi import buat_notifikasi, pemegang_peran

    per_langkah: dict[int, tuple] = {}
    for o in objs:
        lk = o.langkah_untuk(None)
        if lk is None:
            continue
        item = per_langkah.setdefault(lk.pk, (lk, set(), []))
        item[1].add(o.wilayah_id)
        item[2].append(o.pk)
    model = type(objs[0])
    layanan = model.LAYANAN
    for lk, wilayah, pks in per_langkah.values():
        users = pemegang_peran(layanan, wilayah, pelaku_langkah(lk))
        buat_notifikasi(
            users,
            judul=f"Tugas baru: {lk.kegiatan[:150]}",
            isi=f"{len(pks)} {model._meta.verbose_name} menunggu langkah ini.",
            url=url or model.url_daftar(getattr(objs[0], model.STATUS_FIELD)),
            kunci=f"{layanan}:{nama}:{lk.pk}:{min(pks)}:{max(pks)}:{len(pks)}",
        )
