"""Postings: bank lines (payments or suspense), their allocation rows, and reversals."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sop.models.jejak import ImmutableModel

from .pinjaman import Angsuran, Pinjaman


class Pembayaran(models.Model):
    """One credit line of a bank statement (rekening koran): posted to a loan, or waiting in the
    suspense list until a petugas matches it.

    ``kunci`` is the idempotency key (sha256 of the line's natural key, see
    ``danabergulir.posting.kunci_baris``): the same line imported twice posts once. The amount,
    date and text of a line never change; matching, reversing and dismissing only move it
    between the states below and are recorded (``Pembalikan`` rows are immutable)."""

    class Status(models.TextChoices):
        DIPOSTING = "diposting", _("Posted")
        SUSPENSE = "suspense", _("Unmatched")
        BUKAN_ANGSURAN = "bukan_angsuran", _("Not an installment")

    class Sumber(models.TextChoices):
        REKENING = "rekening", _("Bank statement")
        DEMO = "demo", _("Demo data")

    class AlasanSuspense(models.TextChoices):
        TANPA_NOMOR = "tanpa_nomor", _("No loan number in the description")
        NOMOR_GANDA = "nomor_ganda", _("More than one loan number in the description")
        DIBALIK = "dibalik", _("Reversed from a loan")
        SEBELUM_JADWAL = "sebelum_jadwal", _("Value date before the loan's current schedule")

    unit = models.ForeignKey(
        "sop.Unit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    pinjaman = models.ForeignKey(
        Pinjaman,
        verbose_name=_("loan"),
        on_delete=models.PROTECT,
        related_name="pembayaran",
        null=True,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    alasan_suspense = models.CharField(
        _("why unmatched"), max_length=16, choices=AlasanSuspense.choices, blank=True
    )
    tanggal = models.DateField(_("value date"))
    hari = models.IntegerField(editable=False)
    jumlah = models.DecimalField(_("amount (Rp)"), max_digits=15, decimal_places=2)
    referensi = models.CharField(_("bank reference"), max_length=80, blank=True)
    keterangan = models.CharField(_("description"), max_length=500, blank=True)
    saldo = models.DecimalField(
        _("balance (Rp)"), max_digits=17, decimal_places=2, null=True, blank=True
    )
    kunci = models.CharField(max_length=64, editable=False)
    sumber = models.CharField(_("source"), max_length=10, choices=Sumber.choices)
    impor = models.ForeignKey(
        "danabergulir.ImporBerkas",
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    baris = models.PositiveIntegerField(_("row"), null=True, blank=True)
    catatan = models.CharField(_("note"), max_length=300, blank=True)
    dibuat = models.DateTimeField(_("recorded"), default=timezone.now)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dicocokkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    dicocokkan_pada = models.DateTimeField(_("matched on"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["hari", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kunci"], name="dagulir_pembayaran_kunci_unik")
        ]
        indexes = [
            models.Index(fields=["unit", "status", "hari"]),
            models.Index(fields=["pinjaman", "hari"]),
        ]

    def __str__(self):
        return f"{self.tanggal} {self.jumlah}"

    def save(self, *args, **kwargs):
        self.hari = self.tanggal.toordinal()
        super().save(*args, **kwargs)


class Alokasi(models.Model):
    """The part of one posting that went to one installment, by component.

    ``hari`` is the value date and ``hari_efektif`` = max(value date, due date) as day numbers:
    the SQL of the position report derives denda from them (``danabergulir.selectors``).
    A reversal or a back-dated posting replays the loan: rows that change are switched off
    (``aktif`` False, kept) and new rows written."""

    pembayaran = models.ForeignKey(Pembayaran, on_delete=models.PROTECT, related_name="alokasi")
    pinjaman = models.ForeignKey(Pinjaman, on_delete=models.PROTECT, related_name="+")
    angsuran = models.ForeignKey(Angsuran, on_delete=models.PROTECT, related_name="alokasi")
    hari = models.IntegerField()
    hari_efektif = models.IntegerField()
    pokok = models.PositiveBigIntegerField(default=0)
    jasa = models.PositiveBigIntegerField(default=0)
    denda = models.PositiveBigIntegerField(default=0)
    aktif = models.BooleanField(default=True)
    dinonaktifkan_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["pembayaran", "angsuran"]
        indexes = [
            models.Index(
                fields=["pinjaman", "hari"],
                condition=models.Q(aktif=True),
                name="dagulir_alok_aktif",
            ),
        ]

    def __str__(self):
        return f"{self.pembayaran_id} -> {self.angsuran_id}"

    @property
    def jumlah(self) -> int:
        return self.pokok + self.jasa + self.denda


class Pembalikan(ImmutableModel):
    """A reversal of a posting, with its reason: written once, never changed or deleted."""

    pembayaran = models.ForeignKey(Pembayaran, on_delete=models.PROTECT, related_name="pembalikan")
    pinjaman = models.ForeignKey(Pinjaman, on_delete=models.PROTECT, related_name="+")
    jumlah = models.DecimalField(_("amount (Rp)"), max_digits=15, decimal_places=2)
    alasan = models.TextField(_("reason"))
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pada = models.DateTimeField(_("reversed on"), default=timezone.now)

    class Meta:
        verbose_name = _("reversal")
        verbose_name_plural = _("reversals")
        ordering = ["-pada"]

    def __str__(self):
        return f"{self.pembayaran_id} ({self.pada:%Y-%m-%d})"
