"""Restructuring and write-off: decisions outside any SOP, through the engine's one guard.

Restructuring: the officer proposes a new schedule over the remaining pokok; the Kepala UPT
approves (the version is added at once and the loan's collection cycle ends) or refuses with a
reason. Write-off: only a Macet loan whose letter III window lapsed (the sweep has queued it),
with an SK number; the Kepala UPT approves, then the Kepala Dinas (another person) approves and
writes the loan off. Recoveries after a write-off are still posted (and reported apart).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sop import engine
from sop.engine import GagalTransisi

from .. import izin
from ..hitung.alokasi import posisi
from ..models import HapusBuku, JadwalVersi, JalanPenagihan, Pinjaman, Restrukturisasi
from ..posting import muat_keadaan
from .buku import versi_buat
from .penagihan import posisi_pada, tanggal_lokal


# ------------------------------------------------------------------ conditions
def jendela_iii_lewat(pinjaman: Pinjaman, now: dt.datetime) -> bool:
    """Letter III of the loan's open collection cycle went out and its window has ended."""
    return JalanPenagihan.objects.filter(
        pinjaman=pinjaman,
        siklus_ditutup__isnull=True,
        tingkat=3,
        jendela_berakhir__lte=now,
    ).exists()


def kelas_macet(pinjaman: Pinjaman, per: dt.date) -> bool:
    """The loan is in the profile's last (worst) class on ``per``."""
    pos = posisi_pada(pinjaman, per)
    if pos is None or pos.kelas_urutan is None:
        return False
    terburuk = pinjaman.produk.profil.kelas.order_by("-urutan").values_list("urutan", flat=True)
    return pos.kelas_urutan == terburuk[0]


def syarat_pinjaman(pinjaman: Pinjaman, nama: str) -> list[str]:
    if nama == "hapus_buku":
        now = timezone.now()
        kurang = []
        if not HapusBuku.objects.filter(
            pinjaman=pinjaman, status=HapusBuku.Status.DISETUJUI_KAUPT
        ).exists():
            kurang.append(_("the write-off must first be approved by the Kepala UPT"))
        if not kelas_macet(pinjaman, tanggal_lokal(now, pinjaman.unit)):
            kurang.append(_("only a loan in the Macet class can be written off"))
        if not jendela_iii_lewat(pinjaman, now):
            kurang.append(_("letter III's window has not lapsed yet"))
        return kurang
    if (
        nama == "terapkan_restrukturisasi"
        and not Restrukturisasi.objects.filter(
            pinjaman=pinjaman, status=Restrukturisasi.Status.DISETUJUI, versi__isnull=True
        ).exists()
    ):
        return [_("there is no approved restructuring to apply")]
    return []


def syarat_restrukturisasi(r: Restrukturisasi) -> list[str]:
    if r.pinjaman.status not in (Pinjaman.Status.AKTIF, Pinjaman.Status.MENUNGGU_KEPUTUSAN):
        return [_("the loan has been written off")]
    try:
        cek_restrukturisasi(r.pinjaman, r.tanggal, r.jatuh_tempo_pertama)
    except GagalTransisi as e:
        return [str(e)]
    return []


def syarat_hapus_buku(h: HapusBuku, nama: str) -> list[str]:
    if nama == "setujui_kepala_dinas" and h.disetujui_1_oleh_id is None:
        return [_("the Kepala UPT has not approved yet")]
    return []


# ------------------------------------------------------------------ restructuring
def cek_restrukturisasi(pinjaman: Pinjaman, tanggal: dt.date, jatuh_tempo_pertama: dt.date):
    """The loan's position on ``tanggal`` when a restructuring from that date is possible;
    else ``GagalTransisi`` with the reason."""
    k = muat_keadaan([pinjaman.pk])[pinjaman.pk]
    if tanggal.toordinal() <= max(k.hari_terakhir, k.hari_mulai):
        raise GagalTransisi(
            _("A restructuring must be dated after the loan's last posting and schedule start.")
        )
    pos = posisi(k.angsuran, tanggal, k.ppm)
    if pos.sisa_pokok <= 0:
        raise GagalTransisi(_("This loan has no remaining principal to restructure."))
    if jatuh_tempo_pertama <= tanggal:
        raise GagalTransisi(_("The first due date must be after the restructuring date."))
    return pos


