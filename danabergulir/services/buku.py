"""Writes of the loan book: loans and their schedules, postings, reversals, matching, collateral.

Keyword-only functions named ``<thing>_<action>``; each runs in one transaction, checks the
officer's role through ``izin`` and raises ``sop.engine.GagalTransisi`` subclasses with a
message for the officer. Postings of one office are serialised by locking the office row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sop.engine import GagalTransisi
from sop.models import Unit

from .. import izin
from ..hitung import Metode, jadwal
from ..models import (
    Alokasi,
    Angsuran,
    Debitur,
    JadwalVersi,
    Jaminan,
    Pembalikan,
    Pembayaran,
    Pinjaman,
    Produk,
)
from ..posting import (
    Pencocok,
    alokasikan_baru,
    kunci_ada,
    kunci_urut,
    nomor_pinjaman_unit,
    putar_ulang_pinjaman,
)
from ..sisip import sisip

S = Pembayaran.Status
A = Pembayaran.AlasanSuspense


# ------------------------------------------------------------------ loans and schedules
def _angsuran_versi(versi: JadwalVersi, *, tunggakan_jasa: int = 0, denda: int = 0):
    baris = jadwal(
        pokok=versi.pokok,
        jasa_persen=versi.jasa_persen,
        tenor=versi.tenor,
        metode=versi.metode,
        jatuh_tempo_pertama=versi.jatuh_tempo_pertama,
        masa_tenggang=versi.masa_tenggang,
    )
    rows = [
        Angsuran(
            versi=versi,
            pinjaman_id=versi.pinjaman_id,
            ke=b.ke,
            jatuh_tempo=b.jatuh_tempo,
            hari=b.jatuh_tempo.toordinal(),
            pokok=b.pokok,
            jasa=b.jasa,
        )
        for b in baris
    ]
    if tunggakan_jasa or denda:
        rows.insert(
            0,
            Angsuran(
                versi=versi,
                pinjaman_id=versi.pinjaman_id,
                ke=0,
                jatuh_tempo=versi.berlaku_mulai,
                hari=versi.berlaku_mulai.toordinal(),
                pokok=0,
                jasa=tunggakan_jasa,
                denda_tetap=denda,
            ),
        )
    return rows


def versi_buat(
    *,
    pinjaman: Pinjaman,
    user,
    jenis: str,
    mulai: dt.date,
    pokok: int,
    jasa_persen: Decimal,
    metode: str,
    tenor: int,
    masa_tenggang: int,
    jatuh_tempo_pertama: dt.date,
    bentuk: str = "",
    alasan: str = "",
    tunggakan_jasa: int = 0,
    denda: int = 0,
    now=None,
) -> JadwalVersi:
    """Close the loan's current schedule at ``mulai`` and add the next version from it."""
    lama = JadwalVersi.objects.filter(pinjaman=pinjaman, hari_sampai__isnull=True).first()
    if lama is not None:
        # a correction replaces the old terms from the start: the old version never applied
        koreksi = jenis == JadwalVersi.Jenis.KOREKSI
        lama.berlaku_sampai = lama.berlaku_mulai if koreksi else max(mulai, lama.berlaku_mulai)
        lama.save(update_fields=["berlaku_sampai", "hari_sampai"])
    versi = JadwalVersi.objects.create(
        pinjaman=pinjaman,
        nomor=(lama.nomor + 1) if lama else 1,
        jenis=jenis,
        bentuk=bentuk,
        berlaku_mulai=mulai,
        pokok=pokok,
        jasa_persen=jasa_persen,
        metode=metode,
        tenor=tenor,
        masa_tenggang=masa_tenggang,
        jatuh_tempo_pertama=jatuh_tempo_pertama,
        alasan=alasan,
        dibuat=now or timezone.now(),
        dibuat_oleh=user,
    )
    Angsuran.objects.bulk_create(_angsuran_versi(versi, tunggakan_jasa=tunggakan_jasa, denda=denda))
    return versi


