"""Template helpers of the BPUM screens: the role-aware menu and completeness labels."""

from django import template

from bpum.selectors import peran_bpum

register = template.Library()


@register.inclusion_tag("bpum/_menu.html", takes_context=True)
def menu_bpum(context, aktif: str = ""):
    """The BPUM tabs a user can use (a village officer sees no batches, imports, duplicates or
    dashboard): ``{% menu_bpum "usulan" %}``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    peran = peran_bpum(user) if user is not None else {"menu": {}}
    return {"aktif": aktif, "menu": peran["menu"], "peran": peran, "request": request}
