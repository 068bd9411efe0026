"""The one entry point for state changes: lock, check role + region + inputs, transition, log.

    jalankan(usulan.tandai_lengkap, user=request.user, catatan="...")

Every service of every module calls ``jalankan``; views, admin actions, commands and importers
call those services. See docs/adr/0002-transitions-through-one-engine.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from . import jam as jm
from .jadwal import jadwal_unit
from .jam import geser_tenggat
from .models import Jejak, Langkah, LangkahBerjalan
from .selectors import tugas_untuk
from .tenggat import hitung_tenggat


class GagalTransisi(Exception):
    """A transition was refused; ``str(e)`` is a message for the officer (Bahasa Indonesia)."""


class TidakBerwenang(GagalTransisi):
    pass


class KelengkapanKurang(GagalTransisi):
    def __init__(self, message, kurang):
        super().__init__(message)
        self.kurang = kurang


class StatusTidakMengizinkan(GagalTransisi):
    pass


class Konflik(GagalTransisi):
    pass


def _pelaku_per_pelaksana(langkah: Langkah) -> dict:
    """pelaksana -> role id that acts for it: itself, or for an external pelaksana (Pemohon,
    Bank, Kementerian) the role that records its step in this SOP (column, else role default)."""
    kolom = langkah.sop.kolom_per_peran()
    hasil = {}
    for p in langkah.pelaksana.all():
        k = kolom.get(p.pk)
        eksternal = k.eksternal if k else p.eksternal
        pencatat = (k.dicatat_oleh_id if k else None) or p.dicatat_oleh_id
        hasil[p] = pencatat if eksternal and pencatat else p.pk
    return hasil


def pelaku_langkah(langkah: Langkah) -> set[int]:
    """Role ids of the officers who perform or record ``langkah``."""
    return set(_pelaku_per_pelaksana(langkah).values())


def peran_boleh(langkah: Langkah) -> set[int]:
    """Role ids that may perform ``langkah``: its performers and, for external ones, their recorders."""
    return pelaku_langkah(langkah) | {p.pk for p in langkah.pelaksana.all()}


def cari_izin(instance, user, langkah: Langkah | None):
    """(assignment, role id) that lets ``user`` perform ``langkah`` on ``instance``, or None."""
    if langkah is None or user is None or not getattr(user, "is_authenticated", False):
        return None
    return tugas_untuk(user, instance.LAYANAN, instance.wilayah_id, peran_boleh(langkah))


def kelengkapan_kurang(instance, langkah: Langkah | None) -> list[str]:
    if langkah is None or not langkah.kelengkapan_wajib:
        return []
    ada = instance.kelengkapan_ada()
    return [k for k in langkah.kelengkapan_wajib if k not in ada]


def _meta(method):
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise TypeError(f"{method!r} is not a django-fsm transition")
    return meta


def nama_peran(langkah: Langkah) -> str:
    """Who may perform ``langkah``, by the names of the roles officers hold in their
    assignments: 'Kepala Bidang', or for an external pelaksana 'Staf Dinas (mencatat Kementerian)'
    (the external one under its label in this SOP)."""
    from .models import Pelaksana

    kolom = langkah.sop.kolom_per_peran()
    pelaku = _pelaku_per_pelaksana(langkah)
    nama_peran = dict(
        Pelaksana.objects.filter(pk__in=set(pelaku.values())).values_list("pk", "nama")
    )
    nama = []
    for p, oleh in pelaku.items():
        if oleh == p.pk:
            nama.append(p.nama)
        else:
            k = kolom.get(p.pk)
            label = (k.nama if k else "") or p.nama
            nama.append(f"{nama_peran.get(oleh, '?')} (mencatat {label})")
    return ", ".join(dict.fromkeys(nama)) or "-"


@dataclass
class Tombol:
    nama: str
    label: str
    gaya: str
    alasan: bool


def transisi_tersedia(instance, user) -> list[Tombol]:
    """The transitions ``user`` may perform now: the buttons a page shows."""
    field_name = instance.STATUS_FIELD
    getter = getattr(instance, f"get_available_user_{field_name}_transitions")
    hasil = []
    for t in getter(user):
        if t.custom.get("sistem"):
            continue
        hasil.append(
            Tombol(
                t.name,
                str(t.custom.get("label") or t.name),
                t.custom.get("gaya", "primary"),
                bool(t.custom.get("alasan")),
            )
        )
    return hasil


def _ct(instance) -> ContentType:
    return ContentType.objects.get_for_model(type(instance))


def jam_terbuka(instance) -> LangkahBerjalan | None:
    return (
        LangkahBerjalan.objects.terbuka()
        .filter(content_type=_ct(instance), object_id=str(instance.pk))
        .select_related("langkah", "unit")
        .first()
    )


def mulai_jam(instance, langkah: Langkah | None, now: datetime) -> LangkahBerjalan | None:
    """Start the clock of ``langkah`` (also for untracked steps: the board shows them)."""
    d = jm.baris_jam(_ct(instance).pk, instance, langkah, now, jm.Kantor())
    return LangkahBerjalan.objects.create(**d) if d else None


def _tutup_jam(j: LangkahBerjalan | None, now: datetime) -> dict:
    if j is None:
        return {}
    info = jm.tutup(j, now, jadwal_unit(j.unit))
    j.save(update_fields=jm.KOLOM_TUTUP)
    return info


def _jeda_jam(j: LangkahBerjalan | None, now: datetime) -> None:
    if j is not None and jm.jeda(j, now):
        j.save(update_fields=jm.KOLOM_JEDA)


def _lanjut_jam(j: LangkahBerjalan | None, now: datetime) -> None:
    if j is not None and jm.lanjut(j, now, jadwal_unit(j.unit)):
        j.save(update_fields=jm.KOLOM_LANJUT)


def tulis_jejak(
    instance,
    *,
    transisi,
    dari,
    ke,
    user,
    peran_id,
    unit,
    langkah,
    catatan="",
    now,
    info=None,
    publik=True,
) -> Jejak:
    info = info or {}
    return Jejak.objects.create(
        content_type=_ct(instance),
        object_id=str(instance.pk),
        sop_id=instance.sop_id,
        langkah=langkah,
        transisi=transisi,
        dari=dari or "",
        ke=ke or "",
        user=user,
        peran_id=peran_id,
        unit=unit,
        mulai=info.get("mulai"),
        tenggat=info.get("tenggat"),
        selesai=now,
        terlambat=info.get("terlambat"),
        menit_kerja=info.get("menit_kerja"),
        menit_batas=info.get("menit_batas"),
        catatan=catatan,
        publik=publik,
    )


def mulai_proses(instance, *, user, now: datetime | None = None, catatan: str = "") -> None:
    """Log the creation of a request and start the clock of its first step."""
    now = now or timezone.now()
    status = getattr(instance, instance.STATUS_FIELD)
    langkah = instance.langkah_untuk(None)
    tulis_jejak(
        instance,
        transisi="mulai",
        dari="",
        ke=status,
        user=user,
        peran_id=None,
        unit=instance.unit,
        langkah=None,
        catatan=catatan,
        now=now,
    )
    mulai_jam(instance, langkah, now)


@transaction.atomic
def jalankan(
    method,
    *,
    user,
    catatan: str = "",
    now: datetime | None = None,
    status_terlihat: str | None = None,
    args=(),
    kwargs=None,
):
    """Perform transition ``method`` (bound to a record) as ``user``; returns the saved record.

    ``user=None`` is the system (SLA sweep): only transitions declared ``sistem=True``.
    ``status_terlihat``: the state the officer saw (from the form); defaults to the in-memory one.
    """
    now = now or timezone.now()
    kwargs = kwargs or {}
    instance = method.__self__
    nama = method.__name__
    field = instance.STATUS_FIELD
    model = type(instance)
    terlihat = status_terlihat if status_terlihat is not None else getattr(instance, field)

    obj = (
        model._default_manager.select_for_update().select_related("sop", "unit").get(pk=instance.pk)
    )
    sekarang = getattr(obj, field)
    if sekarang != terlihat:
        raise Konflik(
            _(
                "This record was just changed by another officer (status is now “%(s)s”). "
                "Reload the page and check again."
            )
            % {"s": obj.label_status()}
        )
    meta = _meta(getattr(model, nama))
    t = meta.get_transition(sekarang)
    if t is None:
        semua = list(meta.transitions.values())
        label = str(semua[0].custom.get("label") or nama) if semua else nama
        raise StatusTidakMengizinkan(
            _("The action “%(a)s” is not allowed while the status is “%(s)s”.")
            % {"a": label, "s": obj.label_status()}
        )
    label = str(t.custom.get("label") or nama)
    langkah = obj.langkah_untuk(t.custom.get("langkah"))
    if user is None:
        if not t.custom.get("sistem"):
            raise TidakBerwenang(_("The system may not perform “%(a)s”.") % {"a": label})
        izin = None
        peran_id = None
    elif t.custom.get("sistem"):
        raise TidakBerwenang(_("“%(a)s” is performed by the system only.") % {"a": label})
    else:
        izin = cari_izin(obj, user, langkah)
        if izin is None:
            if langkah is None:
                raise TidakBerwenang(_("This request has no open step."))
            raise TidakBerwenang(
                _(
                    "“%(a)s” may only be done by %(r)s of an office whose region covers this request."
                )
                % {"a": label, "r": nama_peran(langkah)}
            )
        peran_id = izin[1]
    kurang = kelengkapan_kurang(obj, langkah)
    if kurang:
        raise KelengkapanKurang(
            _("Cannot continue: these required documents are missing: %(k)s.")
            % {"k": ", ".join(kurang)},
            kurang,
        )
    bound = getattr(obj, nama)
    try:
        bound(*args, **kwargs)
    except TransitionNotAllowed as e:
        raise StatusTidakMengizinkan(
            _("“%(a)s” is not possible now: a condition of this step is not met.") % {"a": label}
        ) from e
    obj.tandai_diubah(now)
    obj.save()
    ke = getattr(obj, field)

    jam = jam_terbuka(obj)
    unit = izin[0].unit if izin else None
    if t.custom.get("jeda"):
        _jeda_jam(jam, now)
        info = jm.info_jam(jam)
    elif t.custom.get("lanjut"):
        _lanjut_jam(jam, now)
        info = jm.info_jam(jam)
    else:
        info = _tutup_jam(jam, now)
        mulai_jam(obj, obj.langkah_untuk(None), now)
    tulis_jejak(
        obj,
        transisi=nama,
        dari=sekarang,
        ke=ke,
        user=user,
        peran_id=peran_id,
        unit=unit,
        langkah=langkah,
        catatan=catatan,
        now=now,
        info=info,
    )
    transaction.on_commit(lambda: _beritahu_langkah(obj))
    return obj


def _beritahu_langkah(obj) -> None:
    from .notifikasi import beritahu_langkah_baru

    beritahu_langkah_baru(obj)


@transaction.atomic
def mulai_ulang_jam(instance, *, user, alasan: str, now: datetime | None = None) -> None:
    """Explicit, audited restart of the running step's clock (never implicit: see ANCHORS, UU 30/2014)."""
    if not alasan.strip():
        raise GagalTransisi(_("A reason is required to restart the clock."))
    now = now or timezone.now()
    obj = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    langkah = obj.langkah_untuk(None)
    izin = cari_izin(obj, user, langkah)
    if izin is None:
        raise TidakBerwenang(_("Only the performer of the current step may restart its clock."))
    jam = jam_terbuka(obj)
    info = _tutup_jam(jam, now)
    mulai_jam(obj, langkah, now)
    status = getattr(obj, obj.STATUS_FIELD)
    tulis_jejak(
        obj,
        transisi="mulai_ulang_jam",
        dari=status,
        ke=status,
        user=user,
        peran_id=izin[1],
        unit=izin[0].unit,
        langkah=langkah,
        catatan=alasan,
        now=now,
        info=info,
        publik=False,
    )


