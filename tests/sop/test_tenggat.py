"""Tests for `sop.tenggat`: exact due times on the ASN working calendar, plus properties.

Pure Python: no Django needed (runs with ``-p no:django``).
"""

import time as walltime
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sop.tenggat import (
    JADWAL_BAKU,
    MINGGUAN_BAKU,
    MINGGUAN_RAMADAN,
    Interval,
    JadwalKerja,
    Overlay,
    dalam_jam_kerja,
    geser_menit_kerja,
    hari_kerja,
    hitung_tenggat,
    intervals_on,
    jadwal_baku,
    menit_kerja_antara,
    persen_terpakai,
    tutup_kantor,
    waktu_kerja_antara,
)
from sop.waktu import Batas, parse_waktu

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
UTC = ZoneInfo("UTC")


def wib(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=WIB)


def wita(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=WITA)


def wit(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=WIT)


# 2025 Lebaran (holidays lib / SKB 3 Menteri): libur nasional + cuti bersama.
LIBUR_LEBARAN_2025 = frozenset(
    date.fromisoformat(s)
    for s in [
        "2025-03-28",  # cuti bersama Nyepi (Fri)
        "2025-03-29",  # Nyepi (Sat)
        "2025-03-31",  # Idul Fitri
        "2025-04-01",  # Idul Fitri hari kedua
        "2025-04-02",  # cuti bersama
        "2025-04-03",  # cuti bersama
        "2025-04-04",  # cuti bersama
        "2025-04-07",  # cuti bersama
    ]
)
RAMADAN_2025 = Overlay(date(2025, 3, 1), date(2025, 3, 30), MINGGUAN_RAMADAN)
JADWAL_LEBARAN = jadwal_baku(libur=LIBUR_LEBARAN_2025)
JADWAL_RAMADAN = jadwal_baku(libur=LIBUR_LEBARAN_2025, overlay=[RAMADAN_2025])
NATAL_2025 = date(2025, 12, 25)  # Thu, libur nasional
CUTI_NATAL_2025 = date(2025, 12, 26)  # Fri, cuti bersama
JADWAL_WITA = jadwal_baku("Asia/Makassar")
JADWAL_WIT = jadwal_baku("Asia/Jayapura")

