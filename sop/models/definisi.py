"""SOP definitions in the SOP AP anatomy (Permenpan RB 35/2012): identity + ordered steps."""

import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SopQuerySet(models.QuerySet):
    def berlaku(self):
        return self.filter(status=Sop.Status.BERLAKU)


class Sop(models.Model):
    """One revision of an SOP. ``kode`` is stable across revisions; requests pin a revision."""

    class Status(models.TextChoices):
        DRAF = "draf", _("Draft")
        BERLAKU = "berlaku", _("In force")
        ARSIP = "arsip", _("Superseded")

    kode = models.CharField(_("code"), max_length=40, db_index=True)
    revisi = models.PositiveIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BERLAKU
    )
    nomor = models.CharField(_("SOP number"), max_length=120, blank=True)
    nama = models.CharField(_("SOP name"), max_length=300)
    instansi = models.CharField(_("agency"), max_length=300, blank=True)
    bagian = models.CharField(_("division"), max_length=300, blank=True)
    tanggal_pembuatan = models.DateField(_("date made"), null=True, blank=True)
    tanggal_pembuatan_teks = models.CharField(
        _("date made (as written)"), max_length=60, blank=True
    )
    tanggal_revisi = models.DateField(_("revision date"), null=True, blank=True)
    tanggal_revisi_teks = models.CharField(
        _("revision date (as written)"), max_length=60, blank=True
    )
    tanggal_efektif = models.DateField(_("effective date"), null=True, blank=True)
    tanggal_efektif_teks = models.CharField(
        _("effective date (as written)"), max_length=60, blank=True
    )
    disahkan_jabatan = models.CharField(_("approved by (position)"), max_length=300, blank=True)
    disahkan_nama = models.CharField(_("approved by (name)"), max_length=200, blank=True)
    disahkan_nip = models.CharField(_("approved by (NIP)"), max_length=40, blank=True)
    dasar_hukum = models.JSONField(_("legal basis"), default=list, blank=True)
    kualifikasi_pelaksana = models.JSONField(
        _("performer qualifications"), default=list, blank=True
    )
    keterkaitan = models.JSONField(_("related SOPs"), default=list, blank=True)
    peralatan = models.JSONField(_("equipment"), default=list, blank=True)
    peringatan = models.TextField(_("warning"), blank=True)
    pencatatan = models.TextField(_("recording and data keeping"), blank=True)
    sumber = models.CharField(_("source"), max_length=300, blank=True)
    catatan_transkripsi = models.JSONField(_("transcription notes"), default=list, blank=True)
    tanpa_langkah = models.BooleanField(_("no steps yet"), default=False)
    pelaksana = models.ManyToManyField(
        "sop.Pelaksana",
        through="sop.KolomPelaksana",
        through_fields=("sop", "pelaksana"),
        verbose_name=_("performer columns"),
        related_name="+",
        blank=True,
    )
    dibuat = models.DateTimeField(_("created"), auto_now_add=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SopQuerySet.as_manager()

    class Meta:
        verbose_name = _("SOP")
        verbose_name_plural = _("SOPs")
        ordering = ["kode", "-revisi"]
        constraints = [
            models.UniqueConstraint(fields=["kode", "revisi"], name="sop_kode_revisi_unik"),
            models.UniqueConstraint(
                fields=["kode"], condition=models.Q(status="berlaku"), name="sop_satu_berlaku"
            ),
        ]

    def __str__(self):
        return f"{self.kode} {self.nama} (rev. {self.revisi})"

    def langkah_per_kode(self) -> dict:
        """This revision's steps by code (with their performers), loaded once per instance."""
        cache = getattr(self, "_langkah_cache", None)
        if cache is None:
            qs = self.langkah.prefetch_related("pelaksana__dicatat_oleh")
            cache = {lk.kode: lk for lk in qs}
            self._langkah_cache = cache
        return cache

    def kolom_per_peran(self) -> dict:
        """pelaksana id -> its column in this SOP (label, external, recorder); cached."""
        cache = getattr(self, "_kolom_cache", None)
        if cache is None:
            cache = {
                k.pelaksana_id: k for k in self.kolom.select_related("pelaksana", "dicatat_oleh")
            }
            self._kolom_cache = cache
        return cache


_SOP_SIAP: dict[int, tuple[float, "Sop"]] = {}
SOP_SIAP_TTL = (
    60.0  # seconds; local edits clear it at once (sop.signals), other processes in a minute
)


def kosongkan_sop_siap() -> None:
    _SOP_SIAP.clear()


def sop_siap(sop_id: int) -> "Sop":
    """The revision ``sop_id`` with its steps, performers and performer columns loaded: shared by
    the process for a minute when it is in force or superseded (those revisions are read-only:
    a change is a new revision), so a transition does not reload the SOP each time. Drafts are
    loaded fresh."""
    hit = _SOP_SIAP.get(sop_id)
    if hit and time.monotonic() - hit[0] < SOP_SIAP_TTL:
        return hit[1]
    sop = Sop.objects.get(pk=sop_id)
    sop.langkah_per_kode()
    sop.kolom_per_peran()
    if sop.status != Sop.Status.DRAF:
        _SOP_SIAP[sop_id] = (time.monotonic(), sop)
    return sop


class KolomPelaksana(models.Model):
    """The order of the performer columns of an SOP's step matrix."""

    sop = models.ForeignKey(Sop, on_delete=models.CASCADE, related_name="kolom")
    pelaksana = models.ForeignKey("sop.Pelaksana", on_delete=models.PROTECT, related_name="+")
    urutan = models.PositiveSmallIntegerField(default=0)
    nama = models.CharField(_("column label (as written)"), max_length=200, blank=True)
    eksternal = models.BooleanField(
        _("external"),
        default=False,
        help_text=_(
            "Performed outside the office (applicant, bank, ministry); recorded by another role."
        ),
    )
    dicatat_oleh = models.ForeignKey(
        "sop.Pelaksana",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["urutan"]
        constraints = [models.UniqueConstraint(fields=["sop", "pelaksana"], name="kolom_unik")]
        verbose_name = _("performer column")
        verbose_name_plural = _("performer columns")

    def __str__(self):
        return self.nama or str(self.pelaksana)


class Langkah(models.Model):
    """One step of the matrix: kegiatan, pelaksana, mutu baku (kelengkapan, waktu, output)."""

    class Keyakinan(models.TextChoices):
        TINGGI = "tinggi", _("as read")
        RENDAH = "rendah", _("low (inferred; see the transcription notes)")

    sop = models.ForeignKey(Sop, on_delete=models.CASCADE, related_name="langkah")
    nomor = models.PositiveSmallIntegerField(_("number"))
    kode = models.SlugField(_("code"), max_length=60)
    kegiatan = models.TextField(_("activity"))
    pelaksana = models.ManyToManyField(
        "sop.Pelaksana", verbose_name=_("performers"), related_name="langkah"
    )
    kelengkapan = models.JSONField(_("required inputs"), default=list, blank=True)
    kelengkapan_wajib = models.JSONField(
        _("inputs that must be attached"),
        default=list,
        blank=True,
        help_text=_("Subset of the inputs that must be present before the step can be completed."),
    )
    kelengkapan_alat = models.JSONField(
        _("equipment among the inputs"),
        default=list,
        blank=True,
        help_text=_(
            "Inputs that are equipment or facilities (computer, printer, stationery): "
            "never uploaded and never required as attachments."
        ),
    )
    waktu = models.CharField(_("time limit (as written)"), max_length=120, blank=True)
    waktu_tidak_dipantau = models.BooleanField(
        _("time limit not tracked"),
        default=False,
        help_text=_("Chosen explicitly: the step has no tracked limit whatever the text says."),
    )
    batas = models.JSONField(_("parsed time limit"), default=dict, blank=True, editable=False)
    output = models.TextField(_("output"), blank=True)
    keterangan = models.TextField(_("remarks"), blank=True)
    cabang_ya = models.SlugField(_("'Yes' goes to"), max_length=60, blank=True)
    cabang_tidak = models.SlugField(_("'No' goes to"), max_length=60, blank=True)
    tunggu_pemohon = models.BooleanField(
        _("waits on the applicant"),
        default=False,
        help_text=_("The office clock is paused while this step waits on the applicant."),
    )
    saat_kedaluwarsa = models.CharField(
        _("transition when the time limit expires"),
        max_length=60,
        blank=True,
        help_text=_(
            "Name of the transition the SLA sweep fires as the system when the limit expires."
        ),
    )

    keyakinan = models.CharField(
        _("transcription confidence"),
        max_length=10,
        choices=Keyakinan.choices,
        default=Keyakinan.TINGGI,
        help_text=_("Low: the performer was inferred against a surviving mark in another column."),
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["sop", "nomor"]
        constraints = [models.UniqueConstraint(fields=["sop", "kode"], name="langkah_kode_unik")]

    def __str__(self):
        return f"{self.nomor}. {self.kegiatan[:60]}"

    def save(self, *args, **kwargs):
        self.batas = self.batas_terbaca().as_dict()
        super().save(*args, **kwargs)

    def batas_terbaca(self):
        """The parsed limit: not tracked when chosen so, else the parser's reading of ``waktu``."""
        from sop.waktu import Batas, parse_waktu

        if self.waktu_tidak_dipantau:
            return Batas("tidak_dilacak", teks=self.waktu)
        return parse_waktu(self.waktu)

    @property
    def keputusan(self) -> bool:
        return bool(self.cabang_ya or self.cabang_tidak)

    @property
    def kelengkapan_dokumen(self) -> list[str]:
        """The inputs that are documents (may be attached); equipment left out."""
        from sop.kelengkapan import dokumen_saja

        return dokumen_saja(self.kelengkapan or [], self.kelengkapan_alat or [])

    @property
    def dokumen_wajib(self) -> list[str]:
        """The required inputs that are documents: what a required-input check must look for."""
        alat = set(self.kelengkapan_alat or [])
        return [k for k in self.kelengkapan_wajib or [] if k not in alat]

    @property
    def batas_obj(self):
        from sop.waktu import Batas

        return Batas.from_dict(self.batas or {"jenis": "tidak_dilacak"}, teks=self.waktu)


class KatalogLayanan(models.Model):
    """A service catalogue entry (jenis pelayanan, persyaratan, biaya, waktu): NTB Lampiran 14."""

    kode = models.CharField(_("code"), max_length=40, unique=True)
    jenis_pelayanan = models.CharField(_("service"), max_length=300)
    persyaratan = models.JSONField(_("requirements"), default=list, blank=True)
    biaya = models.CharField(_("fee"), max_length=200, blank=True)
    waktu = models.CharField(_("time (as written)"), max_length=120, blank=True)
    produk = models.CharField(_("product"), max_length=300, blank=True)
    keterangan = models.TextField(_("remarks"), blank=True)
    sumber = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("service catalogue entry")
        verbose_name_plural = _("service catalogue")
        ordering = ["kode"]

    def __str__(self):
        return self.jenis_pelayanan
