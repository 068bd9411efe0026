"""Bulk transitions and bulk creation on the engine's terms (many proposals, one batch).

``sop.engine.jalankan`` locks, checks and logs one record at a time (about ten queries each).
Sending a rekap of 500 proposals, or importing 100,000 rows, does the same checks once per batch
and writes the step log (``Jejak``) and the step clocks (``LangkahBerjalan``) with bulk
operations:

* the records are locked (``select_for_update``) and must all be in a source state of the
  transition (else ``Konflik`` naming the first one that is not);
* the user must hold the step's role (or its recording role) in an office covering each record's
  region: checked once per (region, step), never for the system actor unless ``sistem=True``;
* required inputs (``kelengkapan_wajib``) and the transition's conditions are checked per record
  (django-fsm runs the conditions when the method is called);
* clocks: closed and the next step's clock started (a normal transition), paused (``jeda``) or
  resumed (``lanjut``) exactly like ``jalankan``; due times are computed once per (step, office)
  because ``now`` is the same for the whole batch;
* one ``Jejak`` per record (``sisip_massal``: executemany), one notification per batch instead
  of one per record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from sop.engine import (
    KelengkapanKurang,
    Konflik,
    StatusTidakMengizinkan,
    TidakBerwenang,
    cari_izin,
    geser_tenggat,
    kelengkapan_kurang,
)
from sop.jadwal import jadwal_unit
from sop.models import Jejak, LangkahBerjalan, Sop, Unit
from sop.tenggat import geser_menit_kerja, hitung_tenggat, menit_kerja_antara

from .models import LANGKAH_DESA, LANGKAH_KECAMATAN, Usulan

POTONGAN = 500  # ids per IN (...) query: below every backend's parameter limit


def _potong(xs: list, n: int = POTONGAN) -> Iterable[list]:
    for i in range(0, len(xs), n):
        yield xs[i : i + n]


def sisip_massal(model, baris: Iterable[dict], *, batch: int = 2000) -> int:
    """INSERT rows given as ``{attname: value}`` with ``executemany``: no model instances and no
    per-row SQL compilation, where ``bulk_create`` spends most of its time. Missing columns take
    the field's default (a callable default is evaluated once per call). Like ``bulk_create``:
    no ``save()``, no signals; the rows are only ever inserted (the step log stays append-only).
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    # names from the model metadata, quoted; every value is a parameter
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    kunci = [f.attname for f in fields]
    bawaan = [f.get_default() for f in fields]
    perlu = {"DateTimeField", "DateField", "TimeField", "JSONField", "DecimalField", "UUIDField"}
    siap = [_penyiap(f) if f.get_internal_type() in perlu else None for f in fields]
    n = 0
    with connection.cursor() as c:
        kumpulan = []
        for d in baris:
            kumpulan.append(
                tuple(
                    (a(d.get(k, b)) if a is not None else d.get(k, b))
                    for k, b, a in zip(kunci, bawaan, siap, strict=True)
                )
            )
            if len(kumpulan) >= batch:
                c.executemany(sql, kumpulan)
                n += len(kumpulan)
                kumpulan = []
        if kumpulan:
            c.executemany(sql, kumpulan)
            n += len(kumpulan)
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


