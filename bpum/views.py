"""Screens of the BPUM module: proposals, batches, duplicates, dashboard, public status page.

Short function views; every queryset starts from the scope selectors in ``bpum.selectors``;
every write calls ``bpum.services``; nothing changes state on GET. Spreadsheet screens (import,
export) are in ``bpum.views_berkas``.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sop import label, lacak
from sop.engine import GagalTransisi, transisi_tersedia
from sop.halaman import PaginatorCepat
from sop.idempoten import token_baru, token_sah
from sop.penomoran import normalkan_kode
from sop.selectors import jumlah_lewat
from sop.unduh import unduh_berkas

from . import provinsi, services
from . import selectors as sel
from .forms import (
    DuplikatForm,
    PeriksaFisikForm,
    PernyataanForm,
    RekapFilterForm,
    RekapKembalikanForm,
    RekapTerimaForm,
    TindakanForm,
    UnggahDokumenForm,
    UsulanBaruForm,
    UsulanFilterForm,
    UsulanUbahForm,
    VerifikasiBarisForm,
)
from .models import (
    DOKUMEN_FIELD,
    LANGKAH_DESA,
    LANGKAH_DINAS,
    LANGKAH_KECAMATAN,
    LANGKAH_PROVINSI,
    PREFIX_NOMOR,
    Rekap,
    Usulan,
)

S = Usulan.Status
PER_HALAMAN = getattr(settings, "PORTAL_PAGE_SIZE", 25)
URUTAN = {"baru": ("-dibuat", "-pk"), "lama": ("dibuat", "pk"), "nama": ("nama", "pk")}


def halaman(request, qs, per_page=PER_HALAMAN):
    return Paginator(qs, per_page).get_page(request.GET.get("hal"))


def _bisa(user, wilayah_kode: str, langkah_kode: str) -> bool:
    try:
        services.izin_wilayah(user, wilayah_kode, langkah_kode)
    except GagalTransisi:
        return False
    return True


def _peran_bpum(user) -> dict:
    """Which tiers the user acts in (for tiles and links; the services still check)."""
    return sel.peran_bpum(user)


def post_atau_kembali(ke):
    """``require_POST`` that never shows a blank 405: a GET (a reload or the back button after
    an error page rendered at a POST-only address) is redirected to the page the form belongs
    to, ``ke(*args, **kwargs)`` (post/redirect/get)."""

    def deco(view):
        @wraps(view)
        def inner(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                messages.info(
                    request, _("That address only receives a submitted form: here is its page.")
                )
                return redirect(ke(*args, **kwargs))
            return HttpResponseNotAllowed(["POST"])

        return inner

    return deco


def selesai(request, url: str):
    """Post/redirect/get, also for an upload sent by static/bpum/bpum.js with a progress bar
    (header ``X-Unggah-Progres``): it gets ``{"ke": url}`` and goes there itself, so the flash
    messages are shown on that page and not consumed by the XHR following a redirect."""
    if request.headers.get("X-Unggah-Progres") == "1":
        return JsonResponse({"ke": url})
    return redirect(url)


def ke_usulan(pk, *args, **kwargs):
    return reverse("bpum:usulan_detail", args=[pk])


def ke_rekap(pk, *args, **kwargs):
    return reverse("bpum:rekap_detail", args=[pk])


def ke_daftar_rekap(*args, **kwargs):
    return reverse("bpum:rekap_daftar")


def ke_duplikat(pk, *args, **kwargs):
    return reverse("bpum:duplikat_detail", args=[pk])


# --------------------------------------------------------------------------- home
@require_GET
def beranda(request):
    periode = sel.periode_dipilih(request.user, request.GET.get("periode"))
    hitung: dict[str, int] = {}
    for _desa, status, n in sel.hitungan_per_desa(request.user, periode):
        hitung[status] = hitung.get(status, 0) + int(n)
    return render(
        request,
        "bpum/beranda.html",
        {
            "periode": periode,
            "peran": _peran_bpum(request.user),
            "hitung": [(s, label, hitung.get(s, 0)) for s, label in S.choices],
            "total": sum(hitung.values()),
            "antrean": sel.rekap_lingkup(request.user)
            .filter(status=Rekap.Status.DIKIRIM, tingkat=Rekap.Tingkat.KECAMATAN)
            .count(),
            "antrean_provinsi": sel.rekap_lingkup(request.user)
            .filter(status=Rekap.Status.DIKIRIM, tingkat=Rekap.Tingkat.KABUPATEN)
            .count(),
            "ganda": sel.jumlah_usulan(request.user, periode, duplikat=True),
            "lewat": jumlah_lewat(request.user, Usulan),
        },
    )


# --------------------------------------------------------------------------- proposals
@require_GET
def usulan_daftar(request):
    periode = sel.periode_dipilih(request.user, request.GET.get("periode"))
    qs = sel.usulan_lingkup(request.user).select_related("wilayah", "kecamatan", "periode")
    if periode:
        qs = qs.filter(periode=periode)
    kecamatan = sel.kecamatan_lingkup(request.user, periode)
    kec_dipilih = request.GET.get("kecamatan", "").strip()
    desa = sel.desa_lingkup(request.user, kecamatan, kec_dipilih)
    form = UsulanFilterForm(request.GET, kecamatan=kecamatan, desa=desa)
    f = form.nilai()
    saring = {}  # filters the summary rows answer too (the list's total without a COUNT)
    if f["status"] in S.values:
        saring["status"] = f["status"]
    if f["desa"]:
        saring["wilayah_id"] = f["desa"]
    if f["ganda"] == "1":
        saring["duplikat"] = True
    qs = qs.filter(**saring)
    if f["kecamatan"]:
        qs = qs.filter(kecamatan_id=f["kecamatan"])
    jumlah = None
    if f["q"]:
        q = f["q"]
        # the name by its trigram index; a number or NIK exactly (their own indexes), so
        # PostgreSQL can OR the index scans instead of reading every proposal
        cari = Q(nama__icontains=q)
        nomor = normalkan_kode(q, PREFIX_NOMOR)
        if nomor:
            cari |= Q(nomor=nomor)
        if q.isdigit() and len(q) == 16:
            cari |= Q(nik=q)
        qs = qs.filter(cari)
    else:
        jumlah = sel.jumlah_usulan(request.user, periode, kecamatan=f["kecamatan"], **saring)
    qs = qs.order_by(*URUTAN.get(f["urut"], URUTAN["baru"]))
    page = PaginatorCepat(qs, PER_HALAMAN, jumlah=jumlah).get_page(request.GET.get("hal"))
    sel.lampirkan_jam(page.object_list)
    return render(
        request,
        "bpum/usulan_daftar.html",
        {
            "page": page,
            "form": form,
            "periode": periode,
            "boleh_baru": services.boleh_terima(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def usulan_baru(request):
    desa = services.desa_pilihan(request.user)
    if not desa:
        raise PermissionDenied("Penerimaan usulan hanya untuk petugas desa/kelurahan.")
    periode = services.periode_terbuka_untuk(desa[0].kode)
    periode = periode[0] if periode else None
    kirim = request.method == "POST"
    # the form's idempotency token: kept across a re-rendered form, fresh for a new one
    token = request.POST.get("token", "") if kirim else ""
    if not token_sah(token):
        token = token_baru()
    form = UsulanBaruForm(
        request.POST if kirim else None,
        request.FILES if kirim else None,
        desa=desa,
        periode=periode,
        pengguna=request.user,
    )
    if form.is_valid():
        try:
            u = services.usulan_buat(
                user=request.user,
                desa=form.cleaned_data["desa"],
                data=form.cleaned_data,
                berkas=form.berkas(),
                token=token,
                nik_luar_provinsi=form.cleaned_data.get("nik_luar_provinsi", False),
            )
        except ValidationError as e:
            form.terapkan_galat(e)
        except GagalTransisi as e:
            form.galat_umum(str(e))
        else:
            form.hapus_berkas_sementara()
            if u.sudah_terdaftar == "nik":
                messages.warning(
                    request,
                    _(
                        "This NIK is already registered in %(desa)s in this round "
                        "(proposal %(nomor)s): no second proposal was created."
                    )
                    % {"desa": u.wilayah.nama, "nomor": u.nomor},
                )
            elif u.sudah_terdaftar == "formulir":
                messages.info(
                    request,
                    _("This form was already sent: proposal %(nomor)s.") % {"nomor": u.nomor},
                )
            else:
                messages.success(request, f"Usulan {u.nomor} diterima. Cetak tanda terima.")
                if u.duplikat:
                    messages.warning(
                        request,
                        "NIK ini sudah diusulkan di periode ini; usulan ditandai sebagai "
                        "kemungkinan data ganda untuk diputus dinas.",
                    )
            return selesai(request, u.get_absolute_url())
    return render(
        request,
        "bpum/usulan_baru.html",
        {"form": form, "periode": periode, "token": token},
        status=400 if form.errors else 200,
    )


def _usulan(request, pk) -> Usulan:
    return get_object_or_404(
        sel.usulan_lingkup(request.user).select_related(
            "sop",
            "periode",
            "wilayah",
            "kecamatan",
            "unit",
            "rekap_kecamatan",
            "rekap_kabupaten",
            "pemeriksaan",
        ),
        pk=pk,
    )


TRANSISI_KHUSUS = {
    "mulai": gettext_lazy("Proposal received"),
    "impor": gettext_lazy("Imported from the district batch"),
    "rekap_dibuat": gettext_lazy("Batch created"),
    "rekap_kirim": gettext_lazy("Batch sent"),
    "rekap_terima": gettext_lazy("Batch accepted"),
    "rekap_kembalikan": gettext_lazy("Batch returned"),
}


def jejak_berlabel(obj) -> list:
    """The step log with the transitions' and states' labels and people's names."""
    return label.jejak_berlabel(obj, khusus=TRANSISI_KHUSUS)


