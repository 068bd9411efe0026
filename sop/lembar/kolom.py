"""Column specs and the typed conversion of one cell (pure functions, no Django models).

A ``Kolom`` names a column by its header (label and aliases, matched after ``normalisasi_nama``)
and says what its cells hold (``Jenis``). ``ubah_nilai`` turns one cell into a typed value or an
Indonesian message; the reader wraps the message with the row and column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from ..teks import karakter_terlarang, pesan_karakter, teks_angka
from ..teks import rapikan as rapikan_teks
from .galat import ribuan


class Jenis(StrEnum):
    """What a column's cells hold."""

    TEKS = "teks"  #: text (numbers written as text: 81234567890 -> "81234567890")
    NIK = "nik"  #: 16-digit number kept as text (NIK, No KK); a number cell is refused
    ANGKA = "angka"  #: number -> Decimal (cells or text "1.250,5")
    UANG = "uang"  #: money -> Decimal with 2 places (cells or text "Rp 1.250.000,00")
    TANGGAL = "tanggal"  #: date -> datetime.date (date cells, Excel serials, "31/12/2024")
    PERSEN = "persen"  #: percentage -> Decimal fraction ("12,5%" -> 0.125)


#: ``cek(value) -> (value, message | None)``: a column's own check after the conversion.
Cek = Callable[[Any], tuple[Any, str | None]]


