"""Postings: idempotency, matching, allocation persisted, reversal, suspense, SQL = Python."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danabergulir import selectors, services
from danabergulir.hitung.alokasi import Buku, posisi_pada
from danabergulir.hitung.alokasi import Pembayaran as PH
from danabergulir.hitung.jadwal import jadwal
from danabergulir.models import Alokasi, Angsuran, Pembalikan, Pembayaran, Pinjaman
from danabergulir.posting import Pencocok
from sop.engine import GagalTransisi, TidakBerwenang
from sop.models import Immutable

from .alur import baris
from .conftest import D

pytestmark = pytest.mark.django_db
S = Pembayaran.Status


def pos(p: Pinjaman, per):
    r = selectors.posisi_satu(p, per)
    return (r.sisa_pokok, r.tunggakan_pokok, r.tunggakan_jasa, r.denda, r.dpd)


def alok(p: Pinjaman):
    return sorted(
        Alokasi.objects.filter(pinjaman=p, aktif=True).values_list(
            "pembayaran__referensi", "angsuran__ke", "denda", "jasa", "pokok"
        )
    )


def test_jadwal_tersimpan(buat_pinjaman):
    p = buat_pinjaman()
    assert list(
        Angsuran.objects.filter(pinjaman=p).order_by("ke").values_list("ke", "pokok", "jasa")
    ) == [(1, 333_333, 10_000), (2, 333_333, 10_000), (3, 333_334, 10_000)]
    assert p.versi.get().jenis == "awal"
    assert p.denda_ppm == 1000


def test_posting_dan_alokasi(buat_pinjaman, posting):
    """The worked example of test_hitung_alokasi, through the database: installment 2 paid
    5 days late pays denda 1.716 first and leaves 1.716 pokok; 9 denda owed on 25-02."""
    p = buat_pinjaman()
    n = posting(
        [
            baris(D(2024, 1, 15), 343_333, f"SETORAN ANGSURAN {p.nomor}", "R1"),
            baris(D(2024, 2, 20), 343_333, f"angsuran {p.nomor.lower()}", "R2"),
        ]
    )
    assert n == {"posted": 2, "duplicate": 0, "unmatched": 0}
    assert alok(p) == [("R1", 1, 0, 10_000, 333_333), ("R2", 2, 1_716, 10_000, 331_617)]
    assert pos(p, D(2024, 2, 25)) == (335_050, 1_716, 0, 9, 10)
    assert pos(p, D(2024, 2, 14)) == (666_667, 0, 0, 0, 0)


def test_file_sama_dua_kali(buat_pinjaman, posting):
    p = buat_pinjaman()
    lines = [baris(D(2024, 1, 15), 343_333, f"ANGS {p.nomor}", "R1", saldo=343_333)]
    assert posting(lines)["posted"] == 1
    assert posting(lines) == {"posted": 0, "duplicate": 1, "unmatched": 0}
    assert Pembayaran.objects.filter(pinjaman=p).count() == 1


def test_rekening_tumpang_tindih(buat_pinjaman, posting):
    """Statement B repeats the last two lines of A and adds one: only the new line posts."""
    p = buat_pinjaman()
    a = [
        baris(D(2024, 1, 15), 100_000, f"ANGS {p.nomor}", "A1", saldo=100_000),
        baris(D(2024, 1, 20), 100_000, f"ANGS {p.nomor}", "A2", saldo=200_000),
        baris(D(2024, 1, 25), 100_000, f"ANGS {p.nomor}", "A3", saldo=300_000),
    ]
    b = [*a[1:], baris(D(2024, 2, 1), 100_000, f"ANGS {p.nomor}", "B1", saldo=400_000)]
    posting(a)
    assert posting(b) == {"posted": 1, "duplicate": 2, "unmatched": 0}
    assert Pembayaran.objects.filter(pinjaman=p).count() == 4


def test_dua_bayar_sama_referensi_beda(buat_pinjaman, posting):
    p = buat_pinjaman()
    lines = [
        baris(D(2024, 1, 15), 200_000, f"ANGS {p.nomor}", "REF-1"),
        baris(D(2024, 1, 15), 200_000, f"ANGS {p.nomor}", "REF-2"),
    ]
    assert posting(lines)["posted"] == 2
    assert posting(lines)["duplicate"] == 2


def test_baris_kembar_dalam_satu_rekening(buat_pinjaman, posting):
    """Two identical lines (no reference, no balance) in one statement are two payments; the
    same statement again posts nothing."""
    p = buat_pinjaman()
    lines = [baris(D(2024, 1, 15), 50_000, f"ANGS {p.nomor}")] * 2
    assert posting(lines)["posted"] == 2
    assert posting(lines) == {"posted": 0, "duplicate": 2, "unmatched": 0}


def test_pencocok():
    c = Pencocok({"DB-12": 1, "DB-123": 2, "KSP/2024/7": 3, "001/DB": 4})
    assert c.cari("SETORAN DB-12 SUPARMI") == [1]
    assert c.cari("setoran db - 123") == [2]
    assert c.cari("ANGS DB-1234") == []
    assert c.cari("XDB-12") == []
    assert c.cari("trf ksp / 2024 / 7 angsuran") == [3]
    assert c.cari("DB-12 DAN DB-123") == [1, 2]
    assert c.cari("NO 001/DB-12") == [4, 1]
    assert c.cari("") == []


def test_tidak_cocok_ke_suspense(buat_pinjaman, posting):
    p1, p2 = buat_pinjaman(), buat_pinjaman()
    n = posting(
        [
            baris(D(2024, 1, 15), 100_000, "SETORAN TUNAI TANPA NOMOR", "X1"),
            baris(D(2024, 1, 15), 100_000, f"{p1.nomor} {p2.nomor}", "X2"),
            baris(D(2023, 11, 1), 100_000, f"{p1.nomor}", "X3"),  # before disbursement
        ]
    )
    assert n == {"posted": 0, "duplicate": 0, "unmatched": 3}
    alasan = dict(
        Pembayaran.objects.filter(referensi__in=["X1", "X2", "X3"]).values_list(
            "referensi", "alasan_suspense"
        )
    )
    assert alasan == {"X1": "tanpa_nomor", "X2": "nomor_ganda", "X3": "sebelum_jadwal"}


def test_bayar_mundur_diputar_ulang(buat_pinjaman, posting):
    """A line dated before an already posted one replays the loan: the result equals posting
    both in date order."""
    p, q = buat_pinjaman(), buat_pinjaman()
    posting([baris(D(2024, 2, 20), 343_333, f"ANGS {p.nomor}", "L2")])
    posting([baris(D(2024, 1, 15), 343_333, f"ANGS {p.nomor}", "L1")])
    posting(
        [
            baris(D(2024, 1, 15), 343_333, f"ANGS {q.nomor}", "L1"),
            baris(D(2024, 2, 20), 343_333, f"ANGS {q.nomor}", "L2"),
        ]
    )
    assert alok(p) == alok(q)
    assert pos(p, D(2024, 3, 1)) == pos(q, D(2024, 3, 1))
    assert Alokasi.objects.filter(pinjaman=p, aktif=False).exists()


def test_pembalikan(buat_pinjaman, posting, petugas):
    p = buat_pinjaman()
    posting([baris(D(2024, 1, 15), 343_333, f"ANGS {p.nomor}", "B1")])
    sebelum = (alok(p), pos(p, D(2024, 3, 20)))
    posting([baris(D(2024, 1, 10), 500_000, f"ANGS {p.nomor}", "SALAH")])
    salah = Pembayaran.objects.get(referensi="SALAH")
    assert pos(p, D(2024, 3, 20)) != sebelum[1]
    with pytest.raises(GagalTransisi):
        services.pembayaran_balik(pembayaran=salah, user=petugas, alasan="  ")
    b = services.pembayaran_balik(pembayaran=salah, user=petugas, alasan="Salah debitur")
    assert (alok(p), pos(p, D(2024, 3, 20))) == sebelum
    salah.refresh_from_db()
    assert (salah.status, salah.pinjaman_id, salah.alasan_suspense) == (S.SUSPENSE, None, "dibalik")
    assert b.pinjaman == p and b.alasan == "Salah debitur"
    with pytest.raises(Immutable):
        b.save()
    with pytest.raises(Immutable):
        Pembalikan.objects.filter(pk=b.pk).delete()
    assert Alokasi.objects.filter(pembayaran=salah, aktif=False).exists()  # kept, switched off
    q = buat_pinjaman()
    services.pembayaran_cocokkan(pembayaran=salah, pinjaman=q, user=petugas)
    # 500.000 on 10-01: inst 1 (10.000 + 333.333), inst 2 (10.000 + 146.667) -> 520.000 left
    assert pos(q, D(2024, 1, 10))[0] == 520_000


def test_abaikan_dan_hak(buat_pinjaman, posting, pengguna, petugas):
    posting([baris(D(2024, 1, 15), 123, "BUNGA JASA GIRO", "G1")])
    g = Pembayaran.objects.get(referensi="G1")
    with pytest.raises(TidakBerwenang):
        services.pembayaran_abaikan(pembayaran=g, user=pengguna("kadis.pacitan"), catatan="bunga")
    services.pembayaran_abaikan(pembayaran=g, user=petugas, catatan="Bunga jasa giro")
    g.refresh_from_db()
    assert g.status == S.BUKAN_ANGSURAN
    with pytest.raises(TidakBerwenang):
        posting([baris(D(2024, 1, 15), 1, "X")], user=pengguna("dinas.inhil"))


def test_restrukturisasi(buat_pinjaman, posting, kepala, petugas):
    """Nothing paid; restructured on 01-03-2024: remaining pokok 1.000.000 over 4 months, the
    unpaid jasa of installments 1-2 (20.000) and the denda owed (46 + 15 days on 343.333 /
    343.333 ... = see hitung) carried in installment 0."""
    p = buat_pinjaman()
    awal = pos(p, D(2024, 3, 1))
    syarat = dict(
        pinjaman=p,
        tanggal=D(2024, 3, 1),
        bentuk="penjadwalan_kembali",
        jasa_persen=Decimal(12),
        metode="flat",
        tenor=4,
        jatuh_tempo_pertama=D(2024, 4, 1),
        alasan="Banjir",
    )
    with pytest.raises(TidakBerwenang):  # the Kepala UPT decides, the officer proposes
        services.restrukturisasi_ajukan(user=kepala, **syarat)
    r = services.restrukturisasi_ajukan(user=petugas, **syarat)
    with pytest.raises(TidakBerwenang):
        services.restrukturisasi_setujui(restrukturisasi=r, user=petugas)
    v = services.restrukturisasi_setujui(restrukturisasi=r, user=kepala).versi
    nol = v.angsuran.get(ke=0)
    assert (nol.pokok, nol.jasa, nol.denda_tetap) == (0, awal[2], awal[3])
    assert sum(v.angsuran.values_list("pokok", flat=True)) == 1_000_000
    assert p.versi.count() == 2
    assert pos(p, D(2024, 3, 1)) == (1_000_000, 0, awal[2], awal[3], 0)
    assert pos(p, D(2024, 2, 29))[4] == awal[4] - 1  # the old version still answers the past
    posting([baris(D(2024, 3, 1), 20_000 + awal[3], f"ANGS {p.nomor}", "RS")])
    assert pos(p, D(2024, 3, 1)) == (1_000_000, 0, 0, 0, 0)
    # a day later the carried jasa would have cost one day of denda: 20.000 x 0,1 % = 20


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tenor=st.integers(1, 6),
    metode=st.sampled_from(["flat", "anuitas", "menurun"]),
    xs=st.lists(st.tuples(st.integers(-20, 220), st.integers(1, 900_000)), max_size=6),
    per=st.integers(-10, 260),
    balik=st.integers(0, 5),
)
def test_sql_sama_dengan_python(buat_pinjaman, posting, petugas, tenor, metode, xs, per, balik):
    """The one-query position equals hitung.posisi_pada for any history, before and after a
    reversal; nothing is paid beyond what is owed."""
    pertama = D(2024, 1, 31)
    p = buat_pinjaman(
        plafon=2_500_000,
        jasa=9,
        tenor=tenor,
        metode=metode,
        pertama=pertama,
        pencairan=pertama - dt.timedelta(days=25),
    )
    lines = [
        baris(pertama + dt.timedelta(days=h), j, f"ANGS {p.nomor}", f"H{i}")
        for i, (h, j) in enumerate(xs)
    ]
    for ln in lines:  # one statement per line: back-dated ones replay the loan
        posting([ln])
    ang = Buku.dari_jadwal(
        jadwal(
            pokok=2_500_000, jasa_persen=9, tenor=tenor, metode=metode, jatuh_tempo_pertama=pertama
        ),
        1000,
    ).angsuran
    dipakai = [
        PH(b.referensi, b.tanggal, int(b.jumlah)) for b in lines if b.tanggal >= p.tanggal_pencairan
    ]
    tgl = pertama + dt.timedelta(days=per)
    if tgl >= p.tanggal_pencairan:
        assert pos(p, tgl) == tuple(posisi_pada(ang, dipakai, tgl, 1000).sebagai_dict().values())
    ps = list(Pembayaran.objects.filter(pinjaman=p))
    for x in ps:
        assert sum(a.jumlah for a in x.alokasi.filter(aktif=True)) <= x.jumlah
    if ps:
        korban = ps[balik % len(ps)]
        services.pembayaran_balik(pembayaran=korban, user=petugas, alasan="uji")
        sisa = [b for b in dipakai if b.kunci != korban.referensi]
        if tgl >= p.tanggal_pencairan:
            assert pos(p, tgl) == tuple(posisi_pada(ang, sisa, tgl, 1000).sebagai_dict().values())
