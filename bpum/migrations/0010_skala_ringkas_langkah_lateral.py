"""The step-log trigger of bpum_ringkaslangkahusulan looks each row's proposal up by its primary
key whatever the table statistics say.

0007's function joined the statement's rows (``baru``) to ``bpum_usulan`` with a plain JOIN. Its
plan is made from the statistics of the moment and kept for the session: when they were taken on
a nearly empty table (a new database, a table just loaded in bulk before autovacuum analysed it),
PostgreSQL hashed the whole ``bpum_usulan`` for every single transition: 8-12 ms per step-log
insert at 21,000 proposals, growing with the table, which put the engine's single transition
between 30 and 45 per second in ``bench/engine_transisi.py``. A LATERAL subquery with OFFSET 0
cannot be flattened into a join, so each row is a primary-key lookup (ADR 0019).
"""

from importlib import import_module

from django.db import migrations

# the summary table's key and share of the limit, as 0007 defined them
_0007 = import_module("bpum.migrations.0007_skala_ringkasan")
K_LANGKAH, PERSEN10 = _0007.K_LANGKAH, _0007.PERSEN10
FUNGSI_LANGKAH = f"""
CREATE OR REPLACE FUNCTION bpum_ringkas_langkah_tambah() RETURNS trigger AS $$
BEGIN
    INSERT INTO bpum_ringkaslangkahusulan ({K_LANGKAH}, n)
    SELECT u.periode_id, u.wilayah_id, j.langkah_id,
        CASE WHEN j.terlambat IS NULL THEN -1 WHEN j.terlambat THEN 1 ELSE 0 END, {PERSEN10},
        count(*)
    FROM baru j
    CROSS JOIN LATERAL (
        SELECT periode_id, wilayah_id FROM bpum_usulan
        WHERE id = CASE WHEN j.content_type_id = (
            SELECT id FROM django_content_type WHERE app_label = 'bpum' AND model = 'usulan'
        ) THEN j.object_id::bigint END
        OFFSET 0
    ) u
    WHERE j.langkah_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ({K_LANGKAH}) DO UPDATE SET n = bpum_ringkaslangkahusulan.n + EXCLUDED.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def pasang(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNGSI_LANGKAH)


def lepas(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_0007.FUNGSI_LANGKAH)


class Migration(migrations.Migration):
    dependencies = [
        ("bpum", "0009_skala_ringkas_rekap"),
    ]

    operations = [migrations.RunPython(pasang, lepas)]