class _Kantor:
    """Offices by (region, kind), their calendars and due times, looked up once per batch."""

    def __init__(self):
        self._unit: dict[tuple[str, str], Unit | None] = {}
        self._per_id: dict[int, Unit] = {}
        self._jadwal: dict[int | None, object] = {}
        self._tenggat: dict[tuple[int, int | None], tuple[datetime | None, datetime | None]] = {}

    def unit(self, obj, langkah) -> Unit:
        """The office whose calendar times ``langkah`` for ``obj`` (see Usulan.unit_untuk_langkah)."""
        kode = getattr(langkah, "kode", None)
        if kode in (None, LANGKAH_DESA):
            return self.unit_id(obj.unit_id)
        if kode == LANGKAH_KECAMATAN:
            kunci = (obj.kecamatan_id, Unit.Jenis.KECAMATAN)
        else:
            kunci = (obj.wilayah_id[:5], Unit.Jenis.DINAS_KABUPATEN)
        if kunci not in self._unit:
            self._unit[kunci] = (
                Unit.objects.filter(wilayah_id=kunci[0], jenis=kunci[1]).order_by("pk").first()
            )
        return self._unit[kunci] or self.unit_id(obj.unit_id)

    def unit_id(self, pk: int) -> Unit:
        if pk not in self._per_id:
            self._per_id[pk] = Unit.objects.select_related("kalender").get(pk=pk)
        return self._per_id[pk]

    def jadwal(self, unit: Unit | None):
        key = unit.pk if unit is not None else None
        if key not in self._jadwal:
            self._jadwal[key] = jadwal_unit(unit)
        return self._jadwal[key]

    def tenggat(self, langkah, unit: Unit, now: datetime):
        """(due, warn-at) of a clock of ``langkah`` started ``now`` in ``unit``."""
        key = (langkah.pk, unit.pk if unit else None)
        if key not in self._tenggat:
            jadwal = self.jadwal(unit)
            tenggat = hitung_tenggat(now, langkah.batas_obj, jadwal)
            peringatan = None
            if tenggat is not None:
                total = menit_kerja_antara(now, tenggat, jadwal)
                peringatan = geser_menit_kerja(now, int(total * 0.75), jadwal)
            self._tenggat[key] = (tenggat, peringatan)
        return self._tenggat[key]


def langkah_sop(sop: Sop, kode: str | None):
    """Step ``kode`` of revision ``sop``, from the cache ``DiaturSop.langkah_untuk`` also fills."""
    if not kode:
        return None
    cache = getattr(sop, "_langkah_cache", None)
    if cache is None:
        cache = {lk.kode: lk for lk in sop.langkah.prefetch_related("pelaksana__dicatat_oleh")}
        sop._langkah_cache = cache
    return cache.get(kode)


def _sop_bersama(objs) -> dict[int, Sop]:
    """One Sop instance per revision, so each revision's step cache is built once."""
    sops = Sop.objects.in_bulk({o.sop_id for o in objs})
    for o in objs:
        if isinstance(o, Usulan):
            o.sop = sops[o.sop_id]
    return sops


def _baris_jam(ct_id: int, obj, langkah, now: datetime, kantor: _Kantor) -> dict | None:
    if langkah is None:
        return None
    unit = kantor.unit(obj, langkah)
    tenggat, peringatan = kantor.tenggat(langkah, unit, now)
    return {
        "content_type_id": ct_id,
        "object_id": str(obj.pk),
        "sop_id": obj.sop_id,
        "langkah_id": langkah.pk,
        "unit_id": unit.pk if unit else None,
        "wilayah_id": obj.wilayah_id,
        "mulai": now,
        "tenggat": tenggat,
        "peringatan_pada": peringatan,
        "menit_jeda": 0,
    }


def mulai_proses_massal(
    objs, *, user, now: datetime, catatan: str = "", transisi: str = "mulai", unit=None
) -> None:
    """``sop.engine.mulai_proses`` for many new records: a jejak row (``transisi``) and the
    clock of the step each record waits in. ``objs``: saved proposals, or any objects with
    ``pk, sop_id, wilayah_id, kecamatan_id, unit_id, status``. ``unit``: the office of the
    officer who created them (default: each record's office)."""
    if not objs:
        return
    sops = _sop_bersama(objs)
    ct_id = ContentType.objects.get_for_model(Usulan).pk
    kantor = _Kantor()
    user_id = getattr(user, "pk", None)

    def jejak():
        for o in objs:
            yield {
                "content_type_id": ct_id,
                "object_id": str(o.pk),
                "sop_id": o.sop_id,
                "transisi": transisi,
                "dari": "",
                "ke": o.status,
                "user_id": user_id,
                "unit_id": unit.pk if unit is not None else o.unit_id,
                "selesai": now,
                "catatan": catatan,
                "publik": True,
            }

    def jam():
        for o in objs:
            lk = langkah_sop(sops[o.sop_id], Usulan.LANGKAH_PER_STATUS.get(o.status))
            d = _baris_jam(ct_id, o, lk, now, kantor)
            if d is not None:
                yield d

    sisip_massal(Jejak, jejak())
    sisip_massal(LangkahBerjalan, jam())


