"""Daily domain sweeps of the revolving fund, run by ``manage.py sop_sla`` after the engine's
own sweep (registered in ``Modul(sapuan=...)``; docs/adr/0009 and docs/adr/0022-dagulir-jalan-sop.md).

``sapu_penagihan``: the collection escalation, set-based and idempotent:

1. the position of every active loan on the day (one SQL statement, ``selectors.posisi``);
2. a loan with no arrears left ends its open collection cycle: letters not yet sent are
   cancelled, a letter waiting in its payment window moves on to the bank's data, a loan
   queued for a decision is active again (system transitions, one batch each);
3. a loan in arrears (DPD > 0) without an open cycle gets letter I;
4. a loan still in arrears whose latest letter's window (I or II) has lapsed gets the next
   letter; after letter III's window it is queued for a decision (restructuring or write-off).

Run twice on the same day, the second run finds nothing to do.

``buka_siklus_bulanan``: opens the SOP 24 cycle of each loan-book office for the month that
ended.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sop.massal import jalankan_massal, potong

from .models import JalanPenagihan, Pinjaman
from .models.penagihan import JENDELA
from .selectors import posisi
from .services.penagihan import penagihan_buka, tanggal_lokal
from .services.siklus import buka_siklus, unit_buku

S = Pinjaman.Status
BELUM_TERBIT = ("tugaskan-penagihan", "tagih")


def _kunci(model, ids, **extra) -> list:
    """Rows of ``model`` with these ids, locked (the batch transitions' rule), in id order."""
    hasil = []
    for bagian in potong(sorted(ids)):
        hasil += list(
            model.objects.select_for_update(of=("self",))
            .filter(pk__in=bagian, **extra)
            .select_related(*model.TERKAIT_TRANSISI)
            .order_by("pk")
        )
    return hasil


@transaction.atomic  # its row locks need a transaction when called outside sop_sla's
def sapu_penagihan(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    hari = tanggal_lokal(now)
    aktif = Pinjaman.objects.filter(
        status__in=[S.AKTIF, S.MENUNGGU_KEPUTUSAN], hari_pencairan__lte=hari.toordinal()
    )
    pos = {r.id: r for r in posisi(hari, aktif, urut=False)}
    menunggak = {pk for pk, r in pos.items() if r.dpd > 0}
    status = dict(aktif.values_list("pk", "status"))

    # the open cycles: each loan's latest letter
    terakhir: dict[int, dict] = {}
    per_pinjaman: dict[int, list[dict]] = defaultdict(list)
    for r in JalanPenagihan.objects.filter(siklus_ditutup__isnull=True).values(
        "pk", "pinjaman_id", "tingkat", "siklus", "status", "jendela_berakhir"
    ):
        per_pinjaman[r["pinjaman_id"]].append(r)
        if r["pinjaman_id"] not in terakhir or r["tingkat"] > terakhir[r["pinjaman_id"]]["tingkat"]:
            terakhir[r["pinjaman_id"]] = r
    hasil = {"surat_1": 0, "surat_2": 0, "surat_3": 0, "keputusan": 0, "siklus_ditutup": 0}

    # 2. cycles that end: no arrears any more (or the loan left the book)
    tutup = [pk for pk in per_pinjaman if pk not in menunggak]
    if tutup:
        runs = [r for pk in tutup for r in per_pinjaman[pk]]
        batal = _kunci(JalanPenagihan, [r["pk"] for r in runs if r["status"] in BELUM_TERBIT])
        lunas = _kunci(JalanPenagihan, [r["pk"] for r in runs if r["status"] == JENDELA])
        catatan = _("Automatic: the arrears are paid.")
        jalankan_massal(batal, "batalkan", user=None, now=now, catatan=catatan)
        jalankan_massal(lunas, "tunggakan_lunas", user=None, now=now, catatan=catatan)
        kembali = _kunci(
            Pinjaman,
            [pk for pk in tutup if status.get(pk) == S.MENUNGGU_KEPUTUSAN],
            status=S.MENUNGGU_KEPUTUSAN,
        )
        jalankan_massal(kembali, "kembali_aktif", user=None, now=now, catatan=catatan)
        for bagian in potong(tutup):
            JalanPenagihan.objects.filter(
                pinjaman_id__in=bagian, siklus_ditutup__isnull=True
            ).update(siklus_ditutup=now)
        hasil["siklus_ditutup"] = len(tutup)

    # 3-4. letters to open and loans to queue
    buka: list[tuple[int, int, int | None]] = []  # (loan, letter, cycle or None = new)
    antre: list[int] = []
    for pk in menunggak:
        r = terakhir.get(pk)
        if r is None:
            if status.get(pk) == S.AKTIF:
                buka.append((pk, 1, None))
            continue
        lewat = r["jendela_berakhir"] is not None and r["jendela_berakhir"] <= now
        if not lewat:
            continue
        if r["tingkat"] < 3:
            buka.append((pk, r["tingkat"] + 1, r["siklus"]))
        elif status.get(pk) == S.AKTIF:
            antre.append(pk)
    if buka:
        baru = [pk for pk, _t, s in buka if s is None]
        siklus_lalu = {}
        for bagian in potong(baru):
            siklus_lalu.update(
                JalanPenagihan.objects.filter(pinjaman_id__in=bagian)
                .values("pinjaman_id")
                .annotate(m=Max("siklus"))
                .values_list("pinjaman_id", "m")
            )
        pinjaman = {p.pk: p for p in _kunci(Pinjaman, [pk for pk, _t, _s in buka])}
        rencana = [
            (pinjaman[pk], t, s if s is not None else siklus_lalu.get(pk, 0) + 1)
            for pk, t, s in sorted(buka)
            if pk in pinjaman
        ]
        for run in penagihan_buka(rencana, now=now):
            hasil[f"surat_{run.tingkat}"] += 1
    if antre:
        objs = _kunci(Pinjaman, antre, status=S.AKTIF)
        jalankan_massal(
            objs,
            "antrekan_keputusan",
            user=None,
            now=now,
            catatan=_("Automatic: letter III's window lapsed with arrears still owed."),
        )
        hasil["keputusan"] = len(objs)
    return hasil


def buka_siklus_bulanan(now: dt.datetime | None = None) -> dict[str, int]:
    """Open SOP 24 for the month that ended, for every office with a loan book."""
    now = now or timezone.now()
    hari = tanggal_lokal(now)
    lalu = hari.replace(day=1) - dt.timedelta(days=1)
    n = sum(1 for u in unit_buku() if buka_siklus(u, lalu.year, lalu.month, now=now))
    return {"siklus_dibuka": n}
