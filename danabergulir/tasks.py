"""Background work (Django's Tasks API) for large imports; failures land on the staging row."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from .models import ImporBerkas


@task()
def validasi_impor(impor_id: int) -> str:
    from .impor.staging import impor_validasi

    return impor_validasi(ImporBerkas.objects.select_related("unit").get(pk=impor_id)).status


@task()
def terapkan_impor(impor_id: int, user_id: int) -> str:
    from .impor.staging import impor_terapkan

    user = get_user_model().objects.get(pk=user_id)
    return impor_terapkan(ImporBerkas(pk=impor_id), user=user, diklaim=True).status
