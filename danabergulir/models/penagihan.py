"""Collection runs (SOP 21/22/23): one run per letter, owned by the loan.

A loan in arrears gets letter I (PACITAN-21); when letter I's window ("6 bulan" from the letter's
date, timed by the engine) lapses with arrears still owed, letter II (PACITAN-22), then letter
III (PACITAN-23); after letter III's window the loan waits for a decision. The daily collection
sweep (``danabergulir.sapuan``) opens and advances these runs; a *cycle* (``siklus``) ends when
the loan is Lancar again. See docs/adr/0022-dagulir-jalan-sop.md.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sop.models import JalanLangkah
from sop.models.permohonan import DIBATALKAN
from sop.models.terikat import langkah_transisi

from .pinjaman import Pinjaman

SOP_PENAGIHAN = {1: "PACITAN-21", 2: "PACITAN-22", 3: "PACITAN-23"}
JENDELA = "bayar-ke-bank"


def _masih_menunggak(run) -> bool:
    from ..services.penagihan import menunggak

    return menunggak(run.pinjaman)


class JalanPenagihan(JalanLangkah):
    """One collection letter's run (its state: the step of PACITAN-21/22/23 it waits in)."""

    LAYANAN = "danabergulir"
    INDUK_FIELD = "pinjaman"
    TERKAIT_TRANSISI = ("unit", "pinjaman")

    pinjaman = models.ForeignKey(Pinjaman, on_delete=models.PROTECT, related_name="penagihan")
    tingkat = models.PositiveSmallIntegerField(_("letter"))
    siklus = models.PositiveSmallIntegerField(_("collection cycle"))
    siklus_ditutup = models.DateTimeField(
        _("cycle closed"),
        null=True,
        blank=True,
        help_text=_("When the loan was Lancar again (or restructured): no further letter."),
    )
    dibuat = models.DateTimeField(_("opened"), default=timezone.now)
    # step 1: surat perintah tugas
    nomor_spt = models.CharField(_("assignment letter number"), max_length=60, blank=True)
    # step 2: the surat tagihan with its arrears snapshot
    nomor_surat = models.CharField(_("demand letter number"), max_length=60, blank=True)
    tanggal_surat = models.DateField(_("letter date"), null=True, blank=True)
    tunggakan_pokok = models.PositiveBigIntegerField(_("principal in arrears (Rp)"), default=0)
    tunggakan_jasa = models.PositiveBigIntegerField(_("fee in arrears (Rp)"), default=0)
    denda = models.PositiveBigIntegerField(_("late fee (Rp)"), default=0)
    dpd = models.PositiveIntegerField(_("days past due"), default=0)
    bayar_paling_lambat = models.DateField(_("pay by"), null=True, blank=True)
    jendela_berakhir = models.DateTimeField(_("window ends"), null=True, blank=True)
    # who the letter names (frozen at issue: the PDF is rendered from this snapshot)
    penandatangan = models.CharField(_("signed by"), max_length=200, blank=True)
    disiapkan_oleh = models.CharField(_("prepared by"), max_length=200, blank=True)
    # steps 5-6: what came in since the letter, and the evaluation
    dibayar_sejak_surat = models.PositiveBigIntegerField(
        _("paid since the letter (Rp)"), null=True, blank=True
    )
    sisa_tunggakan = models.PositiveBigIntegerField(
        _("arrears left at recording (Rp)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("collection run")
        verbose_name_plural = _("collection runs")
        ordering = ["pinjaman", "siklus", "tingkat"]
        constraints = [
            models.UniqueConstraint(
                fields=["pinjaman", "siklus", "tingkat"], name="dagulir_tagihan_unik"
            ),
            models.CheckConstraint(
                condition=models.Q(tingkat__gte=1, tingkat__lte=3), name="dagulir_tagihan_tingkat"
            ),
        ]
        indexes = [
            models.Index(
                fields=["pinjaman", "tingkat"],
                condition=models.Q(siklus_ditutup__isnull=True),
                name="dagulir_tagihan_siklus_buka",
            )
        ]

    def __str__(self):
        return f"{self.pinjaman} · {_('letter')} {self.tingkat}"

    def get_absolute_url(self):
        return reverse("danabergulir:pinjaman_detail", args=[self.pinjaman_id]) + (
            f"#penagihan-{self.pk}"
        )

    @classmethod
    def url_daftar(cls, status: str) -> str:
        return reverse("danabergulir:penagihan")

    @property
    def label_tingkat(self) -> str:
        return {1: "I", 2: "II", 3: "III"}.get(self.tingkat, str(self.tingkat))

    @property
    def tunggakan(self) -> int:
        return self.tunggakan_pokok + self.tunggakan_jasa + self.denda

    def mulai_jam_langkah(self, langkah, now):
        """The window step's clock starts at the letter's date (its "6 bulan" runs from it)."""
        if langkah.kode == JENDELA and self.tanggal_surat:
            from sop.tanda_terima import zona_unit

            return dt.datetime.combine(
                self.tanggal_surat, dt.time(0, 0), tzinfo=ZoneInfo(zona_unit(self.unit))
            )
        return now

    def syarat_langkah(self, langkah) -> list[str]:
        from ..services.penagihan import syarat_langkah_penagihan

        return syarat_langkah_penagihan(self, langkah)

    # --- system transitions of the window (docs/adr/0022-dagulir-jalan-sop.md) ---------------------------
    @langkah_transisi(
        field="status",
        source=JENDELA,
        target="bank-terima-angsuran",
        langkah=JENDELA,
        sistem=True,
        label=_("Arrears paid"),
    )
    def tunggakan_lunas(self):
        """The collection sweep: the loan has no arrears left; the bank's data comes next."""

    @langkah_transisi(
        field="status",
        source=JENDELA,
        target="bank-terima-angsuran",
        langkah=JENDELA,
        sistem=True,
        kedaluwarsa=True,
        conditions=[_masih_menunggak],
        label=_("Window lapsed with arrears"),
    )
    def jendela_lewat(self):
        """The SLA sweep: the letter's window ended with arrears still owed."""

    @langkah_transisi(
        field="status",
        source=["tugaskan-penagihan", "tagih"],
        target=DIBATALKAN,
        sistem=True,
        label=_("Cancelled: arrears paid before the letter"),
    )
    def batalkan(self):
        """The collection sweep: the arrears were paid before this letter went out."""
