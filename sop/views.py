from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .engine import (
    GagalTransisi,
    cari_izin,
    jam_terbuka,
    kelengkapan_kurang,
    transisi_tersedia,
)
from .forms import (
    HasilForm,
    LampiranForm,
    PermohonanBaruForm,
    PermohonanFilterForm,
    SopCariForm,
    TransisiForm,
)
from .jadwal import jadwal_unit
from .label import STATUS_UMUM, jejak_berlabel, label_langkah
from .laporan import DIMENSI
from .laporan import kepatuhan as hitung_kepatuhan
from .laporan import kepatuhan_xlsx as buat_xlsx
from .models import Jejak, Langkah, Permohonan, Sop
from .selectors import (
    filter_lingkup,
    lampirkan_objek,
    langkah_dalam_lingkup,
    langkah_terbuka_untuk,
    penugasan_aktif,
    q_wilayah,
    sop_ditawarkan,
)
from .unduh import unduh_berkas, unduh_data


def status_galat(e: GagalTransisi) -> int:
    """HTTP status of a refused transition (ADR 0002): 403 not allowed, 400 bad input (missing
    documents, no reason), 409 state/conflict."""
    return e.status_http


def halaman(request, qs, per_page=25):
    return Paginator(qs, per_page).get_page(request.GET.get("hal"))


