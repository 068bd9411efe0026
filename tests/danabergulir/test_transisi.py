"""Transition tables per role per step (SOP 17-24), and the SOP 24 monthly cycle."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from pypdf import PdfReader

from danabergulir import services
from danabergulir.models import (
    JalanPenagihan,
    JalanProposal,
    Pembayaran,
    SiklusBulanan,
)
from danabergulir.sapuan import buka_siklus_bulanan
from sop import engine
from sop.models import Sop, Unit
from sop.modul import sop_milik_modul
from sop.selectors import sop_ditawarkan

from .alur import daftar, orang, waktu
from .conftest import D

pytestmark = pytest.mark.django_db

PETUGAS, KAUPT, KADIS = "upt.pacitan", "kaupt.pacitan", "kadis.pacitan"
LUAR = ("kadis.inhil", "dinas.inhil", "desa.tembilahan-kota", "provinsi.riau", "fo.pelalawan")

# step -> the demo users who may complete it (the seed's pelaksana; external columns are
# recorded by the UPT officer)
TABEL = {
    "PACITAN-17": {
        "ajukan-proposal": {PETUGAS},
        "terima-teliti-proposal": {PETUGAS},
        "disposisi-kadis": {KADIS},
        "tugaskan-pencatatan": {KAUPT},
        "catat-buku-proposal": {PETUGAS},
    },
    "PACITAN-18": {
        "proposal-lengkap": {PETUGAS},
        "tugaskan-verifikasi": {KAUPT},
        "verifikasi-lapangan": {PETUGAS},
        "terima-hasil-verifikasi": {KAUPT},
    },
    "PACITAN-19": {
        "rekap-verifikasi": {PETUGAS},  # Tim Survey (the demo officer sits on the team)
        "terima-rekap": {KAUPT},
        "rapat-penentuan": {PETUGAS},  # Pengelola Dana Bergulir
    },
    "PACITAN-20": {
        "tugaskan-agenda-perjanjian": {KADIS},
        "tugaskan-persiapan-berkas": {KAUPT},
        "sampaikan-undangan": {PETUGAS},
        "terima-undangan": {PETUGAS},  # the applicant's step, recorded by the officer
        "laksanakan-perjanjian": {KAUPT},
        "serahkan-daftar-bank": {KAUPT},
        "realisasi-kredit": {PETUGAS},  # the bank's step, recorded by the officer
    },
}
PENAGIHAN = {
    "tugaskan-penagihan": {KAUPT},
    "tagih": {PETUGAS},
    "bayar-ke-bank": {PETUGAS},  # the debtor's window: recorded, but it ends by itself
    "bank-terima-angsuran": {PETUGAS},
    "catat-lapor-angsuran": {PETUGAS},
    "evaluasi-laporan": {KAUPT},
}
SIKLUS = {
    "tugaskan-petugas": {KAUPT},
    "pencatatan": {PETUGAS},
    "penyimpanan": {PETUGAS},
    "pembukuan": {PETUGAS},
    "lapor-ke-kepala-upt": {PETUGAS},
    "lapor-ke-kadis": {KAUPT},
    "kirim-ke-bkd": {KADIS},
}
SEMUA = (PETUGAS, KAUPT, KADIS, *LUAR)


def _boleh(run) -> set[str]:
    return {u for u in SEMUA if engine.cari_izin(run, orang(u), run.langkah_untuk(None))}


@pytest.mark.parametrize("kode", sorted(TABEL))
def test_tabel_proposal(kode):
    p = daftar(waktu(2026, 10, 5))
    sop = Sop.objects.berlaku().get(kode=kode)
    assert set(sop.langkah.values_list("kode", flat=True)) == set(TABEL[kode])
    for langkah, boleh in TABEL[kode].items():
        run = JalanProposal(sop=sop, proposal=p, unit=p.unit, wilayah=p.wilayah, status=langkah)
        assert _boleh(run) == boleh, langkah


@pytest.mark.parametrize("tingkat", [1, 2, 3])
def test_tabel_penagihan(tingkat, buat_pinjaman):
    p = buat_pinjaman()
    sop = Sop.objects.berlaku().get(kode=f"PACITAN-2{tingkat}")
    for langkah, boleh in PENAGIHAN.items():
        run = JalanPenagihan(
            sop=sop, pinjaman=p, unit=p.unit, wilayah=p.wilayah, status=langkah, tingkat=tingkat
        )
        assert _boleh(run) == boleh, langkah


def test_tabel_siklus(upt):
    sop = Sop.objects.berlaku().get(kode="PACITAN-24")
    assert set(sop.langkah.values_list("kode", flat=True)) == set(SIKLUS)
    for langkah, boleh in SIKLUS.items():
        s = SiklusBulanan(
            sop=sop, unit=upt, wilayah=upt.wilayah, tahun=2026, bulan=1, status=langkah
        )
        assert _boleh(s) == boleh, langkah


def test_jendela_tidak_bisa_diselesaikan_tangan(buat_pinjaman):
    """The window step is the debtor's: no officer button ends it (only the sweeps do)."""
    p = buat_pinjaman()
    sop = Sop.objects.berlaku().get(kode="PACITAN-21")
    run = JalanPenagihan.objects.create(
        sop=sop,
        pinjaman=p,
        unit=p.unit,
        wilayah=p.wilayah,
        status="bayar-ke-bank",
        tingkat=1,
        siklus=1,
        tanggal_surat=D(2024, 2, 1),
    )
    assert engine.transisi_tersedia(run, orang(PETUGAS)) == []
    with pytest.raises(engine.TidakBerwenang):  # system transitions refuse officers
        engine.jalankan(run.tunggakan_lunas, user=orang(PETUGAS))