def cek_syarat(
    *,
    plafon: int,
    jasa_persen: Decimal,
    tenor: int,
    masa_tenggang: int,
    tanggal_pencairan: dt.date,
    jatuh_tempo_pertama: dt.date,
    produk: Produk | None = None,
) -> list[tuple[str, str]]:
    """(field, message) for loan terms that cannot make a schedule or break the product."""
    galat = []
    if plafon < 1:
        galat.append(("plafon", _("The amount must be at least Rp1.")))
    if not (0 <= jasa_persen <= 100):
        galat.append(("jasa_persen", _("The service fee must be between 0 and 100 % per year.")))
    if not (1 <= tenor <= 600):
        galat.append(("tenor", _("The tenor must be between 1 and 600 months.")))
    elif not (0 <= masa_tenggang < tenor):
        galat.append(("masa_tenggang", _("Grace months must be fewer than the tenor.")))
    if jatuh_tempo_pertama <= tanggal_pencairan:
        galat.append(
            (
                "jatuh_tempo_pertama",
                _("The first due date must be after the disbursement date."),
            )
        )
    if produk is not None and not (produk.plafon_min <= plafon <= produk.plafon_maks):
        galat.append(("plafon", _("The amount is outside the product's minimum and maximum.")))
    return galat


@transaction.atomic
def pinjaman_buat(
    *,
    user,
    unit: Unit,
    debitur: Debitur,
    produk: Produk,
    nomor: str,
    plafon: int,
    jasa_persen: Decimal,
    metode: str,
    tenor: int,
    tanggal_pencairan: dt.date,
    jatuh_tempo_pertama: dt.date,
    masa_tenggang: int = 0,
    tujuan: str = "",
    sumber: str = Pinjaman.Sumber.IMPOR,
    cek_produk: bool = False,
    now=None,
) -> Pinjaman:
    """An active loan with its schedule version 1 (from the disbursement date)."""
    izin.wajib(user, debitur.wilayah_id, izin.PERAN_PETUGAS, _("Recording a loan"))
    galat = cek_syarat(
        plafon=plafon,
        jasa_persen=Decimal(jasa_persen),
        tenor=tenor,
        masa_tenggang=masa_tenggang,
        tanggal_pencairan=tanggal_pencairan,
        jatuh_tempo_pertama=jatuh_tempo_pertama,
        produk=produk if cek_produk else None,
    )
    if galat:
        raise GagalTransisi(" ".join(m for _f, m in galat))
    p = Pinjaman.objects.create(
        nomor=nomor.strip(),
        unit=unit,
        wilayah_id=debitur.wilayah_id,
        kecamatan_id=debitur.kecamatan_id,
        debitur=debitur,
        produk=produk,
        plafon=plafon,
        jasa_persen=jasa_persen,
        metode=Metode(metode).value,
        tenor=tenor,
        masa_tenggang=masa_tenggang,
        denda_ppm=produk.denda_ppm,
        tanggal_pencairan=tanggal_pencairan,
        jatuh_tempo_pertama=jatuh_tempo_pertama,
        tujuan=tujuan,
        sumber=sumber,
        dibuat=now or timezone.now(),
        dibuat_oleh=user,
    )
    versi_buat(
        pinjaman=p,
        user=user,
        jenis=JadwalVersi.Jenis.AWAL,
        mulai=tanggal_pencairan,
        pokok=plafon,
        jasa_persen=jasa_persen,
        metode=p.metode,
        tenor=tenor,
        masa_tenggang=masa_tenggang,
        jatuh_tempo_pertama=jatuh_tempo_pertama,
        now=now,
    )
    return p


# ------------------------------------------------------------------ postings
@dataclass
class RencanaPosting:
    """What posting a statement's credit lines would do (computed again under the lock)."""

    kunci: list[str] = field(default_factory=list)
    pinjaman: list[int | None] = field(default_factory=list)
    alasan: list[str] = field(default_factory=list)
    duplikat: list[bool] = field(default_factory=list)

    def hitungan(self) -> dict[str, int]:
        dup = sum(self.duplikat)
        cocok = sum(1 for d, p in zip(self.duplikat, self.pinjaman, strict=True) if not d and p)
        return {"posted": cocok, "duplicate": dup, "unmatched": len(self.duplikat) - dup - cocok}


