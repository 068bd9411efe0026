"""Spreadsheet screens: staged imports (district rekap, ministry answers) and exports.

Imports are always validated and committed by background tasks (reading a file is never done
inside the web request, whatever its size); exports over ``ekspor.BATAS_LATAR`` rows are
written by one. The page polls a progress partial every 2 s with htmx (a ``<progress>``
element, no inline style).
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from sop.engine import GagalTransisi
from sop.unduh import unduh_berkas, unduh_data

from . import ekspor as eks
from . import impor as imp
from . import selectors as sel
from . import tasks
from .models import LANGKAH_KEMENTERIAN, EksporRekap, ImporRekap, Usulan
from .spreadsheet import BerkasTidakValid, template_rekap
from .views import _bisa, _kecamatan_kerja, _peran_bpum, halaman


# --------------------------------------------------------------------------- imports
@require_GET
def impor_daftar(request):
    periode = sel.periode_dipilih(request.user, request.GET.get("periode"))
    qs = sel.impor_lingkup(request.user).select_related("wilayah", "dibuat_oleh")
    if periode:
        qs = qs.filter(periode=periode)
    jawaban = periode is not None and _bisa(request.user, periode.wilayah_id, LANGKAH_KEMENTERIAN)
    return render(
        request,
        "bpum/impor_daftar.html",
        {
            "page": halaman(request, qs.order_by("-dibuat", "-pk")),
            "periode": periode,
            "kecamatan": _kecamatan_kerja(request.user, periode),
            "jawaban": jawaban,
            "peran": _peran_bpum(request.user),
        },
    )


@require_POST
def impor_unggah(request):
    periode = sel.periode_dipilih(request.user, request.POST.get("periode"))
    jenis = request.POST.get("jenis", "")
    berkas = request.FILES.get("berkas")
    if periode is None or jenis not in ImporRekap.Jenis.values:
        raise Http404
    if berkas is None:
        messages.error(request, "Pilih berkas .xlsx yang akan diunggah.")
        return redirect("bpum:impor_daftar")
    if jenis == ImporRekap.Jenis.REKAP:
        wilayah = next(
            (
                w
                for w in _kecamatan_kerja(request.user, periode)
                if w.kode == request.POST.get("kecamatan")
            ),
            None,
        )
        if wilayah is None:
            raise PermissionDenied("Impor rekap hanya untuk petugas kecamatan.")
    else:
        wilayah = periode.wilayah
    raw = berkas.read(imp.MAKS_BERKAS + 1)
    try:
        impor = imp.impor_buat(
            user=request.user,
            jenis=jenis,
            periode=periode,
            wilayah=wilayah,
            raw=raw,
            nama_berkas=berkas.name,
        )
    except imp.SudahDiimpor as e:
        messages.warning(request, str(e))
        return redirect("bpum:impor_detail", pk=e.lama.pk)
    except BerkasTidakValid as e:
        messages.error(request, e.message)
        return redirect("bpum:impor_daftar")
    except GagalTransisi as e:
        messages.error(request, str(e))
        return redirect("bpum:impor_daftar")
    # Validation reads and checks every row: always in the background task, whatever the
    # file's size (a small file may still be a hostile one). The page polls its progress.
    if impor.status == ImporRekap.Status.MENUNGGU:
        tasks.validasi_impor.enqueue(impor.pk)
    return redirect("bpum:impor_detail", pk=impor.pk)


def _impor(request, pk) -> ImporRekap:
    return get_object_or_404(
        sel.impor_lingkup(request.user).select_related(
            "periode", "wilayah", "dibuat_oleh", "rekap"
        ),
        pk=pk,
    )


@require_GET
def impor_detail(request, pk):
    impor = _impor(request, pk)
    if impor.berjalan and imp.impor_kedaluwarsa(pk=impor.pk):
        impor.refresh_from_db()  # its worker was killed: now "gagal", with a retry button
    if request.htmx and request.GET.get("bagian") == "progres":
        if not impor.berjalan:
            return HttpResponseClientRefresh()
        return render(request, "bpum/impor_detail.html#progres", {"impor": impor})
    errors = Paginator(impor.errors, 50).get_page(request.GET.get("hal"))
    return render(
        request,
        "bpum/impor_detail.html",
        {
            "impor": impor,
            "errors": errors,
            "page": errors,
            "boleh_simpan": impor.status == ImporRekap.Status.VALID,
            "boleh_ulang": impor.status == ImporRekap.Status.GAGAL and bool(impor.berkas),
        },
    )


@require_POST
def impor_terapkan(request, pk):
    impor = _impor(request, pk)
    try:
        imp.impor_klaim(impor, user=request.user)
    except GagalTransisi as e:
        messages.error(request, str(e))
        return redirect("bpum:impor_detail", pk=impor.pk)
    # The commit reads and re-checks the file against the database: a background task too.
    tasks.terapkan_impor.enqueue(impor.pk, request.user.pk)
    impor.refresh_from_db()
    if impor.status == ImporRekap.Status.SELESAI:
        messages.success(
            request,
            f"Impor disimpan: {impor.jumlah_dibuat} dibuat, "
            f"{impor.jumlah_diperbarui} diperbarui, {impor.jumlah_sama} sama.",
        )
    elif impor.status in (ImporRekap.Status.GALAT, ImporRekap.Status.GAGAL):
        messages.error(request, impor.pesan or "Impor tidak disimpan.")
    return redirect("bpum:impor_detail", pk=impor.pk)


@require_POST
def impor_ulang(request, pk):
    """Retry a failed import (a killed worker, a system error) with the stored file."""
    impor = _impor(request, pk)
    try:
        imp.impor_ulang(impor, user=request.user)
    except GagalTransisi as e:
        messages.error(request, str(e))
        return redirect("bpum:impor_detail", pk=impor.pk)
    tasks.validasi_impor.enqueue(impor.pk)
    return redirect("bpum:impor_detail", pk=impor.pk)


@require_GET
def impor_anotasi(request, pk):
    impor = _impor(request, pk)
    return unduh_berkas(impor.berkas_anotasi, nama=f"kesalahan-{impor.nama_berkas}")


@require_GET
def impor_template(request):
    return unduh_data(template_rekap(), nama="template-rekap-bpum.xlsx")


# --------------------------------------------------------------------------- exports
@require_GET
def ekspor_form(request):
    periode = sel.periode_dipilih(request.user, request.GET.get("periode"))
    return render(
        request,
        "bpum/ekspor.html",
        {
            "periode": periode,
            "kecamatan": sel.kecamatan_lingkup(request.user, periode),
            "status_pilihan": Usulan.Status.choices,
            "semua": periode is not None and sel._lihat_semua(request.user, periode.wilayah_id),
            "page": halaman(
                request,
                sel.ekspor_lingkup(request.user)
                .select_related("wilayah")
                .order_by("-dibuat", "-pk"),
            ),
            "batas": eks.BATAS_LATAR,
        },
    )


@require_POST
def ekspor_buat(request):
    periode = sel.periode_dipilih(request.user, request.POST.get("periode"))
    if periode is None:
        raise Http404
    rekap = None
    if request.POST.get("rekap", "").isdigit():
        rekap = get_object_or_404(
            sel.rekap_lingkup(request.user), pk=request.POST["rekap"], periode=periode
        )
        wilayah_kode = rekap.wilayah_id
    else:
        kode = request.POST.get("kecamatan", "")
        if kode:
            if kode not in {w.kode for w in sel.kecamatan_lingkup(request.user, periode)}:
                raise PermissionDenied("Kecamatan di luar wilayah tugas Anda.")
            wilayah_kode = kode
        elif sel._lihat_semua(request.user, periode.wilayah_id):
            wilayah_kode = periode.wilayah_id
        else:
            messages.error(request, "Pilih kecamatan.")
            return redirect("bpum:ekspor")
    status = [s for s in request.POST.getlist("status") if s in Usulan.Status.values]
    qs = eks.usulan_ekspor(
        sel.usulan_lingkup(request.user),
        periode=periode,
        wilayah_kode=wilayah_kode,
        status=status,
        rekap=rekap,
    )
    if qs.count() <= eks.BATAS_LATAR:
        buf = io.BytesIO()
        eks.tulis_ekspor(buf, qs, kabupaten_nama=periode.wilayah.nama)
        return unduh_data(buf.getvalue(), nama=eks.nama_berkas(periode, wilayah_kode))
    ekspor = EksporRekap.objects.create(
        periode=periode,
        wilayah_id=wilayah_kode,
        filter_status=status,
        rekap=rekap,
        dibuat_oleh=request.user,
    )
    tasks.tulis_ekspor.enqueue(ekspor.pk)
    return redirect("bpum:ekspor_detail", pk=ekspor.pk)


def _ekspor(request, pk) -> EksporRekap:
    return get_object_or_404(sel.ekspor_lingkup(request.user).select_related("periode"), pk=pk)


@require_GET
def ekspor_detail(request, pk):
    ekspor = _ekspor(request, pk)
    if request.htmx and request.GET.get("bagian") == "progres":
        if not ekspor.berjalan:
            return HttpResponseClientRefresh()
        return render(request, "bpum/ekspor_detail.html#progres", {"ekspor": ekspor})
    return render(request, "bpum/ekspor_detail.html", {"ekspor": ekspor})


@require_GET
def ekspor_unduh(request, pk):
    ekspor = _ekspor(request, pk)
    if ekspor.status != EksporRekap.Status.SELESAI or not ekspor.berkas:
        raise Http404
    return unduh_berkas(ekspor.berkas, nama=eks.nama_berkas(ekspor.periode, ekspor.wilayah_id))


@require_GET
def rekap_unduh(request, pk):
    """A batch as xlsx (small batches at once; large ones through the export page)."""
    rekap = get_object_or_404(
        sel.rekap_lingkup(request.user).select_related("periode__wilayah"), pk=pk
    )
    qs = eks.usulan_ekspor(
        sel.usulan_lingkup(request.user),
        periode=rekap.periode,
        wilayah_kode=rekap.periode.wilayah_id,
        rekap=rekap,
    )
    if rekap.jumlah > eks.BATAS_LATAR:
        messages.info(
            request, "Rekap besar: siapkan unduhan di latar belakang dengan tombol di halaman ini."
        )
        return redirect("bpum:rekap_detail", pk=rekap.pk)
    buf = io.BytesIO()
    eks.tulis_ekspor(buf, qs, kabupaten_nama=rekap.periode.wilayah.nama)
    return unduh_data(buf.getvalue(), nama=f"{rekap.nomor}.xlsx")
