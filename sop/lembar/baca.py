"""``baca_tabel``: a table (header row + data rows) from an xlsx or CSV file, typed per column.

The header row is found by its names within the first 30 rows (title rows above it are fine);
row numbers in results and errors are Excel's (1-based, title rows included). Formula cells in
the table's columns are refused (their cached value is never used); formulas in other columns
are left alone. Blank rows are skipped. A row with any error is left out of ``rows``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from .arsip import pesan_kosong
from .batas import Batas
from .buku import Buku
from .galat import BerkasTidakValid, RowError, ribuan
from .kolom import IndeksJudul, Kolom, kosong, pengubah, rapikan
from .pindai import Pindai

#: The header row is looked for in this many first rows.
MAKS_BARIS_JUDUL = 30


@dataclass(slots=True)
class Baris:
    """One data row: its Excel row number and the typed value of each column (None = empty or
    a column the file does not have)."""

    row: int
    nilai: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.nilai[key]

    def get(self, key: str, default: Any = None) -> Any:
        v = self.nilai.get(key)
        return default if v is None else v


@dataclass(slots=True)
class HasilBaca:
    """Result of ``baca_tabel``.

    ``rows``: rows without errors (``Baris``, or what ``periksa`` returned); ``errors``: every problem, sorted by row and column;
    ``total_rows``: non-blank data rows (valid or not); ``header_row``: Excel row of the header;
    ``kolom``: key -> header text in the file; ``posisi``: key -> 1-based column number;
    ``format``: "xlsx" or "csv".
    """

    rows: list[Any]
    errors: list[RowError]
    header_row: int
    sheet: str
    total_rows: int
    kolom: dict[str, str] = field(default_factory=dict)
    posisi: dict[str, int] = field(default_factory=dict)
    format: str = "xlsx"


#: ``periksa(baris, salah)``: a table's own row check; ``salah(key, message)`` records an error
#: on that column of the row. Called for every non-blank row, after the cell conversions (cells
#: with errors hold None); cross-row checks (duplicates) keep their own state. What it returns
#: (when not None) replaces the ``Baris`` in ``HasilBaca.rows`` for a row without errors, so a
#: table can build its own row objects in the same pass.
Periksa = Callable[[Baris, Callable[[str, str], None]], Any]

Data = bytes | bytearray | memoryview | str | os.PathLike | IO[bytes]


def ambil_bytes(data: Data) -> bytes:
    """Bytes of an upload given as bytes, a path, or a binary file object (rewound first)."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if isinstance(data, str | os.PathLike):
        try:
            with open(data, "rb") as fh:
                return fh.read()
        except OSError as exc:
            raise BerkasTidakValid(
                _("The file cannot be opened: %(error)s.") % {"error": exc.strerror or exc}
            ) from exc
    if hasattr(data, "read"):
        if hasattr(data, "seek"):
            with contextlib.suppress(OSError, ValueError):
                data.seek(0)
        isi = data.read()
        if isinstance(isi, str):
            raise BerkasTidakValid(_("The file must be read in binary mode."))
        return bytes(isi)
    raise TypeError(f"unsupported data: {type(data).__name__}")


def pesan_bukan_tabel() -> str:
    return _("The file is not an Excel .xlsx file or a CSV file.")


# ---------------------------------------------------------------------------- header
@dataclass(slots=True)
class _Judul:
    indeks: int  # 0-based row
    kolom: dict[str, int]  # key -> 0-based column
    teks: dict[str, str]  # key -> header text in the file


def _cari_judul(grid: list[list[Any]], indeks: IndeksJudul, minimum: int) -> _Judul | None:
    terbaik: _Judul | None = None
    for i, baris in enumerate(grid[:MAKS_BARIS_JUDUL]):
        kolom: dict[str, tuple[int, int]] = {}
        teks: dict[str, str] = {}
        for j, v in enumerate(baris):
            if not isinstance(v, str) or not v.strip() or len(v) > 500:
                continue
            hit = indeks.cocok(v)
            if hit is None:
                continue
            key, prio = hit
            if key not in kolom or prio < kolom[key][1]:
                kolom[key] = (j, prio)
                teks[key] = rapikan(v)
        if len(kolom) >= minimum and (terbaik is None or len(kolom) > len(terbaik.kolom)):
            terbaik = _Judul(i, {k: j for k, (j, _p) in kolom.items()}, teks)
            if len(kolom) == len(indeks.kolom):
                break
    return terbaik


def _kurang_wajib(kolom: Sequence[Kolom], judul: _Judul) -> list[str]:
    return [k.label for k in kolom if k.required and k.key not in judul.kolom]


