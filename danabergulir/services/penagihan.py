"""Collection runs (SOP 21/22/23): open, assign, the demand letter, recording, evaluation.

The collection sweep (``danabergulir.sapuan``) opens runs; officers advance them here, each step
through the engine with the seed's performers. The window step's clock starts at the letter's
date (``JalanPenagihan.mulai_jam_langkah``); its end is computed by the same pure function the
engine uses (``sop.tenggat.hitung_tenggat``), so the pay-by date printed on the letter is the
clock's due date.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sop import engine
from sop.engine import GagalTransisi
from sop.jadwal import jadwal_unit
from sop.massal import mulai_proses_massal
from sop.penomoran import register_baru
from sop.tenggat import hitung_tenggat

from ..models import Alokasi, JalanPenagihan, Pembayaran, Pinjaman
from ..models.penagihan import JENDELA, SOP_PENAGIHAN

ROMAWI = {1: "I", 2: "II", 3: "III"}


def tanggal_lokal(now: dt.datetime, unit=None) -> dt.date:
    """The office's calendar date at ``now``."""
    return now.astimezone(ZoneInfo(jadwal_unit(unit).zona)).date()


def posisi_pada(pinjaman: Pinjaman, per: dt.date):
    from ..selectors import posisi_satu

    return posisi_satu(pinjaman, per)


def menunggak(pinjaman: Pinjaman, per: dt.date | None = None) -> bool:
    """True when the loan has unpaid pokok or jasa past due on ``per`` (DPD > 0). Denda alone
    is not arrears: it does not make a loan overdue (docs/adr/0022-dagulir-jalan-sop.md)."""
    per = per or tanggal_lokal(timezone.now(), pinjaman.unit)
    pos = posisi_pada(pinjaman, per)
    return pos is not None and pos.dpd > 0


def akhir_jendela(run: JalanPenagihan, tanggal_surat: dt.date) -> dt.datetime | None:
    """When the window of a letter dated ``tanggal_surat`` ends: the due time of the window
    step's clock started at the letter's date (same function and calendar as the engine)."""
    langkah = run.langkah_sop()[JENDELA]
    jadwal = jadwal_unit(run.unit)
    mulai = dt.datetime.combine(tanggal_surat, dt.time(0, 0), tzinfo=ZoneInfo(jadwal.zona))
    return hitung_tenggat(mulai, run.batas_langkah(langkah) or langkah.batas_obj, jadwal)


# ------------------------------------------------------------------ conditions of the steps
def syarat_langkah_penagihan(run: JalanPenagihan, langkah) -> list[str]:
    """What a step of a collection run still needs (messages for the officer)."""
    kode = langkah.kode
    if kode == "tugaskan-penagihan" and not run.nomor_spt:
        return [_("assign the officer with the assignment letter form")]
    if kode == "tagih" and not run.nomor_surat:
        return [_("issue the demand letter first")]
    if kode == JENDELA:
        return [_("the payment window ends by itself: when the arrears are paid or when it lapses")]
    if kode == "bank-terima-angsuran" and run.tanggal_surat:
        ada = Pembayaran.objects.filter(
            unit_id=run.unit_id, hari__gte=run.tanggal_surat.toordinal()
        ).exists()
        if not ada:
            return [
                _(
                    "no bank statement line dated on or after the letter yet: import the bank statement"
                )
            ]
    if kode == "catat-lapor-angsuran" and run.dibayar_sejak_surat is None:
        return [_("record the installments received since the letter first")]
    return []