# 2026-03-09 is a Monday, 2026-03-13 a Friday.
CONTOH = [
    # --- menit: working minutes only ---
    ("dalam jam kerja", "2026-03-09 10:00", "15 menit", JADWAL_BAKU, wib("2026-03-09 10:15")),
    ("sebelum buka", "2026-03-09 06:00", "15 menit", JADWAL_BAKU, wib("2026-03-09 07:45")),
    ("tepat saat buka", "2026-03-09 07:30", "15 menit", JADWAL_BAKU, wib("2026-03-09 07:45")),
    ("saat istirahat", "2026-03-09 12:30", "15 menit", JADWAL_BAKU, wib("2026-03-09 13:15")),
    ("melewati istirahat", "2026-03-09 11:50", "30 Menit", JADWAL_BAKU, wib("2026-03-09 13:20")),
    ("habis tepat 12:00", "2026-03-09 11:45", "15 menit", JADWAL_BAKU, wib("2026-03-09 12:00")),
    ("habis tepat tutup", "2026-03-09 15:00", "60 menit", JADWAL_BAKU, wib("2026-03-09 16:00")),
    ("2 Jam", "2026-03-09 11:00", "2 Jam", JADWAL_BAKU, wib("2026-03-09 14:00")),
    ("240 menit", "2026-03-09 10:00", "240 menit", JADWAL_BAKU, wib("2026-03-09 15:00")),
    ("450 menit = 1 hari penuh", "2026-03-09 07:30", "450 menit", JADWAL_BAKU,
     wib("2026-03-09 16:00")),
    ("sampai besok", "2026-03-09 15:50", "20 Menit", JADWAL_BAKU, wib("2026-03-10 07:40")),
    ("setelah tutup", "2026-03-09 17:00", "15 menit", JADWAL_BAKU, wib("2026-03-10 07:45")),
    ("Jumat istirahat 11:30", "2026-03-13 11:20", "15 menit", JADWAL_BAKU,
     wib("2026-03-13 13:05")),
    ("Jumat dalam istirahat", "2026-03-13 12:00", "15 menit", JADWAL_BAKU,
     wib("2026-03-13 13:15")),
    ("Jumat 12:10 masih istirahat", "2026-03-13 12:10", "60 menit", JADWAL_BAKU,
     wib("2026-03-13 14:00")),
    ("Jumat tutup 16:30", "2026-03-13 16:00", "30 menit", JADWAL_BAKU, wib("2026-03-13 16:30")),
    ("Jumat 16:20 ke Senin", "2026-03-13 16:20", "15 menit", JADWAL_BAKU,
     wib("2026-03-16 07:35")),
    ("Sabtu", "2026-03-14 10:00", "15 menit", JADWAL_BAKU, wib("2026-03-16 07:45")),
    ("Minggu malam", "2026-03-15 23:59", "10 Menit", JADWAL_BAKU, wib("2026-03-16 07:40")),
    # --- hari: close of business of the Nth working day after the start date ---
    ("1 hari Senin", "2026-03-09 10:00", "1 hari", JADWAL_BAKU, wib("2026-03-10 16:00")),
    ("Maksimal 1 hari", "2026-03-09 10:00", "Maksimal 1 hari", JADWAL_BAKU,
     wib("2026-03-10 16:00")),
    ("1 hari sebelum buka", "2026-03-09 05:00", "1 hari", JADWAL_BAKU, wib("2026-03-10 16:00")),
    ("1 hari setelah tutup", "2026-03-09 20:00", "1 Hari", JADWAL_BAKU, wib("2026-03-10 16:00")),
    ("1 hari Kamis -> Jumat", "2026-03-12 10:00", "1 hari", JADWAL_BAKU,
     wib("2026-03-13 16:30")),
    ("1 hari Jumat -> Senin", "2026-03-13 10:00", "1 hari", JADWAL_BAKU,
     wib("2026-03-16 16:00")),
    ("1 hari Sabtu -> Senin", "2026-03-14 10:00", "1 hari", JADWAL_BAKU,
     wib("2026-03-16 16:00")),
    ("1 hari Minggu -> Senin", "2026-03-15 10:00", "1 hari", JADWAL_BAKU,
     wib("2026-03-16 16:00")),
    ("Max. 3 hari kerja", "2026-03-12 09:00", "Max. 3 hari kerja", JADWAL_BAKU,
     wib("2026-03-17 16:00")),
    ("14 hari", "2026-03-09 10:00", "14 hari", JADWAL_BAKU, wib("2026-03-27 16:30")),
    ("rentang 2-4 hari memakai 4", "2026-03-09 10:00", "2-4 hari", JADWAL_BAKU,
     wib("2026-03-13 16:30")),
    ("rentang 2 - 7 Hari memakai 7", "2026-03-09 10:00", "2 - 7 Hari", JADWAL_BAKU,
     wib("2026-03-18 16:00")),
    # --- minggu / bulan: calendar, at close of business, rolled to a working day ---
    ("2 Minggu", "2026-03-09 10:00", "2 Minggu", JADWAL_BAKU, wib("2026-03-23 16:00")),
    ("2 Minggu dari Sabtu", "2026-03-07 10:00", "2 Minggu", JADWAL_BAKU,
     wib("2026-03-23 16:00")),
    ("31 Okt + 1 bulan = 30 Nov", "2026-10-31 10:00", "1 bulan", JADWAL_BAKU,
     wib("2026-11-30 16:00")),
    ("31 Jan + 1 bulan = 28 Feb (Sabtu) -> Senin 2 Mar", "2026-01-31 10:00", "1 bulan",
     JADWAL_BAKU, wib("2026-03-02 16:00")),
    ("kabisat 31 Jan + 1 bulan = 29 Feb", "2024-01-31 09:00", "1 bulan", JADWAL_BAKU,
     wib("2024-02-29 16:00")),
    ("6 bulan", "2026-03-09 10:00", "6 bulan", JADWAL_BAKU, wib("2026-09-09 16:00")),
    ("5 Bulan jatuh Jumat", "2026-03-13 10:00", "5 Bulan", JADWAL_BAKU, wib("2026-08-13 16:00")),
    ("1 bulan jatuh 17 Agustus", "2026-07-17 10:00", "1 bulan",
     jadwal_baku(libur={date(2026, 8, 17)}), wib("2026-08-18 16:00")),
    ("1 tahun", "2026-03-09 10:00", "1 tahun", JADWAL_BAKU, wib("2027-03-09 16:00")),
    # --- holidays and cuti bersama ---
    ("menit melewati Lebaran", "2025-03-27 15:50", "15 menit", JADWAL_LEBARAN,
     wib("2025-04-08 07:35")),
    ("hari melewati Lebaran", "2025-03-27 10:00", "1 hari", JADWAL_LEBARAN,
     wib("2025-04-08 16:00")),
    ("3 hari melewati Lebaran", "2025-03-26 10:00", "3 hari", JADWAL_LEBARAN,
     wib("2025-04-09 16:00")),
    ("mulai saat libur", "2025-04-02 10:00", "1 hari", JADWAL_LEBARAN, wib("2025-04-08 16:00")),
    ("Natal tanpa cuti bersama", "2025-12-24 10:00", "1 hari", jadwal_baku(libur={NATAL_2025}),
     wib("2025-12-26 16:30")),
    ("Natal + cuti bersama", "2025-12-24 10:00", "1 hari",
     jadwal_baku(libur={NATAL_2025, CUTI_NATAL_2025}), wib("2025-12-29 16:00")),
    ("menit melewati Natal + cuti bersama", "2025-12-24 15:55", "15 menit",
     jadwal_baku(libur={NATAL_2025, CUTI_NATAL_2025}), wib("2025-12-29 07:40")),
    ("2 Minggu jatuh cuti bersama", "2025-03-20 10:00", "2 Minggu", JADWAL_LEBARAN,
     wib("2025-04-08 16:00")),
    # --- zones: the calendar's local hours and dates ---
    ("WITA 07:00 WIB = 08:00 WITA", "2026-03-09 07:00", "30 menit", JADWAL_WITA,
     wita("2026-03-09 08:30")),
    ("WITA sebelum buka", "2026-03-09 06:00", "15 menit", JADWAL_WITA,
     wita("2026-03-09 07:45")),
    ("WITA tanggal lokal sudah Selasa", "2026-03-09 23:30", "1 hari", JADWAL_WITA,
     wita("2026-03-11 16:00")),
    ("WIT Jumat 15:00 WIB = 17:00 WIT", "2026-03-13 15:00", "15 menit", JADWAL_WIT,
     wit("2026-03-16 07:45")),
    ("WIT Jumat 14:20 WIB = 16:20 WIT", "2026-03-13 14:20", "20 Menit", JADWAL_WIT,
     wit("2026-03-16 07:40")),
    # --- Ramadan overlay (08:00-12:00, 12:30-15:00; Fri 08:00-11:30, 12:30-15:30) ---
    ("Ramadan istirahat 12:00-12:30", "2025-03-10 11:50", "30 menit", JADWAL_RAMADAN,
     wib("2025-03-10 12:50")),
    ("Ramadan buka 08:00", "2025-03-10 07:30", "15 menit", JADWAL_RAMADAN,
     wib("2025-03-10 08:15")),
    ("Ramadan tutup 15:00", "2025-03-10 14:50", "15 menit", JADWAL_RAMADAN,
     wib("2025-03-11 08:05")),
    ("Ramadan 1 hari Kamis -> Jumat 15:30", "2025-03-13 10:00", "1 hari", JADWAL_RAMADAN,
     wib("2025-03-14 15:30")),
    ("Ramadan 1 hari Jumat -> Senin 15:00", "2025-03-14 10:00", "1 hari", JADWAL_RAMADAN,
     wib("2025-03-17 15:00")),
    ("Jumat sebelum Ramadan -> Senin Ramadan", "2025-02-28 16:20", "15 menit", JADWAL_RAMADAN,
     wib("2025-03-03 08:05")),
    ("akhir Ramadan -> Lebaran -> jam baku", "2025-03-27 14:50", "15 menit", JADWAL_RAMADAN,
     wib("2025-04-08 07:35")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mulai", "waktu", "jadwal", "harapan"),
    [pytest.param(m, w, j, h, id=nama) for nama, m, w, j, h in CONTOH],
)
def test_contoh_tenggat(mulai: str, waktu: str, jadwal: JadwalKerja, harapan: datetime) -> None:
    hasil = hitung_tenggat(wib(mulai), parse_waktu(waktu), jadwal)
    assert hasil == harapan
    assert hasil is not None
    assert hasil.utcoffset() == harapan.utcoffset()
    assert hasil.tzinfo == jadwal.tz


@pytest.mark.parametrize("waktu", ["N/A", "Menyesuaikan", "-", "", "2 Bulan Sekali", "Rutin"])
def test_tidak_dilacak_tanpa_tenggat(waktu: str) -> None:
    assert hitung_tenggat(wib("2026-03-09 10:00"), parse_waktu(waktu), JADWAL_BAKU) is None


def test_mulai_naive_ditolak() -> None:
    with pytest.raises(ValueError, match="tz-aware"):
        hitung_tenggat(datetime(2026, 3, 9, 10), Batas("menit", 15), JADWAL_BAKU)


def test_mulai_utc_diterima() -> None:
    mulai = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)  # 10:00 WIB
    assert hitung_tenggat(mulai, Batas("menit", 15), JADWAL_BAKU) == wib("2026-03-09 10:15")


