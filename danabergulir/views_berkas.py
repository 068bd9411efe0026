"""Import screens: upload -> validation (background) -> preview -> commit (background)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from sop.engine import GagalTransisi
from sop.lembar import BerkasTidakValid, template_tabel
from sop.unduh import unduh_berkas, unduh_data

from . import izin, tasks
from . import selectors as sel
from .forms import UnggahForm
from .impor import staging
from .impor.kolom import KOLOM_PINJAMAN, KOLOM_REKENING
from .models import ImporBerkas
from .views import halaman, lingkup, unit_kerja


def _boleh(request) -> bool:
    unit = unit_kerja(request)
    return unit is not None and izin.boleh(request.user, unit.wilayah_id)


@require_GET
def impor_daftar(request):
    lingkup(request)
    qs = sel.impor_lingkup(request.user).select_related("unit", "dibuat_oleh")
    return render(
        request,
        "danabergulir/impor_daftar.html",
        {
            "page": halaman(request, qs.order_by("-dibuat", "-pk")),
            "form": UnggahForm(),
            "boleh": _boleh(request),
        },
    )


@require_POST
def impor_unggah(request):
    lingkup(request)
    form = UnggahForm(request.POST, request.FILES)
    unit = unit_kerja(request)
    if not form.is_valid() or unit is None:
        messages.error(request, _("Choose the kind of import and an .xlsx or .csv file."))
        return redirect("danabergulir:impor_daftar")
    berkas = form.cleaned_data["berkas"]
    raw = berkas.read(staging.MAKS_BERKAS + 1)
    try:
        impor = staging.impor_buat(
            user=request.user,
            unit=unit,
            jenis=form.cleaned_data["jenis"],
            raw=raw,
            nama_berkas=berkas.name,
        )
    except BerkasTidakValid as e:
        messages.error(request, e.message)
        return redirect("danabergulir:impor_daftar")
    except GagalTransisi as e:
        messages.error(request, str(e))
        return redirect("danabergulir:impor_daftar")
    # never read inside the web request, whatever the size (issue 12): a worker validates
    tasks.validasi_impor.enqueue(impor.pk)
    return redirect(impor)


def _impor(request, pk) -> ImporBerkas:
    lingkup(request)
    return get_object_or_404(
        sel.impor_lingkup(request.user).select_related("unit", "dibuat_oleh"), pk=pk
    )


@require_GET
def impor_detail(request, pk):
    impor = _impor(request, pk)
    if request.htmx and request.GET.get("bagian") == "progres":
        if not impor.berjalan:
            return HttpResponseClientRefresh()
        return render(request, "danabergulir/impor_detail.html#progres", {"impor": impor})
    errors = Paginator(impor.errors, 50).get_page(request.GET.get("hal"))
    return render(
        request,
        "danabergulir/impor_detail.html",
        {
            "impor": impor,
            "errors": errors,
            "page": errors,
            "boleh_simpan": impor.status == ImporBerkas.Status.VALID and _boleh(request),
        },
    )


@require_POST
def impor_terapkan(request, pk):
    impor = _impor(request, pk)
    try:
        staging.impor_klaim(impor, user=request.user)
    except GagalTransisi as e:
        messages.error(request, str(e))
        return redirect(impor)
    tasks.terapkan_impor.enqueue(impor.pk, request.user.pk)
    impor.refresh_from_db()
    if impor.status == ImporBerkas.Status.SELESAI:
        messages.success(request, _("The import was saved."))
    elif impor.status in (ImporBerkas.Status.GALAT, ImporBerkas.Status.GAGAL):
        messages.error(request, impor.pesan or _("The import was not saved."))
    return redirect(impor)


@require_GET
def impor_anotasi(request, pk):
    impor = _impor(request, pk)
    if not impor.berkas_anotasi:
        raise Http404
    return unduh_berkas(impor.berkas_anotasi, nama=f"kesalahan-{impor.nama_berkas}")


@require_GET
def impor_template(request, jenis: str):
    lingkup(request)
    if jenis == ImporBerkas.Jenis.PINJAMAN:
        data = template_tabel(KOLOM_PINJAMAN, judul="Buku Pinjaman Dana Bergulir")
    elif jenis == ImporBerkas.Jenis.REKENING:
        data = template_tabel(KOLOM_REKENING, judul="Rekening Koran")
    else:
        raise Http404
    return unduh_data(data, nama=f"template-{jenis}.xlsx")
