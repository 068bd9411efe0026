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
        # the services' SOPs run only at the counter (perizinan.setup.LAYANAN): the generic
        # runner never offers them as bare requests. PACITAN-11 is the seed's identity page of
        # the NIB service, PACITAN-11-NIB the portal's steps for it (fixtures/sop).
        sop=("PELALAWAN-A.49", "PACITAN-01", "PACITAN-11", "PACITAN-11-NIB", "PACITAN-14"),
    )

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import models as m
        from .sop_info import kosongkan_cache

        def kosongkan(**kwargs):
            kosongkan_cache()

        for model in (m.JenisLayanan, m.Persyaratan, m.KeluaranLayanan):
            post_save.connect(
                kosongkan, sender=model, weak=False, dispatch_uid=f"izin-{model.__name__}"
            )
            post_delete.connect(
                kosongkan, sender=model, weak=False, dispatch_uid=f"izin-{model.__name__}-del"
            )
