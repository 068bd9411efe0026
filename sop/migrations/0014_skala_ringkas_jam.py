"""Open-clock totals kept current by the database (ADR 0019; sop.models.ringkasan.RingkasJam).

PostgreSQL: statement-level triggers on sop_langkahberjalan add the net change of each statement's
open clocks per (run model, region, step, breached): one upsert per group, in key order, none
when nothing counted changed (pausing, resuming, new due times: the net change is empty).
PostgreSQL allows no column list on a trigger with transition tables, so every UPDATE statement
fires it. Other databases count the clocks themselves (sop.selectors), the table stays empty there.
Existing clocks are summed in once.
"""

import django.db.models.deletion
from django.db import migrations, models

K_JAM = "content_type_id, wilayah_id, langkah_id, dilanggar"


def _pilih(sumber: str, d: int) -> str:
    return (
        f"SELECT content_type_id, coalesce(wilayah_id, '') AS wilayah_id, langkah_id, "  # noqa: S608 - constants
        f"dilanggar IS NOT NULL AS dilanggar, {d} AS d FROM {sumber} WHERE selesai IS NULL"
    )


def _upsert(bagian: str) -> str:
    # names are this module's constants
    return (
        f"INSERT INTO sop_ringkasjam ({K_JAM}, n) SELECT {K_JAM}, sum(d) FROM ({bagian}) x "  # noqa: S608
        f"GROUP BY {K_JAM} HAVING sum(d) <> 0 ORDER BY {K_JAM} "
        f"ON CONFLICT ({K_JAM}) DO UPDATE SET n = sop_ringkasjam.n + EXCLUDED.n;"
    )


FUNGSI = {
    "tambah": _upsert(_pilih("baru", 1)),
    "ubah": _upsert(f"{_pilih('baru', 1)} UNION ALL {_pilih('lama', -1)}"),
    "hapus": _upsert(_pilih("lama", -1)),
}
PEMICU = {
    "tambah": ("INSERT", "NEW TABLE AS baru"),
    "ubah": ("UPDATE", "OLD TABLE AS lama NEW TABLE AS baru"),
    "hapus": ("DELETE", "OLD TABLE AS lama"),
}
ISI_AWAL = (
    f"INSERT INTO sop_ringkasjam ({K_JAM}, n) SELECT {K_JAM}, count(*) "  # noqa: S608
    f"FROM ({_pilih('sop_langkahberjalan', 1)}) x GROUP BY {K_JAM}"
)


def pasang(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nama, isi in FUNGSI.items():
        op, tabel = PEMICU[nama]
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION sop_ringkas_jam_{nama}() RETURNS trigger AS $$"
            f" BEGIN {isi} RETURN NULL; END; $$ LANGUAGE plpgsql"
        )
        schema_editor.execute(
            f"CREATE TRIGGER sop_langkahberjalan_ringkas_{nama} AFTER {op} ON sop_langkahberjalan "
            f"REFERENCING {tabel} FOR EACH STATEMENT EXECUTE FUNCTION sop_ringkas_jam_{nama}()"
        )
    schema_editor.execute(ISI_AWAL)


def lepas(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nama in FUNGSI:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS sop_langkahberjalan_ringkas_{nama} ON sop_langkahberjalan"
        )
        schema_editor.execute(f"DROP FUNCTION IF EXISTS sop_ringkas_jam_{nama}()")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("sop", "0013_skala_indeks_jam"),
    ]

    operations = [
        migrations.CreateModel(
            name="RingkasJam",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("dilanggar", models.BooleanField()),
                ("n", models.BigIntegerField(default=0)),
                (
                    "content_type",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "langkah",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="sop.langkah",
                    ),
                ),
                (
                    "wilayah",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="sop.wilayah",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "wilayah", "langkah", "dilanggar"),
                        name="ringkas_jam_unik",
                    )
                ],
            },
        ),
        migrations.RunPython(pasang, lepas),
    ]