def _info_tutup(jam: LangkahBerjalan, now: datetime, kantor: _Kantor) -> dict:
    if jam.dijeda_sejak:
        jadwal = kantor.jadwal(jam.unit)
        jam.menit_jeda += menit_kerja_antara(jam.dijeda_sejak, now, jadwal)
        jam.dijeda_sejak = None
    jam.selesai = now
    info = {"mulai": jam.mulai, "tenggat": jam.tenggat}
    if jam.tenggat is not None:
        jadwal = kantor.jadwal(jam.unit)
        info["terlambat"] = now > jam.tenggat
        info["menit_kerja"] = max(0, menit_kerja_antara(jam.mulai, now, jadwal) - jam.menit_jeda)
        info["menit_batas"] = max(
            0, menit_kerja_antara(jam.mulai, jam.tenggat, jadwal) - jam.menit_jeda
        )
    return info


def _lanjut(jam: LangkahBerjalan, now: datetime, kantor: _Kantor) -> None:
    if jam.dijeda_sejak is None:
        return
    jadwal = kantor.jadwal(jam.unit)
    jeda = menit_kerja_antara(jam.dijeda_sejak, now, jadwal)
    jam.menit_jeda += jeda
    jam.dijeda_sejak = None
    if jam.tenggat is not None:
        jam.tenggat = geser_tenggat(jam.tenggat, jeda, jam.langkah.batas_obj, jadwal)
        if jam.peringatan_pada is not None and jam.diperingatkan is None:
            jam.peringatan_pada = geser_menit_kerja(jam.peringatan_pada, jeda, jadwal)


