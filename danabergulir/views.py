"""Screens of the loan book: home, loans, loan detail, portfolio dashboard, monthly report.

Thin views: reads through ``selectors`` (region scope via ``sop.selectors.filter_lingkup``),
writes through ``services``; every list is paginated with a constant number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sop.models import Unit, Wilayah
from sop.selectors import penugasan_aktif, wilayah_lingkup
from sop.unduh import unduh_data
from sop.unggah import PDF

from . import izin
from . import selectors as sel
from .forms import AbaikanForm, AlasanForm, BulanForm, JaminanForm, KembalikanJaminanForm
from .laporan import bulan_terakhir, laporan_bulanan, tagihan_realisasi
from .models import JadwalVersi, JalanPenagihan, Pembalikan, Pembayaran, Pinjaman, RekeningDana
from .setup import UNIT_UPT

PER_HALAMAN = getattr(settings, "PORTAL_PAGE_SIZE", 25)
URUTAN = {
    "nomor": ("nomor",),
    "baru": ("-tanggal_pencairan", "-pk"),
    "nama": ("debitur__nama", "pk"),
}


def halaman(request, qs, per_page=PER_HALAMAN):
    return Paginator(qs, per_page).get_page(request.GET.get("hal"))


def lingkup(request):
    """The user's loans; users whose offices do not run the loan book see nothing at all."""
    if not request.user.is_superuser and not wilayah_lingkup(request.user, izin.LAYANAN):
        raise PermissionDenied
    return sel.pinjaman_lingkup(request.user)


def tanggal_per(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("per", ""))
    except ValueError:
        return timezone.localdate()


def unit_kerja(request):
    """The UPT whose book the user works on (for write buttons and the report)."""
    for t in penugasan_aktif(request.user):
        if izin.LAYANAN in t.layanan and t.unit.jenis == "upt":
            return t.unit
    return Unit.objects.filter(kode=UNIT_UPT).first()


@require_GET
def beranda(request):
    qs = lingkup(request)
    per = tanggal_per(request)
    p = sel.portofolio_cache(per, qs)
    unit = unit_kerja(request)
    return render(
        request,
        "danabergulir/beranda.html",
        {
            "per": per,
            "porto": p,
            "menunggak": sum(u["jumlah"] for u in p.umur),
            "suspense": sel.pembayaran_lingkup(request.user)
            .filter(status=Pembayaran.Status.SUSPENSE)
            .count(),
            "petugas": unit is not None and izin.boleh(request.user, unit.wilayah_id),
            "proposal_berjalan": sel.antrean_proposal(request.user).count(),
            "surat_terbuka": JalanPenagihan.objects.filter(pinjaman__in=qs)
            .exclude(status__in=JalanPenagihan.STATUS_SELESAI)
            .count(),
        },
    )


@require_GET
def pinjaman_daftar(request):
    qs = lingkup(request).select_related("debitur", "kecamatan", "wilayah")
    per = tanggal_per(request)
    f = {k: request.GET.get(k, "").strip() for k in ("q", "kecamatan", "kelas", "urut")}
    if f["q"]:
        qs = qs.filter(Q(nomor__icontains=f["q"]) | Q(debitur__nama__icontains=f["q"]))
    if f["kecamatan"]:
        qs = qs.filter(kecamatan_id=f["kecamatan"])
    if f["kelas"].isdigit():
        ids = [r.id for r in sel.posisi(per, qs, urut=False) if r.kelas_urutan == int(f["kelas"])]
        qs = qs.filter(pk__in=ids)
    page = halaman(request, qs.order_by(*URUTAN.get(f["urut"], URUTAN["nomor"])))
    pos = {
        r.id: r
        for r in sel.posisi(per, Pinjaman.objects.filter(pk__in=[p.pk for p in page]), urut=False)
    }
    for p in page:
        p.pos = pos.get(p.pk)
    return render(
        request,
        "danabergulir/pinjaman_daftar.html",
        {
            "page": page,
            "f": f,
            "per": per,
            "kecamatan": Wilayah.objects.filter(
                kode__in=lingkup(request).values("kecamatan_id")
            ).order_by("nama"),
            "kelas": sel.kelas_profil_bawaan(),
        },
    )


def _pinjaman(request, pk) -> Pinjaman:
    return get_object_or_404(
        lingkup(request).select_related(
            "debitur", "debitur__kecamatan", "debitur__desa", "produk", "unit", "wilayah"
        ),
        pk=pk,
    )


