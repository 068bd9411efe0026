"""Regions, roles, offices, assignments and users."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .. import models as m
from ..sumber_impor import PenugasanResource, UnitResource, UserResource
from .dasar import HanyaBacaAdmin, ImporEksporPortal

User = get_user_model()


@admin.register(m.Wilayah)
class WilayahAdmin(HanyaBacaAdmin):
    list_display = ["kode", "nama", "tingkat", "jenis"]
    list_filter = ["tingkat"]
    search_fields = ["kode", "nama"]
    show_full_result_count = False


@admin.register(m.Pelaksana)
class PelaksanaAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "eksternal", "dicatat_oleh", "atasan"]
    list_filter = ["eksternal"]
    search_fields = ["kode", "nama"]
    list_select_related = ["dicatat_oleh", "atasan"]
    autocomplete_fields = ["dicatat_oleh", "atasan"]


@admin.register(m.Unit)
class UnitAdmin(ImporEksporPortal):
    resource_classes = [UnitResource]
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
class PenugasanAdmin(ImporEksporPortal):
    resource_classes = [PenugasanResource]
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
class PetugasAdmin(ImporEksporPortal, UserAdmin):
    resource_classes = [UserResource]
    inlines = [PenugasanInline]
    list_filter = [*UserAdmin.list_filter, "penugasan__unit__jenis"]
