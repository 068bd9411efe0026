"""The attacks of issue 12 against the one safe reader (``sop.lembar``): each hostile file is
built here, refused with a clear Indonesian message, in bounded time and bounded memory (the
guards run before calamine, so tracemalloc sees everything the refusal costs)."""

from __future__ import annotations

import io
import re
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest

from sop.lembar import BerkasTidakValid, Jenis, Kolom, baca_lembar_mentah, baca_tabel

from . import bom_xlsx as bom

KOLOM = (
    Kolom("nik", "NIK", jenis=Jenis.NIK),
    Kolom("no_kk", "No KK", jenis=Jenis.NIK),
    Kolom("nama", "Nama Lengkap"),
)
MAKS_MEMORI = 64 * 1024 * 1024
MAKS_DETIK = 10.0  # CPU seconds; the refusals take well under one


def tolak(data: bytes, pola: str, **kw) -> BerkasTidakValid:
    """Read ``data``; assert a refusal matching ``pola`` within the time and memory bounds."""
    tracemalloc.start()
    t0 = time.process_time()
    try:
        with pytest.raises(BerkasTidakValid) as exc:
            baca_tabel(data, KOLOM, **kw)
    finally:
        detik = time.process_time() - t0
        _, puncak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert re.search(pola, exc.value.message), exc.value.message
    assert puncak < MAKS_MEMORI, f"{puncak / 1e6:.0f} MB"
    assert detik < MAKS_DETIK, f"{detik:.1f} s"
    return exc.value


def test_dasar_terbaca():
    """The base the attacks start from is an ordinary, readable workbook."""
    data = bom.susun(bom.dasar(bom.JUDUL_REKAP, [["1404040101900001", "1404041203200001", "A"]]))
    hasil = baca_tabel(data, KOLOM)
    assert [b.nilai for b in hasil.rows] == [
        {"nik": "1404040101900001", "no_kk": "1404041203200001", "nama": "A"}
    ]


# ---------------------------------------------------------------------------- shared strings
def test_teks_bersama_100mb_dirujuk_350_sel():
    """The 100 KB file of issue 12 (a 100 MB shared string in 350 cells) that killed gunicorn."""
    data = bom.bom_teks_bersama(100, 350)
    assert len(data) < 200_000
    tolak(data, r"terlalu besar setelah dibuka: bagian xl/sharedStrings.xml mengembang")


def test_teks_bersama_ukuran_dipalsukan():
    """The same string declaring 1 KB: inflation stops at the first piece past the lie."""
    tolak(bom.bom_teks_bersama(100, 350, nyatakan=1000), r"rusak: bagian xl/sharedStrings.xml")


def test_teks_bersama_lebih_dari_batas_sel_excel():
    """A 1 MB shared string that does not compress (no ratio alarm): refused for its length,
    measured while streaming, never built."""
    acak = "".join(chr(65 + (i * 7919) % 26) for i in range(40_000))  # no repeat within 32 KB
    b = bom.dasar()
    b["xl/sharedStrings.xml"] = bom.sst(acak * 25)
    b["xl/worksheets/sheet1.xml"] = bom.lembar(
        bom.baris_judul()
        + "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, 352))
    )
    tolak(bom.susun(b), r"lebih panjang dari 32\.767 karakter")


def test_salinan_teks_bersama_dibatasi():
    """Strings under Excel's cell limit but copied into many cells: the text calamine would
    materialise (cells x length) is bounded before it reads the sheet."""
    b = bom.dasar()
    b["xl/sharedStrings.xml"] = bom.sst("x" * 30_000)
    rows = [bom.baris_judul()]
    for r in range(2, 1_002):
        sel = "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABC")
        rows.append(f'<row r="{r}">{sel}</row>')
    b["xl/worksheets/sheet1.xml"] = bom.lembar("".join(rows))
    tolak(bom.susun(b), r"akan memuat \d+ MB teks salinan", max_rows=1_000)