# ------------------------------------------------------------------ opening (the sweep)
def penagihan_buka(rencana: list[tuple[Pinjaman, int, int]], *, now: dt.datetime) -> list:
    """Open collection runs for ``(loan, letter, cycle)`` triples, as the system: one bulk
    insert, then their first step's clock and log (``sop.massal.mulai_proses_massal``)."""
    if not rencana:
        return []
    from .proposal import sop_berlaku

    sops = {t: sop_berlaku(SOP_PENAGIHAN[t]) for t in {r[1] for r in rencana}}
    runs = JalanPenagihan.objects.bulk_create(
        JalanPenagihan(
            sop=sops[tingkat][0],
            wilayah_id=p.wilayah_id,
            unit_id=p.unit_id,
            pinjaman=p,
            tingkat=tingkat,
            siklus=siklus,
            status=sops[tingkat][1],
            dibuat=now,
        )
        for p, tingkat, siklus in rencana
    )
    for tingkat in sops:
        kelompok = [r for r in runs if r.tingkat == tingkat]
        mulai_proses_massal(
            kelompok,
            user=None,
            now=now,
            catatan=_("Automatic: letter %(n)s opened by the collection sweep.")
            % {"n": ROMAWI[tingkat]},
        )
    return runs


# ------------------------------------------------------------------ officers' steps
def _terkunci(run: JalanPenagihan) -> JalanPenagihan:
    return (
        JalanPenagihan.objects.select_for_update(of=("self",))
        .select_related("pinjaman", "unit", "pinjaman__debitur")
        .get(pk=run.pk)
    )


def wajib_pelaksana(run, user, tindakan: str) -> None:
    """Refuse early (before a register number is taken or a document is written) when ``user``
    does not perform the run's current step; the engine's guard runs again in ``jalankan``."""
    langkah = run.langkah_untuk(None)
    if engine.cari_izin(run, user, langkah) is None:
        raise engine.TidakBerwenang(
            _("“%(a)s” may only be done by %(r)s of an office whose region covers this request.")
            % {"a": tindakan, "r": engine.nama_peran(langkah) if langkah else "-"}
        )


def _cek_status(run: JalanPenagihan, terlihat: str | None, kode: str) -> None:
    if terlihat is not None and run.status != terlihat:
        raise engine.Konflik(
            _(
                "This record was just changed by another officer (status is now “%(s)s”). "
                "Reload the page and check again."
            )
            % {"s": run.label_status()}
        )
    if run.status != kode:
        raise engine.StatusTidakMengizinkan(
            _("This action is not possible while the status is “%(s)s”.")
            % {"s": run.label_status()}
        )


@transaction.atomic
def penagihan_tugaskan(
    *, run: JalanPenagihan, user, now: dt.datetime | None = None, status_terlihat=None
) -> JalanPenagihan:
    """Step 1: the Kepala UPT assigns an officer; the surat perintah tugas gets its number."""
    now = now or timezone.now()
    run = _terkunci(run)
    _cek_status(run, status_terlihat, "tugaskan-penagihan")
    wajib_pelaksana(run, user, _("Assign the collection"))
    reg = register_baru(unit=run.unit, jenis="DAGULIR-SPT", bagian=("SPT", "UPT-DB"), now=now)
    JalanPenagihan.objects.filter(pk=run.pk).update(nomor_spt=reg.teks)
    return engine.jalankan(run.selesaikan, user=user, now=now)


