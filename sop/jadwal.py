"""Builds the pure ``JadwalKerja`` (sop.tenggat) of an office from the calendar tables."""

import time

from .models import HariLibur, Kalender, Unit
from .tenggat import Interval, JadwalKerja, Overlay, jadwal_baku

_CACHE: dict[int | None, tuple[float, JadwalKerja]] = {}
TTL = 60.0  # seconds; local changes clear it at once (signals), other processes within a minute


def kosongkan_cache() -> None:
    _CACHE.clear()


def _mingguan(rows) -> dict[int, tuple[Interval, ...]]:
    hari: dict[int, list[Interval]] = {}
    for r in rows:
        hari.setdefault(r.hari, []).append(Interval(r.mulai, r.selesai))
    return {h: tuple(sorted(v, key=lambda i: i.mulai)) for h, v in hari.items()}


def jadwal_kalender(kalender: Kalender | None) -> JadwalKerja:
    key = kalender.pk if kalender else None
    hit = _CACHE.get(key)
    if hit and time.monotonic() - hit[0] < TTL:
        return hit[1]
    libur_qs = HariLibur.objects.filter(kalender__isnull=True)
    if kalender is not None:
        libur_qs = HariLibur.objects.filter(kalender__isnull=True) | HariLibur.objects.filter(
            kalender=kalender
        )
    libur = frozenset(libur_qs.values_list("tanggal", flat=True))
    if kalender is None:
        jadwal = jadwal_baku(libur=libur)
    else:
        jam = list(kalender.jam.all())
        mingguan = _mingguan(jam) if jam else jadwal_baku().mingguan
        overlay = tuple(
            Overlay(o.mulai, o.selesai, _mingguan(o.jam.all()))
            for o in kalender.overlay.prefetch_related("jam")
        )
        jadwal = JadwalKerja(zona=kalender.zona, mingguan=mingguan, overlay=overlay, libur=libur)
    _CACHE[key] = (time.monotonic(), jadwal)
    return jadwal


def kalender_unit(unit: Unit | None) -> Kalender | None:
    if unit is not None and unit.kalender_id:
        return unit.kalender
    return Kalender.objects.filter(bawaan=True).first()


def jadwal_unit(unit: Unit | None) -> JadwalKerja:
    return jadwal_kalender(kalender_unit(unit))