# --- calendar ----------------------------------------------------------------------------------


def test_jadwal_baku_37_5_jam_seminggu() -> None:
    senin = date(2026, 3, 9)
    assert menit_kerja_antara(wib("2026-03-09 00:00"), wib("2026-03-16 00:00"), JADWAL_BAKU) == (
        37 * 60 + 30
    )
    assert intervals_on(JADWAL_BAKU, senin) == (
        Interval(time(7, 30), time(12, 0)),
        Interval(time(13, 0), time(16, 0)),
    )
    assert intervals_on(JADWAL_BAKU, date(2026, 3, 13)) == (
        Interval(time(7, 30), time(11, 30)),
        Interval(time(13, 0), time(16, 30)),
    )
    assert intervals_on(JADWAL_BAKU, date(2026, 3, 14)) == ()
    assert intervals_on(JADWAL_BAKU, date(2026, 3, 15)) == ()
    assert JADWAL_BAKU.zona == "Asia/Jakarta"
    assert jadwal_baku() == JADWAL_BAKU
    assert hash(JADWAL_BAKU) == hash(jadwal_baku())


def test_intervals_on_libur_dan_overlay() -> None:
    assert intervals_on(JADWAL_RAMADAN, date(2025, 3, 31)) == ()  # Idul Fitri
    assert intervals_on(JADWAL_RAMADAN, date(2025, 3, 10)) == MINGGUAN_RAMADAN[0]
    assert intervals_on(JADWAL_RAMADAN, date(2025, 3, 1)) == ()  # Saturday in the overlay
    assert intervals_on(JADWAL_RAMADAN, date(2025, 2, 28)) == MINGGUAN_BAKU[4]
    assert intervals_on(JADWAL_RAMADAN, date(2025, 4, 8)) == MINGGUAN_BAKU[1]
    assert not hari_kerja(JADWAL_LEBARAN, date(2025, 4, 7))
    assert hari_kerja(JADWAL_LEBARAN, date(2025, 4, 8))
    assert tutup_kantor(JADWAL_RAMADAN, date(2025, 3, 14)) == wib("2025-03-14 15:30")
    assert tutup_kantor(JADWAL_RAMADAN, date(2025, 3, 15)) is None


