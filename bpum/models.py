"""BPUM (Bantuan Presiden Usaha Mikro): program rounds, proposals, rekap batches, imports.

An ``Usulan`` runs on the PAIS-UMI SOP: every state change goes through ``sop.engine.jalankan``
(one record) or ``sop.massal.jalankan_massal`` (a rekap of many records, the same checks once per
batch), both called from ``bpum.services``. [step] = the PAIS-UMI step the state waits in.

    diajukan [desa-proses-berkas] --kembalikan_berkas (clock paused)--> dikembalikan
    dikembalikan --lengkapi_berkas (clock resumed)--> diajukan
    diajukan --tandai_lengkap (documents + declarations)--> lengkap [kecamatan-rekap]
    lengkap --kembalikan_ke_desa (reason; not in a batch)--> diajukan
    lengkap --kirim_ke_dinas (district batch sent)--> direkap [dinas-himpun-kirim]
    direkap --kembalikan_ke_kecamatan (batch returned)--> lengkap
    direkap --terima_dinas (batch accepted; same step, clock keeps running)--> diverifikasi
    diverifikasi --kirim_provinsi (regency batch sent; no open duplicate)--> dikirim_provinsi
    dikirim_provinsi [provinsi-koordinir, recorded by staf_dinas]
        --kembalikan_dari_provinsi--> diverifikasi
        --teruskan_kementerian--> diteruskan [validasi-deputi, recorded by staf_dinas]
    diteruskan --terima_kementerian--> diterima (final)
    diteruskan --tolak_kementerian (reason)--> ditolak (final)
    direkap | diverifikasi --gugurkan (agency's duplicate decision)--> gugur (final)

A ``Rekap`` (batch): disusun --kirim--> dikirim --terima--> diterima;
dikirim --kembalikan--> dikembalikan --kirim--> dikirim. Members change only while disusun or
dikembalikan. Its transitions go through the engine too (role and region of the PAIS-UMI step
of its tier, lock, Jejak); it keeps no clock of its own (``BERJAM = False``): its proposals'
clocks time the work.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from sop.models.jejak import ImmutableModel
from sop.models.terikat import DiaturSop, langkah_transisi
from sop.penomoran import kode_unik_model

# The PAIS-UMI step codes the transitions are bound to (fixtures/sop/pais_umi.json).
LANGKAH_DESA = "desa-proses-berkas"
LANGKAH_KECAMATAN = "kecamatan-rekap"
LANGKAH_DINAS = "dinas-himpun-kirim"
LANGKAH_PROVINSI = "provinsi-koordinir"
LANGKAH_KEMENTERIAN = "validasi-deputi"

# Registration numbers are random public codes (``BPUM-K7QW2M9X``, ``sop.penomoran``): the
# public status page looks them up, so they must not be guessable from a neighbour's number.
PREFIX_NOMOR = "BPUM"


class Dokumen(models.TextChoices):
    """The documents an applicant brings; a Periode lists which ones are required."""

    KTP = "ktp", _("ID card (KTP)")
    KK = "kk", _("Family card (KK)")
    USAHA = "usaha", _("Business certificate (SKU) or NIB")
    FOTO = "foto", _("Photo of the business")


DOKUMEN_FIELD = {
    Dokumen.KTP: "berkas_ktp",
    Dokumen.KK: "berkas_kk",
    Dokumen.USAHA: "berkas_usaha",
    Dokumen.FOTO: "berkas_foto",
}


def dokumen_bawaan() -> list[str]:
    return [d.value for d in Dokumen]


def _unggah_dokumen(instance, filename: str) -> str:
    ext = PurePosixPath(filename).suffix.lower()[:6]
    return f"bpum/dokumen/{timezone.now():%Y/%m}/{secrets.token_urlsafe(16)}{ext}"


class Periode(models.Model):
    """One program round in one regency (kabupaten), e.g. BPUM-2021 for Indragiri Hilir."""

    kode = models.CharField(_("code"), max_length=40)
    nama = models.CharField(_("name"), max_length=200)
    wilayah = models.ForeignKey(
        "sop.Wilayah", verbose_name=_("regency"), on_delete=models.PROTECT, related_name="+"
    )
    dibuka = models.DateField(_("opens"))
    ditutup = models.DateField(_("closes"), null=True, blank=True, help_text=_("Empty: open."))
    dokumen_wajib = models.JSONField(
        _("required documents"),
        default=dokumen_bawaan,
        blank=True,
        help_text=_("Document codes the village office checks: ktp, kk, usaha, foto."),
    )
    keterangan = models.TextField(_("remarks"), blank=True)

    class Meta:
        verbose_name = _("BPUM round")
        verbose_name_plural = _("BPUM rounds")
        ordering = ["-dibuka", "kode"]
        constraints = [
            models.UniqueConstraint(fields=["kode", "wilayah"], name="bpum_periode_kode_unik"),
            models.CheckConstraint(
                condition=models.Q(ditutup__isnull=True)
                | models.Q(ditutup__gte=models.F("dibuka")),
                name="bpum_periode_tanggal_valid",
            ),
        ]

    def __str__(self):
        return f"{self.kode} {self.nama}"

    def terbuka(self, pada: dt.date | None = None) -> bool:
        hari = pada or timezone.localdate()
        return self.dibuka <= hari and (self.ditutup is None or hari <= self.ditutup)

    def dokumen_wajib_label(self) -> list[tuple[str, str]]:
        label = dict(Dokumen.choices)
        return [(k, str(label.get(k, k))) for k in self.dokumen_wajib or []]


class AlasanPengembalian(models.Model):
    """Editable catalogue of reasons a village office returns a file to the applicant."""

    kode = models.SlugField(_("code"), max_length=40, unique=True)
    teks = models.CharField(_("reason"), max_length=200)
    aktif = models.BooleanField(_("active"), default=True)
    urutan = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")
        ordering = ["urutan", "teks"]

    def __str__(self):
        return self.teks


class Rekap(FSMModelMixin, DiaturSop):
    """A batch: a district (kecamatan) sends it to the regency agency, the agency sends the
    regency batch to the province. Frozen once sent: members change only while ``disusun`` or
    ``dikembalikan``. Its own transitions and those of its proposals go through the engine
    (``bpum.services``); each is bound to the PAIS-UMI step of the batch's tier."""

    LAYANAN = "bpum"
    SOP_KODE = "PAIS-UMI"
    BERJAM = False

    class Tingkat(models.TextChoices):
        KECAMATAN = "kecamatan", _("District batch")
        KABUPATEN = "kabupaten", _("Regency batch")

    class Status(models.TextChoices):
        DISUSUN = "disusun", _("Being compiled")
        DIKIRIM = "dikirim", _("Sent")
        DITERIMA = "diterima", _("Accepted")
        DIKEMBALIKAN = "dikembalikan", _("Returned")

    TERBUKA = (Status.DISUSUN, Status.DIKEMBALIKAN)

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="rekap")
    tingkat = models.CharField(_("level"), max_length=10, choices=Tingkat.choices)
    nomor = models.CharField(_("number"), max_length=80, unique=True)
    status = FSMField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DISUSUN,
        protected=True,
        db_index=True,
    )
    jumlah = models.PositiveIntegerField(_("proposals"), default=0)
    catatan = models.TextField(_("note"), blank=True)
    dibuat = models.DateTimeField(_("created"), default=timezone.now)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dikirim_pada = models.DateTimeField(_("sent"), null=True, blank=True)
    dikirim_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    diputus_pada = models.DateTimeField(_("decided"), null=True, blank=True)
    diputus_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("batch (rekap)")
        verbose_name_plural = _("batches (rekap)")
        ordering = ["-dibuat", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["periode", "tingkat", "wilayah"],
                condition=models.Q(status__in=["disusun", "dikembalikan"]),
                name="bpum_rekap_satu_terbuka",
            )
        ]
        indexes = [models.Index(fields=["wilayah", "status"])]

    def __str__(self):
        return self.nomor

    def get_absolute_url(self):
        return reverse("bpum:rekap_detail", args=[self.pk])

    @property
    def terbuka(self) -> bool:
        return self.status in self.TERBUKA

    def langkah_aktif_kode(self) -> str | None:
        """The step the batch waits in: the sending tier's step while open, the receiving
        tier's once sent (a district batch: district -> agency; a regency batch: agency ->
        province, whose step the agency records)."""
        kecamatan = self.tingkat == self.Tingkat.KECAMATAN
        if self.status in self.TERBUKA:
            return LANGKAH_KECAMATAN if kecamatan else LANGKAH_DINAS
        if self.status == self.Status.DIKIRIM:
            return LANGKAH_DINAS if kecamatan else LANGKAH_PROVINSI
        return None

    # Local bookkeeping only: the services move the proposals inside through the engine.
    @langkah_transisi(
        field=status,
        source=[Status.DISUSUN, Status.DIKEMBALIKAN],
        target=Status.DIKIRIM,
        label=_("Send the batch"),
    )
    def kirim(self, *, user, now):
        self.dikirim_pada, self.dikirim_oleh = now, user
        self.diputus_pada = self.diputus_oleh = None

    @langkah_transisi(
        field=status, source=Status.DIKIRIM, target=Status.DITERIMA, label=_("Accept the batch")
    )
    def terima(self, *, user, now):
        self.diputus_pada, self.diputus_oleh = now, user

    @langkah_transisi(
        field=status,
        source=Status.DIKIRIM,
        target=Status.DIKEMBALIKAN,
        label=_("Return the batch"),
        gaya="secondary",
        alasan=True,
    )
    def kembalikan(self, *, user, now, catatan: str):
        self.diputus_pada, self.diputus_oleh, self.catatan = now, user, catatan


