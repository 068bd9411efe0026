"""Program settings: kolektibilitas profiles, loan products, the revolving fund account."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..hitung import Kelas, Metode, persen_ke_ppm


class MetodeJasa(models.TextChoices):
    FLAT = Metode.FLAT.value, _("Flat")
    ANUITAS = Metode.ANUITAS.value, _("Annuity")
    MENURUN = Metode.MENURUN.value, _("Declining (equal principal)")


class ProfilKolektibilitas(models.Model):
    """An editable table of loan classes by days past due (default: POJK 40/POJK.03/2019)."""

    kode = models.SlugField(_("code"), max_length=40, unique=True)
    nama = models.CharField(_("name"), max_length=120)
    keterangan = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("collectibility profile")
        verbose_name_plural = _("collectibility profiles")
        ordering = ["nama"]

    def __str__(self):
        return self.nama

    def kelas_hitung(self) -> tuple[Kelas, ...]:
        """The classes as pure ``hitung.Kelas`` values, in order."""
        return tuple(
            Kelas(str(k.urutan), k.nama, k.dpd_min, k.dpd_maks, k.npl)
            for k in sorted(self.kelas.all(), key=lambda k: k.urutan)
        )


class KelasKolektibilitas(models.Model):
    profil = models.ForeignKey(ProfilKolektibilitas, on_delete=models.CASCADE, related_name="kelas")
    urutan = models.PositiveSmallIntegerField(_("order"))
    nama = models.CharField(_("name"), max_length=60)
    dpd_min = models.PositiveIntegerField(_("from (days past due)"))
    dpd_maks = models.PositiveIntegerField(
        _("to (days past due)"), null=True, blank=True, help_text=_("Empty: no upper bound.")
    )
    npl = models.BooleanField(_("counts as NPL"), default=False)

    class Meta:
        verbose_name = _("collectibility class")
        verbose_name_plural = _("collectibility classes")
        ordering = ["profil", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["profil", "urutan"], name="dagulir_kelas_urutan_unik")
        ]

    def __str__(self):
        return self.nama


class Produk(models.Model):
    """A loan product (program) of a UPT: the terms new loans copy at disbursement."""

    kode = models.SlugField(_("code"), max_length=40, unique=True)
    nama = models.CharField(_("name"), max_length=160)
    unit = models.ForeignKey(
        "sop.Unit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    plafon_min = models.PositiveBigIntegerField(_("minimum amount (Rp)"))
    plafon_maks = models.PositiveBigIntegerField(_("maximum amount (Rp)"))
    jasa_persen = models.DecimalField(
        _("service fee (% per year)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    metode = models.CharField(_("method"), max_length=10, choices=MetodeJasa.choices)
    tenor = models.PositiveSmallIntegerField(
        _("tenor (months)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    masa_tenggang = models.PositiveSmallIntegerField(_("grace months"), default=0)
    denda_persen_harian = models.DecimalField(
        _("late fee (% per day)"),
        max_digits=7,
        decimal_places=4,
        default=Decimal("0.1"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10))],
    )
    profil = models.ForeignKey(
        ProfilKolektibilitas,
        verbose_name=_("collectibility profile"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    aktif = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("loan product")
        verbose_name_plural = _("loan products")
        ordering = ["nama"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plafon_maks__gte=models.F("plafon_min")),
                name="dagulir_produk_plafon_urut",
            ),
            models.CheckConstraint(
                condition=models.Q(masa_tenggang__lt=models.F("tenor")),
                name="dagulir_produk_tenggang_lt_tenor",
            ),
        ]

    def __str__(self):
        return self.nama

    @property
    def denda_ppm(self) -> int:
        return persen_ke_ppm(self.denda_persen_harian)


class RekeningDana(models.Model):
    """The revolving fund of a UPT: its bank account and the balance the books start from."""

    unit = models.OneToOneField(
        "sop.Unit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    nama = models.CharField(_("name"), max_length=160)
    bank = models.CharField(_("bank"), max_length=120, blank=True)
    nomor_rekening = models.CharField(_("account number"), max_length=40, blank=True)
    saldo_awal = models.BigIntegerField(_("opening balance (Rp)"), default=0)
    tanggal_saldo_awal = models.DateField(_("opening balance date"))

    class Meta:
        verbose_name = _("revolving fund account")
        verbose_name_plural = _("revolving fund accounts")

    def __str__(self):
        return self.nama
