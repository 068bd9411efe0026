"""Step clocks: the arithmetic shared by ``sop.engine`` (one record) and ``sop.massal`` (many).

Functions here change ``LangkahBerjalan`` instances in memory only; callers save them (one row
with ``save``, a batch with ``bulk_update``).
"""

from __future__ import annotations

from datetime import datetime

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

    def tenggat(self, langkah, unit, now: datetime):
        """(due, warn-at 75 %) of a clock of ``langkah`` started ``now`` in ``unit``."""
        key = (langkah.pk, unit.pk if unit is not None else None, now)
        if key not in self._tenggat:
            jadwal = self.jadwal(unit)
            tenggat = hitung_tenggat(now, langkah.batas_obj, jadwal)
            self._tenggat[key] = (tenggat, tanda_75(now, tenggat, jadwal))
        return self._tenggat[key]


def tanda_75(mulai: datetime, tenggat: datetime | None, jadwal) -> datetime | None:
    """When 75 % of the working minutes from ``mulai`` to ``tenggat`` are used (the warning)."""
    if tenggat is None:
        return None
    total = menit_kerja_antara(mulai, tenggat, jadwal)
    return geser_menit_kerja(mulai, int(total * 0.75), jadwal)


def baris_jam(ct_id: int, obj, langkah, now: datetime, kantor: Kantor) -> dict | None:
    """The column values of a new clock for ``obj`` waiting in ``langkah`` (None: no step)."""
    if langkah is None:
        return None
    unit = kantor.unit(obj, langkah)
    tenggat, peringatan = kantor.tenggat(langkah, unit, now)
    return {
        "content_type_id": ct_id,
        "object_id": str(obj.pk),
        "sop_id": obj.sop_id,
        "langkah_id": langkah.pk,
        "unit_id": unit.pk if unit is not None else None,
        "wilayah_id": obj.wilayah_id,
        "mulai": now,
        "tenggat": tenggat,
        "peringatan_pada": peringatan,
        "menit_jeda": 0,
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
        info["terlambat"] = now > jam.tenggat
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
        jam.tenggat = geser_tenggat(jam.tenggat, menit, jam.langkah.batas_obj, jadwal)
        if jam.peringatan_pada is not None:
            jam.peringatan_pada = geser_menit_kerja(jam.peringatan_pada, menit, jadwal)
    return True


def info_jam(jam) -> dict:
    return {"mulai": jam.mulai, "tenggat": jam.tenggat} if jam is not None else {}
