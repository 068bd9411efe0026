"""Allocation, denda and DPD: worked examples, a day-by-day reference model and properties."""

import datetime as dt
from decimal import ROUND_FLOOR, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from danabergulir.hitung.alokasi import (
    Buku,
    Pembayaran,
    PembayaranMundur,
    posisi_pada,
    putar_ulang,
)
from danabergulir.hitung.jadwal import Metode, jadwal

D = dt.date
PPM = 1000  # 0,1 % a day


def buku_contoh() -> Buku:
    """Flat, P = 1.000.000, 12 %/year, 3 months from 15-01-2024:
    installments 343.333 / 343.333 / 343.334 (jasa 10.000 each)."""
    return Buku.dari_jadwal(
        jadwal(
            pokok=1_000_000,
            jasa_persen=12,
            tenor=3,
            metode="flat",
            jatuh_tempo_pertama=D(2024, 1, 15),
        ),
        PPM,
    )


def _bagian(h):
    return [(b.ke, b.denda, b.jasa, b.pokok) for b in h.bagian]


def test_bayar_tepat_waktu():
    b = buku_contoh()
    h = b.bayar(D(2024, 1, 15), 343_333)
    assert _bagian(h) == [(1, 0, 10_000, 333_333)]
    assert h.kelebihan == 0
    assert b.posisi(D(2024, 1, 15)).dpd == 0


def test_denda_dibulatkan_sekali():
    """Installment 2 (343.333, due 15-02) paid 343.333 on 20-02: days 16..20 = 5 days x
    343.333 x 0,1 % = 1.716,665 -> denda 1.716; jasa 10.000; pokok 343.333 - 11.716 = 331.617,
    leaving 1.716 pokok unpaid. On 25-02 the accrued sum is 1.716,665 + 5 x 1,716 = 1.725,245
    -> 1.725, so 9 is owed (rounding day by day would give 1.715 + 5 x 1 = 1.720)."""
    b = buku_contoh()
    b.bayar(D(2024, 1, 15), 343_333)
    h = b.bayar(D(2024, 2, 20), 343_333)
    assert _bagian(h) == [(2, 1_716, 10_000, 331_617)]
    p = b.posisi(D(2024, 2, 20))
    assert (p.tunggakan_pokok, p.denda, p.dpd) == (1_716, 0, 5)
    p = b.posisi(D(2024, 2, 25))
    assert (p.tunggakan_pokok, p.denda, p.dpd) == (1_716, 9, 10)


def test_hari_bayar_ikut_dihitung():
    """Due 15-01, paid in full on 16-01: one day (16-01) x 343.333 x 0,1 % = 343,333 -> 343."""
    b = buku_contoh()
    h = b.bayar(D(2024, 1, 16), 343_333 + 343)
    assert _bagian(h) == [(1, 343, 10_000, 333_333)]
    assert b.posisi(D(2024, 1, 31)).denda == 0


def test_kelebihan_ke_angsuran_berikut():
    """700.000 on 15-01: inst 1 (10.000 + 333.333), inst 2 (10.000 + 333.333), the 13.334 left
    pays inst 3's jasa 10.000 and 3.334 of its pokok."""
    b = buku_contoh()
    h = b.bayar(D(2024, 1, 15), 700_000)
    assert _bagian(h) == [(1, 0, 10_000, 333_333), (2, 0, 10_000, 333_333), (3, 0, 10_000, 3_334)]
    assert h.kelebihan == 0
    assert b.posisi(D(2024, 1, 15)).sisa_pokok == 330_000


def test_lebih_bayar():
    """2.000.000 against 1.030.000 owed: 970.000 is left over, never allocated."""
    b = buku_contoh()
    h = b.bayar(D(2024, 1, 1), 2_000_000)
    assert h.dialokasikan == 1_030_000
    assert h.kelebihan == 970_000
    assert b.posisi(D(2024, 6, 1)) == type(b.posisi(D(2024, 6, 1)))(0, 0, 0, 0, 0)


def test_tertua_dulu_denda_jasa_pokok():
    """Nothing paid until 20-02-2024. Inst 1 (due 15-01): 36 days x 343.333 x 0,1 % = 12.359,988
    -> 12.359; inst 2 (due 15-02): 5 days -> 1.716. A payment of 400.000 pays inst 1 in full
    (12.359 + 10.000 + 333.333 = 355.692) then inst 2: denda 1.716, jasa 10.000, pokok 32.592."""
    b = buku_contoh()
    h = b.bayar(D(2024, 2, 20), 400_000)
    assert _bagian(h) == [(1, 12_359, 10_000, 333_333), (2, 1_716, 10_000, 32_592)]
    p = b.posisi(D(2024, 2, 20))
    assert p.dpd == 5
    assert p.tunggakan_pokok == 333_333 - 32_592