def hitung_ulang_tenggat(*, kalender_id: int | None = None, batch: int = 2000) -> int:
    """Recompute due times of running, not yet breached steps after a calendar change.

    Finished steps keep the due time they ran under (as Zammad / Jira do). With ``kalender_id``
    only the steps of offices using that calendar (or, for the default one, no calendar).
    """
    qs = LangkahBerjalan.objects.terbuka().filter(dilanggar__isnull=True, tenggat__isnull=False)
    if kalender_id is not None:
        from .models import Kalender

        bawaan = Kalender.objects.filter(pk=kalender_id, bawaan=True).exists()
        q = Q(unit__kalender_id=kalender_id)
        if bawaan:
            q |= Q(unit__kalender__isnull=True) | Q(unit__isnull=True)
        qs = qs.filter(q)
    n = 0
    ubah = []
    for jam in qs.select_related("langkah", "unit__kalender").iterator(chunk_size=batch):
        jadwal = jadwal_unit(jam.unit)
        tenggat = hitung_tenggat(jam.mulai, jam.langkah.batas_obj, jadwal)
        if tenggat is None:
            continue
        if jam.menit_jeda:
            tenggat = geser_tenggat(tenggat, jam.menit_jeda, jam.langkah.batas_obj, jadwal)
        jam.tenggat = tenggat
        jam.peringatan_pada = jm.tanda_75(jam.mulai, tenggat, jadwal)
        ubah.append(jam)
        if len(ubah) >= batch:
            n += LangkahBerjalan.objects.bulk_update(ubah, ["tenggat", "peringatan_pada"])
            ubah = []
    if ubah:
        n += LangkahBerjalan.objects.bulk_update(ubah, ["tenggat", "peringatan_pada"])
    return n


def simpan_perubahan(instance, *, user, data: dict, now: datetime | None = None) -> list[str]:
    """Edit request data (never the state) and keep field-level history. Returns changed fields."""
    from .models import RiwayatPerubahan

    now = now or timezone.now()
    status_field = getattr(instance, "STATUS_FIELD", "status")
    riwayat, ubah = [], []
    for name, baru in data.items():
        if name == status_field:
            raise GagalTransisi(_("The status only changes through the SOP steps."))
        lama = getattr(instance, name)
        if lama != baru:
            setattr(instance, name, baru)
            ubah.append(name)
            riwayat.append(
                RiwayatPerubahan(
                    content_type=_ct(instance),
                    object_id=str(instance.pk),
                    field=name,
                    lama="" if lama is None else str(lama),
                    baru="" if baru is None else str(baru),
                    user=user,
                    waktu=now,
                )
            )
    if ubah:
        instance.save(update_fields=ubah)
        RiwayatPerubahan.objects.bulk_create(riwayat)
    return ubah
