"""A licensing request: received at the counter, run on its service's SOP, handed over.

The state is the code of the SOP step the request waits in (like the generic runner), so a new
SOP revision (a local back-office step, say) runs with no code change. Around the steps:

    <step>  --selesaikan / putuskan_ya / putuskan_tidak--> <next step> | siap_diserahkan
    <step>  --kembalikan_berkas (missing items listed; clock paused)--> kembali:<step>
    kembali:<step> --lengkapi_berkas (clock resumed)--> <step>
    siap_diserahkan --serahkan (at the counter; outputs recorded)--> diserahkan
    any open state --batalkan (reason; at the counter)--> dibatalkan

Every transition runs through ``sop.engine.jalankan`` from ``perizinan.services``. Steps whose
columns are all outside parties (the applicant, OSS, the ministry) are recorded by the officer the
SOP names as their recorder; their time is kept but never counts against the office.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin

from sop.models.publik import Terlacak, ringkas
from sop.models.terikat import DiaturSop, langkah_transisi

from .layanan import JenisLayanan, KeluaranLayanan, Persyaratan

KEMBALI = "kembali:"  # prefix: returned to the applicant while waiting in that step
SIAP = "siap_diserahkan"
DISERAHKAN = "diserahkan"
DIBATALKAN = "dibatalkan"
LOKET = "~loket"  # pseudo step of transitions done at the counter (see ``langkah_untuk``)
STATUS_AKHIR = (DISERAHKAN, DIBATALKAN)


def _unggah(prefix: str):
    def nama(instance, filename: str) -> str:
        ext = PurePosixPath(filename or "").suffix.lower()
        ext = ext if ext in (".pdf", ".jpg", ".jpeg", ".png", ".webp") else ""
        return f"perizinan/{prefix}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(16)}{ext}"

    nama.__name__ = f"unggah_{prefix}"
    nama.__qualname__ = nama.__name__
    return nama


unggah_syarat = _unggah("syarat")
unggah_hasil = _unggah("hasil")


# --- transition conditions ----------------------------------------------------------------
def _di_langkah(p: Permohonan) -> bool:
    return p.langkah_aktif() is not None and not p.dijeda


def _di_langkah_kantor(p: Permohonan) -> bool:
    from sop.engine import langkah_eksternal

    lk = p.langkah_aktif()
    return lk is not None and not p.dijeda and not langkah_eksternal(lk)


def _dijeda(p: Permohonan) -> bool:
    return p.dijeda


def _di_keputusan(p: Permohonan) -> bool:
    lk = p.langkah_aktif()
    return lk is not None and lk.keputusan


def _bukan_keputusan(p: Permohonan) -> bool:
    lk = p.langkah_aktif()
    return lk is not None and not lk.keputusan


def _belum_akhir(p: Permohonan) -> bool:
    return p.status not in STATUS_AKHIR


class Permohonan(FSMModelMixin, Terlacak, DiaturSop):
    """One licensing request of one applicant for one service. The applicant follows it on the
    public tracking page with its code (``IZN-...``) and the PIN printed on the receipt."""

    LAYANAN = "perizinan"
    STATUS_SELESAI = STATUS_AKHIR
    PREFIX_LACAK = "IZN"

    class Cara(models.TextChoices):
        LANGSUNG = "langsung", _("In person at the counter")
        DARING = "daring", _("Online")

    jenis = models.ForeignKey(
        JenisLayanan, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    status = FSMField(_("status"), max_length=80, protected=True)
    nomor = models.CharField(_("receipt number"), max_length=60, unique=True)
    tahun = models.PositiveSmallIntegerField(_("year"))
    urut = models.PositiveIntegerField(_("sequence in the year"))
    cara = models.CharField(
        _("received"), max_length=10, choices=Cara.choices, default=Cara.LANGSUNG
    )
    pemohon_nik = models.CharField(_("applicant's NIK"), max_length=16)
    pemohon_nama = models.CharField(_("applicant's name"), max_length=200)
    pemohon_hp = models.CharField(_("applicant's phone"), max_length=20)
    pemohon_alamat = models.CharField(_("applicant's address"), max_length=300)
    usaha_nama = models.CharField(_("business name"), max_length=200)
    usaha_nib = models.CharField(_("NIB"), max_length=13, blank=True)
    usaha_kbli = models.CharField(_("KBLI"), max_length=5, blank=True)
    usaha_alamat = models.CharField(_("business address"), max_length=300)
    kekurangan = models.JSONField(_("missing items"), default=list, blank=True)
    diterima_pada = models.DateTimeField(_("received at"), default=timezone.now)
    diterima_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    perkiraan_selesai = models.DateTimeField(_("promised completion"), null=True, blank=True)
    janji_menit = models.PositiveIntegerField(_("promised office minutes"), null=True, blank=True)
    selesai_pada = models.DateTimeField(_("office work finished"), null=True, blank=True)
    menit_kantor = models.PositiveIntegerField(_("office minutes used"), null=True, blank=True)
    tepat_waktu = models.BooleanField(_("on time"), null=True, blank=True)
    diserahkan_pada = models.DateTimeField(_("handed over at"), null=True, blank=True)
    diserahkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    penerima_nama = models.CharField(_("received by (name)"), max_length=200, blank=True)
    penerima_keterangan = models.CharField(_("receiver's relation"), max_length=200, blank=True)
    survei_token = models.CharField(max_length=64, blank=True, db_index=True)
    survei_diisi = models.BooleanField(_("survey answered"), default=False)
    diubah = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("licensing request")
        verbose_name_plural = _("licensing requests")
        ordering = ["-diterima_pada", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "tahun", "urut"], name="perizinan_nomor_urut_unik"
            )
        ]
        indexes = [
            # covering: the dashboard's counts, medians and trend read these indexes only,
            # never the wide request rows (index-only scans; bench/README.md "Perizinan")
            models.Index(fields=["unit", "diterima_pada", "jenis"], name="izin_unit_terima"),
            models.Index(
                fields=[
                    "unit",
                    "selesai_pada",
                    "jenis",
                    "tepat_waktu",
                    "menit_kantor",
                    "janji_menit",
                ],
                name="izin_unit_selesai",
            ),
            models.Index(fields=["unit", "status"], name="izin_unit_status"),
            models.Index(fields=["jenis", "diterima_pada"], name="izin_jenis_terima"),
        ]

    def __str__(self):
        return f"{self.nomor} {self.usaha_nama}"

    def get_absolute_url(self):
        return reverse("perizinan:detail", args=[self.pk])

    # --- state helpers ---------------------------------------------------------------------
    @property
    def dijeda(self) -> bool:
        return self.status.startswith(KEMBALI)

    @property
    def terbuka(self) -> bool:
        return self.status not in STATUS_AKHIR

    def langkah_aktif_kode(self) -> str | None:
        s = self.status or ""
        if s.startswith(KEMBALI):
            return s[len(KEMBALI) :]
        if s in (SIAP, *STATUS_AKHIR) or not s:
            return None
        return s

    def langkah_aktif(self):
        return self.langkah_untuk(None)

    def langkah_untuk(self, kode: str | None):
        if kode == LOKET:
            return self.langkah_sop().get(self.kode_loket())
        return super().langkah_untuk(kode)

    def label_status(self) -> str:
        if self.status == SIAP:
            return str(_("Ready to be handed over"))
        if self.status == DISERAHKAN:
            return str(_("Handed over"))
        if self.status == DIBATALKAN:
            return str(_("Cancelled"))
        lk = self.langkah_aktif()
        if lk is None:
            return self.status
        teks = f"{lk.nomor}. {lk.kegiatan.splitlines()[0][:90]}"
        if self.dijeda:
            return str(_("Returned to the applicant")) + f" ({teks})"
        return teks

    # --- public tracking (Terlacak): labels, dates and initials only -------------------------
    def nama_pemohon_publik(self) -> str:
        return self.pemohon_nama

    def layanan_publik(self) -> str:
        return self.jenis.nama

    def status_publik(self) -> str:
        if self.status == SIAP:
            return str(_("Ready: collect it at the counter"))
        if self.status == DISERAHKAN:
            return str(_("Handed over"))
        if self.status == DIBATALKAN:
            return str(_("Cancelled"))
        if self.dijeda:
            return str(_("Returned: please complete your file"))
        return str(_("In process"))

    def diterima_publik(self):
        return self.diterima_pada

    def janji_selesai(self):
        return self.perkiraan_selesai if self.terbuka else None

    def pesan_publik(self) -> list[str]:
        pesan = []
        if self.dijeda and self.kekurangan:
            pesan.append(str(_("Please bring")) + ": " + "; ".join(self.kekurangan))
        for a in self.pengaduan.filter(status="dijawab").order_by("dijawab_pada"):
            pesan.append(str(_("Answer to your complaint")) + f": {a.jawaban}")
        return pesan

    LABEL_AKSI_PUBLIK = {
        "kembalikan_berkas": _("File returned to the applicant to be completed"),
        "lengkapi_berkas": _("The applicant completed the file"),
        "serahkan": _("Output handed over"),
        "batalkan": _("Request cancelled"),
    }

    def linimasa_publik(self):
        """The public timeline: each completed step by its label; returning, completing,
        handing over and cancelling by what happened (not by the counter's step)."""
        from sop.models import Jejak
        from sop.models.publik import LangkahPublik

        rows = (
            Jejak.objects.filter(self._q_rekaman(), publik=True)
            .select_related("langkah")
            .only("transisi", "selesai", "mulai", "tenggat", "langkah__kegiatan")
            .order_by("selesai", "pk")
        )
        hasil = []
        for j in rows:
            if j.transisi == "mulai":
                label = str(_("File received"))
            elif j.transisi in self.LABEL_AKSI_PUBLIK:
                label = str(self.LABEL_AKSI_PUBLIK[j.transisi])
            else:
                label = self.label_langkah_publik(j.langkah)
            if label:
                janji = None if j.transisi in self.LABEL_AKSI_PUBLIK else j.tenggat
                hasil.append(LangkahPublik(label, selesai=j.selesai, janji=janji, mulai=j.mulai))
        return hasil

    def label_langkah_publik(self, langkah) -> str | None:
        if langkah is None:
            return None
        return ringkas(langkah.kegiatan.splitlines()[0])

    # --- the SOP seen by this request --------------------------------------------------------
    def sop_bersama(self):
        """This request's SOP revision with its steps loaded once per process (shared)."""
        from perizinan.sop_info import sop_revisi

        return sop_revisi(self.sop_id)

    def langkah_sop(self) -> dict:
        return self.sop_bersama().langkah_per_kode()

    def tahap(self):
        from perizinan.sop_info import tahap_sop

        return tahap_sop(self.sop_bersama())

    def kode_loket(self) -> str | None:
        from perizinan.sop_info import kode_loket

        return kode_loket(self.sop_bersama())

    def langkah_berikut(self, lk, keputusan: bool | None = None) -> str:
        from perizinan.standar import SELESAI, berikut

        kode = berikut(self.tahap(), lk.kode, keputusan)
        return SIAP if kode == SELESAI else kode

    # --- domain conditions -----------------------------------------------------------------
    def syarat_transisi(self, nama: str, langkah) -> list[str]:
        """What still blocks transition ``nama`` (the engine refuses it while non-empty)."""
        if nama in ("selesaikan", "putuskan_ya"):
            return self.syarat_langkah(langkah)
        if nama == "serahkan":
            kurang = self.keluaran_kurang()
            if kurang:
                return [
                    str(_("output documents not recorded: %(d)s"))
                    % {"d": ", ".join(k.nama for k in kurang)}
                ]
        return []

    def syarat_langkah(self, langkah) -> list[str]:
        """Unmet conditions of completing ``langkah`` (messages for the officer)."""
        if langkah is None:
            return []
        cache = self.__dict__.setdefault("_syarat_cache", {})
        if langkah.kode in cache:
            return cache[langkah.kode]
        from perizinan.sop_info import kode_periksa, layanan_def

        j = layanan_def(self.jenis_id)
        pesan = []
        if langkah.kode == kode_periksa(j, self.sop_bersama()):
            kurang = self.syarat_kurang()
            if kurang:
                pesan.append(
                    str(_("required documents missing: %(d)s"))
                    % {"d": ", ".join(s.nama for s in kurang)}
                )
        if any(k.wajib and k.langkah_kode == langkah.kode for k in j.hasil):
            kurang = [k for k in self.keluaran_kurang() if k.langkah_kode == langkah.kode]
            if kurang:
                pesan.append(
                    str(_("output document not recorded yet: %(d)s"))
                    % {"d": ", ".join(k.nama for k in kurang)}
                )
        cache[langkah.kode] = pesan
        return pesan

    def syarat_kurang(self) -> list[Persyaratan]:
        """Required checklist items not received yet."""
        from perizinan.sop_info import layanan_def

        ada = set(self.berkas.values_list("persyaratan_id", flat=True))
        return [s for s in layanan_def(self.jenis_id).syarat if s.wajib and s.pk not in ada]

    def keluaran_kurang(self) -> list[KeluaranLayanan]:
        """Required output documents not recorded yet."""
        from perizinan.sop_info import layanan_def

        ada = set(self.dokumen_hasil.values_list("keluaran_id", flat=True))
        return [k for k in layanan_def(self.jenis_id).hasil if k.wajib and k.pk not in ada]

    def tandai_diubah(self, now) -> list[str]:
        self.diubah = now
        self.__dict__.pop("_syarat_cache", None)
        if self.status == SIAP and self.selesai_pada is None:
            self.selesai_pada = now
        if self.status == DISERAHKAN and self.diserahkan_pada is None:
            self.diserahkan_pada = now
        return ["diubah", "selesai_pada", "diserahkan_pada"]

    # --- transitions (local bookkeeping only; perizinan.services runs them) ------------------
    @langkah_transisi(
        field=status,
        source="*",
        target=RETURN_VALUE(),
        label=_("Step done"),
        conditions=[_di_langkah, _bukan_keputusan],
    )
    def selesaikan(self):
        return self.langkah_berikut(self.langkah_aktif())

    @langkah_transisi(
        field=status,
        source="*",
        target=RETURN_VALUE(),
        label=_("Yes"),
        conditions=[_di_langkah, _di_keputusan],
    )
    def putuskan_ya(self):
        return self.langkah_berikut(self.langkah_aktif(), keputusan=True)

    @langkah_transisi(
        field=status,
        source="*",
        target=RETURN_VALUE(),
        label=_("No"),
        gaya="secondary",
        alasan=True,
        conditions=[_di_langkah, _di_keputusan],
    )
    def putuskan_tidak(self, kekurangan: list[str] | None = None):
        if kekurangan:
            self.kekurangan = list(kekurangan)
        return self.langkah_berikut(self.langkah_aktif(), keputusan=False)

    @langkah_transisi(
        field=status,
        source="*",
        target=RETURN_VALUE(),
        label=_("Return the file to the applicant"),
        gaya="secondary",
        jeda=True,
        alasan=True,
        conditions=[_di_langkah_kantor],
    )
    def kembalikan_berkas(self, kekurangan: list[str] | None = None):
        self.kekurangan = list(kekurangan or [])
        return KEMBALI + self.langkah_aktif_kode()

    @langkah_transisi(
        field=status,
        source="*",
        target=RETURN_VALUE(),
        label=_("The applicant completed the file"),
        lanjut=True,
        conditions=[_dijeda],
    )
    def lengkapi_berkas(self):
        self.kekurangan = []
        return self.langkah_aktif_kode()

    @langkah_transisi(
        field=status,
        source=SIAP,
        target=DISERAHKAN,
        langkah=LOKET,
        label=_("Hand over"),
    )
    def serahkan(self, penerima_nama: str = "", penerima_keterangan: str = ""):
        self.penerima_nama = penerima_nama or self.pemohon_nama
        self.penerima_keterangan = penerima_keterangan

    @langkah_transisi(
        field=status,
        source="*",
        target=DIBATALKAN,
        langkah=LOKET,
        label=_("Cancel the request"),
        gaya="secondary",
        alasan=True,
        conditions=[_belum_akhir],
    )
    def batalkan(self):
        pass


class BerkasSyarat(models.Model):
    """A checklist item received for a request: a scan/photo, or the original seen at the counter."""

    permohonan = models.ForeignKey(Permohonan, on_delete=models.CASCADE, related_name="berkas")
    persyaratan = models.ForeignKey(Persyaratan, on_delete=models.PROTECT, related_name="+")
    berkas = models.FileField(_("file"), upload_to=unggah_syarat, blank=True)
    nama_asli = models.CharField(_("file name (as uploaded)"), max_length=200, blank=True)
    tipe = models.CharField(_("content type"), max_length=60, blank=True)
    ukuran = models.PositiveIntegerField(_("size"), default=0)
    diterima_pada = models.DateTimeField(_("received at"), default=timezone.now)
    diterima_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("document received")
        verbose_name_plural = _("documents received")
        ordering = ["persyaratan__urutan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["permohonan", "persyaratan"], name="perizinan_berkas_unik"
            )
        ]

    def __str__(self):
        return str(self.persyaratan)


class DokumenHasil(models.Model):
    """An output document of a request (NIB/IUMK confirmation, Sertifikat NIK, BAP, ...)."""

    permohonan = models.ForeignKey(
        Permohonan, on_delete=models.CASCADE, related_name="dokumen_hasil"
    )
    keluaran = models.ForeignKey(KeluaranLayanan, on_delete=models.PROTECT, related_name="+")
    nomor = models.CharField(_("document number"), max_length=100)
    tanggal = models.DateField(_("document date"))
    berkas = models.FileField(_("file"), upload_to=unggah_hasil, blank=True)
    tipe = models.CharField(_("content type"), max_length=60, blank=True)
    dicatat_pada = models.DateTimeField(_("recorded at"), default=timezone.now)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("output document")
        verbose_name_plural = _("output documents")
        ordering = ["keluaran__urutan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["permohonan", "keluaran"], name="perizinan_hasil_unik")
        ]

    def __str__(self):
        return f"{self.keluaran} {self.nomor}"
