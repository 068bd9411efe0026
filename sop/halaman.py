"""Pagination for lists over big tables (a page costs the same on page 1 and on page 40,000).

``PaginatorCepat`` is Django's ``Paginator`` with three changes:

* the total can be given (``jumlah=``: e.g. summed from summary rows in constant time) instead of
  a ``COUNT(*)`` over the whole list;
* deferred join: a page's primary keys come first, from the ordering's index alone (``SELECT pk
  ... ORDER BY ... LIMIT/OFFSET`` needs no joined table), then the full rows of those 25 keys with
  their related rows: the joins run for 25 rows, not for every row the OFFSET skips;
* pages past the middle are read from the other end: ordering reversed, OFFSET counted from the
  last row, so the last page skips as few rows as the first.

The ordering must be total (end with the primary key) so both directions give the same pages.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property


def _balik(urutan) -> list[str]:
    hasil = []
    for u in urutan:
        if not isinstance(u, str):
            raise TypeError("PaginatorCepat needs an ordering by field names")
        hasil.append(u[1:] if u.startswith("-") else "-" + u)
    return hasil


class PaginatorCepat(Paginator):
    def __init__(self, object_list, per_page, *, jumlah: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._jumlah = jumlah

    @cached_property
    def count(self) -> int:
        if self._jumlah is not None:
            return self._jumlah
        return self.object_list.order_by().values("pk").count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        qs = self.object_list
        urutan = list(qs.query.order_by) or list(qs.model._meta.ordering)
        kunci = qs.values_list("pk", flat=True)
        if bottom > self.count // 2:
            dari_akhir = self.count - top
            ids = list(kunci.order_by(*_balik(urutan))[dari_akhir : dari_akhir + (top - bottom)])
            ids.reverse()
        else:
            ids = list(kunci.order_by(*urutan)[bottom:top])
        posisi = {pk: i for i, pk in enumerate(ids)}
        rows = sorted(qs.order_by().filter(pk__in=ids), key=lambda o: posisi[o.pk]) if ids else []
        return self._get_page(rows, number, self)