def test_overlay_terakhir_menang() -> None:
    pendek = {i: (Interval(time(9), time(10)),) for i in range(5)}
    j = jadwal_baku(overlay=[RAMADAN_2025, Overlay(date(2025, 3, 10), date(2025, 3, 10), pendek)])
    assert intervals_on(j, date(2025, 3, 10)) == (Interval(time(9), time(10)),)
    assert intervals_on(j, date(2025, 3, 11)) == MINGGUAN_RAMADAN[1]


def test_dalam_jam_kerja() -> None:
    assert dalam_jam_kerja(wib("2026-03-09 07:30"), JADWAL_BAKU)
    assert dalam_jam_kerja(wib("2026-03-09 11:59"), JADWAL_BAKU)
    assert not dalam_jam_kerja(wib("2026-03-09 12:00"), JADWAL_BAKU)
    assert not dalam_jam_kerja(wib("2026-03-13 11:45"), JADWAL_BAKU)
    assert not dalam_jam_kerja(wib("2026-03-14 10:00"), JADWAL_BAKU)
    assert dalam_jam_kerja(wita("2026-03-09 07:45"), JADWAL_WITA)
    assert not dalam_jam_kerja(wib("2026-03-09 07:00"), JADWAL_BAKU)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"zona": "Asia/Tidak_Ada", "mingguan": {}},
        {"zona": "Asia/Jakarta", "mingguan": {7: ()}},
        {
            "zona": "Asia/Jakarta",
            "mingguan": {0: (Interval(time(8), time(12)), Interval(time(11), time(13)))},
        },
        {"zona": "Asia/Jakarta", "mingguan": {}, "libur": {datetime(2026, 1, 1)}},
    ],
)
def test_jadwal_tidak_valid(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        JadwalKerja(**kwargs)


def test_interval_tidak_valid() -> None:
    with pytest.raises(ValueError):
        Interval(time(12), time(12))
    with pytest.raises(ValueError):
        Interval(time(13), time(12))
    with pytest.raises(ValueError):
        Overlay(date(2025, 3, 30), date(2025, 3, 1), {})


def test_interval_diurutkan() -> None:
    j = JadwalKerja(
        "Asia/Jakarta", {0: (Interval(time(13), time(16)), Interval(time(8), time(12)))}
    )
    assert intervals_on(j, date(2026, 3, 9)) == (
        Interval(time(8), time(12)),
        Interval(time(13), time(16)),
    )
    assert tutup_kantor(j, date(2026, 3, 9)) == wib("2026-03-09 16:00")


@pytest.mark.parametrize("waktu", ["15 menit", "1 hari", "2 Minggu", "1 bulan"])
def test_jadwal_tanpa_hari_kerja_tidak_hang(waktu: str) -> None:
    kosong = JadwalKerja("Asia/Jakarta", {})
    t0 = walltime.perf_counter()
    with pytest.raises(ValueError, match="tidak memiliki waktu kerja"):
        hitung_tenggat(wib("2026-03-09 10:00"), parse_waktu(waktu), kosong)
    assert walltime.perf_counter() - t0 < 2.0


def test_libur_bertahun_tahun_tidak_hang() -> None:
    awal = date(2026, 3, 9)
    libur = {awal + timedelta(days=i) for i in range(4 * 366)}
    with pytest.raises(ValueError):
        hitung_tenggat(wib("2026-03-09 10:00"), Batas("menit", 15), jadwal_baku(libur=libur))


def test_geser_menit_nol_dan_negatif() -> None:
    t = wib("2026-03-14 10:00")  # Saturday
    assert geser_menit_kerja(t, 0, JADWAL_BAKU) == t
    with pytest.raises(ValueError):
        geser_menit_kerja(t, -1, JADWAL_BAKU)


# --- working minutes and percent -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "menit"),
    [
        ("2026-03-09 07:30", "2026-03-09 16:00", 450),
        ("2026-03-09 10:00", "2026-03-09 10:15", 15),
        ("2026-03-09 11:50", "2026-03-09 13:20", 30),
        ("2026-03-09 12:10", "2026-03-09 12:50", 0),
        ("2026-03-13 16:20", "2026-03-16 07:35", 15),
        ("2026-03-13 00:00", "2026-03-14 00:00", 450),
        ("2026-03-09 10:00", "2026-03-09 10:00", 0),
        ("2026-03-09 10:15", "2026-03-09 10:00", -15),
        ("2026-03-09 10:00:00", "2026-03-09 10:14:59", 14),
        ("2026-03-09 10:14:59", "2026-03-09 10:00:00", -14),
    ],
)
def test_menit_kerja_antara(a: str, b: str, menit: int) -> None:
    assert menit_kerja_antara(wib(a), wib(b), JADWAL_BAKU) == menit


