from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SopConfig(AppConfig):
    name = "sop"
    verbose_name = _("SOP engine")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import middleware, signals  # noqa: F401  (signal receivers)
        from .hak_db import setelah_migrasi

        post_migrate.connect(setelah_migrasi, sender=self, dispatch_uid="sop-hak-db")