def rencanakan_posting(unit_id: int, baris: Sequence) -> RencanaPosting:
    """Keys, duplicates and loan matches for credit lines (objects with tanggal, jumlah,
    referensi, keterangan, saldo). A constant number of queries per 1,000 lines."""
    r = RencanaPosting(kunci=kunci_urut(baris))
    ada = kunci_ada(unit_id, r.kunci)
    nomor = nomor_pinjaman_unit(unit_id)
    pencocok = Pencocok({n: pk for n, (pk, _h) in nomor.items()})
    cocok = [pencocok.cari(b.keterangan) for b in baris]
    mulai = (
        dict(
            JadwalVersi.objects.filter(
                pinjaman_id__in={c[0] for c in cocok if len(c) == 1}, hari_sampai__isnull=True
            ).values_list("pinjaman_id", "hari_mulai")
        )
        if any(len(c) == 1 for c in cocok)
        else {}
    )
    dalam_berkas: set[str] = set()
    for b, k, c in zip(baris, r.kunci, cocok, strict=True):
        r.duplikat.append(k in ada or k in dalam_berkas)
        dalam_berkas.add(k)
        if len(c) == 1 and b.tanggal.toordinal() >= mulai.get(c[0], 10**9):
            r.pinjaman.append(c[0])
            r.alasan.append("")
        else:
            r.pinjaman.append(None)
            r.alasan.append(
                A.TANPA_NOMOR if not c else A.NOMOR_GANDA if len(c) > 1 else A.SEBELUM_JADWAL
            )
    return r


@dataclass(frozen=True, slots=True)
class _Posting:
    """What allocation needs of a freshly inserted payment row."""

    pk: int
    pinjaman_id: int
    tanggal: dt.date
    hari: int
    jumlah: Decimal


@transaction.atomic
def rekening_posting(*, unit: Unit, baris: Sequence, user, impor=None, now=None) -> dict[str, int]:
    """Post a statement's credit lines: duplicates skip, matched lines post with their
    allocation, the rest go to the suspense list. Returns posted/duplicate/unmatched counts."""
    izin.wajib(user, unit.wilayah_id, izin.PERAN_PETUGAS, _("Posting a bank statement"))
    now = now or timezone.now()
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    r = rencanakan_posting(unit.pk, baris)
    rows = [
        {
            "unit_id": unit.pk,
            "pinjaman_id": pid,
            "status": S.DIPOSTING if pid else S.SUSPENSE,
            "alasan_suspense": alasan,
            "tanggal": b.tanggal,
            "hari": b.tanggal.toordinal(),
            "jumlah": b.jumlah,
            "referensi": (b.referensi or "")[:80],
            "keterangan": (b.keterangan or "")[:500],
            "saldo": b.saldo,
            "kunci": k,
            "sumber": getattr(b, "sumber", Pembayaran.Sumber.REKENING),
            "impor_id": impor.pk if impor is not None else None,
            "baris": getattr(b, "row", None),
            "dibuat": now,
            "dibuat_oleh_id": user.pk,
        }
        for b, k, pid, alasan, dup in zip(
            baris, r.kunci, r.pinjaman, r.alasan, r.duplikat, strict=True
        )
        if not dup
    ]
    sisip(Pembayaran, rows)
    diposting = [d for d in rows if d["pinjaman_id"]]
    pk = kunci_ada(unit.pk, [d["kunci"] for d in diposting])
    alokasikan_baru(
        [
            _Posting(pk[d["kunci"]], d["pinjaman_id"], d["tanggal"], d["hari"], d["jumlah"])
            for d in diposting
        ],
        now=now,
    )
    return r.hitungan()


def _pembayaran_terkunci(pembayaran: Pembayaran) -> Pembayaran:
    Unit.objects.select_for_update().filter(pk=pembayaran.unit_id).first()
    return Pembayaran.objects.select_for_update().get(pk=pembayaran.pk)


@transaction.atomic
def pembayaran_balik(*, pembayaran: Pembayaran, user, alasan: str, now=None) -> Pembalikan:
    """Reverse a posting with a reason: its allocation is switched off, the loan is replayed
    (allocation, denda and DPD as if the line had never posted) and the line goes back to the
    suspense list, where it can be matched to the right loan or dismissed."""
    now = now or timezone.now()
    p = _pembayaran_terkunci(pembayaran)
    if p.status != S.DIPOSTING or p.pinjaman_id is None:
        raise GagalTransisi(_("Only a posted payment can be reversed."))
    pinjaman = p.pinjaman
    izin.wajib(user, pinjaman.wilayah_id, izin.PERAN_PEMBUKUAN, _("Reversing a payment"))
    if not (alasan or "").strip():
        raise GagalTransisi(_("Give the reason for the reversal."))
    mulai = JadwalVersi.objects.get(pinjaman=pinjaman, hari_sampai__isnull=True).hari_mulai
    if p.hari < mulai:
        raise GagalTransisi(
            _("This payment belongs to an earlier schedule version and cannot be reversed here.")
        )
    balik = Pembalikan.objects.create(
        pembayaran=p, pinjaman=pinjaman, jumlah=p.jumlah, alasan=alasan.strip(), oleh=user, pada=now
    )
    Alokasi.objects.filter(pembayaran=p, aktif=True).update(aktif=False, dinonaktifkan_pada=now)
    p.status, p.alasan_suspense, p.pinjaman = S.SUSPENSE, A.DIBALIK, None
    p.dicocokkan_oleh = p.dicocokkan_pada = None
    p.save(
        update_fields=[
            "status",
            "alasan_suspense",
            "pinjaman",
            "dicocokkan_oleh",
            "dicocokkan_pada",
        ]
    )
    putar_ulang_pinjaman(pinjaman.pk, now=now)
    return balik


