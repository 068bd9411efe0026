"""Small helpers shared by the perizinan views."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404

from .. import selectors as sel

PER_HALAMAN = getattr(settings, "PORTAL_PAGE_SIZE", 25)


def halaman(request, qs, per_page=PER_HALAMAN):
    return Paginator(qs, per_page).get_page(request.GET.get("hal"))


def pesan_validasi(e: ValidationError) -> dict[str, str]:
    if hasattr(e, "error_dict"):
        return {k: " ".join(v) for k, v in e.message_dict.items()}
    return {"__all__": " ".join(e.messages)}


def permohonan_atau_404(request, pk, *related):
    qs = sel.permohonan_lingkup(request.user).select_related(
        "jenis", "unit__wilayah", "sop", "diterima_oleh", "diserahkan_oleh", *related
    )
    return get_object_or_404(qs, pk=pk)
