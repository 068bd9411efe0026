"""Regions (Kemendagri), offices (units), roles (pelaksana) and assignments (penugasan)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Wilayah(models.Model):
    """A Kemendagri region: provinsi (1) > kabupaten/kota (2) > kecamatan (3) > desa/kelurahan (4)."""

    class Tingkat(models.IntegerChoices):
        PROVINSI = 1, _("Province")
        KABUPATEN = 2, _("Regency/city")
        KECAMATAN = 3, _("District")
        DESA = 4, _("Village")

    kode = models.CharField(_("code"), max_length=13, primary_key=True)
    nama = models.CharField(_("name"), max_length=120, db_index=True)
    tingkat = models.PositiveSmallIntegerField(_("level"), choices=Tingkat.choices)
    jenis = models.CharField(_("type"), max_length=20)
    induk = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="anak",
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["kode"]

    def __str__(self):
        return f"{self.kode} {self.nama}"

    def memuat(self, kode: str) -> bool:
        """True when region ``kode`` lies inside (or is) this region."""
        return kode == self.kode or kode.startswith(self.kode + ".")


class Pelaksana(models.Model):
    """A role that performs SOP steps ("Kepala Bidang", "Front Office", "Bank")."""

    kode = models.SlugField(_("code"), max_length=60, unique=True)
    nama = models.CharField(_("name"), max_length=120)
    eksternal = models.BooleanField(
        _("external"),
        default=False,
        help_text=_(
            "Performed outside the office (applicant, bank, ministry); recorded by another role."
        ),
    )
    dicatat_oleh = models.ForeignKey(
        "self",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mencatat",
    )
    atasan = models.ForeignKey(
        "self",
        verbose_name=_("superior role"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bawahan",
        help_text=_("Told about breached time limits of this role's steps."),
    )

    class Meta:
        verbose_name = _("role (pelaksana)")
        verbose_name_plural = _("roles (pelaksana)")
        ordering = ["nama"]

    def __str__(self):
        return self.nama


class Unit(models.Model):
    """An office attached to a region: Kantor Desa, Kantor Camat, Dinas, UPT, DPMPTSP."""

    class Jenis(models.TextChoices):
        DESA = "desa", _("Village office")
        KECAMATAN = "kecamatan", _("District office")
        DINAS_KABUPATEN = "dinas_kabupaten", _("Regency agency (dinas)")
        UPT = "upt", _("Technical unit (UPT)")
        DPMPTSP = "dpmptsp", _("One-stop licensing office (DPMPTSP)")
        DINAS_PROVINSI = "dinas_provinsi", _("Provincial agency")

    kode = models.SlugField(_("code"), max_length=60, unique=True)
    nama = models.CharField(_("name"), max_length=200)
    jenis = models.CharField(_("type"), max_length=20, choices=Jenis.choices)
    wilayah = models.ForeignKey(Wilayah, verbose_name=_("region"), on_delete=models.PROTECT)
    induk = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="anak",
    )
    layanan = models.JSONField(
        _("services"),
        default=list,
        blank=True,
        help_text=_('Services this office runs, e.g. ["bpum", "sop"].'),
    )
    sop_kode = models.JSONField(
        _("SOPs run as requests"),
        default=list,
        blank=True,
        help_text=_(
            'Codes of the SOPs this office runs through "Start a request", e.g. ["JATIM-5.4.6"]; '
            'a code ending in * covers every code with that start ("PACITAN-*"). SOPs a module '
            "runs on its own screens (BPUM, revolving funds, licensing) are never offered there."
        ),
    )
    hanya_baca = models.BooleanField(
        _("read-only oversight"),
        default=False,
        help_text=_("Officers of this office may see but never act (e.g. the province)."),
    )
    kalender = models.ForeignKey(
        "sop.Kalender",
        verbose_name=_("working calendar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Empty: the default calendar."),
    )

    class Meta:
        verbose_name = _("office (unit)")
        verbose_name_plural = _("offices (units)")
        ordering = ["wilayah_id", "nama"]

    def __str__(self):
        return self.nama


class PenugasanQuerySet(models.QuerySet):
    def aktif(self, pada=None):
        hari = timezone.localdate(pada) if pada else timezone.localdate()
        return self.filter(
            models.Q(mulai__isnull=True) | models.Q(mulai__lte=hari),
            models.Q(selesai__isnull=True) | models.Q(selesai__gte=hari),
            user__is_active=True,
        )


class Penugasan(models.Model):
    """A user holds one or more roles in one office, optionally for a period (Plt/Plh)."""

    class Jenis(models.TextChoices):
        DEFINITIF = "definitif", _("Permanent")
        PLT = "plt", _("Acting (Plt)")
        PLH = "plh", _("Daily acting (Plh)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="penugasan",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("office"), on_delete=models.CASCADE, related_name="penugasan"
    )
    peran = models.ManyToManyField(Pelaksana, verbose_name=_("roles"), related_name="penugasan")
    jenis = models.CharField(
        _("kind"), max_length=10, choices=Jenis.choices, default=Jenis.DEFINITIF
    )
    mulai = models.DateField(_("from"), null=True, blank=True)
    selesai = models.DateField(_("until"), null=True, blank=True)
    keterangan = models.CharField(_("note"), max_length=200, blank=True)

    objects = PenugasanQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["user__username", "unit__nama"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mulai__isnull=True)
                | models.Q(selesai__isnull=True)
                | models.Q(selesai__gte=models.F("mulai")),
                name="penugasan_periode_valid",
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.unit}"
