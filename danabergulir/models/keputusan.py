"""Decisions on a loan outside any SOP: restructuring and write-off (docs/adr/0022-dagulir-jalan-sop.md).

Both are governed without an SOP (``Diatur``): the officer proposes, the roles named in
``peran=`` decide, through the engine's one guard (role, region, lock, reason, Jejak). Both
belong to the loan (``INDUK_FIELD``), so the loan's page shows their log with its runs'.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from sop.models.terikat import Diatur, langkah_transisi

from .pinjaman import JadwalVersi, Pinjaman
from .produk import MetodeJasa


class _KeputusanPinjaman(Diatur):
    LAYANAN = "danabergulir"
    INDUK_FIELD = "pinjaman"
    TERKAIT_TRANSISI = ("unit", "pinjaman")

    pinjaman = models.ForeignKey(Pinjaman, on_delete=models.PROTECT, related_name="+")
    alasan = models.TextField(_("reason"))
    diajukan = models.DateTimeField(_("proposed"), default=timezone.now)
    diajukan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return self.pinjaman.get_absolute_url() + "#keputusan"


class Restrukturisasi(_KeputusanPinjaman):
    """A new schedule version over the remaining pokok, proposed by the officer and approved
    by the Kepala UPT; approval applies it (the old version is kept and shown)."""

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", _("Proposed")
        DISETUJUI = "disetujui", _("Approved and applied")
        DITOLAK = "ditolak", _("Refused")

    STATUS_SELESAI = (Status.DISETUJUI, Status.DITOLAK)

    status = FSMField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DIAJUKAN, protected=True
    )
    bentuk = models.CharField(_("form"), max_length=24, choices=JadwalVersi.Bentuk.choices)
    tanggal = models.DateField(_("effective from"))
    jasa_persen = models.DecimalField(_("service fee (% per year)"), max_digits=5, decimal_places=2)
    metode = models.CharField(_("method"), max_length=10, choices=MetodeJasa.choices)
    tenor = models.PositiveSmallIntegerField(_("tenor (months)"))
    masa_tenggang = models.PositiveSmallIntegerField(_("grace months"), default=0)
    jatuh_tempo_pertama = models.DateField(_("first due date"))
    versi = models.OneToOneField(
        JadwalVersi,
        verbose_name=_("schedule version"),
        on_delete=models.PROTECT,
        related_name="restrukturisasi",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        ordering = ["-diajukan", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pinjaman"],
                condition=models.Q(status="diajukan"),
                name="dagulir_restruk_satu_terbuka",
            )
        ]

    def __str__(self):
        return f"{self.pinjaman} · {self.get_bentuk_display()}"

    def syarat_transisi(self, nama: str, langkah) -> list[str]:
        from ..services.keputusan import syarat_restrukturisasi

        return syarat_restrukturisasi(self) if nama == "setujui" else []

    @langkah_transisi(
        field=status,
        source=Status.DIAJUKAN,
        target=Status.DISETUJUI,
        peran=("kepala_upt",),
        label=_("Approve the restructuring"),
    )
    def setujui(self):
        """The Kepala UPT approves; the service adds the schedule version at once."""

    @langkah_transisi(
        field=status,
        source=Status.DIAJUKAN,
        target=Status.DITOLAK,
        peran=("kepala_upt",),
        label=_("Refuse"),
        gaya="secondary",
        alasan=True,
    )
    def tolak(self):
        pass


class HapusBuku(_KeputusanPinjaman):
    """A write-off (hapus buku bersyarat or mutlak): only for a Macet loan whose letter III
    window lapsed, with an SK number, approved by the Kepala UPT and then by the Kepala Dinas
    (two different people); the second approval writes the loan off."""

    class Jenis(models.TextChoices):
        BERSYARAT = "hapus_buku_bersyarat", _("Conditional write-off (the claim stays)")
        MUTLAK = "hapus_buku_mutlak", _("Absolute write-off")

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", _("Proposed")
        DISETUJUI_KAUPT = "disetujui_kaupt", _("Approved by the Kepala UPT")
        DISETUJUI = "disetujui", _("Approved: written off")
        DITOLAK = "ditolak", _("Refused")

    STATUS_SELESAI = (Status.DISETUJUI, Status.DITOLAK)

    status = FSMField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DIAJUKAN, protected=True
    )
    jenis = models.CharField(_("kind"), max_length=24, choices=Jenis.choices)
    nomor_sk = models.CharField(_("decree number"), max_length=80)
    tanggal_sk = models.DateField(_("decree date"))
    disetujui_1_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first approver"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    disetujui_2_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second approver"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        ordering = ["-diajukan", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pinjaman"],
                condition=models.Q(status__in=["diajukan", "disetujui_kaupt"]),
                name="dagulir_hapus_buku_satu_terbuka",
            ),
            models.CheckConstraint(
                condition=~models.Q(disetujui_1_oleh=models.F("disetujui_2_oleh")),
                name="dagulir_hapus_buku_dua_orang",
            ),
        ]

    def __str__(self):
        return f"{self.pinjaman} · {self.nomor_sk}"

    def syarat_transisi(self, nama: str, langkah) -> list[str]:
        from ..services.keputusan import syarat_hapus_buku

        return syarat_hapus_buku(self, nama)

    @langkah_transisi(
        field=status,
        source=Status.DIAJUKAN,
        target=Status.DISETUJUI_KAUPT,
        peran=("kepala_upt",),
        label=_("Approve (Kepala UPT)"),
    )
    def setujui_kepala_upt(self, *, oleh):
        self.disetujui_1_oleh = oleh

    @langkah_transisi(
        field=status,
        source=Status.DISETUJUI_KAUPT,
        target=Status.DISETUJUI,
        peran=("kepala_dinas",),
        label=_("Approve and write off (Kepala Dinas)"),
        gaya="danger",
    )
    def setujui_kepala_dinas(self, *, oleh):
        self.disetujui_2_oleh = oleh

    @langkah_transisi(
        field=status,
        source=[Status.DIAJUKAN, Status.DISETUJUI_KAUPT],
        target=Status.DITOLAK,
        peran=("kepala_upt", "kepala_dinas"),
        label=_("Refuse"),
        gaya="secondary",
        alasan=True,
    )
    def tolak(self):
        pass
