"""A loan-like record owning penagihan runs on PACITAN-21, and an approval governed by roles.

Only for the engine tests: a small, stable stand-in for what the dana bergulir module builds."""

from django.db import models
from django_fsm import FSMField

from sop.models import JalanLangkah
from sop.models.terikat import Diatur, langkah_transisi


class Berkas(models.Model):
    """The record: owns runs, is not governed itself."""

    nomor = models.CharField(max_length=20)
    tunggakan = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.nomor


def _masih_menunggak(run) -> bool:
    return run.berkas.tunggakan > 0


class Tagihan(JalanLangkah):
    """One penagihan run of a Berkas: the window step starts at the letter's date."""

    LAYANAN = "danabergulir"
    SOP_KODE = "PACITAN-21"
    INDUK_FIELD = "berkas"

    berkas = models.ForeignKey(Berkas, on_delete=models.CASCADE, related_name="tagihan")
    tanggal_surat = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Tagihan {self.pk}"

    def mulai_jam_langkah(self, langkah, now):
        if langkah.kode == "bayar-ke-bank" and self.tanggal_surat:
            return self.tanggal_surat
        return now

    def get_absolute_url(self):
        return f"/contoh/{self.berkas_id}/#tagihan-{self.pk}"

    @langkah_transisi(
        field="status",
        source="bayar-ke-bank",
        target="selesai",
        langkah="bayar-ke-bank",
        sistem=True,
        kedaluwarsa=True,
        conditions=[_masih_menunggak],
    )
    def jendela_lewat(self):
        """The window lapsed with arrears: this run ends (the domain opens the next letter)."""


class Persetujuan(Diatur):
    """A decision outside any SOP: two roles, same guard, same Jejak, no clock."""

    LAYANAN = "danabergulir"

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", "Diajukan"
        DISETUJUI = "disetujui", "Disetujui"
        DITOLAK = "ditolak", "Ditolak"

    status = FSMField(max_length=20, choices=Status.choices, default="diajukan", protected=True)

    def __str__(self):
        return f"Persetujuan {self.pk}"

    @langkah_transisi(
        field=status,
        source="diajukan",
        target="disetujui",
        peran=("kepala_upt",),
        label="Setujui",
    )
    def setujui(self):
        pass

    @langkah_transisi(
        field=status,
        source="diajukan",
        target="ditolak",
        peran=("kepala_upt",),
        label="Tolak",
        alasan=True,
    )
    def tolak(self):
        pass
