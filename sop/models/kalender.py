"""Working calendars: time zone, weekly hours with breaks, overlays (Ramadan) and holidays."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

HARI = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Kalender(models.Model):
    class Zona(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB (Asia/Jakarta)"
        WITA = "Asia/Makassar", "WITA (Asia/Makassar)"
        WIT = "Asia/Jayapura", "WIT (Asia/Jayapura)"

    kode = models.SlugField(_("code"), max_length=60, unique=True)
    nama = models.CharField(_("name"), max_length=120)
    zona = models.CharField(_("time zone"), max_length=40, choices=Zona.choices, default=Zona.WIB)
    bawaan = models.BooleanField(
        _("default"), default=False, help_text=_("Used by offices without their own calendar.")
    )
    diubah = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        ordering = ["nama"]
        constraints = [
            models.UniqueConstraint(
                fields=["bawaan"], condition=models.Q(bawaan=True), name="satu_kalender_bawaan"
            )
        ]

    def __str__(self):
        return f"{self.nama} ({self.get_zona_display()})"


class _Jam(models.Model):
    hari = models.PositiveSmallIntegerField(_("weekday"), choices=HARI)
    mulai = models.TimeField(_("from"))
    selesai = models.TimeField(_("until"))

    class Meta:
        abstract = True
        ordering = ["hari", "mulai"]

    def clean(self):
        if self.mulai and self.selesai and self.selesai <= self.mulai:
            raise ValidationError({"selesai": _("The end must be after the start.")})


class JamKerja(_Jam):
    """One working interval on a weekday; the gaps between intervals are breaks."""

    kalender = models.ForeignKey(Kalender, on_delete=models.CASCADE, related_name="jam")

    class Meta(_Jam.Meta):
        verbose_name = _("working interval")
        verbose_name_plural = _("weekly working hours")

    def __str__(self):
        return f"{self.get_hari_display()} {self.mulai:%H:%M}-{self.selesai:%H:%M}"


class Overlay(models.Model):
    """Different weekly hours for a date range (e.g. Ramadan)."""

    kalender = models.ForeignKey(Kalender, on_delete=models.CASCADE, related_name="overlay")
    nama = models.CharField(_("name"), max_length=120)
    mulai = models.DateField(_("from"))
    selesai = models.DateField(_("until"))

    class Meta:
        verbose_name = _("hours overlay")
        verbose_name_plural = _("hours overlays (e.g. Ramadan)")
        ordering = ["mulai"]

    def __str__(self):
        return f"{self.nama} {self.mulai}–{self.selesai}"


class OverlayJam(_Jam):
    overlay = models.ForeignKey(Overlay, on_delete=models.CASCADE, related_name="jam")

    class Meta(_Jam.Meta):
        verbose_name = _("overlay interval")
        verbose_name_plural = _("overlay intervals")

    def __str__(self):
        return f"{self.get_hari_display()} {self.mulai:%H:%M}-{self.selesai:%H:%M}"


class HariLibur(models.Model):
    """A day off: libur nasional, cuti bersama (decrees change mid-year, so editable)."""

    class Jenis(models.TextChoices):
        LIBUR_NASIONAL = "libur_nasional", _("National holiday")
        CUTI_BERSAMA = "cuti_bersama", _("Collective leave (cuti bersama)")
        LIBUR_DAERAH = "libur_daerah", _("Regional holiday")

    tanggal = models.DateField(_("date"), db_index=True)
    nama = models.CharField(_("name"), max_length=200)
    jenis = models.CharField(_("kind"), max_length=20, choices=Jenis.choices)
    sumber = models.CharField(_("source"), max_length=300, blank=True)
    kalender = models.ForeignKey(
        Kalender,
        verbose_name=_("calendar"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="libur",
        help_text=_("Empty: applies to every calendar."),
    )

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["tanggal"]
        constraints = [
            models.UniqueConstraint(fields=["tanggal", "jenis", "kalender"], name="libur_unik"),
            models.UniqueConstraint(
                fields=["tanggal", "jenis"],
                condition=models.Q(kalender__isnull=True),
                name="libur_nasional_unik",
            ),
        ]

    def __str__(self):
        return f"{self.tanggal:%d-%m-%Y} {self.nama}"
