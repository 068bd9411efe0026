"""What perizinan reads from an SOP revision: outside steps, timing view, the counter step.

They read the revision's cached steps and columns (``Sop.langkah_per_kode`` /
``Sop.kolom_per_peran``), so they cost no query once those caches are filled.
"""

from __future__ import annotations

import time

from sop.engine import langkah_eksternal

from .standar import Tahap, jalur_utama, jangka_waktu

__all__ = ["jangka_waktu_sop", "kode_loket", "kode_periksa", "langkah_eksternal", "tahap_sop"]


def sop_revisi(sop_id: int):
    """An SOP revision with its steps and columns loaded, shared by the process
    (``sop.models.definisi.sop_siap``), plus its timing view (``tahap_sop``)."""
    from sop.models.definisi import sop_siap

    sop = sop_siap(sop_id)
    tahap_sop(sop)
    return sop


TTL = 60.0  # seconds, like sop_siap and the calendar cache
_LAYANAN: dict[int, tuple[float, object]] = {}


def layanan_def(jenis_id: int):
    """A service with its checklist and output documents loaded (``.syarat``, ``.hasil``
    lists), shared per process for ``TTL`` seconds (cleared at once by local edits): the
    transitions' conditions read it."""
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
    """Drop the shared service definitions (an admin edited a service, its checklist or its
    outputs: ``perizinan.apps`` connects this to their save and delete signals)."""
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
