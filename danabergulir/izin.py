"""Who may do what in the loan book (one place): petugas record, the Kepala UPT decides.

Reads are scoped by region through ``sop.selectors.filter_lingkup``; writes additionally need
one of these roles in an office whose region holds the record (``sop.selectors.tugas_untuk``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from sop.engine import TidakBerwenang
from sop.models import Pelaksana
from sop.selectors import tugas_untuk

LAYANAN = "danabergulir"
PERAN_PETUGAS = ("petugas_upt", "pengelola_dana_bergulir")
PERAN_KEPALA = ("kepala_upt",)
PERAN_PEMBUKUAN = PERAN_PETUGAS + PERAN_KEPALA


def _ids(kode: tuple[str, ...]) -> set[int]:
    return set(Pelaksana.objects.filter(kode__in=kode).values_list("pk", flat=True))


def boleh(user, wilayah_kode: str, peran: tuple[str, ...] = PERAN_PETUGAS) -> bool:
    """True when ``user`` holds one of ``peran`` in an office whose region holds ``wilayah_kode``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    cache = user.__dict__.setdefault("_dagulir_izin", {})
    kunci = (wilayah_kode, peran)
    if kunci not in cache:
        if (ids := cache.get(peran)) is None:  # the role ids once per request, not per region
            ids = cache[peran] = _ids(peran)
        cache[kunci] = tugas_untuk(user, LAYANAN, wilayah_kode, ids) is not None
    return cache[kunci]


def wajib(user, wilayah_kode: str, peran: tuple[str, ...], tindakan: str) -> None:
    """Raise ``TidakBerwenang`` (a message for the officer) unless ``boleh``."""
    if not boleh(user, wilayah_kode, peran):
        nama = ", ".join(
            Pelaksana.objects.filter(kode__in=peran).order_by("nama").values_list("nama", flat=True)
        )
        raise TidakBerwenang(
            _(
                "%(tindakan)s may only be done by: %(peran)s of the office that holds this loan book."
            )
            % {"tindakan": tindakan, "peran": nama}
        )
