"""Writes from the loan screens: reversals, suspense matching and dismissal, collateral."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sop.engine import GagalTransisi

from . import selectors as sel
from . import services
from .forms import AbaikanForm, AlasanForm, CocokkanForm, JaminanForm, KembalikanJaminanForm
from .models import Jaminan, Pembayaran
from .views import _pinjaman, detail_konteks, lingkup


@require_POST
def pembayaran_balik(request, pk, bayar_pk):
    p = _pinjaman(request, pk)
    bayar = get_object_or_404(Pembayaran, pk=bayar_pk, pinjaman=p)
    form = AlasanForm(request.POST)
    if not form.is_valid():
        ctx = detail_konteks(request, p, form_balik=form, balik_pk=bayar.pk)
        return render(request, "danabergulir/pinjaman_detail.html", ctx, status=400)
    try:
        services.pembayaran_balik(
            pembayaran=bayar, user=request.user, alasan=form.cleaned_data["alasan"]
        )
    except GagalTransisi as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _(
                "The payment was reversed and is back in the unmatched list; the loan was recomputed."
            ),
        )
    return redirect(p)


@require_POST
def jaminan_tambah(request, pk):
    p = _pinjaman(request, pk)
    form = JaminanForm(request.POST, instance=Jaminan(pinjaman=p))
    if not form.is_valid():
        ctx = detail_konteks(request, p, form_jaminan=form)
        return render(request, "danabergulir/pinjaman_detail.html", ctx, status=400)
    try:
        services.jaminan_tambah(pinjaman=p, user=request.user, **form.cleaned_data)
    except GagalTransisi as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Collateral registered."))
    return redirect(p)


@require_POST
def jaminan_kembalikan(request, pk, jaminan_pk):
    p = _pinjaman(request, pk)
    j = get_object_or_404(Jaminan, pk=jaminan_pk, pinjaman=p)
    form = KembalikanJaminanForm(request.POST)
    if not form.is_valid():
        ctx = detail_konteks(request, p, form_kembali=form)
        return render(request, "danabergulir/pinjaman_detail.html", ctx, status=400)
    try:
        services.jaminan_kembalikan(
            jaminan=j,
            user=request.user,
            tanggal=form.cleaned_data["tanggal"],
            kepada=form.cleaned_data["kepada"],
        )
    except GagalTransisi as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Collateral return recorded."))
    return redirect(p)


def _suspense(request, pk) -> Pembayaran:
    lingkup(request)
    return get_object_or_404(sel.pembayaran_lingkup(request.user), pk=pk)


@require_POST
def suspense_cocokkan(request, pk):
    bayar = _suspense(request, pk)
    form = CocokkanForm(request.POST, pinjaman_qs=sel.pinjaman_lingkup(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("nomor", [])))
        return redirect("danabergulir:suspense")
    try:
        services.pembayaran_cocokkan(pembayaran=bayar, pinjaman=form.pinjaman, user=request.user)
    except GagalTransisi as e:
        messages.error(request, str(e))
        return redirect("danabergulir:suspense")
    messages.success(
        request, _("The line was posted to loan %(nomor)s.") % {"nomor": form.pinjaman.nomor}
    )
    return redirect(form.pinjaman)


@require_POST
def suspense_abaikan(request, pk):
    bayar = _suspense(request, pk)
    form = AbaikanForm(request.POST)
    try:
        services.pembayaran_abaikan(
            pembayaran=bayar,
            user=request.user,
            catatan=form.data.get("catatan", ""),
        )
    except GagalTransisi as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("The line was marked as not an installment."))
    return redirect("danabergulir:suspense")
