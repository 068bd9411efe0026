"""Complaints (pengaduan): against a request or a service, answered by the office in its own time.

A complaint is governed (``sop.models.terikat.Diatur``): answering it goes through the engine's
guard (role codes of the office, region, lock, jejak). Its time limit is the service's
``batas_pengaduan`` in the office's working time, computed when it is filed. The complainant
follows it with the same code: the request's tracking code and PIN for a complaint about a
request, the complaint's own code and PIN for a complaint about a service.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from sop.models.publik import Terlacak
from sop.models.terikat import Diatur, langkah_transisi

from .layanan import JenisLayanan
from .permohonan import Permohonan

# Officers of the service's office who may answer (any of its counter and back-office roles).
PERAN_JAWAB = ("kepala_dinas", "front_office", "back_office", "staf", "tim_verifikator")


class Pengaduan(FSMModelMixin, Terlacak, Diatur):
    """One complaint, suggestion or input about a licensing service."""

    LAYANAN = "perizinan"
    PREFIX_LACAK = "ADU"

    class Status(models.TextChoices):
        DITERIMA = "diterima", _("Received, waiting for an answer")
        DIJAWAB = "dijawab", _("Answered")

    STATUS_SELESAI = (Status.DIJAWAB,)

    jenis = models.ForeignKey(
        JenisLayanan, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    permohonan = models.ForeignKey(
        Permohonan,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pengaduan",
    )
    isi = models.TextField(_("complaint"))
    nama = models.CharField(_("name (optional)"), max_length=200, blank=True)
    kontak = models.CharField(_("phone or e-mail (optional)"), max_length=200, blank=True)
    status = FSMField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DITERIMA,
        protected=True,
    )
    diterima_pada = models.DateTimeField(_("received at"), default=timezone.now)
    tenggat = models.DateTimeField(_("answer due"), null=True, blank=True, db_index=True)
    diingatkan = models.DateTimeField(_("overdue reminder sent"), null=True, blank=True)
    jawaban = models.TextField(_("answer"), blank=True)
    dijawab_pada = models.DateTimeField(_("answered at"), null=True, blank=True)
    dijawab_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-diterima_pada", "-pk"]
        indexes = [models.Index(fields=["unit", "status"], name="aduan_unit_status")]

    def __str__(self):
        return self.kode_lacak

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("perizinan:pengaduan_detail", args=[self.pk])

    @property
    def terlambat(self) -> bool:
        if self.tenggat is None:
            return False
        akhir = self.dijawab_pada or timezone.now()
        return akhir > self.tenggat

    def tandai_diubah(self, now) -> list[str]:
        if self.status == self.Status.DIJAWAB and self.dijawab_pada is None:
            self.dijawab_pada = now
        return ["dijawab_pada"]

    # --- public tracking (Terlacak) ----------------------------------------------------------
    def layanan_publik(self) -> str:
        return str(_("Complaint")) + f": {self.jenis.nama}"

    def status_publik(self) -> str:
        return self.get_status_display()

    def diterima_publik(self):
        return self.diterima_pada

    def janji_selesai(self):
        return self.tenggat

    def pesan_publik(self) -> list[str]:
        return [str(_("Answer")) + f": {self.jawaban}"] if self.jawaban else []

    def linimasa_publik(self):
        from sop.models.publik import LangkahPublik

        hasil = [LangkahPublik(str(_("Complaint received")), selesai=self.diterima_pada)]
        if self.dijawab_pada:
            hasil.append(
                LangkahPublik(str(_("Answered")), selesai=self.dijawab_pada, janji=self.tenggat)
            )
        return hasil

    def berjalan_publik(self):
        from sop.models.publik import LangkahPublik

        if self.dijawab_pada:
            return []
        return [LangkahPublik(str(_("Being answered by the office")), janji=self.tenggat)]

    # --- transitions -------------------------------------------------------------------------
    @langkah_transisi(
        field=status,
        source=Status.DITERIMA,
        target=Status.DIJAWAB,
        peran=PERAN_JAWAB,
        label=_("Answer"),
        alasan=True,
    )
    def jawab(self, jawaban: str = "", oleh=None):
        self.jawaban = jawaban
        self.dijawab_oleh = oleh