# ---------------------------------------------------------------------------- rows
def _pesan_rumus() -> str:
    return _(
        "A cell holds a formula. Replace it with its value: copy, then Paste Special > Values."
    )


def _pesan_terlalu_banyak(nama: str, max_rows: int) -> str:
    return _(
        'Sheet "%(sheet)s" holds more than %(max)s data rows; the limit is %(max)s rows per '
        "upload. Split the file into several uploads."
    ) % {"sheet": nama, "max": ribuan(max_rows)}


def _rumus_per_baris(
    pindai: Pindai | None, kolom_dipakai: Iterable[int], baris_awal: int
) -> dict[int, set[int]]:
    """{Excel row: {Excel column}} of formula cells in the table's columns (array ranges too)."""
    if pindai is None:
        return {}
    kolom_set = set(kolom_dipakai)
    hasil: dict[int, set[int]] = {}
    for b, k in pindai.rumus:
        if k in kolom_set and b >= baris_awal:
            hasil.setdefault(b, set()).add(k)
    if pindai.rentang_rumus:
        batas = pindai.baris_max
        for k in kolom_set:
            interval = sorted(
                (max(r1, baris_awal), min(r2, batas))
                for r1, c1, r2, c2 in pindai.rentang_rumus
                if c1 <= k <= c2
            )
            terakhir = 0
            for a, z in interval:
                for b in range(max(a, terakhir + 1), z + 1):
                    hasil.setdefault(b, set()).add(k)
                terakhir = max(terakhir, z)
    return hasil


def _isi_gabungan(grid: list[list[Any]], merged: Any, kolom: int, mulai: int) -> None:
    """Vertically merged cells in ``kolom`` (0-based): copy the top-left value downwards."""
    if not merged:
        return
    for (r1, c1), (r2, _c2) in merged:
        if not (c1 <= kolom <= _c2) or r2 <= r1 or r1 < mulai or r1 >= len(grid):
            continue
        atas = grid[r1][kolom] if kolom < len(grid[r1]) else ""
        for r in range(r1 + 1, min(r2, len(grid) - 1) + 1):
            baris = grid[r]
            if kolom < len(baris) and baris[kolom] in ("", None):
                baris[kolom] = atas


class _Salah:
    """Error sink of the row being checked (``periksa``'s ``salah``)."""

    __slots__ = ("err", "nomor", "posisi", "teks")

    def __init__(self, teks: dict[str, str], posisi: dict[str, int]) -> None:
        self.teks, self.posisi = teks, posisi
        self.nomor = 0
        self.err: list[RowError] = []

    def __call__(self, key: str, pesan: str) -> None:
        self.err.append(RowError(self.nomor, self.teks.get(key, key), pesan, self.posisi.get(key)))


def _validasi(
    grid: list[list[Any]],
    merged: Any,
    judul: _Judul,
    pindai: Pindai | None,
    kolom: Sequence[Kolom],
    nama_lembar: str,
    batas: Batas,
    periksa: Periksa | None,
    fmt: str,
) -> HasilBaca:
    mulai = judul.indeks + 1
    for k in kolom:
        if k.gabungan and k.key in judul.kolom:
            _isi_gabungan(grid, merged, judul.kolom[k.key], mulai)
    spes = [(k, judul.kolom[k.key], judul.teks[k.key]) for k in kolom if k.key in judul.kolom]
    hilang = [k.key for k in kolom if k.key not in judul.kolom]
    posisi = {k: j + 1 for k, j in judul.kolom.items()}
    rumus = _rumus_per_baris(pindai, (j + 1 for _k, j, _t in spes), mulai + 1)
    lebar = max(j for _k, j, _t in spes) + 1
    kolom_j = [j for _k, j, _t in spes]
    # (key, 0-based column, header text, converter) per column of the table
    ubah = [(k.key, j, t, pengubah(k, t, batas.teks_sel)) for k, j, t in spes]
    max_rows = batas.max_rows
    pesan_rumus = _pesan_rumus() if rumus else ""

    rows: list[Any] = []
    errors: list[RowError] = []
    salah = _Salah(judul.teks, posisi)
    total = 0
    for i in range(mulai, len(grid)):
        baris = grid[i]
        if len(baris) < lebar:
            baris = [*baris, *([""] * (lebar - len(baris)))]
        vals = [baris[j] for j in kolom_j]
        if all(map(kosong, vals)):
            continue
        total += 1
        if total > max_rows:
            raise BerkasTidakValid(_pesan_terlalu_banyak(nama_lembar, max_rows))
        nomor = i + 1
        err: list[RowError] = []
        nilai: dict[str, Any] = dict.fromkeys(hilang) if hilang else {}
        kolom_rumus = rumus.get(nomor) if rumus else None
        for (key, j, t, f), v in zip(ubah, vals, strict=True):
            if kolom_rumus and j + 1 in kolom_rumus:
                err.append(RowError(nomor, t, pesan_rumus, j + 1))
                nilai[key] = None
                continue
            x, pesan = f(v)
            if pesan:
                err.append(RowError(nomor, t, pesan, j + 1))
            nilai[key] = x
        b: Any = Baris(nomor, nilai)
        if periksa is not None:
            salah.nomor, salah.err = nomor, err
            lain = periksa(b, salah)
            if lain is not None:
                b = lain
        if err:
            errors.extend(err)
        else:
            rows.append(b)
    errors.sort(key=lambda e: (e.row, e.col or 0))
    return HasilBaca(
        rows=rows,
        errors=errors,
        header_row=mulai,
        sheet=nama_lembar,
        total_rows=total,
        kolom=dict(judul.teks),
        posisi=posisi,
        format=fmt,
    )


