"""Survei Kepuasan Masyarakat (Permenpan RB 14/2017): anonymous answers and staged imports.

An answer never points to a request or a person: the online form is opened with the one-time
token printed on the handover receipt (the request only notes that its survey was answered),
and only the answer's date is kept, not its time. Paper forms are imported from xlsx.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .layanan import JenisLayanan


class ImporSkm(models.Model):
    """One uploaded SKM workbook: validated whole, committed all or nothing, never twice."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Waiting")
        MEMVALIDASI = "memvalidasi", _("Validating")
        VALID = "valid", _("Ready to commit")
        GALAT = "galat", _("Has errors")
        MENYIMPAN = "menyimpan", _("Saving")
        SELESAI = "selesai", _("Committed")
        GAGAL = "gagal", _("Failed")

    unit = models.ForeignKey("sop.Unit", on_delete=models.PROTECT, related_name="+")
    berkas = models.FileField(_("file"), upload_to="perizinan/skm/%Y/%m/")
    nama_berkas = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    total_baris = models.PositiveIntegerField(_("rows"), default=0)
    jumlah_dibuat = models.PositiveIntegerField(_("answers created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    header_row = models.PositiveIntegerField(default=0)
    sheet = models.CharField(max_length=100, blank=True)
    dibuat = models.DateTimeField(_("uploaded"), default=timezone.now)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    selesai_pada = models.DateTimeField(_("committed"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")
        ordering = ["-dibuat", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "sha256"],
                condition=models.Q(status="selesai"),
                name="perizinan_skm_sekali",
            )
        ]

    def __str__(self):
        return self.nama_berkas


class ResponSkm(models.Model):
    """One respondent's answer: the nine unsur scored 1-4 and an anonymous profile."""

    class Sumber(models.TextChoices):
        DARING = "daring", _("Online form")
        IMPOR = "impor", _("Paper form (imported)")

    unit = models.ForeignKey("sop.Unit", on_delete=models.PROTECT, related_name="+")
    jenis = models.ForeignKey(
        JenisLayanan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tanggal = models.DateField(_("date"))
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    profil = models.JSONField(_("respondent profile"), default=dict, blank=True)
    saran = models.TextField(_("suggestion"), blank=True)
    sumber = models.CharField(_("source"), max_length=10, choices=Sumber.choices)
    impor = models.ForeignKey(
        ImporSkm, null=True, blank=True, on_delete=models.PROTECT, related_name="respon"
    )
    baris = models.PositiveIntegerField(_("Excel row"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-tanggal", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    *[models.Q(**{f"u{i}__gte": 1, f"u{i}__lte": 4}) for i in range(1, 10)]
                ),
                name="perizinan_skm_skala_1_4",
            ),
            models.UniqueConstraint(
                fields=["impor", "baris"],
                condition=models.Q(impor__isnull=False),
                name="perizinan_skm_baris_sekali",
            ),
        ]
        indexes = [models.Index(fields=["unit", "tanggal"], name="skm_unit_tanggal")]

    def __str__(self):
        return f"{self.tanggal} {self.jenis_id or '-'}"

    def skor(self) -> list[int]:
        return [getattr(self, f"u{i}") for i in range(1, 10)]