@transaction.atomic
def restrukturisasi_ajukan(
    *,
    pinjaman: Pinjaman,
    user,
    tanggal: dt.date,
    bentuk: str,
    jasa_persen: Decimal,
    metode: str,
    tenor: int,
    jatuh_tempo_pertama: dt.date,
    alasan: str,
    masa_tenggang: int = 0,
    now: dt.datetime | None = None,
) -> Restrukturisasi:
    """The officer proposes a restructuring (its terms are checked now and again at approval)."""
    now = now or timezone.now()
    izin.wajib(user, pinjaman.wilayah_id, izin.PERAN_PETUGAS, _("Proposing a restructuring"))
    if not (alasan or "").strip():
        raise GagalTransisi(_("Give the reason for the restructuring."))
    pinjaman = Pinjaman.objects.select_for_update().get(pk=pinjaman.pk)
    if pinjaman.status not in (Pinjaman.Status.AKTIF, Pinjaman.Status.MENUNGGU_KEPUTUSAN):
        raise GagalTransisi(_("A written-off loan cannot be restructured."))
    if Restrukturisasi.objects.filter(
        pinjaman=pinjaman, status=Restrukturisasi.Status.DIAJUKAN
    ).exists():
        raise GagalTransisi(_("A restructuring of this loan is already waiting for approval."))
    cek_restrukturisasi(pinjaman, tanggal, jatuh_tempo_pertama)
    r = Restrukturisasi.objects.create(
        pinjaman=pinjaman,
        unit=pinjaman.unit,
        wilayah_id=pinjaman.wilayah_id,
        bentuk=bentuk,
        tanggal=tanggal,
        jasa_persen=jasa_persen,
        metode=metode,
        tenor=tenor,
        masa_tenggang=masa_tenggang,
        jatuh_tempo_pertama=jatuh_tempo_pertama,
        alasan=alasan.strip(),
        diajukan=now,
        diajukan_oleh=user,
    )
    engine.mulai_proses(r, user=user, now=now, catatan=r.alasan)
    return r


@transaction.atomic
def restrukturisasi_setujui(
    *, restrukturisasi: Restrukturisasi, user, catatan: str = "", now=None
) -> Restrukturisasi:
    """The Kepala UPT approves: the new schedule version from the restructuring's date (the old
    one is kept), the loan's open collection cycle ends, the loan is active again."""
    now = now or timezone.now()
    r = engine.jalankan(restrukturisasi.setujui, user=user, catatan=catatan, now=now)
    pinjaman = Pinjaman.objects.select_for_update().get(pk=r.pinjaman_id)
    pos = cek_restrukturisasi(pinjaman, r.tanggal, r.jatuh_tempo_pertama)
    versi = versi_buat(
        pinjaman=pinjaman,
        user=user,
        jenis=JadwalVersi.Jenis.RESTRUKTURISASI,
        bentuk=r.bentuk,
        mulai=r.tanggal,
        pokok=pos.sisa_pokok,
        jasa_persen=r.jasa_persen,
        metode=r.metode,
        tenor=r.tenor,
        masa_tenggang=r.masa_tenggang,
        jatuh_tempo_pertama=r.jatuh_tempo_pertama,
        alasan=r.alasan,
        tunggakan_jasa=pos.tunggakan_jasa,
        denda=pos.denda,
        now=now,
    )
    engine.jalankan(pinjaman.terapkan_restrukturisasi, user=user, catatan=r.alasan, now=now)
    Restrukturisasi.objects.filter(pk=r.pk).update(versi=versi)
    JalanPenagihan.objects.filter(pinjaman=pinjaman, siklus_ditutup__isnull=True).update(
        siklus_ditutup=now
    )
    return Restrukturisasi.objects.get(pk=r.pk)


@transaction.atomic
def restrukturisasi_tolak(*, restrukturisasi: Restrukturisasi, user, alasan: str, now=None):
    return engine.jalankan(restrukturisasi.tolak, user=user, catatan=alasan, now=now)


