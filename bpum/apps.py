from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sop.modul import Modul


class BpumConfig(AppConfig):
    name = "bpum"
    verbose_name = _("BPUM")
    default_auto_field = "django.db.models.BigAutoField"
    modul = Modul(
        layanan="bpum",
        nama="BPUM",
        beranda="bpum:beranda",
        urutan=10,
        setup="bpum.setup.setup",
        sapuan=("bpum.impor.sapuan_impor",),
        sop=("PAIS-UMI",),
        kartu_keterangan=_("Micro-business assistance proposals"),
    )
