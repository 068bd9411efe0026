"""Template filters of the loan book: rupiah figures and words."""

from django import template

from ..hitung import rupiah as _rupiah
from ..hitung import terbilang_rupiah

register = template.Library()


@register.filter
def rupiah(v):
    """10600000 -> "Rp10.600.000,00" (blank for None)."""
    return "" if v is None or v == "" else _rupiah(v)


@register.filter
def terbilang(v):
    return "" if v is None or v == "" else terbilang_rupiah(v)


@register.filter
def persen_dari(bagian, total):
    """Share in % (0-100, for bar widths): 0 when total is 0."""
    try:
        return round(100 * float(bagian) / float(total), 1) if total else 0
    except (TypeError, ValueError):
        return 0
