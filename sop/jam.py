"""Step clocks: the arithmetic shared by ``sop.engine`` (one record) and ``sop.massal`` (many).

Functions here change ``LangkahBerjalan`` instances in memory only; callers save them (one row
with ``save``, a batch with ``bulk_update``).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from .jadwal import jadwal_unit
from .tenggat import geser_menit_kerja, hitung_tenggat, menit_kerja_antara, tutup_kantor

KOLOM_TUTUP = ["selesai", "menit_jeda", "dijeda_sejak"]
KOLOM_JEDA = ["dijeda_sejak"]
KOLOM_LANJUT = ["menit_jeda", "dijeda_sejak", "tenggat", "peringatan_pada"]


class Kantor:
    """Offices, calendars and due times looked up once per operation (or per batch)."""

    def __init__(self):
        self._unit: dict = {}
        self._jadwal: dict = {}
        self._tenggat: dict = {}
        self._eksternal: dict = {}

    def eksternal(self, langkah) -> bool:
        """Whether ``langkah`` is performed outside the office (sop.engine.langkah_eksternal)."""
        if langkah.pk not in self._eksternal:
            from .engine import langkah_eksternal

            self._eksternal[langkah.pk] = langkah_eksternal(langkah)
        return self._eksternal[langkah.pk]

    def unit(self, obj, langkah):
        """The office whose calendar times ``langkah`` for ``obj`` (DiaturSop.unit_untuk_langkah),
        cached by the record's ``kunci_unit_langkah`` so a batch looks each office up once."""
        key = (type(obj), obj.kunci_unit_langkah(langkah))
        if key not in self._unit:
            self._unit[key] = obj.unit_untuk_langkah(langkah)
        return self._unit[key]

    def jadwal(self, unit):
        key = unit.pk if unit is not None else None
        if key not in self._jadwal:
            self._jadwal[key] = jadwal_unit(unit)
        return self._jadwal[key]

    def tenggat(self, langkah, unit, mulai: datetime, batas=None):
        """(due, warn-at 75 %) of a clock of ``langkah`` started at ``mulai`` in ``unit``, under
        ``batas`` (a limit the record gives) or else the step's own."""
        key = (langkah.pk, unit.pk if unit is not None else None, mulai, batas)
        if key not in self._tenggat:
            jadwal = self.jadwal(unit)
            tenggat = hitung_tenggat(mulai, batas or langkah.batas_obj, jadwal)
            self._tenggat[key] = (tenggat, tanda_75(mulai, tenggat, jadwal))
        return self._tenggat[key]


def tanda_75(mulai: datetime, tenggat: datetime | None, jadwal) -> datetime | None:
    """When 75 % of the working minutes from ``mulai`` to ``tenggat`` are used (the warning)."""
    if tenggat is None:
        return None
    total = menit_kerja_antara(mulai, tenggat, jadwal)
    return geser_menit_kerja(mulai, int(total * 0.75), jadwal)


def kunci_induk(obj) -> tuple[int | None, str]:
    """(content type id, id) of the record a run belongs to (``INDUK_FIELD``), or (None, "")
    when the run is its own record (docs/adr/0009). No query: the FK's id and a cached type."""
    nama = type(obj).INDUK_FIELD
    if not nama:
        return None, ""
    rel = type(obj)._meta.get_field(nama).related_model
    return ContentType.objects.get_for_model(rel).pk, str(getattr(obj, f"{nama}_id"))


def baris_jam(
    ct_id: int, obj, langkah, now: datetime, kantor: Kantor, *, mulai: datetime | None = None
) -> dict | None:
    """The column values of a new clock for ``obj`` waiting in ``langkah`` (None: no step).
    It starts at ``mulai``, else at the record's domain date for the step
    (``mulai_jam_langkah``), else ``now``; its limit is the record's (``batas_langkah``) where
    given, else the step's."""
    if langkah is None:
        return None
    unit = kantor.unit(obj, langkah)
    mulai = mulai or obj.mulai_jam_langkah(langkah, now)
    batas = obj.batas_langkah(langkah)
    tenggat, peringatan = kantor.tenggat(langkah, unit, mulai, batas)
    induk_ct, induk_id = kunci_induk(obj)
    return {
        "content_type_id": ct_id,
        "object_id": str(obj.pk),
        "induk_ct_id": induk_ct,
        "induk_id": induk_id,
        "sop_id": obj.sop_id,
        "langkah_id": langkah.pk,
        "unit_id": unit.pk if unit is not None else None,
        "wilayah_id": obj.wilayah_id,
        "mulai": mulai,
        "tenggat": tenggat,
        "peringatan_pada": peringatan,
        "menit_jeda": 0,
        "eksternal": kantor.eksternal(langkah),
        "batas": batas.as_dict() if batas is not None else None,
    }