def _tombol(u: Usulan, user) -> list:
    """The one-proposal actions ``user`` may take now; the ministry's answer only for the tier
    the round names (``bpum.provinsi``)."""
    tombol = [t for t in transisi_tersedia(u, user) if t.nama in services.TRANSISI_TUNGGAL]
    if any(t.nama in services.TRANSISI_KEMENTERIAN for t in tombol) and not (
        provinsi.boleh_mencatat_provinsi(user, u.periode, u.wilayah_id)
    ):
        tombol = [t for t in tombol if t.nama not in services.TRANSISI_KEMENTERIAN]
    return tombol


def _detail(request, u: Usulan, status=200, *, form_unggah=None, form_tindakan=None):
    tombol = _tombol(u, request.user)
    tombol.sort(key=lambda t: t.alasan)  # the main action first, those needing a reason after
    form_tindakan = form_tindakan or {}
    ganda = services.kelompok_duplikat(u).count() if u.duplikat else 0
    return render(
        request,
        "bpum/usulan_detail.html",
        {
            "u": u,
            "tombol": [
                (
                    t,
                    form_tindakan.get(t.nama)
                    or TindakanForm(tombol=t, initial={"status_terlihat": u.status}),
                )
                for t in tombol
            ],
            "jejak": jejak_berlabel(u),
            "form_unggah": form_unggah or UnggahDokumenForm(usulan=u),
            "form_pernyataan": PernyataanForm(
                initial={
                    "bukan_pegawai": u.bukan_pegawai,
                    "tidak_menerima_kur": u.tidak_menerima_kur,
                }
            ),
            "alasan_dipilih": list(u.alasan_pengembalian.all())
            if u.status == S.DIKEMBALIKAN
            else [],
            "kurang": u.kekurangan() if u.status in (S.DIAJUKAN, S.DIKEMBALIKAN) else [],
            "boleh_unggah": u.status in (S.DIAJUKAN, S.DIKEMBALIKAN)
            and _bisa(request.user, u.wilayah_id, LANGKAH_DESA),
            "dokumen": u.dokumen(),
            "jam": sel.jam_usulan(u),
            "kurang_verifikasi": u.kurang_verifikasi() if u.sumber == u.Sumber.IMPOR else [],
            "ganda": ganda,
            "boleh_putus_ganda": ganda and _bisa(request.user, u.wilayah_id[:5], LANGKAH_DINAS),
            "riwayat": label.riwayat_berlabel(u),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def usulan_ubah(request, pk):
    """Correct the applicant's data at the village (field history kept; the NIK is fixed)."""
    u = _usulan(request, pk)
    if not (
        u.status in (S.DIAJUKAN, S.DIKEMBALIKAN) and _bisa(request.user, u.wilayah_id, LANGKAH_DESA)
    ):
        raise PermissionDenied(
            "Data hanya dapat diubah petugas desa/kelurahan selama berkas di desa."
        )
    form = UsulanUbahForm(
        request.POST if request.method == "POST" else None, usulan=u, pengguna=request.user
    )
    if form.is_valid():
        try:
            ubah = services.usulan_ubah_data(user=request.user, usulan=u, data=form.cleaned_data)
        except ValidationError as e:
            form.terapkan_galat(e)
        except GagalTransisi as e:
            form.galat_umum(str(e))
        else:
            messages.success(
                request, f"{len(ubah)} data diubah." if ubah else "Tidak ada perubahan."
            )
            return redirect("bpum:usulan_detail", pk=u.pk)
    return render(
        request,
        "bpum/usulan_ubah.html",
        {"u": u, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def usulan_detail(request, pk):
    return _detail(request, _usulan(request, pk))


@post_atau_kembali(ke_usulan)
def usulan_transisi(request, pk, nama):
    u = _usulan(request, pk)
    tombol = next((t for t in _tombol(u, request.user) if t.nama == nama), None)
    form = TindakanForm(request.POST, tombol=tombol, pengguna=request.user)
    if tombol is not None and not form.is_valid():
        return _detail(request, u, status=400, form_tindakan={nama: form})
    d = form.cleaned_data if tombol is not None else {}
    try:
        services.usulan_transisi(
            user=request.user,
            usulan=u,
            nama=nama,
            catatan=d.get("catatan", request.POST.get("catatan", "")),
            alasan_ids=[a.pk for a in d.get("alasan") or []]
            or [int(x) for x in request.POST.getlist("alasan") if x.isdigit()],
            status_terlihat=d.get("status_terlihat") or request.POST.get("status_terlihat"),
        )
    except GagalTransisi as e:
        messages.error(request, str(e))
        return _detail(request, _usulan(request, pk), status=e.status_http)
    if nama == "tarik":
        messages.success(
            request,
            _(
                "Proposal %(nomor)s was withdrawn. The NIK can be entered again (e.g. with the "
                "corrected number)."
            )
            % {"nomor": u.nomor},
        )
    else:
        messages.success(request, _("Action recorded."))
    return redirect("bpum:usulan_detail", pk=u.pk)


@post_atau_kembali(ke_usulan)
def usulan_unggah(request, pk):
    u = _usulan(request, pk)
    form = UnggahDokumenForm(request.POST, request.FILES, usulan=u, pengguna=request.user)
    if not form.is_valid():
        return _detail(request, u, status=400, form_unggah=form)
    try:
        services.usulan_unggah_dokumen(
            user=request.user,
            usulan=u,
            jenis=form.cleaned_data["jenis"],
            berkas=form.cleaned_data["berkas"],
        )
    except ValidationError as e:
        form.terapkan_galat(e)
        return _detail(request, u, status=400, form_unggah=form)
    except GagalTransisi as e:
        messages.error(request, str(e))
        return _detail(request, u, status=e.status_http)
    form.hapus_berkas_sementara()
    messages.success(request, "Dokumen diunggah.")
    return selesai(request, u.get_absolute_url())


@post_atau_kembali(ke_usulan)
def usulan_pernyataan(request, pk):
    u = _usulan(request, pk)
    form = PernyataanForm(request.POST, pengguna=request.user)
    form.is_valid()  # two check boxes: always valid
    try:
        services.usulan_pernyataan(
            user=request.user,
            usulan=u,
            bukan_pegawai=form.cleaned_data["bukan_pegawai"],
            tidak_menerima_kur=form.cleaned_data["tidak_menerima_kur"],
        )
    except GagalTransisi as e:
        messages.error(request, str(e))
        return _detail(request, u, status=e.status_http)
    messages.success(request, "Pernyataan disimpan.")
    return redirect("bpum:usulan_detail", pk=u.pk)


@require_GET
def usulan_dokumen(request, pk, jenis):
    """Applicants' documents are personal data: served only through the scope check."""
    u = _usulan(request, pk)
    field = DOKUMEN_FIELD.get(jenis)
    berkas = getattr(u, field) if field else None
    if not berkas:
        raise Http404
    return unduh_berkas(berkas, nama=f"{u.nomor}-{jenis}")


@require_GET
def usulan_tanda_terima(request, pk):
    """The applicant's receipt on the shared receipt base (A4, A5 or a 58/80 mm roll via
    ``?ukuran=``); its QR opens the public status page with the number filled in. BPUM has no
    PIN (the second factor is the NIK's last 4 digits), so printing it again changes nothing."""
    from urllib.parse import urlencode

    from sop.tanda_terima import UKURAN, Butir, TandaTerima, kop_unit, render_pdf, zona_unit

    u = _usulan(request, pk)
    ukuran = request.GET.get("ukuran", "a4")
    ukuran = ukuran if ukuran in UKURAN else "a4"
    butir = [Butir(label, ada=ada) for _kode, label, ada in u.dokumen()]
    butir += [
        Butir("Pernyataan bukan ASN/TNI/Polri/pegawai BUMN/BUMD", ada=u.bukan_pegawai),
        Butir("Pernyataan tidak sedang menerima KUR", ada=u.tidak_menerima_kur),
    ]
    status = request.build_absolute_uri(reverse("bpum:publik_status"))
    tt = TandaTerima(
        nomor=u.nomor,
        waktu=u.dibuat,
        kop=kop_unit(u.unit),
        judul="TANDA TERIMA BERKAS USULAN BPUM",
        layanan=u.periode.nama,
        pemohon=u.nama,
        butir=butir,
        kode_lacak=u.nomor,
        url_lacak=f"{status}?{urlencode({'nomor': u.nomor})}",
        petugas=request.user.get_full_name() or "",
        zona=zona_unit(u.unit),
    )
    pdf = render_pdf(tt, ukuran=ukuran, template="bpum/pdf/tanda_terima.html", ekstra={"u": u})
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="tanda-terima-{u.nomor}.pdf"'
    return resp


# --------------------------------------------------------------------------- batches
@require_GET
def rekap_daftar(request):
    periode = sel.periode_dipilih(request.user, request.GET.get("periode"))
    qs = sel.rekap_lingkup(request.user).select_related("wilayah", "unit", "periode")
    if periode:
        qs = qs.filter(periode=periode)
    form = RekapFilterForm(request.GET)
    f = form.nilai()
    if f["status"] in Rekap.Status.values:
        qs = qs.filter(status=f["status"])
    if f["tingkat"] in Rekap.Tingkat.values:
        qs = qs.filter(tingkat=f["tingkat"])
    page = halaman(request, qs.order_by("-dibuat", "-pk"))
    peran = _peran_bpum(request.user)
    return render(
        request,
        "bpum/rekap_daftar.html",
        {
            "page": page,
            "form": form,
            "periode": periode,
            "peran": peran,
        },
    )


def _kecamatan_kerja(user, periode) -> list:
    return [
        w for w in sel.kecamatan_lingkup(user, periode) if _bisa(user, w.kode, LANGKAH_KECAMATAN)
    ]


@require_http_methods(["GET", "POST"])
def rekap_susun(request):
    """The district builder: complete proposals not yet in a batch -> the open batch."""
    periode = sel.periode_dipilih(
        request.user, request.GET.get("periode") or request.POST.get("periode")
    )
    pilihan = _kecamatan_kerja(request.user, periode)
    if not pilihan:
        raise PermissionDenied("Penyusunan rekap hanya untuk petugas kecamatan.")
    kode = request.POST.get("kecamatan") or request.GET.get("kecamatan") or pilihan[0].kode
    kec = next((w for w in pilihan if w.kode == kode), pilihan[0])
    if request.method == "POST":
        try:
            rekap = services.rekap_terbuka(
                user=request.user, periode=periode, wilayah=kec, tingkat=Rekap.Tingkat.KECAMATAN
            )
            ids = (
                None
                if request.POST.get("semua")
                else [int(x) for x in request.POST.getlist("usulan") if x.isdigit()]
            )
            if ids == []:
                raise GagalTransisi("Pilih usulan yang akan dimasukkan ke rekap.")
            n = services.rekap_tambah(user=request.user, rekap=rekap, usulan_ids=ids)
        except GagalTransisi as e:
            messages.error(request, str(e))
        else:
            messages.success(request, f"{n} usulan dimasukkan ke rekap {rekap.nomor}.")
            return redirect("bpum:rekap_detail", pk=rekap.pk)
    qs = (
        sel.usulan_lingkup(request.user)
        .filter(periode=periode, kecamatan=kec, status=S.LENGKAP, rekap_kecamatan__isnull=True)
        .select_related("wilayah")
        .order_by("wilayah__nama", "nama", "pk")
    )
    terbuka = Rekap.objects.filter(
        periode=periode, wilayah=kec, tingkat=Rekap.Tingkat.KECAMATAN, status__in=Rekap.TERBUKA
    ).first()
    page = halaman(request, qs.select_related("pemeriksaan"), PER_HALAMAN_REKAP)
    for u in page.object_list:
        u.periode = periode
        u.kurang = u.kurang_verifikasi()
    return render(
        request,
        "bpum/rekap_susun.html",
        {
            "periode": periode,
            "pilihan": pilihan,
            "kec": kec,
            "page": page,
            "terbuka": terbuka,
            "form_periksa": PeriksaFisikForm(
                initial={"pemeriksa": request.user.get_full_name(), "tanggal": timezone.localdate()}
            ),
        },
        status=409 if request.method == "POST" else 200,
    )


def _rekap(request, pk) -> Rekap:
    return get_object_or_404(
        sel.rekap_lingkup(request.user).select_related(
            "wilayah", "unit", "periode", "dikirim_oleh", "diputus_oleh"
        ),
        pk=pk,
    )


PER_HALAMAN_REKAP = 100


def hak_rekap(user, rekap: Rekap) -> dict:
    """What ``user`` may do on a batch (buttons; the services check again): change it (the
    sending tier while open), decide on it (the receiving tier once sent; the province's step
    by the tier the round names), decide row by row (the agency, district batches)."""
    kec = rekap.tingkat == Rekap.Tingkat.KECAMATAN
    ubah = LANGKAH_KECAMATAN if kec else LANGKAH_DINAS
    putus = LANGKAH_DINAS if kec else LANGKAH_PROVINSI
    boleh_ubah = rekap.terbuka and _bisa(user, rekap.wilayah_id, ubah)
    boleh_putus = rekap.status == Rekap.Status.DIKIRIM and _bisa(user, rekap.wilayah_id, putus)
    if boleh_putus and not kec:
        boleh_putus = provinsi.boleh_mencatat_provinsi(user, rekap.periode, rekap.wilayah_id)
    return {
        "boleh_ubah": boleh_ubah,
        "boleh_putus": boleh_putus,
        "baris": boleh_putus and kec,
        "periksa": boleh_ubah and kec,
        "pilih": boleh_ubah or (boleh_putus and kec),
        "provinsi_sendiri": not kec and sel.peran_bpum(user)["provinsi"],
    }


def _rekap_detail(
    request,
    rekap: Rekap,
    status=200,
    *,
    form_kembalikan=None,
    form_terima=None,
    form_baris=None,
    form_periksa=None,
):
    kec = rekap.tingkat == Rekap.Tingkat.KECAMATAN
    paginator = sel.PaginatorAnggotaRekap(rekap, PER_HALAMAN_REKAP)
    qs = paginator.anggota
    hak = hak_rekap(request.user, rekap)
    page = paginator.get_page(request.GET.get("hal"))
    sel.lampirkan_jam(page.object_list)  # each row's due date (one query per page)
    for u in page.object_list:
        u.periode = rekap.periode
        u.kurang = u.kurang_verifikasi()
    return render(
        request,
        "bpum/rekap_detail.html",
        {
            "rekap": rekap,
            "page": page,
            **hak,
            "jejak": jejak_berlabel(rekap),
            "form_kembalikan": form_kembalikan or RekapKembalikanForm(),
            "form_terima": form_terima or RekapTerimaForm(),
            "form_baris": form_baris or VerifikasiBarisForm(),
            "form_periksa": form_periksa
            or PeriksaFisikForm(
                initial={
                    "pemeriksa": request.user.get_full_name(),
                    "tanggal": timezone.localdate(),
                }
            ),
            "kecamatan": kec,
            "terpilih": {int(x) for x in request.POST.getlist("usulan") if x.isdigit()},
            "ganda": qs.filter(duplikat=True).count() if rekap.terbuka else 0,
            "kurang": qs.filter(sel.q_kurang(rekap.periode)).count()
            if kec and rekap.status != Rekap.Status.DITERIMA
            else 0,
        },
        status=status,
    )


@require_GET
def rekap_detail(request, pk):
    return _rekap_detail(request, _rekap(request, pk))


@post_atau_kembali(ke_rekap)
def rekap_aksi(request, pk, aksi):
    """Whole-batch decisions of the receiving tier: accept (with the reason for proposals without
    complete files), return (reasons from the catalogue)."""
    rekap = _rekap(request, pk)
    try:
        if aksi == "terima":
            form = RekapTerimaForm(request.POST, pengguna=request.user)
            form.is_valid()
            rekap = services.rekap_terima(
                user=request.user, rekap=rekap, catatan=form.cleaned_data.get("catatan", "")
            )
            pesan = (
                _("Batch accepted.")
                if rekap.tingkat == Rekap.Tingkat.KECAMATAN
                else _("Batch forwarded to the ministry.")
            )
        elif aksi == "kembalikan":
            form = RekapKembalikanForm(request.POST, pengguna=request.user)
            if not form.is_valid():
                return _rekap_detail(request, rekap, status=400, form_kembalikan=form)
            services.rekap_kembalikan(
                user=request.user,
                rekap=rekap,
                alasan_ids=form.alasan_ids(),
                catatan=form.cleaned_data["catatan"],
            )
            pesan = _("Batch returned; the tier below was told why.")
        else:
            raise Http404
    except GagalTransisi as e:
        messages.error(request, str(e))
        return _rekap_detail(request, _rekap(request, pk), status=e.status_http)
    messages.success(request, pesan)
    return redirect("bpum:rekap_detail", pk=rekap.pk)


@post_atau_kembali(ke_daftar_rekap)
def rekap_kabupaten_susun(request):
    periode = sel.periode_dipilih(request.user, request.POST.get("periode"))
    if periode is None:
        raise Http404
    try:
        rekap, n, ditahan = services.rekap_kabupaten_susun(user=request.user, periode=periode)
    except GagalTransisi as e:
        messages.error(request, str(e))
        return redirect("bpum:rekap_daftar")
    messages.success(request, f"{n} usulan terverifikasi digabung ke rekap {rekap.nomor}.")
    if ditahan:
        messages.warning(request, f"{ditahan} usulan ditahan karena NIK ganda belum diputus.")
    return redirect("bpum:rekap_detail", pk=rekap.pk)


# --------------------------------------------------------------------------- duplicates
@require_GET
def duplikat_daftar(request):
    periode = sel.periode_dipilih(request.user, request.GET.get("periode"))
    qs = sel.usulan_lingkup(request.user).filter(duplikat=True)
    if periode:
        qs = qs.filter(periode=periode)
    grup = qs.order_by().values("nik").annotate(n=Count("id"), pk=Min("id")).order_by("nik")
    page = halaman(request, grup)
    anggota = {}
    niks = [g["nik"] for g in page.object_list]
    for u in qs.filter(nik__in=niks).select_related("wilayah", "kecamatan").order_by("pk"):
        anggota.setdefault(u.nik, []).append(u)
    for g in page.object_list:
        g["anggota"] = anggota.get(g["nik"], [])
    return render(request, "bpum/duplikat_daftar.html", {"page": page, "periode": periode})


def _duplikat_ctx(request, u: Usulan, status=200, form=None):
    anggota = list(
        services.kelompok_duplikat(u).filter(pk__in=sel.usulan_lingkup(request.user).values("pk"))
    )
    keputusan = sel.keputusan_duplikat(request.user, u)
    return render(
        request,
        "bpum/duplikat_detail.html",
        {
            "u": u,
            "anggota": anggota,
            "keputusan": keputusan,
            "boleh": _bisa(request.user, u.wilayah_id[:5], LANGKAH_DINAS),
            "form": form or DuplikatForm(),
        },
        status=status,
    )


@require_GET
def duplikat_detail(request, pk):
    return _duplikat_ctx(request, _usulan(request, pk))


@post_atau_kembali(ke_duplikat)
def duplikat_putuskan(request, pk):
    u = _usulan(request, pk)
    simpan = request.POST.get("dipertahankan", "")
    form = DuplikatForm(request.POST, pengguna=request.user)
    if not form.is_valid():
        return _duplikat_ctx(request, u, status=400, form=form)
    try:
        services.duplikat_putuskan(
            user=request.user,
            usulan=u,
            keputusan=form.cleaned_data["keputusan"],
            alasan=form.cleaned_data["alasan"],
            dipertahankan_id=int(simpan) if simpan.isdigit() else None,
        )
    except GagalTransisi as e:
        messages.error(request, str(e))
        return _duplikat_ctx(request, u, status=e.status_http, form=form)
    messages.success(request, "Keputusan data ganda dicatat.")
    return redirect("bpum:duplikat_daftar")


# --------------------------------------------------------------------------- dashboard
WARNA = {
    "diajukan": "#90a4ae",
    "dikembalikan": "#ffb74d",
    "lengkap": "#64b5f6",
    "direkap": "#4fc3f7",
    "diverifikasi": "#4db6ac",
    "dikirim_provinsi": "#7986cb",
    "diteruskan": "#9575cd",
    "diterima": "#2e7d32",
    "ditolak": "#c62828",
    "gugur": "#bdbdbd",
    "ditarik": "#8d6e63",
}


# Column headings of the dashboard table: short enough for 12 columns on a 1366 px screen
# (the full label is the heading's title and the legend's text).
LABEL_PENDEK = {
    "diajukan": gettext_lazy("At the village"),
    "dikembalikan": gettext_lazy("With the applicant"),
    "lengkap": gettext_lazy("At the district"),
    "direkap": gettext_lazy("Sent to agency"),
    "diverifikasi": gettext_lazy("Verified"),
    "dikirim_provinsi": gettext_lazy("At the province"),
    "diteruskan": gettext_lazy("At the ministry"),
    "diterima": gettext_lazy("Accepted"),
    "ditolak": gettext_lazy("Rejected"),
    "gugur": gettext_lazy("Dropped"),
    "ditarik": gettext_lazy("Withdrawn"),
}


@require_GET
def dasbor(request):
    periode = sel.periode_dipilih(request.user, request.GET.get("periode"))
    kec = request.GET.get("kecamatan", "").strip()
    per = "desa" if kec else "kecamatan"
    baris = sel.hitungan_status(request.user, periode, kecamatan=kec)
    for i, b in enumerate(baris):
        b["y"] = i * 26
        for bt in b["batang"]:
            bt["warna"] = WARNA.get(bt["status"], "#999")
        b["sel_label"] = [(st, n, LABEL_PENDEK.get(st, st)) for st, n in b["sel"]]
    return render(
        request,
        "bpum/dasbor.html",
        {
            "periode": periode,
            "baris": baris,
            "per": per,
            "kec": kec,
            "kecamatan": sel.kecamatan_lingkup(request.user, periode),
            "status_pilihan": [(s, label, WARNA[s], LABEL_PENDEK[s]) for s, label in S.choices],
            "tinggi": max(26 * len(baris), 26),
            "kepatuhan": sel.kepatuhan_langkah(request.user, periode),
            "peran": _peran_bpum(request.user),
        },
    )


# --------------------------------------------------------------------------- public
@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def publik_status(request):
    """Applicants check their proposal: registration number + last 4 digits of the NIK.
    Public labels and dates only (no names, no NIK); failed lookups are limited per client
    address by ``sop.lacak`` (successful ones never count)."""
    ctx = {"nomor": request.GET.get("nomor", "").strip()[:20], "galat": {}}
    if request.method == "POST":
        teks, nik4 = request.POST.get("nomor", ""), request.POST.get("nik4", "").strip()
        nomor = normalkan_kode(teks, PREFIX_NOMOR)
        ctx["nomor"] = nomor or teks.strip()[:20]
        if not nomor:
            ctx["galat"]["nomor"] = _(
                "A registration number is BPUM- followed by 8 letters or digits, "
                "e.g. BPUM-K7QW2M9X (the prefix may be left out)."
            )
        if len(nik4) != 4 or not nik4.isascii() or not nik4.isdigit():
            ctx["galat"]["nik4"] = _("Type the last 4 digits of the NIK.")
        if ctx["galat"]:
            return render(request, "bpum/publik_status.html", ctx, status=400)
        hasil = lacak.coba(request, lambda: sel.cari_publik(nomor, nik4))
        if hasil.tahanan:
            return lacak.render_tahanan(request, "bpum/publik_status.html", ctx, hasil.tahanan)
        ctx["dicari"] = True
        if hasil.hasil is not None:
            ctx["ringkasan"] = sel.ringkasan_publik(hasil.hasil)
    return render(request, "bpum/publik_status.html", ctx)
