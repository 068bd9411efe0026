"""Working calendars, overlays (Ramadan) and holidays."""

from django.contrib import admin

from .. import models as m
from ..sumber_impor import HariLiburResource, KalenderResource
from .dasar import ImporEksporPortal


class JamKerjaInline(admin.TabularInline):
    model = m.JamKerja
    extra = 0


class LiburKalenderInline(admin.TabularInline):
    model = m.HariLibur
    extra = 0


@admin.register(m.Kalender)
class KalenderAdmin(ImporEksporPortal):
    resource_classes = [KalenderResource]
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
class HariLiburAdmin(ImporEksporPortal):
    resource_classes = [HariLiburResource]
    list_display = ["tanggal", "nama", "jenis", "kalender", "sumber"]
    list_filter = ["jenis", "kalender"]
    search_fields = ["nama"]
    date_hierarchy = "tanggal"
