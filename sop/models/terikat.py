"""The binding between a domain model and its SOP: the mixins and the transition decorator.

A run of an SOP (bpum.Usulan, sop.Permohonan, a loan's penagihan run, ...) inherits
``DiaturSop``; a governed model with no SOP (a BPUM rekap batch, a loan's write-off) inherits
``Diatur``. Both declare their transitions with ``langkah_transisi``: django-fsm's
``@transition`` with ``permission=`` (the bound step's roles, or ``peran=`` role codes, in the
record's region) and ``conditions=`` (the step's required inputs are present). That one
declaration drives the buttons a user sees, the guard (``sop.engine.jalankan`` and
``sop.massal.jalankan_massal``) and the admin. django-fsm does not enforce ``permission=`` on a
call: the engine does. See docs/adr/0002 and 0009.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition


def langkah_transisi(
    *,
    field,
    source,
    target,
    langkah: str | None = None,
    label: str = "",
    jeda: bool = False,
    lanjut: bool = False,
    sistem: bool = False,
    on_error=None,
    gaya: str = "primary",
    conditions=(),
    alasan: bool = False,
    peran: tuple[str, ...] = (),
    kedaluwarsa: bool = False,
):
    """A django-fsm transition bound to SOP step ``langkah`` (or to the roles ``peran``).

    ``langkah=None`` binds to the step the record is in now (``langkah_aktif_kode()``), used by the
    generic runner. ``peran``: role codes that may perform it instead of the step's performers
    (governed models without an SOP, ``Diatur``). ``jeda`` pauses the running clock (waiting on
    the applicant) instead of closing it; ``lanjut`` resumes it. ``sistem`` marks a transition
    only the system performs; with ``kedaluwarsa`` the SLA sweep fires it when the clock of its
    bound step passes its due time (its ``conditions`` decide whether it applies). ``alasan``:
    the engine refuses it without a reason (``catatan``).
    """
    if kedaluwarsa and not (sistem and langkah):
        raise ValueError("kedaluwarsa=True needs sistem=True and a bound step (langkah=...)")

    def permission(instance, user):
        from sop.engine import izin_transisi

        if sistem:  # only the system (user=None) performs it; never a button
            return False
        return izin_transisi(instance, user, langkah=langkah, peran=peran) is not None

    def kelengkapan_lengkap(instance):
        from sop.engine import kelengkapan_kurang

        return not kelengkapan_kurang(instance, instance.langkah_untuk(langkah))

    return transition(
        field=field,
        source=source,
        target=target,
        on_error=on_error,
        permission=permission,
        conditions=[*conditions, kelengkapan_lengkap],
        custom={
            "langkah": langkah,
            "label": label,
            "jeda": jeda,
            "lanjut": lanjut,
            "sistem": sistem,
            "gaya": gaya,
            "alasan": alasan,
            "peran": tuple(peran),
            "kedaluwarsa": kedaluwarsa,
        },
    )


class Diatur(models.Model):
    """Abstract base of every governed model: a state that changes only through the engine.

    Subclasses set ``LAYANAN`` (the service code units list in ``Unit.layanan``: the scope),
    ``STATUS_FIELD`` and ``STATUS_SELESAI``. ``INDUK_FIELD`` names the FK to the record this
    row belongs to (a loan owning its penagihan runs): the engine writes the record's key on
    the step log and clocks (docs/adr/0009); empty = the row is its own record. ``BERJAM``:
    whether the engine keeps step clocks for it (models without an SOP have none).
    """

    LAYANAN = "sop"
    STATUS_FIELD = "status"
    STATUS_SELESAI: tuple[str, ...] = ()
    INDUK_FIELD = ""
    BERJAM = False
    # relations the transition conditions read: loaded with the row the engine locks
    TERKAIT_TRANSISI: tuple[str, ...] = ("unit",)

    wilayah = models.ForeignKey(
        "sop.Wilayah", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "sop.Unit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    # --- hooks a domain model may override -------------------------------------------------
    def langkah_untuk(self, kode: str | None):
        """The SOP step a transition is bound to (none without an SOP)."""
        return None

    def syarat_transisi(self, nama: str, langkah) -> list[str]:
        """Unmet domain conditions of transition ``nama`` as messages for the officer (e.g. the
        documents still missing): the engine refuses the transition while this is non-empty."""
        return []

    def induk_objek(self):
        """The record this row belongs to (``INDUK_FIELD``), else the row itself."""
        return getattr(self, self.INDUK_FIELD) if self.INDUK_FIELD else self

    def tandai_diubah(self, now) -> list[str]:
        """Called before a transition is saved; returns extra fields it set (e.g. a timestamp)."""
        return []

    @classmethod
    def url_daftar(cls, status: str) -> str:
        """Where a batch notification points (the list of records in ``status``)."""
        return ""

    def label_status(self) -> str:
        field = self._meta.get_field(self.STATUS_FIELD)
        value = getattr(self, self.STATUS_FIELD)
        return str(dict(field.choices or []).get(value, value))


class DiaturSop(Diatur):
    """Abstract base of every run of an SOP revision (docs/adr/0009: a record may own many).

    Subclasses also set ``SOP_KODE`` and ``LANGKAH_PER_STATUS`` (state -> the step code waiting
    in that state).
    """

    SOP_KODE = ""
    LANGKAH_PER_STATUS: dict[str, str] = {}
    BERJAM = True

    sop = models.ForeignKey(
        "sop.Sop", verbose_name=_("SOP revision"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    # --- hooks a domain model may override -------------------------------------------------
    def langkah_aktif_kode(self) -> str | None:
        return self.LANGKAH_PER_STATUS.get(getattr(self, self.STATUS_FIELD))

    def kelengkapan_ada(self) -> set[str]:
        """Names of the inputs present on this record (attachments, filled fields)."""
        return set()

    def mulai_jam_langkah(self, langkah, now):
        """When the clock of ``langkah`` starts: ``now`` by default, or a domain date (an
        installment's due date, the date of a letter whose window the step times)."""
        return now

    def batas_langkah(self, langkah):
        """A time limit (``sop.waktu.Batas``) for ``langkah`` where the SOP has none (e.g. a
        round's deadline per tier), or None to use the step's own parsed waktu."""
        return None

    def unit_untuk_langkah(self, langkah):
        """The office whose calendar times ``langkah``; default: the record's office."""
        return self.unit

    def kunci_unit_langkah(self, langkah) -> tuple:
        """What ``unit_untuk_langkah`` depends on: records with the same key share the office,
        so a batch looks it up once (sop.jam.Kantor)."""
        return ("unit", self.unit_id)

    # --- helpers --------------------------------------------------------------------------
    def langkah_sop(self) -> dict:
        """The steps of this record's SOP revision by code (the process's loaded revision,
        ``sop.models.definisi.sop_siap``: no query per record or per transition)."""
        from .definisi import sop_siap

        return sop_siap(self.sop_id).langkah_per_kode()

    def langkah_untuk(self, kode: str | None):
        kode = kode or self.langkah_aktif_kode()
        return self.langkah_sop().get(kode) if kode else None
