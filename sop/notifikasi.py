"""In-app notifications (idempotent by key) and their e-mail copies (sent by a task)."""

import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.tasks import task

from .models import Notifikasi, Penugasan

log = logging.getLogger(__name__)


def prefiks_wilayah(kode: str) -> list[str]:
    """'14.04.04.1001' -> ['14', '14.04', '14.04.04', '14.04.04.1001']."""
    parts = kode.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def pemegang_peran(
    layanan: str, wilayah_kode: str | Iterable[str], peran_ids, *, termasuk_baca=False
) -> set[int]:
    """User ids holding one of ``peran_ids`` in an office whose region covers ``wilayah_kode``
    (or any of several region codes: one query for a whole batch)."""
    kodes = [wilayah_kode] if isinstance(wilayah_kode, str) else list(wilayah_kode)
    prefiks = sorted({p for k in kodes for p in prefiks_wilayah(k)})
    qs = (
        Penugasan.objects.aktif()
        .filter(unit__wilayah_id__in=prefiks, peran__in=list(peran_ids))
        .select_related("unit")
        .only("user_id", "unit__layanan", "unit__hanya_baca")
    )
    return {
        p.user_id
        for p in qs
        if layanan in (p.unit.layanan or []) and (termasuk_baca or not p.unit.hanya_baca)
    }


def buat_notifikasi(user_ids, *, judul: str, isi: str = "", url: str = "", kunci: str) -> int:
    """Create one notification per user; a key already used for a user creates nothing.
    Two queries: the users who already have the key, then one insert of the others (a
    concurrent insert of the same key is ignored by the unique constraint)."""
    kunci = kunci[:120]
    user_ids = list(dict.fromkeys(user_ids))
    if not user_ids:
        return 0
    ada = set(
        Notifikasi.objects.filter(kunci=kunci, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    baru = [u for u in user_ids if u not in ada]
    if not baru:
        return 0
    Notifikasi.objects.bulk_create(
        [Notifikasi(user_id=u, judul=judul[:200], isi=isi, url=url, kunci=kunci) for u in baru],
        ignore_conflicts=True,
        batch_size=500,
    )
    transaction.on_commit(lambda: kirim_email_notifikasi.enqueue(baru, kunci))
    return len(baru)


@task()
def kirim_email_notifikasi(user_ids: list[int], kunci: str) -> int:
    """E-mail copy of a notification to users who have an address."""
    from django.core.mail import send_mass_mail

    pesan = []
    for n in Notifikasi.objects.filter(kunci=kunci, user_id__in=user_ids).select_related("user"):
        if n.user.email:
            pesan.append((n.judul, f"{n.isi}\n\n{n.url}".strip(), None, [n.user.email]))
    if not pesan:
        return 0
    try:
        return send_mass_mail(pesan)
    except OSError as e:  # SMTP down: the in-app notification stands; the task result shows it
        log.warning("notification e-mail failed: %s", e)
        return 0


@task()
def beritahu_langkah_task(ct_id: int, pk: str, status: str) -> int:
    """``beritahu_langkah_baru`` off the request path (the engine enqueues it on commit): the
    record is read again and left alone when it has already moved on from ``status``."""
    model = ContentType.objects.get_for_id(ct_id).model_class()
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None or getattr(obj, obj.STATUS_FIELD) != status:
        return 0
    return beritahu_langkah_baru(obj)


def beritahu_langkah_baru(obj) -> int:
    """Tell the performers of the step ``obj`` now waits in (in-app only)."""
    langkah = obj.langkah_untuk(None)
    if langkah is None:
        return 0
    from .engine import pelaku_langkah

    users = pemegang_peran(obj.LAYANAN, obj.wilayah_id, pelaku_langkah(langkah))
    ct = ContentType.objects.get_for_model(type(obj))
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    return buat_notifikasi(
        users,
        judul=f"Tugas baru: {langkah.kegiatan[:150]}",
        isi=str(obj),
        url=url,
        kunci=f"langkah:{ct.pk}:{obj.pk}:{langkah.pk}:{obj.sop_id}:{getattr(obj, obj.STATUS_FIELD)}",
    )
