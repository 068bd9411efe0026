"""The SOP 24 monthly cycle on the report screen: its current step, clock and action, and the
stored workbook and signed-off PDF."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sop import engine
from sop.engine import GagalTransisi
from sop.selectors import filter_lingkup
from sop.unduh import unduh_berkas

from . import izin, services
from . import selectors as sel
from .forms_proses import KirimBkdForm, LangkahForm
from .models import SiklusBulanan
from .views import lingkup


def _form(s: SiklusBulanan, data=None, *, user):
    initial = {"status_terlihat": s.status}
    if s.status == "kirim-ke-bkd":
        initial["tanggal"] = timezone.localdate()
        return KirimBkdForm(data, pengguna=user, initial=initial, auto_id="id_sk24_%s")
    return LangkahForm(data, pengguna=user, initial=initial, auto_id="id_sk24_%s")


def konteks_siklus(request, unit, tahun: int, bulan: int, form=None) -> dict:
    s = SiklusBulanan.objects.filter(unit=unit, tahun=tahun, bulan=bulan).first()
    if s is None:
        return {"siklus": None}
    langkah = s.langkah_untuk(None)
    boleh = bool(langkah and engine.cari_izin(s, request.user, langkah))
    return {
        "siklus": s,
        "siklus_langkah": langkah,
        "siklus_jam": sel.jam_per_jalan([s]).get(s.pk),
        "siklus_kurang": s.syarat_langkah(langkah) if langkah else [],
        "siklus_form": form or (_form(s, user=request.user) if boleh else None),
        "siklus_jejak": sel.jejak_rekaman(s),
        "siklus_langkah_semua": sorted(s.langkah_sop().values(), key=lambda x: x.nomor),
    }


def _siklus(request, pk) -> SiklusBulanan:
    lingkup(request)
    qs = filter_lingkup(SiklusBulanan.objects.select_related("unit"), request.user, izin.LAYANAN)
    return get_object_or_404(qs, pk=pk)


@require_POST
def siklus_langkah(request, pk):
    s = _siklus(request, pk)
    form = _form(s, request.POST, user=request.user)
    tujuan = redirect(s.get_absolute_url())
    if not form.is_valid():
        messages.error(request, " ".join(e for es in form.errors.values() for e in es))
        return tujuan
    d = form.cleaned_data
    umum = {"siklus": s, "user": request.user, "status_terlihat": d.get("status_terlihat") or None}
    try:
        if s.status == "pembukuan":
            services.siklus_pembukuan(**umum)
        elif s.status == "lapor-ke-kadis":
            services.siklus_sahkan(**umum)
        elif s.status == "kirim-ke-bkd":
            services.siklus_kirim_bkd(**umum, nomor_surat=d["nomor_surat"], tanggal=d["tanggal"])
        else:
            services.siklus_langkah(**umum, catatan=d["catatan"])
    except GagalTransisi as e:
        messages.error(request, str(e))
        return tujuan
    messages.success(request, _("Saved."))
    return tujuan


@require_GET
def siklus_berkas(request, pk, jenis: str):
    s = _siklus(request, pk)
    if jenis == "xlsx":
        return unduh_berkas(s.berkas_laporan, nama=f"laporan-{s.kode_bulan}")
    if jenis == "pdf":
        return unduh_berkas(s.berkas_pdf, nama=f"laporan-{s.kode_bulan}-disahkan")
    raise Http404
