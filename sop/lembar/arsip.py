"""The zip container of an xlsx, opened under guard.

Nothing here trusts what the archive declares. Each part is inflated from its raw deflate stream
by ``Arsip.alir`` in 1 MiB pieces, and a part whose real output exceeds its declared size (or its
bound), whose CRC differs, or whose stream ends early is refused on the spot, so a lying header
cannot make the reader, or calamine after it, inflate more than the bounds of ``Batas``. Archives
that two zip parsers could read differently (duplicate names, overlapping entries, encryption,
compression methods other than stored/deflate) are refused as a whole.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import struct
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.utils.translation import gettext as _

from .batas import MIB, Batas
from .galat import BerkasTidakValid, mib, ribuan

_LOKAL = struct.Struct("<4s5H3L2H")
_SIG_LOKAL = b"PK\x03\x04"
_POTONG = 1 << 20  # bytes of inflated output per piece
_MASUKAN = 256 * 1024  # bytes of compressed input fed per call


def pesan_bukan_xlsx() -> str:
    return _(
        'The file is not a valid Excel .xlsx file. Save it from Excel as "Excel Workbook '
        '(*.xlsx)" and upload it again.'
    )


def pesan_kosong() -> str:
    return _("The file is empty (0 bytes).")


def pesan_xls() -> str:
    return _(
        "The file is an old Excel file (.xls) or is password protected. Open it in Excel, "
        'remove any password and save it as "Excel Workbook (*.xlsx)".'
    )


def pesan_rusak(bagian: str) -> str:
    return _("The file is damaged: part %(part)s cannot be read.") % {"part": bagian}


def _terlalu_besar(bagian: str, ukuran: int, batas: int) -> BerkasTidakValid:
    return BerkasTidakValid(
        _("File too large once unpacked: part %(part)s holds %(size)s, the limit is %(limit)s.")
        % {"part": bagian, "size": mib(ukuran), "limit": mib(batas)}
    )


@dataclass(slots=True)
class Lembar:
    """A sheet of the workbook. ``path``: its XML part, None for chart sheets and the like."""

    nama: str
    path: str | None
    terlihat: bool


class Arsip:
    """An xlsx archive whose structure passed the checks; parts are read through ``alir``."""

    def __init__(self, raw: bytes, batas: Batas) -> None:
        if not raw:
            raise BerkasTidakValid(pesan_kosong())
        if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise BerkasTidakValid(pesan_xls())
        if raw[:4] != _SIG_LOKAL:
            raise BerkasTidakValid(pesan_bukan_xlsx())
        self.raw = memoryview(raw)
        self.batas = batas
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(raw))
            infos = self.zf.infolist()
        except Exception as exc:  # BadZipFile, NotImplementedError, struct errors, ...
            raise BerkasTidakValid(pesan_bukan_xlsx()) from exc
        nama = [i.filename for i in infos]
        if len(set(nama)) != len(nama):
            raise BerkasTidakValid(
                _("The file is damaged: the archive holds two parts with the same name.")
            )
        self.info = {i.filename: i for i in infos}
        if "xl/workbook.xml" not in self.info:
            if "xl/workbook.bin" in self.info:
                raise BerkasTidakValid(
                    _(
                        'The file is an Excel Binary Workbook (.xlsb). Save it as "Excel Workbook '
                        '(*.xlsx)".'
                    )
                )
            raise BerkasTidakValid(pesan_bukan_xlsx())
        self._periksa_struktur(infos)
        self.terverifikasi: set[str] = set()

    # ------------------------------------------------------------------ structure
    def batas_bagian(self, nama: str) -> int:
        """Inflated-size bound of one part."""
        rendah = nama.lower()
        if rendah.startswith("xl/worksheets/") and rendah.endswith(".xml"):
            return self.batas.lembar
        if rendah == "xl/sharedstrings.xml":
            return self.batas.shared_strings
        return self.batas.bagian_lain

    def _periksa_struktur(self, infos: list[zipfile.ZipInfo]) -> None:
        total = 0
        ujung = len(self.raw)
        rentang = []
        for i in infos:
            if i.flag_bits & 0x1:
                raise BerkasTidakValid(
                    _(
                        "The file is password protected. Remove the password in Excel and save "
                        'it as "Excel Workbook (*.xlsx)".'
                    )
                )
            if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise BerkasTidakValid(pesan_bukan_xlsx())
            batas = self.batas_bagian(i.filename)
            if i.file_size > batas:
                raise _terlalu_besar(i.filename, i.file_size, batas)
            if i.file_size > self.batas.rasio_mulai and i.file_size > self.batas.rasio * max(
                i.compress_size, 1
            ):
                raise BerkasTidakValid(
                    _(
                        "File too large once unpacked: part %(part)s grows %(ratio)s times "
                        "(the limit is %(limit)s times). A spreadsheet program does not write "
                        "files like this."
                    )
                    % {
                        "part": i.filename,
                        "ratio": ribuan(i.file_size // max(i.compress_size, 1)),
                        "limit": ribuan(self.batas.rasio),
                    }
                )
            total += i.file_size
            awal = self._awal_data(i)
            if awal + i.compress_size > ujung:
                raise BerkasTidakValid(pesan_rusak(i.filename))
            rentang.append((i.header_offset, awal + i.compress_size))
        if total > self.batas.arsip:
            raise BerkasTidakValid(
                _(
                    "File too large once unpacked: its contents hold %(size)s, the limit is "
                    "%(limit)s for %(rows)s data rows."
                )
                % {
                    "size": mib(total),
                    "limit": mib(self.batas.arsip),
                    "rows": ribuan(self.batas.max_rows),
                }
            )
        rentang.sort()
        for (_a, z), (a2, _z2) in zip(rentang, rentang[1:], strict=False):
            if a2 < z:  # overlapping entries: the "non-recursive zip bomb" family
                raise BerkasTidakValid(
                    _("The file is damaged: parts of the archive overlap each other.")
                )

    def _awal_data(self, i: zipfile.ZipInfo) -> int:
        h = i.header_offset
        if h < 0 or h + _LOKAL.size > len(self.raw):
            raise BerkasTidakValid(pesan_rusak(i.filename))
        sig, *_x, n_nama, n_extra = _LOKAL.unpack_from(self.raw, h)
        if sig != _SIG_LOKAL:
            raise BerkasTidakValid(pesan_rusak(i.filename))
        nama = bytes(self.raw[h + _LOKAL.size : h + _LOKAL.size + n_nama])
        enc = "utf-8" if i.flag_bits & 0x800 else "cp437"
        if nama.decode(enc, "replace") != i.orig_filename:
            raise BerkasTidakValid(pesan_rusak(i.filename))
        return h + _LOKAL.size + n_nama + n_extra

    # ------------------------------------------------------------------ reading
    def ada(self, nama: str) -> bool:
        return nama in self.info

    def alir(self, nama: str) -> Iterator[bytes]:
        """Inflate one part in pieces of at most 1 MiB, verifying size and CRC as it goes."""
        i = self.info[nama]
        awal = self._awal_data(i)
        data = self.raw[awal : awal + i.compress_size]
        total = 0
        crc = 0
        if i.compress_type == zipfile.ZIP_STORED:
            if i.compress_size != i.file_size:
                raise BerkasTidakValid(pesan_rusak(nama))
            for p in range(0, len(data), _POTONG):
                keluar = bytes(data[p : p + _POTONG])
                total += len(keluar)
                crc = zlib.crc32(keluar, crc)
                yield keluar
        else:
            d = zlib.decompressobj(-15)
            pos = 0
            n = len(data)
            while not d.eof:
                if d.unconsumed_tail:
                    masuk = d.unconsumed_tail
                elif pos < n:
                    masuk = data[pos : pos + _MASUKAN]
                    pos += len(masuk)
                else:
                    masuk = b""
                try:
                    keluar = d.decompress(masuk, _POTONG)
                except zlib.error as exc:
                    raise BerkasTidakValid(pesan_rusak(nama)) from exc
                if not keluar:
                    if not masuk:
                        break
                    continue
                total += len(keluar)
                if total > i.file_size:
                    # The part inflates to more than it declares: stop before using any more.
                    raise BerkasTidakValid(pesan_rusak(nama))
                crc = zlib.crc32(keluar, crc)
                yield keluar
            if not d.eof:
                raise BerkasTidakValid(pesan_rusak(nama))
        if total != i.file_size or crc != i.CRC:
            raise BerkasTidakValid(pesan_rusak(nama))
        self.terverifikasi.add(nama)

    def baca(self, nama: str) -> bytes:
        """A whole (small) part, inflated under guard."""
        return b"".join(self.alir(nama))

    def verifikasi_sisanya(self, kecuali: set[str] | frozenset[str] = frozenset()) -> None:
        """Inflate (and discard) every part not read yet but ``kecuali``, so nothing unverified
        is left for another parser to inflate."""
        for nama in self.info:
            if nama in self.terverifikasi or nama in kecuali or nama[-1:] == "/":
                continue
            for _p in self.alir(nama):
                pass

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> Arsip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ workbook
    def _xml(self, nama: str) -> ET.Element:
        # xml.etree takes no external entities and expat >= 2.4.1 bounds entity expansion.
        try:
            return ET.fromstring(self.baca(nama))  # noqa: S314
        except BerkasTidakValid:
            raise
        except Exception as exc:
            raise BerkasTidakValid(pesan_bukan_xlsx()) from exc

    def daftar_lembar(self) -> list[Lembar]:
        """Sheets in workbook order, each with its XML part (None for chart sheets)."""
        wb = self._xml("xl/workbook.xml")
        target: dict[str, str] = {}
        if self.ada("xl/_rels/workbook.xml.rels"):
            for rel in self._xml("xl/_rels/workbook.xml.rels"):
                if _lokal(rel.tag) != "Relationship":
                    continue
                if not rel.get("Type", "").endswith("/worksheet"):
                    continue
                t = rel.get("Target", "")
                path = t.lstrip("/") if t.startswith("/") else posixpath.normpath("xl/" + t)
                target[rel.get("Id", "")] = path
        hasil: list[Lembar] = []
        for el in wb.iter():
            if _lokal(el.tag) != "sheet":
                continue
            rid = next((v for k, v in el.attrib.items() if _lokal(k) == "id"), "")
            path = target.get(rid)
            if path is not None and path not in self.info:
                path = None
            hasil.append(Lembar(el.get("name", ""), path, el.get("state", "visible") == "visible"))
        return hasil


def _lokal(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# ---------------------------------------------------------------------- shared strings
@dataclass(slots=True)
class TeksBersama:
    """What the shared string table holds: entry count, the longest entry (bytes of XML, an
    upper bound of its characters) and each entry's length (same unit) by index."""

    jumlah: int = 0
    terpanjang: int = 0
    panjang: array | None = None


