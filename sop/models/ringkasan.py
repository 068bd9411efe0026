"""Summary rows the database keeps current: compliance counts of finished steps (ADR 0010).

The step log (``Jejak``) grows by millions of rows; the compliance report must not read them per
request. Each finished, tracked step adds one to its row here: (SOP revision, step, office,
officer, late or not, percent of the limit used rounded to 0.1). A trigger on ``sop_jejak``
(migration ``0005_skala_ringkas_kepatuhan``: one statement-level trigger on PostgreSQL, a row
trigger on SQLite) does it in the same transaction as the insert, whoever inserts. Plain integer
columns, not foreign keys: the table is derived data; 0 stands for "none" (the system actor).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RingkasKepatuhan(models.Model):
    sop_id = models.BigIntegerField()
    langkah_id = models.BigIntegerField()
    unit_id = models.BigIntegerField(help_text=_("0: none (the system)."))
    user_id = models.BigIntegerField(help_text=_("0: none (the system)."))
    terlambat = models.BooleanField(_("late"))
    persen10 = models.IntegerField(
        help_text=_(
            "Working time used in tenths of a percent of the limit, "
            "round(1000 * minutes used / minutes allowed); -1: no minutes allowed."
        )
    )
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("compliance summary row")
        verbose_name_plural = _("compliance summary")
        constraints = [
            models.UniqueConstraint(
                fields=["sop_id", "langkah_id", "unit_id", "user_id", "terlambat", "persen10"],
                name="ringkas_kepatuhan_unik",
            )
        ]

    def __str__(self):
        return f"{self.langkah_id}/{self.unit_id}/{self.user_id}: {self.n}"
