"""Inti spreadsheet BPUM (tanpa Django): baca rekap, anotasi, template, ekspor.

Semua berkas xlsx dibuat sungguhan dengan openpyxl/xlsxwriter (sebagian XML-nya ditulis tangan
untuk jalur pemindaian yang jarang: awalan namespace, sel tanpa atribut r).
"""

import io
import re
import tracemalloc
import zipfile

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from bpum.spreadsheet import (
    JUDUL_KETERANGAN,
    KOLOM_REKAP,
    BarisRekap,
    BerkasTidakValid,
    RowError,
    baca_rekap,
    huruf_kolom,
    netralkan_teks,
    normalisasi_nama,
    template_rekap,
    tulis_anotasi,
    tulis_rekap,
)

DESA = {
    "14.04.04.1001": "Sungai Apit",
    "14.04.04.1004": "Sungaiperak",
    "14.04.04.2003": "Teluk Lanus",
}
JUDUL = [k.label for k in KOLOM_REKAP]  # NIK, No KK, Nama Lengkap, Alamat..., Desa, Bidang, No HP


def nik(serial: int = 1, *, perempuan: bool = False, ddmmyy: str = "010190") -> str:
    """NIK valid: Riau (14), kab 04, kec 04, lahir 01-01-1990 (+40 untuk perempuan)."""
    hari = int(ddmmyy[:2]) + (40 if perempuan else 0)
    return f"140404{hari:02d}{ddmmyy[2:]}{serial:04d}"


def kk(serial: int = 1) -> str:
    return f"140404120320{serial:04d}"


def baris(serial: int = 1, **ubah):
    data = {
        "nik": nik(serial),
        "no_kk": kk(serial),
        "nama": f"Penerima {serial}",
        "alamat": f"Jl. Lintas Timur No. {serial}",
        "desa": "Sungai Apit",
        "bidang_usaha": "Perdagangan",
        "no_hp": "0812-3456-7890",
    }
    data.update(ubah)
    return [data[k.key] for k in KOLOM_REKAP]