def detail_konteks(request, p: Pinjaman, **extra) -> dict:
    per = tanggal_per(request)
    versi = list(JadwalVersi.objects.filter(pinjaman=p).order_by("nomor"))
    angsuran = sel.angsuran_rinci(p, per)
    for v in versi:
        v.daftar = [a for a in angsuran if a.versi_id == v.pk]
    bayar = list(
        Pembayaran.objects.filter(pinjaman=p)
        .order_by("hari", "pk")
        .prefetch_related("alokasi__angsuran")
    )
    for b in bayar:
        b.bagian = [a for a in b.alokasi.all() if a.aktif]
        b.kelebihan = b.jumlah - sum(a.jumlah for a in b.bagian)
    from .views_penagihan import konteks_penagihan

    ctx = {
        "p": p,
        "per": per,
        "pos": sel.posisi_satu(p, per),
        "versi": versi,
        "bayar": bayar,
        "dibalik": Pembalikan.objects.filter(pinjaman=p)
        .select_related("pembayaran", "oleh")
        .order_by("-pada"),
        "jaminan": list(p.jaminan.all()),
        "petugas": izin.boleh(request.user, p.wilayah_id, izin.PERAN_PETUGAS),
        "pembukuan": izin.boleh(request.user, p.wilayah_id, izin.PERAN_PEMBUKUAN),
        "form_balik": AlasanForm(),
        "form_jaminan": JaminanForm(initial={"tanggal_diterima": p.tanggal_pencairan}),
        "form_kembali": KembalikanJaminanForm(
            initial={"tanggal": timezone.localdate(), "kepada": p.debitur.nama}
        ),
    }
    ctx.update(konteks_penagihan(request, p, **extra))
    ctx.update(extra)
    return ctx


@require_GET
def pinjaman_detail(request, pk):
    p = _pinjaman(request, pk)
    return render(request, "danabergulir/pinjaman_detail.html", detail_konteks(request, p))


@require_GET
def suspense_daftar(request):
    lingkup(request)
    qs = (
        sel.pembayaran_lingkup(request.user)
        .filter(status=Pembayaran.Status.SUSPENSE)
        .select_related("unit")
        .order_by("-hari", "-pk")
    )
    page = halaman(request, qs)
    unit = unit_kerja(request)
    return render(
        request,
        "danabergulir/suspense.html",
        {
            "page": page,
            "petugas": unit is not None and izin.boleh(request.user, unit.wilayah_id),
            "form_abaikan": AbaikanForm(),
        },
    )


@require_GET
def dasbor(request):
    qs = lingkup(request)
    per = tanggal_per(request)
    p = sel.portofolio_cache(per, qs)
    tagih = sel.dengan_cache(
        "tagih", per, qs, lambda: tagihan_realisasi(qs, bulan_terakhir(per, 6))[None]
    )
    tagih = [dict(t) for t in tagih]
    skala = max([t["tagihan"] for t in tagih] + [t["realisasi"] for t in tagih] + [1])
    for t in tagih:
        t["lebar_tagihan"] = round(100 * t["tagihan"] / skala, 1)
        t["lebar_realisasi"] = round(100 * t["realisasi"] / skala, 1)
    maks_kelas = max([k["sisa_pokok"] for k in p.kelas] + [1])
    for k in p.kelas:
        k["lebar"] = round(100 * k["sisa_pokok"] / maks_kelas, 1)
    maks_umur = max([u["sisa_pokok"] for u in p.umur] + [1])
    for u in p.umur:
        u["lebar"] = round(100 * u["sisa_pokok"] / maks_umur, 1)
    return render(request, "danabergulir/dasbor.html", {"per": per, "porto": p, "tagih": tagih})


@require_GET
def laporan(request):
    lingkup(request)
    unit = unit_kerja(request)
    hari_ini = timezone.localdate()
    form = BulanForm(request.GET or {"bulan": f"{hari_ini:%Y-%m}"})
    lap = None
    siklus: dict = {}
    if form.is_valid() and unit is not None:
        from .views_siklus import konteks_siklus

        th, bl = form.cleaned_data["bulan"]
        lap = laporan_bulanan(unit, th, bl)
        siklus = konteks_siklus(request, unit, th, bl)
    return render(
        request,
        "danabergulir/laporan.html",
        {
            "form": form,
            "lap": lap,
            "unit": unit,
            "rekening": RekeningDana.objects.filter(unit=unit).first() if unit else None,
            **siklus,
        },
    )


@require_GET
def laporan_unduh(request, bulan: str, format: str):
    from .laporan_berkas import tulis_pdf, tulis_xlsx

    lingkup(request)
    unit = unit_kerja(request)
    form = BulanForm({"bulan": bulan})
    if not form.is_valid() or unit is None:
        raise PermissionDenied
    th, bl = form.cleaned_data["bulan"]
    lap = laporan_bulanan(unit, th, bl)
    nama = f"laporan-dana-bergulir-{th}-{bl:02d}"
    if format == "pdf":
        return unduh_data(tulis_pdf(lap), nama=nama, jenis=PDF)
    return unduh_data(tulis_xlsx(lap), nama=nama)
