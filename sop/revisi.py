"""Revisions of an SOP: a draft copy to edit, and putting a draft in force.

An SOP in force is never edited in place; an admin makes a draft revision (a full copy), edits
it, and puts it in force, which archives the revision in force before it. Requests keep the
revision they started under.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Sop
from .pertukaran import simpan_sop, sop_ke_dict, validasi


class RevisiDitolak(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@transaction.atomic
def sop_buat_revisi(*, sop: Sop, user) -> tuple[Sop, bool]:
    """A draft revision of ``sop``'s code copied from ``sop``; (draft, created).

    When a draft of that code exists already it is returned instead of making a second one.
    """
    ada = Sop.objects.filter(kode=sop.kode, status=Sop.Status.DRAF).order_by("-revisi").first()
    if ada is not None:
        return ada, False
    terakhir = Sop.objects.select_for_update().filter(kode=sop.kode).order_by("-revisi").first()
    d = sop_ke_dict(sop, dengan_batas=False)
    return simpan_sop(d, terakhir.revisi + 1, user, status=Sop.Status.DRAF), True


@transaction.atomic
def sop_berlakukan(*, sop: Sop, user) -> Sop:
    """Put the draft ``sop`` in force (after the same checks as an import); archive the old one."""
    sop = Sop.objects.select_for_update().get(pk=sop.pk)
    if sop.status != Sop.Status.DRAF:
        raise RevisiDitolak([_("Only a draft revision can be put in force.")])
    errors = validasi([sop_ke_dict(sop, dengan_batas=False)])
    if errors:
        raise RevisiDitolak(errors)
    Sop.objects.filter(kode=sop.kode, status=Sop.Status.BERLAKU).update(status=Sop.Status.ARSIP)
    sop.status = Sop.Status.BERLAKU
    sop.save(update_fields=["status"])
    return sop