def buat_xlsx(isi, *, judul_sheet="Rekap", sheet_lain=()):
    """Workbook openpyxl; ``isi`` = daftar baris mulai A1 (None = sel kosong)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = judul_sheet
    for r, row in enumerate(isi, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
    for nama, baris_lain in sheet_lain:
        ws2 = wb.create_sheet(nama)
        for row in baris_lain:
            ws2.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rekap(*data_rows, judul=JUDUL, title_rows=()):
    return buat_xlsx([*title_rows, judul, *data_rows])


def ganti_sheet_xml(data: bytes, xml: str, path="xl/worksheets/sheet1.xml") -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            isi = xml.encode() if info.filename == path else src.read(info.filename)
            dst.writestr(info.filename, isi)
    return out.getvalue()


def pesan_di(hasil, row):
    return [e.message for e in hasil.errors if e.row == row]


# --------------------------------------------------------------------------------------------
# Baris judul, varian judul, desa
# --------------------------------------------------------------------------------------------


def test_baris_valid_dibaca_lengkap():
    hasil = baca_rekap(rekap(baris(1)), desa=DESA)
    assert hasil.errors == []
    assert hasil.rows == [
        BarisRekap(
            row=2,
            nik="1404040101900001",
            no_kk="1404041203200001",
            nama="Penerima 1",
            alamat="Jl. Lintas Timur No. 1",
            desa_kode="14.04.04.1001",
            desa_nama="Sungai Apit",
            bidang_usaha="Perdagangan",
            no_hp="+6281234567890",
        )
    ]
    assert (hasil.header_row, hasil.sheet, hasil.total_rows) == (1, "Rekap", 1)


def test_judul_kolom_di_bawah_dua_baris_judul_laporan():
    data = rekap(
        baris(1),
        baris(2),
        title_rows=[["REKAP CALON PENERIMA BPUM"], ["KECAMATAN SUNGAI APIT TAHUN 2026"]],
    )
    hasil = baca_rekap(data, desa=DESA)
    assert hasil.header_row == 3
    assert [r.row for r in hasil.rows] == [4, 5]
    assert hasil.errors == []


def test_judul_laporan_dengan_baris_kosong_dan_kolom_geser():
    # Tabel mulai di kolom B, ada baris kosong di antara judul laporan dan judul kolom.
    data = buat_xlsx(
        [["Rekap BPUM"], [], [None, *JUDUL], [None, *baris(1)], [None, *baris(2, nik=12345)]]
    )
    hasil = baca_rekap(data, desa=DESA)
    assert hasil.header_row == 3
    assert [r.row for r in hasil.rows] == [4]
    assert [(e.row, e.column, e.col) for e in hasil.errors] == [(5, "NIK", 2)]


@pytest.mark.parametrize(
    "judul",
    [
        ["nik", "NO KK", "Nama", "Alamat KTP", "Desa / Kelurahan", "Jenis Usaha", "No. HP"],
        ["N I K", "No. K.K.", "NAMA LENGKAP", "alamat sesuai ktp", "DESA/KEL", "Usaha", "Nomor HP"],
        [
            "NIK (16 digit)",
            "Nomor KK",
            " Nama  Lengkap ",
            "Alamat",
            "Kelurahan",
            "Bidang Usaha",
            "HP",
        ],
    ],
)
def test_varian_judul_kolom(judul):
    hasil = baca_rekap(rekap(baris(1), judul=judul), desa=DESA)
    assert hasil.errors == []
    assert len(hasil.rows) == 1
    assert hasil.rows[0].no_hp == "+6281234567890"
    assert hasil.kolom["nik"] == " ".join(judul[0].split())


def test_urutan_kolom_bebas_dan_kolom_lain_diabaikan():
    judul = ["No", "Nama", "NIK", "Keterangan", "No KK", "Desa", "Alamat"]
    b = baris(1)
    data = rekap([1, b[2], b[0], "catatan", b[1], b[4], b[3]], judul=judul)
    hasil = baca_rekap(data, desa=DESA)
    assert hasil.errors == []
    assert hasil.rows[0].nik == nik(1)
    assert hasil.rows[0].bidang_usaha == "" and hasil.rows[0].no_hp == ""


@pytest.mark.parametrize(
    "tulisan",
    ["SUNGAI PERAK", " sungai  perak ", "Sungai-Perak", "Desa Sungai Perak", "14.04.04.1004"],
)
def test_varian_nama_desa(tulisan):
    hasil = baca_rekap(rekap(baris(1, desa=tulisan)), desa=DESA)
    assert hasil.errors == []
    assert (hasil.rows[0].desa_kode, hasil.rows[0].desa_nama) == ("14.04.04.1004", "Sungaiperak")


def test_desa_tidak_dikenal():
    hasil = baca_rekap(rekap(baris(1), baris(2, desa="Kampung Baru")), desa=DESA)
    assert [r.row for r in hasil.rows] == [2]
    [err] = hasil.errors
    assert (err.row, err.column) == (3, "Desa/Kelurahan")
    assert "Kampung Baru" in err.message and "tidak ada di kecamatan ini" in err.message
    assert "Sungaiperak" in err.message  # daftar pilihan


def test_sel_gabungan_desa_diisi_ke_bawah():
    data = rekap(baris(1, desa="Teluk Lanus"), baris(2, desa=None), baris(3, desa=None))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb.active.merge_cells("E2:E4")
    out = io.BytesIO()
    wb.save(out)
    hasil = baca_rekap(out.getvalue(), desa=DESA)
    assert hasil.errors == []
    assert [r.desa_kode for r in hasil.rows] == ["14.04.04.2003"] * 3


def test_baris_kosong_dilewati_dan_teks_dirapikan():
    data = rekap(
        baris(1),
        [None] * 7,
        ["  ", None, "\t", None, None, None, None],
        baris(2, nama="  Siti   Aminah ", alamat=" Jl. Mawar\n No. 2 ", desa=" Teluk Lanus "),
    )
    hasil = baca_rekap(data, desa=DESA)
    assert hasil.errors == []
    assert hasil.total_rows == 2
    assert [r.row for r in hasil.rows] == [2, 5]
    assert (hasil.rows[1].nama, hasil.rows[1].alamat) == ("Siti Aminah", "Jl. Mawar No. 2")


def test_rumus_yang_ditarik_ke_baris_kosong_tidak_membuat_baris_terisi():
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet()
    ws.write_row(0, 0, JUDUL)
    ws.write_row(1, 0, baris(1))
    for r in range(2, 6):  # =PROPER(...) ditarik ke bawah, hasilnya "" selama belum diisi
        ws.write_formula(r, 2, f'=IF(H{r + 1}="","",PROPER(H{r + 1}))', None, "")
    wb.close()
    hasil = baca_rekap(out.getvalue(), desa=DESA)
    assert (hasil.total_rows, hasil.errors, [r.row for r in hasil.rows]) == (1, [], [2])


def test_nama_dan_alamat_wajib():
    hasil = baca_rekap(rekap(baris(1, nama=None, alamat="   ")), desa=DESA)
    assert hasil.rows == []
    assert [(e.row, e.column, e.message) for e in hasil.errors] == [
        (2, "Nama Lengkap", "Nama wajib diisi."),
        (2, "Alamat Sesuai KTP", "Alamat wajib diisi."),
    ]


# --------------------------------------------------------------------------------------------
# NIK, No KK, No HP
# --------------------------------------------------------------------------------------------


def test_nik_angka_ditolak_dengan_pesan_digit_ke_16():
    angka = 1404040101900001
    data = rekap(baris(1), baris(2, nik=angka), title_rows=[["Rekap"]])
    hasil = baca_rekap(data, desa=DESA)
    [err] = hasil.errors
    assert err.row == 4 and err.column == "NIK" and err.col == 1
    # all 16 digits are there (written by a program, not typed in Excel): store it as Text
    assert "Ke-16 digitnya masih utuh" in err.message
    assert "Teks" in err.message and "sebagai angka" in err.message
    assert [r.row for r in hasil.rows] == [3]


def test_no_kk_angka_dan_notasi_ilmiah_ditolak():
    data = rekap(baris(1, no_kk=1404041203200001), baris(2, nik="1.40404E+15"))
    hasil = baca_rekap(data, desa=DESA)
    assert [(e.row, e.column) for e in hasil.errors] == [(2, "No KK"), (3, "NIK")]
    assert "Ke-16 digitnya masih utuh" in hasil.errors[0].message
    assert "digit ke-16 sudah terpotong" in hasil.errors[1].message  # 1.40404E+15 lost digits


@pytest.mark.parametrize(
    ("nilai", "potongan"),
    [
        ("9904040101900001", "bukan kode provinsi"),
        ("1404043201900001", "bukan tanggal lahir"),
        ("1404047201900001", "bukan tanggal lahir"),  # perempuan: 72 - 40 = 32 Januari
        ("1404040113900001", "bukan tanggal lahir"),  # bulan 13
        ("1404040101900000", "tidak boleh 0000"),
        ("1400000101900001", "tidak boleh 00"),
        ("140404010190001", "harus 16 digit angka (terisi 15 digit)"),
    ],
)
def test_nik_tidak_valid(nilai, potongan):
    hasil = baca_rekap(rekap(baris(1, nik=nilai)), desa=DESA)
    [err] = hasil.errors
    assert err.column == "NIK"
    assert err.message.startswith("NIK tidak valid: ")
    assert potongan in err.message


def test_nik_banyak_masalah_jadi_satu_pesan():
    hasil = baca_rekap(rekap(baris(1, nik="9904043201900000")), desa=DESA)
    [err] = hasil.errors
    assert "provinsi" in err.message and "tanggal" in err.message and "0000" in err.message


def test_nik_perempuan_dan_pemisah_diterima():
    data = rekap(baris(1, nik=nik(1, perempuan=True)), baris(2, nik="1404 0401 0190 0002"))
    hasil = baca_rekap(data, desa=DESA)
    assert hasil.errors == []
    assert [r.nik for r in hasil.rows] == ["1404044101900001", "1404040101900002"]


def test_nik_ganda_dalam_berkas():
    data = rekap(baris(1), baris(2), baris(3, nik=nik(1)), title_rows=[["Judul"]])
    hasil = baca_rekap(data, desa=DESA)
    [err] = hasil.errors
    assert (err.row, err.column) == (5, "NIK")
    assert "baris 3" in err.message
    assert [r.row for r in hasil.rows] == [3, 4]


@pytest.mark.parametrize(
    ("hp", "hasil_hp"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6285712345678", "+6285712345678"),
        (81234567890, "+6281234567890"),  # sel angka: 0 di depan hilang, tetap bisa dipulihkan
        (None, ""),
    ],
)
def test_no_hp_dinormalisasi(hp, hasil_hp):
    hasil = baca_rekap(rekap(baris(1, no_hp=hp)), desa=DESA)
    assert hasil.errors == []
    assert hasil.rows[0].no_hp == hasil_hp


@pytest.mark.parametrize(
    ("hp", "potongan"), [("0812", "tidak valid"), ("(0761) 555-123", "seluler")]
)
def test_no_hp_tidak_valid(hp, potongan):
    hasil = baca_rekap(rekap(baris(1, no_hp=hp)), desa=DESA)
    [err] = hasil.errors
    assert err.column == "No HP" and potongan in err.message


# --------------------------------------------------------------------------------------------
# Rumus
# --------------------------------------------------------------------------------------------


def test_sel_rumus_ditolak_openpyxl_tanpa_cache():
    data = rekap(baris(1), baris(2, nama='=CONCAT("Bu ","Ani")'), title_rows=[["Judul"]])
    hasil = baca_rekap(data, desa=DESA)
    [err] = hasil.errors
    assert (err.row, err.column) == (4, "Nama Lengkap")
    assert "rumus" in err.message


def test_sel_rumus_ditolak_walau_ada_nilai_cache_dan_rumus_kolom_lain_dibiarkan():
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, ["No", *JUDUL])
    for i in range(1, 5):
        ws.write_formula(i, 0, "=ROW()-1", None, i)  # kolom "No" bukan kolom template
        ws.write_row(i, 1, baris(i))
    ws.write_formula(2, 1, '="1404040101900002"', None, "1404040101900002")
    ws.write_formula(3, 3, '=UPPER("x")', None, "X")
    ws.write_array_formula(4, 7, 4, 7, '{="0812"&"34567890"}', None, "081234567890")
    wb.close()
    hasil = baca_rekap(out.getvalue(), desa=DESA)
    assert [(e.row, e.column) for e in hasil.errors] == [
        (3, "NIK"),
        (4, "Nama Lengkap"),
        (5, "No HP"),
    ]
    assert [r.row for r in hasil.rows] == [2]


def test_rumus_array_menandai_seluruh_rentang():
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet()
    ws.write_row(0, 0, JUDUL)
    for i in range(1, 4):
        ws.write_row(i, 0, baris(i))
    ws.write_array_formula("F2:F4", '{=UPPER("dagang")}', None, "DAGANG")
    wb.close()
    hasil = baca_rekap(out.getvalue(), desa=DESA)
    assert [(e.row, e.column) for e in hasil.errors] == [
        (2, "Bidang Usaha"),
        (3, "Bidang Usaha"),
        (4, "Bidang Usaha"),
    ]


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sel(teks, prefix=""):
    p = prefix
    return f'<{p}c t="inlineStr"><{p}is><{p}t>{teks}</{p}t></{p}is></{p}c>'


def _sheet_xml(baris_xml, prefix=""):
    p = prefix
    xmlns = f'xmlns:{p[:-1]}="{_NS}"' if p else f'xmlns="{_NS}"'
    isi = "".join(f"<{p}row>{r}</{p}row>" for r in baris_xml)
    return f"<{p}worksheet {xmlns}><{p}sheetData>{isi}</{p}sheetData></{p}worksheet>"


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_rumus_terdeteksi_pada_sel_tanpa_atribut_r_dan_berawalan_namespace(prefix):
    p = prefix
    judul = "".join(_sel(t, p) for t in JUDUL)
    satu = "".join(_sel(v, p) for v in baris(1))
    b2 = baris(2)
    dua = (
        _sel(b2[0], p)
        + f'<{p}c t="str"><{p}f>A2</{p}f><{p}v>{kk(2)}</{p}v></{p}c>'
        + "".join(_sel(v, p) for v in b2[2:])
    )
    data = ganti_sheet_xml(rekap(), _sheet_xml([judul, satu, dua], p))
    hasil = baca_rekap(data, desa=DESA)
    assert [(e.row, e.column) for e in hasil.errors] == [(3, "No KK")]
    assert [r.row for r in hasil.rows] == [2]


def test_rumus_terdeteksi_pada_xml_berawalan_dengan_atribut_r():
    rows = []
    for r, nilai in enumerate([JUDUL, baris(1), baris(2)], start=1):
        sel = []
        for c, v in enumerate(nilai, start=1):
            ref = f"{huruf_kolom(c)}{r}"
            if (r, c) == (3, 3):
                sel.append(f'<x:c r="{ref}" t="str"><x:f>"A"&amp;"B"</x:f><x:v>AB</x:v></x:c>')
            else:
                sel.append(f'<x:c r="{ref}" t="inlineStr"><x:is><x:t>{v}</x:t></x:is></x:c>')
        rows.append(f'<x:row r="{r}">{"".join(sel)}</x:row>')
    xml = f'<x:worksheet xmlns:x="{_NS}"><x:sheetData>{"".join(rows)}</x:sheetData></x:worksheet>'
    hasil = baca_rekap(ganti_sheet_xml(rekap(), xml), desa=DESA)
    assert [(e.row, e.column) for e in hasil.errors] == [(3, "Nama Lengkap")]


# --------------------------------------------------------------------------------------------
# Berkas buruk
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "potongan"),
    [
        (b"", "kosong"),
        (b"NIK,Nama\n1404040101900001,Ani\n", "bukan file Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, ".xls"),
    ],
)
def test_bukan_xlsx(data, potongan):
    with pytest.raises(BerkasTidakValid, match=re.escape(potongan)):
        baca_rekap(data, desa=DESA)


def test_zip_yang_bukan_xlsx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("dokumen.txt", "halo")
    with pytest.raises(BerkasTidakValid, match="bukan file Excel"):
        baca_rekap(out.getvalue(), desa=DESA)


def test_xlsx_rusak():
    data = rekap(baris(1))
    with pytest.raises(BerkasTidakValid):
        baca_rekap(data[: len(data) // 2], desa=DESA)
    rusak = ganti_sheet_xml(data, "<worksheet><sheetData><row><c>")
    with pytest.raises(BerkasTidakValid):
        baca_rekap(rusak, desa=DESA)


def test_workbook_kosong():
    with pytest.raises(BerkasTidakValid, match="kosong"):
        baca_rekap(buat_xlsx([]), desa=DESA)


def test_tanpa_baris_judul_kolom():
    data = buat_xlsx([["Daftar hadir rapat"], ["Budi", "Kepala Seksi"]])
    with pytest.raises(BerkasTidakValid, match="Baris judul kolom tidak ditemukan") as exc:
        baca_rekap(data, desa=DESA)
    assert "NIK" in str(exc.value)


def test_baris_judul_tidak_lengkap_menyebut_kolom_yang_kurang():
    data = rekap(["x", "y"], judul=["NIK", "Nama", "Alamat"])
    with pytest.raises(BerkasTidakValid, match="No KK, Desa/Kelurahan") as exc:
        baca_rekap(data, desa=DESA)
    assert "baris 1" in str(exc.value)


def test_sheet_salah_dan_pemilihan_sheet_otomatis():
    data = buat_xlsx(
        [["Petunjuk pengisian"]], judul_sheet="Petunjuk", sheet_lain=[("Data", [JUDUL, baris(1)])]
    )
    hasil = baca_rekap(data, desa=DESA)
    assert hasil.sheet == "Data" and len(hasil.rows) == 1
    assert baca_rekap(data, desa=DESA, sheet="Data").rows == hasil.rows
    with pytest.raises(BerkasTidakValid, match='Lembar "Rekap" tidak ada.*"Petunjuk", "Data"'):
        baca_rekap(data, desa=DESA, sheet="Rekap")
    with pytest.raises(BerkasTidakValid, match="tidak ditemukan"):
        baca_rekap(data, desa=DESA, sheet="Petunjuk")


def test_max_rows_terlampaui():
    data = rekap(*(baris(i) for i in range(1, 7)))
    assert len(baca_rekap(data, desa=DESA, max_rows=6).rows) == 6
    with pytest.raises(BerkasTidakValid, match="lebih dari 5 baris data"):
        baca_rekap(data, desa=DESA, max_rows=5)


def test_lembar_raksasa_ditolak_sebelum_calamine_memuat():
    # calamine membuat larik padat tinggi x lebar: sel A1 + XFD60000 = ~1 miliar sel (abort OOM).
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet()
    ws.write_row(0, 0, JUDUL)
    ws.write_string(59_999, 16_383, "x")
    wb.close()
    with pytest.raises(BerkasTidakValid, match="terlalu besar.*XFD60000"):
        baca_rekap(out.getvalue(), desa=DESA)
    ws_baris = rekap(baris(1))
    ws_baris = ganti_sheet_xml(
        ws_baris,
        _sheet_xml([]).replace(
            "<sheetData></sheetData>",
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>NIK</t></is></c></row>'
            '<row r="900000"><c r="A900000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
        ),
    )
    with pytest.raises(BerkasTidakValid, match="sampai baris 900.000"):
        baca_rekap(ws_baris, desa=DESA, max_rows=1000)


@pytest.mark.parametrize(
    "sel_jahat",
    [
        '<c r="G2" r="A99999999999" t="inlineStr"><is><t>x</t></is></c>',  # atribut r ganda
        '<c r="G2" t="inlineStr"r="A99999999999"><is><t>x</t></is></c>',  # tanpa spasi
        '<c r="G2"r="A99999999999"><v>1</v></c>',
        '<c r="A99999999999"><v>1</v></c>',  # nomor baris di luar batas Excel
        '<c r="ZZZZ2"><v>1</v></c>',  # kolom di luar batas Excel
        '<c r="Z900000"><v>1</v></c>',  # di dalam batas Excel, di luar batas max_rows
        '<c r = "Z900000"><v>1</v></c>',  # spasi di sekitar "=" (jalur lambat)
        "<c r='Z900000'><v>1</v></c>",  # kutip tunggal (jalur lambat)
    ],
)
def test_berkas_jahat_ditolak_tanpa_abort(sel_jahat):
    """Referensi sel raksasa yang diselundupkan tidak boleh sampai ke calamine (abort OOM)."""
    rows = []
    for r, nilai in enumerate([JUDUL, baris(1)], start=1):
        sel = "".join(
            f'<c r="{huruf_kolom(c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
            for c, v in enumerate(nilai, start=1)
        )
        rows.append(f'<row r="{r}">{sel}{sel_jahat if r == 2 else ""}</row>')
    xml = f'<worksheet xmlns="{_NS}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
    assert baca_rekap(ganti_sheet_xml(rekap(), xml.replace(sel_jahat, "")), desa=DESA).rows
    with pytest.raises(BerkasTidakValid):
        baca_rekap(ganti_sheet_xml(rekap(), xml), desa=DESA, max_rows=1000)


def test_sel_kosong_berformat_tidak_dihitung_sebagai_isi():
    # Baris yang hanya berisi sel kosong berformat (mis. kolom diformat Teks sampai baris 5000)
    # tidak membuat berkas dianggap terlalu besar.
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet()
    teks = wb.add_format({"num_format": "@"})
    ws.write_row(0, 0, JUDUL)
    ws.write_row(1, 0, baris(1))
    for r in range(2, 5000):
        ws.write_blank(r, 0, None, teks)
    wb.close()
    hasil = baca_rekap(out.getvalue(), desa=DESA, max_rows=100)
    assert hasil.total_rows == 1 and hasil.errors == []


def test_baca_dari_path_dan_objek_file(tmp_path):
    data = rekap(baris(1))
    path = tmp_path / "rekap.xlsx"
    path.write_bytes(data)
    assert baca_rekap(path, desa=DESA).rows == baca_rekap(str(path), desa=DESA).rows
    with path.open("rb") as fh:
        assert len(baca_rekap(fh, desa=DESA).rows) == 1


# --------------------------------------------------------------------------------------------
# Anotasi kesalahan
# --------------------------------------------------------------------------------------------


def test_anotasi_menulis_keterangan_di_baris_yang_salah():
    data = rekap(
        baris(1),
        baris(2, nik=1404040101900002),
        baris(3),
        baris(4, desa="Kampung Baru", no_hp="123"),
        title_rows=[["REKAP BPUM"]],
    )
    hasil = baca_rekap(data, desa=DESA)
    assert {e.row for e in hasil.errors} == {4, 6}
    hasil_xlsx = tulis_anotasi(data, hasil.errors, hasil.header_row, hasil.sheet)
    ws = openpyxl.load_workbook(io.BytesIO(hasil_xlsx))[hasil.sheet]
    kolom_ket = len(JUDUL) + 1  # H
    assert ws.cell(row=2, column=kolom_ket).value == JUDUL_KETERANGAN
    assert "tersimpan sebagai angka" in ws.cell(row=4, column=kolom_ket).value
    ket6 = ws.cell(row=6, column=kolom_ket).value
    assert "Desa/Kelurahan:" in ket6 and "Kampung Baru" in ket6 and "No HP:" in ket6
    assert ws.cell(row=3, column=kolom_ket).value is None
    assert ws.cell(row=5, column=kolom_ket).value is None
    # Sel yang salah diwarnai, sel yang benar tidak.
    assert ws.cell(row=4, column=1).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(row=6, column=5).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(row=6, column=1).fill.fill_type is None
    # Isi asli tetap.
    assert ws.cell(row=3, column=1).value == nik(1)

    # Diunggah ulang setelah diperbaiki sebagian: kolom keterangan dipakai ulang, bukan ditambah.
    ulang = tulis_anotasi(hasil_xlsx, [RowError(6, "No HP", "masih salah")], 2, hasil.sheet)
    ws2 = openpyxl.load_workbook(io.BytesIO(ulang))[hasil.sheet]
    assert ws2.max_column == kolom_ket
    assert ws2.cell(row=4, column=kolom_ket).value is None
    assert ws2.cell(row=6, column=kolom_ket).value == "No HP: masih salah"
    assert ws2.cell(row=6, column=7).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws2.cell(row=4, column=1).fill.fill_type is None  # warna anotasi lama dihapus
    assert ws2.cell(row=4, column=kolom_ket).fill.fill_type is None


def test_anotasi_pesan_yang_diawali_tanda_sama_dengan_dinetralkan():
    data = rekap(baris(1))
    out = tulis_anotasi(data, [RowError(2, "Nama Lengkap", "=HYPERLINK(1)")], 1, "Rekap")
    ws = openpyxl.load_workbook(io.BytesIO(out))["Rekap"]
    sel = ws.cell(row=2, column=len(JUDUL) + 1)
    assert sel.data_type == "s" and sel.value.startswith("Nama Lengkap: ")


# --------------------------------------------------------------------------------------------
# Template
# --------------------------------------------------------------------------------------------


def test_template_kolom_teks_dan_bisa_dibaca_ulang():
    data = template_rekap()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Rekap BPUM"]
    judul = [c.value for c in ws[3]][: len(JUDUL)]
    assert judul == JUDUL
    # xlsxwriter menggabungkan kolom bertetangga yang formatnya sama (<col min="1" max="2">).
    format_kolom = {}
    for dim in ws.column_dimensions.values():
        for c in range(dim.min, dim.max + 1):
            format_kolom[c] = dim.number_format
    for c, k in enumerate(KOLOM_REKAP, start=1):
        assert (format_kolom.get(c) == "@") is k.teks, (k.key, format_kolom.get(c))
    assert ws.cell(row=3, column=1).comment is not None
    assert "Teks" in ws.cell(row=2, column=1).value
    assert "digit ke-16" in ws.cell(row=2, column=1).value
    hasil = baca_rekap(data, desa=DESA)
    assert (hasil.header_row, hasil.total_rows, hasil.errors) == (3, 0, [])

    # Diisi seperti pengguna (NIK sebagai teks) -> terbaca.
    ws.append(baris(1))
    out = io.BytesIO()
    wb.save(out)
    hasil = baca_rekap(out.getvalue(), desa=DESA)
    assert [r.row for r in hasil.rows] == [4]


# --------------------------------------------------------------------------------------------
# Ekspor
# --------------------------------------------------------------------------------------------


def test_ekspor_lembar_per_kecamatan_teks_dan_netralisasi(tmp_path):
    kolom = ["NIK", "No KK", "Nama Lengkap", "Desa/Kelurahan", "No HP", "Jumlah", "Catatan"]
    apit = (
        (nik(i), kk(i), f"Penerima {i}", "Sungai Apit", "+6281234567890", 1000 * i, "=1+1")
        for i in range(1, 4)
    )
    nama_aneh = "Kec. [Baru]/Timur: *Sangat* Panjang Sekali Namanya?"
    kelompok = [
        ("Sungai Apit", apit),
        (nama_aneh, [(nik(9), kk(9), "@SUM(A1)", "Desa", None, -5, "-2+3+cmd|' /C calc'!A0")]),
        ("Tanpa Nama Kolom Teks", [(int(nik(8)), None, "x", "y", None, 1404041203200008, "z")]),
        ("sungai apit", []),  # nama lembar bentrok (tidak peka huruf besar/kecil)
        ("Ringkasan", []),
    ]
    ringkasan = [("Sungai Apit", "Sungai Apit", 3), ("Sungai Apit", "=Total", 0)]
    path = tmp_path / "ekspor.xlsx"
    nama = tulis_rekap(path, kelompok, ringkasan, kolom)

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == nama
    assert nama[0] == "Ringkasan" and nama[1] == "Sungai Apit"
    assert len(set(n.casefold() for n in nama)) == len(nama)
    for n in nama:
        assert len(n) <= 31 and not set(n) & set("[]:*?/\\")
    assert nama[4] == "sungai apit (2)" and nama[5] == "Ringkasan (2)"
    # NIK sebagai int tetap teks utuh; angka > 15 digit di kolom lain juga jadi teks.
    lain = wb["Tanpa Nama Kolom Teks"]
    assert lain.cell(row=2, column=1).value == nik(8)
    assert lain.cell(row=2, column=6).value == "1404041203200008"

    ws = wb["Sungai Apit"]
    assert [c.value for c in ws[1]] == kolom
    assert ws.max_row == 4
    for r in range(2, 5):
        sel_nik = ws.cell(row=r, column=1)
        assert sel_nik.data_type == "s" and sel_nik.value == nik(r - 1)
        assert len(sel_nik.value) == 16 and sel_nik.number_format == "@"
        assert ws.cell(row=r, column=2).value == kk(r - 1)
        assert ws.cell(row=r, column=5).value == "+6281234567890"  # angka polos tidak diubah
        assert ws.cell(row=r, column=6).value == 1000 * (r - 1)  # angka tetap angka
        assert ws.cell(row=r, column=7).value == "'=1+1"
        assert ws.cell(row=r, column=7).data_type == "s"
    aneh = wb[nama[2]]
    assert aneh.cell(row=2, column=3).value == "'@SUM(A1)"
    assert aneh.cell(row=2, column=7).value == "'-2+3+cmd|' /C calc'!A0"
    assert aneh.cell(row=2, column=6).value == -5

    rk = wb["Ringkasan"]
    assert [[c.value for c in r] for r in rk.iter_rows()] == [
        ["Kecamatan", "Desa/Kelurahan", "Jumlah Penerima"],
        ["Sungai Apit", "Sungai Apit", 3],
        ["Sungai Apit", "'=Total", 0],
    ]
    # Tidak ada rumus sama sekali di berkas ekspor.
    with zipfile.ZipFile(path) as zf:
        for n in zf.namelist():
            if n.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(n)


def test_ekspor_memori_tidak_tumbuh_dengan_jumlah_baris(tmp_path):
    kolom = ["NIK", "No KK", "Nama Lengkap", "Alamat Sesuai KTP"]

    def puncak(n):
        rows = (
            (nik(1 + i % 9000), kk(i % 9000), f"Nama {i}", "Jl. Panjang " * 4) for i in range(n)
        )
        tracemalloc.start()
        tulis_rekap(tmp_path / f"e{n}.xlsx", [("Kec", rows)], [], kolom)
        _, p = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return p

    kecil, besar = puncak(500), puncak(10_000)
    assert besar < kecil * 2 + 512 * 1024, (kecil, besar)


# --------------------------------------------------------------------------------------------
# Utilitas
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SUNGAI PERAK", "Sungaiperak"),
        ("Desa / Kelurahan", "desa-kelurahan"),
        ("No. HP", "no hp"),
        ("ＮＩＫ", "nik"),  # fullwidth
    ],
)
def test_normalisasi_nama(a, b):
    assert normalisasi_nama(a) == normalisasi_nama(b) != ""


@pytest.mark.parametrize(
    ("masuk", "keluar"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("+6281234567890", "+6281234567890"),
        ("-5", "-5"),
        ("Budi", "Budi"),
        ("", ""),
    ],
)
def test_netralkan_teks(masuk, keluar):
    assert netralkan_teks(masuk) == keluar


@given(st.text(max_size=30))
def test_netralkan_teks_tidak_pernah_menyisakan_awalan_rumus(s):
    hasil = netralkan_teks(s)
    assert hasil.endswith(s)
    if hasil and hasil[0] in "=+-@\t\r\n":
        assert re.fullmatch(r"[+\-]?[0-9][0-9 .,]*", hasil)


def test_huruf_kolom():
    assert [huruf_kolom(n) for n in (1, 26, 27, 52, 16384)] == ["A", "Z", "AA", "AZ", "XFD"]
