"""Django admin of the engine: SOP editor, offices and people, calendars, read-only audit.

Split by subject; importing this package registers every admin. Domain apps import
`HanyaBacaAdmin` from here for their read-only pages.
"""

from . import audit, kalender, orang, sop, terjemahan  # noqa: F401  (registers the admins)
from .dasar import HanyaBacaAdmin, TolakAksiTakTersedia

__all__ = ["HanyaBacaAdmin", "TolakAksiTakTersedia"]
