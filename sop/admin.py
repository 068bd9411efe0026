from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import models as m
from .pertukaran import (
    ImporGagal,
    baca_berkas,
    ekspor_json,
    ekspor_xlsx,
    impor,
    simpan_sop,
    sop_ke_dict,
)

User = get_user_model()


@admin.register(m.Wilayah)
class WilayahAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "tingkat", "jenis"]
    list_filter = ["tingkat"]
    search_fields = ["kode", "nama"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Pelaksana)
class PelaksanaAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "eksternal", "dicatat_oleh", "atasan"]
    list_filter = ["eksternal"]
    search_fields = ["kode", "nama"]
    list_select_related = ["dicatat_oleh", "atasan"]
    autocomplete_fields = ["dicatat_oleh", "atasan"]


@admin.register(m.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["nama", "jenis", "wilayah", "hanya_baca", "kalender"]
    list_filter = ["jenis", "hanya_baca"]
    search_fields = ["nama", "kode", "wilayah__nama", "wilayah__kode"]
    list_select_related = ["wilayah", "kalender"]
    autocomplete_fields = ["wilayah", "induk"]
    show_full_result_count = False


class PenugasanInline(admin.TabularInline):
    model = m.Penugasan
    extra = 0
    autocomplete_fields = ["unit"]
    filter_horizontal = ["peran"]


@admin.register(m.Penugasan)
class PenugasanAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "jenis", "daftar_peran", "mulai", "selesai"]
    list_filter = ["jenis", "unit__jenis", "peran"]
    search_fields = ["user__username", "user__first_name", "unit__nama"]
    autocomplete_fields = ["user", "unit"]
    filter_horizontal = ["peran"]
    list_select_related = ["user", "unit"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("peran")

    @admin.display(description=_("roles"))
    def daftar_peran(self, obj):
        return ", ".join(p.nama for p in obj.peran.all())


admin.site.unregister(User)


@admin.register(User)
class PetugasAdmin(UserAdmin):
    inlines = [PenugasanInline]
    list_filter = [*UserAdmin.list_filter, "penugasan__unit__jenis"]


# ------------------------------------------------------------------ calendars
class JamKerjaInline(admin.TabularInline):
    model = m.JamKerja
    extra = 0


class LiburKalenderInline(admin.TabularInline):
    model = m.HariLibur
    extra = 0


@admin.register(m.Kalender)
class KalenderAdmin(admin.ModelAdmin):
    list_display = ["nama", "zona", "bawaan"]
    inlines = [JamKerjaInline, LiburKalenderInline]


class OverlayJamInline(admin.TabularInline):
    model = m.OverlayJam
    extra = 0


@admin.register(m.Overlay)
class OverlayAdmin(admin.ModelAdmin):
    list_display = ["nama", "kalender", "mulai", "selesai"]
    inlines = [OverlayJamInline]


@admin.register(m.HariLibur)
class HariLiburAdmin(admin.ModelAdmin):
    list_display = ["tanggal", "nama", "jenis", "kalender", "sumber"]
    list_filter = ["jenis", "kalender"]
    search_fields = ["nama"]
    date_hierarchy = "tanggal"


# ------------------------------------------------------------------ SOP definitions
class LangkahInline(admin.StackedInline):
    model = m.Langkah
    extra = 0
    fields = [
        ("nomor", "kode"),
        "kegiatan",
        "pelaksana",
        ("kelengkapan", "kelengkapan_wajib"),
        ("waktu", "batas"),
        "output",
        "keterangan",
        ("cabang_ya", "cabang_tidak"),
        ("tunggu_pemohon", "saat_kedaluwarsa"),
    ]
    readonly_fields = ["batas"]
    filter_horizontal = ["pelaksana"]
    ordering = ["nomor"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == m.Sop.Status.DRAF

    has_add_permission = has_delete_permission = lambda self, request, obj=None: (  # noqa: E731
        obj is None or obj.status == m.Sop.Status.DRAF
    )


class KolomInline(admin.TabularInline):
    model = m.KolomPelaksana
    extra = 0
    autocomplete_fields = ["pelaksana"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == m.Sop.Status.DRAF

    has_add_permission = has_delete_permission = lambda self, request, obj=None: (  # noqa: E731
        obj is None or obj.status == m.Sop.Status.DRAF
    )


@admin.register(m.Sop)
class SopAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "revisi", "status", "instansi", "cetak"]
    list_filter = ["status", "tanpa_langkah", "instansi"]
    search_fields = ["kode", "nama", "nomor"]
    inlines = [KolomInline, LangkahInline]
    actions = ["buat_revisi", "berlakukan", "ekspor_json", "ekspor_xlsx"]
    readonly_fields = ["revisi", "status", "dibuat", "dibuat_oleh", "riwayat_revisi"]
    change_list_template = "admin/sop/sop/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != m.Sop.Status.DRAF:
            return [f.name for f in m.Sop._meta.fields if f.name != "id"] + ["riwayat_revisi"]
        return self.readonly_fields

    @admin.display(description=_("print"))
    def cetak(self, obj):
        return format_html(
            '<a href="{}" target="_blank">PDF</a>', reverse("sop:pdf", args=[obj.pk])
        )

    @admin.display(description=_("revision history"))
    def riwayat_revisi(self, obj):
        rows = m.Sop.objects.filter(kode=obj.kode).order_by("-revisi")
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">rev. {}</a> ({}, {})',
            (
                (
                    reverse("admin:sop_sop_change", args=[r.pk]),
                    r.revisi,
                    r.get_status_display(),
                    r.dibuat.strftime("%d-%m-%Y"),
                )
                for r in rows
            ),
        )

    @admin.action(description=_("Create a new draft revision"))
    def buat_revisi(self, request, queryset):
        for sop in queryset:
            d = sop_ke_dict(sop, dengan_batas=False)
            terakhir = m.Sop.objects.filter(kode=sop.kode).order_by("-revisi").first()
            with transaction.atomic():
                baru = simpan_sop(d, terakhir.revisi + 1, request.user, status=m.Sop.Status.DRAF)
            self.message_user(request, f"{sop.kode}: revisi {baru.revisi} dibuat sebagai draf.")

    @admin.action(description=_("Put the selected draft in force"))
    def berlakukan(self, request, queryset):
        for sop in queryset.filter(status=m.Sop.Status.DRAF):
            with transaction.atomic():
                m.Sop.objects.filter(kode=sop.kode, status=m.Sop.Status.BERLAKU).update(
                    status=m.Sop.Status.ARSIP
                )
                sop.status = m.Sop.Status.BERLAKU
                sop.save(update_fields=["status"])
            self.message_user(
                request,
                f"{sop.kode} rev. {sop.revisi} berlaku. Permohonan berjalan tetap memakai revisinya.",
            )

    @admin.action(description=_("Export (JSON)"))
    def ekspor_json(self, request, queryset):
        resp = HttpResponse(ekspor_json(queryset), content_type="application/json")
        resp["Content-Disposition"] = 'attachment; filename="sop.json"'
        return resp

    @admin.action(description=_("Export (xlsx)"))
    def ekspor_xlsx(self, request, queryset):
        resp = HttpResponse(
            ekspor_xlsx(queryset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        resp["Content-Disposition"] = 'attachment; filename="sop.xlsx"'
        return resp

    def get_urls(self):
        return [
            path("impor/", self.admin_site.admin_view(self.impor_view), name="sop_sop_impor"),
            *super().get_urls(),
        ]

    def impor_view(self, request):
        ctx = {**self.admin_site.each_context(request), "title": _("Import SOPs"), "errors": []}
        if request.method == "POST" and request.FILES.get("berkas"):
            f = request.FILES["berkas"]
            try:
                hasil = impor(
                    baca_berkas(f.read(), f.name),
                    user=request.user,
                    dry_run=bool(request.POST.get("dry_run")),
                )
            except ImporGagal as e:
                ctx["errors"] = e.errors
            else:
                messages.success(
                    request,
                    f"Dibuat: {len(hasil.dibuat)}, revisi baru: {len(hasil.revisi_baru)}, sama: {len(hasil.sama)}"
                    + (" (uji coba, tidak disimpan)" if request.POST.get("dry_run") else ""),
                )
                return redirect("admin:sop_sop_changelist")
        return render(
            request, "admin/sop/sop/impor.html", ctx, status=400 if ctx["errors"] else 200
        )


@admin.register(m.KatalogLayanan)
class KatalogAdmin(admin.ModelAdmin):
    list_display = ["kode", "jenis_pelayanan", "waktu", "biaya"]
    search_fields = ["kode", "jenis_pelayanan"]


# ------------------------------------------------------------------ audit (read-only)
class HanyaBacaAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
