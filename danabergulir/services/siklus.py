"""The SOP 24 monthly cycle: recording, storage, bookkeeping, reports up to the BKD.

Every step completes through the engine by its performer. The bookkeeping step stores the
month's report workbook; the Kepala UPT's report to the Kepala Dinas stores the PDF with the
Kepala UPT's sign-off; the Kepala Dinas records the cover letter to the BKD.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from sop import engine
from sop.engine import GagalTransisi
from sop.models import Unit

from ..laporan import batas_bulan, laporan_bulanan
from ..models import Jaminan, Pembayaran, Pinjaman, SiklusBulanan
from ..models.siklus import SOP_SIKLUS
from .penagihan import tanggal_lokal, wajib_pelaksana


def _akhir(s: SiklusBulanan) -> dt.date:
    return batas_bulan(s.tahun, s.bulan)[1]


def jaminan_belum_kembali(unit: Unit, per: dt.date) -> list[Jaminan]:
    """Collateral of loans paid off by ``per`` that has not gone back to the debtor."""
    from ..selectors import posisi

    lunas = [
        r.id
        for r in posisi(per, Pinjaman.objects.filter(unit=unit), urut=False)
        if r.sisa_pokok == 0 and r.tunggakan_jasa == 0 and r.denda == 0
    ]
    return list(
        Jaminan.objects.filter(pinjaman_id__in=lunas, tanggal_dikembalikan__isnull=True)
        .select_related("pinjaman")
        .order_by("pinjaman__nomor", "pk")
    )


def syarat_langkah_siklus(s: SiklusBulanan, langkah) -> list[str]:
    """What a step of the monthly cycle still needs (messages for the officer)."""
    akhir = _akhir(s)
    kode = langkah.kode
    if kode == "pencatatan":
        n = Pembayaran.objects.filter(
            unit_id=s.unit_id, status=Pembayaran.Status.SUSPENSE, hari__lte=akhir.toordinal()
        ).count()
        if n:
            return [
                _("%(n)s unmatched bank lines up to the month's end: match or dismiss them first")
                % {"n": n}
            ]
    if kode == "penyimpanan":
        belum = jaminan_belum_kembali(s.unit, akhir)
        if belum:
            return [
                _("the collateral of paid-off loans has not been returned: %(d)s")
                % {"d": ", ".join(f"{j.pinjaman.nomor} ({j.nomor_dokumen})" for j in belum[:5])}
            ]
    if kode == "pembukuan" and not s.berkas_laporan:
        return [_("make the month's report workbook first")]
    if kode == "lapor-ke-kadis" and not s.berkas_pdf:
        return [_("the Kepala UPT signs the report off first")]
    if kode == "kirim-ke-bkd" and not (s.nomor_surat_bkd and s.tanggal_kirim_bkd):
        return [_("record the cover letter to the BKD")]
    return []


def buka_siklus(unit: Unit, tahun: int, bulan: int, *, now: dt.datetime) -> SiklusBulanan | None:
    """Open the cycle of ``unit`` for a month (nothing if it exists): the system opens it."""
    if SiklusBulanan.objects.filter(unit=unit, tahun=tahun, bulan=bulan).exists():
        return None
    from .proposal import sop_berlaku

    sop, pertama = sop_berlaku(SOP_SIKLUS)
    s = SiklusBulanan.objects.create(
        sop=sop,
        unit=unit,
        wilayah_id=unit.wilayah_id,
        tahun=tahun,
        bulan=bulan,
        status=pertama,
        dibuat=now,
    )
    engine.mulai_proses(
        s, user=None, now=now, catatan=_("Automatic: the month %(b)s ended.") % {"b": s.kode_bulan}
    )
    return s


def unit_buku() -> list[Unit]:
    """Offices that keep a loan book (they have a product)."""
    from ..models import Produk

    return list(Unit.objects.filter(Exists(Produk.objects.filter(unit=OuterRef("pk")))))


def _terkunci(s: SiklusBulanan) -> SiklusBulanan:
    return SiklusBulanan.objects.select_for_update(of=("self",)).select_related("unit").get(pk=s.pk)


def _cek(s: SiklusBulanan, kode: str, status_terlihat) -> None:
    if (status_terlihat is not None and s.status != status_terlihat) or s.status != kode:
        raise engine.Konflik(
            _(
                "This record was just changed by another officer (status is now “%(s)s”). "
                "Reload the page and check again."
            )
            % {"s": s.label_status()}
        )


@transaction.atomic
def siklus_langkah(*, siklus: SiklusBulanan, user, catatan="", now=None, status_terlihat=None):
    """Complete a step that records nothing else (assignment, recording, storage, report up)."""
    return engine.jalankan(
        siklus.selesaikan, user=user, catatan=catatan, now=now, status_terlihat=status_terlihat
    )


@transaction.atomic
def siklus_pembukuan(*, siklus: SiklusBulanan, user, now=None, status_terlihat=None):
    """Step 4: the month's report workbook (the same figures as the screens) is stored."""
    from ..laporan_berkas import tulis_xlsx

    now = now or timezone.now()
    s = _terkunci(siklus)
    _cek(s, "pembukuan", status_terlihat)
    wajib_pelaksana(s, user, _("Book the month"))
    data = tulis_xlsx(laporan_bulanan(s.unit, s.tahun, s.bulan))
    s.berkas_laporan.save(f"laporan-{s.kode_bulan}.xlsx", ContentFile(data), save=False)
    SiklusBulanan.objects.filter(pk=s.pk).update(berkas_laporan=s.berkas_laporan.name)
    return engine.jalankan(s.selesaikan, user=user, now=now)


@transaction.atomic
def siklus_sahkan(*, siklus: SiklusBulanan, user, now=None, status_terlihat=None):
    """Step 6: the Kepala UPT signs the report off (its PDF, with name and date) and reports
    it to the Kepala Dinas."""
    from ..laporan_berkas import tulis_pdf

    now = now or timezone.now()
    s = _terkunci(siklus)
    _cek(s, "lapor-ke-kadis", status_terlihat)
    wajib_pelaksana(s, user, _("Sign the report off"))
    lap = laporan_bulanan(s.unit, s.tahun, s.bulan)
    pdf = tulis_pdf(lap, disahkan=(user, now))
    s.berkas_pdf.save(f"laporan-{s.kode_bulan}.pdf", ContentFile(pdf), save=False)
    SiklusBulanan.objects.filter(pk=s.pk).update(
        berkas_pdf=s.berkas_pdf.name, disahkan_oleh=user, disahkan_pada=now
    )
    return engine.jalankan(s.selesaikan, user=user, now=now)


@transaction.atomic
def siklus_kirim_bkd(
    *,
    siklus: SiklusBulanan,
    user,
    nomor_surat: str,
    tanggal: dt.date,
    now=None,
    status_terlihat=None,
):
    """Step 7: the Kepala Dinas sends the report to the BKD (its cover letter recorded)."""
    now = now or timezone.now()
    s = _terkunci(siklus)
    _cek(s, "kirim-ke-bkd", status_terlihat)
    wajib_pelaksana(s, user, _("Send the report to the BKD"))
    if not (nomor_surat or "").strip():
        raise GagalTransisi(_("Write the cover letter's number."))
    if tanggal > tanggal_lokal(now, s.unit):
        raise GagalTransisi(_("The sending date cannot be in the future."))
    SiklusBulanan.objects.filter(pk=s.pk).update(
        nomor_surat_bkd=nomor_surat.strip()[:80], tanggal_kirim_bkd=tanggal
    )
    return engine.jalankan(s.selesaikan, user=user, now=now)