_RE_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si(?=[\s>/])")
_RE_TAG = re.compile(rb"<[^>]*>?")
_RE_RPH = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?rPh[\s>].*?</(?:[A-Za-z_][\w.-]*:)?rPh>", re.S)
_BATAS_SATU_SI = MIB


def _panjang_teks(si: bytes) -> int:
    """Characters of one ``<si>`` entry's text (phonetic runs excluded)."""
    teks = _RE_TAG.sub(b"", _RE_RPH.sub(b"", si)).decode("utf-8", "replace")
    return len(html.unescape(teks))


def pesan_teks_sel(batas: Batas) -> str:
    return _(
        "The file holds a cell text longer than %(max)s characters, Excel's own limit; a "
        "spreadsheet program does not write such files. Shorten the text and save again."
    ) % {"max": ribuan(batas.teks_sel)}


def _entri(buf: bytes) -> tuple[list[bytes], bytes, bool]:
    """Split ``buf`` at each ``<si>``: (whole entries, the rest, whether any entry starts in
    ``buf``). The rest is the last entry, still open, or all of ``buf`` when no entry starts in
    it. Plain ``<si>`` tags split with ``bytes.split`` (C speed); prefixed or unusual tags take
    the regex. Whole entries are measured without their ``<si>`` tag (4 bytes less)."""
    if b":si" not in buf and buf.count(b"<si") == buf.count(b"<si>"):
        bagian = buf.split(b"<si>")
        if len(bagian) == 1:
            return [], buf, False
        return bagian[1:-1], b"<si>" + bagian[-1], True
    awal = [m.start() for m in _RE_SI.finditer(buf)]
    if not awal:
        return [], buf, False
    return [buf[a:z] for a, z in zip(awal, awal[1:], strict=False)], buf[awal[-1] :], True


