"""Compliance summary rows kept current by the database (ADR 0019).

PostgreSQL: a statement-level AFTER INSERT trigger on sop_jejak adds each statement's finished,
tracked steps to sop_ringkaskepatuhan, grouped (one upsert per group, in key order), in the
inserting transaction. Other databases (SQLite for development) compute compliance from the step
log itself (sop.laporan), so the table stays empty there. Existing rows are summed in once.
"""

from django.db import migrations, models

KOLOM = "sop_id, langkah_id, unit_id, user_id, terlambat, persen10"
# round(1000 * used / allowed) in integer arithmetic: the same on every database and in Python
PERSEN10 = (
    "CASE WHEN menit_batas > 0 THEN (2000 * coalesce(menit_kerja, 0)::bigint + menit_batas)"
    " / (2 * menit_batas) ELSE -1 END"
)
PILIH = f"""
SELECT coalesce(sop_id, 0), coalesce(langkah_id, 0), coalesce(unit_id, 0), coalesce(user_id, 0),
    terlambat, {PERSEN10}, count(*)
FROM {{sumber}} WHERE terlambat IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
"""
FUNGSI = f"""
CREATE OR REPLACE FUNCTION sop_ringkas_kepatuhan_tambah() RETURNS trigger AS $$
BEGIN
    INSERT INTO sop_ringkaskepatuhan ({KOLOM}, n)
    {PILIH.format(sumber="baru")}
    ON CONFLICT ({KOLOM}) DO UPDATE SET n = sop_ringkaskepatuhan.n + EXCLUDED.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
PEMICU = (
    "CREATE TRIGGER sop_jejak_ringkas_kepatuhan AFTER INSERT ON sop_jejak "
    "REFERENCING NEW TABLE AS baru FOR EACH STATEMENT "
    "EXECUTE FUNCTION sop_ringkas_kepatuhan_tambah()"
)


def pasang(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNGSI)
    schema_editor.execute(PEMICU)
    schema_editor.execute(
        f"INSERT INTO sop_ringkaskepatuhan ({KOLOM}, n) {PILIH.format(sumber='sop_jejak')}"
    )


def lepas(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS sop_jejak_ringkas_kepatuhan ON sop_jejak")
    schema_editor.execute("DROP FUNCTION IF EXISTS sop_ringkas_kepatuhan_tambah()")


class Migration(migrations.Migration):
    dependencies = [
        ("sop", "0011_keamanan_token_formulir"),
    ]

    operations = [
        migrations.CreateModel(
            name="RingkasKepatuhan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sop_id", models.BigIntegerField()),
                ("langkah_id", models.BigIntegerField()),
                ("unit_id", models.BigIntegerField()),
                ("user_id", models.BigIntegerField()),
                ("terlambat", models.BooleanField()),
                (
                    "persen10",
                    models.IntegerField(),
                ),
                ("n", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "sop_id",
                            "langkah_id",
                            "unit_id",
                            "user_id",
                            "terlambat",
                            "persen10",
                        ),
                        name="ringkas_kepatuhan_unik",
                    )
                ],
            },
        ),
        migrations.RunPython(pasang, lepas),
    ]
