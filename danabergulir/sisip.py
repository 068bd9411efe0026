"""Append-only bulk writes of postings: PostgreSQL ``COPY``, elsewhere ``executemany``.

Statement lines and allocation rows are only ever inserted by posting, in batches of tens of
thousands; ``COPY ... FROM STDIN`` moves them several times faster than one INSERT per row.
No model instances, no ``save()`` and no signals, like ``bulk_create``. (A candidate to lift
into ``sop.massal`` beside ``sisip_massal``.)
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from sop.massal import sisip_massal


def sisip(model, baris: Sequence[dict]) -> int:
    """INSERT rows given as ``{attname: value}`` (missing columns take the field default)."""
    if not baris:
        return 0
    if connection.vendor != "postgresql":
        return sisip_massal(model, baris)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    kunci = [f.attname for f in fields]
    bawaan = [f.get_default() for f in fields]
    sql = "COPY {} ({}) FROM STDIN".format(  # noqa: S608 - names from the model metadata
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    )
    connection.ensure_connection()
    with connection.cursor() as c, c.cursor.copy(sql) as cp:
        for d in baris:
            cp.write_row([d.get(k, b) for k, b in zip(kunci, bawaan, strict=True)])
    return len(baris)
