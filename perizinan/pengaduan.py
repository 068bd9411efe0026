"""Writes and reads of complaints: filing (public), answering (through the engine), reminders."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sop.engine import jalankan
from sop.jadwal import jadwal_unit
from sop.selectors import filter_lingkup
from sop.tenggat import hitung_tenggat
from sop.waktu import parse_waktu

from .models import JenisLayanan, Permohonan
from .models.pengaduan import PERAN_JAWAB, Pengaduan
from .validasi import rapikan

MAKS_ISI = 4000


def tenggat_pengaduan(jenis: JenisLayanan, mulai: datetime) -> datetime | None:
    """When the office must have answered: the service's complaint limit in office time."""
    return hitung_tenggat(mulai, parse_waktu(jenis.batas_pengaduan), jadwal_unit(jenis.unit))


@transaction.atomic
def pengaduan_ajukan(
    *,
    isi: str,
    jenis: JenisLayanan | None = None,
    permohonan: Permohonan | None = None,
    nama: str = "",
    kontak: str = "",
    now: datetime | None = None,
) -> tuple[Pengaduan, str]:
    """File a complaint about a request (found by its code and PIN by the caller) or about a
    service. Returns the complaint and, for a complaint about a service, its new clear PIN
    (shown once; a complaint about a request is followed with the request's own PIN: "")."""
    now = now or timezone.now()
    isi = (isi or "").strip()
    galat = {}
    if len(isi) < 10:
        galat["isi"] = _("Describe the complaint in at least 10 characters.")
    elif len(isi) > MAKS_ISI:
        galat["isi"] = _("The complaint is at most %(n)s characters.") % {"n": MAKS_ISI}
    if permohonan is not None:
        jenis = permohonan.jenis
    if jenis is None or not jenis.aktif:
        galat["layanan"] = _("Choose the service the complaint is about.")
    if galat:
        raise ValidationError(galat)
    a = Pengaduan(
        jenis=jenis,
        permohonan=permohonan,
        unit=jenis.unit,
        wilayah_id=jenis.unit.wilayah_id,
        isi=isi,
        nama=rapikan(nama)[:200],
        kontak=rapikan(kontak)[:200],
        diterima_pada=now,
        tenggat=tenggat_pengaduan(jenis, now),
    )
    pin = "" if permohonan is not None else a.set_pin()
    a.save()
    return a, pin


@transaction.atomic
def pengaduan_jawab(*, user, pengaduan: Pengaduan, jawaban: str, now: datetime | None = None):
    """The office answers (the engine checks role, region and that a text is given)."""
    jawaban = (jawaban or "").strip()[:MAKS_ISI]
    return jalankan(
        pengaduan.jawab,
        user=user,
        catatan=jawaban,
        now=now,
        status_terlihat=Pengaduan.Status.DITERIMA,
        kwargs={"jawaban": jawaban, "oleh": user},
    )


def pengaduan_lingkup(user):
    return filter_lingkup(Pengaduan.objects.all(), user, Pengaduan.LAYANAN)


def pengaduan_untuk_kode(obj) -> list[Pengaduan]:
    """The complaints a tracking code shows: those about the request, or the complaint itself."""
    if isinstance(obj, Permohonan):
        return list(obj.pengaduan.order_by("diterima_pada"))
    if isinstance(obj, Pengaduan):
        return [obj]
    return []


def sapu_pengaduan(now: datetime) -> dict[str, int]:
    """Domain sweep (``sop_sla``): tell the answering officers of each office once about
    complaints past their due time. Set-based and idempotent (the reminder is stamped)."""
    from sop.models import Notifikasi, Penugasan

    lewat = Pengaduan.objects.filter(
        status=Pengaduan.Status.DITERIMA, tenggat__lte=now, diingatkan__isnull=True
    )
    per_unit = dict(
        lewat.order_by().values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    if not per_unit:
        return {"pengaduan_lewat": 0}
    penerima = (
        Penugasan.objects.aktif(now)
        .filter(unit_id__in=per_unit, peran__kode__in=PERAN_JAWAB)
        .values_list("user_id", "unit_id")
        .distinct()
    )
    from django.urls import reverse

    kunci = f"aduan:lewat:{now.isoformat()}"
    Notifikasi.objects.bulk_create(
        [
            Notifikasi(
                user_id=uid,
                judul=_("%(n)s complaint(s) past their answer time") % {"n": per_unit[unit_id]},
                url=reverse("perizinan:pengaduan_daftar") + "?status=lewat",
                kunci=kunci,
            )
            for uid, unit_id in penerima
        ],
        ignore_conflicts=True,
    )
    n = lewat.update(diingatkan=now)
    return {"pengaduan_lewat": n}


def q_lewat(now: datetime) -> Q:
    return Q(status=Pengaduan.Status.DITERIMA, tenggat__lte=now)