@dataclass(frozen=True, slots=True)
class Kolom:
    """One column of a table.

    ``required``: the header must be present and every data row must fill the cell.
    ``max_len``: longest text accepted (characters); longer text is refused, never cut.
    ``teks``: written as Text ('@') in templates and exports (numbers that must stay text);
    always true for ``Jenis.NIK``. ``rapikan``: collapse runs of spaces and line breaks.
    ``gabungan``: vertically merged cells fill the rows below (e.g. a village column).
    ``cek``: extra check of the converted value (see ``Cek``). ``lebar`` / ``catatan``: column
    width and header comment in templates. ``sebutan``: the short name used in messages
    ("Nama wajib diisi." for the column "Nama Lengkap"); defaults to ``label``.
    """

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    jenis: Jenis = Jenis.TEKS
    max_len: int | None = None
    teks: bool = False
    rapikan: bool = True
    gabungan: bool = False
    cek: Cek | None = None
    lebar: int | None = None
    catatan: str = ""
    sebutan: str = ""

    @property
    def nama_pesan(self) -> str:
        return self.sebutan or self.label

    @property
    def sebagai_teks(self) -> bool:
        return self.teks or self.jenis == Jenis.NIK

    def nama_judul(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


# ---------------------------------------------------------------------------- headers
_KURUNG = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def normalisasi_nama(s: object) -> str:
    """Casefold and drop everything but letters and digits: ``"Desa / Kel."`` -> ``"desakel"``.

    Compares headers and place names ("SUNGAI PERAK" == "Sungaiperak").
    """
    if s is None:
        return ""
    teks = unicodedata.normalize("NFKC", str(s)).casefold()
    return "".join(ch for ch in teks if ch.isalnum())


class IndeksJudul:
    """Header text -> (column key, priority): the label first, then aliases in order."""

    def __init__(self, kolom: tuple[Kolom, ...]) -> None:
        self.kolom = kolom
        self.alias: dict[str, tuple[str, int]] = {}
        for k in kolom:
            for prio, nama in enumerate(k.nama_judul()):
                self.alias.setdefault(normalisasi_nama(nama), (k.key, prio))

    def cocok(self, teks: str) -> tuple[str, int] | None:
        n = normalisasi_nama(teks)
        if not n:
            return None
        hit = self.alias.get(n)
        if hit is None:
            tanpa_kurung = normalisasi_nama(_KURUNG.sub("", teks))
            if tanpa_kurung:
                hit = self.alias.get(tanpa_kurung)
        return hit

    def key(self, teks: str) -> str:
        hit = self.cocok(teks)
        return hit[0] if hit else ""


# ---------------------------------------------------------------------------- text
def rapikan(s: str) -> str:
    """``sop.teks.rapikan``: NFC, invisible characters removed, whitespace runs (line breaks
    and NBSP included) collapsed, trimmed. ASCII text takes the short path (same result)."""
    if s.isascii():
        return " ".join(s.split())
    return rapikan_teks(s)


def angka_teks(s: str) -> str:
    """``sop.teks.teks_angka`` (NFKC, invisible characters dropped) with an ASCII short path."""
    return s.strip() if s.isascii() else teks_angka(s)


def teks_sel(v: Any) -> str:
    """A calamine cell value -> trimmed text, without losing the digits of whole numbers."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    return str(v).strip()


def angka_tampil(v: float | int) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e18:
        return str(int(v))
    return str(v)


def is_angka(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def kosong(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and v.isspace())


# ---------------------------------------------------------------------------- NIK-like
_RE_NOTASI_ILMIAH = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+")
_RE_PEMISAH_NOMOR = re.compile(r"[\s.\-]")


def pesan_angka(label: str, judul: str, v: Any) -> str:
    """A 16-digit number typed as a number: Excel kept only 15 significant digits."""
    tampil = angka_tampil(v) if is_angka(v) else str(v)
    return _(
        "%(label)s was typed as a number (%(value)s). Excel keeps only 15 digits of a number, so "
        "the 16th digit is already cut off and cannot be recovered. Format the %(column)s column "
        "as Text (Format Cells > Text), then type it again."
    ) % {"label": label, "value": tampil, "column": judul}


def nik_teks(v: Any, label: str, judul: str) -> tuple[str | None, str | None]:
    """The raw text of a NIK-like cell (separators kept), or a message for numbers."""
    if is_angka(v):
        return None, pesan_angka(label, judul, v)
    s = angka_teks(teks_sel(v)).lstrip("'")
    if _RE_NOTASI_ILMIAH.fullmatch(s):
        return None, pesan_angka(label, judul, s)
    return s, None


def nik_16(s: str, label: str) -> tuple[str | None, str | None]:
    """16 digits after removing spaces, dots and dashes; not all zero."""
    digit = _RE_PEMISAH_NOMOR.sub("", s)
    if not (len(digit) == 16 and digit.isascii() and digit.isdigit()):
        n = sum(ch.isdigit() for ch in s)
        return None, _("%(label)s must be 16 digits (%(n)s digits given).") % {
            "label": label,
            "n": n,
        }
    if digit == "0" * 16:
        return None, _("%(label)s is not valid (all digits are 0).") % {"label": label}
    return digit, None


# ---------------------------------------------------------------------------- numbers
_RE_MATA_UANG = re.compile(r"^(?:rp\.?|idr)\s*|\s*(?:rp\.?|idr)$", re.IGNORECASE)
_RE_ANGKA_TEKS = re.compile(r"[0-9]+(?:[.,][0-9]+)*")


def urai_angka(teks: str) -> Decimal | None:
    """Indonesian or English number text -> Decimal; None when it is not a number.

    Rules: the last of ``.``/``,`` is the decimal mark when both appear ("1.250.000,50",
    "1,250,000.50"); one kind repeated is a thousands separator ("1.250.000", "1,250,000"); a
    single ``,`` is the decimal mark (Indonesian "12,5"); a single ``.`` followed by exactly
    three digits is a thousands separator ("1.250" = 1250), otherwise a decimal mark ("12.5").
    Accepts a leading sign, "Rp"/"IDR", spaces inside, and accounting negatives "(1.000)".
    """
    s = teks.strip().replace("\u00a0", " ").replace("\u2212", "-")
    negatif = False
    if s.startswith("(") and s.endswith(")"):
        negatif, s = True, s[1:-1].strip()
    s = _RE_MATA_UANG.sub("", s).strip()
    if s[:1] in "+-" and s:
        negatif ^= s[0] == "-"
        s = s[1:].strip()
    s = _RE_MATA_UANG.sub("", s).replace(" ", "")
    if not s or not _RE_ANGKA_TEKS.fullmatch(s):
        return None
    titik, koma = s.count("."), s.count(",")
    if titik and koma:
        desimal = "." if s.rfind(".") > s.rfind(",") else ","
        ribu = "," if desimal == "." else "."
        if s.count(desimal) > 1:
            return None
        bulat, pecahan = s.split(desimal)
        bulat = bulat.replace(ribu, "")
    elif koma > 1 or titik > 1:
        bulat, pecahan = s.replace("," if koma else ".", ""), ""
    elif koma == 1:
        bulat, pecahan = s.split(",")
    elif titik == 1:
        bulat, pecahan = s.split(".")
        if len(pecahan) == 3:
            bulat, pecahan = bulat + pecahan, ""
    else:
        bulat, pecahan = s, ""
    try:
        nilai = Decimal(f"{bulat}.{pecahan}" if pecahan else bulat)
    except InvalidOperation:
        return None
    return -nilai if negatif else nilai


def _desimal(v: float | int) -> Decimal:
    return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


def ubah_angka(v: Any, label: str) -> tuple[Decimal | None, str | None]:
    if is_angka(v):
        return _desimal(v), None
    n = urai_angka(teks_sel(v))
    if n is None:
        return None, _('%(label)s "%(value)s" is not a number.') % {
            "label": label,
            "value": teks_sel(v)[:50],
        }
    return n, None


_SEN = Decimal("0.01")


def ubah_uang(v: Any, label: str) -> tuple[Decimal | None, str | None]:
    n, pesan = ubah_angka(v, label)
    if pesan:
        return None, _('%(label)s "%(value)s" is not an amount of money (e.g. 1.250.000,00).') % {
            "label": label,
            "value": teks_sel(v)[:50],
        }
    assert n is not None
    if n != n.quantize(_SEN):
        return None, _("%(label)s has more than 2 decimal places.") % {"label": label}
    return n.quantize(_SEN), None


def ubah_persen(v: Any, label: str) -> tuple[Decimal | None, str | None]:
    """Percent -> fraction. A number cell up to 1 is already a fraction (Excel stores 12.5% as
    0.125); other number cells and every text are percent points ("12,5" and "12,5%" -> 0.125)."""
    if is_angka(v):
        d = _desimal(v)
        return (d if abs(d) <= 1 else d / 100), None
    s = teks_sel(v).replace(" ", "")
    s = s.removesuffix("%")
    n = urai_angka(s)
    if n is None:
        return None, _('%(label)s "%(value)s" is not a percentage (e.g. 12,5%%).') % {
            "label": label,
            "value": teks_sel(v)[:50],
        }
    return n / 100, None


# ---------------------------------------------------------------------------- dates
_BULAN = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "februari": 2,
    "pebruari": 2,
    "february": 2,
    "mar": 3,
    "maret": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "agu": 8,
    "agt": 8,
    "agus": 8,
    "agustus": 8,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "nop": 11,
    "november": 11,
    "nopember": 11,
    "des": 12,
    "desember": 12,
    "dec": 12,
    "december": 12,
}
_RE_DMY = re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2,4})")
_RE_YMD = re.compile(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_RE_D_BULAN_Y = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{2,4})")
_EPOCH_EXCEL = dt.date(1899, 12, 30)
_SERIAL_MAKS = 2_958_465  # 31-12-9999


def urai_tanggal(teks: str) -> dt.date | str:
    """Text -> date, or the reason it is not one. Day-month-year ("31/12/2024", "31-12-2024",
    "31.12.2024", "31 Desember 2024") or ISO ("2024-12-31"); the year must have 4 digits."""
    s = teks.strip()
    m = _RE_YMD.fullmatch(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _RE_DMY.fullmatch(s)
        if m:
            d, mo, y_teks = int(m.group(1)), int(m.group(2)), m.group(3)
        else:
            m = _RE_D_BULAN_Y.fullmatch(s)
            if not m or m.group(2).casefold() not in _BULAN:
                return "format"
            d, mo, y_teks = int(m.group(1)), _BULAN[m.group(2).casefold()], m.group(3)
        if len(y_teks) != 4:
            return "tahun"
        y = int(y_teks)
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return "format"


def ubah_tanggal(v: Any, label: str) -> tuple[dt.date | None, str | None]:
    if isinstance(v, dt.datetime):
        return v.date(), None
    if isinstance(v, dt.date):
        return v, None
    if is_angka(v):
        if 1 <= v <= _SERIAL_MAKS:
            return _EPOCH_EXCEL + dt.timedelta(days=int(v)), None
        return None, _("%(label)s: %(value)s is not a date.") % {
            "label": label,
            "value": angka_tampil(v),
        }
    hasil = urai_tanggal(teks_sel(v))
    if isinstance(hasil, dt.date):
        return hasil, None
    if hasil == "tahun":
        return None, _('%(label)s "%(value)s": write the year with 4 digits (31/12/2024).') % {
            "label": label,
            "value": teks_sel(v)[:50],
        }
    return None, _('%(label)s "%(value)s" is not a date; write it as 31/12/2024 or 2024-12-31.') % {
        "label": label,
        "value": teks_sel(v)[:50],
    }


# ---------------------------------------------------------------------------- one cell
def pesan_wajib(label: str) -> str:
    return _("%(label)s is required.") % {"label": label}


def pesan_panjang(label: str, n: int, maks: int) -> str:
    return _("%(label)s is too long: %(n)s characters, at most %(max)s.") % {
        "label": label,
        "n": ribuan(n),
        "max": ribuan(maks),
    }


def ubah_nilai(k: Kolom, v: Any, judul: str, maks_teks: int) -> tuple[Any, str | None]:
    """One cell -> (typed value, None) or (None, message). Empty cells give ``None`` (and the
    "required" message for required columns); text over ``max_len`` (or over ``maks_teks``,
    Excel's cell limit) is refused, never cut."""
    return pengubah(k, judul, maks_teks)(v)


Pengubah = Callable[[Any], tuple[Any, str | None]]


def pengubah(k: Kolom, judul: str, maks_teks: int) -> Pengubah:
    """``ubah_nilai`` for one column, specialised once per read (the reader calls it for every
    cell, so the common case, a text cell, takes a short path)."""
    nama = k.nama_pesan
    cek = k.cek
    kosong_ok: tuple[Any, str | None] = (None, None)
    kosong_salah: tuple[Any, str | None] = (None, pesan_wajib(nama))
    hasil_kosong = kosong_salah if k.required else kosong_ok

    if k.jenis == Jenis.NIK:

        def ubah_nik(v: Any) -> tuple[Any, str | None]:
            if v.__class__ is str:
                s = angka_teks(v).lstrip("'")
                if ("e" in s or "E" in s) and _RE_NOTASI_ILMIAH.fullmatch(s):
                    return None, pesan_angka(nama, judul, s)
            else:
                s, pesan = nik_teks(v, nama, judul)
                if pesan:
                    return None, pesan
                assert s is not None
            if not s:
                return hasil_kosong
            if len(s) > maks_teks:
                return None, pesan_panjang(nama, len(s), maks_teks)
            if cek is not None:
                return cek(s)
            return nik_16(s, nama)

        return ubah_nik

    if k.jenis == Jenis.TEKS:
        maks = min(k.max_len or maks_teks, maks_teks)
        rapi = k.rapikan

        def ubah_teks(v: Any) -> tuple[Any, str | None]:
            if v.__class__ is str:
                s = rapikan(v) if rapi else v.strip()
            elif v is None:
                return hasil_kosong
            else:
                s = teks_sel(v)
                if rapi:
                    s = rapikan(s)
            if not s:
                return hasil_kosong
            if len(s) > maks:
                return None, pesan_panjang(nama, len(s), maks)
            if not s.isprintable():
                # reading-direction and control characters are refused, never repaired
                ch = karakter_terlarang(s)
                if ch is not None:
                    return None, pesan_karakter(judul, ch)
            if cek is not None:
                return cek(s)
            return s, None

        return ubah_teks

    ubah = {
        Jenis.ANGKA: ubah_angka,
        Jenis.UANG: ubah_uang,
        Jenis.TANGGAL: ubah_tanggal,
        Jenis.PERSEN: ubah_persen,
    }[k.jenis]

    def ubah_lain(v: Any) -> tuple[Any, str | None]:
        if kosong(v):
            return hasil_kosong
        nilai, pesan = ubah(v, nama)
        if pesan:
            return None, pesan
        if cek is not None:
            return cek(nilai)
        return nilai, None

    return ubah_lain
