"""Debtors, loans, schedule versions with their installments, and the collateral register."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField

from sop.models.terikat import Diatur, langkah_transisi

from .produk import MetodeJasa, Produk


class Debitur(models.Model):
    """A borrower: a cooperative (koperasi) or a micro business (usaha mikro)."""

    class Jenis(models.TextChoices):
        KOPERASI = "koperasi", _("Cooperative")
        UMKM = "umkm", _("Micro business")

    unit = models.ForeignKey(
        "sop.Unit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    jenis = models.CharField(_("kind"), max_length=10, choices=Jenis.choices)
    nama = models.CharField(_("name"), max_length=200)
    nik = models.CharField(
        _("NIK / cooperative NIK"),
        max_length=20,
        help_text=_("Micro business: the owner's NIK (16 digits). Cooperative: its NIK koperasi."),
    )
    nomor_badan_hukum = models.CharField(_("legal entity number"), max_length=80, blank=True)
    pengurus = models.JSONField(
        _("board"), default=list, blank=True, help_text=_('[{"nama": ..., "jabatan": ...}]')
    )
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    sku = models.CharField(_("business certificate (SKU) number"), max_length=80, blank=True)
    alamat = models.CharField(_("address"), max_length=300, blank=True)
    no_hp = models.CharField(_("phone"), max_length=20, blank=True)
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

    class Meta:
        verbose_name = _("debtor")
        verbose_name_plural = _("debtors")
        ordering = ["nama"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "nik"], name="dagulir_debitur_nik_unik")
        ]

    def __str__(self):
        return self.nama

    @property
    def wilayah_id(self) -> str:
        return self.desa_id or self.kecamatan_id


def normal_nomor(nomor: str) -> str:
    """A loan number as matched in bank text: upper case, without any whitespace."""
    return "".join(nomor.split()).upper()


class Pinjaman(Diatur):
    """A loan: the record that owns its penagihan runs (SOP 21-23) and its decisions
    (restructuring, write-off); its proposal (``proposal``) owns the SOP 17-20 runs.

    ``status`` holds the decisions taken on the loan and changes only through the engine
    (docs/adr/0022-dagulir-jalan-sop.md): queued for a decision by the collection sweep after letter III,
    back to active when the arrears are paid or a restructuring is applied, written off by the
    Kepala Dinas after two approvals. "Paid off" and "in arrears" are computed from the
    installments and postings, never stored.
    """

    LAYANAN = "danabergulir"
    STATUS_SELESAI = ("hapus_buku_bersyarat", "hapus_buku_mutlak")
    TERKAIT_TRANSISI = ("unit",)

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Active")
        MENUNGGU_KEPUTUSAN = "menunggu_keputusan", _("Awaiting a decision (after letter III)")
        HAPUS_BUKU_BERSYARAT = "hapus_buku_bersyarat", _("Written off (conditional)")
        HAPUS_BUKU_MUTLAK = "hapus_buku_mutlak", _("Written off (absolute)")

    class Sumber(models.TextChoices):
        IMPOR = "impor", _("Loan book import")
        PENYALURAN = "penyaluran", _("Disbursement")
        DEMO = "demo", _("Demo data")

    nomor = models.CharField(_("loan number"), max_length=40, unique=True)
    nomor_normal = models.CharField(max_length=40, unique=True, editable=False)
    unit = models.ForeignKey(
        "sop.Unit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    wilayah = models.ForeignKey(
        "sop.Wilayah", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kecamatan = models.ForeignKey(
        "sop.Wilayah", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    debitur = models.ForeignKey(
        Debitur, verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="pinjaman"
    )
    produk = models.ForeignKey(
        Produk, verbose_name=_("product"), on_delete=models.PROTECT, related_name="pinjaman"
    )
    plafon = models.PositiveBigIntegerField(_("amount (Rp)"))
    jasa_persen = models.DecimalField(_("service fee (% per year)"), max_digits=5, decimal_places=2)
    metode = models.CharField(_("method"), max_length=10, choices=MetodeJasa.choices)
    tenor = models.PositiveSmallIntegerField(_("tenor (months)"))
    masa_tenggang = models.PositiveSmallIntegerField(_("grace months"), default=0)
    denda_ppm = models.PositiveIntegerField(
        _("late fee (parts per million per day)"), help_text=_("1000 = 0.1 % per day.")
    )
    tanggal_pencairan = models.DateField(_("disbursement date"))
    hari_pencairan = models.IntegerField(editable=False)
    jatuh_tempo_pertama = models.DateField(_("first due date"))
    tujuan = models.CharField(_("purpose"), max_length=300, blank=True)
    status = FSMField(
        _("status"),
        max_length=24,
        choices=Status.choices,
        default=Status.AKTIF,
        db_index=True,
        protected=True,
    )
    tanggal_hapus_buku = models.DateField(_("written off on"), null=True, blank=True)
    hari_hapus_buku = models.IntegerField(null=True, editable=False)
    proposal = models.OneToOneField(
        "danabergulir.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="pinjaman",
        null=True,
        blank=True,
    )
    sumber = models.CharField(_("source"), max_length=12, choices=Sumber.choices)
    dibuat = models.DateTimeField(_("created"), default=timezone.now)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["nomor"]
        indexes = [
            models.Index(fields=["unit", "hari_pencairan"]),
            models.Index(fields=["wilayah"]),
        ]

    def __str__(self):
        return self.nomor

    def save(self, *args, **kwargs):
        self.nomor_normal = normal_nomor(self.nomor)
        self.hari_pencairan = self.tanggal_pencairan.toordinal()
        self.hari_hapus_buku = (
            self.tanggal_hapus_buku.toordinal() if self.tanggal_hapus_buku else None
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("danabergulir:pinjaman_detail", args=[self.pk])

    @classmethod
    def url_daftar(cls, status: str) -> str:
        return reverse("danabergulir:penagihan")

    def syarat_transisi(self, nama: str, langkah) -> list[str]:
        from ..services.keputusan import syarat_pinjaman

        return syarat_pinjaman(self, nama)

    # --- transitions (docs/adr/0022-dagulir-jalan-sop.md) ----------------------------------------------
    @langkah_transisi(
        field=status,
        source=Status.AKTIF,
        target=Status.MENUNGGU_KEPUTUSAN,
        sistem=True,
        label=_("Queue for a decision"),
    )
    def antrekan_keputusan(self):
        """The collection sweep: letter III's window lapsed with arrears still owed."""

    @langkah_transisi(
        field=status,
        source=Status.MENUNGGU_KEPUTUSAN,
        target=Status.AKTIF,
        sistem=True,
        label=_("Back to active (arrears paid)"),
    )
    def kembali_aktif(self):
        """The collection sweep: the arrears were paid while the loan awaited a decision."""

    @langkah_transisi(
        field=status,
        source=[Status.AKTIF, Status.MENUNGGU_KEPUTUSAN],
        target=Status.AKTIF,
        peran=("kepala_upt",),
        label=_("Apply the approved restructuring"),
    )
    def terapkan_restrukturisasi(self):
        """The Kepala UPT applies an approved restructuring (a new schedule version)."""

    @langkah_transisi(
        field=status,
        source=Status.MENUNGGU_KEPUTUSAN,
        target=RETURN_VALUE(Status.HAPUS_BUKU_BERSYARAT, Status.HAPUS_BUKU_MUTLAK),
        peran=("kepala_dinas",),
        label=_("Write off"),
        gaya="danger",
    )
    def hapus_buku(self, *, jenis: str, tanggal):
        """The second approver writes the loan off (its approved write-off request)."""
        self.tanggal_hapus_buku = tanggal
        return jenis

    def tandai_diubah(self, now) -> list[str]:
        return ["tanggal_hapus_buku", "hari_hapus_buku"] if self.tanggal_hapus_buku else []

    @property
    def denda_persen_harian(self):
        from decimal import Decimal

        return Decimal(self.denda_ppm) / 10_000


