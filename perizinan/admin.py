"""Admin: the services (Standar Pelayanan, checklist, output documents) are edited here; requests,
complaints and survey answers are read-only (they change only through the engine and the
services, on the portal's pages)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sop.admin import HanyaBacaAdmin
from sop.models import Sop

from . import models as m
from .sop_info import jangka_waktu_sop


def _langkah(sop_kode: str) -> dict:
    sop = Sop.objects.berlaku().filter(kode=sop_kode).first()
    return sop.langkah_per_kode() if sop else {}


class JenisLayananForm(forms.ModelForm):
    class Meta:
        model = m.JenisLayanan
        fields = [
            "kode",
            "nama",
            "unit",
            "ringkasan",
            "aktif",
            "publik",
            "urutan",
            "sop_kode",
            "langkah_periksa",
            "biaya",
            "biaya_keterangan",
            "produk",
            "penanganan_pengaduan",
            "batas_pengaduan",
        ]

    def clean(self):
        d = super().clean()
        kode = d.get("sop_kode")
        if kode:
            langkah = _langkah(kode)
            if not langkah:
                self.add_error(
                    "sop_kode", _("No SOP with this code is in force, or it has no steps yet.")
                )
            elif d.get("langkah_periksa") and d["langkah_periksa"] not in langkah:
                self.add_error(
                    "langkah_periksa",
                    _("This SOP has no step “%(k)s”. Steps: %(d)s.")
                    % {"k": d["langkah_periksa"], "d": ", ".join(langkah)},
                )
        return d


class KeluaranFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        langkah = _langkah(self.instance.sop_kode) if self.instance.sop_kode else {}
        for f in self.forms:
            kode = (getattr(f, "cleaned_data", None) or {}).get("langkah_kode")
            if kode and langkah and kode not in langkah:
                raise ValidationError(
                    _("“%(d)s”: the SOP has no step “%(k)s”. Steps: %(s)s.")
                    % {"d": f.cleaned_data.get("nama"), "k": kode, "s": ", ".join(langkah)}
                )


class PersyaratanInline(admin.TabularInline):
    model = m.Persyaratan
    extra = 0
    fields = ["urutan", "nama", "wajib", "unggah", "keterangan"]


class KeluaranInline(admin.TabularInline):
    model = m.KeluaranLayanan
    formset = KeluaranFormSet
    extra = 0
    fields = ["urutan", "nama", "langkah_kode", "wajib", "diserahkan", "pola_nomor"]


@admin.register(m.JenisLayanan)
class JenisLayananAdmin(admin.ModelAdmin):
    form = JenisLayananForm
    list_display = ["nama", "unit", "sop_kode", "jangka_waktu", "biaya", "aktif", "publik"]
    list_filter = ["aktif", "publik", "unit"]
    list_select_related = ["unit"]
    search_fields = ["kode", "nama"]
    readonly_fields = ["jangka_waktu"]
    inlines = [PersyaratanInline, KeluaranInline]
    fieldsets = [
        (None, {"fields": ["kode", "nama", "unit", "ringkasan", "aktif", "publik", "urutan"]}),
        (
            _("Standar Pelayanan"),
            {
                "fields": [
                    "sop_kode",
                    "jangka_waktu",
                    "langkah_periksa",
                    "biaya",
                    "biaya_keterangan",
                    "produk",
                    "penanganan_pengaduan",
                    "batas_pengaduan",
                ]
            },
        ),
    ]

    @admin.display(description=_("time to complete (from the SOP)"))
    def jangka_waktu(self, obj):
        sop = obj.sop_berlaku() if obj and obj.pk else None
        return jangka_waktu_sop(sop).teks() if sop else "-"


@admin.register(m.Permohonan)
class PermohonanAdmin(HanyaBacaAdmin):
    list_display = ["nomor", "usaha_nama", "jenis", "status", "diterima_pada", "tepat_waktu"]
    list_filter = ["jenis", "cara", "tepat_waktu"]
    list_select_related = ["jenis"]
    search_fields = ["=nomor", "=kode_lacak", "=pemohon_nik", "usaha_nama"]
    show_full_result_count = False
    date_hierarchy = "diterima_pada"
    exclude = ["pin_hash", "survei_token"]


@admin.register(m.Pengaduan)
class PengaduanAdmin(HanyaBacaAdmin):
    list_display = ["kode_lacak", "jenis", "status", "diterima_pada", "tenggat", "dijawab_pada"]
    list_filter = ["status", "jenis"]
    list_select_related = ["jenis"]
    exclude = ["pin_hash"]


@admin.register(m.ResponSkm)
class ResponSkmAdmin(HanyaBacaAdmin):
    list_display = ["tanggal", "unit", "jenis", "sumber"]
    list_filter = ["sumber", "jenis"]
    list_select_related = ["unit", "jenis"]
    show_full_result_count = False


@admin.register(m.ImporSkm)
class ImporSkmAdmin(HanyaBacaAdmin):
    list_display = ["nama_berkas", "unit", "status", "total_baris", "jumlah_dibuat", "dibuat"]
    list_filter = ["status"]
    exclude = ["errors"]
