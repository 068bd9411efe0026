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
    """A transition was refused; ``str(e)`` is a message for the officer (Bahasa Indonesia).
    ``status_http`` follows ADR 0002: 403 not allowed, 409 state/conflict, 400 bad input."""

    status_http = 409


class TidakBerwenang(GagalTransisi):
    status_http = 403


class KelengkapanKurang(GagalTransisi):
    status_http = 400

    def __init__(self, message, kurang):
        super().__init__(message)
        self.kurang = kurang


class AlasanWajib(GagalTransisi):
    status_http = 400


class StatusTidakMengizinkan(GagalTransisi):
    pass


class Konflik(GagalTransisi):
    pass


def _kolom(langkah: Langkah) -> dict:
    return langkah.sop.kolom_per_peran()


def _eksternal(langkah: Langkah, p, kolom: dict) -> bool:
    k = kolom.get(p.pk)
    return k.eksternal if k else p.eksternal


def _pelaku_per_pelaksana(langkah: Langkah) -> dict:
    """pelaksana -> role id that acts for it: itself, or for an external pelaksana (Pemohon,
    Bank, Kementerian) the role that records its step in this SOP (column, else role default)."""
    kolom = _kolom(langkah)
    hasil = {}
    for p in langkah.pelaksana.all():
        k = kolom.get(p.pk)
        pencatat = (k.dicatat_oleh_id if k else None) or p.dicatat_oleh_id
        hasil[p] = pencatat if _eksternal(langkah, p, kolom) and pencatat else p.pk
    return hasil


def pelaku_langkah(langkah: Langkah) -> set[int]:
    """Role ids of the officers who perform or record ``langkah``."""
    return set(_pelaku_per_pelaksana(langkah).values())


def peran_boleh(langkah: Langkah) -> set[int]:
    """Role ids that may perform ``langkah``: its performers and, for external ones, their recorders."""
    return pelaku_langkah(langkah) | {p.pk for p in langkah.pelaksana.all()}


def langkah_eksternal(langkah: Langkah) -> bool:
    """True when every performer of ``langkah`` is external in its SOP (applicant, bank, OSS,
    ministry): its clock is a window, never a breach against an officer (ADR 0009)."""
    kolom = _kolom(langkah)
    pelaksana = list(langkah.pelaksana.all())
    return bool(pelaksana) and all(_eksternal(langkah, p, kolom) for p in pelaksana)


def _peran_kode(user, kode: tuple[str, ...]) -> set[int]:
    """Role ids of role codes, remembered on the user object for the request."""
    from .models import Pelaksana

    cache = getattr(user, "_peran_kode_cache", None)
    if cache is None:
        cache = user._peran_kode_cache = {}
    if kode not in cache:
        cache[kode] = set(Pelaksana.objects.filter(kode__in=kode).values_list("pk", flat=True))
    return cache[kode]


