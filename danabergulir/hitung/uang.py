"""Money helpers: half-up rounding to the rupiah, rupiah text, terbilang, statement amounts."""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from lokal.rupiah import format_rupiah
from lokal.terbilang import terbilang

SATU = Decimal(1)
PPM_PER_PERSEN = 10_000  # 1 % = 0.01 = 10,000 parts per million


def bulat(x: Decimal | int) -> int:
    """Round half up to a whole rupiah (0.5 -> 1, 2.5 -> 3, -0.5 -> -1)."""
    return int(Decimal(x).quantize(SATU, rounding=ROUND_HALF_UP))


def lantai(x: Decimal | int) -> int:
    """Round down (toward minus infinity) to a whole rupiah."""
    return int(Decimal(x).quantize(SATU, rounding=ROUND_FLOOR))


def persen_ke_ppm(persen: Decimal | int | str) -> int:
    """A percentage as parts per million: 0.1 (%) -> 1000. Exact for up to 4 decimals."""
    ppm = Decimal(str(persen)) * PPM_PER_PERSEN
    if ppm != ppm.to_integral_value():
        raise ValueError("a rate has at most 4 decimals (0.0001 %)")
    return int(ppm)


def rupiah(x: Decimal | int) -> str:
    """Figures as in Indonesian documents: 10600000 -> "Rp10.600.000,00"."""
    return format_rupiah(Decimal(x), decimals=True)


def terbilang_rupiah(x: Decimal | int) -> str:
    """Words: 10600000 -> "sepuluh juta enam ratus ribu rupiah" (whole rupiah only)."""
    return terbilang(int(x), currency=True)


_RE_ID = re.compile(r"\d{1,3}(?:\.\d{3})*(?:,\d{1,2})?")  # 1.250.000,00
_RE_EN = re.compile(r"\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?")  # 1,250,000.00
_RE_POLOS = re.compile(r"\d+(?:[.,]\d{1,2})?")  # 1250000 | 1250000,5 | 1250000.00


def baca_jumlah(v: object) -> Decimal | None:
    """An amount cell of a bank statement: a number, or text such as "1.250.000,00",
    "Rp 1.250.000", "1,250,000.00", "1250000". Blank, "-" and "0" give None (no amount).

    Raises ValueError for text that is not an amount, a negative amount or more than 2 decimals.
    """
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int):
        d = Decimal(v)
    elif isinstance(v, float):
        d = Decimal(repr(v))
    elif isinstance(v, Decimal):
        d = v
    else:
        s = str(v).strip().replace("\u00a0", "").replace(" ", "")
        if s.lower().startswith("rp"):
            s = s[2:].lstrip(".")
        if s in ("", "-", "--"):
            return None
        if s.startswith("-") or (s.startswith("(") and s.endswith(")")):
            raise ValueError("negative amount")
        if _RE_ID.fullmatch(s):
            d = Decimal(s.replace(".", "").replace(",", "."))
        elif _RE_EN.fullmatch(s):
            d = Decimal(s.replace(",", ""))
        elif _RE_POLOS.fullmatch(s):
            d = Decimal(s.replace(",", "."))
        else:
            raise ValueError("not an amount")
    try:
        d2 = d.quantize(Decimal("0.01"))
    except InvalidOperation as e:  # pragma: no cover - absurdly large numbers
        raise ValueError("not an amount") from e
    if d2 != d:
        raise ValueError("more than 2 decimals")
    if d2 < 0:
        raise ValueError("negative amount")
    return d2 if d2 != 0 else None
