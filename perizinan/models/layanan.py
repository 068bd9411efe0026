"""Services as data: a jenis layanan is an SOP plus its Standar Pelayanan (Permenpan RB 15/2014).

The service-delivery components of the standard: persyaratan (``Persyaratan``), sistem, mekanisme
dan prosedur (the SOP named by ``sop_kode``), jangka waktu (computed from the SOP's office steps,
``perizinan.standar``), biaya/tarif, produk layanan (``produk`` and the output documents
``KeluaranLayanan``) and penanganan pengaduan. Admins edit them; the public page shows them.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JenisLayananQuerySet(models.QuerySet):
    def aktif(self):
        return self.filter(aktif=True)

    def publik(self):
        return self.filter(aktif=True, publik=True)


class JenisLayanan(models.Model):
    """A licensing service an office offers (its Standar Pelayanan)."""

    kode = models.SlugField(_("code"), max_length=60, unique=True)
    nama = models.CharField(_("service name"), max_length=200)
    unit = models.ForeignKey(
        "sop.Unit",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The office that runs this service and answers its complaints."),
    )
    sop_kode = models.CharField(
        _("SOP code"),
        max_length=40,
        help_text=_(
            "The SOP whose revision in force runs each new request (system, mechanism and "
            "procedure)."
        ),
    )
    ringkasan = models.TextField(_("summary"), blank=True)
    biaya = models.DecimalField(
        _("fee (Rp)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    biaya_keterangan = models.CharField(
        _("fee note"), max_length=300, blank=True, help_text=_("E.g. the regulation setting it.")
    )
    produk = models.CharField(
        _("service product"), max_length=300, help_text=_("What the applicant receives.")
    )
    penanganan_pengaduan = models.TextField(
        _("complaint handling"),
        blank=True,
        help_text=_("Where and how complaints, suggestions and input are received and answered."),
    )
    batas_pengaduan = models.CharField(
        _("time to answer a complaint"),
        max_length=60,
        default="5 hari",
        help_text=_("Written like an SOP time limit, e.g. “5 hari” or “120 menit”."),
    )
    langkah_periksa = models.SlugField(
        _("step that checks the documents"),
        max_length=60,
        blank=True,
        help_text=_(
            "Code of the SOP step that cannot be completed while a required document is missing. "
            "Empty: the first step performed by the office."
        ),
    )
    aktif = models.BooleanField(_("active"), default=True)
    publik = models.BooleanField(_("shown on the public pages"), default=True)
    urutan = models.PositiveSmallIntegerField(_("order"), default=0)
    diubah = models.DateTimeField(_("changed"), default=timezone.now)

    objects = JenisLayananQuerySet.as_manager()

    class Meta:
        verbose_name = _("licensing service")
        verbose_name_plural = _("licensing services")
        ordering = ["urutan", "nama"]

    def __str__(self):
        return self.nama

    def get_absolute_url(self):
        return reverse("perizinan:publik_layanan", args=[self.kode])

    def sop_berlaku(self):
        """The SOP revision in force for this service, or None: one indexed lookup of its id,
        the revision's steps from the per-process cache (``perizinan.sop_info.sop_revisi``)."""
        if "_sop_cache" not in self.__dict__:
            from sop.models import Sop

            pk = Sop.objects.berlaku().filter(kode=self.sop_kode).values_list("pk", flat=True)
            self.isi_sop(pk.first())
        return self._sop_cache

    def isi_sop(self, sop_id: int | None) -> None:
        """Set the revision in force (id) found by a batch lookup."""
        from perizinan.sop_info import sop_revisi

        self._sop_cache = sop_revisi(sop_id) if sop_id else None


class Persyaratan(models.Model):
    """One item of the service's document checklist."""

    jenis = models.ForeignKey(JenisLayanan, on_delete=models.CASCADE, related_name="persyaratan")
    urutan = models.PositiveSmallIntegerField(_("order"), default=0)
    nama = models.CharField(_("document"), max_length=200)
    wajib = models.BooleanField(_("required"), default=True)
    keterangan = models.CharField(_("note"), max_length=300, blank=True)
    unggah = models.BooleanField(
        _("scan or photo expected"),
        default=True,
        help_text=_("Off: the officer only checks the original at the counter."),
    )

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["jenis", "urutan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jenis", "nama"], name="perizinan_syarat_unik")
        ]

    def __str__(self):
        return self.nama


class KeluaranLayanan(models.Model):
    """An output document of the service, recorded with its number and file at an SOP step."""

    class Pola(models.TextChoices):
        BEBAS = "bebas", _("Any text")
        NIB = "nib", _("NIB (13 digits)")

    jenis = models.ForeignKey(JenisLayanan, on_delete=models.CASCADE, related_name="keluaran")
    urutan = models.PositiveSmallIntegerField(_("order"), default=0)
    nama = models.CharField(_("document"), max_length=200)
    langkah_kode = models.SlugField(
        _("recorded at step"),
        max_length=60,
        help_text=_("Code of the SOP step that cannot be completed before it is recorded."),
    )
    wajib = models.BooleanField(_("required"), default=True)
    diserahkan = models.BooleanField(
        _("handed over at the counter"),
        default=True,
        help_text=_("Listed on the handover receipt."),
    )
    pola_nomor = models.CharField(
        _("number format"), max_length=10, choices=Pola.choices, default=Pola.BEBAS
    )

    class Meta:
        verbose_name = _("output document")
        verbose_name_plural = _("output documents")
        ordering = ["jenis", "urutan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jenis", "nama"], name="perizinan_keluaran_unik")
        ]

    def __str__(self):
        return self.nama
