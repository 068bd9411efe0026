"""Background work (Django's Tasks API): large imports and exports with a progress field.

Development and tests use the ImmediateBackend (the task runs inside ``enqueue``); production
uses django_tasks_db (``manage.py db_worker``). A task never raises to the backend: failures are
written to the staging row the page polls.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from .models import EksporRekap, ImporRekap


@task()
def validasi_impor(impor_id: int) -> str:
    """Validate a staged import, whatever its size (never inside the web request). Claims the
    row first; a heartbeat on each progress step lets ``impor_kedaluwarsa`` expire the row if
    this worker is killed."""
    from .impor import impor_validasi

    return impor_validasi(ImporRekap(pk=impor_id)).status


@task()
def terapkan_impor(impor_id: int, user_id: int) -> str:
    from .impor import impor_terapkan

    user = get_user_model().objects.get(pk=user_id)
    return impor_terapkan(ImporRekap(pk=impor_id), user=user, diklaim=True).status


def qs_ekspor(ekspor: EksporRekap):
    from .ekspor import usulan_ekspor_latar

    return usulan_ekspor_latar(ekspor)


@task()
def tulis_ekspor(ekspor_id: int) -> str:
    from .ekspor import jalankan_ekspor

    ekspor = EksporRekap.objects.select_related("periode__wilayah", "dibuat_oleh").get(pk=ekspor_id)
    return jalankan_ekspor(ekspor, qs_ekspor(ekspor)).status