def test_menit_kerja_antara_libur() -> None:
    a, b = wib("2025-03-27 15:50"), wib("2025-04-08 07:35")
    assert menit_kerja_antara(a, b, JADWAL_LEBARAN) == 15
    assert menit_kerja_antara(a, b, JADWAL_BAKU) == 15 + 450 * 7


def test_persen_terpakai() -> None:
    mulai = wib("2026-03-09 10:00")
    tenggat = hitung_tenggat(mulai, Batas("menit", 15), JADWAL_BAKU)
    assert tenggat == wib("2026-03-09 10:15")
    assert persen_terpakai(mulai, tenggat, wib("2026-03-09 09:00"), JADWAL_BAKU) == 0.0
    assert persen_terpakai(mulai, tenggat, mulai, JADWAL_BAKU) == 0.0
    assert persen_terpakai(mulai, tenggat, wib("2026-03-09 10:12"), JADWAL_BAKU) == pytest.approx(
        0.8
    )
    assert persen_terpakai(mulai, tenggat, tenggat, JADWAL_BAKU) == 1.0
    assert persen_terpakai(mulai, tenggat, wib("2026-03-09 10:30"), JADWAL_BAKU) == 2.0


def test_persen_terpakai_hari() -> None:
    mulai = wib("2026-03-09 10:00")
    tenggat = hitung_tenggat(mulai, Batas("hari", 1), JADWAL_BAKU)
    assert tenggat == wib("2026-03-10 16:00")  # 300 + 450 = 750 working minutes
    sekarang = wib("2026-03-10 10:00")  # 300 + 150 = 450 used
    assert persen_terpakai(mulai, tenggat, sekarang, JADWAL_BAKU) == pytest.approx(0.6)
    # lunch break: no working time passes
    assert persen_terpakai(mulai, tenggat, wib("2026-03-09 12:00"), JADWAL_BAKU) == persen_terpakai(
        mulai, tenggat, wib("2026-03-09 12:59"), JADWAL_BAKU
    )


