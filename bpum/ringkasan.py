"""Summary rows the database keeps current for the BPUM pages (ADR 0019).

``RingkasUsulan``: how many proposals of a round are in each (village, state, duplicate flag):
the dashboard counts and every list's total read these few hundred rows instead of counting a
million proposals. ``RingkasLangkahUsulan``: the finished steps of a round's proposals per
(village, step, late or not, percent of the limit used rounded to 0.1): the dashboard's compliance
panel. Both are kept current by PostgreSQL triggers (migration ``0007_skala_ringkasan``) in the
transaction that changes the proposals or writes the step log, whoever writes. On other databases
(SQLite for development) the tables stay empty and ``bpum.selectors`` counts the rows themselves.
"""

from django.db import models


class RingkasUsulan(models.Model):
    periode = models.ForeignKey(
        "bpum.Periode", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    wilayah = models.ForeignKey(
        "sop.Wilayah", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    status = models.CharField(max_length=20)
    duplikat = models.BooleanField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["periode", "wilayah", "status", "duplikat"], name="ringkas_usulan_unik"
            )
        ]

    def __str__(self):
        return f"{self.wilayah_id} {self.status}: {self.n}"


class RingkasLangkahUsulan(models.Model):
    periode = models.ForeignKey(
        "bpum.Periode", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    wilayah = models.ForeignKey(
        "sop.Wilayah", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    langkah_id = models.BigIntegerField()
    terlambat = models.SmallIntegerField()  # 1 late, 0 on time, -1 not tracked
    # round(1000 * minutes used / minutes allowed); -1: no minutes allowed
    persen10 = models.IntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["periode", "wilayah", "langkah_id", "terlambat", "persen10"],
                name="ringkas_langkah_usulan_unik",
            )
        ]

    def __str__(self):
        return f"{self.wilayah_id} {self.langkah_id}: {self.n}"


class RingkasRekap(models.Model):
    """How many proposals each batch holds per village (district batches by
    ``rekap_kecamatan``, regency batches by ``rekap_kabupaten``): the segments of a batch's
    member list (``bpum.selectors.PaginatorAnggotaRekap``) without counting a batch of a
    hundred thousand proposals per page. Kept by the same triggers on ``bpum_usulan``
    (migration ``0009_skala_ringkas_rekap``, PostgreSQL); empty elsewhere."""

    rekap = models.ForeignKey(
        "bpum.Rekap", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    wilayah = models.ForeignKey(
        "sop.Wilayah", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rekap", "wilayah"], name="ringkas_rekap_unik")
        ]

    def __str__(self):
        return f"{self.rekap_id} {self.wilayah_id}: {self.n}"
