"""Tables behind what the public sees: register counters (``sop.penomoran``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NomorRegister(models.Model):
    """The last number taken in one register series: one office, one kind, one year.

    Written only by ``sop.penomoran.nomor_register`` (one atomic upsert inside the caller's
    transaction); never edited by hand, never decremented."""

    unit = models.ForeignKey(
        "sop.Unit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    jenis = models.CharField(_("kind"), max_length=30, help_text=_("e.g. TT (receipt)."))
    tahun = models.PositiveSmallIntegerField(_("year"))
    terakhir = models.PositiveIntegerField(_("last number taken"))

    class Meta:
        verbose_name = _("register counter")
        verbose_name_plural = _("register counters")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "jenis", "tahun"], name="sop_nomorregister_seri_unik"
            )
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.jenis}/{self.tahun}: {self.terakhir}"