def _pesan_judul_kurang(kolom: Sequence[Kolom], nama: str, judul: _Judul) -> str:
    return _(
        'The header row on sheet "%(sheet)s" row %(row)s is incomplete: column %(missing)s not '
        "found."
    ) % {
        "sheet": nama,
        "row": judul.indeks + 1,
        "missing": ", ".join(_kurang_wajib(kolom, judul)),
    }


def _pesan_tanpa_judul(kolom: Sequence[Kolom], sheet: str | None) -> str:
    harapan = ", ".join(k.label for k in kolom)
    if sheet is not None:
        return _(
            'No header row found in the first %(n)s rows of sheet "%(sheet)s". Make sure a row '
            "holds the column headers: %(expected)s."
        ) % {"n": MAKS_BARIS_JUDUL, "sheet": sheet, "expected": harapan}
    return _(
        "No header row found in the first %(n)s rows of any sheet. Make sure a row holds the "
        "column headers: %(expected)s."
    ) % {"n": MAKS_BARIS_JUDUL, "expected": harapan}


# ---------------------------------------------------------------------------- xlsx
def _baca_xlsx(
    raw: bytes,
    kolom: Sequence[Kolom],
    indeks: IndeksJudul,
    batas: Batas,
    sheet: str | None,
    periksa: Periksa | None,
) -> HasilBaca:
    minimum = min(2, len(kolom))
    with Buku(raw, batas, None if sheet is None else {sheet}) as buku:
        kerja = buku.lembar_kerja()
        if sheet is not None:
            kandidat = [lb for lb in kerja if lb.nama == sheet]
            if not kandidat:
                tersedia = ", ".join(f'"{lb.nama}"' for lb in kerja) or "-"
                raise BerkasTidakValid(
                    _('Sheet "%(sheet)s" is not in the file. Sheets in the file: %(sheets)s.')
                    % {"sheet": sheet, "sheets": tersedia}
                )
        else:
            kandidat = [lb for lb in kerja if lb.terlihat] or kerja
        if not kandidat:
            raise BerkasTidakValid(_("The Excel file holds no worksheet."))
        terbaik = None
        terlalu_besar: BerkasTidakValid | None = None
        semua_kosong = True
        for lb in kandidat:
            try:
                pindai = buku.pindai(lb)
            except BerkasTidakValid as exc:
                if sheet is not None or len(kandidat) == 1:
                    raise
                # Another sheet (when none was chosen) may be the table.
                semua_kosong = False
                terlalu_besar = terlalu_besar or exc
                continue
            if pindai.baris_max == 0:
                continue
            g = buku.grid(lb, pindai)
            if not any(not kosong(v) for baris in g.baris for v in baris):
                continue
            semua_kosong = False
            judul = _cari_judul(g.baris, indeks, minimum)
            if judul is None:
                continue
            if not _kurang_wajib(kolom, judul):
                return _validasi(
                    g.baris, g.gabungan, judul, g.pindai, kolom, lb.nama, batas, periksa, "xlsx"
                )
            if terbaik is None or len(judul.kolom) > len(terbaik[1].kolom):
                terbaik = (lb.nama, judul)
    if terbaik is not None:
        raise BerkasTidakValid(_pesan_judul_kurang(kolom, *terbaik))
    if terlalu_besar is not None:
        raise terlalu_besar
    if semua_kosong:
        if sheet is not None:
            raise BerkasTidakValid(_('Sheet "%(sheet)s" is empty.') % {"sheet": sheet})
        raise BerkasTidakValid(_("The Excel file is empty: no sheet holds any data."))
    raise BerkasTidakValid(_pesan_tanpa_judul(kolom, sheet))


# ---------------------------------------------------------------------------- csv
_PENGKODEAN = ("utf-8-sig", "utf-8", "cp1252")


