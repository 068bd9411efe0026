"""Writers: the annotated copy of an upload, a template for a column spec, and safe exports.

Exports stream with xlsxwriter ``constant_memory`` (memory does not grow with the row count) and
are safe to open: text is always written with ``write_string`` (never a formula; numbers and
dates keep their types), and following OWASP, text starting with ``= + - @``, tab, CR or LF (or
their fullwidth forms) gets a leading ``'`` inside the value, so it stays inert if the file is
saved again as CSV or pasted elsewhere. Plain numbers written as text ("+6281234567890", "-5")
are left as they are. Numbers of more than 15 digits (Excel keeps only 15) and the columns a
spec marks as text (NIK, No KK, phone numbers) are written as text. Sheet names are cleaned to
Excel's rules.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from typing import IO, Any

import xlsxwriter
from django.utils.translation import gettext as _

from .arsip import Arsip, pesan_bukan_xlsx
from .baca import Data, _pemisah, ambil_bytes, dekode_teks
from .batas import Batas
from .galat import BerkasTidakValid, RowError, huruf_kolom, nomor_kolom
from .kolom import IndeksJudul, Kolom, normalisasi_nama, rapikan

#: Header of the error column in annotated workbooks.
JUDUL_KETERANGAN = "Keterangan Kesalahan"
WARNA_SALAH = "FFC7CE"  # light red: a cell with an error
_WARNA_KETERANGAN = "FFEB9C"
MAKS_BARIS_EXCEL = 1_048_576

_AWAL_BERBAHAYA = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_RE_ANGKA_POLOS = re.compile(r"[+\-]?[0-9][0-9 .,]*")


def netralkan_teks(s: str) -> str:
    """Formula/CSV injection (OWASP): prefix ``'`` when text starts with = + - @ tab CR LF (or a
    fullwidth = + - @). Plain numbers (``+6281234567890``, ``-5``, ``-1.5``) are unchanged."""
    if s and s[0] in _AWAL_BERBAHAYA and not _RE_ANGKA_POLOS.fullmatch(s):
        return "'" + s
    return s


_KARAKTER_TERLARANG_SHEET = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def nama_lembar(nama: str, dipakai: set[str], *, cadangan: str = "Data") -> str:
    """A sheet name Excel accepts: no []:*?/\\, not starting/ending with ', at most 31
    characters, not "History", unique (case-insensitive) among ``dipakai`` (updated)."""
    dasar = _KARAKTER_TERLARANG_SHEET.sub("-", str(nama or ""))
    dasar = rapikan(dasar).strip("'").strip()[:31].strip().strip("'")
    if not dasar or dasar.casefold() == "history":
        dasar = cadangan if not dasar else dasar + " (1)"
    calon = dasar
    n = 2
    while calon.casefold() in dipakai:
        akhiran = f" ({n})"
        calon = dasar[: 31 - len(akhiran)].rstrip().rstrip("'") + akhiran
        n += 1
    dipakai.add(calon.casefold())
    return calon


# ---------------------------------------------------------------------------- annotation
def tulis_anotasi(
    data: Data,
    errors: Sequence[RowError],
    header_row: int,
    sheet: str,
) -> bytes:
    """A copy of the upload with a "Keterangan Kesalahan" column and each wrong cell in red.

    The column goes right of the last column, or reuses the one already in the header row (an
    annotated file uploaded again: its old notes and colours are cleared first). A CSV upload
    becomes an xlsx with the same cells (as text) and the same annotation.
    """
    raw = ambil_bytes(data)
    if raw[:4] != b"PK\x03\x04":
        return _anotasi_csv(raw, errors, header_row)
    Arsip(raw, Batas()).close()  # structural bounds again before openpyxl loads it whole

    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(raw))
    except Exception as exc:
        raise BerkasTidakValid(pesan_bukan_xlsx()) from exc
    if sheet not in wb.sheetnames:
        raise BerkasTidakValid(_('Sheet "%(sheet)s" is not in the file.') % {"sheet": sheet})
    ws = wb[sheet]

    judul_per_kolom: dict[int, str] = {}
    kolom_ket: int | None = None
    for sel in ws[header_row] if header_row >= 1 else ():
        if isinstance(sel.value, str) and sel.value.strip():
            judul_per_kolom[sel.column] = sel.value
            if normalisasi_nama(sel.value) == normalisasi_nama(JUDUL_KETERANGAN):
                kolom_ket = sel.column
    tanpa_isi = PatternFill(fill_type=None)
    if kolom_ket is None:
        kolom_ket = max(ws.max_column, max(judul_per_kolom, default=0)) + 1
    else:
        for row in ws.iter_rows(min_row=header_row + 1):
            for sel in row:
                if sel.column == kolom_ket:
                    sel.value = None
                    sel.fill = tanpa_isi
                elif sel.fill is not None and str(sel.fill.fgColor.rgb).endswith(WARNA_SALAH):
                    sel.fill = tanpa_isi

    merah = PatternFill("solid", fgColor=WARNA_SALAH)
    kuning = PatternFill("solid", fgColor=_WARNA_KETERANGAN)
    bungkus = Alignment(wrap_text=True, vertical="top")

    kepala = ws.cell(row=max(header_row, 1), column=kolom_ket, value=JUDUL_KETERANGAN)
    kepala.font = Font(bold=True, color="9C0006")
    kepala.fill = merah
    ws.column_dimensions[huruf_kolom(kolom_ket)].width = 60

    for baris, pesan, kolom in _per_baris(errors, judul_per_kolom):
        for c in kolom:
            if c != kolom_ket:
                ws.cell(row=baris, column=c).fill = merah
        sel = ws.cell(row=baris, column=kolom_ket, value=netralkan_teks(pesan))
        sel.alignment = bungkus
        sel.fill = kuning

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cari_kolom(err: RowError, judul_per_kolom: dict[int, str]) -> int | None:
    if err.col:
        return err.col
    for c, t in judul_per_kolom.items():
        if rapikan(t) == err.column:
            return c
    n = normalisasi_nama(err.column)
    for c, t in judul_per_kolom.items():
        if normalisasi_nama(t) == n:
            return c
    if re.fullmatch(r"[A-Z]{1,3}", err.column):
        return nomor_kolom(err.column)
    return None


def _per_baris(
    errors: Sequence[RowError], judul_per_kolom: dict[int, str]
) -> list[tuple[int, str, list[int]]]:
    """(row, joined messages, columns to colour) per row with errors."""
    pesan: dict[int, list[str]] = {}
    kolom: dict[int, list[int]] = {}
    for err in errors:
        pesan.setdefault(err.row, []).append(f"{err.column}: {err.message}")
        c = _cari_kolom(err, judul_per_kolom)
        if c is not None:
            kolom.setdefault(err.row, []).append(c)
    return [(b, "\n".join(p), kolom.get(b, [])) for b, p in pesan.items() if b >= 1]


def _anotasi_csv(raw: bytes, errors: Sequence[RowError], header_row: int) -> bytes:
    import csv

    teks = dekode_teks(raw)
    if teks is None:
        raise BerkasTidakValid(_("The file is not an Excel .xlsx file or a CSV file."))
    judul_teks = teks.splitlines()[header_row - 1] if header_row >= 1 else ""
    pemisah = _pemisah(teks, IndeksJudul(tuple(Kolom(e.column, e.column) for e in errors)))
    if judul_teks and judul_teks.count(";") > judul_teks.count(pemisah):
        pemisah = ";"
    grid = list(csv.reader(io.StringIO(teks, newline=""), delimiter=pemisah))
    lebar = max((len(r) for r in grid), default=0)
    judul_per_kolom = (
        {j + 1: v for j, v in enumerate(grid[header_row - 1]) if v.strip()}
        if 1 <= header_row <= len(grid)
        else {}
    )
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    merah = wb.add_format({"bg_color": "#" + WARNA_SALAH, "num_format": "@"})
    teks_f = wb.add_format({"num_format": "@"})
    ket = wb.add_format({"bg_color": "#" + _WARNA_KETERANGAN, "text_wrap": True, "valign": "top"})
    kepala = wb.add_format({"bold": True, "font_color": "#9C0006", "bg_color": "#" + WARNA_SALAH})
    ws = wb.add_worksheet("CSV")
    per_baris = {b: (p, set(k)) for b, p, k in _per_baris(errors, judul_per_kolom)}
    for i, row in enumerate(grid[:MAKS_BARIS_EXCEL]):
        salah = per_baris.get(i + 1)
        for j, v in enumerate(row):
            f = merah if salah and (j + 1) in salah[1] else teks_f
            ws.write_string(i, j, netralkan_teks(v), f)
        if salah:
            ws.write_string(i, lebar, netralkan_teks(salah[0]), ket)
    if header_row >= 1:
        ws.write_string(header_row - 1, lebar, JUDUL_KETERANGAN, kepala)
    ws.set_column(lebar, lebar, 60)
    wb.close()
    return out.getvalue()


# ---------------------------------------------------------------------------- template
def template_tabel(
    kolom: Sequence[Kolom],
    *,
    judul: str,
    catatan: str = "",
    nama_lembar: str = "Data",
    petunjuk: Sequence[str] = (),
) -> bytes:
    """A template workbook for a column spec: row 1 the title, row 2 a note, row 3 the headers.

    Text columns (``Kolom.sebagai_teks``) are formatted as Text ('@') for the whole column so a
    NIK typed there keeps its 16th digit; ``Kolom.catatan`` becomes the header's comment. With
    ``petunjuk``, a second sheet "Petunjuk" lists them (the first line as its title).
    """
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    f_judul = wb.add_format({"bold": True, "font_size": 14})
    f_catatan = wb.add_format({"italic": True, "font_color": "#9C0006", "text_wrap": True})
    f_kepala = wb.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "valign": "vcenter"}
    )
    f_teks = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet(nama_lembar)
    ws.write_string(0, 0, judul, f_judul)
    if catatan:
        if len(kolom) > 1:
            ws.merge_range(1, 0, 1, len(kolom) - 1, catatan, f_catatan)
        else:
            ws.write_string(1, 0, catatan, f_catatan)
        ws.set_row(1, 45)
    baris_judul = 2
    for j, k in enumerate(kolom):
        lebar = k.lebar or max(12, min(40, len(k.label) + 4))
        ws.set_column(j, j, lebar, f_teks if k.sebagai_teks else None)
        ws.write_string(baris_judul, j, k.label, f_kepala)
        if k.catatan:
            ws.write_comment(baris_judul, j, k.catatan, {"x_scale": 2, "y_scale": 1.5})
    ws.freeze_panes(baris_judul + 1, 0)
    if petunjuk:
        pj = wb.add_worksheet("Petunjuk")
        pj.set_column(0, 0, 110)
        for i, teks in enumerate(petunjuk):
            pj.write_string(i, 0, teks, f_judul if i == 0 else None)
    wb.close()
    return out.getvalue()


# ---------------------------------------------------------------------------- export
class _Penulis:
    """Cell writer of exports: types kept, text neutralised."""

    def __init__(self, wb: xlsxwriter.Workbook, indeks: IndeksJudul, lebar: dict[str, int]):
        self.f_kepala = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.f_teks = wb.add_format({"num_format": "@"})
        self.f_tanggal = wb.add_format({"num_format": "dd/mm/yyyy"})
        self.f_waktu = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        self.indeks = indeks
        self.lebar = lebar
        self.teks = {k.key for k in indeks.kolom if k.sebagai_teks}

    def kolom_teks(self, judul: Sequence[str]) -> set[int]:
        return {j for j, t in enumerate(judul) if self.indeks.key(str(t)) in self.teks}

    def kepala(self, ws: Any, judul: Sequence[str], kolom_teks: set[int]) -> None:
        for j, t in enumerate(judul):
            lebar = self.lebar.get(self.indeks.key(str(t))) or max(12, min(40, len(str(t)) + 4))
            ws.set_column(j, j, lebar, self.f_teks if j in kolom_teks else None)
            ws.write_string(0, j, netralkan_teks(str(t)), self.f_kepala)
        ws.freeze_panes(1, 0)

    def baris(self, ws: Any, i: int, nilai: Sequence[Any], kolom_teks: set[int]) -> None:
        for j, v in enumerate(nilai):
            if v is None:
                continue
            if j in kolom_teks:
                ws.write_string(i, j, netralkan_teks(_teks_ekspor(v)), self.f_teks)
            elif isinstance(v, bool):
                ws.write_boolean(i, j, v)
            elif isinstance(v, int) and abs(v) >= 10**15:
                # More than 15 digits: as an Excel number its last digits are lost.
                ws.write_string(i, j, str(v), self.f_teks)
            elif isinstance(v, decimal.Decimal) and abs(v) >= 10**15:
                ws.write_string(i, j, str(v), self.f_teks)
            elif isinstance(v, int | float | decimal.Decimal):
                ws.write_number(i, j, float(v))
            elif isinstance(v, dt.datetime):
                ws.write_datetime(i, j, v, self.f_waktu)
            elif isinstance(v, dt.date):
                ws.write_datetime(i, j, v, self.f_tanggal)
            else:
                ws.write_string(i, j, netralkan_teks(str(v)))


def _teks_ekspor(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def tulis_tabel(
    tujuan: str | os.PathLike | IO[bytes],
    lembar: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    *,
    kolom: Sequence[Kolom] = (),
    autofilter: bool = True,
) -> list[str]:
    """Streaming export: one sheet per (name, headers, rows); returns the sheet names written.

    Rows may be generators (e.g. ``queryset.values_list(...).iterator()``), in header order.
    Headers matching a ``Kolom`` of ``kolom`` (by its names) take its width, and its text format
    when ``Kolom.sebagai_teks``. ``constant_memory``: memory does not grow with the row count.
    Timezone-aware datetimes are written without their zone (convert to local time first).
    """
    wb = xlsxwriter.Workbook(
        tujuan,
        {
            "constant_memory": True,
            "remove_timezone": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
        },
    )
    indeks = IndeksJudul(tuple(kolom))
    penulis = _Penulis(wb, indeks, {k.key: k.lebar for k in kolom if k.lebar})
    dipakai: set[str] = set()
    nama: list[str] = []
    try:
        for nama_mentah, judul, baris_iter in lembar:
            ws = wb.add_worksheet(nama_lembar(nama_mentah, dipakai))
            nama.append(ws.name)
            kt = penulis.kolom_teks(judul)
            penulis.kepala(ws, judul, kt)
            i = 0
            for i, r in enumerate(baris_iter, start=1):  # noqa: B007
                if i >= MAKS_BARIS_EXCEL:
                    raise ValueError(
                        f"Sheet {nama_mentah} exceeds Excel's row limit ({MAKS_BARIS_EXCEL})."
                    )
                penulis.baris(ws, i, r, kt)
            if judul and autofilter:
                ws.autofilter(0, 0, max(i, 1), len(judul) - 1)
    finally:
        wb.close()
    return nama
