"""Admin: programs (products), kolektibilitas profiles and the fund account are edited here; the
loan book itself (loans, schedules, postings, reversals) is read-only: it changes only through
``danabergulir.services`` (imports, postings, reversals, restructuring)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from sop.admin import HanyaBacaAdmin

from . import models as m
from .hitung import Kelas, cek_profil

PESAN_PROFIL = {
    "the profile has no class": "Profil belum punya kelas.",
    "the first class must start at 0 days": "Kelas pertama harus mulai dari 0 hari.",
    "the last class must have no upper bound": "Kelas terakhir tidak boleh punya batas atas.",
}


class KelasFormSet(forms.BaseInlineFormSet):
    """The classes must cover 0 .. infinity days without gaps or overlaps."""

    def clean(self):
        super().clean()
        kelas = [
            Kelas(
                str(f.cleaned_data.get("urutan")),
                f.cleaned_data.get("nama", ""),
                f.cleaned_data.get("dpd_min") or 0,
                f.cleaned_data.get("dpd_maks"),
                f.cleaned_data.get("npl", False),
            )
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        masalah = cek_profil(kelas)
        if masalah:
            raise forms.ValidationError(
                [
                    PESAN_PROFIL.get(
                        x, _("Classes must cover 0 days and up without gaps or overlaps.")
                    )
                    for x in masalah
                ]
            )


class KelasInline(admin.TabularInline):
    model = m.KelasKolektibilitas
    formset = KelasFormSet
    extra = 0


@admin.register(m.ProfilKolektibilitas)
class ProfilAdmin(admin.ModelAdmin):
    list_display = ["nama", "kode"]
    inlines = [KelasInline]


@admin.register(m.Produk)
class ProdukAdmin(admin.ModelAdmin):
    list_display = [
        "nama",
        "unit",
        "plafon_min",
        "plafon_maks",
        "jasa_persen",
        "metode",
        "tenor",
        "denda_persen_harian",
        "aktif",
    ]
    list_filter = ["aktif", "metode"]
    list_select_related = ["unit"]


@admin.register(m.RekeningDana)
class RekeningDanaAdmin(admin.ModelAdmin):
    list_display = ["nama", "unit", "bank", "nomor_rekening", "saldo_awal", "tanggal_saldo_awal"]


@admin.register(m.Pinjaman)
class PinjamanAdmin(HanyaBacaAdmin):
    list_display = ["nomor", "debitur", "kecamatan", "plafon", "tanggal_pencairan", "status"]
    list_filter = ["status", "metode", "sumber"]
    list_select_related = ["debitur", "kecamatan"]
    search_fields = ["=nomor", "debitur__nama", "=debitur__nik"]
    show_full_result_count = False


@admin.register(m.Pembayaran)
class PembayaranAdmin(HanyaBacaAdmin):
    list_display = ["tanggal", "jumlah", "status", "pinjaman", "referensi", "keterangan"]
    list_filter = ["status", "sumber"]
    list_select_related = ["pinjaman"]
    search_fields = ["=referensi", "keterangan", "=pinjaman__nomor"]
    show_full_result_count = False


@admin.register(m.Pembalikan)
class PembalikanAdmin(HanyaBacaAdmin):
    list_display = ["pada", "pinjaman", "jumlah", "alasan", "oleh"]
    list_select_related = ["pinjaman", "oleh"]


@admin.register(m.ImporBerkas)
class ImporBerkasAdmin(HanyaBacaAdmin):
    list_display = ["nama_berkas", "jenis", "unit", "status", "dibuat", "dibuat_oleh"]
    list_filter = ["jenis", "status"]