def baris_jejak(
    ct_id: int,
    obj,
    *,
    transisi: str,
    dari: str,
    ke: str,
    user_id,
    peran_id,
    unit_id,
    langkah_id,
    catatan: str,
    now: datetime,
    info: dict,
    publik: bool = True,
) -> dict:
    """The column values of one step-log row (one path for single and bulk writes)."""
    induk_ct, induk_id = kunci_induk(obj)
    return {
        "content_type_id": ct_id,
        "object_id": str(obj.pk),
        "induk_ct_id": induk_ct,
        "induk_id": induk_id,
        "sop_id": getattr(obj, "sop_id", None),
        "langkah_id": langkah_id,
        "transisi": transisi,
        "dari": dari or "",
        "ke": ke or "",
        "user_id": user_id,
        "peran_id": peran_id,
        "unit_id": unit_id,
        "mulai": info.get("mulai"),
        "tenggat": info.get("tenggat"),
        "selesai": now,
        "terlambat": info.get("terlambat"),
        "menit_kerja": info.get("menit_kerja"),
        "menit_batas": info.get("menit_batas"),
        "catatan": catatan,
        "publik": publik,
    }


def geser_tenggat(tenggat: datetime, menit: int, batas, jadwal) -> datetime:
    """Move a due time by ``menit`` paused working minutes; day-based limits keep ending at a
    close of business (a 1-day step paused for 2 hours ends at close of the next working day)."""
    baru = geser_menit_kerja(tenggat, menit, jadwal)
    if menit and batas.jenis in ("hari", "minggu", "bulan"):
        tutup = tutup_kantor(jadwal, baru.astimezone(jadwal.tz).date())
        if tutup is not None and tutup >= baru:
            return tutup
    return baru


def tutup(jam, now: datetime, jadwal) -> dict:
    """Close a clock; returns the jejak's clock fields (started, due, late, minutes used/allowed)."""
    if jam.dijeda_sejak:
        jam.menit_jeda += menit_kerja_antara(jam.dijeda_sejak, now, jadwal)
        jam.dijeda_sejak = None
    jam.selesai = now
    info = {"mulai": jam.mulai, "tenggat": jam.tenggat}
    if jam.tenggat is not None:
        # an external step (applicant, bank) is timed but never late against an officer
        info["terlambat"] = None if jam.eksternal else now > jam.tenggat
        info["menit_kerja"] = max(0, menit_kerja_antara(jam.mulai, now, jadwal) - jam.menit_jeda)
        info["menit_batas"] = max(
            0, menit_kerja_antara(jam.mulai, jam.tenggat, jadwal) - jam.menit_jeda
        )
    return info


def jeda(jam, now: datetime) -> bool:
    """Pause (waiting on the applicant). False when already paused."""
    if jam.dijeda_sejak is not None:
        return False
    jam.dijeda_sejak = now
    return True


def lanjut(jam, now: datetime, jadwal) -> bool:
    """Resume: the paused working minutes move the due time and the 75 % mark."""
    if jam.dijeda_sejak is None:
        return False
    menit = menit_kerja_antara(jam.dijeda_sejak, now, jadwal)
    jam.menit_jeda += menit
    jam.dijeda_sejak = None
    if jam.tenggat is not None:
        jam.tenggat = geser_tenggat(jam.tenggat, menit, jam.batas_obj, jadwal)
        if jam.peringatan_pada is not None:
            jam.peringatan_pada = geser_menit_kerja(jam.peringatan_pada, menit, jadwal)
    return True


def info_jam(jam) -> dict:
    return {"mulai": jam.mulai, "tenggat": jam.tenggat} if jam is not None else {}