def izin_transisi(instance, user, *, langkah=None, peran: tuple[str, ...] = ()):
    """(assignment, role id) that lets ``user`` perform a transition bound to step ``langkah``
    (a code; None = the step the record is in) or to the role codes ``peran``, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if peran:
        return tugas_untuk(user, instance.LAYANAN, instance.wilayah_id, _peran_kode(user, peran))
    return cari_izin(instance, user, instance.langkah_untuk(langkah))


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

    kolom = _kolom(langkah)
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
            nama.append(_("%(r)s (recording %(x)s)") % {"r": nama_peran.get(oleh, "?"), "x": label})
    return ", ".join(dict.fromkeys(nama)) or "-"


def _nama_kode_peran(kode: tuple[str, ...]) -> str:
    from .models import Pelaksana

    return ", ".join(Pelaksana.objects.filter(kode__in=kode).values_list("nama", flat=True)) or "-"


def _meta(method):
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise TypeError(f"{method!r} is not a django-fsm transition")
    return meta


def label_transisi(t, nama: str) -> str:
    return str(t.custom.get("label") or nama) if t is not None else nama


@dataclass
class Izin:
    """What the guard found: the bound step, the assignment and role (None for the system)."""

    langkah: Langkah | None
    tugas: object | None
    peran_id: int | None

    @property
    def unit(self):
        return self.tugas.unit if self.tugas is not None else None


def _hanya_baca(user, layanan: str) -> bool:
    from .selectors import penugasan_aktif

    tugas = [t for t in penugasan_aktif(user) if layanan in t.layanan]
    return bool(tugas) and all(t.hanya_baca for t in tugas)


def periksa(obj, t, nama: str, *, user, catatan: str = "", cache: dict | None = None) -> Izin:
    """The one guard of every state change (``jalankan`` and ``jalankan_massal``): the system
    actor, the role and region, the reason, the required inputs and the domain conditions, in
    that order, with the same translated messages on both paths. ``t`` is the django-fsm
    transition available from ``obj``'s current state (``None``: not allowed in this state).
    ``cache`` remembers the role lookups of a batch per (region, step)."""
    if t is None:
        raise StatusTidakMengizinkan(
            _("The action “%(a)s” is not allowed while the status is “%(s)s”.")
            % {"a": nama, "s": obj.label_status()}
        )
    label = label_transisi(t, nama)
    langkah = obj.langkah_untuk(t.custom.get("langkah"))
    peran = t.custom.get("peran") or ()
    if user is None:
        if not t.custom.get("sistem"):
            raise TidakBerwenang(_("The system may not perform “%(a)s”.") % {"a": label})
        izin = Izin(langkah, None, None)
    elif t.custom.get("sistem"):
        raise TidakBerwenang(_("“%(a)s” is performed by the system only.") % {"a": label})
    else:
        key = (obj.wilayah_id, langkah.pk if langkah else None, peran)
        if cache is not None and key in cache:
            ditemukan = cache[key]
        else:
            if peran:
                ditemukan = izin_transisi(obj, user, peran=peran)
            else:
                ditemukan = cari_izin(obj, user, langkah)
            if cache is not None:
                cache[key] = ditemukan
        if ditemukan is None:
            if _hanya_baca(user, obj.LAYANAN):
                raise TidakBerwenang(
                    _("Your office has read-only oversight of this service: it cannot act.")
                )
            if langkah is None and not peran:
                raise TidakBerwenang(_("This request has no open step."))
            raise TidakBerwenang(
                _(
                    "“%(a)s” may only be done by %(r)s of an office whose region covers this request."
                )
                % {"a": label, "r": _nama_kode_peran(peran) if peran else nama_peran(langkah)}
            )
        izin = Izin(langkah, ditemukan[0], ditemukan[1])
    if t.custom.get("alasan") and not (catatan or "").strip():
        raise AlasanWajib(_("Write the reason for “%(a)s”.") % {"a": label})
    kurang = kelengkapan_kurang(obj, langkah)
    if kurang:
        raise KelengkapanKurang(
            _("Cannot continue: these required documents are missing: %(k)s.")
            % {"k": ", ".join(kurang)},
            kurang,
        )
    syarat = obj.syarat_transisi(nama, langkah)
    if syarat:
        raise StatusTidakMengizinkan(
            _("“%(a)s” is not possible yet: %(k)s.") % {"a": label, "k": "; ".join(syarat)}
        )
    return izin


def periksa_dulu(method, *, user, catatan: str = "") -> Izin:
    """Run the guard for ``method`` on its (locked, current) record without changing anything:
    for a service that must refuse before it moves the records that depend on this one (a rekap
    batch is checked, its proposals move, then the batch itself moves through ``jalankan``)."""
    obj = method.__self__
    t = _meta(method).get_transition(getattr(obj, obj.STATUS_FIELD))
    return periksa(obj, t, method.__name__, user=user, catatan=catatan)


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


def _jam_qs(instance):
    """The open clock of a run, as a query (at most one row: constraint lb_satu_terbuka)."""
    return LangkahBerjalan.objects.terbuka().filter(
        content_type_id=_ct(instance).pk, object_id=str(instance.pk)
    )


def jam_terbuka(instance) -> LangkahBerjalan | None:
    """The open clock of a run, with its step and office."""
    return _jam_qs(instance).select_related("langkah", "unit").first()


def _jam_transisi(obj) -> LangkahBerjalan | None:
    """``jam_terbuka`` for the transition's hot path: the clock row alone (no joins), its office
    taken from the locked record when they are the same (the usual case), so closing it costs
    one plain SELECT; the step loads lazily where a resume needs its limit."""
    jam = next(iter(_jam_qs(obj)[:1]), None)
    unit = getattr(obj, "unit", None)
    if jam is not None and unit is not None and jam.unit_id == unit.pk:
        jam.unit = unit
    return jam


def mulai_jam(
    instance, langkah: Langkah | None, now: datetime, *, mulai: datetime | None = None
) -> None:
    """Start the clock of ``langkah`` (also for untracked steps: the board shows them).
    ``mulai``: a domain date the clock starts at (default: the record's hook, else ``now``).
    Written with the bulk path's plain INSERT (no model instance: it is the hot path)."""
    from .massal import sisip_massal

    d = jm.baris_jam(_ct(instance).pk, instance, langkah, now, jm.Kantor(), mulai=mulai)
    if d:
        sisip_massal(LangkahBerjalan, [d])


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
) -> None:
    """Append one step-log row (the bulk path's plain INSERT: append-only, no model instance)."""
    from .massal import sisip_massal

    sisip_massal(
        Jejak,
        [
            jm.baris_jejak(
                _ct(instance).pk,
                instance,
                transisi=transisi,
                dari=dari,
                ke=ke,
                user_id=getattr(user, "pk", None),
                peran_id=peran_id,
                unit_id=getattr(unit, "pk", None),
                langkah_id=getattr(langkah, "pk", None),
                catatan=catatan,
                now=now,
                info=info or {},
                publik=publik,
            )
        ],
    )


