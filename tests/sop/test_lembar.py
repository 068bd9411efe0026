"""The generic reader ``sop.lembar.baca_tabel`` and its writers: typed columns, CSV, header
detection, refusals with row and column (real xlsx files written with openpyxl/xlsxwriter)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from sop.lembar import (
    BerkasTidakValid,
    Jenis,
    Kolom,
    RowError,
    baca_tabel,
    template_tabel,
    tulis_anotasi,
    tulis_tabel,
    urai_angka,
    urai_tanggal,
)

KOLOM = (
    Kolom("nik", "NIK", ("No KTP",), jenis=Jenis.NIK),
    Kolom("nama", "Nama Peminjam", ("Nama",), max_len=20, sebutan="Nama"),
    Kolom("pokok", "Pokok Pinjaman", ("Pokok",), jenis=Jenis.UANG),
    Kolom("tempo", "Jatuh Tempo", jenis=Jenis.TANGGAL),
    Kolom("bunga", "Bunga", jenis=Jenis.PERSEN, required=False),
)
NIK = "1404040101900001"


def xlsx(rows, *, sheet="Data") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


JUDUL = ["NIK", "Nama Peminjam", "Pokok Pinjaman", "Jatuh Tempo", "Bunga"]


def test_kolom_bertipe_dari_xlsx():
    data = xlsx(
        [
            ["DAFTAR PINJAMAN DANA BERGULIR"],
            ["Kabupaten Pacitan, 2026"],
            [],
            ["No", *JUDUL],
            [1, NIK, "  Siti   Aminah ", 1250000, dt.datetime(2026, 1, 31), 0.06],
            [2, NIK[:-1] + "2", "Budi", "Rp 1.250.000,50", "31/12/2026", "6,5%"],
            [3, NIK[:-1] + "3", "Ani", "1,250,000.00", 46022, None],
        ]
    )
    hasil = baca_tabel(data, KOLOM)
    assert hasil.errors == []
    assert (hasil.header_row, hasil.sheet, hasil.total_rows, hasil.format) == (4, "Data", 3, "xlsx")
    assert hasil.posisi == {"nik": 2, "nama": 3, "pokok": 4, "tempo": 5, "bunga": 6}
    a, b, c = hasil.rows
    assert (a.row, a["nama"], a["pokok"], a["tempo"], a["bunga"]) == (
        5,
        "Siti Aminah",
        Decimal("1250000.00"),
        dt.date(2026, 1, 31),
        Decimal("0.06"),
    )
    assert (b["pokok"], b["tempo"], b["bunga"]) == (
        Decimal("1250000.50"),
        dt.date(2026, 12, 31),
        Decimal("0.065"),
    )
    assert (c["pokok"], c["tempo"], c.get("bunga", "-")) == (
        Decimal("1250000.00"),
        dt.date(2025, 12, 31),  # Excel serial 46022
        "-",
    )


def test_galat_menyebut_baris_kolom_dan_tidak_memotong():
    data = xlsx(
        [
            JUDUL,
            [NIK, "Nama yang terlalu panjang sekali", "satu juta", "31/12/26", "x"],
            [float(NIK), "", 1000, "2026-02-30", None],
        ]
    )
    hasil = baca_tabel(data, KOLOM)
    assert hasil.rows == []
    pesan = {(e.row, e.huruf, e.column): e.message for e in hasil.errors}
    assert pesan[(2, "B", "Nama Peminjam")] == ("Nama terlalu panjang: 32 karakter, maksimal 20.")
    assert "bukan jumlah uang" in pesan[(2, "C", "Pokok Pinjaman")]
    assert "4 digit" in pesan[(2, "D", "Jatuh Tempo")]
    assert "bukan persentase" in pesan[(2, "E", "Bunga")]
    assert "digit ke-16" in pesan[(3, "A", "NIK")]
    assert pesan[(3, "B", "Nama Peminjam")] == "Nama wajib diisi."
    assert "bukan tanggal" in pesan[(3, "D", "Jatuh Tempo")]
    assert RowError(3, "Nama Peminjam", "x", 2).tempat == "B (Nama Peminjam)"


def test_rumus_di_kolom_tabel_ditolak_di_kolom_lain_dibiarkan():
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["No", *JUDUL])
    ws.write_formula(1, 0, "=ROW()-1", None, 1)
    ws.write_row(1, 1, [NIK, "Ani", 1000, "01/01/2026"])
    ws.write_formula(1, 3, "=1000*2", None, 2000)
    wb.close()
    hasil = baca_tabel(out.getvalue(), KOLOM)
    assert [(e.row, e.column) for e in hasil.errors] == [(2, "Pokok Pinjaman")]
    assert "rumus" in hasil.errors[0].message


def test_periksa_baris_dan_objek_sendiri():
    data = xlsx([JUDUL, [NIK, "Ani", 10, "01/01/2026"], [NIK, "Budi", 20, "01/01/2026"]])
    dilihat: set[str] = set()

    def periksa(b, salah):
        if b["nik"] in dilihat:
            salah("nik", "NIK ganda.")
        dilihat.add(b["nik"])
        return (b.row, b["nama"])

    hasil = baca_tabel(data, KOLOM, periksa=periksa)
    assert hasil.rows == [(2, "Ani")]
    assert [(e.row, e.column, e.col, e.message) for e in hasil.errors] == [
        (3, "NIK", 1, "NIK ganda.")
    ]


def test_judul_tidak_lengkap_dan_tidak_ada():
    with pytest.raises(BerkasTidakValid, match="tidak lengkap: kolom Pokok Pinjaman, Jatuh"):
        baca_tabel(xlsx([["NIK", "Nama"], [NIK, "Ani"]]), KOLOM)
    with pytest.raises(BerkasTidakValid, match="Baris judul kolom tidak ditemukan"):
        baca_tabel(xlsx([["Daftar hadir"], ["Budi"]]), KOLOM)


def test_max_rows():
    rows = [[NIK[:-1] + str(i), "A", 1, "01/01/2026"] for i in range(6)]
    assert len(baca_tabel(xlsx([JUDUL, *rows]), KOLOM, max_rows=6).rows) == 6
    with pytest.raises(BerkasTidakValid, match="lebih dari 5 baris data"):
        baca_tabel(xlsx([JUDUL, *rows]), KOLOM, max_rows=5)


# ---------------------------------------------------------------------------- CSV
@pytest.mark.parametrize(
    ("isi", "enc"),
    [
        ('NIK,Nama,Pokok,Jatuh Tempo\n{nik},Ani,"1,250,000.00",2026-12-31\n', "utf-8"),
        ("\ufeffNIK;Nama;Pokok;Jatuh Tempo\n{nik};Ani;1.250.000,00;31/12/2026\n", "utf-8"),
        (
            "Rekening koran\r\nNo rek 123\r\n\r\nNIK;Nama;Pokok;Jatuh Tempo\r\n"
            "{nik};Ani;Rp 1.250.000;31-12-2026\r\n",
            "cp1252",
        ),
        ("NIK\tNama\tPokok\tJatuh Tempo\n{nik}\tAni\t1250000\t31 Desember 2026\n", "utf-8"),
    ],
)
def test_csv(isi, enc):
    hasil = baca_tabel(isi.format(nik=NIK).encode(enc), KOLOM)
    assert hasil.format == "csv" and hasil.errors == []
    [b] = hasil.rows
    assert (b["nik"], b["nama"], b["pokok"], b["tempo"]) == (
        NIK,
        "Ani",
        Decimal("1250000.00"),
        dt.date(2026, 12, 31),
    )


def test_csv_cp1252_dan_anotasi_jadi_xlsx():
    raw = f"NIK;Nama;Pokok;Jatuh Tempo\n{NIK};José Müller;=1+1;31/12/2026\n"
    raw = raw.encode("cp1252")
    hasil = baca_tabel(raw, KOLOM)
    [e] = hasil.errors
    assert (e.row, e.column) == (2, "Pokok")
    ws = openpyxl.load_workbook(io.BytesIO(tulis_anotasi(raw, hasil.errors, 1, "CSV"))).active
    assert ws.cell(row=2, column=2).value == "José Müller"
    assert ws.cell(row=2, column=3).value == "'=1+1"  # never a formula
    assert ws.cell(row=1, column=5).value == "Keterangan Kesalahan"
    assert "Pokok:" in ws.cell(row=2, column=5).value


def test_csv_biner_dan_format_terbatas():
    with pytest.raises(BerkasTidakValid, match="bukan file Excel .xlsx atau file CSV"):
        baca_tabel(b"\x7fELF\x00\x00\x01", KOLOM)
    with pytest.raises(BerkasTidakValid, match="bukan file Excel .xlsx yang valid"):
        baca_tabel(b"NIK,Nama\n", KOLOM, format=("xlsx",))


# ---------------------------------------------------------------------------- numbers, dates
@pytest.mark.parametrize(
    ("teks", "nilai"),
    [
        ("1.250.000,00", "1250000.00"),
        ("1,250,000.50", "1250000.50"),
        ("Rp 1.250.000", "1250000"),
        ("Rp1.250", "1250"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("(1.000)", "-1000"),
        ("-1.000,25", "-1000.25"),
        ("IDR 2,000,000", "2000000"),
        ("1 250 000", "1250000"),
    ],
)
def test_urai_angka(teks, nilai):
    assert urai_angka(teks) == Decimal(nilai)


@pytest.mark.parametrize("teks", ["", "abc", "1.2.3,4,5", "1,2,3.4.5", "--1", "1e5"])
def test_urai_angka_bukan_angka(teks):
    assert urai_angka(teks) is None


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_urai_angka_format_indonesia_bolak_balik(d):
    bulat, pecahan = f"{d:.2f}".split(".")
    teks = f"{int(bulat):,}".replace(",", ".") + "," + pecahan
    assert urai_angka(teks) == d
    assert urai_angka(f"Rp {teks}") == d


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_urai_tanggal_bolak_balik(d):
    assert urai_tanggal(f"{d:%d/%m/%Y}") == d
    assert urai_tanggal(d.isoformat()) == d


# ---------------------------------------------------------------------------- writers
def test_template_dan_dibaca_ulang():
    data = template_tabel(KOLOM, judul="PINJAMAN", catatan="Isi mulai baris 4.")
    hasil = baca_tabel(data, KOLOM)
    assert (hasil.header_row, hasil.total_rows) == (3, 0)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.column_dimensions["A"].number_format == "@"  # the NIK column stays text


def test_ekspor_aman(tmp_path):
    path = tmp_path / "x.xlsx"
    nama = tulis_tabel(
        path,
        [
            (
                "Pinjaman: [2026]/Jan*",
                JUDUL,
                [(int(NIK), "=cmd|' /C calc'!A0", Decimal("5"), dt.date(2026, 1, 2), "\uff1d1+1")],
            ),
            ("pinjaman- 2026 -jan", ["Nama"], [("@SUM(A1)",)]),
        ],
        kolom=KOLOM,
    )
    assert nama == ["Pinjaman- -2026--Jan-", "pinjaman- 2026 -jan"]
    wb = openpyxl.load_workbook(path)
    ws = wb[nama[0]]
    assert [c.value for c in ws[2]] == [
        NIK,
        "'=cmd|' /C calc'!A0",
        5,
        dt.datetime(2026, 1, 2),
        "'\uff1d1+1",
    ]
    assert ws.cell(row=2, column=1).data_type == "s"
    assert wb[nama[1]].cell(row=2, column=1).value == "'@SUM(A1)"
