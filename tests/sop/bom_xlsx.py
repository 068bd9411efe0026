"""Hostile xlsx files built in the tests (nothing stored in the repository).

``zip_mentah`` writes a zip by hand so a part may declare a size other than the real one; a
long run of the same bytes is deflated once and repeated (after a full flush the compressor
starts from a clean state, so each repetition compresses to the same bytes): a 700 MB cell
costs a second to build, not a minute.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

import xlsxwriter

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MIB = 1024 * 1024
JUDUL_REKAP = (
    "NIK",
    "No KK",
    "Nama Lengkap",
    "Alamat Sesuai KTP",
    "Desa/Kelurahan",
    "Bidang Usaha",
    "No HP",
)


@dataclass
class Bagian:
    """A zip entry: compressed bytes, CRC and real size; ``nyatakan``: the size declared."""

    nama: str
    data: bytes
    crc: int
    ukuran: int
    metode: int = zipfile.ZIP_DEFLATED
    nyatakan: int | None = None
    flag: int = 0


def deflate(isi: bytes, nama: str) -> Bagian:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Bagian(nama, c.compress(isi) + c.flush(), zlib.crc32(isi), len(isi))


def deflate_ulang(nama: str, kepala: bytes, isi: bytes, kali: int, ekor: bytes) -> Bagian:
    """``kepala + isi * kali + ekor`` deflated without ever building it."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    awal = c.compress(kepala) + c.flush(zlib.Z_FULL_FLUSH)
    ulang = c.compress(isi) + c.flush(zlib.Z_FULL_FLUSH)
    akhir = c.compress(ekor) + c.flush()
    crc = zlib.crc32(kepala)
    for _ in range(kali):
        crc = zlib.crc32(isi, crc)
    crc = zlib.crc32(ekor, crc)
    return Bagian(nama, awal + ulang * kali + akhir, crc, len(kepala) + len(isi) * kali + len(ekor))


def zip_mentah(bagian: list[Bagian]) -> bytes:
    out = io.BytesIO()
    pusat = []
    for b in bagian:
        offset = out.tell()
        nama = b.nama.encode()
        ukuran = b.ukuran if b.nyatakan is None else b.nyatakan
        out.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                b.flag,
                b.metode,
                0,
                0x21,
                b.crc,
                len(b.data),
                ukuran,
                len(nama),
                0,
            )
        )
        out.write(nama)
        out.write(b.data)
        pusat.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                b.flag,
                b.metode,
                0,
                0x21,
                b.crc,
                len(b.data),
                ukuran,
                len(nama),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + nama
        )
    awal_pusat = out.tell()
    for p in pusat:
        out.write(p)
    out.write(
        struct.pack(
            "<4s4H2LH",
            b"PK\x05\x06",
            0,
            0,
            len(pusat),
            len(pusat),
            out.tell() - awal_pusat,
            awal_pusat,
            0,
        )
    )
    return out.getvalue()


def dasar(judul=JUDUL_REKAP, baris=(), *, sheet="Rekap") -> dict[str, bytes]:
    """Parts of a real xlsxwriter workbook (shared strings on), by name."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet(sheet)
    for j, t in enumerate(judul):
        ws.write_string(0, j, t)
    for i, r in enumerate(baris, start=1):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    wb.close()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def susun(bagian: dict[str, bytes], ganti: list[Bagian] = ()) -> bytes:
    """The workbook of ``bagian`` with some parts replaced (or added) by ready ``Bagian``."""
    diganti = {b.nama: b for b in ganti}
    hasil = [diganti.pop(n, None) or deflate(isi, n) for n, isi in bagian.items()]
    return zip_mentah(hasil + list(diganti.values()))


def sel_inline(ref: str, teks: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{teks}</t></is></c>'


def lembar(baris_xml: str, *, dimensi: str = "") -> bytes:
    dim = f'<dimension ref="{dimensi}"/>' if dimensi else ""
    return f'<worksheet xmlns="{NS}">{dim}<sheetData>{baris_xml}</sheetData></worksheet>'.encode()


def baris_judul(judul=JUDUL_REKAP) -> str:
    sel = "".join(sel_inline(f"{chr(65 + j)}1", t) for j, t in enumerate(judul))
    return f'<row r="1">{sel}</row>'


def sst(*entri: str) -> bytes:
    isi = "".join(f"<si><t>{e}</t></si>" for e in entri)
    return f'<sst xmlns="{NS}" count="{len(entri)}" uniqueCount="{len(entri)}">{isi}</sst>'.encode()


# ---------------------------------------------------------------------------- the attacks
def bom_teks_bersama(mb: int = 100, sel: int = 350, *, nyatakan: int | None = None) -> bytes:
    """Issue 12: one shared string of ``mb`` MB, referenced by ``sel`` NIK cells."""
    b = dasar()
    rows = [baris_judul()]
    for r in range(2, sel + 2):
        rows.append(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>')
    b["xl/worksheets/sheet1.xml"] = lembar("".join(rows))
    besar = deflate_ulang(
        "xl/sharedStrings.xml",
        f'<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>'.encode(),
        b"A" * MIB,
        mb,
        b"</t></si></sst>",
    )
    besar.nyatakan = nyatakan
    return susun(b, [besar])


def bom_sel_inline(mb: int = 700, *, nyatakan: int | None = None) -> bytes:
    """Issue 12: one inline string of ``mb`` MB in the NIK cell of the first data row."""
    b = dasar()
    kepala = (
        f'<worksheet xmlns="{NS}"><sheetData>{baris_judul()}'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>'
    ).encode()
    ekor = b"</t></is></c></row></sheetData></worksheet>"
    besar = deflate_ulang("xl/worksheets/sheet1.xml", kepala, b"1" * MIB, mb, ekor)
    besar.nyatakan = nyatakan
    return susun(b, [besar])


def bom_bagian(nama: str = "xl/theme/theme1.xml", mb: int = 1024, *, nyatakan=None) -> bytes:
    """A deflate bomb in a part nobody reads: ``mb`` MB of spaces."""
    besar = deflate_ulang(nama, b"<a>", b" " * MIB, mb, b"</a>")
    besar.nyatakan = nyatakan
    return susun(dasar(), [besar])


def banyak_teks_bersama(n: int) -> bytes:
    b = dasar()
    b["xl/sharedStrings.xml"] = sst(*(f"t{i}" for i in range(n)))
    return susun(b)