def _ada_rekap_kecamatan(u: Usulan) -> bool:
    return u.rekap_kecamatan_id is not None


def _rekap_kecamatan_dikirim(u: Usulan) -> bool:
    return u.rekap_kecamatan_id is not None and u.rekap_kecamatan.status == Rekap.Status.DIKIRIM


def _ada_rekap_kabupaten(u: Usulan) -> bool:
    return u.rekap_kabupaten_id is not None


def _berkas_lengkap(u: Usulan) -> bool:
    return not u.kekurangan()


class Usulan(FSMModelMixin, DiaturSop):
    """One applicant in one round. The same NIK twice in a round (other villages) is flagged
    (``duplikat``) for the regency agency to decide, never refused or merged. Within one village
    a NIK is registered once per round (``bpum_usulan_nik_desa_unik``; intake shows the existing
    proposal instead, ``bpum.services.usulan_buat``)."""

    LAYANAN = "bpum"
    SOP_KODE = "PAIS-UMI"
    TERKAIT_TRANSISI = ("unit", "periode")

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", _("Received by the village office")
        DIKEMBALIKAN = "dikembalikan", _("Returned to the applicant")
        LENGKAP = "lengkap", _("Complete, at the district")
        DIREKAP = "direkap", _("In a batch sent to the regency agency")
        DIVERIFIKASI = "diverifikasi", _("Verified by the regency agency")
        DIKIRIM_PROVINSI = "dikirim_provinsi", _("Sent to the province")
        DITERUSKAN = "diteruskan", _("Forwarded to the ministry")
        DITERIMA = "diterima", _("Accepted by the ministry")
        DITOLAK = "ditolak", _("Rejected by the ministry")
        GUGUR = "gugur", _("Dropped as a duplicate")

    class Sumber(models.TextChoices):
        LOKET = "loket", _("Village counter")
        IMPOR = "impor", _("District spreadsheet")

    S = Status
    LANGKAH_PER_STATUS = {
        S.DIAJUKAN: LANGKAH_DESA,
        S.DIKEMBALIKAN: LANGKAH_DESA,
        S.LENGKAP: LANGKAH_KECAMATAN,
        S.DIREKAP: LANGKAH_DINAS,
        S.DIVERIFIKASI: LANGKAH_DINAS,
        S.DIKIRIM_PROVINSI: LANGKAH_PROVINSI,
        S.DITERUSKAN: LANGKAH_KEMENTERIAN,
    }
    STATUS_SELESAI = (S.DITERIMA, S.DITOLAK, S.GUGUR)
    # The tier that holds a proposal in each state (strict order: desa < kecamatan < dinas < ...).
    TINGKAT = {
        S.DIAJUKAN: 1,
        S.DIKEMBALIKAN: 1,
        S.LENGKAP: 2,
        S.DIREKAP: 3,
        S.DIVERIFIKASI: 3,
        S.DIKIRIM_PROVINSI: 4,
        S.DITERUSKAN: 5,
        S.DITERIMA: 6,
        S.DITOLAK: 6,
        S.GUGUR: 6,
    }

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="usulan")
    nomor = models.CharField(_("registration number"), max_length=20, unique=True)
    nik = models.CharField(_("NIK"), max_length=16)
    no_kk = models.CharField(_("family card number"), max_length=16)
    nama = models.CharField(_("full name"), max_length=200)
    alamat = models.CharField(_("address (as on the ID card)"), max_length=300)
    kecamatan = models.ForeignKey(
        "sop.Wilayah", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    bidang_usaha = models.CharField(_("line of business"), max_length=120, blank=True)
    no_hp = models.CharField(_("mobile number"), max_length=20, blank=True)
    berkas_ktp = models.FileField(_("ID card (KTP)"), upload_to=_unggah_dokumen, blank=True)
    berkas_kk = models.FileField(_("family card (KK)"), upload_to=_unggah_dokumen, blank=True)
    berkas_usaha = models.FileField(
        _("business certificate or NIB"), upload_to=_unggah_dokumen, blank=True
    )
    berkas_foto = models.FileField(_("business photo"), upload_to=_unggah_dokumen, blank=True)
    bukan_pegawai = models.BooleanField(
        _("not a civil servant, soldier, police officer or BUMN/BUMD employee"), default=False
    )
    tidak_menerima_kur = models.BooleanField(_("not receiving KUR credit"), default=False)
    status = FSMField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DIAJUKAN,
        protected=True,
    )
    alasan_pengembalian = models.ManyToManyField(
        AlasanPengembalian, verbose_name=_("return reasons"), blank=True, related_name="+"
    )
    duplikat = models.BooleanField(
        _("possible duplicate"),
        default=False,
        db_index=True,
        help_text=_("Another proposal in this round has the same NIK; the agency decides."),
    )
    keterangan_kementerian = models.TextField(_("ministry's remark"), blank=True)
    rekap_kecamatan = models.ForeignKey(
        Rekap, null=True, blank=True, on_delete=models.PROTECT, related_name="usulan"
    )
    rekap_kabupaten = models.ForeignKey(
        Rekap, null=True, blank=True, on_delete=models.PROTECT, related_name="usulan_kabupaten"
    )
    sumber = models.CharField(
        _("source"), max_length=10, choices=Sumber.choices, default=Sumber.LOKET
    )
    impor = models.ForeignKey(
        "bpum.ImporRekap", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat = models.DateTimeField(_("created"), default=timezone.now)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    diubah = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("BPUM proposal")
        verbose_name_plural = _("BPUM proposals")
        ordering = ["-dibuat", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["periode", "wilayah", "nik"],
                condition=~models.Q(status="gugur"),
                name="bpum_usulan_nik_desa_unik",
            )
        ]
        indexes = [
            models.Index(fields=["periode", "nik"]),
            models.Index(fields=["periode", "status"]),
            models.Index(fields=["wilayah", "status"]),
            models.Index(fields=["kecamatan", "status"]),
        ]

    def __str__(self):
        return f"{self.nomor} {self.nama}"

    def get_absolute_url(self):
        return reverse("bpum:usulan_detail", args=[self.pk])

    @classmethod
    def nomor_baru(cls, jumlah: int = 1) -> list[str]:
        """``jumlah`` fresh registration numbers not yet in the table (``BPUM-K7QW2M9X``)."""
        return kode_unik_model(cls, "nomor", PREFIX_NOMOR, jumlah=jumlah)

    # --- DiaturSop hooks ------------------------------------------------------------------
    def kelengkapan_ada(self) -> set[str]:
        return {d for d, f in DOKUMEN_FIELD.items() if getattr(self, f)}

    def syarat_transisi(self, nama: str, langkah) -> list[str]:
        """The village office marks a file complete only with its documents and declarations."""
        return self.kekurangan() if nama == "tandai_lengkap" else []

    def unit_untuk_langkah(self, langkah):
        """The office whose calendar times a step: the village office, then the district office,
        then the regency agency (it also records the province's and the ministry's steps)."""
        from sop.models import Unit

        kode = getattr(langkah, "kode", None)
        if kode in (None, LANGKAH_DESA):
            return self.unit
        if kode == LANGKAH_KECAMATAN:
            wilayah, jenis = self.kecamatan_id, Unit.Jenis.KECAMATAN
        else:
            wilayah, jenis = self.wilayah_id[:5], Unit.Jenis.DINAS_KABUPATEN
        return (
            Unit.objects.filter(wilayah_id=wilayah, jenis=jenis).order_by("pk").first() or self.unit
        )

    def kunci_unit_langkah(self, langkah) -> tuple:
        kode = getattr(langkah, "kode", None)
        if kode in (None, LANGKAH_DESA):
            return ("unit", self.unit_id)
        if kode == LANGKAH_KECAMATAN:
            return ("kecamatan", self.kecamatan_id)
        return ("kabupaten", self.wilayah_id[:5])

    def tandai_diubah(self, now) -> list[str]:
        self.diubah = now
        return ["diubah"]

    @classmethod
    def url_daftar(cls, status: str) -> str:
        return reverse("bpum:usulan_daftar") + f"?status={status}"

    # --- helpers ----------------------------------------------------------------------------
    @property
    def desa(self):
        return self.wilayah

    @property
    def tingkat(self) -> int:
        return self.TINGKAT.get(self.status, 0)

    def nik_tersamar(self) -> str:
        return "*" * 12 + self.nik[-4:]

    def kekurangan(self) -> list[str]:
        """What stops the village office from marking the file complete (Indonesian)."""
        label = dict(Dokumen.choices)
        ada = self.kelengkapan_ada()
        kurang = [str(label.get(d, d)) for d in self.periode.dokumen_wajib or [] if d not in ada]
        if not self.bukan_pegawai:
            kurang.append("pernyataan bukan ASN/TNI/Polri/pegawai BUMN/BUMD")
        if not self.tidak_menerima_kur:
            kurang.append("pernyataan tidak sedang menerima KUR")
        return kurang

    def dokumen(self) -> list[tuple[str, str, bool]]:
        """(code, label, present) for every document kind."""
        return [(d.value, str(d.label), bool(getattr(self, DOKUMEN_FIELD[d]))) for d in Dokumen]

    # --- transitions (local bookkeeping only; bpum.services runs them through the engine) ----
    @langkah_transisi(
        field=status,
        source=S.DIAJUKAN,
        target=S.LENGKAP,
        langkah=LANGKAH_DESA,
        label=_("Mark complete"),
        conditions=[_berkas_lengkap],
    )
    def tandai_lengkap(self):
        pass

    @langkah_transisi(
        field=status,
        source=S.DIAJUKAN,
        target=S.DIKEMBALIKAN,
        langkah=LANGKAH_DESA,
        label=_("Return to applicant"),
        jeda=True,
        gaya="secondary",
        alasan=True,
    )
    def kembalikan_berkas(self):
        pass

    @langkah_transisi(
        field=status,
        source=S.DIKEMBALIKAN,
        target=S.DIAJUKAN,
        langkah=LANGKAH_DESA,
        label=_("Applicant completed the file"),
        lanjut=True,
    )
    def lengkapi_berkas(self):
        pass

    @langkah_transisi(
        field=status,
        source=S.LENGKAP,
        target=S.DIAJUKAN,
        langkah=LANGKAH_KECAMATAN,
        label=_("Return to village office"),
        gaya="secondary",
        alasan=True,
        conditions=[lambda u: u.rekap_kecamatan_id is None],
    )
    def kembalikan_ke_desa(self):
        pass

    @langkah_transisi(
        field=status,
        source=S.LENGKAP,
        target=S.DIREKAP,
        langkah=LANGKAH_KECAMATAN,
        label=_("Send batch to the agency"),
        conditions=[_ada_rekap_kecamatan],
    )
    def kirim_ke_dinas(self):
        pass

    # ``lanjut=True`` with a running (not paused) clock leaves the clock alone: accepting the
    # batch is a checkpoint inside the agency's step, whose clock runs until it is sent on.
    @langkah_transisi(
        field=status,
        source=S.DIREKAP,
        target=S.DIVERIFIKASI,
        langkah=LANGKAH_DINAS,
        label=_("Accept"),
        lanjut=True,
        conditions=[_rekap_kecamatan_dikirim],
    )
    def terima_dinas(self):
        pass

    @langkah_transisi(
        field=status,
        source=S.DIREKAP,
        target=S.LENGKAP,
        langkah=LANGKAH_DINAS,
        label=_("Return to district"),
        gaya="secondary",
        alasan=True,
        conditions=[_rekap_kecamatan_dikirim],
    )
    def kembalikan_ke_kecamatan(self):
        pass

    @langkah_transisi(
        field=status,
        source=[S.DIREKAP, S.DIVERIFIKASI],
        target=S.GUGUR,
        langkah=LANGKAH_DINAS,
        label=_("Drop as duplicate"),
        gaya="secondary",
        alasan=True,
    )
    def gugurkan(self):
        self.duplikat = False

    @langkah_transisi(
        field=status,
        source=S.DIVERIFIKASI,
        target=S.DIKIRIM_PROVINSI,
        langkah=LANGKAH_DINAS,
        label=_("Send to the province"),
        conditions=[_ada_rekap_kabupaten, lambda u: not u.duplikat],
    )
    def kirim_provinsi(self):
        pass

    @langkah_transisi(
        field=status,
        source=S.DIKIRIM_PROVINSI,
        target=S.DIVERIFIKASI,
        langkah=LANGKAH_PROVINSI,
        label=_("Province returned it"),
        gaya="secondary",
        alasan=True,
    )
    def kembalikan_dari_provinsi(self):
        pass

    @langkah_transisi(
        field=status,
        source=S.DIKIRIM_PROVINSI,
        target=S.DITERUSKAN,
        langkah=LANGKAH_PROVINSI,
        label=_("Province forwarded it to the ministry"),
    )
    def teruskan_kementerian(self):
        pass

    @langkah_transisi(
        field=status,
        source=S.DITERUSKAN,
        target=S.DITERIMA,
        langkah=LANGKAH_KEMENTERIAN,
        label=_("Ministry accepted"),
    )
    def terima_kementerian(self, keterangan: str = ""):
        self.keterangan_kementerian = keterangan

    @langkah_transisi(
        field=status,
        source=S.DITERUSKAN,
        target=S.DITOLAK,
        langkah=LANGKAH_KEMENTERIAN,
        label=_("Ministry rejected"),
        gaya="secondary",
        alasan=True,
    )
    def tolak_kementerian(self, keterangan: str = ""):
        self.keterangan_kementerian = keterangan


