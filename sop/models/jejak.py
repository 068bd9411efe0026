"""The audit trail (jejak), running step clocks, breaches, notifications and field history."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Immutable(Exception):
    pass


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise Immutable(_("Audit records cannot be changed."))

    def delete(self):
        raise Immutable(_("Audit records cannot be deleted."))


class ImmutableModel(models.Model):
    """Rows are written once: no update, no delete through the ORM's normal paths or the admin."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise Immutable(_("Audit records cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Immutable(_("Audit records cannot be deleted."))


class _TerkaitObjek(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40)

    class Meta:
        abstract = True


class _TerkaitInduk(models.Model):
    """The record a run belongs to (docs/adr/0009); empty when the run is its own record."""

    induk_ct = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    induk_id = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        abstract = True


class Jejak(ImmutableModel, _TerkaitObjek, _TerkaitInduk):
    """One row per transition: who, as which role, from -> to, which step, its clock."""

    sop = models.ForeignKey("sop.Sop", on_delete=models.PROTECT, related_name="+", null=True)
    langkah = models.ForeignKey(
        "sop.Langkah", on_delete=models.PROTECT, related_name="+", null=True
    )
    transisi = models.CharField(_("transition"), max_length=60)
    dari = models.CharField(_("from"), max_length=60)
    ke = models.CharField(_("to"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the system (SLA sweep)."),
    )
    peran = models.ForeignKey(
        "sop.Pelaksana", null=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("sop.Unit", null=True, on_delete=models.PROTECT, related_name="+")
    mulai = models.DateTimeField(_("step started"), null=True)
    tenggat = models.DateTimeField(_("due"), null=True)
    selesai = models.DateTimeField(_("finished"))
    terlambat = models.BooleanField(
        _("late"), null=True, help_text=_("Empty: the step is not tracked.")
    )
    menit_kerja = models.PositiveIntegerField(_("working minutes used"), null=True)
    menit_batas = models.PositiveIntegerField(_("working minutes allowed"), null=True)
    catatan = models.TextField(_("note"), blank=True)
    publik = models.BooleanField(
        _("public"), default=True, help_text=_("Shown on the public status page.")
    )

    class Meta:
        verbose_name = _("step log entry")
        verbose_name_plural = _("step log (jejak)")
        ordering = ["selesai", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "selesai"]),
            models.Index(
                fields=["induk_ct", "induk_id", "selesai"],
                name="jejak_induk",
                condition=models.Q(induk_ct__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.transisi}: {self.dari} → {self.ke}"


class LangkahBerjalanQuerySet(models.QuerySet):
    def terbuka(self):
        return self.filter(selesai__isnull=True)


class LangkahBerjalan(_TerkaitObjek, _TerkaitInduk):
    """The clock of the step a run is currently in (at most one open per run). Closed
    (selesai) when the step is done. ``eksternal``: the step is performed outside the office
    (applicant, bank, ministry): timed, but never a warning or breach against an officer."""

    sop = models.ForeignKey("sop.Sop", on_delete=models.PROTECT, related_name="+")
    langkah = models.ForeignKey("sop.Langkah", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("sop.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    wilayah = models.ForeignKey(
        "sop.Wilayah", null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    mulai = models.DateTimeField(_("started"))
    tenggat = models.DateTimeField(_("due"), null=True, db_index=True)
    peringatan_pada = models.DateTimeField(_("warn at (75%)"), null=True)
    dijeda_sejak = models.DateTimeField(_("paused since"), null=True, blank=True)
    menit_jeda = models.PositiveIntegerField(_("paused working minutes"), default=0)
    selesai = models.DateTimeField(_("finished"), null=True)
    dilanggar = models.DateTimeField(_("breached"), null=True)
    eksternal = models.BooleanField(_("performed outside the office"), default=False)
    batas = models.JSONField(
        _("time limit used"),
        null=True,
        blank=True,
        help_text=_("Empty: the step's own limit; else the limit the record gave (e.g. a round)."),
    )

    objects = LangkahBerjalanQuerySet.as_manager()

    class Meta:
        verbose_name = _("running step")
        verbose_name_plural = _("running steps")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(selesai__isnull=True),
                name="lb_satu_terbuka",
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(
                fields=["induk_ct", "induk_id"],
                name="lb_induk",
                condition=models.Q(induk_ct__isnull=False),
            ),
            models.Index(
                fields=["tenggat"],
                name="lb_terbuka_tenggat",
                condition=models.Q(
                    selesai__isnull=True, dilanggar__isnull=True, dijeda_sejak__isnull=True
                ),
            ),
            models.Index(
                fields=["langkah"],
                name="lb_terbuka_lewat",
                condition=models.Q(selesai__isnull=True, dilanggar__isnull=False),
            ),
            # a district's or village's open clocks (``selectors.q_wilayah_jam``): Kemendagri
            # district codes are 8 characters, so LEFT(code, 8) is the district of any region
            # at or below that level
            models.Index(
                Left("wilayah", 8),
                F("langkah"),
                F("dilanggar"),
                name="lb_terbuka_kecamatan",
                condition=models.Q(selesai__isnull=True),
            ),
            models.Index(
                fields=["peringatan_pada"],
                name="lb_terbuka_peringatan",
                condition=models.Q(
                    selesai__isnull=True, dilanggar__isnull=True, dijeda_sejak__isnull=True
                ),
            ),
        ]

    def __str__(self):
        return f"{self.langkah} ({self.object_id})"

    @property
    def batas_obj(self):
        """The limit this clock runs under: the one stored on it, else its step's."""
        from sop.waktu import Batas

        if self.batas:
            return Batas.from_dict(self.batas)
        return self.langkah.batas_obj

    @property
    def lewat_75(self) -> bool:
        """75 % of the limit used (by the clock, whether or not the sweep has warned yet)."""
        return self.peringatan_pada is not None and self.peringatan_pada <= timezone.now()


class Peringatan(ImmutableModel):
    """An immutable record that the performers were warned at 75 % of a step's limit.

    A row of its own, not a column on LangkahBerjalan: the sweep inserts into this narrow table
    instead of rewriting wide, heavily indexed clock rows (ADR 0004)."""

    langkah_berjalan = models.OneToOneField(
        LangkahBerjalan, on_delete=models.PROTECT, related_name="peringatan"
    )
    tercatat = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("75% warning")
        verbose_name_plural = _("75% warnings")
        ordering = ["-tercatat"]

    def __str__(self):
        return f"{self.langkah_berjalan} @ {self.tercatat}"


class Pelanggaran(ImmutableModel):
    """An immutable record that a step passed its time limit."""

    langkah_berjalan = models.OneToOneField(
        LangkahBerjalan, on_delete=models.PROTECT, related_name="pelanggaran"
    )
    tenggat = models.DateTimeField(_("due"))
    tercatat = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-tercatat"]

    def __str__(self):
        return f"{self.langkah_berjalan} @ {self.tenggat}"


class Notifikasi(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifikasi"
    )
    judul = models.CharField(_("title"), max_length=200)
    isi = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    kunci = models.CharField(_("idempotency key"), max_length=120)
    dibuat = models.DateTimeField(_("created"), auto_now_add=True)
    dibaca = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-dibuat"]
        constraints = [models.UniqueConstraint(fields=["user", "kunci"], name="notifikasi_sekali")]

    def __str__(self):
        return self.judul


class RiwayatPerubahan(ImmutableModel, _TerkaitObjek):
    """Field-level history of edits to request data."""

    field = models.CharField(max_length=60)
    lama = models.TextField(blank=True)
    baru = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    waktu = models.DateTimeField()

    class Meta:
        verbose_name = _("field change")
        verbose_name_plural = _("field history")
        ordering = ["waktu", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.field}: {self.lama} → {self.baru}"
