"""Summary rows the database keeps current: compliance counts of finished steps (ADR 0019).

The step log (``Jejak``) grows by millions of rows; the compliance report must not read them per
request. Each finished, tracked step adds one to its row here: (SOP revision, step, office,
officer, late or not, percent of the limit used rounded to 0.1). A statement-level trigger on
``sop_jejak`` (migration ``0012_skala_ringkas_kepatuhan``, PostgreSQL) does it in the same
transaction as the insert, whoever inserts. On SQLite (development) the table stays empty and
``sop.laporan`` reads the log. Plain integer columns, not foreign keys: the table is derived
data; 0 stands for "none" (the system actor).
"""

from django.db import models


class RingkasKepatuhan(models.Model):
    """Not shown to users (no admin): internal, derived data."""

    sop_id = models.BigIntegerField()
    langkah_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()  # 0: none (the system)
    user_id = models.BigIntegerField()  # 0: none (the system)
    terlambat = models.BooleanField()
    # working time used, in tenths of a percent of the limit:
    # round(1000 * minutes used / minutes allowed); -1: no minutes allowed
    persen10 = models.IntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sop_id", "langkah_id", "unit_id", "user_id", "terlambat", "persen10"],
                name="ringkas_kepatuhan_unik",
            )
        ]

    def __str__(self):
        return f"{self.langkah_id}/{self.unit_id}/{self.user_id}: {self.n}"


class RingkasJam(models.Model):
    """Open clocks per (run model, region, step, breached or not): the totals of Tugas Saya,
    Lewat Tenggat and the home page's counters read these rows (a few thousand) instead of
    counting the open clocks (hundreds of thousands with a province's data). Kept by statement
    triggers on ``sop_langkahberjalan`` (migration ``0014_skala_ringkas_jam``, PostgreSQL);
    empty elsewhere, where ``sop.selectors`` counts the clocks themselves. Same column names as
    the clocks, so the same region/step filters apply to both."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    # "" for a clock without a region (no filter matches it; the superuser's total counts it)
    wilayah = models.ForeignKey(
        "sop.Wilayah", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    langkah = models.ForeignKey(
        "sop.Langkah", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    dilanggar = models.BooleanField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "wilayah", "langkah", "dilanggar"],
                name="ringkas_jam_unik",
            )
        ]

    def __str__(self):
        return f"{self.wilayah_id} {self.langkah_id}: {self.n}"
