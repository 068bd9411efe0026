"""Django admin of the engine: SOP editor, offices and people, calendars, read-only audit.

Split by subject; importing this package registers every admin. Domain apps import
`HanyaBacaAdmin` from here for their read-only pages.
"""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import audit, kalender, orang, sop, terjemahan  # noqa: F401  (registers the admins)
from .dasar import HanyaBacaAdmin, ImporEksporPortal, TolakAksiTakTersedia

admin.site.site_header = _("Portal administration")
admin.site.site_title = settings.PORTAL_NAMA
admin.site.index_title = _("SOPs, offices, people and calendars")

__all__ = ["HanyaBacaAdmin", "ImporEksporPortal", "TolakAksiTakTersedia"]