class JadwalVersi(models.Model):
    """One version of a loan's schedule. A restructuring adds a version from its date over the
    remaining pokok; the old version is kept (and shown) with ``berlaku_sampai`` set."""

    class Jenis(models.TextChoices):
        AWAL = "awal", _("Original")
        RESTRUKTURISASI = "restrukturisasi", _("Restructuring")
        KOREKSI = "koreksi", _("Correction (import)")

    class Bentuk(models.TextChoices):
        PENJADWALAN = "penjadwalan_kembali", _("Rescheduling (penjadwalan kembali)")
        PERSYARATAN = "persyaratan_kembali", _("Reconditioning (persyaratan kembali)")
        PENATAAN = "penataan_kembali", _("Restructuring (penataan kembali)")

    pinjaman = models.ForeignKey(Pinjaman, on_delete=models.PROTECT, related_name="versi")
    nomor = models.PositiveSmallIntegerField(_("version"))
    jenis = models.CharField(_("kind"), max_length=16, choices=Jenis.choices)
    bentuk = models.CharField(_("form"), max_length=24, choices=Bentuk.choices, blank=True)
    berlaku_mulai = models.DateField(_("effective from"))
    hari_mulai = models.IntegerField(editable=False)
    berlaku_sampai = models.DateField(_("effective until"), null=True, blank=True)
    hari_sampai = models.IntegerField(null=True, editable=False)
    pokok = models.PositiveBigIntegerField(_("principal (Rp)"))
    jasa_persen = models.DecimalField(_("service fee (% per year)"), max_digits=5, decimal_places=2)
    metode = models.CharField(_("method"), max_length=10, choices=MetodeJasa.choices)
    tenor = models.PositiveSmallIntegerField(_("tenor (months)"))
    masa_tenggang = models.PositiveSmallIntegerField(_("grace months"), default=0)
    jatuh_tempo_pertama = models.DateField(_("first due date"))
    alasan = models.TextField(_("reason"), blank=True)
    dibuat = models.DateTimeField(_("created"), default=timezone.now)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        ordering = ["pinjaman", "nomor"]
        constraints = [
            models.UniqueConstraint(fields=["pinjaman", "nomor"], name="dagulir_versi_unik"),
            models.UniqueConstraint(
                fields=["pinjaman"],
                condition=models.Q(hari_sampai__isnull=True),
                name="dagulir_satu_versi_berlaku",
            ),
        ]

    def __str__(self):
        return f"{self.pinjaman_id} v{self.nomor}"

    def save(self, *args, **kwargs):
        self.hari_mulai = self.berlaku_mulai.toordinal()
        self.hari_sampai = self.berlaku_sampai.toordinal() if self.berlaku_sampai else None
        super().save(*args, **kwargs)


