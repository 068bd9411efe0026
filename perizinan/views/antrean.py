"""The officer queue: open steps the officer may act on, soonest due first, with countdowns in
office minutes. The list refreshes itself every minute (htmx), so the clock moves on screen
while breaks and closing time stop it."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors as sel
from .umum import halaman


@require_GET
def antrean(request):
    qs = sel.antrean(request.user)
    layanan = request.GET.get("layanan", "").strip()
    if layanan:
        qs = qs.filter(
            sop__kode__in=sel.layanan_lingkup(request.user).filter(kode=layanan).values("sop_kode")
        )
    page = halaman(request, qs)
    sel.lampirkan_permohonan(page.object_list)
    ctx = {
        "page": page,
        "layanan": sel.layanan_lingkup(request.user).order_by("urutan", "nama"),
        "f": {"layanan": layanan},
    }
    if request.htmx:
        return render(request, "perizinan/antrean.html#daftar", ctx)
    return render(request, "perizinan/antrean.html", ctx)
