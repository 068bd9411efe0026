"""Reasons for returning work to the tier below, and telling that tier why.

Every return in BPUM (the village office to the applicant, the district to the village, the
agency to the district, the province to the agency) takes its reasons from one editable
catalogue (``AlasanPengembalian``); a reason marked ``perlu_catatan`` ("Lainnya") needs a note.
The officers of the tier below get a notification that carries the reasons themselves, so the
village officer on a phone reads what to fix without opening the record.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sop.engine import AlasanWajib
from sop.notifikasi import buat_notifikasi, pemegang_peran

from .models import AlasanPengembalian, Usulan


def alasan_dari_katalog(
    alasan_ids: Iterable, catatan: str = ""
) -> tuple[list[AlasanPengembalian], str]:
    """(reasons chosen, the text stored as the transition's note): the reasons' texts then the
    officer's note. Refuses (``AlasanWajib``, Indonesian) no reason at all, and a reason that
    needs a note ("Lainnya") without one."""
    ids = [int(x) for x in alasan_ids or [] if str(x).isdigit()]
    alasan = list(AlasanPengembalian.objects.filter(pk__in=ids, aktif=True).order_by("urutan"))
    catatan = (catatan or "").strip()
    if not alasan:
        raise AlasanWajib(_("Choose at least one reason for returning it."))
    perlu = [a for a in alasan if a.perlu_catatan]
    if perlu and not catatan:
        raise AlasanWajib(
            _("The reason “%(a)s” needs a note: write what is wrong.") % {"a": perlu[0].teks}
        )
    return alasan, "; ".join([a.teks for a in alasan] + ([catatan] if catatan else []))


def simpan_alasan(usulan_ids: Iterable[int], alasan: list[AlasanPengembalian]) -> None:
    """Replace the return reasons of the proposals (one DELETE and one INSERT for a batch)."""
    ids = list(usulan_ids)
    if not ids:
        return
    Through = Usulan.alasan_pengembalian.through
    Through.objects.filter(usulan_id__in=ids).delete()
    Through.objects.bulk_create(
        [Through(usulan_id=u, alasanpengembalian_id=a.pk) for u in ids for a in alasan],
        batch_size=2000,
    )


def beritahu_pengembalian(
    usulan: list[Usulan],
    *,
    langkah,
    dari: str,
    alasan: str,
    url: str,
    kunci: str,
) -> None:
    """After commit: tell the performers of ``langkah`` (the tier below) in the proposals'
    regions that ``dari`` returned them, with the reasons in the notification's text."""
    if not usulan or langkah is None:
        return
    from sop.engine import pelaku_langkah

    wilayah = {u.wilayah_id for u in usulan}
    n = len(usulan)
    contoh = ", ".join(u.nomor for u in usulan[:3]) + (", …" if n > 3 else "")
    judul = ngettext(
        "%(n)s proposal returned by %(dari)s",
        "%(n)s proposals returned by %(dari)s",
        n,
    ) % {"n": n, "dari": dari}
    isi = _("Reason: %(alasan)s. Proposals: %(nomor)s.") % {"alasan": alasan, "nomor": contoh}
    peran = pelaku_langkah(langkah)

    def kirim():
        users = pemegang_peran(Usulan.LAYANAN, wilayah, peran)
        buat_notifikasi(users, judul=judul, isi=isi, url=url, kunci=kunci)

    transaction.on_commit(kirim)