def test_dpd_tanpa_pembayaran():
    """Oldest unpaid due 15-01-2024; on 01-03-2024: 16 + 29 + 1 = 46 days."""
    b = buku_contoh()
    assert b.posisi(D(2024, 3, 1)).dpd == 46
    assert b.posisi(D(2024, 1, 15)).dpd == 0
    assert b.posisi(D(2023, 12, 1)).dpd == 0


def test_pembayaran_mundur_ditolak():
    b = buku_contoh()
    b.bayar(D(2024, 2, 1), 100)
    with pytest.raises(PembayaranMundur):
        b.bayar(D(2024, 1, 1), 100)


def test_posisi_pada_mengabaikan_pembayaran_sesudahnya():
    b = buku_contoh()
    bayar = [Pembayaran("a", D(2024, 1, 15), 343_333), Pembayaran("b", D(2024, 3, 1), 343_333)]
    p = posisi_pada(b.angsuran, bayar, D(2024, 2, 20), PPM)
    assert (p.tunggakan_pokok, p.tunggakan_jasa, p.denda, p.dpd) == (333_333, 10_000, 1_716, 5)


# ---------------------------------------------------------------- reference: day by day
def referensi(baris, pembayaran, ppm, per):
    """An independent model: walk every calendar day, accrue exact Decimal denda on the unpaid
    pokok + jasa before the day's payments, apply payments (oldest first, denda -> jasa -> pokok).
    Returns (allocations per payment, position on ``per``)."""
    rate = Decimal(ppm) / 1_000_000
    ang = [
        {"ke": b.ke, "due": b.jatuh_tempo, "p": b.pokok, "j": b.jasa, "pp": 0, "pj": 0, "pd": 0}
        for b in baris
    ]
    for a in ang:
        a["acc"] = Decimal(0)
    urut = sorted(pembayaran, key=lambda x: x.tanggal)
    if not ang:
        return [], None
    mulai = min(a["due"] for a in ang)
    if urut:
        mulai = min(mulai, urut[0].tanggal)
    hasil = []
    hari = mulai
    i = 0
    while hari <= per:
        for a in ang:
            if hari > a["due"]:
                a["acc"] += rate * (a["p"] + a["j"] - a["pp"] - a["pj"])
        while i < len(urut) and urut[i].tanggal == hari:
            sisa = urut[i].jumlah
            bag = []
            for a in ang:
                owed = int(a["acc"].to_integral_value(ROUND_FLOOR)) - a["pd"]
                d = min(sisa, owed)
                sisa -= d
                j = min(sisa, a["j"] - a["pj"])
                sisa -= j
                p = min(sisa, a["p"] - a["pp"])
                sisa -= p
                a["pd"] += d
                a["pj"] += j
                a["pp"] += p
                if d or j or p:
                    bag.append((a["ke"], d, j, p))
            hasil.append((bag, sisa))
            i += 1
        hari += dt.timedelta(days=1)
    tertua = [a["due"] for a in ang if a["due"] <= per and (a["p"] > a["pp"] or a["j"] > a["pj"])]
    pos = (
        sum(a["p"] - a["pp"] for a in ang),
        sum(a["p"] - a["pp"] for a in ang if a["due"] <= per),
        sum(a["j"] - a["pj"] for a in ang if a["due"] <= per),
        sum(int(a["acc"].to_integral_value(ROUND_FLOOR)) - a["pd"] for a in ang),
        (per - min(tertua)).days if tertua else 0,
    )
    return hasil, pos


pinjaman = st.fixed_dictionaries(
    {
        "pokok": st.integers(1_000, 20_000_000),
        "persen": st.decimals(min_value=0, max_value=24, places=1),
        "tenor": st.integers(1, 8),
        "metode": st.sampled_from(list(Metode)),
        "ppm": st.sampled_from([0, 500, 1000, 1234, 5000]),
    }
)
PERTAMA = D(2024, 1, 31)


def _jadwal(p):
    return jadwal(
        pokok=p["pokok"],
        jasa_persen=p["persen"],
        tenor=p["tenor"],
        metode=p["metode"],
        jatuh_tempo_pertama=PERTAMA,
    )


bayar_st = st.lists(
    st.tuples(st.integers(-40, 330), st.integers(1, 8_000_000)), min_size=0, max_size=8
)


def _bayar(xs):
    return [Pembayaran(k, PERTAMA + dt.timedelta(days=h), j) for k, (h, j) in enumerate(xs)]


