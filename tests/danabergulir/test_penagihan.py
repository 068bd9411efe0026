"""SOP 21-23: the collection sweep (set-based, idempotent, escalation rules), the demand
letter with its arrears snapshot and window, the loan's decisions (restructuring, write-off)."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from danabergulir import services
from danabergulir.dokumen import surat_tagihan_pdf
from danabergulir.models import HapusBuku, JalanPenagihan, Pinjaman
from danabergulir.sapuan import sapu_penagihan
from danabergulir.selectors import posisi_satu
from danabergulir.services.penagihan import akhir_jendela
from sop import engine
from sop.models import Jejak
from sop.selectors import jam_induk, jejak_induk
from sop.sla import sapu
from tests.rekaman import milik

from .alur import antre_keputusan, baris, orang, runs, terbit, waktu
from .conftest import D

pytestmark = pytest.mark.django_db
ST = Pinjaman.Status


def teks_pdf(data: bytes) -> str:
    halaman = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join((h.extract_text() or "") for h in halaman).split())


@pytest.fixture
def menunggak(buat_pinjaman):
    """1.000.000 flat 12 %/yr over 3 months, first due 15-01-2025, nothing paid."""
    return buat_pinjaman(pertama=D(2025, 1, 15))


def test_surat_i_dibuka_saat_tunggakan_muncul_dan_idempoten(menunggak):
    p = menunggak
    sapu_penagihan(waktu(2025, 1, 15, 20))
    assert runs(p) == []  # due today, not yet in arrears (DPD 0)
    hasil = sapu_penagihan(waktu(2025, 1, 16, 6))
    assert hasil["surat_1"] >= 1
    (r,) = runs(p)
    assert (r.tingkat, r.siklus, r.status, r.sop.kode) == (1, 1, "tugaskan-penagihan", "PACITAN-21")
    j = Jejak.objects.get(**milik(r), induk_id=str(p.pk), transisi="mulai")
    assert j.user is None and j.induk_id == str(p.pk)
    (jam,) = jam_induk(p)
    assert jam.langkah.kode == "tugaskan-penagihan" and not jam.eksternal
    # the same day again, and the next day: nothing new
    assert sapu_penagihan(waktu(2025, 1, 16, 7))["surat_1"] == 0
    sapu_penagihan(waktu(2025, 1, 17, 6))
    assert len(runs(p)) == 1


def test_surat_tagihan_snapshot_dan_jendela(menunggak):
    p = menunggak
    sapu_penagihan(waktu(2025, 1, 16, 6))
    (r,) = runs(p)
    with pytest.raises(engine.TidakBerwenang):  # the Kepala UPT assigns, not the officer
        services.penagihan_tugaskan(run=r, user=orang("upt.pacitan"), now=waktu(2025, 1, 16))
    r = services.penagihan_tugaskan(run=r, user=orang("kaupt.pacitan"), now=waktu(2025, 1, 16))
    assert r.status == "tagih"
    assert re.fullmatch(r"\d{4}/SPT/UPT-DB/2025", JalanPenagihan.objects.get(pk=r.pk).nomor_spt)
    with pytest.raises(engine.GagalTransisi):  # not dated in the future
        services.penagihan_terbitkan_surat(
            run=r, user=orang("upt.pacitan"), tanggal=D(2025, 1, 25), now=waktu(2025, 1, 20)
        )
    r = services.penagihan_terbitkan_surat(
        run=r, user=orang("upt.pacitan"), tanggal=D(2025, 1, 20), now=waktu(2025, 1, 20, 10)
    )
    r = JalanPenagihan.objects.get(pk=r.pk)
    pos = posisi_satu(p, D(2025, 1, 20))
    assert (r.tunggakan_pokok, r.tunggakan_jasa, r.denda, r.dpd) == (
        pos.tunggakan_pokok,
        pos.tunggakan_jasa,
        pos.denda,
        5,
    )
    assert (r.tunggakan_pokok, r.tunggakan_jasa) == (333_333, 10_000)
    # the window: "6 bulan" from the letter's date, by the engine's clock on the external step
    jam = engine.jam_terbuka(r)
    assert jam.langkah.kode == "bayar-ke-bank" and jam.eksternal
    assert jam.mulai == waktu(2025, 1, 20, 0)
    assert jam.tenggat == r.jendela_berakhir == waktu(2025, 7, 21, 16, 0)  # 20 Jul is a Sunday
    assert r.bayar_paling_lambat == D(2025, 7, 21)
    teks = teks_pdf(surat_tagihan_pdf(r))
    jumlah = r.tunggakan_pokok + r.tunggakan_jasa + r.denda
    for bagian in (
        r.nomor_surat,
        "Surat Tagihan I",
        p.nomor,
        "Rp333.333,00",
        "tiga ratus tiga puluh tiga ribu tiga ratus tiga puluh tiga rupiah",
        "Rp10.000,00",
        "sepuluh ribu rupiah",
        "21 Juli 2025",
    ):
        assert bagian in teks, bagian
    from danabergulir.hitung import rupiah, terbilang_rupiah

    assert rupiah(jumlah) in teks and terbilang_rupiah(jumlah) in teks
    assert re.fullmatch(r"\d{4}/ST-I/UPT-DB/2025", r.nomor_surat)


def test_pembayaran_menutup_siklus_dan_langkah_berikut(menunggak, posting):
    p = menunggak
    sapu_penagihan(waktu(2025, 1, 16, 6))
    (r,) = runs(p)
    r = terbit(r, D(2025, 1, 20))
    # the debtor pays everything due (the letter's snapshot + one more day of denda)
    pos = posisi_satu(p, D(2025, 2, 3))
    posting(
        [
            baris(
                D(2025, 2, 3),
                pos.tunggakan_pokok + pos.tunggakan_jasa + pos.denda,
                f"ANGS {p.nomor}",
                "B1",
            )
        ]
    )
    assert posisi_satu(p, D(2025, 2, 3)).dpd == 0
    hasil = sapu_penagihan(waktu(2025, 2, 4, 6))
    assert hasil["siklus_ditutup"] >= 1
    r = JalanPenagihan.objects.get(pk=r.pk)
    assert r.status == "bank-terima-angsuran" and r.siklus_ditutup is not None
    assert Jejak.objects.filter(**milik(r), transisi="tunggakan_lunas", user=None).exists()
    # the bank's data (a statement line after the letter exists), recording, evaluation
    r = services.penagihan_selesaikan(run=r, user=orang("upt.pacitan"), now=waktu(2025, 2, 4))
    r = services.penagihan_catat(run=r, user=orang("upt.pacitan"), now=waktu(2025, 2, 4))
    r = JalanPenagihan.objects.get(pk=r.pk)
    assert r.dibayar_sejak_surat == pos.tunggakan_pokok + pos.tunggakan_jasa + pos.denda
    assert r.sisa_tunggakan == 0
    with pytest.raises(engine.TidakBerwenang):
        services.penagihan_selesaikan(run=r, user=orang("upt.pacitan"), now=waktu(2025, 2, 5))
    r = services.penagihan_selesaikan(run=r, user=orang("kaupt.pacitan"), now=waktu(2025, 2, 5))
    assert r.status == "selesai"
    # arrears again in March: a new cycle starts at letter I
    sapu_penagihan(waktu(2025, 3, 17, 6))
    baru = runs(p)[-1]
    assert (baru.siklus, baru.tingkat) == (2, 1)


def test_lunas_sebelum_surat_terbit_membatalkan(menunggak, posting):
    p = menunggak
    sapu_penagihan(waktu(2025, 1, 16, 6))
    pos = posisi_satu(p, D(2025, 1, 17))
    posting(
        [
            baris(
                D(2025, 1, 17),
                pos.tunggakan_pokok + pos.tunggakan_jasa + pos.denda,
                f"ANGS {p.nomor}",
                "B2",
            )
        ]
    )
    sapu_penagihan(waktu(2025, 1, 18, 6))
    (r,) = runs(p)
    assert r.status == "dibatalkan" and r.siklus_ditutup is not None
    assert not jam_induk(p).exists()


def test_eskalasi_ii_iii_lalu_antre_keputusan(menunggak):
    p = menunggak
    sapu_penagihan(waktu(2025, 1, 16, 6))
    (r1,) = runs(p)
    r1 = terbit(r1, D(2025, 1, 20))
    # inside the window: no letter II
    sapu(now=waktu(2025, 7, 21, 12))
    assert len(runs(p)) == 1
    assert JalanPenagihan.objects.get(pk=r1.pk).status == "bayar-ke-bank"
    # the window lapsed with arrears: the engine's sweep closes the window (timed transition),
    # the domain sweep opens letter II
    hasil = sapu(now=waktu(2025, 7, 22, 6))
    assert hasil["sapuan"]["danabergulir.sapuan.sapu_penagihan"]["surat_2"] >= 1
    r1 = JalanPenagihan.objects.get(pk=r1.pk)
    assert r1.status == "bank-terima-angsuran"
    j = Jejak.objects.get(**milik(r1), induk_id=str(p.pk), transisi="jendela_lewat")
    assert j.user is None and j.terlambat is None  # an external window, never an officer's breach
    r2 = runs(p)[-1]
    assert (r2.tingkat, r2.siklus, r2.sop.kode) == (2, 1, "PACITAN-22")
    assert sapu(now=waktu(2025, 7, 22, 7))["sapuan"]["danabergulir.sapuan.sapu_penagihan"] == {
        "surat_1": 0,
        "surat_2": 0,
        "surat_3": 0,
        "keputusan": 0,
        "siklus_ditutup": 0,
    }
    # letter II is not issued for a month: no letter III (its window has not even started)
    sapu_penagihan(waktu(2025, 8, 30, 6))
    assert len(runs(p)) == 2
    r2 = terbit(r2, D(2025, 8, 25), now=waktu(2025, 9, 1, 10))
    assert r2.status == "bayar-ke-bank"
    sapu_penagihan(waktu(2026, 2, 24, 6))
    assert len(runs(p)) == 2  # window ends 25 Feb 2026
    sapu(now=waktu(2026, 2, 26, 6))
    r3 = runs(p)[-1]
    assert (r3.tingkat, r3.sop.kode) == (3, "PACITAN-23")
    r3 = terbit(r3, D(2026, 3, 2))
    sapu(now=waktu(2026, 9, 1, 6))  # 2 Sep 2026 is the end: still inside
    assert Pinjaman.objects.get(pk=p.pk).status == ST.AKTIF
    hasil = sapu(now=waktu(2026, 9, 3, 6))
    assert hasil["sapuan"]["danabergulir.sapuan.sapu_penagihan"]["keputusan"] >= 1
    p = Pinjaman.objects.get(pk=p.pk)
    assert p.status == ST.MENUNGGU_KEPUTUSAN
    assert len(runs(p)) == 3  # never a fourth letter
    sapu(now=waktu(2026, 9, 4, 6))
    assert len(runs(p)) == 3
    # the loan page's log: the loan's own rows and all its runs' rows in one query
    nama = [j.transisi for j in jejak_induk(p)]
    assert nama.count("mulai") == 3 and "antrekan_keputusan" in nama


def _antre_macet(buat_pinjaman):
    """A loan nothing was paid on, through letters I-III until queued (Macet by then)."""
    return antre_keputusan(buat_pinjaman(pertama=D(2024, 1, 15)))


def test_hapus_buku_dua_penyetuju(buat_pinjaman):
    p, now = _antre_macet(buat_pinjaman)
    assert posisi_satu(p, now.date()).kolektibilitas == "Macet"
    data = dict(
        pinjaman=p,
        jenis=HapusBuku.Jenis.BERSYARAT,
        nomor_sk="900/7/UPT-DB/2025",
        tanggal_sk=now.date(),
        alasan="Usaha tutup, debitur pindah",
        now=now,
    )
    with pytest.raises(engine.GagalTransisi):
        services.hapus_buku_ajukan(user=orang("upt.pacitan"), **{**data, "nomor_sk": " "})
    h = services.hapus_buku_ajukan(user=orang("upt.pacitan"), **data)
    with pytest.raises(engine.TidakBerwenang):  # the Kepala Dinas approves second, not first
        services.hapus_buku_setujui(hapus_buku=h, user=orang("kadis.pacitan"), now=now)
    with pytest.raises(engine.TidakBerwenang):
        services.hapus_buku_setujui(hapus_buku=h, user=orang("upt.pacitan"), now=now)
    h = services.hapus_buku_setujui(hapus_buku=h, user=orang("kaupt.pacitan"), now=now)
    assert h.status == HapusBuku.Status.DISETUJUI_KAUPT
    assert Pinjaman.objects.get(pk=p.pk).status == ST.MENUNGGU_KEPUTUSAN
    with pytest.raises(engine.TidakBerwenang):  # another kabupaten's Kepala Dinas
        services.hapus_buku_setujui(hapus_buku=h, user=orang("kadis.inhil"), now=now)
    h = services.hapus_buku_setujui(hapus_buku=h, user=orang("kadis.pacitan"), now=now)
    assert h.status == HapusBuku.Status.DISETUJUI
    assert (h.disetujui_1_oleh.username, h.disetujui_2_oleh.username) == (
        "kaupt.pacitan",
        "kadis.pacitan",
    )
    p = Pinjaman.objects.get(pk=p.pk)
    assert p.status == ST.HAPUS_BUKU_BERSYARAT and p.tanggal_hapus_buku == now.date()
    nama = [j.transisi for j in jejak_induk(p)]
    assert {"setujui_kepala_upt", "hapus_buku", "setujui_kepala_dinas"} <= set(nama)
    # written off: the sweep leaves it alone
    assert sapu_penagihan(now + dt.timedelta(days=30))["keputusan"] == 0
    assert len(runs(p)) == 3


def test_hapus_buku_hanya_setelah_jendela_iii(buat_pinjaman):
    p = buat_pinjaman(pertama=D(2024, 1, 15))
    now = waktu(2025, 6, 2)  # Macet (over 180 days) but never through letter III
    with pytest.raises(engine.GagalTransisi):
        services.hapus_buku_ajukan(
            pinjaman=p,
            user=orang("upt.pacitan"),
            jenis=HapusBuku.Jenis.MUTLAK,
            nomor_sk="900/8/UPT-DB/2025",
            tanggal_sk=now.date(),
            alasan="x",
            now=now,
        )
    with pytest.raises(engine.StatusTidakMengizinkan):  # the loan's own transition refuses too
        engine.jalankan(
            p.hapus_buku,
            user=orang("kadis.pacitan"),
            now=now,
            kwargs={"jenis": "hapus_buku_mutlak", "tanggal": now.date()},
        )


def test_restrukturisasi_menutup_siklus(buat_pinjaman):
    p, now = _antre_macet(buat_pinjaman)
    tanggal = now.date() + dt.timedelta(days=1)
    r = services.restrukturisasi_ajukan(
        pinjaman=p,
        user=orang("upt.pacitan"),
        tanggal=tanggal,
        bentuk="penjadwalan_kembali",
        jasa_persen=12,
        metode="flat",
        tenor=6,
        jatuh_tempo_pertama=tanggal + dt.timedelta(days=30),
        alasan="Usaha pulih setelah banjir",
        now=now,
    )
    with pytest.raises(engine.AlasanWajib):
        services.restrukturisasi_tolak(restrukturisasi=r, user=orang("kaupt.pacitan"), alasan="")
    r = services.restrukturisasi_setujui(restrukturisasi=r, user=orang("kaupt.pacitan"), now=now)
    assert r.versi.nomor == 2 and r.versi.jenis == "restrukturisasi"
    p = Pinjaman.objects.get(pk=p.pk)
    assert p.status == ST.AKTIF
    assert not JalanPenagihan.objects.filter(pinjaman=p, siklus_ditutup__isnull=True).exists()
    assert "terapkan_restrukturisasi" in [j.transisi for j in jejak_induk(p)]


def test_akhir_jendela_sama_dengan_jam_engine(menunggak):
    sapu_penagihan(waktu(2025, 1, 16, 6))
    (r,) = runs(menunggak)
    r = terbit(r, D(2025, 1, 31))
    assert engine.jam_terbuka(r).tenggat == akhir_jendela(r, D(2025, 1, 31))
    # 31 Jan + 6 months = 31 Jul 2025 (Thursday), close of business
    assert r.jendela_berakhir == waktu(2025, 7, 31, 16, 0)
