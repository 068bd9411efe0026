"""Background work (Django's Tasks API) for SKM workbook imports; failures land on the row."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from .models.skm import ImporSkm


@task()
def validasi_skm(impor_id: int) -> str:
    """Read and check a ``menunggu`` SKM import: ``valid``, ``galat`` or ``gagal``."""
    from .skm_impor import skm_impor_validasi

    return skm_impor_validasi(ImporSkm(pk=impor_id)).status


@task()
def terapkan_skm(impor_id: int, user_id: int) -> str:
    """Commit a ``menyimpan`` SKM import: ``selesai`` or ``gagal`` with the reason."""
    from .skm_impor import skm_impor_simpan_latar

    user = get_user_model().objects.get(pk=user_id)
    return skm_impor_simpan_latar(ImporSkm(pk=impor_id), user=user).status
