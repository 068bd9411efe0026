"""Template helpers of the perizinan screens."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def koma(nilai, desimal=2):
    """88.33 -> "88,33" (Indonesian decimal comma)."""
    if nilai in (None, ""):
        return ""
    d = Decimal(str(nilai)).quantize(Decimal(1).scaleb(-int(desimal)))
    return f"{d:.{int(desimal)}f}".replace(".", ",")


@register.filter
def rupiah(nilai):
    """Decimal -> "Rp0" / "Rp1.250.000"."""
    if nilai in (None, ""):
        return ""
    n = int(Decimal(str(nilai)))
    return "Rp" + f"{n:,}".replace(",", ".")


@register.filter
def menit_teks(menit):
    """135 -> "2 jam 15 menit"."""
    if menit is None or menit == "":
        return "-"
    m = abs(int(menit))
    jam, sisa = divmod(m, 60)
    if jam and sisa:
        return f"{jam} jam {sisa} menit"
    if jam:
        return f"{jam} jam"
    return f"{sisa} menit"


@register.filter
def lebar(persen):
    """A width class (w0..w100, by 5) for simple CSS bars (no inline styles under the CSP)."""
    try:
        p = max(0, min(100, float(persen)))
    except (TypeError, ValueError):
        return "w0"
    return f"w{int(round(p / 5) * 5)}"


@register.filter
def pecahan(nilai, desimal=2):
    """An exact Fraction (an NRR) shown with a decimal comma, half up."""
    from fractions import Fraction

    from perizinan.ikm import format_id

    if nilai in (None, ""):
        return ""
    return format_id(Fraction(nilai), int(desimal))


@register.simple_tag
def boleh_terima(user) -> bool:
    """Whether ``user`` works a counter (the menu offers "Receive a file" only then); computed
    once per request (kept on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not hasattr(user, "_perizinan_boleh_terima"):
        from perizinan.services import layanan_loket

        user._perizinan_boleh_terima = bool(layanan_loket(user))
    return user._perizinan_boleh_terima