class Angsuran(models.Model):
    """One installment of a schedule version. ``hari`` is the due date as a day number
    (date.toordinal) so the SQL of the position report is plain integer arithmetic."""

    versi = models.ForeignKey(JadwalVersi, on_delete=models.PROTECT, related_name="angsuran")
    pinjaman = models.ForeignKey(Pinjaman, on_delete=models.PROTECT, related_name="+")
    ke = models.PositiveSmallIntegerField(_("installment"))
    jatuh_tempo = models.DateField(_("due date"))
    hari = models.IntegerField()
    pokok = models.PositiveBigIntegerField(_("principal (Rp)"))
    jasa = models.PositiveBigIntegerField(_("service fee (Rp)"))
    denda_tetap = models.PositiveBigIntegerField(
        _("carried late fee (Rp)"),
        default=0,
        help_text=_("Late fee carried over from an earlier schedule version."),
    )

    class Meta:
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        ordering = ["versi", "ke"]
        constraints = [
            models.UniqueConstraint(fields=["versi", "ke"], name="dagulir_angsuran_unik")
        ]

    def __str__(self):
        return f"{self.ke}"

    @property
    def angsuran(self) -> int:
        return self.pokok + self.jasa


class Jaminan(models.Model):
    """The collateral register (SOP 24 step 3: penyimpanan agunan/jaminan)."""

    class Jenis(models.TextChoices):
        BPKB = "bpkb", _("Vehicle ownership book (BPKB)")
        SERTIFIKAT = "sertifikat", _("Land certificate")
        AKTA = "akta", _("Deed")
        SK_PEGAWAI = "sk", _("Employment decree (SK)")
        LAINNYA = "lainnya", _("Other")

    pinjaman = models.ForeignKey(
        Pinjaman, on_delete=models.PROTECT, related_name="jaminan", null=True, blank=True
    )
    proposal = models.ForeignKey(
        "danabergulir.Proposal",
        on_delete=models.PROTECT,
        related_name="jaminan",
        null=True,
        blank=True,
        help_text=_("Collateral offered at the credit agreement, before the loan exists."),
    )
    jenis = models.CharField(_("kind"), max_length=12, choices=Jenis.choices)
    nomor_dokumen = models.CharField(_("document number"), max_length=80)
    atas_nama = models.CharField(_("in the name of"), max_length=200, blank=True)
    nilai = models.PositiveBigIntegerField(_("value (Rp)"), default=0)
    tempat_penyimpanan = models.CharField(_("storage place"), max_length=200)
    tanggal_diterima = models.DateField(_("received on"))
    tanggal_dikembalikan = models.DateField(_("returned on"), null=True, blank=True)
    dikembalikan_kepada = models.CharField(_("returned to"), max_length=200, blank=True)
    keterangan = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("collateral")
        verbose_name_plural = _("collateral")
        ordering = ["pinjaman", "tanggal_diterima", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pinjaman__isnull=False) | models.Q(proposal__isnull=False),
                name="dagulir_jaminan_milik",
            )
        ]

    def __str__(self):
        return f"{self.get_jenis_display()} {self.nomor_dokumen}"