def test_runner_umum_tidak_menawarkan_sop_dagulir():
    assert {f"PACITAN-{n}" for n in range(17, 25)} <= sop_milik_modul()
    ditawarkan = set(
        sop_ditawarkan(
            orang(PETUGAS), Unit.objects.get(kode="upt-dana-bergulir-pacitan")
        ).values_list("kode", flat=True)
    )
    assert not ditawarkan & {f"PACITAN-{n}" for n in range(17, 25)}


def test_siklus_bulanan_tujuh_langkah(upt, settings, tmp_path):
    now = waktu(2026, 11, 2, 8)
    assert buka_siklus_bulanan(now) == {"siklus_dibuka": 1}
    assert buka_siklus_bulanan(now) == {"siklus_dibuka": 0}  # idempotent
    s = SiklusBulanan.objects.get(unit=upt, tahun=2026, bulan=10)
    assert s.status == "tugaskan-petugas"
    assert engine.jam_terbuka(s).tenggat == waktu(2026, 12, 2, 16, 0)  # "1 bulan"
    s = services.siklus_langkah(siklus=s, user=orang(KAUPT), now=now)
    # recording waits while unmatched bank lines up to the month's end remain (the demo has 3)
    n = Pembayaran.objects.filter(
        unit=upt, status="suspense", hari__lte=D(2026, 10, 31).toordinal()
    ).count()
    if n:
        with pytest.raises(engine.StatusTidakMengizinkan):
            services.siklus_langkah(siklus=s, user=orang(PETUGAS), now=now)
        for b in Pembayaran.objects.filter(unit=upt, status="suspense"):
            services.pembayaran_abaikan(pembayaran=b, user=orang(PETUGAS), catatan="Bukan angsuran")
    s = services.siklus_langkah(siklus=s, user=orang(PETUGAS), now=now)
    assert s.status == "penyimpanan"
    from danabergulir.services.siklus import jaminan_belum_kembali

    for j in jaminan_belum_kembali(upt, D(2026, 10, 31)):
        services.jaminan_kembalikan(
            jaminan=j, user=orang(PETUGAS), tanggal=D(2026, 10, 31), kepada="Debitur"
        )
    s = services.siklus_langkah(siklus=s, user=orang(PETUGAS), now=now)
    with pytest.raises(engine.StatusTidakMengizinkan):  # the workbook first
        services.siklus_langkah(siklus=s, user=orang(PETUGAS), now=now)
    s = services.siklus_pembukuan(siklus=s, user=orang(PETUGAS), now=now)
    s = services.siklus_langkah(siklus=s, user=orang(PETUGAS), now=now)
    assert s.status == "lapor-ke-kadis"
    with pytest.raises(engine.TidakBerwenang):
        services.siklus_sahkan(siklus=s, user=orang(PETUGAS), now=now)
    s = services.siklus_sahkan(siklus=s, user=orang(KAUPT), now=now)
    s = SiklusBulanan.objects.get(pk=s.pk)
    with s.berkas_pdf.open("rb") as f:
        teks = " ".join(
            " ".join(h.extract_text() for h in PdfReader(io.BytesIO(f.read())).pages).split()
        )
    assert "Oktober 2026" in teks and "Disahkan secara elektronik" in teks
    assert "Kepala UPT Dana Bergulir Pacitan" in teks
    assert s.disahkan_oleh.username == KAUPT
    with pytest.raises(engine.TidakBerwenang):
        services.siklus_kirim_bkd(
            siklus=s, user=orang(KAUPT), nomor_surat="900/1/2026", tanggal=D(2026, 11, 2), now=now
        )
    s = services.siklus_kirim_bkd(
        siklus=s, user=orang(KADIS), nomor_surat="900/1/2026", tanggal=D(2026, 11, 2), now=now
    )
    assert s.status == "selesai"
    ct = ContentType.objects.get_for_model(SiklusBulanan)
    from sop.models import Jejak

    langkah = list(
        Jejak.objects.filter(content_type=ct, object_id=str(s.pk), langkah__isnull=False)
        .order_by("pk")
        .values_list("langkah__kode", flat=True)
    )
    assert langkah == list(SIKLUS)
