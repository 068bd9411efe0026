from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sop.modul import Modul


class PerizinanConfig(AppConfig):
    name = "perizinan"
    verbose_name = _("Licensing")
    default_auto_field = "django.db.models.BigAutoField"
    modul = Modul(
        layanan="perizinan",
        nama=_("Licensing"),
        beranda="perizinan:beranda",
        urutan=30,
        setup="perizinan.setup.setup",
        sapuan=("perizinan.pengaduan.sapu_pengaduan",),
    )
