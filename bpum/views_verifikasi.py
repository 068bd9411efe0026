"""Screens for sending a batch (with a confirmation of what is sent), row-by-row verification,
the district's physical check, and the round's settings. Thin views over ``bpum.services``,
``bpum.verifikasi`` and ``bpum.periode``; every write is a POST, every success redirects."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from sop.engine import GagalTransisi

from . import periode as periode_svc
from . import selectors as sel
from . import services, verifikasi
from .forms import PeriksaFisikForm, PeriodeForm, VerifikasiBarisForm
from .models import LANGKAH_KECAMATAN, Rekap, Usulan
from .views import _bisa, _rekap, _rekap_detail, hak_rekap, ke_rekap, post_atau_kembali

S = Usulan.Status


# --------------------------------------------------------------------------- sending a batch
@require_http_methods(["GET", "POST"])
def rekap_kirim(request, pk):
    """GET: what will be sent (per village or district, incomplete files, duplicates) and a
    confirm button; POST: send it (district -> agency, or agency -> province)."""
    rekap = _rekap(request, pk)
    if not hak_rekap(request.user, rekap)["boleh_ubah"]:
        messages.error(request, _("Only the office compiling this batch can send it, while open."))
        return redirect("bpum:rekap_detail", pk=rekap.pk)
    if request.method == "POST":
        try:
            rekap = services.rekap_kirim(
                user=request.user, rekap=rekap, status_terlihat=request.POST.get("status_terlihat")
            )
        except GagalTransisi as e:
            messages.error(request, str(e))
            return _rekap_detail(request, _rekap(request, pk), status=e.status_http)
        messages.success(
            request,
            ngettext(
                "Batch %(r)s sent with %(n)s proposal.",
                "Batch %(r)s sent with %(n)s proposals.",
                rekap.jumlah,
            )
            % {"r": rekap.nomor, "n": rekap.jumlah},
        )
        return redirect("bpum:rekap_detail", pk=rekap.pk)
    return render(
        request,
        "bpum/rekap_kirim.html",
        {"rekap": rekap, "r": sel.ringkasan_kirim(rekap)},
    )


# --------------------------------------------------------------------------- row by row
def _id_terpilih(request) -> list[int]:
    return [int(x) for x in request.POST.getlist("usulan") if x.isdigit()]


@post_atau_kembali(ke_rekap)
def rekap_baris(request, pk):
    """The selected rows of a batch: the agency accepts or returns them (sent district batch);
    the district removes them or certifies their physical check (open batch)."""
    rekap = _rekap(request, pk)
    aksi = request.POST.get("aksi", "")
    ids = _id_terpilih(request)
    f = "rekap_kecamatan" if rekap.tingkat == Rekap.Tingkat.KECAMATAN else "rekap_kabupaten"
    anggota = list(Usulan.objects.filter(**{f: rekap}, pk__in=ids).values_list("pk", flat=True))
    try:
        if aksi in (verifikasi.TERIMA, verifikasi.KEMBALIKAN):
            form = VerifikasiBarisForm(
                request.POST,
                pilihan=anggota,
                terima=aksi == verifikasi.TERIMA,
                pengguna=request.user,
            )
            if not form.is_valid():
                return _rekap_detail(request, rekap, status=400, form_baris=form)
            d = form.cleaned_data
            hasil = verifikasi.rekap_verifikasi_baris(
                user=request.user,
                rekap=rekap,
                usulan_ids=d["usulan"],
                keputusan=aksi,
                alasan_ids=form.alasan_ids(),
                catatan=d["alasan_verifikasi"] if aksi == verifikasi.TERIMA else d["catatan"],
            )
            pesan = verifikasi.pesan_hasil(hasil)
            if hasil["rekap"] != Rekap.Status.DIKIRIM:
                pesan += " " + _("Every proposal of the batch has been decided: it is closed.")
        elif aksi == "periksa":
            form = PeriksaFisikForm(request.POST, pilihan=anggota, pengguna=request.user)
            if not form.is_valid():
                return _rekap_detail(request, rekap, status=400, form_periksa=form)
            d = form.cleaned_data
            try:
                s = verifikasi.usulan_periksa_fisik(
                    user=request.user,
                    periode=rekap.periode,
                    kecamatan=rekap.wilayah,
                    usulan_ids=d["usulan"],
                    pemeriksa=d["pemeriksa"],
                    tanggal=d["tanggal"],
                    dokumen=d["dokumen"],
                    catatan=d["catatan"],
                )
            except ValidationError as e:
                form.terapkan_galat(e)
                return _rekap_detail(request, rekap, status=400, form_periksa=form)
            pesan = ngettext(
                "Physical check recorded for %(n)s proposal.",
                "Physical check recorded for %(n)s proposals.",
                s.jumlah,
            ) % {"n": s.jumlah}
        elif aksi == "keluarkan":
            if not ids:
                raise GagalTransisi(_("Select the proposals first."))
            n = services.rekap_keluarkan(user=request.user, rekap=rekap, usulan_ids=anggota)
            pesan = ngettext(
                "%(n)s proposal removed from the batch.",
                "%(n)s proposals removed from the batch.",
                n,
            ) % {"n": n}
        else:
            raise GagalTransisi(_("Unknown action."))
    except GagalTransisi as e:
        messages.error(request, str(e))
        return _rekap_detail(request, _rekap(request, pk), status=e.status_http)
    messages.success(request, pesan)
    return redirect("bpum:rekap_detail", pk=rekap.pk)


def _ke_susun(*args, **kwargs):
    return reverse("bpum:rekap_susun")


@post_atau_kembali(_ke_susun)
def periksa_fisik(request):
    """The district certifies complete proposals not yet in a batch (the batch builder)."""
    periode = sel.periode_dipilih(request.user, request.POST.get("periode"))
    kode = request.POST.get("kecamatan", "")
    kec = next((w for w in sel.kecamatan_lingkup(request.user, periode) if w.kode == kode), None)
    kembali = reverse("bpum:rekap_susun") + (
        f"?periode={periode.pk}&kecamatan={kode}" if periode and kec else ""
    )
    if kec is None or not _bisa(request.user, kec.kode, LANGKAH_KECAMATAN):
        raise PermissionDenied(_("Only the district office certifies a physical check."))
    ids = _id_terpilih(request)
    anggota = list(
        sel.usulan_lingkup(request.user)
        .filter(pk__in=ids, periode=periode, kecamatan=kec)
        .values_list("pk", flat=True)
    )
    form = PeriksaFisikForm(request.POST, pilihan=anggota, pengguna=request.user)
    if not form.is_valid():
        for pesan in [m for ms in form.errors.values() for m in ms]:
            messages.error(request, pesan)
        return redirect(kembali)
    d = form.cleaned_data
    try:
        s = verifikasi.usulan_periksa_fisik(
            user=request.user,
            periode=periode,
            kecamatan=kec,
            usulan_ids=d["usulan"],
            pemeriksa=d["pemeriksa"],
            tanggal=d["tanggal"],
            dokumen=d["dokumen"],
            catatan=d["catatan"],
        )
    except ValidationError as e:
        for pesan in e.messages:
            messages.error(request, pesan)
        return redirect(kembali)
    except GagalTransisi as e:
        messages.error(request, str(e))
        return redirect(kembali)
    messages.success(
        request,
        ngettext(
            "Physical check recorded for %(n)s proposal.",
            "Physical check recorded for %(n)s proposals.",
            s.jumlah,
        )
        % {"n": s.jumlah},
    )
    return redirect(kembali)


# --------------------------------------------------------------------------- round settings
@require_http_methods(["GET", "POST"])
def periode_atur(request):
    """The regency agency sets the round's dates, per-tier limits and the province's role."""
    periode = sel.periode_dipilih(
        request.user, request.POST.get("periode") or request.GET.get("periode")
    )
    if periode is None or not periode_svc.boleh_atur(request.user, periode):
        raise PermissionDenied(_("Only the regency agency sets the round's dates and limits."))
    form = PeriodeForm(
        request.POST if request.method == "POST" else None,
        periode=periode,
        pengguna=request.user,
    )
    if form.is_valid():
        try:
            ubah = periode_svc.periode_atur(
                user=request.user, periode=periode, data=form.cleaned_data
            )
        except GagalTransisi as e:
            form.galat_umum(str(e))
        else:
            messages.success(
                request,
                _("Round settings saved: %(f)s.")
                % {"f": ", ".join(str(form.fields[f].label) for f in ubah)}
                if ubah
                else _("Nothing changed."),
            )
            return redirect(reverse("bpum:periode_atur") + f"?periode={periode.pk}")
    return render(
        request,
        "bpum/periode_atur.html",
        {"periode": periode, "form": form},
        status=400 if form.errors else 200,
    )
