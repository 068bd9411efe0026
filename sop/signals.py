"""Calendar edits clear the schedule cache and recompute the due times of running steps."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.tasks import task

from .models import (
    HariLibur,
    JamKerja,
    Kalender,
    KolomPelaksana,
    Langkah,
    Overlay,
    OverlayJam,
    Pelaksana,
    Sop,
)
from .models.definisi import kosongkan_sop_siap


@task()
def hitung_ulang_tenggat_task(kalender_id: int | None = None) -> int:
    from .engine import hitung_ulang_tenggat

    return hitung_ulang_tenggat(kalender_id=kalender_id)


def _kalender_id(instance):
    if isinstance(instance, Kalender):
        return instance.pk
    if isinstance(instance, JamKerja | Overlay):
        return instance.kalender_id
    if isinstance(instance, OverlayJam):
        return (
            Overlay.objects.filter(pk=instance.overlay_id)
            .values_list("kalender_id", flat=True)
            .first()
        )
    return instance.kalender_id  # HariLibur: None = every calendar


@receiver([post_save, post_delete], sender=Kalender)
@receiver([post_save, post_delete], sender=JamKerja)
@receiver([post_save, post_delete], sender=Overlay)
@receiver([post_save, post_delete], sender=OverlayJam)
@receiver([post_save, post_delete], sender=HariLibur)
def kalender_berubah(sender, instance, raw=False, **kwargs):
    from .jadwal import kosongkan_cache

    kosongkan_cache()
    if raw:
        return
    kid = _kalender_id(instance)
    transaction.on_commit(lambda: hitung_ulang_tenggat_task.enqueue(kid))


@receiver([post_save, post_delete], sender=Sop)
@receiver([post_save, post_delete], sender=Langkah)
@receiver([post_save, post_delete], sender=KolomPelaksana)
@receiver([post_save, post_delete], sender=Pelaksana)
@receiver(m2m_changed, sender=Langkah.pelaksana.through)
def sop_berubah(sender, **kwargs):
    """An edited SOP, step, column or role: drop the loaded revisions (sop.models.sop_siap)."""
    kosongkan_sop_siap()
