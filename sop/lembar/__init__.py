"""One safe spreadsheet reader and the spreadsheet writers for the whole project.

Every xlsx or CSV a user uploads is read through ``baca_tabel`` (tables) or
``baca_lembar_mentah`` (fixed-layout workbooks); nothing else in the project opens an upload with
calamine or openpyxl. The ADR "one safe reader and one upload check" (docs/adr) explains the guards.

Reading a table
---------------
::

    from sop.lembar import BerkasTidakValid, Jenis, Kolom, baca_tabel

    KOLOM = (
        Kolom("nik", "NIK", ("No KTP", "Nomor Induk Kependudukan"), jenis=Jenis.NIK),
        Kolom("nama", "Nama Lengkap", ("Nama",), max_len=200, sebutan="Nama"),
        Kolom("pokok", "Pokok Pinjaman", ("Pokok",), jenis=Jenis.UANG),
        Kolom("jatuh_tempo", "Jatuh Tempo", jenis=Jenis.TANGGAL),
        Kolom("bunga", "Bunga", jenis=Jenis.PERSEN, required=False),
    )
    try:
        hasil = baca_tabel(raw, KOLOM, max_rows=50_000)       # bytes, path or binary file
    except BerkasTidakValid as e:
        ...                                                   # e.message: why the whole file is refused
    for b in hasil.rows:                                      # rows without errors
        b.row, b["nik"], b["pokok"], b.get("bunga")          # Excel row, typed values
    for e in hasil.errors:                                    # RowError, sorted by row/column
        e.row, e.column, e.huruf, e.message                   # 12, "Nama Lengkap", "C", "Nama wajib diisi."

``baca_tabel(data, kolom, *, max_rows=200_000, sheet=None, periksa=None,
format=("xlsx", "csv"), batas=None) -> HasilBaca``

* ``Kolom(key, label, aliases=(), required=True, jenis=Jenis.TEKS, max_len=None, teks=False,
  rapikan=True, gabungan=False, cek=None, lebar=None, catatan="", sebutan="")``: the header is
  matched by ``label`` or an alias after ``normalisasi_nama`` (case, spaces, punctuation and a
  "(...)" note ignored), in any column order; other columns are ignored. ``required``: header
  and cell must be present. Kinds (``Jenis``): TEKS (text; ``max_len`` refuses longer text with
  row and column, never cuts), NIK (16 digits kept as text; a number cell is refused because
  Excel already lost the 16th digit), ANGKA (-> Decimal), UANG (-> Decimal, 2 places; "Rp
  1.250.000,00", "1,250,000.00", number cells), TANGGAL (-> date; date cells, Excel serials,
  "31/12/2024", "31-12-2024", "31 Desember 2024", "2024-12-31"), PERSEN (-> Decimal fraction:
  "12,5%" and 12.5 -> 0.125; a number cell <= 1 is already a fraction). ``cek(value) ->
  (value, message | None)``: the column's own check. ``gabungan``: merged cells fill down.
* The header row is found by its names in the first 30 rows (title rows above it allowed).
  Formula cells in the table's columns are refused; blank rows skipped; rows keep Excel's
  numbers. ``periksa(baris, salah)`` adds a table's own row/cross-row checks: call
  ``salah(key, message)``.
* ``HasilBaca(rows: list[Baris], errors: list[RowError], header_row, sheet, total_rows,
  kolom: {key: header text}, posisi: {key: column number}, format: "xlsx" | "csv")``.
* CSV (bank statements): detected from the content (never the file name); UTF-8 (BOM or not)
  or Windows-1252; delimiter ``,`` ``;`` or tab, chosen by which one splits the header row.

Guards (all before calamine sees the file; ``Batas`` derives them from ``max_rows``): each part's
real inflated size (sheet XML ``16 MiB + 2 KiB/row``, shared strings ``16 MiB + 1 KiB/row``,
other parts 16 MiB, whole archive ``32 MiB + 3 KiB/row``), inflation ratio <= 200 for parts over
4 MiB, declared sizes, CRCs, duplicate or overlapping entries; the declared ``<dimension>`` is
ignored and the used area counted while scanning (<= ``max_rows + 1000`` rows and 30 cells per
row); one row of sheet XML <= 4 MiB; one cell's text <= 32,767 characters (Excel's limit; a
shared string is measured while streaming, never built); shared strings <= ``10,000 + 16/row``
entries and the text they copy into cells <= ``64 MiB + 1 KiB/row``.

Reading a fixed-layout workbook
-------------------------------
``baca_lembar_mentah(data, ["SOP", "Langkah"], *, max_rows=10_000) -> {sheet: rows}``: raw
calamine values of the named sheets, same guard.

Writing
-------
* ``tulis_anotasi(data, errors, header_row, sheet) -> bytes``: the upload with a "Keterangan
  Kesalahan" column and wrong cells in red (a CSV upload comes back as xlsx).
* ``template_tabel(kolom, *, judul, catatan="", nama_lembar="Data", petunjuk=()) -> bytes``.
* ``tulis_tabel(tujuan, [(sheet name, headers, rows), ...], *, kolom=(), autofilter=True) ->
  [sheet names]``: streaming export (constant memory); text never becomes a formula
  (``netralkan_teks``: = + - @ tab CR LF and fullwidth forms get a leading '), NIK-like columns
  and numbers over 15 digits written as text, sheet names cleaned (``nama_lembar``).

Errors: ``BerkasTidakValid`` (whole file; ``.message``), ``RowError(row, column, message, col)``
(``.huruf`` column letter, ``.tempat`` "C (Nama Lengkap)", ``.as_dict()``).
"""

from .baca import MAKS_BARIS_JUDUL, Baris, HasilBaca, Periksa, ambil_bytes, baca_tabel, dekode_teks
from .batas import MAKS_TEKS_SEL, Batas
from .buku import baca_lembar_mentah
from .galat import BerkasTidakValid, RowError, huruf_kolom, nomor_kolom, ribuan
from .kolom import (
    Jenis,
    Kolom,
    normalisasi_nama,
    rapikan,
    teks_sel,
    urai_angka,
    urai_tanggal,
)
from .tulis import (
    JUDUL_KETERANGAN,
    nama_lembar,
    netralkan_teks,
    template_tabel,
    tulis_anotasi,
    tulis_tabel,
)

__all__ = [
    "JUDUL_KETERANGAN",
    "MAKS_BARIS_JUDUL",
    "MAKS_TEKS_SEL",
    "Baris",
    "Batas",
    "BerkasTidakValid",
    "HasilBaca",
    "Jenis",
    "Kolom",
    "Periksa",
    "RowError",
    "ambil_bytes",
    "baca_lembar_mentah",
    "baca_tabel",
    "dekode_teks",
    "huruf_kolom",
    "nama_lembar",
    "netralkan_teks",
    "nomor_kolom",
    "normalisasi_nama",
    "rapikan",
    "ribuan",
    "teks_sel",
    "template_tabel",
    "tulis_anotasi",
    "tulis_tabel",
    "urai_angka",
    "urai_tanggal",
]
