"""The province as a tier (PAIS-UMI step 8, ``provinsi-koordinir``) and who records the
ministry's answer (step 9, external).

A round says whether its province works in the portal (``Periode.provinsi_portal``):

* on: the province's officers (role ``petugas_provinsi`` in an office covering the regency)
  accept or return each regency batch and import the ministry's answer for all its regencies;
  the regency agency no longer records those steps;
* off: the regency agency records the province's and the ministry's steps on their behalf,
  as the SOP's columns say (``dicatat_oleh``).

The engine's guard still runs for every change (role and region of the step); this is the
round's policy on top of it, in one place.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from sop.engine import TidakBerwenang
from sop.models import Pelaksana, Wilayah
from sop.selectors import penugasan_aktif, tugas_untuk

from .models import Periode, Usulan

PERAN_PROVINSI = "petugas_provinsi"
PERAN_DINAS = "staf_dinas"


def peran_pencatat(periode: Periode) -> str:
    """The role that performs the province's and the ministry's steps in this round."""
    return PERAN_PROVINSI if periode.provinsi_portal else PERAN_DINAS


def _peran_ids(kode: str) -> set[int]:
    return set(Pelaksana.objects.filter(kode=kode).values_list("pk", flat=True))


def boleh_mencatat_provinsi(user, periode: Periode, wilayah_kode: str) -> bool:
    """Whether ``user`` performs the province's (and the ministry's) steps of ``periode`` for
    records in ``wilayah_kode``."""
    if not getattr(user, "is_authenticated", False):
        return False
    peran = _peran_ids(peran_pencatat(periode))
    return tugas_untuk(user, Usulan.LAYANAN, wilayah_kode, peran) is not None


def cek_pelaku_provinsi(user, periode: Periode, wilayah_kode: str) -> None:
    """Refuse (``TidakBerwenang``, Indonesian) a province or ministry step by the wrong tier."""
    if boleh_mencatat_provinsi(user, periode, wilayah_kode):
        return
    tugas = [t for t in penugasan_aktif(user) if Usulan.LAYANAN in t.layanan]
    if tugas and all(t.hanya_baca for t in tugas):
        raise TidakBerwenang(
            _("Your office has read-only oversight of this service: it cannot act.")
        )
    if periode.provinsi_portal:
        raise TidakBerwenang(
            _(
                "In round %(p)s the province works in the portal: the province's officers "
                "accept or return the regency batch and record the ministry's answer."
            )
            % {"p": periode.kode}
        )
    raise TidakBerwenang(
        _(
            "In round %(p)s the province does not work in the portal: the regency agency "
            "records the province's steps and the ministry's answer."
        )
        % {"p": periode.kode}
    )


def provinsi_user(user) -> list[Wilayah]:
    """Provinces where ``user`` acts as a province officer (not read-only)."""
    peran = _peran_ids(PERAN_PROVINSI)
    kodes = {
        t.wilayah_kode
        for t in penugasan_aktif(user)
        if not t.hanya_baca and Usulan.LAYANAN in t.layanan and t.peran_ids & peran
    }
    return list(Wilayah.objects.filter(kode__in=kodes, tingkat=Wilayah.Tingkat.PROVINSI))


def periode_provinsi(provinsi_kode: str, kode: str, *, portal: bool | None = None):
    """The rounds with code ``kode`` of every regency of a province (one per regency)."""
    qs = Periode.objects.filter(kode=kode, wilayah__kode__startswith=provinsi_kode + ".")
    if portal is not None:
        qs = qs.filter(provinsi_portal=portal)
    return qs.select_related("wilayah").order_by("wilayah__nama")


def q_periode_sekelompok(periode: Periode, wilayah: Wilayah) -> Q:
    """Proposals a ministry-answer import for ``wilayah`` covers: the round's regency, or, for a
    province import, the rounds with the same code of every regency of the province whose
    province works in the portal."""
    if wilayah.tingkat == Wilayah.Tingkat.PROVINSI:
        return Q(
            periode__kode=periode.kode,
            periode__provinsi_portal=True,
            periode__wilayah__kode__startswith=wilayah.kode + ".",
        )
    return Q(periode=periode, wilayah__kode__startswith=wilayah.kode + ".")
