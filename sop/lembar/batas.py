"""Limits of the guarded reader, all derived from the number of data rows a caller accepts.

Every bound is checked on what is actually inflated (never on the sizes a zip declares) and
BEFORE the workbook is handed to calamine, whose allocation failures abort the process instead
of raising. ADR "one safe reader and one upload check" explains each number.
"""

from __future__ import annotations

from dataclasses import dataclass

KIB = 1024
MIB = 1024 * 1024

#: Excel's own limit on one cell's text; anything longer was not written by a spreadsheet.
MAKS_TEKS_SEL = 32_767


@dataclass(frozen=True, slots=True)
class Batas:
    """Bounds for one read. ``max_rows``: data rows accepted (non-empty rows under the header).

    Derived bounds (properties) grow linearly with ``max_rows`` so a 1,000-row form and a
    200,000-row district list each get room for honest files and nothing more.
    """

    max_rows: int = 200_000
    #: rows beyond ``max_rows`` tolerated in the sheet before refusing (title rows, blank rows)
    slack_baris: int = 1_000
    #: cells (height x width of the used area) allowed per row
    sel_per_baris: int = 30
    #: one cell's text, in characters
    teks_sel: int = MAKS_TEKS_SEL
    #: one row of sheet XML, in bytes (bounds any single inline string)
    baris_xml: int = 4 * MIB
    #: inflated size / compressed size of one part, checked for parts over ``rasio_mulai`` bytes
    rasio: int = 200
    rasio_mulai: int = 4 * MIB
    #: parts other than sheets and shared strings (styles, workbook, theme, ...)
    bagian_lain: int = 16 * MIB

    @property
    def baris_lembar(self) -> int:
        """Highest sheet row with content that is still read."""
        return self.max_rows + self.slack_baris

    @property
    def sel(self) -> int:
        """Cells of the used area (rows x columns) calamine may materialise."""
        return self.baris_lembar * self.sel_per_baris

    @property
    def lembar(self) -> int:
        """Inflated bytes of one worksheet's XML."""
        return 16 * MIB + self.max_rows * 2 * KIB

    @property
    def shared_strings(self) -> int:
        """Inflated bytes of ``xl/sharedStrings.xml``."""
        return 16 * MIB + self.max_rows * KIB

    @property
    def jumlah_shared_strings(self) -> int:
        """Entries in the shared string table."""
        return 10_000 + self.max_rows * 16

    @property
    def teks_total(self) -> int:
        """Characters of shared strings materialised into cells (one copy per referencing cell)."""
        return 64 * MIB + self.max_rows * KIB

    @property
    def arsip(self) -> int:
        """Inflated bytes of the whole archive."""
        return 32 * MIB + self.max_rows * 3 * KIB

    @property
    def csv(self) -> int:
        """Bytes of a CSV file."""
        return 8 * MIB + self.max_rows * KIB
