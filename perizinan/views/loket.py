"""The counter and the request: intake, list, detail, actions, documents, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sop.engine import GagalTransisi, cari_izin, transisi_tersedia
from sop.idempoten import token_baru, token_sah
from sop.selectors import jejak_objek
from sop.unduh import unduh_berkas as unduh_berkas_tersimpan

from .. import selectors as sel
from .. import services
from ..forms import BerkasForm, HasilForm, TerimaForm, TransisiForm
from ..models import (
    DIBATALKAN,
    DISERAHKAN,
    KEMBALI,
    LOKET,
    SIAP,
    BerkasSyarat,
    DokumenHasil,
    KeluaranLayanan,
    Permohonan,
)
from .umum import halaman, permohonan_atau_404, pesan_validasi

KELOMPOK = {
    "proses": gettext_lazy("In process"),
    "kembali": gettext_lazy("Returned to the applicant"),
    "siap": gettext_lazy("Ready to be handed over"),
    "diserahkan": gettext_lazy("Handed over"),
    "dibatalkan": gettext_lazy("Cancelled"),
}


# the main action first, the cancellation last
URUTAN_TOMBOL = {
    "selesaikan": 0,
    "putuskan_ya": 0,
    "serahkan": 0,
    "lengkapi_berkas": 0,
    "putuskan_tidak": 1,
    "kembalikan_berkas": 2,
    "batalkan": 3,
}


def q_kelompok(k: str) -> Q:
    if k == "kembali":
        return Q(status__startswith=KEMBALI)
    if k == "siap":
        return Q(status=SIAP)
    if k == "diserahkan":
        return Q(status=DISERAHKAN)
    if k == "dibatalkan":
        return Q(status=DIBATALKAN)
    return ~Q(status__in=[SIAP, DISERAHKAN, DIBATALKAN]) & ~Q(status__startswith=KEMBALI)


# --------------------------------------------------------------------------- home
@require_GET
def beranda(request):
    user = request.user
    qs = sel.permohonan_lingkup(user)
    hari_ini = timezone.localdate()
    hitung = qs.aggregate(
        kembali=Count("pk", filter=Q(status__startswith=KEMBALI)),
        siap=Count("pk", filter=Q(status=SIAP)),
        hari_ini=Count("pk", filter=Q(diterima_pada__date=hari_ini)),
    )
    antre = sel.antrean(user)
    now = timezone.now()
    return render(
        request,
        "perizinan/beranda.html",
        {
            "hitung": hitung,
            "antrean": antre.count(),
            "lewat": antre.filter(tenggat__lt=now, dijeda_sejak__isnull=True).count(),
            "boleh_terima": bool(services.layanan_loket(user)),
        },
    )


# --------------------------------------------------------------------------- intake
@require_http_methods(["GET", "POST"])
def terima(request):
    pilihan = services.layanan_loket(request.user)
    if not pilihan:
        raise PermissionDenied(_("You do not work the counter of any licensing service."))
    kode = request.POST.get("layanan") or request.GET.get("layanan", "")
    jenis = next((j for j in pilihan if j.kode == kode), None)
    if jenis is None and len(pilihan) == 1:
        jenis = pilihan[0]
    if jenis is None:
        return render(request, "perizinan/terima_pilih.html", {"pilihan": pilihan})
    form = TerimaForm(
        request.POST or None, request.FILES or None, jenis=jenis, pengguna=request.user
    )
    # the form's idempotency token: kept across a re-rendered form, fresh for a new one
    token = request.POST.get("token", "") if request.method == "POST" else ""
    if not token_sah(token):
        token = token_baru()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                p = services.permohonan_terima(
                    user=request.user,
                    jenis=jenis,
                    data=form.cleaned_data,
                    berkas=form.berkas(),
                    asli=form.asli(),
                    cara=form.cleaned_data["cara"],
                    token=token,
                )
            except ValidationError as e:
                form.terapkan_galat(e)
            except GagalTransisi as e:
                form.galat_umum(str(e))
                status = e.status_http
            else:
                form.hapus_berkas_sementara()
                messages.success(
                    request,
                    _("File received with number %(n)s. Print the receipt for the applicant.")
                    % {"n": p.nomor},
                )
                return redirect(p.get_absolute_url() + "#tanda-terima")
    return render(
        request,
        "perizinan/terima.html",
        {
            "form": form,
            "jenis": jenis,
            "pilihan": pilihan,
            "jangka": _jangka(jenis),
            "token": token,
        },
        status=status,
    )


def _jangka(jenis):
    from ..sop_info import jangka_waktu_sop

    sop = jenis.sop_berlaku()
    return jangka_waktu_sop(sop) if sop else None


# --------------------------------------------------------------------------- list
@require_GET
def daftar(request):
    qs = sel.permohonan_lingkup(request.user).select_related("jenis")
    f = {k: request.GET.get(k, "").strip() for k in ("layanan", "kelompok", "q")}
    if f["layanan"]:
        qs = qs.filter(jenis__kode=f["layanan"])
    if f["kelompok"] in KELOMPOK:
        qs = qs.filter(q_kelompok(f["kelompok"]))
    if f["q"]:
        q = f["q"]
        cari = Q(nomor__icontains=q) | Q(usaha_nama__icontains=q) | Q(pemohon_nama__icontains=q)
        if q.isdigit() and len(q) == 16:
            cari |= Q(pemohon_nik=q)
        qs = qs.filter(cari)
    page = halaman(request, qs.order_by("-diterima_pada", "-pk"))
    sel.lampirkan_jam(page.object_list)
    return render(
        request,
        "perizinan/daftar.html",
        {
            "page": page,
            "f": f,
            "kelompok": KELOMPOK.items(),
            "layanan": sel.layanan_lingkup(request.user).order_by("urutan", "nama"),
        },
    )


# --------------------------------------------------------------------------- detail
def _detail(request, p: Permohonan, *, status=200, form_transisi=None, form_hasil=None):
    user = request.user
    p = Permohonan.objects.select_related(
        "jenis", "unit__wilayah", "sop", "diterima_oleh", "diserahkan_oleh"
    ).get(pk=p.pk)
    langkah = p.langkah_aktif()
    jam = sel.jam_permohonan(p)
    berkas = {b.persyaratan_id: b for b in p.berkas.all()}
    syarat = [(s, berkas.get(s.pk)) for s in p.jenis.persyaratan.all()]
    hasil = {d.keluaran_id: d for d in p.dokumen_hasil.select_related("dicatat_oleh")}
    keluaran = list(p.jenis.keluaran.all())
    boleh_langkah = langkah is not None and cari_izin(p, user, langkah) is not None
    catat = [
        k
        for k in keluaran
        if boleh_langkah and not p.dijeda and k.langkah_kode == p.langkah_aktif_kode()
    ]
    semua = sorted(p.langkah_sop().values(), key=lambda x: x.nomor)
    from sop.engine import langkah_eksternal

    ctx = {
        "p": p,
        "langkah": langkah,
        "eksternal": langkah is not None and langkah_eksternal(langkah),
        "semua_langkah": semua,
        "jam": jam,
        "hitung": sel.hitung_mundur(jam) if jam else None,
        "tombol": sorted(transisi_tersedia(p, user), key=lambda t: URUTAN_TOMBOL.get(t.nama, 9)),
        "syarat_kurang": p.syarat_langkah(langkah) if boleh_langkah and not p.dijeda else [],
        "syarat": syarat,
        "hasil": [(k, hasil.get(k.pk)) for k in keluaran],
        "catat": catat,
        "boleh_berkas": services.boleh_ubah_berkas(user, p),
        "boleh_loket": cari_izin(p, user, p.langkah_untuk(LOKET)) is not None,
        "jejak": jejak_objek(p),
        "form_transisi": form_transisi or TransisiForm(initial={"status_terlihat": p.status}),
        "form_hasil": form_hasil or HasilForm(initial={"tanggal": timezone.localdate()}),
        "form_berkas": BerkasForm(),
    }
    return render(request, "perizinan/detail.html", ctx, status=status)


@require_GET
def detail(request, pk):
    return _detail(request, permohonan_atau_404(request, pk))


@require_POST
def transisi(request, pk, nama):
    p = permohonan_atau_404(request, pk)
    form = TransisiForm(request.POST)
    if not form.is_valid():
        return _detail(request, p, status=400, form_transisi=form)
    d = form.cleaned_data
    try:
        p = services.permohonan_transisi(
            user=request.user,
            permohonan=p,
            nama=nama,
            catatan=d["catatan"],
            status_terlihat=d["status_terlihat"] or None,
            kekurangan=d["kekurangan"].splitlines(),
            penerima_nama=d["penerima_nama"],
            penerima_keterangan=d["penerima_keterangan"],
        )
    except ValidationError as e:
        for m in pesan_validasi(e).values():
            messages.error(request, m)
        return _detail(request, p, status=400, form_transisi=form)
    except GagalTransisi as e:
        messages.error(request, str(e))
        return _detail(request, p, status=e.status_http, form_transisi=form)
    messages.success(request, _("Recorded: %(s)s.") % {"s": p.label_status()})
    return redirect(p)


@require_POST
def berkas_simpan(request, pk):
    p = permohonan_atau_404(request, pk)
    form = BerkasForm(request.POST, request.FILES, pengguna=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a checklist item and a file."))
        return _detail(request, p, status=400)
    s = get_object_or_404(p.jenis.persyaratan, pk=form.cleaned_data["persyaratan"])
    try:
        services.berkas_syarat_simpan(
            user=request.user,
            permohonan=p,
            persyaratan=s,
            berkas=form.cleaned_data.get("berkas") or None,
            asli=form.cleaned_data["asli"],
        )
    except ValidationError as e:
        for m in pesan_validasi(e).values():
            messages.error(request, f"{s.nama}: {m}")
        return _detail(request, p, status=400)
    except GagalTransisi as e:
        messages.error(request, str(e))
        return _detail(request, p, status=e.status_http)
    form.hapus_berkas_sementara()
    messages.success(request, _("Document received: %(d)s.") % {"d": s.nama})
    return redirect(p)


@require_POST
def hasil_catat(request, pk):
    p = permohonan_atau_404(request, pk)
    form = HasilForm(request.POST, request.FILES, pengguna=request.user)
    if not form.is_valid():
        return _detail(request, p, status=400, form_hasil=form)
    k = get_object_or_404(KeluaranLayanan, pk=form.cleaned_data["keluaran"], jenis=p.jenis)
    try:
        services.dokumen_hasil_catat(
            user=request.user,
            permohonan=p,
            keluaran=k,
            nomor=form.cleaned_data["nomor"],
            tanggal=form.cleaned_data["tanggal"],
            berkas=form.cleaned_data.get("berkas") or None,
        )
    except ValidationError as e:
        form.terapkan_galat(e)
        return _detail(request, p, status=400, form_hasil=form)
    except GagalTransisi as e:
        messages.error(request, str(e))
        return _detail(request, p, status=e.status_http, form_hasil=form)
    form.hapus_berkas_sementara()
    messages.success(request, _("Output document recorded: %(d)s.") % {"d": k.nama})
    return redirect(p)


@require_GET
def unduh_berkas(request, pk, berkas_id):
    p = permohonan_atau_404(request, pk)
    b = get_object_or_404(
        BerkasSyarat.objects.select_related("persyaratan"), pk=berkas_id, permohonan=p
    )
    return unduh_berkas_tersimpan(b.berkas, nama=slugify(str(b.persyaratan)) or "berkas")


@require_GET
def unduh_hasil(request, pk, hasil_id):
    p = permohonan_atau_404(request, pk)
    d = get_object_or_404(
        DokumenHasil.objects.select_related("keluaran"), pk=hasil_id, permohonan=p
    )
    return unduh_berkas_tersimpan(d.berkas, nama=slugify(str(d.keluaran)) or "hasil")


# --------------------------------------------------------------------------- receipts
def _ukuran(request) -> str:
    from sop.tanda_terima import UKURAN

    u = request.POST.get("ukuran", "a4")
    return u if u in UKURAN else "a4"


def _pdf(data: bytes, nama: str) -> HttpResponse:
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{nama}.pdf"'
    resp["Cache-Control"] = "no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@require_POST
def tanda_terima(request, pk):
    """The file receipt with a new tracking PIN (POST: issuing a PIN is a write)."""
    from ..tanda_terima import tanda_terima_berkas

    p = permohonan_atau_404(request, pk)
    try:
        p, pin = services.permohonan_pin_baru(user=request.user, permohonan=p)
    except GagalTransisi as e:
        raise PermissionDenied(str(e)) from e
    data = tanda_terima_berkas(
        p,
        pin=pin,
        petugas=request.user,
        url_dasar=request.build_absolute_uri("/")[:-1],
        ukuran=_ukuran(request),
    )
    return _pdf(data, f"tanda-terima-{p.kode_lacak}")


@require_POST
def tanda_serah(request, pk):
    """The signed handover receipt, with the survey QR."""
    from ..tanda_terima import tanda_serah as buat

    p = permohonan_atau_404(request, pk)
    if p.status != DISERAHKAN or cari_izin(p, request.user, p.langkah_untuk(LOKET)) is None:
        raise PermissionDenied(
            _("Only the counter prints the handover receipt of a request handed over.")
        )
    data = buat(
        p,
        petugas=request.user,
        url_dasar=request.build_absolute_uri("/")[:-1],
        ukuran=_ukuran(request),
    )
    return _pdf(data, f"tanda-serah-{p.kode_lacak}")
