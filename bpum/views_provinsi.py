"""The province's rekap across its regencies, downloaded from the export page (the same file as
``manage.py bpum_export_rekap --provinsi KODE --periode KODE``)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import ekspor as eks
from . import selectors as sel
from . import tasks
from .models import EksporRekap, Periode, Usulan
from .views import post_atau_kembali

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ke_ekspor(*args, **kwargs):
    return reverse("bpum:ekspor")


@post_atau_kembali(_ke_ekspor)
def ekspor_provinsi(request):
    pilihan = dict(sel.provinsi_ekspor(request.user))
    prov = next((w for w in pilihan if w.kode == request.POST.get("provinsi", "")), None)
    kode = request.POST.get("periode_kode", "")
    if prov is None or kode not in pilihan[prov]:
        raise PermissionDenied(_("Only officers covering the whole province export its rekap."))
    status = [s for s in request.POST.getlist("status") if s in Usulan.Status.values]
    status = status or list(eks.STATUS_EKSPOR_PROVINSI)
    qs = eks.usulan_ekspor_provinsi(
        sel.usulan_lingkup(request.user), provinsi_kode=prov.kode, kode_periode=kode, status=status
    )
    if qs.count() <= eks.BATAS_LATAR:
        buf = io.BytesIO()
        eks.tulis_ekspor_provinsi(buf, qs)
        resp = HttpResponse(buf.getvalue(), content_type=XLSX)
        resp["Content-Disposition"] = (
            f'attachment; filename="{eks.nama_berkas_provinsi(prov.kode, kode)}"'
        )
        resp["X-Content-Type-Options"] = "nosniff"
        return resp
    acuan = (
        Periode.objects.filter(kode=kode, wilayah__kode__startswith=prov.kode + ".")
        .order_by("wilayah_id")
        .first()
    )
    ekspor = EksporRekap.objects.create(
        periode=acuan, wilayah=prov, filter_status=status, dibuat_oleh=request.user
    )
    tasks.tulis_ekspor.enqueue(ekspor.pk)
    messages.info(request, _("The province's rekap is large: it is written in the background."))
    return redirect("bpum:ekspor_detail", pk=ekspor.pk)