@settings(max_examples=150, deadline=None)
@given(p=pinjaman, xs=bayar_st, per_hari=st.integers(0, 400))
def test_sama_dengan_model_harian(p, xs, per_hari):
    """Allocation and position equal the day-by-day reference model exactly."""
    baris = _jadwal(p)
    bayar = _bayar(xs)
    per = PERTAMA + dt.timedelta(days=per_hari)
    buku, hasil = putar_ulang(Buku.dari_jadwal(baris, p["ppm"]).angsuran, bayar, p["ppm"])
    ref_alok, ref_pos = referensi(baris, [b for b in bayar if b.tanggal <= per], p["ppm"], per)
    dipakai = sorted([b for b in bayar if b.tanggal <= per], key=lambda b: b.tanggal)
    for b, (bag, sisa) in zip(dipakai, ref_alok, strict=True):
        h = hasil[b.kunci]
        assert [(x.ke, x.denda, x.jasa, x.pokok) for x in h.bagian] == bag
        assert h.kelebihan == sisa
    pos = posisi_pada(Buku.dari_jadwal(baris, p["ppm"]).angsuran, bayar, per, p["ppm"])
    assert (pos.sisa_pokok, pos.tunggakan_pokok, pos.tunggakan_jasa, pos.denda, pos.dpd) == ref_pos


@settings(max_examples=200, deadline=None)
@given(p=pinjaman, xs=bayar_st, per_hari=st.integers(-60, 500))
def test_tidak_pernah_lebih_dari_terutang(p, xs, per_hari):
    """Every payment = allocated + kelebihan; no component is paid beyond what is due; kelebihan
    only once nothing is owed; DPD never negative; denda never negative."""
    baris = _jadwal(p)
    bayar = _bayar(xs)
    buku, hasil = putar_ulang(Buku.dari_jadwal(baris, p["ppm"]).angsuran, bayar, p["ppm"])
    for b in bayar:
        h = hasil[b.kunci]
        assert sum(x.jumlah for x in h.bagian) + h.kelebihan == b.jumlah
        assert all(x.pokok >= 0 and x.jasa >= 0 and x.denda >= 0 for x in h.bagian)
    for a in buku.angsuran:
        assert 0 <= a.dibayar_pokok <= a.pokok
        assert 0 <= a.dibayar_jasa <= a.jasa
    akhir = buku.hari_terakhir
    if any(hasil[b.kunci].kelebihan for b in bayar):
        assert all(a.sisa_pokok == 0 and a.sisa_jasa == 0 for a in buku.angsuran)
    per = PERTAMA + dt.timedelta(days=per_hari)
    pos = posisi_pada(buku.angsuran, bayar, per, p["ppm"])
    assert pos.dpd >= 0 and pos.denda >= 0
    assert 0 <= pos.tunggakan_pokok <= pos.sisa_pokok <= p["pokok"]
    if per.toordinal() >= akhir:
        assert buku.posisi(per) == pos


@settings(max_examples=200, deadline=None)
@given(p=pinjaman, xs=bayar_st, q=st.tuples(st.integers(-40, 330), st.integers(1, 8_000_000)))
def test_pembalikan_memulihkan_keadaan(p, xs, q):
    """Posting a payment Q (any date) and reversing it gives back the exact previous state and
    the previous allocation of every other payment."""
    ang = Buku.dari_jadwal(_jadwal(p), p["ppm"]).angsuran
    bayar = _bayar(xs)
    sebelum, h_sebelum = putar_ulang(ang, bayar, p["ppm"])
    tambah = Pembayaran("Q", PERTAMA + dt.timedelta(days=q[0]), q[1])
    putar_ulang(ang, [*bayar, tambah], p["ppm"])
    sesudah, h_sesudah = putar_ulang(ang, [b for b in [*bayar, tambah] if b.kunci != "Q"], p["ppm"])
    assert sesudah.keadaan() == sebelum.keadaan()
    assert h_sesudah == h_sebelum


@settings(max_examples=100, deadline=None)
@given(p=pinjaman, xs=bayar_st)
def test_bertahap_sama_dengan_putar_ulang(p, xs):
    """Applying payments one by one in date order equals a replay from scratch."""
    baris = _jadwal(p)
    bayar = sorted(_bayar(xs), key=lambda b: b.tanggal)
    b1 = Buku.dari_jadwal(baris, p["ppm"])
    for b in bayar:
        b1.bayar(b.tanggal, b.jumlah)
    b2, _ = putar_ulang(b1.angsuran, bayar, p["ppm"])
    assert b1.keadaan() == b2.keadaan()