class DuplikatKeputusan(ImmutableModel):
    """The agency's decision on proposals sharing one NIK in one round (immutable)."""

    class Keputusan(models.TextChoices):
        PERTAHANKAN = "pertahankan", _("Keep one, drop the others")
        BUKAN_DUPLIKAT = "bukan_duplikat", _("Not a duplicate")

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="+")
    nik = models.CharField(_("NIK"), max_length=16, db_index=True)
    keputusan = models.CharField(_("decision"), max_length=20, choices=Keputusan.choices)
    dipertahankan = models.ForeignKey(
        Usulan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    usulan_ids = models.JSONField(_("proposals decided"), default=list)
    alasan = models.TextField(_("reason"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    waktu = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("duplicate decision")
        verbose_name_plural = _("duplicate decisions")
        ordering = ["-waktu", "-pk"]

    def __str__(self):
        return f"{self.nik} {self.keputusan}"


class ImporRekap(models.Model):
    """Staging row of one spreadsheet upload: validate every row, preview, commit all or nothing.

    ``jenis`` rekap: a district's list of applicants (``wilayah`` = the district);
    ``jenis`` jawaban: the ministry's answer per NIK (``wilayah`` = the regency)."""

    class Jenis(models.TextChoices):
        REKAP = "rekap", _("District batch")
        JAWABAN = "jawaban", _("Ministry answer")

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Waiting")
        MEMVALIDASI = "memvalidasi", _("Validating")
        VALID = "valid", _("Ready to commit")
        GALAT = "galat", _("Has errors")
        MENYIMPAN = "menyimpan", _("Saving")
        SELESAI = "selesai", _("Committed")
        GAGAL = "gagal", _("Failed")

    BERJALAN = (Status.MENUNGGU, Status.MEMVALIDASI, Status.MENYIMPAN)

    jenis = models.CharField(_("kind"), max_length=10, choices=Jenis.choices)
    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="+")
    wilayah = models.ForeignKey("sop.Wilayah", on_delete=models.PROTECT, related_name="+")
    berkas = models.FileField(_("file"), upload_to="bpum/impor/%Y/%m/")
    nama_berkas = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.MENUNGGU
    )
    progres = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total_baris = models.PositiveIntegerField(default=0)
    jumlah_valid = models.PositiveIntegerField(default=0)
    jumlah_galat = models.PositiveIntegerField(default=0)
    jumlah_dibuat = models.PositiveIntegerField(default=0)
    jumlah_diperbarui = models.PositiveIntegerField(default=0)
    jumlah_sama = models.PositiveIntegerField(default=0)
    jumlah_duplikat = models.PositiveIntegerField(default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    pratinjau = models.JSONField(_("preview"), default=list, blank=True)
    header_row = models.PositiveIntegerField(default=0)
    sheet = models.CharField(max_length=100, blank=True)
    pesan = models.TextField(_("message"), blank=True)
    denyut = models.DateTimeField(
        _("last heartbeat"),
        null=True,
        blank=True,
        help_text=_("Updated by the worker as it progresses; a stale one marks a killed worker."),
    )
    berkas_anotasi = models.FileField(upload_to="bpum/impor/%Y/%m/", blank=True)
    rekap = models.ForeignKey(
        Rekap, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat = models.DateTimeField(_("uploaded"), default=timezone.now)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    selesai_pada = models.DateTimeField(_("committed"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-dibuat", "-pk"]
        indexes = [models.Index(fields=["wilayah", "jenis", "status"])]

    def __str__(self):
        return f"{self.get_jenis_display()} {self.nama_berkas}"

    def get_absolute_url(self):
        return reverse("bpum:impor_detail", args=[self.pk])

    @property
    def berjalan(self) -> bool:
        return self.status in self.BERJALAN


class EksporRekap(models.Model):
    """A large export written by a background task (small ones stream at once)."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Waiting")
        BERJALAN = "berjalan", _("Running")
        SELESAI = "selesai", _("Ready")
        GAGAL = "gagal", _("Failed")

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="+")
    wilayah = models.ForeignKey("sop.Wilayah", on_delete=models.PROTECT, related_name="+")
    filter_status = models.JSONField(default=list, blank=True)
    rekap = models.ForeignKey(
        Rekap, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MENUNGGU)
    progres = models.PositiveSmallIntegerField(default=0)
    jumlah = models.PositiveIntegerField(default=0)
    berkas = models.FileField(upload_to="bpum/ekspor/%Y/%m/", blank=True)
    pesan = models.TextField(blank=True)
    dibuat = models.DateTimeField(default=timezone.now)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("spreadsheet export")
        verbose_name_plural = _("spreadsheet exports")
        ordering = ["-dibuat", "-pk"]

    def __str__(self):
        return f"Ekspor {self.wilayah_id} {self.dibuat:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("bpum:ekspor_detail", args=[self.pk])

    @property
    def berjalan(self) -> bool:
        return self.status in (self.Status.MENUNGGU, self.Status.BERJALAN)
