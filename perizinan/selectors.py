"""Reads of the perizinan module: scope, the officer queue, countdowns, step log.

Every list starts from ``permohonan_lingkup`` (region scope through ``sop.selectors``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, QuerySet
from django.utils import timezone

from sop.engine import peran_boleh
from sop.jadwal import jadwal_unit
from sop.models import LangkahBerjalan, Sop
from sop.selectors import filter_lingkup, penugasan_aktif, q_wilayah_jam
from sop.tenggat import menit_kerja_antara

from .models import JenisLayanan, Permohonan

LAYANAN = Permohonan.LAYANAN


def ct_permohonan() -> ContentType:
    return ContentType.objects.get_for_model(Permohonan)


def permohonan_lingkup(user) -> QuerySet:
    """Requests whose office lies in the user's perizinan scope."""
    return filter_lingkup(Permohonan.objects.all(), user, LAYANAN)


def layanan_lingkup(user) -> QuerySet:
    """Services of offices in the user's scope."""
    return filter_lingkup(JenisLayanan.objects.all(), user, LAYANAN, field="unit__wilayah")


def bertugas(user) -> bool:
    return any(LAYANAN in t.layanan for t in penugasan_aktif(user)) or getattr(
        user, "is_superuser", False
    )


# --------------------------------------------------------------------------- the queue
def langkah_boleh(user) -> dict[str, set[int]]:
    """Region code -> ids of SOP steps ``user`` may perform there, over every revision of the
    SOPs of the services in scope (older revisions still run requests started under them)."""
    tugas = [t for t in penugasan_aktif(user) if LAYANAN in t.layanan and not t.hanya_baca]
    if not tugas:
        return {}
    kode_sop = set(layanan_lingkup(user).values_list("sop_kode", flat=True))
    hasil: dict[str, set[int]] = {}
    for sop in Sop.objects.filter(kode__in=kode_sop):
        for lk in sop.langkah_per_kode().values():
            boleh = peran_boleh(lk)
            for t in tugas:
                if t.peran_ids & boleh:
                    hasil.setdefault(t.wilayah_kode, set()).add(lk.pk)
    return hasil


def antrean(user) -> QuerySet:
    """Open step clocks of requests the user may act on, soonest due first (no limit last)."""
    boleh = langkah_boleh(user)
    qs = LangkahBerjalan.objects.terbuka().filter(content_type=ct_permohonan())
    if not boleh:
        return qs.none()
    from django.db.models import Q

    q = Q()
    for wilayah, ids in boleh.items():
        q |= q_wilayah_jam(wilayah) & Q(langkah_id__in=ids)
    return (
        qs.filter(q)
        .select_related("langkah", "unit")
        .order_by(F("tenggat").asc(nulls_last=True), "mulai", "pk")
    )


@dataclass(frozen=True)
class Hitung:
    """A countdown in office minutes: positive = left, negative = overdue."""

    menit: int | None
    dijeda: bool = False
    eksternal: bool = False

    @property
    def lewat(self) -> bool:
        return self.menit is not None and self.menit < 0

    @property
    def teks(self) -> str:
        if self.menit is None:
            return ""
        m = abs(self.menit)
        jam, sisa = divmod(m, 60)
        return f"{jam} j {sisa:02d} m" if jam else f"{sisa} m"


def hitung_mundur(jam, now: datetime | None = None) -> Hitung:
    """Office minutes left until a clock's due time (breaks, weekends, holidays skipped)."""
    if jam is None or jam.tenggat is None:
        return Hitung(
            None, dijeda=bool(jam and jam.dijeda_sejak), eksternal=bool(jam and jam.eksternal)
        )
    now = now or timezone.now()
    jadwal = jadwal_unit(jam.unit)
    saat = jam.dijeda_sejak or now  # a paused clock is frozen where it stopped
    if saat <= jam.tenggat:
        menit = menit_kerja_antara(saat, jam.tenggat, jadwal)
    else:
        menit = -menit_kerja_antara(jam.tenggat, saat, jadwal)
    return Hitung(menit, dijeda=jam.dijeda_sejak is not None, eksternal=jam.eksternal)


def lampirkan_permohonan(jam_list) -> None:
    """Set ``jam.permohonan`` and ``jam.hitung`` on clock rows (one query for the requests)."""
    ids = [int(j.object_id) for j in jam_list]
    objs = Permohonan.objects.select_related("jenis").in_bulk(ids)
    now = timezone.now()
    for j in jam_list:
        j.permohonan = objs.get(int(j.object_id))
        j.hitung = hitung_mundur(j, now)


def jam_permohonan(p: Permohonan):
    return (
        LangkahBerjalan.objects.terbuka()
        .filter(content_type=ct_permohonan(), object_id=str(p.pk))
        .select_related("langkah", "unit")
        .first()
    )


def lampirkan_jam(permohonan_list) -> None:
    """Set ``p.jam`` and ``p.hitung`` on requests (one query for the open clocks)."""
    ids = [str(p.pk) for p in permohonan_list]
    jam = {
        j.object_id: j
        for j in LangkahBerjalan.objects.terbuka()
        .filter(content_type=ct_permohonan(), object_id__in=ids)
        .select_related("unit")
    }
    now = timezone.now()
    for p in permohonan_list:
        p.jam = jam.get(str(p.pk))
        p.hitung = hitung_mundur(p.jam, now) if p.jam else None