@transaction.atomic
def jalankan_massal(
    objs: list[Usulan],
    nama: str,
    *,
    user,
    catatan: str = "",
    catatan_per: dict[int, str] | None = None,
    kwargs_per: dict[int, dict] | None = None,
    fields: Iterable[str] = (),
    now: datetime | None = None,
    beritahu: bool = True,
) -> list[Usulan]:
    """Perform transition ``nama`` on every proposal in ``objs`` as ``user``, all or nothing.

    ``objs`` must already be locked by the caller (``select_for_update``) and carry the related
    objects the transition's conditions read (e.g. ``rekap_kecamatan``). ``fields``: the model
    fields the transition method changes besides the status. Returns ``objs``, saved.
    """
    if not objs:
        return objs
    now = now or timezone.now()
    catatan_per = catatan_per or {}
    kwargs_per = kwargs_per or {}
    meta = getattr(Usulan, nama)._django_fsm
    _sop_bersama(objs)

    izin_cache: dict[tuple[str, int], object] = {}
    rencana = []  # (obj, dari, langkah, izin)
    for o in objs:
        dari = o.status
        t = meta.get_transition(dari)
        if t is None:
            raise Konflik(
                f"Usulan {o.nomor} berstatus “{o.label_status()}”: tindakan ini tidak dapat "
                "dilakukan. Muat ulang halaman dan periksa lagi."
            )
        langkah = o.langkah_untuk(t.custom.get("langkah"))
        if user is None:
            if not t.custom.get("sistem"):
                raise TidakBerwenang("Sistem tidak boleh melakukan tindakan ini.")
            izin = None
        else:
            key = (o.wilayah_id, langkah.pk if langkah else 0)
            if key not in izin_cache:
                izin_cache[key] = cari_izin(o, user, langkah)
            izin = izin_cache[key]
            if izin is None:
                raise TidakBerwenang(
                    f"Anda tidak berwenang melakukan “{t.custom.get('label') or nama}” untuk "
                    f"usulan {o.nomor}: tindakan ini hanya untuk pelaksana langkah "
                    f"“{langkah.kegiatan[:80] if langkah else '-'}” di wilayah usulan."
                )
        kurang = kelengkapan_kurang(o, langkah)
        if kurang:
            raise KelengkapanKurang(
                f"Usulan {o.nomor}: kelengkapan wajib belum ada: {', '.join(kurang)}.", kurang
            )
        try:
            getattr(o, nama)(**kwargs_per.get(o.pk, {}))
        except TransitionNotAllowed as e:
            raise StatusTidakMengizinkan(
                f"Usulan {o.nomor}: syarat langkah ini belum terpenuhi."
            ) from e
        o.diubah = now
        rencana.append((o, dari, t, langkah, izin))

    Usulan.objects.bulk_update(objs, ["status", "diubah", *fields], batch_size=1000)

    ct = ContentType.objects.get_for_model(Usulan)
    jam_per_obj: dict[str, LangkahBerjalan] = {}
    ids = [str(o.pk) for o in objs]
    for potong in _potong(ids):
        for jam in (
            LangkahBerjalan.objects.terbuka()
            .filter(content_type=ct, object_id__in=potong)
            .select_related("langkah", "unit")
        ):
            jam_per_obj[jam.object_id] = jam

    kantor = _Kantor()
    ct_id = ct.pk
    t0 = rencana[0][2]
    jeda, lanjut = bool(t0.custom.get("jeda")), bool(t0.custom.get("lanjut"))
    ubah_jam, jam_baru_list, jejak = [], [], []
    for o, dari, t, langkah, izin in rencana:
        jam = jam_per_obj.get(str(o.pk))
        if t.custom.get("jeda"):
            if jam is not None and jam.dijeda_sejak is None:
                jam.dijeda_sejak = now
                ubah_jam.append(jam)
            info = {"mulai": jam.mulai, "tenggat": jam.tenggat} if jam else {}
        elif t.custom.get("lanjut"):
            if jam is not None and jam.dijeda_sejak is not None:
                _lanjut(jam, now, kantor)
                ubah_jam.append(jam)
            info = {"mulai": jam.mulai, "tenggat": jam.tenggat} if jam else {}
        else:
            info = {}
            if jam is not None:
                info = _info_tutup(jam, now, kantor)
                ubah_jam.append(jam)
            baru = _baris_jam(ct_id, o, o.langkah_untuk(None), now, kantor)
            if baru is not None:
                jam_baru_list.append(baru)
        jejak.append(
            {
                "content_type_id": ct_id,
                "object_id": str(o.pk),
                "sop_id": o.sop_id,
                "langkah_id": langkah.pk if langkah else None,
                "transisi": nama,
                "dari": dari,
                "ke": o.status,
                "user_id": getattr(user, "pk", None),
                "peran_id": izin[1] if izin else None,
                "unit_id": izin[0].unit.pk if izin else None,
                "mulai": info.get("mulai"),
                "tenggat": info.get("tenggat"),
                "selesai": now,
                "terlambat": info.get("terlambat"),
                "menit_kerja": info.get("menit_kerja"),
                "menit_batas": info.get("menit_batas"),
                "catatan": catatan_per.get(o.pk, catatan),
                "publik": True,
            }
        )
    if ubah_jam:
        kolom = (
            ["dijeda_sejak"]
            if jeda
            else (
                ["menit_jeda", "dijeda_sejak", "tenggat", "peringatan_pada"]
                if lanjut
                else ["selesai", "menit_jeda", "dijeda_sejak"]
            )
        )
        LangkahBerjalan.objects.bulk_update(ubah_jam, kolom, batch_size=1000)
    sisip_massal(LangkahBerjalan, jam_baru_list)
    sisip_massal(Jejak, jejak)
    if beritahu and not jeda and not lanjut:
        transaction.on_commit(lambda: beritahu_batch(objs, nama))
    return objs


def beritahu_batch(objs: list[Usulan], nama: str) -> None:
    """One notification per batch to the performers of the step the proposals now wait in."""
    from django.urls import reverse

    from sop.notifikasi import buat_notifikasi, pemegang_peran

    per_langkah: dict[int, tuple] = {}
    for o in objs:
        lk = o.langkah_untuk(None)
        if lk is None:
            continue
        item = per_langkah.setdefault(lk.pk, (lk, set(), []))
        item[1].add(o.wilayah_id[:8])  # the district covers the village: fewer lookups
        item[2].append(o.pk)
    for lk, wilayah, pks in per_langkah.values():
        peran = {p.dicatat_oleh_id or p.pk for p in lk.pelaksana.all()}
        users: set[int] = set()
        for w in sorted(wilayah):
            users |= pemegang_peran(Usulan.LAYANAN, w, peran)
        buat_notifikasi(
            users,
            judul=f"Tugas baru BPUM: {lk.kegiatan[:140]}",
            isi=f"{len(pks)} usulan menunggu langkah ini.",
            url=reverse("bpum:usulan_daftar") + "?status=" + objs[0].status,
            kunci=f"bpum:{nama}:{lk.pk}:{min(pks)}:{max(pks)}:{len(pks)}",
        )