@transaction.atomic
def penagihan_terbitkan_surat(
    *,
    run: JalanPenagihan,
    user,
    tanggal: dt.date,
    now: dt.datetime | None = None,
    status_terlihat=None,
) -> JalanPenagihan:
    """Step 2: the demand letter, dated ``tanggal``: the arrears on that date, the pay-by date
    (the end of the "6 bulan" window that starts at the letter's date) and the signatory are
    frozen on the run (``dokumen.surat_tagihan_pdf`` renders the letter from them, in figures
    and words). The window step's clock then starts at the letter's date."""
    from ..dokumen import nama_orang, pemegang_peran

    now = now or timezone.now()
    run = _terkunci(run)
    _cek_status(run, status_terlihat, "tagih")
    hari_ini = tanggal_lokal(now, run.unit)
    if tanggal > hari_ini:
        raise GagalTransisi(_("The letter date cannot be in the future."))
    if tanggal < tanggal_lokal(run.dibuat, run.unit):
        raise GagalTransisi(_("The letter date cannot be before this collection run was opened."))
    wajib_pelaksana(run, user, _("Issue the demand letter"))
    pos = posisi_pada(run.pinjaman, tanggal)
    if pos is None or pos.dpd <= 0:
        raise GagalTransisi(
            _("The loan has no arrears on %(t)s: no demand letter is needed.")
            % {"t": tanggal.strftime("%d-%m-%Y")}
        )
    jendela = akhir_jendela(run, tanggal)
    reg = register_baru(
        unit=run.unit,
        jenis="DAGULIR-ST",
        bagian=(f"ST-{ROMAWI[run.tingkat]}", "UPT-DB"),
        now=now,
    )
    run.nomor_surat = reg.teks
    run.tanggal_surat = tanggal
    run.tunggakan_pokok = pos.tunggakan_pokok
    run.tunggakan_jasa = pos.tunggakan_jasa
    run.denda = pos.denda
    run.dpd = pos.dpd
    run.jendela_berakhir = jendela
    run.bayar_paling_lambat = jendela.astimezone(ZoneInfo(jadwal_unit(run.unit).zona)).date()
    JalanPenagihan.objects.filter(pk=run.pk).update(
        penandatangan=pemegang_peran(run.unit, "kepala_upt"),
        disiapkan_oleh=nama_orang(user),
        nomor_surat=run.nomor_surat,
        tanggal_surat=run.tanggal_surat,
        tunggakan_pokok=run.tunggakan_pokok,
        tunggakan_jasa=run.tunggakan_jasa,
        denda=run.denda,
        dpd=run.dpd,
        jendela_berakhir=run.jendela_berakhir,
        bayar_paling_lambat=run.bayar_paling_lambat,
    )
    return engine.jalankan(run.selesaikan, user=user, now=now)


def dibayar_sejak(run: JalanPenagihan) -> int:
    """What the loan's postings dated on or after the letter paid (denda + jasa + pokok)."""
    s = Alokasi.objects.filter(
        pinjaman_id=run.pinjaman_id, aktif=True, hari__gte=run.tanggal_surat.toordinal()
    ).aggregate(p=Sum("pokok"), j=Sum("jasa"), d=Sum("denda"))
    return int((s["p"] or 0) + (s["j"] or 0) + (s["d"] or 0))


@transaction.atomic
def penagihan_catat(
    *, run: JalanPenagihan, user, now: dt.datetime | None = None, status_terlihat=None
) -> JalanPenagihan:
    """Step 5: the officer records what came in since the letter and what is still owed, and
    reports it to the Kepala UPT."""
    now = now or timezone.now()
    run = _terkunci(run)
    _cek_status(run, status_terlihat, "catat-lapor-angsuran")
    wajib_pelaksana(run, user, _("Record the installments"))
    pos = posisi_pada(run.pinjaman, tanggal_lokal(now, run.unit))
    sisa = (pos.tunggakan_pokok + pos.tunggakan_jasa + pos.denda) if pos else 0
    JalanPenagihan.objects.filter(pk=run.pk).update(
        dibayar_sejak_surat=dibayar_sejak(run), sisa_tunggakan=sisa
    )
    return engine.jalankan(run.selesaikan, user=user, now=now)


@transaction.atomic
def penagihan_selesaikan(
    *, run: JalanPenagihan, user, catatan: str = "", now=None, status_terlihat=None
) -> JalanPenagihan:
    """Steps with nothing to record but the completion (the bank's data received, the Kepala
    UPT's evaluation), through the engine."""
    return engine.jalankan(
        run.selesaikan, user=user, catatan=catatan, now=now, status_terlihat=status_terlihat
    )


LAYANAN_LANGKAH = {
    "tugaskan-penagihan": penagihan_tugaskan,
    "catat-lapor-angsuran": penagihan_catat,
}