@transaction.atomic
def pembayaran_cocokkan(*, pembayaran: Pembayaran, pinjaman: Pinjaman, user, now=None):
    """Post a suspense line to ``pinjaman`` by hand (the loan is replayed)."""
    now = now or timezone.now()
    p = _pembayaran_terkunci(pembayaran)
    if p.status != S.SUSPENSE:
        raise GagalTransisi(_("Only an unmatched line can be matched."))
    if pinjaman.unit_id != p.unit_id:
        raise GagalTransisi(_("The loan belongs to another office's book."))
    izin.wajib(user, pinjaman.wilayah_id, izin.PERAN_PETUGAS, _("Matching a payment"))
    mulai = JadwalVersi.objects.get(pinjaman=pinjaman, hari_sampai__isnull=True).hari_mulai
    if p.hari < mulai:
        raise GagalTransisi(
            _("The value date is before the loan's disbursement or current schedule.")
        )
    p.pinjaman, p.status, p.alasan_suspense = pinjaman, S.DIPOSTING, ""
    p.dicocokkan_oleh, p.dicocokkan_pada = user, now
    p.save(
        update_fields=[
            "pinjaman",
            "status",
            "alasan_suspense",
            "dicocokkan_oleh",
            "dicocokkan_pada",
        ]
    )
    alokasikan_baru([p], now=now, putar_ulang_semua=True)
    return p


@transaction.atomic
def pembayaran_abaikan(*, pembayaran: Pembayaran, user, catatan: str, now=None):
    """Mark a suspense line as not an installment (bank interest, a transfer), with a note."""
    p = _pembayaran_terkunci(pembayaran)
    if p.status != S.SUSPENSE:
        raise GagalTransisi(_("Only an unmatched line can be dismissed."))
    izin.wajib(user, p.unit.wilayah_id, izin.PERAN_PETUGAS, _("Dismissing a bank line"))
    if not (catatan or "").strip():
        raise GagalTransisi(_("Say why this line is not an installment."))
    p.status, p.catatan = S.BUKAN_ANGSURAN, catatan.strip()[:300]
    p.dicocokkan_oleh, p.dicocokkan_pada = user, now or timezone.now()
    p.save(update_fields=["status", "catatan", "dicocokkan_oleh", "dicocokkan_pada"])
    return p


# ------------------------------------------------------------------ collateral
@transaction.atomic
def jaminan_tambah(*, pinjaman: Pinjaman, user, **data) -> Jaminan:
    izin.wajib(user, pinjaman.wilayah_id, izin.PERAN_PETUGAS, _("Registering collateral"))
    j = Jaminan(pinjaman=pinjaman, **data)
    j.full_clean()
    j.save()
    return j


@transaction.atomic
def jaminan_kembalikan(*, jaminan: Jaminan, user, tanggal: dt.date, kepada: str) -> Jaminan:
    """Record that the collateral went back to the debtor (on payoff)."""
    j = (
        Jaminan.objects.select_for_update(of=("self",))
        .select_related("pinjaman")
        .get(pk=jaminan.pk)
    )
    izin.wajib(user, j.pinjaman.wilayah_id, izin.PERAN_PETUGAS, _("Returning collateral"))
    if j.tanggal_dikembalikan:
        raise GagalTransisi(_("This collateral has already been returned."))
    if tanggal < j.tanggal_diterima:
        raise GagalTransisi(_("The return date is before the date it was received."))
    j.tanggal_dikembalikan, j.dikembalikan_kepada = tanggal, kepada.strip()[:200]
    j.save(update_fields=["tanggal_dikembalikan", "dikembalikan_kepada"])
    return j