def test_terlalu_banyak_teks_bersama():
    tolak(bom.banyak_teks_bersama(100_000), r"terlalu banyak teks berbeda", max_rows=1_000)


# ---------------------------------------------------------------------------- one huge cell
def test_sel_700mb():
    """The 700 KB file of issue 12 (700 MB in the NIK cell), honest sizes: refused by the
    declared size of the sheet, before inflating anything."""
    data = bom.bom_sel_inline(700)
    assert len(data) < 1_000_000
    tolak(data, r"bagian xl/worksheets/sheet1\.xml berisi 700 MB, batasnya")


def test_sel_700mb_ukuran_dipalsukan():
    """The same sheet declaring 50 MB (under every size and ratio bound): the streaming scan
    refuses the row as soon as it passes 4 MB, instead of holding 700 MB."""
    tolak(bom.bom_sel_inline(700, nyatakan=50 * bom.MIB), r"Satu baris lembar terlalu panjang")


# ---------------------------------------------------------------------------- declared area
def test_dimensi_raksasa_diabaikan():
    """A sheet declaring A1:XFD1048576 with two real rows reads normally: the declared
    dimension is ignored, rows are counted from the cells."""
    b = bom.dasar()
    b["xl/worksheets/sheet1.xml"] = bom.lembar(
        bom.baris_judul(("NIK", "No KK", "Nama Lengkap"))
        + '<row r="2">'
        + bom.sel_inline("A2", "1404040101900001")
        + bom.sel_inline("B2", "1404041203200001")
        + bom.sel_inline("C2", "Ani")
        + "</row>",
        dimensi="A1:XFD1048576",
    )
    tracemalloc.start()
    hasil = baca_tabel(bom.susun(b), KOLOM)
    _, puncak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [b.row for b in hasil.rows] == [2] and puncak < MAKS_MEMORI


def test_sel_di_xfd1048576_ditolak():
    b = bom.dasar()
    b["xl/worksheets/sheet1.xml"] = bom.lembar(
        bom.baris_judul() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        dimensi="A1:XFD1048576",
    )
    tolak(bom.susun(b), r"sampai baris 1\.048\.576")


# ---------------------------------------------------------------------------- zip tricks
def test_bom_deflate_pada_bagian_lain():
    """1 GB of spaces in the theme (a part nobody reads) in a 1 MB file."""
    data = bom.bom_bagian(mb=1024)
    assert len(data) < 2_000_000
    tolak(data, r"bagian xl/theme/theme1\.xml berisi 1\.024 MB, batasnya 16 MB")


def test_bom_deflate_ukuran_dipalsukan():
    tolak(bom.bom_bagian(mb=1024, nyatakan=4096), r"rusak: bagian xl/theme/theme1\.xml")


def test_rasio_kompresi():
    """A 10 MB sheet (under its size bound) that inflates 1,000 times."""
    b = bom.dasar()
    kepala = f'<worksheet xmlns="{bom.NS}"><sheetData>{bom.baris_judul()}'.encode()
    besar = bom.deflate_ulang(
        "xl/worksheets/sheet1.xml", kepala, b" " * bom.MIB, 10, b"</sheetData></worksheet>"
    )
    tolak(bom.susun(b, [besar]), r"mengembang [\d.]+ kali \(batasnya 200 kali\)")


def test_nama_bagian_ganda():
    b = bom.dasar()
    data = bom.zip_mentah(
        [bom.deflate(isi, n) for n, isi in b.items()]
        + [bom.deflate(b"<x/>", "xl/sharedStrings.xml")]
    )
    tolak(data, r"dua bagian dengan nama yang sama")


