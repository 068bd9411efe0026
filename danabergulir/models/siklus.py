"""The monthly bookkeeping cycle of a UPT (SOP 24, PACITAN-24): one run per office and month.

Kepala UPT assigns -> the officer records, stores (collateral), books (the report workbook) and
reports to the Kepala UPT -> the Kepala UPT signs the report off (its PDF) and reports to the
Kepala Dinas -> the Kepala Dinas sends it to the BKD. Opened by the daily sweep once the month
has ended (``danabergulir.sapuan.buka_siklus_bulanan``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sop.models import JalanLangkah

SOP_SIKLUS = "PACITAN-24"


class SiklusBulanan(JalanLangkah):
    """SOP 24 for one office and month; its own record (no owner)."""

    LAYANAN = "danabergulir"

    tahun = models.PositiveSmallIntegerField(_("year"))
    bulan = models.PositiveSmallIntegerField(_("month"))
    dibuat = models.DateTimeField(_("opened"))
    berkas_laporan = models.FileField(
        _("report workbook"), upload_to="dagulir/laporan/%Y/", blank=True
    )
    berkas_pdf = models.FileField(
        _("report signed off (PDF)"), upload_to="dagulir/laporan/%Y/", blank=True
    )
    disahkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    disahkan_pada = models.DateTimeField(_("signed off"), null=True, blank=True)
    nomor_surat_bkd = models.CharField(
        _("cover letter number to the BKD"), max_length=80, blank=True
    )
    tanggal_kirim_bkd = models.DateField(_("sent to the BKD on"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly cycle (SOP 24)")
        verbose_name_plural = _("monthly cycles (SOP 24)")
        ordering = ["-tahun", "-bulan"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "tahun", "bulan"], name="dagulir_siklus_unik"),
            models.CheckConstraint(
                condition=models.Q(bulan__gte=1, bulan__lte=12), name="dagulir_siklus_bulan"
            ),
        ]

    def __str__(self):
        return f"{self.tahun}-{self.bulan:02d}"

    @property
    def kode_bulan(self) -> str:
        return f"{self.tahun}-{self.bulan:02d}"

    def get_absolute_url(self):
        return reverse("danabergulir:laporan") + f"?bulan={self.kode_bulan}"

    @classmethod
    def url_daftar(cls, status: str) -> str:
        return reverse("danabergulir:laporan")

    def syarat_langkah(self, langkah) -> list[str]:
        from ..services.siklus import syarat_langkah_siklus

        return syarat_langkah_siklus(self, langkah)
