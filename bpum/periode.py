"""Writes of a BPUM round's settings: dates, per-tier limits, whether the province works in
the portal. The regency agency (``staf_dinas`` or ``kepala_dinas`` of an office covering the
round's regency) sets them; every change is kept in the field history.

A limit applies to clocks started after the change: a running clock keeps the limit it started
under (``LangkahBerjalan.batas``), as the engine does after a calendar change (ADR 0009)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sop.engine import TidakBerwenang, simpan_perubahan
from sop.models import Pelaksana
from sop.selectors import tugas_untuk

from .models import Periode, Usulan

PERAN_PENGATUR = ("staf_dinas", "kepala_dinas")
FIELD_PERIODE = (
    "dibuka",
    "ditutup",
    "batas_desa",
    "batas_kecamatan",
    "batas_dinas",
    "batas_provinsi",
    "provinsi_portal",
)


def boleh_atur(user, periode: Periode) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    peran = set(Pelaksana.objects.filter(kode__in=PERAN_PENGATUR).values_list("pk", flat=True))
    return tugas_untuk(user, Usulan.LAYANAN, periode.wilayah_id, peran) is not None


@transaction.atomic
def periode_atur(*, user, periode: Periode, data: dict, now: datetime | None = None) -> list[str]:
    """Save the round's settings from ``data`` (the form's cleaned data). Returns the fields
    changed."""
    if not boleh_atur(user, periode):
        raise TidakBerwenang(
            _("Only the regency agency's staff or head set the round's dates and limits.")
        )
    p = Periode.objects.select_for_update().get(pk=periode.pk)
    return simpan_perubahan(p, user=user, data={f: data.get(f) for f in FIELD_PERIODE}, now=now)
