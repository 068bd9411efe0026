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
    # django-tasks-db
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
]

JAMAK = [
    ngettext_lazy("Export %(len)s selected item.", "Export %(len)s selected items.", 1),
]
