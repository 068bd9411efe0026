"""Result and error types shared by the reader and the writers (no Django models)."""

from __future__ import annotations

from dataclasses import dataclass


class BerkasTidakValid(Exception):
    """The file cannot be processed at all; ``str(exc)`` is the message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


@dataclass(slots=True)
class RowError:
    """One problem in one cell or row.

    ``row``: Excel row number (1-based, title rows included). ``column``: the column's header as
    written in the file (or a column letter). ``col``: 1-based column number when known (the
    annotated workbook colours that cell; ``huruf`` gives its letter).
    """

    row: int
    column: str
    message: str
    col: int | None = None

    @property
    def huruf(self) -> str:
        """Column letter ("C") when the column number is known, else ""."""
        return huruf_kolom(self.col) if self.col else ""

    @property
    def tempat(self) -> str:
        """Where, for people: ``C (Nama Lengkap)`` or just the header."""
        if self.col and self.column and self.column != self.huruf:
            return f"{self.huruf} ({self.column})"
        return self.column or self.huruf

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def huruf_kolom(n: int) -> str:
    """1-based column number -> Excel letters (1 -> A, 27 -> AA)."""
    huruf = ""
    while n > 0:
        n, sisa = divmod(n - 1, 26)
        huruf = chr(65 + sisa) + huruf
    return huruf


def nomor_kolom(huruf: str) -> int:
    """Excel letters -> 1-based column number (A -> 1, AA -> 27)."""
    n = 0
    for ch in huruf.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def ribuan(n: int) -> str:
    """Indonesian thousands separator: 200000 -> "200.000"."""
    return f"{n:,}".replace(",", ".")


def mib(n: int) -> str:
    """Bytes -> "16 MB" (whole megabytes, for messages)."""
    return f"{ribuan(max(1, round(n / (1024 * 1024))))} MB"
