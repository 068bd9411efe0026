"""What perizinan reads from an SOP revision: outside steps, timing view, the counter step.

They read the revision's cached steps and columns (``Sop.langkah_per_kode`` /
``Sop.kolom_per_peran``), so they cost no query once those caches are filled.
"""

from __future__ import annotations

import time

from sop.engine import langkah_eksternal

from .standar import Tahap, jalur_utama, jangka_waktu

__all__ = ["jangka_waktu_sop", "kode_loket", "kode_periksa", "langkah_eksternal", "tahap_sop"]


_SOP: dict[int, tuple[float, object]] = {}
TTL = 60.0  # seconds, like the calendar cache (sop.jadwal)


def sop_revisi(sop_id: int):
    """An SOP revision with its steps and columns loaded, shared by the requests that run on it
    for ``TTL`` seconds. Revisions that run requests are in force or archived: their steps are
    not edited (a change is a new revision, ADR 0001), so sharing them is safe; the TTL bounds
    how long an admin's correction of a running revision takes to show."""
    from sop.models import Sop

    hit = _SOP.get(sop_id)
    if hit and time.monotonic() - hit[0] < TTL:
        return hit[1]
    sop = Sop.objects.get(pk=sop_id)
    sop.langkah_per_kode()
    sop.kolom_per_peran()
    tahap_sop(sop)
    _SOP[sop_id] = (time.monotonic(), sop)
    return sop


_LAYANAN: dict[int, tuple[float, object]] = {}


def layanan_def(jenis_id: int):
    """A service with its checklist and output documents loaded (``.syarat``, ``.hasil``
    lists), shared per process for ``TTL`` seconds: the transitions' conditions read it."""
    from .models import JenisLayanan

    hit = _LAYANAN.get(jenis_id)
    if hit and time.monotonic() - hit[0] < TTL:
        return hit[1]
    j = JenisLayanan.objects.select_related("unit").get(pk=jenis_id)
    j.syarat = list(j.persyaratan.all())
    j.hasil = list(j.keluaran.all())
    _LAYANAN[jenis_id] = (time.monotonic(), j)
    return j


def kosongkan_cache() -> None:
    _SOP.clear()
    _LAYANAN.clear()


def tahap_sop(sop) -> list[Tahap]:
    """The revision's steps as ``perizinan.standar.Tahap`` (cached on the instance)."""
    cache = getattr(sop, "_tahap_cache", None)
    if cache is None:
        cache = [
            Tahap(
                kode=lk.kode,
                nomor=lk.nomor,
                batas=lk.batas_obj,
                eksternal=langkah_eksternal(lk),
                ya=lk.cabang_ya,
                tidak=lk.cabang_tidak,
            )
            for lk in sop.langkah_per_kode().values()
        ]
        sop._tahap_cache = cache
    return cache


def kode_loket(sop) -> str | None:
    """The counter step: the first step of the expected path the office performs itself. Its
    performers receive files (recording the applicant's own steps before it), hand outputs over
    and cancel requests."""
    for t in jalur_utama(tahap_sop(sop)):
        if not t.eksternal:
            return t.kode
    return None


def kode_periksa(jenis, sop) -> str | None:
    """The step that cannot complete while a required document is missing."""
    if jenis.langkah_periksa and jenis.langkah_periksa in sop.langkah_per_kode():
        return jenis.langkah_periksa
    return kode_loket(sop)


def jangka_waktu_sop(sop):
    return jangka_waktu(tahap_sop(sop))
