"""Proposals (SOP 17-20): the record, its survey, the SK Penetapan, and its SOP runs.

A ``Proposal`` is a record that owns one run per SOP it passes through (``JalanProposal``:
PACITAN-17 registration and check, PACITAN-18 field survey, PACITAN-19 penetapan, PACITAN-20
penyaluran), in sequence; every step of every run goes through the engine with the seed's
performers and time limits. The SK Penetapan (``SkPenetapan``) is governed without an SOP: the
Kepala UPT signs it (``peran=``); the meeting step of each listed proposal then completes.
See docs/adr/0022-dagulir-jalan-sop.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from sop.models import JalanLangkah
from sop.models.terikat import Diatur, langkah_transisi

from .pinjaman import Debitur
from .produk import MetodeJasa

SOP_PROPOSAL = ("PACITAN-17", "PACITAN-18", "PACITAN-19", "PACITAN-20")


class Proposal(models.Model):
    """A loan proposal of a cooperative or a micro business, from registration to disbursement.

    The applicant's data as registered (SOP 17); the survey (``survei``), the SK decision
    (``keputusan``) and the credit agreement's data (SOP 20) hang off it. Where it stands is the
    open run's step (``JalanProposal``), never a stored status."""

    unit = models.ForeignKey(
        "sop.Unit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    wilayah = models.ForeignKey(
        "sop.Wilayah", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kecamatan = models.ForeignKey(
        "sop.Wilayah", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    desa = models.ForeignKey(
        "sop.Wilayah",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    jenis = models.CharField(_("kind"), max_length=10, choices=Debitur.Jenis.choices)
    nama = models.CharField(_("name"), max_length=200)
    nik = models.CharField(_("NIK / cooperative NIK"), max_length=20)
    nomor_badan_hukum = models.CharField(_("legal entity number"), max_length=80, blank=True)
    pengurus = models.JSONField(_("board"), default=list, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    sku = models.CharField(_("business certificate (SKU) number"), max_length=80, blank=True)
    alamat = models.CharField(_("address"), max_length=300, blank=True)
    no_hp = models.CharField(_("phone"), max_length=20, blank=True)
    jumlah_diminta = models.PositiveBigIntegerField(_("amount requested (Rp)"))
    tenor_diminta = models.PositiveSmallIntegerField(_("tenor requested (months)"))
    tujuan = models.CharField(_("purpose"), max_length=300)
    berkas = models.FileField(_("proposal document"), upload_to="dagulir/proposal/%Y/%m/")
    # SOP 17 step 5: the buku proposal (a number per office and year)
    nomor_buku = models.CharField(_("proposal book number"), max_length=40, blank=True)
    # SOP 18 step 2: the officer the Kepala UPT sends to the field
    petugas_survei = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("surveying officer"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # SOP 20: invitation, agreement and the account the bank pays into
    tanggal_undangan = models.DateField(_("invitation date"), null=True, blank=True)
    jadwal_perjanjian = models.DateTimeField(_("signing appointment"), null=True, blank=True)
    tempat_perjanjian = models.CharField(_("signing place"), max_length=200, blank=True)
    nama_bank = models.CharField(_("bank"), max_length=120, blank=True)
    nomor_rekening = models.CharField(_("account number"), max_length=40, blank=True)
    nomor_perjanjian = models.CharField(_("credit agreement number"), max_length=60, blank=True)
    tanggal_perjanjian = models.DateField(_("credit agreement date"), null=True, blank=True)
    # the agreement's terms and signatory, frozen at signing (the PDF is rendered from them;
    # the loan is made on them at realisation, whatever the product says later)
    penandatangan_perjanjian = models.CharField(
        _("agreement signed by"), max_length=200, blank=True
    )
    jasa_persen = models.DecimalField(
        _("service fee (% per year)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    metode = models.CharField(_("method"), max_length=10, choices=MetodeJasa.choices, blank=True)
    masa_tenggang = models.PositiveSmallIntegerField(_("grace months"), null=True, blank=True)
    denda_ppm = models.PositiveIntegerField(
        _("late fee (parts per million per day)"), null=True, blank=True
    )
    dibuat = models.DateTimeField(_("registered"), default=timezone.now)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-dibuat", "-pk"]
        indexes = [models.Index(fields=["unit", "dibuat"])]

    def __str__(self):
        return f"{self.nomor_buku or _('proposal')} {self.nama}"

    def get_absolute_url(self):
        return reverse("danabergulir:proposal_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.nomor_buku or str(_("(not yet in the book)"))


class Survei(models.Model):
    """The kertas kerja survei of SOP 18 step 3 (one per proposal)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="survei")
    tanggal = models.DateField(_("survey date"))
    usaha = models.TextField(_("business"))
    omzet_bulanan = models.PositiveBigIntegerField(_("monthly turnover (Rp)"))
    aset = models.PositiveBigIntegerField(_("assets (Rp)"))
    jaminan_ditawarkan = models.CharField(_("collateral offered"), max_length=300)
    nilai_jaminan = models.PositiveBigIntegerField(_("collateral value (Rp)"), default=0)
    plafon_rekomendasi = models.PositiveBigIntegerField(_("recommended amount (Rp)"))
    catatan = models.TextField(_("notes"), blank=True)
    diisi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    diisi_pada = models.DateTimeField(_("filled in"), default=timezone.now)

    class Meta:
        verbose_name = _("survey worksheet")
        verbose_name_plural = _("survey worksheets")

    def __str__(self):
        return str(self.proposal)


class FotoSurvei(models.Model):
    """A photo (or scan) of the survey, uploaded through the one upload check (sop.unggah)."""

    survei = models.ForeignKey(Survei, on_delete=models.CASCADE, related_name="foto")
    berkas = models.FileField(_("photo"), upload_to="dagulir/survei/%Y/%m/")
    keterangan = models.CharField(_("caption"), max_length=200, blank=True)
    diunggah = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("survey photo")
        verbose_name_plural = _("survey photos")
        ordering = ["pk"]

    def __str__(self):
        return self.keterangan or self.berkas.name


class SkPenetapan(Diatur):
    """The Kepala UPT's decree (SK) of SOP 19: who gets how much, who is refused and why.

    Drafted by the fund managers at the meeting, signed by the Kepala UPT through the engine
    (``tetapkan``, bound to the role); its items are ``KeputusanProposal``."""

    LAYANAN = "danabergulir"

    class Status(models.TextChoices):
        DRAF = "draf", _("Draft")
        DITETAPKAN = "ditetapkan", _("Signed")

    STATUS_SELESAI = (Status.DITETAPKAN,)

    status = FSMField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAF, protected=True
    )
    nomor = models.CharField(_("decree number"), max_length=80)
    tanggal = models.DateField(_("decree date"))
    perihal = models.CharField(
        _("subject"),
        max_length=300,
        default="Penetapan Penerima Pinjaman Dana Bergulir",
    )
    penandatangan = models.CharField(_("signed by"), max_length=200, blank=True)
    dibuat = models.DateTimeField(_("created"), default=timezone.now)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("decree (SK Penetapan)")
        verbose_name_plural = _("decrees (SK Penetapan)")
        ordering = ["-tanggal", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "nomor"], name="dagulir_sk_nomor_unik")
        ]

    def __str__(self):
        return self.nomor

    def get_absolute_url(self):
        return reverse("danabergulir:sk_detail", args=[self.pk])

    def syarat_transisi(self, nama: str, langkah) -> list[str]:
        from ..services.proposal import syarat_sk

        return syarat_sk(self) if nama == "tetapkan" else []

    @langkah_transisi(
        field=status,
        source=Status.DRAF,
        target=Status.DITETAPKAN,
        peran=("kepala_upt",),
        label=_("Sign the decree"),
    )
    def tetapkan(self):
        """The Kepala UPT signs: the list is final."""


class KeputusanProposal(models.Model):
    """One line of an SK: approved with an amount (never above the amount requested) or refused
    with a reason."""

    sk = models.ForeignKey(SkPenetapan, on_delete=models.PROTECT, related_name="keputusan")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="keputusan")
    disetujui = models.BooleanField(_("approved"))
    plafon = models.PositiveBigIntegerField(_("approved amount (Rp)"), null=True, blank=True)
    tenor = models.PositiveSmallIntegerField(_("tenor (months)"), null=True, blank=True)
    alasan = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["sk", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(disetujui=True, plafon__gt=0, tenor__gt=0)
                    | models.Q(disetujui=False, plafon__isnull=True)
                ),
                name="dagulir_keputusan_isi",
            )
        ]

    def __str__(self):
        return f"{self.sk} · {self.proposal}"


class JalanProposal(JalanLangkah):
    """One run of a proposal through one of PACITAN-17..20 (its state: the step it waits in).

    Step-specific conditions (``syarat_langkah``) come from ``danabergulir.proposal``; the
    services record the step's data and then complete the step through the engine."""

    LAYANAN = "danabergulir"
    INDUK_FIELD = "proposal"
    TERKAIT_TRANSISI = ("unit", "proposal")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="jalan")
    dibuat = models.DateTimeField(_("started"), default=timezone.now)

    class Meta:
        verbose_name = _("proposal run")
        verbose_name_plural = _("proposal runs")
        ordering = ["proposal", "dibuat", "pk"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.proposal} · {self.sop_id}"

    def get_absolute_url(self):
        return reverse("danabergulir:proposal_detail", args=[self.proposal_id])

    @classmethod
    def url_daftar(cls, status: str) -> str:
        return reverse("danabergulir:proposal_daftar")

    def syarat_langkah(self, langkah) -> list[str]:
        from ..services.proposal import syarat_langkah_proposal

        return syarat_langkah_proposal(self, langkah)

    def syarat_transisi(self, nama: str, langkah) -> list[str]:
        # returning a proposal to the applicant needs only its reason (the engine checks it)
        return [] if nama == "putuskan_tidak" else super().syarat_transisi(nama, langkah)
