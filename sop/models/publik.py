"""Tables behind what the public sees: register counters (``sop.penomoran``), the failed-lookup
counter of the public tracking pages, and ``Terlacak``, the mixin a domain model inherits to
be found on the public tracking page (``sop.lacak``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sop import penomoran


class NomorRegister(models.Model):
    """The last number taken in one register series: one office, one kind, one year.

    Written only by ``sop.penomoran.nomor_register`` (one atomic upsert inside the caller's
    transaction); never edited by hand, never decremented."""

    unit = models.ForeignKey(
        "sop.Unit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    jenis = models.CharField(_("kind"), max_length=30, help_text=_("e.g. TT (receipt)."))
    tahun = models.PositiveSmallIntegerField(_("year"))
    terakhir = models.PositiveIntegerField(_("last number taken"))

    class Meta:
        verbose_name = _("register counter")
        verbose_name_plural = _("register counters")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "jenis", "tahun"], name="sop_nomorregister_seri_unik"
            )
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.jenis}/{self.tahun}: {self.terakhir}"


class GagalLacak(models.Model):
    """Failed public lookups from one client address in the current window.

    Written only by ``sop.lacak`` (one atomic upsert per attempt, shared by every worker and
    web host through the database; no cache table). ``gagal`` counts the slots taken: failures
    plus lookups still in flight (``berjalan``); a success gives its slot back. ``mulai`` is
    the window's start in Unix seconds: plain integers keep the raw SQL identical on PostgreSQL
    and SQLite."""

    alamat = models.CharField(_("client address"), max_length=64, unique=True)
    mulai = models.BigIntegerField(_("window start (Unix time)"), db_index=True)
    gagal = models.PositiveIntegerField(
        _("slots taken"), default=0, help_text=_("Failed lookups plus those still in flight.")
    )
    berjalan = models.PositiveIntegerField(_("lookups in flight"), default=0)

    class Meta:
        verbose_name = _("failed public lookups")
        verbose_name_plural = _("failed public lookups")

    def __str__(self):
        return f"{self.alamat}: {self.gagal}"


# --------------------------------------------------------------------------- public summary
@dataclass(frozen=True)
class LangkahPublik:
    """One line of the public timeline: a label and times, nothing about people."""

    label: str
    selesai: datetime | None = None  # when it happened (None: still in progress)
    janji: datetime | None = None  # the time promised for it (the step's due time)
    mulai: datetime | None = None
    dijeda: bool = False  # waiting on the applicant (the office clock is paused)


@dataclass
class RingkasanPublik:
    """What the public tracking page shows for one record."""

    kode: str
    layanan: str
    status: str
    inisial: str = ""
    diterima: datetime | None = None
    janji: datetime | None = None  # promised completion of the whole request
    selesai: bool = False
    pesan: list[str] = field(default_factory=list)  # public notes (missing items, a reason)
    linimasa: list[LangkahPublik] = field(default_factory=list)
    berjalan: list[LangkahPublik] = field(default_factory=list)  # steps in progress now
    zona: str = "Asia/Jakarta"  # times are shown in the office's zone

    @property
    def zona_singkat(self) -> str:
        return {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
            self.zona, self.zona
        )


_KATA = re.compile(r"[^\W\d_]+", re.UNICODE)


def inisial(nama: str, maks: int = 3) -> str:
    """``"Siti Aminah binti Ahmad"`` -> ``"S. A. B."``: the first letter of up to ``maks``
    words, never the name itself."""
    huruf = [k[0].upper() for k in _KATA.findall(nama or "")][:maks]
    return " ".join(f"{h}." for h in huruf)


def ringkas(teks: str, n: int = 110) -> str:
    teks = " ".join((teks or "").split())
    return teks if len(teks) <= n else teks[: n - 1].rsplit(" ", 1)[0] + "…"


class Terlacak(models.Model):
    """A record the applicant can follow on the public tracking page (``publik:lacak``).

    Inherit it next to the governed base (``class Permohonan(Terlacak, JalanLangkah)``), set
    ``PREFIX_LACAK`` (e.g. ``"IZN"``: codes ``IZN-K7QW2M9X``) and optionally ``LABEL_LACAK``
    (step code -> the label the public sees; ``"mulai"`` labels the intake). The code is drawn
    when the row is first saved; ``set_pin()`` returns a new clear PIN once (print it on the
    receipt, then save the row). Override the hooks below to shape the public summary; the
    default timeline reads the public ``Jejak`` rows of the record (as a run or as the record
    owning runs) and its open clocks: two queries.
    """

    PREFIX_LACAK = ""
    LABEL_LACAK: dict[str, str] = {}

    kode_lacak = models.CharField(
        _("tracking code"), max_length=24, unique=True, editable=False, blank=True
    )
    pin_hash = models.CharField(_("PIN (hashed)"), max_length=64, editable=False, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.kode_lacak:
            self.kode_lacak = self.kode_lacak_baru()
        super().save(*args, **kwargs)

    # --- code and PIN --------------------------------------------------------------------
    def kode_lacak_baru(self) -> str:
        """The code given at the first save: a fresh random code with ``PREFIX_LACAK``."""
        return penomoran.kode_unik_model(type(self), "kode_lacak", self.PREFIX_LACAK)[0]

    def set_pin(self) -> str:
        """Draw a new 6-digit PIN, keep only its hash, return it in clear (once). The caller
        saves the row (``save(update_fields=["pin_hash"])`` for an existing one)."""
        if not self.kode_lacak:
            self.kode_lacak = self.kode_lacak_baru()
        pin = penomoran.pin_baru()
        self.pin_hash = penomoran.hash_pin(self.kode_lacak, pin)
        return pin

    def cek_pin(self, pin: str) -> bool:
        """Constant-time check of a typed PIN."""
        return penomoran.cocok_pin(self.kode_lacak, penomoran.pin_valid(pin), self.pin_hash)

    def url_lacak(self) -> str:
        """Path of this record's tracking page (the QR on the receipt points here)."""
        return reverse("publik:lacak_kode", args=[self.kode_lacak])

    # --- hooks for the public summary ----------------------------------------------------
    def nama_pemohon_publik(self) -> str:
        """The applicant's name: only its initials are shown."""
        return ""

    def layanan_publik(self) -> str:
        return str(self._meta.verbose_name)

    def status_publik(self) -> str:
        status = getattr(self, getattr(self, "STATUS_FIELD", "status"), "")
        if status in self.LABEL_LACAK:
            return self.LABEL_LACAK[status]
        label = getattr(self, "label_status", None)
        return label() if callable(label) else str(status)

    def selesai_publik(self) -> bool:
        status = getattr(self, getattr(self, "STATUS_FIELD", "status"), "")
        return status in getattr(self, "STATUS_SELESAI", ())

    def diterima_publik(self) -> datetime | None:
        return getattr(self, "dibuat", None)

    def zona_publik(self) -> str:
        """The time zone the page shows times in: the office's calendar zone."""
        from django.conf import settings

        unit = getattr(self, "unit", None)
        if unit is None:
            return settings.TIME_ZONE
        from sop.jadwal import jadwal_unit

        return jadwal_unit(unit).zona

    def janji_selesai(self) -> datetime | None:
        """The promised completion of the whole request (e.g. stored at intake)."""
        return None

    def pesan_publik(self) -> list[str]:
        """Public notes: what the applicant must bring, a decision's stated reason."""
        return []

    def label_langkah_publik(self, langkah) -> str | None:
        """The public label of an SOP step (None hides the step)."""
        if langkah is None:
            return None
        return self.LABEL_LACAK.get(langkah.kode) or ringkas(langkah.kegiatan)

    def _q_rekaman(self) -> Q:
        ct = ContentType.objects.get_for_model(type(self))
        pk = str(self.pk)
        return Q(content_type=ct, object_id=pk) | Q(induk_ct=ct, induk_id=pk)

    def linimasa_publik(self) -> list[LangkahPublik]:
        """The finished public steps, oldest first: the intake, then each completed step with
        when it was finished and when it was due."""
        from .jejak import Jejak

        rows = (
            Jejak.objects.filter(self._q_rekaman(), publik=True)
            .select_related("langkah")
            .only("transisi", "selesai", "mulai", "tenggat", "langkah__kode", "langkah__kegiatan")
            .order_by("selesai", "pk")
        )
        hasil = []
        for j in rows:
            if j.transisi == "mulai":
                if hasil:  # a later run of the same record starting: not news to the applicant
                    continue
                label = self.LABEL_LACAK.get("mulai") or gettext("Application received")
            else:
                label = self.label_langkah_publik(j.langkah)
            if label:
                hasil.append(
                    LangkahPublik(label, selesai=j.selesai, janji=j.tenggat, mulai=j.mulai)
                )
        return hasil

    def berjalan_publik(self) -> list[LangkahPublik]:
        """The steps in progress now, with their due times."""
        from .jejak import LangkahBerjalan

        jam = (
            LangkahBerjalan.objects.terbuka()
            .filter(self._q_rekaman())
            .select_related("langkah")
            .order_by("mulai", "pk")
        )
        hasil = []
        for j in jam:
            label = self.label_langkah_publik(j.langkah)
            if label:
                hasil.append(
                    LangkahPublik(
                        label, janji=j.tenggat, mulai=j.mulai, dijeda=j.dijeda_sejak is not None
                    )
                )
        return hasil

    def ringkasan_publik(self) -> RingkasanPublik:
        """Everything the public page shows: labels, dates and the applicant's initials."""
        return RingkasanPublik(
            kode=self.kode_lacak,
            layanan=self.layanan_publik(),
            status=self.status_publik(),
            inisial=inisial(self.nama_pemohon_publik()),
            diterima=self.diterima_publik(),
            janji=self.janji_selesai(),
            selesai=self.selesai_publik(),
            pesan=self.pesan_publik(),
            linimasa=self.linimasa_publik(),
            berjalan=[] if self.selesai_publik() else self.berjalan_publik(),
            zona=self.zona_publik(),
        )