def test_persen_terpakai_tanpa_waktu_kerja() -> None:
    a, b = wib("2026-03-14 10:00"), wib("2026-03-14 12:00")  # Saturday
    assert persen_terpakai(a, b, wib("2026-03-14 11:00"), JADWAL_BAKU) == 0.0
    assert persen_terpakai(a, b, wib("2026-03-14 12:00"), JADWAL_BAKU) == 1.0


# --- properties -------------------------------------------------------------------------------

ZONA = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
TZ_MULAI = [WIB, WITA, WIT, UTC]
HARI_MIN, HARI_MAX = date(2024, 1, 1), date(2027, 12, 31)
JUMLAH_MAKS = {"menit": 3000, "hari": 30, "minggu": 10, "bulan": 14}


@st.composite
def jadwal_st(draw: st.DrawFn) -> JadwalKerja:
    zona = draw(st.sampled_from(ZONA))
    libur = draw(st.frozensets(st.dates(HARI_MIN, date(2028, 3, 31)), max_size=60))
    overlay: list[Overlay] = []
    if draw(st.booleans()):
        awal = draw(st.dates(HARI_MIN, HARI_MAX))
        overlay.append(
            Overlay(awal, awal + timedelta(days=draw(st.integers(0, 40))), MINGGUAN_RAMADAN)
        )
    return jadwal_baku(zona, libur=libur, overlay=overlay)


