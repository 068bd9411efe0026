"""Indonesian for third-party admin strings that their own catalogues lack.

Django, django-import-export, django-axes and django-tasks-db ship strings without an Indonesian
translation (import-export has no Indonesian catalogue at all). Listing the msgids here puts them
into ``locale/id/LC_MESSAGES/django.po`` (``scripts/i18n_refresh.sh``), and the project's catalogue
takes precedence over the libraries' (LOCALE_PATHS). The JavaScript ones (the admin's time-zone
note) are in ``locale/id/LC_MESSAGES/djangojs.po``. ``tests/sop/test_admin_bahasa.py`` walks the
admin pages and fails on any English string left.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy, gettext_noop, ngettext_lazy

# The library sets a plain (untranslatable) string as its app name.
if apps.is_installed("django_tasks_db"):
    apps.get_app_config("django_tasks_database").verbose_name = gettext_lazy("Background tasks")

PESAN = [
    # Django
    gettext_noop("- Select an option -"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the '
        "following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the following "
        "protected related objects:"
    ),
    gettext_noop("Sidebar"),
    gettext_noop("Go"),
    gettext_noop("%(full_result_count)s total"),
    gettext_noop("Run the selected action"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("None"),
    # django-axes
    gettext_noop("Path"),
    gettext_noop("HTTP Accept"),
    gettext_noop("User Agent"),
    gettext_noop("Meta Data"),
    # django-import-export (no Indonesian catalogue of its own)
    gettext_noop(
        "The following fields are declared in 'import_id_fields' but are not present in the "
        "file headers: %s"
    ),
    gettext_noop(
        "%(exc_name)s encountered while trying to read file. Ensure you have chosen the correct "
        "format for the file."
    ),
    gettext_noop("Import"),
    gettext_noop("Export"),
    gettext_noop("Export selected %(verbose_name_plural)s"),
    gettext_noop("Resource"),
    gettext_noop("Format"),
    gettext_noop("File to import"),
    gettext_noop("Select all"),
    gettext_noop("Submit"),
    gettext_noop("Confirm import"),
    gettext_noop("Errors"),
    gettext_noop("Line number"),
    gettext_noop("Some rows failed to validate"),
    gettext_noop(
        "Please correct these errors in your data where possible, then reupload it using the "
        "form above."
    ),
    gettext_noop("Row"),
    gettext_noop("Non field specific"),
    gettext_noop("Preview"),
    gettext_noop("New"),
    gettext_noop("Skipped"),
    gettext_noop("Delete"),
    gettext_noop("Update"),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the results, "
        "click 'Confirm import'"
    ),
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop("%s through import_export"),
    gettext_noop("Value could not be parsed."),
    gettext_noop("export failed due to IllegalCharacterError"),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
    gettext_noop('Select at least 1 field for "%(resource_name)s" to export'),
    # django-tasks-db
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
]

JAMAK = [
    ngettext_lazy("Export %(len)s selected item.", "Export %(len)s selected items.", 1),
]
