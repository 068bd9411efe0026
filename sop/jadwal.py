"""Builds the pure ``JadwalKerja`` (sop.tenggat) of an office from the calendar tables."""

import time

from .models import HariLibur, Kalender, Unit
from .tenggat import Interval, JadwalKerja, Overlay, jadwal_baku

_CACHE: dict[int | str, tuple[float, JadwalKerja]] = {}
TTL = 60.0  # seconds; local changes clear it at once (signals), other processes within a minute


def kosongkan_cache() -> None:
    """Forget the per-process caches of office schedules and loaded SOP revisions."""
    from .models.definisi import kosongkan_sop_siap

    _CACHE.clear()
    kosongkan_sop_siap()


def _mingguan(rows) -> dict[int, tuple[Interval, ...]]:
    hari: dict[int, list[Interval]] = {}
    for r in rows:
        hari.setdefault(r.hari, []).append(Interval(r.mulai, r.selesai))
    return {h: tuple(sorted(v, key=lambda i: i.mulai)) for h, v in hari.items()}


def _bangun(kalender: Kalender | None) -> JadwalKerja:
    libur_qs = HariLibur.objects.filter(kalender__isnull=True)
    if kalender is not None:
        libur_qs = libur_qs | HariLibur.objects.filter(kalender=kalender)
    libur = frozenset(libur_qs.values_list("tanggal", flat=True))
    if kalender is None:  # no calendar in the database yet: Perpres 21/2023 in WIB
        return jadwal_baku(libur=libur)
    jam = list(kalender.jam.all())
    mingguan = _mingguan(jam) if jam else jadwal_baku().mingguan
    overlay = tuple(
        Overlay(o.mulai, o.selesai, _mingguan(o.jam.all()))
        for o in kalender.overlay.prefetch_related("jam")
    )
    return JadwalKerja(zona=kalender.zona, mingguan=mingguan, overlay=overlay, libur=libur)


def jadwal_unit(unit: Unit | None) -> JadwalKerja:
    """The schedule of an office: its own calendar, else the default one (``bawaan``). Cached, so
    the hot path (every clock start and close) does not query the calendar tables."""
    key = unit.kalender_id if unit is not None and unit.kalender_id else "bawaan"
    hit = _CACHE.get(key)
    if hit and time.monotonic() - hit[0] < TTL:
        return hit[1]
    kalender = unit.kalender if key != "bawaan" else Kalender.objects.filter(bawaan=True).first()
    jadwal = _bangun(kalender)
    _CACHE[key] = (time.monotonic(), jadwal)
    return jadwal
