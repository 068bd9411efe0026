from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from . import services
from .engine import (
    GagalTransisi,
    KelengkapanKurang,
    TidakBerwenang,
    cari_izin,
    kelengkapan_kurang,
    transisi_tersedia,
)
from .halaman import PaginatorCepat
from .laporan import DIMENSI, kepatuhan_lingkup
from .laporan import kepatuhan_xlsx as buat_xlsx
from .models import Permohonan, Sop
from .selectors import (
    filter_lingkup,
    jejak_objek,
    lampirkan_objek,
    langkah_dalam_lingkup,
    langkah_terbuka_untuk,
    penugasan_aktif,
)


def status_galat(e: GagalTransisi) -> int:
    """HTTP status of a refused transition: 403 not allowed, 400 missing input, 409 state/conflict."""
    if isinstance(e, TidakBerwenang):
        return 403
    if isinstance(e, KelengkapanKurang):
        return 400
    return 409


def halaman(request, qs, per_page=25):
    return Paginator(qs, per_page).get_page(request.GET.get("hal"))


@require_GET
@login_not_required
def sehat(request):
    return JsonResponse({"status": "ok"})


@require_GET
def beranda(request):
    tugas = penugasan_aktif(request.user)
    return render(
        request,
        "sop/beranda.html",
        {
            "tugas": tugas,
            "jumlah_tugas": langkah_terbuka_untuk(request.user).count(),
            "jumlah_lewat": langkah_dalam_lingkup(request.user)
            .filter(dilanggar__isnull=False)
            .count(),
            "layanan": sorted({lay for t in tugas for lay in t.layanan}),
        },
    )


def _daftar_langkah(request, qs, template, judul):
    qs = qs.select_related("langkah", "sop", "unit", "wilayah").order_by("tenggat", "mulai", "pk")
    page = PaginatorCepat(qs, 25).get_page(request.GET.get("hal"))
    lampirkan_objek(page.object_list)
    return render(request, template, {"page": page, "judul": judul, "sekarang": timezone.now()})


@require_GET
def tugas_saya(request):
    return _daftar_langkah(
        request, langkah_terbuka_untuk(request.user), "sop/tugas.html", "Tugas Saya"
    )


@require_GET
def lewat_tenggat(request):
    qs = langkah_dalam_lingkup(request.user).filter(dilanggar__isnull=False)
    return _daftar_langkah(request, qs, "sop/tugas.html", "Lewat Tenggat")


@require_GET
def notifikasi(request):
    page = halaman(request, request.user.notifikasi.all())
    return render(request, "sop/notifikasi.html", {"page": page})


@require_POST
def notifikasi_baca(request):
    request.user.notifikasi.filter(dibaca__isnull=True).update(dibaca=timezone.now())
    return redirect("sop:notifikasi")


@require_GET
def kepatuhan(request):
    dim = request.GET.get("per", "sop")
    if dim not in DIMENSI:
        dim = "sop"
    rows = kepatuhan_lingkup(request.user, dimensi=dim)
    return render(request, "sop/kepatuhan.html", {"rows": rows, "dim": dim, "dimensi": DIMENSI})


@require_GET
def kepatuhan_xlsx(request):
    data = buat_xlsx({d: kepatuhan_lingkup(request.user, dimensi=d) for d in DIMENSI})
    resp = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = 'attachment; filename="kepatuhan-sop.xlsx"'
    return resp


@require_GET
def sop_daftar(request):
    qs = Sop.objects.berlaku()
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(nama__icontains=q) | Q(kode__icontains=q) | Q(instansi__icontains=q))
    return render(
        request, "sop/sop_daftar.html", {"page": halaman(request, qs.order_by("kode")), "q": q}
    )


@require_GET
def sop_detail(request, pk):
    sop = get_object_or_404(Sop, pk=pk)
    langkah = sop.langkah.prefetch_related("pelaksana")
    revisi = Sop.objects.filter(kode=sop.kode).order_by("-revisi")
    return render(
        request, "sop/sop_detail.html", {"sop": sop, "langkah": langkah, "revisi": revisi}
    )


@require_GET
def sop_pdf(request, pk):
    from .pdf import render_sop_pdf
    from .pertukaran import sop_ke_dict

    sop = get_object_or_404(Sop, pk=pk)
    pdf = render_sop_pdf(sop_ke_dict(sop))
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="SOP-{sop.kode}-rev{sop.revisi}.pdf"'
    return resp


# ------------------------------------------------------------------ generic runner
def _permohonan_lingkup(user):
    return filter_lingkup(Permohonan.objects.all(), user, Permohonan.LAYANAN)


@require_GET
def permohonan_daftar(request):
    qs = _permohonan_lingkup(request.user).select_related("sop", "unit", "wilayah")
    status = request.GET.get("status", "")
    if status == "berjalan":
        qs = qs.exclude(status__in=Permohonan.STATUS_SELESAI)
    elif status in Permohonan.STATUS_SELESAI:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(nomor__icontains=q) | Q(judul__icontains=q) | Q(pemohon_nama__icontains=q))
    page = halaman(request, qs.order_by("-dibuat", "-pk"))
    return render(
        request,
        "sop/permohonan_daftar.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "boleh_mulai": bool(services.unit_pemula(request.user, Permohonan.LAYANAN)),
        },
    )


