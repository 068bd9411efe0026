"""Read-only admin pages: audit rows (immutable), running clocks, requests, notifications."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import models as m
from .dasar import HanyaBacaAdmin


@admin.register(m.Jejak)
class JejakAdmin(HanyaBacaAdmin):
    list_display = [
        "selesai",
        "content_type",
        "object_id",
        "transisi",
        "dari",
        "ke",
        "user",
        "peran",
        "terlambat",
    ]
    list_filter = ["terlambat", "content_type", "transisi"]
    search_fields = ["object_id", "user__username"]
    list_select_related = ["content_type", "user", "peran"]
    show_full_result_count = False


@admin.register(m.LangkahBerjalan)
class LangkahBerjalanAdmin(HanyaBacaAdmin):
    list_display = [
        "object_id",
        "content_type",
        "langkah",
        "mulai",
        "tenggat",
        "dijeda_sejak",
        "dilanggar",
        "selesai",
    ]
    list_filter = ["content_type"]
    list_select_related = ["content_type", "langkah"]
    show_full_result_count = False


@admin.register(m.Pelanggaran)
class PelanggaranAdmin(HanyaBacaAdmin):
    list_display = ["langkah_berjalan", "tenggat", "tercatat"]
    list_select_related = ["langkah_berjalan__langkah"]


@admin.register(m.Peringatan)
class PeringatanAdmin(HanyaBacaAdmin):
    list_display = ["langkah_berjalan", "tercatat"]
    list_select_related = ["langkah_berjalan__langkah"]


@admin.register(m.RiwayatPerubahan)
class RiwayatAdmin(HanyaBacaAdmin):
    list_display = ["waktu", "content_type", "object_id", "field", "lama", "baru", "user"]
    list_select_related = ["content_type", "user"]


@admin.register(m.Permohonan)
class PermohonanAdmin(admin.ModelAdmin):
    """Status is never written here: transitions go through the portal pages (sop.engine)."""

    list_display = ["nomor", "judul", "sop", "unit", "status", "dibuat"]
    list_filter = ["sop__kode"]
    search_fields = ["nomor", "judul", "pemohon_nama"]
    list_select_related = ["sop", "unit"]
    readonly_fields = ["nomor", "sop", "wilayah", "unit", "status", "dibuat", "dibuat_oleh", "buka"]
    fields = [
        "nomor",
        "judul",
        "pemohon_nama",
        "pemohon_kontak",
        "sop",
        "unit",
        "wilayah",
        "status",
        "hasil",
        "dibuat",
        "dibuat_oleh",
        "buka",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("open in portal"))
    def buka(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("sop:permohonan_detail", args=[obj.pk]), _("open")
        )


@admin.register(m.Notifikasi)
class NotifikasiAdmin(admin.ModelAdmin):
    list_display = ["user", "judul", "dibuat", "dibaca"]
    list_select_related = ["user"]


@admin.register(m.KatalogLayanan)
class KatalogAdmin(admin.ModelAdmin):
    list_display = ["kode", "jenis_pelayanan", "waktu", "biaya"]
    search_fields = ["kode", "jenis_pelayanan"]
