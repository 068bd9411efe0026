"""Staging rows of spreadsheet uploads (loan book, bank statements)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImporBerkas(models.Model):
    """One upload: validate every row, preview, commit all or nothing."""

    class Jenis(models.TextChoices):
        PINJAMAN = "pinjaman", _("Loan book")
        REKENING = "rekening", _("Bank statement")

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Waiting")
        MEMVALIDASI = "memvalidasi", _("Validating")
        VALID = "valid", _("Ready to commit")
        GALAT = "galat", _("Has errors")
        MENYIMPAN = "menyimpan", _("Saving")
        SELESAI = "selesai", _("Committed")
        GAGAL = "gagal", _("Failed")

    BERJALAN = (Status.MENUNGGU, Status.MEMVALIDASI, Status.MENYIMPAN)

    jenis = models.CharField(_("kind"), max_length=10, choices=Jenis.choices)
    unit = models.ForeignKey(
        "sop.Unit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    berkas = models.FileField(_("file"), upload_to="danabergulir/impor/%Y/%m/")
    nama_berkas = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.MENUNGGU
    )
    progres = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total_baris = models.PositiveIntegerField(default=0)
    jumlah_galat = models.PositiveIntegerField(default=0)
    hitungan = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    pratinjau = models.JSONField(_("preview"), default=list, blank=True)
    header_row = models.PositiveIntegerField(default=0)
    sheet = models.CharField(max_length=100, blank=True)
    pesan = models.TextField(_("message"), blank=True)
    berkas_anotasi = models.FileField(upload_to="danabergulir/impor/%Y/%m/", blank=True)
    dibuat = models.DateTimeField(_("uploaded"), default=timezone.now)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    selesai_pada = models.DateTimeField(_("committed"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-dibuat", "-pk"]
        indexes = [models.Index(fields=["unit", "jenis", "status"])]

    def __str__(self):
        return f"{self.get_jenis_display()} {self.nama_berkas}"

    def get_absolute_url(self):
        return reverse("danabergulir:impor_detail", args=[self.pk])

    @property
    def berjalan(self) -> bool:
        return self.status in self.BERJALAN