def mulai_proses(
    instance,
    *,
    user,
    now: datetime | None = None,
    catatan: str = "",
    jam_mulai: datetime | None = None,
) -> None:
    """Log the creation of a run and start the clock of its first step (at ``jam_mulai``, a
    domain date, when given)."""
    now = now or timezone.now()
    status = getattr(instance, instance.STATUS_FIELD)
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
    if instance.BERJAM:
        mulai_jam(instance, instance.langkah_untuk(None), now, mulai=jam_mulai)


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
    obj = model._default_manager.select_for_update(of=("self",))
    obj = obj.select_related(*model.TERKAIT_TRANSISI).get(pk=instance.pk)
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
        label = label_transisi(semua[0] if semua else None, nama)
        raise StatusTidakMengizinkan(
            _("The action “%(a)s” is not allowed while the status is “%(s)s”.")
            % {"a": label, "s": obj.label_status()}
        )
    izin = periksa(obj, t, nama, user=user, catatan=catatan)
    label = label_transisi(t, nama)
    kolom = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    sebelum = {a: getattr(obj, a) for a in kolom}
    try:
        getattr(obj, nama)(*args, **kwargs)
    except TransitionNotAllowed as e:
        raise StatusTidakMengizinkan(
            _("“%(a)s” is not possible now: a condition of this step is not met.") % {"a": label}
        ) from e
    obj.tandai_diubah(now)
    # only what the transition changed: the state, its bookkeeping fields, a timestamp
    obj.save(update_fields=[a for a in kolom if getattr(obj, a) != sebelum[a]] or [field])
    ke = getattr(obj, field)

    info: dict = {}
    if obj.BERJAM:
        jam = _jam_transisi(obj)
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
        peran_id=izin.peran_id,
        unit=izin.unit,
        langkah=izin.langkah,
        catatan=catatan,
        now=now,
        info=info,
    )
    if obj.BERJAM:
        ct_id, pk, status = _ct(obj).pk, str(obj.pk), ke
        transaction.on_commit(lambda: _beritahu_langkah(ct_id, pk, status))
    return obj


def _beritahu_langkah(ct_id: int, pk: str, status: str) -> None:
    """Notify the next step's performers in a background task (off the request path)."""
    from .notifikasi import beritahu_langkah_task

    beritahu_langkah_task.enqueue(ct_id, pk, status)


@transaction.atomic
def mulai_ulang_jam(instance, *, user, alasan: str, now: datetime | None = None) -> None:
    """Explicit, audited restart of the running step's clock (never implicit: see ANCHORS, UU 30/2014)."""
    if not alasan.strip():
        raise AlasanWajib(_("A reason is required to restart the clock."))
    now = now or timezone.now()
    obj = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    langkah = obj.langkah_untuk(None)
    izin = cari_izin(obj, user, langkah)
    if izin is None:
        raise TidakBerwenang(_("Only the performer of the current step may restart its clock."))
    jam = jam_terbuka(obj)
    info = _tutup_jam(jam, now)
    mulai_jam(obj, langkah, now, mulai=now)
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
        tenggat = hitung_tenggat(jam.mulai, jam.batas_obj, jadwal)
        if tenggat is None:
            continue
        if jam.menit_jeda:
            tenggat = geser_tenggat(tenggat, jam.menit_jeda, jam.batas_obj, jadwal)
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