def test_bagian_tumpang_tindih():
    """An entry stored inside another entry's data (overlapping entries: the "non-recursive
    zip bomb" family, where many names share one compressed stream)."""
    dalam = bom.zip_mentah([bom.deflate(b"<a/>", "xl/dalam.xml")])
    cd = dalam.index(b"PK\x01\x02")
    lokal_dalam, pusat_dalam = dalam[:cd], dalam[cd : dalam.index(b"PK\x05\x06")]
    luar = bom.Bagian(
        "xl/luar.bin",
        lokal_dalam,
        zlib.crc32(lokal_dalam),
        len(lokal_dalam),
        metode=zipfile.ZIP_STORED,
    )
    data = bom.zip_mentah([bom.deflate(isi, n) for n, isi in bom.dasar().items()] + [luar])
    off_dalam = data.index(b"xl/luar.bin") + len(b"xl/luar.bin")  # luar's data = dalam's header
    entri = bytearray(pusat_dalam)
    struct.pack_into("<L", entri, 42, off_dalam)
    akhir = data.index(b"PK\x05\x06")
    awal_pusat = struct.unpack_from("<L", data, akhir + 16)[0]
    eocd = bytearray(data[akhir:])
    n = struct.unpack_from("<H", eocd, 8)[0] + 1
    struct.pack_into("<HHL", eocd, 8, n, n, akhir - awal_pusat + len(entri))
    data = data[:akhir] + bytes(entri) + bytes(eocd)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:  # Python reads both names happily
        assert zf.read("xl/dalam.xml") == b"<a/>"
    tolak(data, r"saling tumpang tindih")


def test_terenkripsi():
    b = bom.dasar()
    bagian = [bom.deflate(isi, n) for n, isi in b.items()]
    bagian[0].flag = 1
    tolak(bom.zip_mentah(bagian), r"dilindungi kata sandi")


def test_baca_lembar_mentah_memakai_pengaman_yang_sama():
    with pytest.raises(BerkasTidakValid, match="terlalu besar setelah dibuka"):
        baca_lembar_mentah(bom.bom_teks_bersama(100, 10), ["Rekap"])
    data = bom.susun(bom.dasar(("kode", "nama"), [["A", "B"]]))
    assert baca_lembar_mentah(data, ["Rekap"]) == {"Rekap": [["kode", "nama"], ["A", "B"]]}
    with pytest.raises(BerkasTidakValid, match='Lembar "SOP" tidak ada'):
        baca_lembar_mentah(data, ["SOP", "Rekap"])


def test_berkas_biasa_masih_lolos_zip_python():
    """Sanity: the hand-written zips are zips Python itself accepts."""
    with zipfile.ZipFile(io.BytesIO(bom.susun(bom.dasar()))) as zf:
        assert zf.testzip() is None


# ---------------------------------------------------------------------------- SOP import
def _sop_xlsx_raksasa() -> bytes:
    """The 6 KB SOP workbook of issue 7: sheet "Langkah" has a cell at XFD1048576, so calamine
    alone would try to build a 1,048,576 x 16,384 grid (about 36 GB)."""
    b = bom.dasar(("kode", "nama"), [["X", "Y"]], sheet="SOP")
    b["xl/workbook.xml"] = b["xl/workbook.xml"].replace(
        b'<sheet name="SOP" sheetId="1" r:id="rId1"/>',
        b'<sheet name="SOP" sheetId="1" r:id="rId1"/>'
        b'<sheet name="Pelaksana" sheetId="2" r:id="rId1"/>'
        b'<sheet name="Langkah" sheetId="3" r:id="rId1"/>',
    )
    b["xl/worksheets/sheet1.xml"] = bom.lembar(
        '<row r="1">' + bom.sel_inline("A1", "sop") + "</row>"
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    data = bom.susun(b)
    assert len(data) < 8_000
    return data


def test_sop_import_lembar_raksasa_ditolak(tmp_path):
    from django.core.management import CommandError, call_command

    from sop.pertukaran import ImporGagal, baca_berkas

    data = _sop_xlsx_raksasa()
    with pytest.raises(ImporGagal, match="sampai baris 1.048.576"):
        baca_berkas(data, "sop.xlsx")
    path = tmp_path / "sop.xlsx"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("sop_import", str(path), stderr=err)
    assert exc.value.returncode == 1
    assert "sampai baris 1.048.576" in err.getvalue()
