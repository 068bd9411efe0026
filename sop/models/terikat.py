"""The binding between a domain request model and its SOP: the mixin and the transition decorator.

A domain model (bpum.Usulan, sop.Permohonan, ...) inherits ``DiaturSop`` and declares its
transitions with ``langkah_transisi``: django-fsm's ``@transition`` with ``permission=`` (role +
region scope of the bound step) and ``conditions=`` (the step's required inputs are present).
That one declaration drives the buttons a user sees, the service guard (``sop.engine.jalankan``)
and the admin. django-fsm does not enforce ``permission=`` on a call: ``jalankan`` does.
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
):
    """A django-fsm transition bound to SOP step ``langkah``.

    ``langkah=None`` binds to the step the record is in now (``langkah_aktif_kode()``), used by the
    generic runner. ``jeda`` pauses the running clock (waiting on the applicant) instead of closing
    it; ``lanjut`` resumes it. ``sistem`` marks a transition the SLA sweep may fire as the system.
    """

    def permission(instance, user):
        from sop.engine import cari_izin

        if sistem:  # only the SLA sweep (user=None) performs it; never a button
            return False
        return cari_izin(instance, user, instance.langkah_untuk(langkah)) is not None

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
        },
    )


class DiaturSop(models.Model):
    """Abstract base of every request that runs on an SOP revision.

    Subclasses set ``LAYANAN`` (the service code units list in ``Unit.layanan``), ``SOP_KODE``,
    ``STATUS_FIELD`` and ``LANGKAH_PER_STATUS`` (state -> the step code waiting in that state).
    """

    LAYANAN = "sop"
    SOP_KODE = ""
    STATUS_FIELD = "status"
    LANGKAH_PER_STATUS: dict[str, str] = {}
    STATUS_SELESAI: tuple[str, ...] = ()

    sop = models.ForeignKey(
        "sop.Sop", verbose_name=_("SOP revision"), on_delete=models.PROTECT, related_name="+"
    )
    wilayah = models.ForeignKey(
        "sop.Wilayah", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "sop.Unit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    # --- hooks a domain model may override -------------------------------------------------
    def langkah_aktif_kode(self) -> str | None:
        return self.LANGKAH_PER_STATUS.get(getattr(self, self.STATUS_FIELD))

    def kelengkapan_ada(self) -> set[str]:
        """Names of the inputs present on this record (attachments, filled fields)."""
        return set()

    def unit_untuk_langkah(self, langkah):
        """The office whose calendar times ``langkah``; default: the record's office."""
        return self.unit

    def kunci_unit_langkah(self, langkah) -> tuple:
        """What ``unit_untuk_langkah`` depends on: records with the same key share the office,
        so a batch looks it up once (sop.jam.Kantor)."""
        return ("unit", self.unit_id)

    @classmethod
    def url_daftar(cls, status: str) -> str:
        """Where a batch notification points (the list of records in ``status``)."""
        return ""

    def tandai_diubah(self, now) -> list[str]:
        """Called before a transition is saved; returns extra fields it set (e.g. a timestamp)."""
        return []

    def label_status(self) -> str:
        field = self._meta.get_field(self.STATUS_FIELD)
        value = getattr(self, self.STATUS_FIELD)
        return str(dict(field.choices or []).get(value, value))

    # --- helpers --------------------------------------------------------------------------
    def langkah_sop(self) -> dict:
        """The steps of this record's SOP revision by code."""
        return self.sop.langkah_per_kode()

    def langkah_untuk(self, kode: str | None):
        kode = kode or self.langkah_aktif_kode()
        return self.langkah_sop().get(kode) if kode else None
