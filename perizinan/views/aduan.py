"""Complaints seen by the office: list (overdue first), detail, answer."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sop.engine import GagalTransisi, transisi_tersedia

from .. import pengaduan as aduan
from ..models.pengaduan import Pengaduan
from .umum import halaman


@require_GET
def pengaduan_daftar(request):
    now = timezone.now()
    qs = aduan.pengaduan_lingkup(request.user).select_related("jenis", "permohonan")
    status = request.GET.get("status", "")
    if status == "lewat":
        qs = qs.filter(aduan.q_lewat(now))
    elif status in Pengaduan.Status.values:
        qs = qs.filter(status=status)
    qs = qs.order_by("status", F("tenggat").asc(nulls_last=True), "-pk")
    return render(
        request,
        "perizinan/pengaduan_daftar.html",
        {
            "page": halaman(request, qs),
            "status": status,
            "pilihan": Pengaduan.Status.choices,
            "now": now,
        },
    )


def _detail(request, a, status=200):
    return render(
        request,
        "perizinan/pengaduan_detail.html",
        {"a": a, "tombol": transisi_tersedia(a, request.user)},
        status=status,
    )


@require_GET
def pengaduan_detail(request, pk):
    a = get_object_or_404(
        aduan.pengaduan_lingkup(request.user).select_related("jenis", "permohonan", "dijawab_oleh"),
        pk=pk,
    )
    return _detail(request, a)


@require_POST
def pengaduan_jawab(request, pk):
    a = get_object_or_404(aduan.pengaduan_lingkup(request.user), pk=pk)
    try:
        aduan.pengaduan_jawab(
            user=request.user, pengaduan=a, jawaban=request.POST.get("jawaban", "")
        )
    except GagalTransisi as e:
        messages.error(request, str(e))
        return _detail(request, a, status=e.status_http)
    messages.success(request, _("The answer was recorded; the complainant sees it with the code."))
    return redirect("perizinan:pengaduan_detail", pk=a.pk)