mulai_st = st.datetimes(
    datetime(2024, 1, 1), datetime(2027, 12, 31, 23, 59), timezones=st.sampled_from(TZ_MULAI)
)
jenis_st = st.sampled_from(["menit", "hari", "minggu", "bulan"])


@st.composite
def batas_st(draw: st.DrawFn) -> Batas:
    jenis = draw(jenis_st)
    return Batas(jenis, draw(st.integers(1, JUMLAH_MAKS[jenis])))  # type: ignore[arg-type]


def _di_atau_akhir_interval(t: datetime, jadwal: JadwalKerja) -> bool:
    """t lies in (start, end] of a working interval of its local date."""
    lokal = t.astimezone(jadwal.tz)
    d = lokal.date()
    return any(
        datetime.combine(d, iv.mulai, tzinfo=jadwal.tz)
        < lokal
        <= datetime.combine(d, iv.selesai, tzinfo=jadwal.tz)
        for iv in intervals_on(jadwal, d)
    )


def _pada_tutup_kantor(t: datetime, jadwal: JadwalKerja) -> bool:
    d = t.astimezone(jadwal.tz).date()
    return hari_kerja(jadwal, d) and t == tutup_kantor(jadwal, d)


@settings(max_examples=200, deadline=None)
@given(mulai_st, batas_st(), jadwal_st())
def test_sifat_tenggat_tidak_sebelum_mulai_dan_di_jam_kerja(
    mulai: datetime, batas: Batas, jadwal: JadwalKerja
) -> None:
    t = hitung_tenggat(mulai, batas, jadwal)
    assert t is not None
    assert t.tzinfo == jadwal.tz
    assert t > mulai
    if batas.jenis == "menit":
        assert _di_atau_akhir_interval(t, jadwal)
        assert menit_kerja_antara(mulai, t, jadwal) == batas.jumlah
    else:
        assert _pada_tutup_kantor(t, jadwal)
    d = t.astimezone(jadwal.tz).date()
    assert d not in jadwal.libur
    assert intervals_on(jadwal, d)  # never a weekend, day off or holiday


@settings(max_examples=150, deadline=None)
@given(mulai_st, jenis_st, st.data(), jadwal_st())
def test_sifat_monoton_terhadap_jumlah(
    mulai: datetime, jenis: str, data: st.DataObject, jadwal: JadwalKerja
) -> None:
    a = data.draw(st.integers(1, JUMLAH_MAKS[jenis]))
    b = data.draw(st.integers(a, JUMLAH_MAKS[jenis]))
    ta = hitung_tenggat(mulai, Batas(jenis, a), jadwal)  # type: ignore[arg-type]
    tb = hitung_tenggat(mulai, Batas(jenis, b), jadwal)  # type: ignore[arg-type]
    assert ta is not None and tb is not None
    assert ta <= tb