def pindai_teks_bersama(arsip: Arsip, batas: Batas, *, panjang: bool = False) -> TeksBersama:
    """Stream ``xl/sharedStrings.xml``: count entries and measure each one without building any
    string. Refuses a table with too many entries or an entry longer than a cell may be.
    ``panjang``: also keep each entry's length (for ``pindai.jumlah_teks_bersama``)."""
    hasil = TeksBersama(panjang=array("L") if panjang else None)
    nama = next((n for n in arsip.info if n.lower() == "xl/sharedstrings.xml"), None)
    if nama is None:
        return hasil
    maks_jumlah = batas.jumlah_shared_strings
    sisa = b""

    def ukur(si: bytes) -> int:
        n = len(si)
        if n > batas.teks_sel:
            n = _panjang_teks(si)
            if n > batas.teks_sel:
                raise BerkasTidakValid(pesan_teks_sel(batas))
        return n

    def catat(entri: list[bytes]) -> None:
        terpanjang = max(map(len, entri))
        if terpanjang > batas.teks_sel or hasil.panjang is not None:
            ukuran = [ukur(e) for e in entri]
            terpanjang = max(ukuran)
            if hasil.panjang is not None:
                hasil.panjang.extend(ukuran)
        hasil.terpanjang = max(hasil.terpanjang, terpanjang)

    tertunda = False  # ``sisa`` starts with an entry whose end is not seen yet
    for blok in arsip.alir(nama):
        buf = sisa + blok if sisa else blok
        entri, sisa, ada = _entri(buf)
        if ada:
            baru = len(entri) + (0 if tertunda else 1)  # entries that started in this piece
            if entri:
                catat(entri)
            hasil.jumlah += baru
            if hasil.jumlah > maks_jumlah:
                raise BerkasTidakValid(
                    _(
                        "The file holds too many different texts (shared strings): more than "
                        "%(max)s for %(rows)s data rows."
                    )
                    % {"max": ribuan(maks_jumlah), "rows": ribuan(batas.max_rows)}
                )
            tertunda = True
        # One entry's XML over 1 MiB: measure its text so far, and never hold more than one
        # row's worth of XML for it.
        if len(sisa) > _BATAS_SATU_SI and (
            _panjang_teks(sisa) > batas.teks_sel or len(sisa) > batas.baris_xml
        ):
            raise BerkasTidakValid(pesan_teks_sel(batas))
    if tertunda:
        catat([sisa])
    return hasil
