"""An xlsx workbook opened under guard: every bound of ``Batas`` is checked before calamine
inflates or materialises anything (see ``arsip`` and ``pindai``).

Order of the checks: archive structure (declared sizes, ratio, duplicates, overlaps) -> workbook
and relationships -> shared string table (count, longest entry) -> every other part except the
sheets to read, inflated and verified -> calamine opens the workbook (it reads the shared
strings and styles, both verified) -> per sheet, just before calamine reads it: the streaming
scan (verifies the sheet, counts its used area), the used-area bound, and the bound on shared
text copied into cells.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import python_calamine
from django.utils.translation import gettext as _

from .arsip import Arsip, Lembar, pesan_bukan_xlsx, pindai_teks_bersama
from .batas import Batas
from .galat import BerkasTidakValid, mib, ribuan
from .pindai import Pindai, cek_ukuran, jumlah_teks_bersama, pindai_lembar

_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)


@dataclass(slots=True)
class Grid:
    """A sheet's values (calamine ``to_python``), its merged ranges and what the scan found."""

    nama: str
    baris: list[list[Any]]
    gabungan: Any
    pindai: Pindai


class Buku:
    """Open with ``with Buku(raw, batas, sheets) as buku:``; ``sheets``: the sheet names that
    may be read (None = every sheet). Read a sheet with ``buku.grid(lembar)``."""

    def __init__(self, raw: bytes, batas: Batas, sheets: set[str] | None = None) -> None:
        self.batas = batas
        self.arsip = Arsip(raw, batas)
        try:
            self.lembar = self.arsip.daftar_lembar()
            self._dibaca = {
                lb.path
                for lb in self.lembar
                if lb.path is not None and (sheets is None or lb.nama in sheets)
            }
            self.teks = pindai_teks_bersama(self.arsip, batas)
            self.arsip.verifikasi_sisanya(kecuali=self._dibaca)
            try:
                self.cw = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
            except _FATAL:
                raise
            except BaseException as exc:  # PanicException of pyo3 derives from BaseException
                raise BerkasTidakValid(pesan_bukan_xlsx()) from exc
        except BaseException:
            self.arsip.close()
            raise

    def __enter__(self) -> Buku:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.cw.close()
        finally:
            self.arsip.close()

    def lembar_kerja(self) -> list[Lembar]:
        """Worksheets (chart sheets and the like left out)."""
        return [lb for lb in self.lembar if lb.path is not None]

    def pindai(self, lb: Lembar) -> Pindai:
        """Scan a sheet and check its bounds (raises ``BerkasTidakValid``)."""
        assert lb.path is not None and lb.path in self._dibaca
        batas = self.batas
        pindai = pindai_lembar(self.arsip, lb.path, batas, hitung_s=self.teks.jumlah > 0)
        if pindai.baris_max == 0:
            return pindai
        pindai = cek_ukuran(self.arsip, lb.nama, lb.path, pindai, batas)
        if pindai.gabungan > batas.baris_lembar:
            raise BerkasTidakValid(
                _('Sheet "%(sheet)s" has too many merged cell ranges (%(n)s).')
                % {"sheet": lb.nama, "n": ribuan(pindai.gabungan)}
            )
        t = self.teks
        if t.terpanjang and pindai.sel_teks_bersama * t.terpanjang > batas.teks_total:
            panjang = pindai_teks_bersama(self.arsip, batas, panjang=True).panjang
            assert panjang is not None
            total = jumlah_teks_bersama(self.arsip, lb.path, batas, panjang)
            if total > batas.teks_total:
                raise BerkasTidakValid(
                    _(
                        'File too large once unpacked: the cells of sheet "%(sheet)s" would hold '
                        "%(size)s of text copied from its shared texts; the limit is %(limit)s."
                    )
                    % {"sheet": lb.nama, "size": mib(total), "limit": mib(batas.teks_total)}
                )
        return pindai

    def grid(self, lb: Lembar, pindai: Pindai) -> Grid:
        """Values of a sheet already passed by ``pindai``."""
        try:
            lembar = self.cw.get_sheet_by_name(lb.nama)
            baris = lembar.to_python(skip_empty_area=False)
            gabungan = lembar.merged_cell_ranges
        except _FATAL:
            raise
        except BaseException as exc:  # PanicException of pyo3 too
            raise BerkasTidakValid(
                _('Sheet "%(sheet)s" cannot be read: the file is damaged (%(error)s).')
                % {"sheet": lb.nama, "error": str(exc)[:200]}
            ) from exc
        return Grid(lb.nama, baris, gabungan, pindai)


def baca_lembar_mentah(
    data: bytes, nama: list[str] | tuple[str, ...], *, max_rows: int = 10_000
) -> dict[str, list[list[Any]]]:
    """Raw values of the named sheets (for fixed-layout workbooks such as the SOP interchange
    file), read under the same guard as ``baca_tabel``. A missing sheet is refused by name."""
    batas = Batas(max_rows=max_rows)
    with Buku(data, batas, set(nama)) as buku:
        ada = {lb.nama: lb for lb in buku.lembar_kerja()}
        kurang = [n for n in nama if n not in ada]
        if kurang:
            raise BerkasTidakValid(
                _("Sheet %(missing)s is missing. Sheets in the file: %(sheets)s.")
                % {
                    "missing": ", ".join(f'"{n}"' for n in kurang),
                    "sheets": ", ".join(f'"{n}"' for n in ada) or "-",
                }
            )
        hasil = {}
        for n in nama:
            pindai = buku.pindai(ada[n])
            hasil[n] = buku.grid(ada[n], pindai).baris if pindai.baris_max else []
        return hasil
