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
