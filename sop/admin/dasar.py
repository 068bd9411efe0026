"""Shared admin bases: read-only (audit) admins and the refusal of actions an admin does not offer."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportModelAdmin

from ..sumber_impor import FORMAT_AMAN, BerkasDitolak, FormImpor


class TolakAksiTakTersedia:
    """A POSTed changelist action the admin does not offer (e.g. "delete selected" on an
    immutable audit table) is refused with 403 and a visible message, instead of Django's silent
    200 re-render of the list."""

    pesan_aksi_ditolak = gettext_lazy(
        "This action is not available here: these records cannot be changed or deleted."
    )

    def changelist_view(self, request, extra_context=None):
        aksi = request.POST.get("action") if request.method == "POST" else None
        if aksi and aksi not in self.get_actions(request):
            pesan = str(self.pesan_aksi_ditolak)
            opts = self.model._meta
            ctx = {
                **self.admin_site.each_context(request),
                "title": _("Action refused"),
                "opts": opts,
                "pesan": pesan,
                "kembali": request.get_full_path(),
            }
            return TemplateResponse(request, "admin/aksi_ditolak.html", ctx, status=403)
        return super().changelist_view(request, extra_context)


class HanyaBacaAdmin(TolakAksiTakTersedia, admin.ModelAdmin):
    """Viewable, never added, changed or deleted here (audit rows, records run by the engine)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ImporEksporPortal(ImportExportModelAdmin):
    """Import/Export buttons with the library's dry-run preview, restricted to xlsx and csv
    files of bounded size (`sop.sumber_impor.FORMAT_AMAN`)."""

    import_form_class = FormImpor

    def get_import_formats(self):
        return FORMAT_AMAN

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, BerkasDitolak):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                _("The file cannot be read as the chosen format (xlsx or csv): %(galat)s")
                % {"galat": type(e).__name__},
            )

    def get_export_formats(self):
        return FORMAT_AMAN