@settings(max_examples=150, deadline=None)
@given(mulai_st, batas_st(), jadwal_st(), st.data())
def test_sifat_tambah_libur_tidak_mempercepat(
    mulai: datetime, batas: Batas, jadwal: JadwalKerja, data: st.DataObject
) -> None:
    t = hitung_tenggat(mulai, batas, jadwal)
    assert t is not None
    # bias the extra holiday towards the span that matters
    d0 = mulai.astimezone(jadwal.tz).date()
    ekstra = data.draw(
        st.one_of(
            st.dates(d0, t.astimezone(jadwal.tz).date()),
            st.dates(d0 - timedelta(days=3), d0 + timedelta(days=500)),
        )
    )
    lebih = jadwal_baku(jadwal.zona, libur=jadwal.libur | {ekstra}, overlay=jadwal.overlay)
    t2 = hitung_tenggat(mulai, batas, lebih)
    assert t2 is not None
    assert t2 >= t


@settings(max_examples=200, deadline=None)
@given(st.dates(HARI_MIN, HARI_MAX), st.data(), st.integers(0, 5000), jadwal_st())
def test_sifat_geser_lalu_hitung_kembali(
    d: date, data: st.DataObject, menit: int, jadwal: JadwalKerja
) -> None:
    """menit_kerja_antara(start, geser_menit_kerja(start, m)) == m for starts in working time."""
    intervals = intervals_on(jadwal, d)
    assume(intervals)
    iv = data.draw(st.sampled_from(intervals))
    awal = datetime.combine(d, iv.mulai, tzinfo=jadwal.tz)
    durasi = int((datetime.combine(d, iv.selesai, tzinfo=jadwal.tz) - awal).total_seconds())
    mulai = awal + timedelta(seconds=data.draw(st.integers(0, durasi - 1)))
    assert dalam_jam_kerja(mulai, jadwal)
    akhir = geser_menit_kerja(mulai, menit, jadwal)
    assert akhir >= mulai
    assert menit_kerja_antara(mulai, akhir, jadwal) == menit
    assert waktu_kerja_antara(mulai, akhir, jadwal) == timedelta(minutes=menit)
    if menit:
        # earliest such instant: one second earlier is still short of the limit
        assert waktu_kerja_antara(mulai, akhir - timedelta(seconds=1), jadwal) < timedelta(
            minutes=menit
        )


@settings(max_examples=150, deadline=None)
@given(mulai_st, st.integers(0, 5000), jadwal_st())
def test_sifat_geser_dari_luar_jam_kerja(mulai: datetime, menit: int, jadwal: JadwalKerja) -> None:
    akhir = geser_menit_kerja(mulai, menit, jadwal)
    assert waktu_kerja_antara(mulai, akhir, jadwal) == timedelta(minutes=menit)


@settings(max_examples=150, deadline=None)
@given(mulai_st, mulai_st, mulai_st, jadwal_st())
def test_sifat_waktu_kerja_aditif(
    a: datetime, b: datetime, c: datetime, jadwal: JadwalKerja
) -> None:
    ab = waktu_kerja_antara(a, b, jadwal)
    bc = waktu_kerja_antara(b, c, jadwal)
    assert waktu_kerja_antara(a, c, jadwal) == ab + bc
    assert waktu_kerja_antara(b, a, jadwal) == -ab
    assert menit_kerja_antara(b, a, jadwal) == -menit_kerja_antara(a, b, jadwal)


@settings(max_examples=100, deadline=None)
@given(mulai_st, batas_st(), jadwal_st(), st.data())
def test_sifat_persen_terpakai(
    mulai: datetime, batas: Batas, jadwal: JadwalKerja, data: st.DataObject
) -> None:
    t = hitung_tenggat(mulai, batas, jadwal)
    assert t is not None
    assert persen_terpakai(mulai, t, mulai, jadwal) == 0.0
    assert persen_terpakai(mulai, t, t, jadwal) == pytest.approx(1.0)
    detik = int((t - mulai).total_seconds())
    x = mulai + timedelta(seconds=data.draw(st.integers(0, detik)))
    y = mulai + timedelta(seconds=data.draw(st.integers(0, detik)))
    x, y = min(x, y), max(x, y)
    px, py = persen_terpakai(mulai, t, x, jadwal), persen_terpakai(mulai, t, y, jadwal)
    assert 0.0 <= px <= py <= 1.0 + 1e-12
