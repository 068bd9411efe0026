"""Buku Register and the service performance dashboard (aggregates in SQL)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sop.models import Unit
from sop.selectors import penugasan_aktif

from .. import kinerja as kin
from .. import selectors as sel
from .umum import halaman


def unit_lingkup(user) -> list[Unit]:
    """Offices with licensing services whose records the user may see."""
    ids = set(sel.layanan_lingkup(user).values_list("unit_id", flat=True))
    return list(Unit.objects.filter(pk__in=ids).order_by("nama"))


def pilih_unit(request) -> Unit:
    units = unit_lingkup(request.user)
    if not units:
        raise PermissionDenied(_("Your office runs no licensing service."))
    kode = request.GET.get("unit", "")
    for u in units:
        if u.kode == kode:
            return u
    sendiri = {t.unit.pk for t in penugasan_aktif(request.user)}
    return next((u for u in units if u.pk in sendiri), units[0])


def periode(request, bawaan_hari: int = 365) -> tuple[dt.date, dt.date]:
    """The period from ?dari=&sampai= (local dates), default: the last ``bawaan_hari`` days."""
    hari_ini = timezone.localdate()

    def _t(nama, bawaan):
        try:
            return dt.date.fromisoformat(request.GET.get(nama, ""))
        except ValueError:
            return bawaan

    sampai = _t("sampai", hari_ini)
    dari = _t("dari", sampai - dt.timedelta(days=bawaan_hari - 1))
    if dari > sampai:
        dari, sampai = sampai, dari
    return dari, sampai


def register_qs(unit, dari, sampai):
    a, b = kin.rentang(unit, dari, sampai)
    return (
        sel.Permohonan.objects.filter(unit=unit, diterima_pada__gte=a, diterima_pada__lt=b)
        .select_related("jenis")
        .order_by("tahun", "urut")
    )


@require_GET
def register(request):
    unit = pilih_unit(request)
    dari, sampai = periode(request, 31)
    page = halaman(request, register_qs(unit, dari, sampai), per_page=50)
    hasil = {}
    if page.object_list:
        from ..models import DokumenHasil

        for d in DokumenHasil.objects.filter(
            permohonan__in=list(page.object_list), keluaran__diserahkan=True
        ).order_by("keluaran__urutan"):
            hasil.setdefault(d.permohonan_id, []).append(d.nomor)
    for p in page.object_list:
        p.nomor_hasil = hasil.get(p.pk, [])
    return render(
        request,
        "perizinan/register.html",
        {
            "unit": unit,
            "units": unit_lingkup(request.user),
            "dari": dari,
            "sampai": sampai,
            "page": page,
        },
    )


@require_GET
def dasbor(request):
    unit = pilih_unit(request)
    dari, sampai = periode(request, 365)
    layanan = kin.per_layanan(unit, dari, sampai)
    return render(
        request,
        "perizinan/dasbor.html",
        {
            "unit": unit,
            "units": unit_lingkup(request.user),
            "dari": dari,
            "sampai": sampai,
            "layanan": layanan,
            "total": {
                "masuk": sum(r.masuk for r in layanan),
                "selesai": sum(r.selesai for r in layanan),
                "tepat": sum(r.tepat_waktu for r in layanan),
                "telat": sum(r.terlambat for r in layanan),
            },
            "petugas": kin.per_petugas(unit, dari, sampai),
            "tren": kin.tren_bulanan(unit, dari, sampai),
        },
    )


JUDUL_REGISTER = [
    "No. Register",
    "Tanggal Terima",
    "Nama Pemohon",
    "NIK",
    "No. HP",
    "Nama Usaha",
    "NIB",
    "Jenis Layanan",
    "Status",
    "Nomor Dokumen Hasil",
    "Tanggal Serah",
    "Penerima",
]


def baris_register(unit, dari, sampai):
    """Rows of the register, streamed in chunks (the output numbers of each chunk in one query)."""
    from ..models import DokumenHasil

    qs = register_qs(unit, dari, sampai)
    potong = []

    def _keluar(potong):
        hasil = {}
        for pid, nomor in (
            DokumenHasil.objects.filter(
                permohonan__in=[p.pk for p in potong], keluaran__diserahkan=True
            )
            .order_by("keluaran__urutan")
            .values_list("permohonan_id", "nomor")
        ):
            hasil.setdefault(pid, []).append(nomor)
        for p in potong:
            yield [
                p.nomor,
                timezone.localtime(p.diterima_pada).replace(tzinfo=None),
                p.pemohon_nama,
                p.pemohon_nik,
                p.pemohon_hp,
                p.usaha_nama,
                p.usaha_nib,
                p.jenis.nama,
                p.label_status(),
                ", ".join(hasil.get(p.pk, [])),
                timezone.localtime(p.diserahkan_pada).replace(tzinfo=None)
                if p.diserahkan_pada
                else None,
                p.penerima_nama,
            ]

    for p in qs.iterator(chunk_size=2000):
        potong.append(p)
        if len(potong) >= 2000:
            yield from _keluar(potong)
            potong = []
    if potong:
        yield from _keluar(potong)


@require_GET
def register_xlsx(request):
    import tempfile

    from django.http import FileResponse

    from sop.lembar import tulis_tabel
    from sop.unduh import pasang_header_aman
    from sop.unggah import XLSX

    unit = pilih_unit(request)
    dari, sampai = periode(request, 31)
    f = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    tulis_tabel(f, [("Buku Register", JUDUL_REGISTER, baris_register(unit, dari, sampai))])
    f.seek(0)
    resp = FileResponse(
        f,
        as_attachment=True,
        filename=f"buku-register-{unit.kode}-{dari:%Y%m%d}-{sampai:%Y%m%d}.xlsx",
        content_type=XLSX.mime,
    )
    return pasang_header_aman(resp)  # the project's download headers (sop.unduh)