def dekode_teks(raw: bytes) -> str | None:
    """Text of a CSV/plain-text file (UTF-8 with or without BOM, else Windows-1252), or None
    for binary content."""
    if b"\x00" in raw[:8192]:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            try:
                return raw.decode("utf-16")
            except UnicodeDecodeError:
                return None
        return None
    for enc in _PENGKODEAN:
        try:
            teks = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        # cp1252 decodes almost anything: refuse what is plainly not text.
        kendali = sum(1 for ch in teks[:8192] if ord(ch) < 32 and ch not in "\r\n\t")
        return None if kendali else teks
    return None


def _pemisah(teks: str, indeks: IndeksJudul) -> str:
    """The delimiter (``,``, ``;`` or tab) that splits the header row into known columns."""
    baris = teks.splitlines()[:MAKS_BARIS_JUDUL]
    terbaik, skor_terbaik = ",", -1
    for pemisah in (",", ";", "\t"):
        skor = 0
        try:
            for row in csv.reader(baris, delimiter=pemisah):
                skor = max(skor, sum(1 for v in row if indeks.cocok(v)))
        except csv.Error:
            continue
        if skor > skor_terbaik:
            terbaik, skor_terbaik = pemisah, skor
    return terbaik


def _baca_csv(
    raw: bytes,
    kolom: Sequence[Kolom],
    indeks: IndeksJudul,
    batas: Batas,
    periksa: Periksa | None,
) -> HasilBaca:
    if len(raw) > batas.csv:
        raise BerkasTidakValid(
            _("The CSV file is too large: %(size)s, the limit is %(limit)s.")
            % {"size": f"{len(raw) // 1024 // 1024} MB", "limit": f"{batas.csv // 1024 // 1024} MB"}
        )
    teks = dekode_teks(raw)
    if teks is None:
        raise BerkasTidakValid(pesan_bukan_tabel())
    pemisah = _pemisah(teks, indeks)
    grid: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(teks, newline=""), delimiter=pemisah):
            grid.append(row)
            if len(grid) > batas.baris_lembar:
                raise BerkasTidakValid(_pesan_terlalu_banyak("CSV", batas.max_rows))
            if len(row) > batas.sel_per_baris * 10:
                raise BerkasTidakValid(
                    _("Row %(row)s of the CSV file has too many columns (%(n)s).")
                    % {"row": len(grid), "n": ribuan(len(row))}
                )
    except csv.Error as exc:
        raise BerkasTidakValid(
            _("The CSV file cannot be read (row %(row)s): %(error)s.")
            % {"row": len(grid) + 1, "error": exc}
        ) from exc
    if not any(not kosong(v) for r in grid for v in r):
        raise BerkasTidakValid(_("The CSV file is empty."))
    judul = _cari_judul(grid, indeks, min(2, len(kolom)))
    if judul is None:
        raise BerkasTidakValid(_pesan_tanpa_judul(kolom, "CSV"))
    if _kurang_wajib(kolom, judul):
        raise BerkasTidakValid(_pesan_judul_kurang(kolom, "CSV", judul))
    return _validasi(grid, None, judul, None, kolom, "CSV", batas, periksa, "csv")


# ---------------------------------------------------------------------------- entry
def baca_tabel(
    data: Data,
    kolom: Sequence[Kolom],
    *,
    max_rows: int = 200_000,
    sheet: str | None = None,
    periksa: Periksa | None = None,
    format: Sequence[str] = ("xlsx", "csv"),  # noqa: A002 - the word users know
    batas: Batas | None = None,
) -> HasilBaca:
    """Read and type a table; see the module docstring.

    ``data``: bytes, a path or a binary file. ``kolom``: the columns (order free in the file;
    other columns are ignored). ``max_rows``: non-blank data rows accepted; the guard's bounds
    follow from it (``Batas``). ``sheet``: the sheet to read; None = the first visible sheet
    that has the header row. ``periksa``: the table's own row check. ``format``: accepted
    formats, "xlsx" and/or "csv" (detected from the content, never from a file name).

    Raises ``BerkasTidakValid`` (message in Indonesian) for a file that cannot be read at all.
    """
    raw = ambil_bytes(data)
    batas = batas or Batas(max_rows=max_rows)
    indeks = IndeksJudul(tuple(kolom))
    if not raw:
        raise BerkasTidakValid(pesan_kosong())
    adalah_zip = raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if "xlsx" in format and (adalah_zip or "csv" not in format):
        return _baca_xlsx(raw, kolom, indeks, batas, sheet, periksa)
    if "csv" in format and not adalah_zip:
        return _baca_csv(raw, kolom, indeks, batas, periksa)
    raise BerkasTidakValid(pesan_bukan_tabel())