def permohonan_baru(request):
    units = services.unit_pemula(request.user, Permohonan.LAYANAN)
    if not units:
        raise PermissionDenied("Anda tidak bertugas di kantor yang menjalankan layanan SOP.")
    sops = Sop.objects.berlaku().filter(tanpa_langkah=False).order_by("kode")
    errors = {}
    data = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        sop = sops.filter(pk=data.get("sop") or 0).first()
        unit = next((u for u in units if str(u.pk) == data.get("unit")), None)
        if sop is None:
            errors["sop"] = "Pilih SOP yang berlaku."
        if unit is None:
            errors["unit"] = "Pilih kantor Anda."
        if not errors:
            try:
                p = services.permohonan_mulai(
                    user=request.user,
                    sop=sop,
                    unit=unit,
                    judul=data.get("judul", ""),
                    pemohon_nama=data.get("pemohon_nama", ""),
                    pemohon_kontak=data.get("pemohon_kontak", ""),
                )
            except ValidationError as e:
                errors.update({k: " ".join(v) for k, v in e.message_dict.items()})
            else:
                messages.success(request, f"Permohonan {p.nomor} dimulai.")
                return redirect("sop:permohonan_detail", pk=p.pk)
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "sop/permohonan_baru.html",
        {
            "units": units,
            "sops": sops,
            "errors": errors,
            "data": data,
        },
        status=400 if errors else 200,
    )


def _permohonan(request, pk):
    return get_object_or_404(
        _permohonan_lingkup(request.user).select_related("sop", "unit", "wilayah"), pk=pk
    )


def _detail_context(request, p, **extra):
    langkah = p.langkah_aktif()
    ctx = {
        "p": p,
        "langkah": langkah,
        "semua_langkah": sorted(p.langkah_sop().values(), key=lambda x: x.nomor),
        "tombol": transisi_tersedia(p, request.user),
        "boleh_bertindak": cari_izin(p, request.user, langkah) is not None,
        "kurang": kelengkapan_kurang(p, langkah),
        "lampiran": p.lampiran.select_related("diunggah_oleh"),
        "jejak": jejak_objek(p),
        "terakhir": langkah is not None
        and not langkah.keputusan
        and p.langkah_berikut(langkah) == "selesai",
    }
    ctx.update(extra)
    return ctx


@require_GET
def permohonan_detail(request, pk):
    p = _permohonan(request, pk)
    return render(request, "sop/permohonan_detail.html", _detail_context(request, p))


@require_POST
def permohonan_transisi(request, pk, nama):
    p = _permohonan(request, pk)
    try:
        p = services.permohonan_transisi(
            user=request.user,
            permohonan=p,
            nama=nama,
            catatan=request.POST.get("catatan", ""),
            status_terlihat=request.POST.get("status_terlihat"),
        )
    except GagalTransisi as e:
        messages.error(request, str(e))
        return TemplateResponse(
            request,
            "sop/permohonan_detail.html",
            _detail_context(request, _permohonan(request, pk)),
            status=status_galat(e),
        )
    messages.success(request, "Langkah dicatat.")
    return redirect("sop:permohonan_detail", pk=p.pk)


def _unggah(request, pk, fn, **kw):
    p = _permohonan(request, pk)
    try:
        fn(user=request.user, permohonan=p, berkas=request.FILES.get("berkas"), **kw)
    except ValidationError as e:
        pesan = " ".join(
            m
            for v in (e.message_dict.values() if hasattr(e, "error_dict") else [e.messages])
            for m in v
        )
        messages.error(request, pesan)
        return TemplateResponse(
            request, "sop/permohonan_detail.html", _detail_context(request, p), status=400
        )
    messages.success(request, "Berkas diunggah.")
    return redirect("sop:permohonan_detail", pk=p.pk)


@require_POST
def permohonan_lampiran(request, pk):
    return _unggah(request, pk, services.permohonan_lampirkan, jenis=request.POST.get("jenis", ""))


@require_POST
def permohonan_hasil(request, pk):
    return _unggah(request, pk, services.permohonan_unggah_hasil)


def kirim_berkas(berkas) -> FileResponse:
    """A stored upload, served only after the caller checked the record's scope."""
    if not berkas:
        raise Http404
    try:
        f = berkas.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(f, as_attachment=False, filename=berkas.name.rsplit("/", 1)[-1])


@require_GET
def permohonan_hasil_unduh(request, pk):
    return kirim_berkas(_permohonan(request, pk).hasil)


@require_GET
def permohonan_lampiran_unduh(request, pk, lampiran_id):
    p = _permohonan(request, pk)
    return kirim_berkas(get_object_or_404(p.lampiran, pk=lampiran_id).berkas)


# ------------------------------------------------------------------ errors
@login_not_required
def galat_403(request, exception=None):
    return render(request, "403.html", {"pesan": str(exception or "")}, status=403)


@login_not_required
def galat_404(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def galat_500(request):
    return render(request, "500.html", status=500)
