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
        sapuan=(
            "danabergulir.sapuan.sapu_penagihan",
            "danabergulir.sapuan.buka_siklus_bulanan",
        ),
        sop=(
            "PACITAN-17",
            "PACITAN-18",
            "PACITAN-19",
            "PACITAN-20",
            "PACITAN-21",
            "PACITAN-22",
            "PACITAN-23",
            "PACITAN-24",
        ),
    )
