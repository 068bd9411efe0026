"""The generic runner: any SOP defined in the admin becomes a service with no code.

``JalanLangkah`` is the generic run (its state is the code of the step it waits in); domain apps
subclass it for SOPs whose steps are mostly "do and record" (a loan's penagihan run), adding an
FK to their record (``INDUK_FIELD``) and ``syarat_langkah`` for domain conditions.
``Permohonan`` is the generic runner's own request.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField

from .publik import Terlacak
from .terikat import DiaturSop, langkah_transisi

SELESAI = "selesai"
DIBATALKAN = "dibatalkan"


def _di_langkah(instance) -> bool:
    return instance.langkah_aktif() is not None


def _di_keputusan(instance) -> bool:
    lk = instance.langkah_aktif()
    return lk is not None and lk.keputusan


def _bukan_keputusan(instance) -> bool:
    lk = instance.langkah_aktif()
    return lk is not None and not lk.keputusan


def _syarat_terpenuhi(instance) -> bool:
    return not instance.syarat_langkah(instance.langkah_aktif())


class JalanLangkah(DiaturSop):
    """A run whose state is the code of the step it waits in, then ``selesai``/``dibatalkan``.

    Abstract: subclasses add their own fields (and ``INDUK_FIELD`` when a record owns the run).
    ``syarat_langkah`` lists the domain conditions still unmet in a step (messages)."""

    STATUS_SELESAI = (SELESAI, DIBATALKAN)

    status = FSMField(_("status"), max_length=60, protected=True, db_index=True)

    class Meta:
        abstract = True

    # --- hooks ------------------------------------------------------------------------------
    def syarat_langkah(self, langkah) -> list[str]:
        """Unmet domain conditions of completing ``langkah`` (messages for the officer)."""
        return []

    def syarat_transisi(self, nama: str, langkah) -> list[str]:
        if nama in ("selesaikan", "putuskan_ya", "putuskan_tidak") and langkah is not None:
            return self.syarat_langkah(langkah)
        return []

    def langkah_aktif_kode(self):
        return None if self.status in self.STATUS_SELESAI else self.status

    def langkah_aktif(self):
        return self.langkah_untuk(None)

    def langkah_berikut(self, lk, keputusan: bool | None = None) -> str:
        if keputusan is True and lk.cabang_ya:
            return lk.cabang_ya
        if keputusan is False and lk.cabang_tidak:
            return lk.cabang_tidak
        urut = sorted(self.langkah_sop().values(), key=lambda x: x.nomor)
        for i, x in enumerate(urut):
            if x.kode == lk.kode:
                return urut[i + 1].kode if i + 1 < len(urut) else SELESAI
        return SELESAI

    def label_status(self) -> str:
        if self.status == SELESAI:
            return str(_("Finished"))
        if self.status == DIBATALKAN:
            return str(_("Cancelled"))
        lk = self.langkah_aktif()
        return f"{lk.nomor}. {lk.kegiatan[:80]}" if lk else self.status

    @langkah_transisi(
        field=status,
        source="*",
        target=RETURN_VALUE(),
        label=_("Complete this step"),
        conditions=[_bukan_keputusan, _syarat_terpenuhi],
    )
    def selesaikan(self):
        return self.langkah_berikut(self.langkah_aktif())

    @langkah_transisi(
        field=status, source="*", target=RETURN_VALUE(), sistem=True, conditions=[_di_langkah]
    )
    def eskalasi(self):
        """Fired by the SLA sweep when a step declares ``saat_kedaluwarsa = "eskalasi"``: the
        request moves on to the 'No' branch of the step, or else to the next step."""
        lk = self.langkah_aktif()
        return self.langkah_berikut(lk, keputusan=False if lk.keputusan else None)

    @langkah_transisi(
        field=status,
        source="*",
        target=RETURN_VALUE(),
        label=_("Yes"),
        conditions=[_di_keputusan, _syarat_terpenuhi],
    )
    def putuskan_ya(self):
        return self.langkah_berikut(self.langkah_aktif(), keputusan=True)

    @langkah_transisi(
        field=status,
        source="*",
        target=RETURN_VALUE(),
        label=_("No"),
        gaya="secondary",
        conditions=[_di_keputusan],
        alasan=True,
    )
    def putuskan_tidak(self):
        return self.langkah_berikut(self.langkah_aktif(), keputusan=False)


class Permohonan(Terlacak, JalanLangkah):
    """A request of the generic runner, running on any SOP. The applicant follows it on the
    public tracking page with its number and a PIN (Terlacak)."""

    LAYANAN = "sop"
    PREFIX_LACAK = "PMH"

    nomor = models.CharField(_("registration number"), max_length=40, unique=True)
    judul = models.CharField(_("subject"), max_length=200)
    pemohon_nama = models.CharField(_("applicant name"), max_length=200, blank=True)
    pemohon_kontak = models.CharField(_("applicant contact"), max_length=100, blank=True)
    hasil = models.FileField(_("final output"), upload_to="permohonan/hasil/%Y/%m/", blank=True)
    dibuat = models.DateTimeField(_("created"), auto_now_add=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("request (generic SOP)")
        verbose_name_plural = _("requests (generic SOP)")
        ordering = ["-dibuat"]
        indexes = [models.Index(fields=["wilayah", "status"])]

    def __str__(self):
        return f"{self.nomor} {self.judul}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("sop:permohonan_detail", args=[self.pk])

    def kelengkapan_ada(self) -> set[str]:
        return set(self.lampiran.filter(langkah_kode=self.status).values_list("jenis", flat=True))

    # --- public tracking (Terlacak): the registration number is the tracking code ---------
    def kode_lacak_baru(self) -> str:
        return self.nomor or super().kode_lacak_baru()

    def nama_pemohon_publik(self) -> str:
        return self.pemohon_nama

    def layanan_publik(self) -> str:
        return self.sop.nama

    def status_publik(self) -> str:
        if self.status == SELESAI:
            return str(_("Finished"))
        if self.status == DIBATALKAN:
            return str(_("Cancelled"))
        return str(_("In progress"))

    def syarat_langkah(self, langkah) -> list[str]:
        """The last step needs the final output uploaded."""
        if langkah.keputusan or self.langkah_berikut(langkah) != SELESAI or self.hasil:
            return []
        return [str(_("upload the final output first"))]


class Lampiran(models.Model):
    """A file attached to a step of a generic request (one of the step's kelengkapan)."""

    permohonan = models.ForeignKey(Permohonan, on_delete=models.CASCADE, related_name="lampiran")
    langkah_kode = models.SlugField(_("step"), max_length=60)
    jenis = models.CharField(_("document"), max_length=200)
    berkas = models.FileField(_("file"), upload_to="permohonan/lampiran/%Y/%m/")
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    diunggah = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["diunggah"]

    def __str__(self):
        return self.jenis
