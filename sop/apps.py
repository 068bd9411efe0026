from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SopConfig(AppConfig):
    name = "sop"
    verbose_name = _("SOP engine")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import middleware, signals  # noqa: F401  (signal receivers)
