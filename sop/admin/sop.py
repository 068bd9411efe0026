"""The SOP editor: drafts are edited step by step; revisions in force are read-only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from .. import models as m
from ..pertukaran import ImporGagal, baca_berkas, ekspor_json, ekspor_xlsx, impor
from ..revisi import RevisiDitolak, sop_berlakukan, sop_buat_revisi
from .formulir import (
    KolomForm,
    KolomFormSet,
    LangkahForm,
    LangkahFormSet,
    SopForm,
    butir_dari,
    hasil_waktu,
    label_batas,
)

DRAF = m.Sop.Status.DRAF


def _draf(obj) -> bool:
    return obj is None or obj.status == DRAF


class KolomInline(admin.TabularInline):
    model = m.KolomPelaksana
    extra = 0
    form = KolomForm
    formset = KolomFormSet
    verbose_name_plural = gettext_lazy("performer columns (pelaksana)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("pelaksana", "dicatat_oleh")

    def has_change_permission(self, request, obj=None):
        return _draf(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return _draf(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _draf(obj) and super().has_delete_permission(request, obj)


class LangkahInline(admin.StackedInline):
    model = m.Langkah
    form = LangkahForm
    formset = LangkahFormSet
    extra = 0
    template = "admin/sop/sop/langkah_inline.html"
    verbose_name_plural = gettext_lazy("steps")

    def get_formset(self, request, obj=None, **kwargs):
        fs = super().get_formset(request, obj, **kwargs)
        fs.url_waktu = reverse("admin:sop_sop_waktu")
        return fs

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": [*LangkahForm.Meta.fields, "kelengkapan_daftar"]})]

    def has_change_permission(self, request, obj=None):
        return _draf(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return _draf(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _draf(obj) and super().has_delete_permission(request, obj)


IDENTITAS = [
    "nomor",
    "nama",
    "instansi",
    "bagian",
    ("tanggal_pembuatan", "tanggal_pembuatan_teks"),
    ("tanggal_revisi", "tanggal_revisi_teks"),
    ("tanggal_efektif", "tanggal_efektif_teks"),
    ("disahkan_jabatan", "disahkan_nama", "disahkan_nip"),
]
LAMPIRAN = [
    "dasar_hukum",
    "kualifikasi_pelaksana",
    "keterkaitan",
    "peralatan",
    "peringatan",
    "pencatatan",
]
SUMBER = ["sumber", "catatan_transkripsi", "tanpa_langkah"]


@admin.register(m.Sop)
class SopAdmin(admin.ModelAdmin):
    form = SopForm
    list_display = ["kode", "nama", "revisi", "status", "instansi", "cetak"]
    list_filter = ["status", "tanpa_langkah", "instansi"]
    search_fields = ["kode", "nama", "nomor"]
    inlines = [KolomInline, LangkahInline]
    actions = ["buat_revisi", "berlakukan", "ekspor_json", "ekspor_xlsx"]
    change_list_template = "admin/sop/sop/change_list.html"
    change_form_template = "admin/sop/sop/change_form.html"
    save_on_top = False

    class Media:
        css = {"all": ["sop/admin/sop.css"]}
        js = ["js/htmx.min.js", "sop/admin/langkah.js"]

    # --- page layout ----------------------------------------------------------------------
    def get_fieldsets(self, request, obj=None):
        if not _draf(obj):
            return [(None, {"fields": ["ringkasan_revisi", "ringkasan_identitas"]})] + [
                (_("Performer columns and steps"), {"fields": ["ringkasan_langkah"]}),
                (
                    _("Source and transcription notes"),
                    {"fields": ["ringkasan_sumber"], "classes": ["collapse"]},
                ),
            ]
        awal = ["kode"] if obj is None else ["ringkasan_revisi"]
        return [
            (None, {"fields": [*awal, *IDENTITAS]}),
            (_("Legal basis, equipment, warnings"), {"fields": LAMPIRAN, "classes": ["collapse"]}),
            (_("Source and transcription notes"), {"fields": SUMBER, "classes": ["collapse"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if not _draf(obj):
            return [
                "ringkasan_revisi",
                "ringkasan_identitas",
                "ringkasan_langkah",
                "ringkasan_sumber",
            ]
        return ["ringkasan_revisi"] if obj is not None else []

    def get_inlines(self, request, obj):
        return self.inlines if _draf(obj) else []

    def has_change_permission(self, request, obj=None):
        """An SOP in force (or archived) is read-only: no save buttons; edit a new draft."""
        return _draf(obj) and super().has_change_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        hapus, jumlah, izin, dilindungi = super().get_deleted_objects(objs, request)
        tetap = [
            _("%(sop)s is not a draft: revisions in force or archived are kept.") % {"sop": s}
            for s in objs
            if s.status != DRAF
        ]
        return hapus, jumlah, izin, [*dilindungi, *tetap]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.status = DRAF
            obj.dibuat_oleh = request.user
        super().save_model(request, obj, form, change)

    def add_view(self, request, form_url="", extra_context=None):
        extra = {"daftar_peran": m.Pelaksana.objects.order_by("kode").values_list("kode", "nama")}
        return super().add_view(request, form_url, {**extra, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {"sop_obj": obj, **(extra_context or {})}
        if obj is not None and _draf(obj):
            extra["daftar_peran"] = m.Pelaksana.objects.order_by("kode").values_list("kode", "nama")
        if obj is not None:
            extra["draf_lain"] = (
                m.Sop.objects.filter(kode=obj.kode, status=DRAF).exclude(pk=obj.pk).first()
            )
        return super().change_view(request, object_id, form_url, extra)

    # --- read-only summaries ------------------------------------------------------------------
    @admin.display(description=gettext_lazy("revision"))
    def ringkasan_revisi(self, obj):
        return render_to_string(
            "admin/sop/sop/_revisi.html",
            {
                "sop": obj,
                "revisi": m.Sop.objects.filter(kode=obj.kode).order_by("-revisi"),
            },
        )

    @admin.display(description=gettext_lazy("identity"))
    def ringkasan_identitas(self, obj):
        return render_to_string("admin/sop/sop/_identitas.html", {"sop": obj})

    @admin.display(description=gettext_lazy("steps"))
    def ringkasan_langkah(self, obj):
        kolom = list(obj.kolom.select_related("pelaksana", "dicatat_oleh"))
        label = {k.pelaksana_id: k.nama or k.pelaksana.nama for k in kolom}
        langkah = list(obj.langkah.prefetch_related("pelaksana"))
        per_kode = {lk.kode: lk for lk in langkah}
        baris = [
            {
                "lk": lk,
                "pelaksana": [label.get(p.pk, p.nama) for p in lk.pelaksana.all()],
                "butir": butir_dari(lk),
                "batas": _("not tracked (chosen)")
                if lk.waktu_tidak_dipantau
                else label_batas(lk.batas_obj),
                "ya": per_kode.get(lk.cabang_ya),
                "tidak": per_kode.get(lk.cabang_tidak),
            }
            for lk in langkah
        ]
        return render_to_string(
            "admin/sop/sop/_langkah_ringkas.html", {"kolom": kolom, "baris": baris}
        )

    @admin.display(description=gettext_lazy("source"))
    def ringkasan_sumber(self, obj):
        return render_to_string("admin/sop/sop/_sumber.html", {"sop": obj})

    @admin.display(description=gettext_lazy("print"))
    def cetak(self, obj):
        return format_html(
            '<a href="{}" target="_blank">PDF</a>', reverse("sop:pdf", args=[obj.pk])
        )

    # --- actions --------------------------------------------------------------------------
    @admin.action(description=gettext_lazy("Create a new draft revision"))
    def buat_revisi(self, request, queryset):
        for sop in queryset:
            draf, baru = sop_buat_revisi(sop=sop, user=request.user)
            self._pesan_revisi(request, draf, baru)

    def _pesan_revisi(self, request, draf, baru):
        if baru:
            messages.success(
                request,
                _("%(kode)s: revision %(revisi)s created as a draft.")
                % {"kode": draf.kode, "revisi": draf.revisi},
            )
        else:
            messages.info(
                request,
                _("%(kode)s: draft revision %(revisi)s already exists; edit that one.")
                % {"kode": draf.kode, "revisi": draf.revisi},
            )

    @admin.action(description=gettext_lazy("Put the selected draft in force"))
    def berlakukan(self, request, queryset):
        for sop in queryset.filter(status=DRAF):
            self._berlakukan(request, sop)

    def _berlakukan(self, request, sop) -> bool:
        try:
            sop = sop_berlakukan(sop=sop, user=request.user)
        except RevisiDitolak as e:
            for err in e.errors:
                messages.error(request, err)
            return False
        messages.success(
            request,
            _(
                "%(kode)s rev. %(revisi)s is in force. Running requests keep the revision they "
                "started with."
            )
            % {"kode": sop.kode, "revisi": sop.revisi},
        )
        return True

    @admin.action(description=gettext_lazy("Export (JSON)"))
    def ekspor_json(self, request, queryset):
        resp = HttpResponse(ekspor_json(queryset), content_type="application/json")
        resp["Content-Disposition"] = 'attachment; filename="sop.json"'
        return resp

    @admin.action(description=gettext_lazy("Export (xlsx)"))
    def ekspor_xlsx(self, request, queryset):
        resp = HttpResponse(
            ekspor_xlsx(queryset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        resp["Content-Disposition"] = 'attachment; filename="sop.xlsx"'
        return resp

    # --- extra views ----------------------------------------------------------------------
    def get_urls(self):
        lihat = self.admin_site.admin_view
        return [
            path("impor/", lihat(self.impor_view), name="sop_sop_impor"),
            path("waktu/", lihat(self.waktu_view), name="sop_sop_waktu"),
            path("<int:pk>/revisi-baru/", lihat(self.revisi_view), name="sop_sop_revisi_baru"),
            path("<int:pk>/berlakukan/", lihat(self.berlakukan_view), name="sop_sop_berlakukan"),
            *super().get_urls(),
        ]

    @staticmethod
    @require_GET
    def waktu_view(request):
        """htmx: what a step's time limit text means (or why it cannot be read)."""
        waktu = next((v for k, v in request.GET.items() if k.endswith("waktu")), "")
        tidak = any(k.endswith("waktu_tidak_dipantau") for k in request.GET)
        return TemplateResponse(
            request, "admin/sop/sop/_waktu_hasil.html", {"hasil": hasil_waktu(waktu, tidak)}
        )

    def revisi_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        sop = get_object_or_404(m.Sop, pk=pk)
        draf, baru = sop_buat_revisi(sop=sop, user=request.user)
        self._pesan_revisi(request, draf, baru)
        return redirect("admin:sop_sop_change", draf.pk)

    def berlakukan_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        sop = get_object_or_404(m.Sop, pk=pk)
        if not self.has_change_permission(request, sop):
            raise PermissionDenied
        self._berlakukan(request, sop)
        return redirect("admin:sop_sop_change", sop.pk)

    def impor_view(self, request):
        ctx = {**self.admin_site.each_context(request), "title": _("Import SOPs"), "errors": []}
        if request.method == "POST" and request.FILES.get("berkas"):
            f = request.FILES["berkas"]
            uji = bool(request.POST.get("dry_run"))
            try:
                hasil = impor(baca_berkas(f.read(), f.name), user=request.user, dry_run=uji)
            except ImporGagal as e:
                ctx["errors"] = e.errors
            else:
                pesan = _("Created: %(dibuat)s, new revisions: %(revisi)s, unchanged: %(sama)s") % {
                    "dibuat": len(hasil.dibuat),
                    "revisi": len(hasil.revisi_baru),
                    "sama": len(hasil.sama),
                }
                if uji:
                    pesan += " " + _("(dry run, nothing saved)")
                messages.success(request, pesan)
                return redirect("admin:sop_sop_changelist")
        return render(
            request, "admin/sop/sop/impor.html", ctx, status=400 if ctx["errors"] else 200
        )