@require_GET
@login_not_required
def favicon(request):
    """Browsers ask /favicon.ico on pages without the icon link (PDFs, the admin)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


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
    page = halaman(request, qs)
    lampirkan_objek(page.object_list)
    return render(request, template, {"page": page, "judul": judul, "sekarang": timezone.now()})


@require_GET
def tugas_saya(request):
    return _daftar_langkah(
        request, langkah_terbuka_untuk(request.user), "sop/tugas.html", _("My tasks")
    )


@require_GET
def lewat_tenggat(request):
    qs = langkah_dalam_lingkup(request.user).filter(dilanggar__isnull=False)
    return _daftar_langkah(request, qs, "sop/tugas.html", _("Past their time limit"))


@require_GET
def notifikasi(request):
    page = halaman(request, request.user.notifikasi.all())
    return render(request, "sop/notifikasi.html", {"page": page})


@require_POST
def notifikasi_baca(request):
    request.user.notifikasi.filter(dibaca__isnull=True).update(dibaca=timezone.now())
    return redirect("sop:notifikasi")


def _jejak_lingkup(user):
    qs = Jejak.objects.all()
    if user.is_superuser:
        return qs
    kodes = sorted({t.wilayah_kode for t in penugasan_aktif(user)})
    if not kodes:
        return qs.none()
    q = Q()
    for k in kodes:
        q |= q_wilayah(k, "unit__wilayah")
    return qs.filter(q)


@require_GET
def kepatuhan(request):
    dim = request.GET.get("per", "sop")
    if dim not in DIMENSI:
        dim = "sop"
    rows = hitung_kepatuhan(_jejak_lingkup(request.user), dimensi=dim)
    return render(request, "sop/kepatuhan.html", {"rows": rows, "dim": dim, "dimensi": DIMENSI})


@require_GET
def kepatuhan_xlsx(request):
    qs = _jejak_lingkup(request.user)
    data = buat_xlsx({d: hitung_kepatuhan(qs, dimensi=d) for d in DIMENSI})
    return unduh_data(data, nama="kepatuhan-sop.xlsx")


@require_GET
def sop_daftar(request):
    qs = Sop.objects.berlaku()
    form = SopCariForm(request.GET or None)
    q = (form.cleaned_data.get("q") or "").strip() if form.is_valid() else ""
    if q:
        qs = qs.filter(Q(nama__icontains=q) | Q(kode__icontains=q) | Q(instansi__icontains=q))
    return render(
        request,
        "sop/sop_daftar.html",
        {"page": halaman(request, qs.order_by("kode")), "form": form},
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


# what a finished step log entry says (the buttons' labels are imperatives)
JEJAK_RUNNER = {
    "selesaikan": gettext_lazy("done"),
    "putuskan_ya": gettext_lazy("decided: Yes"),
    "putuskan_tidak": gettext_lazy("decided: No"),
}


def _sop_per_unit(user) -> dict:
    """Offices where ``user`` may start a request, with the SOPs each offers (none: left out)."""
    hasil = {}
    for unit in services.unit_pemula(user, Permohonan.LAYANAN):
        daftar = list(sop_ditawarkan(user, unit))
        if daftar:
            hasil[unit] = daftar
    return hasil


def _label_langkah_halaman(rows) -> None:
    """``p.langkah_label`` for each request of a page: one query for all their steps."""
    ids = {p.sop_id for p in rows}
    per = {(lk.sop_id, lk.kode): lk for lk in Langkah.objects.filter(sop_id__in=ids)}
    for p in rows:
        lk = per.get((p.sop_id, p.status))
        p.langkah_label = label_langkah(lk) if lk else STATUS_UMUM.get(p.status, p.status)


@require_GET
def permohonan_daftar(request):
    qs = _permohonan_lingkup(request.user).select_related("sop", "unit", "wilayah")
    form = PermohonanFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    status = f.get("status", "")
    if status == "berjalan":
        qs = qs.exclude(status__in=Permohonan.STATUS_SELESAI)
    elif status in Permohonan.STATUS_SELESAI:
        qs = qs.filter(status=status)
    q = (f.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(nomor__icontains=q) | Q(judul__icontains=q) | Q(pemohon_nama__icontains=q))
    page = halaman(request, qs.order_by("-dibuat", "-pk"))
    _label_langkah_halaman(page.object_list)
    return render(
        request,
        "sop/permohonan_daftar.html",
        {"page": page, "form": form, "boleh_mulai": bool(_sop_per_unit(request.user))},
    )


@require_http_methods(["GET", "POST"])
def permohonan_baru(request):
    sop_per_unit = _sop_per_unit(request.user)
    if not sop_per_unit:
        raise PermissionDenied(
            "Kantor Anda tidak menjalankan SOP yang dapat dimulai sebagai permohonan di sini."
        )
    units = list(sop_per_unit)
    form = PermohonanBaruForm(
        request.POST if request.method == "POST" else None,
        units=units,
        sop_per_unit=sop_per_unit,
        pengguna=request.user,
    )
    if form.is_valid():
        d = form.cleaned_data
        try:
            p = services.permohonan_mulai(
                user=request.user,
                sop=d["sop"],
                unit=d["unit"],
                judul=d["judul"],
                pemohon_nama=d["pemohon_nama"],
                pemohon_kontak=d["pemohon_kontak"],
            )
        except ValidationError as e:
            form.terapkan_galat(e)
        else:
            messages.success(request, f"Permohonan {p.nomor} dimulai.")
            return redirect("sop:permohonan_detail", pk=p.pk)
    return render(
        request,
        "sop/permohonan_baru.html",
        {"form": form, "sop_per_unit": sop_per_unit},
        status=400 if form.errors else 200,
    )


def _permohonan(request, pk):
    return get_object_or_404(
        _permohonan_lingkup(request.user).select_related("sop", "unit", "wilayah"), pk=pk
    )


def _cabang(p, lk) -> list[tuple[str, str]]:
    """Where each answer of decision step ``lk`` leads: [(answer, step label)]."""
    langkah = p.langkah_sop()

    def ke(kode):
        return label_langkah(langkah.get(kode)) or STATUS_UMUM.get(kode, kode)

    return [
        (_("Yes"), ke(p.langkah_berikut(lk, keputusan=True))),
        (_("No"), ke(p.langkah_berikut(lk, keputusan=False))),
    ]


def _detail_context(request, p, *, form_lampiran=None, form_hasil=None, form_transisi=None):
    langkah = p.langkah_aktif()
    semua = sorted(p.langkah_sop().values(), key=lambda x: x.nomor)
    tombol = transisi_tersedia(p, request.user)
    form_transisi = form_transisi or {}
    lampiran = list(p.lampiran.select_related("diunggah_oleh"))
    for lp in lampiran:
        lp.langkah_label = label_langkah(p.langkah_sop().get(lp.langkah_kode)) or lp.langkah_kode
    berikut = None
    if langkah is not None and not langkah.keputusan:
        kode = p.langkah_berikut(langkah)
        berikut = label_langkah(p.langkah_sop().get(kode)) or STATUS_UMUM.get(kode, kode)
    jam = jam_terbuka(p) if langkah is not None else None
    return {
        "p": p,
        "langkah": langkah,
        "semua_langkah": semua,
        "jam": jam,
        "zona": jadwal_unit((jam.unit if jam else None) or p.unit).zona,
        "cabang": _cabang(p, langkah) if langkah is not None and langkah.keputusan else [],
        "berikut": berikut,
        "tombol": [
            (
                t,
                form_transisi.get(t.nama)
                or TransisiForm(tombol=t, initial={"status_terlihat": p.status}),
            )
            for t in tombol
        ],
        "boleh_bertindak": cari_izin(p, request.user, langkah) is not None,
        "kurang": kelengkapan_kurang(p, langkah),
        "lampiran": lampiran,
        "jejak": jejak_berlabel(p, khusus=JEJAK_RUNNER),
        "form_lampiran": form_lampiran or LampiranForm(langkah=langkah),
        "form_hasil": form_hasil or HasilForm(),
        "terakhir": langkah is not None
        and not langkah.keputusan
        and p.langkah_berikut(langkah) == "selesai",
        "boleh_tanda_terima": p.unit in services.unit_pemula(request.user, Permohonan.LAYANAN),
    }


@require_GET
def permohonan_detail(request, pk):
    p = _permohonan(request, pk)
    return render(request, "sop/permohonan_detail.html", _detail_context(request, p))


@require_POST
def permohonan_transisi(request, pk, nama):
    p = _permohonan(request, pk)
    tombol = next((t for t in transisi_tersedia(p, request.user) if t.nama == nama), None)
    form = TransisiForm(request.POST, tombol=tombol, pengguna=request.user)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "sop/permohonan_detail.html",
            _detail_context(request, p, form_transisi={nama: form}),
            status=400,
        )
    try:
        p = services.permohonan_transisi(
            user=request.user,
            permohonan=p,
            nama=nama,
            catatan=form.cleaned_data["catatan"],
            status_terlihat=form.cleaned_data["status_terlihat"] or None,
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


def _unggah(request, p, form, fn, kunci_form, kw):
    if form.is_valid():
        try:
            fn(user=request.user, permohonan=p, berkas=form.cleaned_data["berkas"], **kw(form))
        except ValidationError as e:
            form.terapkan_galat(e)
        else:
            form.hapus_berkas_sementara()
            messages.success(request, "Berkas diunggah.")
            return redirect("sop:permohonan_detail", pk=p.pk)
    return TemplateResponse(
        request,
        "sop/permohonan_detail.html",
        _detail_context(request, p, **{kunci_form: form}),
        status=400,
    )


@require_POST
def permohonan_lampiran(request, pk):
    p = _permohonan(request, pk)
    form = LampiranForm(
        request.POST, request.FILES, langkah=p.langkah_aktif(), pengguna=request.user
    )
    return _unggah(
        request,
        p,
        form,
        services.permohonan_lampirkan,
        "form_lampiran",
        kw=lambda f: {"jenis": f.cleaned_data["jenis"]},
    )


@require_POST
def permohonan_hasil(request, pk):
    p = _permohonan(request, pk)
    form = HasilForm(request.POST, request.FILES, pengguna=request.user)
    return _unggah(
        request, p, form, services.permohonan_unggah_hasil, "form_hasil", kw=lambda f: {}
    )


def kirim_berkas(berkas) -> FileResponse:
    """A stored upload, served only after the caller checked the record's scope (through
    ``sop.unduh``: detected type, nosniff, sandbox CSP, attachment unless PDF/image)."""
    return unduh_berkas(berkas)


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


@require_POST
def permohonan_tanda_terima(request, pk):
    """The applicant's receipt with a new tracking PIN (POST: issuing a PIN is a write)."""
    from .tanda_terima import UKURAN, Butir, TandaTerima, kop_unit, render_pdf, zona_unit

    ukuran = request.POST.get("ukuran", "a4")
    if ukuran not in UKURAN:
        ukuran = "a4"
    p, pin = services.permohonan_pin_baru(user=request.user, permohonan=_permohonan(request, pk))
    tt = TandaTerima(
        nomor=p.nomor,
        waktu=p.dibuat,
        kop=kop_unit(p.unit),
        judul="TANDA TERIMA PERMOHONAN",
        layanan=p.sop.nama,
        pemohon=p.pemohon_nama,
        butir=[Butir(lp.jenis) for lp in p.lampiran.all()],
        kode_lacak=p.kode_lacak,
        pin=pin,
        url_lacak=request.build_absolute_uri(p.url_lacak()),
        petugas=request.user.get_full_name() or "",
        catatan=[f"Perihal: {p.judul}"],
        zona=zona_unit(p.unit),
    )
    resp = HttpResponse(render_pdf(tt, ukuran=ukuran), content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="tanda-terima-{p.nomor}.pdf"'
    resp["Cache-Control"] = "no-store"
    return resp
