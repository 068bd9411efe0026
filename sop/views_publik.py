"""The public tracking page (no login, phone-first): code + PIN, labels and dates only.

Every lookup runs under the failed-lookup limit (``sop.lacak.coba``); input that cannot be a
code or a PIN is refused with a field message and neither looked up nor counted."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import lacak as lk
from . import penomoran


def _kode_valid(teks: str) -> bool:
    return any(penomoran.normalkan_kode(teks, m.PREFIX_LACAK) for m in lk.model_terlacak())


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def lacak(request, kode: str = ""):
    """GET: the form (the receipt's QR fills in the code). POST: look up code + PIN."""
    ctx: dict = {"kode": (kode or request.GET.get("kode", "")).strip()[:40], "galat": {}}
    if request.method == "POST":
        teks_kode, teks_pin = request.POST.get("kode", ""), request.POST.get("pin", "")
        ctx["kode"] = teks_kode.strip()[:40]
        if not _kode_valid(teks_kode):
            ctx["galat"]["kode"] = _(
                "A tracking code is a short prefix and 8 letters or digits, e.g. PMH-K7QW2M9X."
            )
        if not penomoran.pin_valid(teks_pin):
            ctx["galat"]["pin"] = _("The PIN has 6 digits.")
        if not ctx["galat"]:
            hasil = lk.coba(request, lambda: lk.cari(teks_kode, teks_pin))
            if hasil.tahanan:
                return lk.render_tahanan(request, "publik/lacak.html", ctx, hasil.tahanan)
            if hasil.hasil is None:
                ctx["tidak_ditemukan"] = True
            else:
                ctx["ringkasan"] = hasil.hasil.ringkasan_publik()
                ctx["kode"] = hasil.hasil.kode_lacak
        status = 400 if ctx["galat"] else 200
        return render(request, "publik/lacak.html", ctx, status=status)
    return render(request, "publik/lacak.html", ctx)