# ------------------------------------------------------------------ write-off
@transaction.atomic
def hapus_buku_ajukan(
    *,
    pinjaman: Pinjaman,
    user,
    jenis: str,
    nomor_sk: str,
    tanggal_sk: dt.date,
    alasan: str,
    now: dt.datetime | None = None,
) -> HapusBuku:
    """The officer proposes a write-off of a loan queued for a decision after letter III."""
    now = now or timezone.now()
    izin.wajib(user, pinjaman.wilayah_id, izin.PERAN_PETUGAS, _("Proposing a write-off"))
    pinjaman = Pinjaman.objects.select_for_update().select_related("unit").get(pk=pinjaman.pk)
    if not (alasan or "").strip():
        raise GagalTransisi(_("Give the reason for the write-off."))
    if not (nomor_sk or "").strip():
        raise GagalTransisi(_("Write the decree (SK) number of the write-off."))
    if jenis not in HapusBuku.Jenis.values:
        raise GagalTransisi(_("Choose a conditional or an absolute write-off."))
    if pinjaman.status != Pinjaman.Status.MENUNGGU_KEPUTUSAN:
        raise GagalTransisi(
            _("Only a loan queued for a decision after letter III can be written off.")
        )
    if not kelas_macet(pinjaman, tanggal_lokal(now, pinjaman.unit)):
        raise GagalTransisi(_("Only a loan in the Macet class can be written off."))
    if not jendela_iii_lewat(pinjaman, now):
        raise GagalTransisi(_("Letter III's window has not lapsed yet."))
    if HapusBuku.objects.filter(
        pinjaman=pinjaman,
        status__in=[HapusBuku.Status.DIAJUKAN, HapusBuku.Status.DISETUJUI_KAUPT],
    ).exists():
        raise GagalTransisi(_("A write-off of this loan is already waiting for approval."))
    h = HapusBuku.objects.create(
        pinjaman=pinjaman,
        unit=pinjaman.unit,
        wilayah_id=pinjaman.wilayah_id,
        jenis=jenis,
        nomor_sk=nomor_sk.strip(),
        tanggal_sk=tanggal_sk,
        alasan=alasan.strip(),
        diajukan=now,
        diajukan_oleh=user,
    )
    engine.mulai_proses(h, user=user, now=now, catatan=h.alasan)
    return h


@transaction.atomic
def hapus_buku_setujui(*, hapus_buku: HapusBuku, user, catatan: str = "", now=None) -> HapusBuku:
    """First approval (Kepala UPT) or second (Kepala Dinas, another person): the second
    writes the loan off through the loan's own transition."""
    now = now or timezone.now()
    h = HapusBuku.objects.select_for_update().get(pk=hapus_buku.pk)
    if h.status == HapusBuku.Status.DIAJUKAN:
        return engine.jalankan(
            h.setujui_kepala_upt, user=user, catatan=catatan, now=now, kwargs={"oleh": user}
        )
    if h.disetujui_1_oleh_id == getattr(user, "pk", None):
        raise engine.TidakBerwenang(
            _("The second approval must come from another person than the first.")
        )
    pinjaman = Pinjaman.objects.get(pk=h.pinjaman_id)
    engine.jalankan(
        pinjaman.hapus_buku,
        user=user,
        catatan=f"{h.get_jenis_display()} · SK {h.nomor_sk}",
        now=now,
        kwargs={"jenis": h.jenis, "tanggal": tanggal_lokal(now, pinjaman.unit)},
    )
    JalanPenagihan.objects.filter(pinjaman=pinjaman, siklus_ditutup__isnull=True).update(
        siklus_ditutup=now
    )
    return engine.jalankan(
        h.setujui_kepala_dinas, user=user, catatan=catatan, now=now, kwargs={"oleh": user}
    )


@transaction.atomic
def hapus_buku_tolak(*, hapus_buku: HapusBuku, user, alasan: str, now=None) -> HapusBuku:
    return engine.jalankan(hapus_buku.tolak, user=user, catatan=alasan, now=now)
