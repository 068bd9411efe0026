from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sop.modul import Modul


class DanabergulirConfig(AppConfig):
    name = "danabergulir"
    verbose_name = _("Revolving fund")
    default_auto_field = "django.db.models.BigAutoField"
    modul = Modul(
        layanan="danabergulir",
        nama="Dana Bergulir",
        beranda="danabergulir:beranda",
        urutan=20,
        setup="danabergulir.setup.setup",
    )
