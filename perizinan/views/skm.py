"""SKM results (IKM per service and period), paper-form imports, the report as xlsx and PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sop.selectors import penugasan_aktif
from sop.unduh import unduh_data
from sop.unggah import TABEL, BerkasDitolak, periksa_unggahan

from .. import ikm
from .. import skm as s
from ..models import ImporSkm
from .laporan import periode, pilih_unit, unit_lingkup


def _laporan(request):
    unit = pilih_unit(request)
    dari, sampai = periode(request, 365)
    layanan = {j.pk: j for j in unit_layanan(unit)}
    kode = request.GET.get("layanan", "")
    jenis = next((j for j in layanan.values() if j.kode == kode), None)
    qs = s.qs_periode(unit, dari, sampai, jenis)
    total = s.hitung_qs(qs)
    baris = [(layanan.get(jid), h) for jid, h in s.per_layanan(qs)]
    baris.sort(key=lambda x: (x[0] is None, x[0].urutan if x[0] else 0))
    return {
        "unit": unit,
        "units": unit_lingkup(request.user),
        "dari": dari,
        "sampai": sampai,
        "layanan": list(layanan.values()),
        "jenis": jenis,
        "total": total,
        "baris": baris,
        "profil": s.profil_ringkas(qs),
        "unsur": ikm.UNSUR,
    }


def unit_layanan(unit):
    from ..models import JenisLayanan

    return JenisLayanan.objects.filter(unit=unit).order_by("urutan", "nama")


def _boleh_impor(user, unit) -> bool:
    return user.is_superuser or any(
        t.unit.pk == unit.pk and "perizinan" in t.layanan and not t.hanya_baca
        for t in penugasan_aktif(user)
    )


@require_GET
def skm(request):
    ctx = _laporan(request)
    ctx["impor"] = ImporSkm.objects.filter(unit=ctx["unit"]).select_related("dibuat_oleh")[:10]
    ctx["boleh_impor"] = _boleh_impor(request.user, ctx["unit"])
    return render(request, "perizinan/skm.html", ctx)


@require_POST
def skm_unggah(request):
    unit = pilih_unit(request)
    if not _boleh_impor(request.user, unit):
        raise PermissionDenied(_("Only officers of this office import its survey forms."))
    from .. import skm_impor

    f = request.FILES.get("berkas")
    kembali = f"{request.path.rsplit('/', 2)[0]}/?unit={unit.kode}"
    if f is None:
        messages.error(request, _("Choose the SKM workbook (xlsx) to import."))
        return redirect(kembali)
    try:  # the project's one upload check: an Excel workbook by its content, size bounded
        periksa_unggahan(f, boleh=TABEL, label=_("SKM workbook"))
    except BerkasDitolak as e:
        messages.error(request, e.message)
        return redirect(kembali)
    try:  # stored, not parsed: the reading runs in the background task
        impor = skm_impor.skm_impor_terima(
            user=request.user, unit=unit, berkas=f, nama_berkas=f.name
        )
    except skm_impor.SudahDiimpor as e:
        messages.warning(request, str(e))
        return redirect("perizinan:skm_impor", pk=e.lama.pk)
    from ..tasks import validasi_skm

    # the row is committed (no ATOMIC_REQUESTS); enqueued as dana bergulir does, so tests with
    # the immediate backend run it inside their own test transaction
    validasi_skm.enqueue(impor.pk)
    return redirect("perizinan:skm_impor", pk=impor.pk)


def _impor(request, pk) -> ImporSkm:
    unit_ids = [u.pk for u in unit_lingkup(request.user)]
    return get_object_or_404(
        ImporSkm.objects.select_related("unit", "dibuat_oleh"), pk=pk, unit_id__in=unit_ids
    )


@require_GET
def skm_impor_detail(request, pk):
    impor = _impor(request, pk)
    return render(
        request,
        "perizinan/skm_impor.html",
        {"impor": impor, "boleh": _boleh_impor(request.user, impor.unit)},
        status=200,
    )


@require_POST
def skm_impor_terapkan(request, pk):
    from .. import skm_impor

    impor = _impor(request, pk)
    if not _boleh_impor(request.user, impor.unit):
        raise PermissionDenied(_("Only officers of this office import its survey forms."))
    if skm_impor.skm_impor_antre_simpan(impor):  # valid -> menyimpan once; the task commits
        from ..tasks import terapkan_skm

        terapkan_skm.enqueue(impor.pk, request.user.pk)
    return redirect("perizinan:skm_impor", pk=impor.pk)


def _nama_berkas(ctx, ext):
    j = ctx["jenis"].kode if ctx["jenis"] else ctx["unit"].kode
    return f"ikm-{j}-{ctx['dari']:%Y%m%d}-{ctx['sampai']:%Y%m%d}.{ext}"


@require_GET
def skm_xlsx(request):
    import io

    from sop.lembar import tulis_tabel

    ctx = _laporan(request)
    judul = [
        "Layanan",
        "Responden",
        *[f"NRR {k.upper()} {n}" for k, n in ikm.UNSUR],
        "IKM",
        "Mutu",
        "Kinerja",
    ]
    rows = []
    semua = [*ctx["baris"], (None, ctx["total"])] if ctx["total"] else []
    for j, h in semua:
        nama = j.nama if j else ("Semua layanan" if h is ctx["total"] else "Tanpa layanan")
        rows.append(
            [
                nama,
                h.responden,
                *[round(float(x), 3) for x in h.nrr],
                float(h.ikm),
                h.mutu,
                h.kinerja,
            ]
        )
    profil = [[k, v, n] for k, isi in ctx["profil"].items() for v, n in isi]
    buf = io.BytesIO()
    tulis_tabel(
        buf,
        [
            ("IKM", judul, rows),
            ("Profil responden", ["Profil", "Nilai", "Responden"], profil),
        ],
    )
    return unduh_data(buf.getvalue(), nama=_nama_berkas(ctx, "xlsx"))


@require_GET
def skm_templat(request):
    """The blank workbook offices type their paper questionnaires into."""
    from ..skm_impor import skm_templat as templat

    return unduh_data(templat(), nama="templat-skm.xlsx")


@require_GET
def skm_pdf(request):
    from django.template.loader import render_to_string

    from sop.pdf import html_ke_pdf, tanggal_indonesia

    ctx = _laporan(request)
    ctx["dari_teks"], ctx["sampai_teks"] = (
        tanggal_indonesia(ctx["dari"]),
        tanggal_indonesia(ctx["sampai"]),
    )
    html = render_to_string("perizinan/pdf/ikm.html", ctx)
    resp = HttpResponse(html_ke_pdf(html), content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{_nama_berkas(ctx, "pdf")}"'
    resp["X-Content-Type-Options"] = "nosniff"
    return resp
