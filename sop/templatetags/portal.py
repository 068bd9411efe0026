"""Template filters for labels instead of codes: ``{% load portal %}``."""

from django import template

from sop import label

register = template.Library()


@register.filter
def nama_orang(user) -> str:
    """``{{ j.user|nama_orang }}``: the person's full name, "sistem" for None."""
    return label.nama_orang(user)


@register.filter
def ya_tidak(nilai) -> str:
    return label.ya_tidak(nilai)


@register.filter
def terlambat_hari(jam) -> int:
    """``{{ jam|terlambat_hari }}``: whole calendar days (rounded up) a running, unpaused step
    clock is past its due time; 0 when it is not late (or finished, paused, untimed)."""
    import math
    from datetime import timedelta

    from django.utils import timezone

    tenggat = getattr(jam, "tenggat", None)
    if tenggat is None or getattr(jam, "selesai", None) or getattr(jam, "dijeda_sejak", None):
        return 0
    lewat = timezone.now() - tenggat
    if lewat <= timedelta(0):
        return 0
    return max(1, math.ceil(lewat / timedelta(days=1)))
