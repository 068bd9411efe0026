"""BPUM summary rows kept current by PostgreSQL triggers (ADR 0019; bpum/ringkasan.py).

bpum_ringkasusulan: statement-level triggers on bpum_usulan (INSERT, UPDATE, DELETE) add the net
change of each (round, village, state, duplicate flag) of the statement's rows: one upsert per
group, in key order, none when a statement changes none of those columns.
bpum_ringkaslangkahusulan: a statement-level trigger on sop_jejak adds the statement's step-log
rows of proposals (those with a step) per (round, village, step, late, percent of the limit).
Other databases keep the tables empty (bpum.selectors counts the rows there). Existing rows are
summed in once.
"""

import django.db.models.deletion
from django.db import migrations, models

K_USULAN = "periode_id, wilayah_id, status, duplikat"
K_LANGKAH = "periode_id, wilayah_id, langkah_id, terlambat, persen10"
UPSERT_USULAN = f"ON CONFLICT ({K_USULAN}) DO UPDATE SET n = bpum_ringkasusulan.n + EXCLUDED.n"


def _usulan(bagian: str) -> str:
    return f"""
    INSERT INTO bpum_ringkasusulan ({K_USULAN}, n)
    SELECT {K_USULAN}, sum(d) FROM ({bagian}) x
    GROUP BY {K_USULAN} HAVING sum(d) <> 0 ORDER BY {K_USULAN}
    {UPSERT_USULAN};"""


FUNGSI_USULAN = {
    "tambah": _usulan(f"SELECT {K_USULAN}, 1 AS d FROM baru"),
    "ubah": _usulan(
        f"SELECT {K_USULAN}, 1 AS d FROM baru UNION ALL SELECT {K_USULAN}, -1 FROM lama"
    ),
    "hapus": _usulan(f"SELECT {K_USULAN}, -1 AS d FROM lama"),
}
TABEL_TRANSISI = {
    "tambah": ("INSERT", "NEW TABLE AS baru"),
    "ubah": ("UPDATE", "OLD TABLE AS lama NEW TABLE AS baru"),
    "hapus": ("DELETE", "OLD TABLE AS lama"),
}

PERSEN10 = (
    "CASE WHEN j.menit_batas > 0 THEN (2000 * coalesce(j.menit_kerja, 0)::bigint + j.menit_batas)"
    " / (2 * j.menit_batas) ELSE -1 END"
)
PILIH_LANGKAH = f"""
SELECT u.periode_id, u.wilayah_id, j.langkah_id,
    CASE WHEN j.terlambat IS NULL THEN -1 WHEN j.terlambat THEN 1 ELSE 0 END, {PERSEN10}, count(*)
FROM {{sumber}} j
JOIN bpum_usulan u ON u.id = CASE WHEN j.content_type_id = (
    SELECT id FROM django_content_type WHERE app_label = 'bpum' AND model = 'usulan'
) THEN j.object_id::bigint END
WHERE j.langkah_id IS NOT NULL
GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
"""
FUNGSI_LANGKAH = f"""
CREATE OR REPLACE FUNCTION bpum_ringkas_langkah_tambah() RETURNS trigger AS $$
BEGIN
    INSERT INTO bpum_ringkaslangkahusulan ({K_LANGKAH}, n)
    {PILIH_LANGKAH.format(sumber="baru")}
    ON CONFLICT ({K_LANGKAH}) DO UPDATE SET n = bpum_ringkaslangkahusulan.n + EXCLUDED.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def pasang(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nama, isi in FUNGSI_USULAN.items():
        op, tabel = TABEL_TRANSISI[nama]
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION bpum_ringkas_usulan_{nama}() RETURNS trigger AS $$"
            f" BEGIN {isi} RETURN NULL; END; $$ LANGUAGE plpgsql"
        )
        schema_editor.execute(
            f"CREATE TRIGGER bpum_usulan_ringkas_{nama} AFTER {op} ON bpum_usulan "
            f"REFERENCING {tabel} FOR EACH STATEMENT EXECUTE FUNCTION bpum_ringkas_usulan_{nama}()"
        )
    schema_editor.execute(FUNGSI_LANGKAH)
    schema_editor.execute(
        "CREATE TRIGGER sop_jejak_ringkas_langkah_usulan AFTER INSERT ON sop_jejak "
        "REFERENCING NEW TABLE AS baru FOR EACH STATEMENT "
        "EXECUTE FUNCTION bpum_ringkas_langkah_tambah()"
    )
    schema_editor.execute(
        f"INSERT INTO bpum_ringkasusulan ({K_USULAN}, n) SELECT {K_USULAN}, count(*) "
        f"FROM bpum_usulan GROUP BY {K_USULAN}"
    )
    schema_editor.execute(
        f"INSERT INTO bpum_ringkaslangkahusulan ({K_LANGKAH}, n) "
        f"{PILIH_LANGKAH.format(sumber='sop_jejak')}"
    )


def lepas(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nama in FUNGSI_USULAN:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS bpum_usulan_ringkas_{nama} ON bpum_usulan")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS bpum_ringkas_usulan_{nama}()")
    schema_editor.execute("DROP TRIGGER IF EXISTS sop_jejak_ringkas_langkah_usulan ON sop_jejak")
    schema_editor.execute("DROP FUNCTION IF EXISTS bpum_ringkas_langkah_tambah()")


class Migration(migrations.Migration):
    dependencies = [
        ("bpum", "0006_bpum10_tenggat_provinsi_tarik"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sop", "0012_skala_ringkas_kepatuhan"),
    ]

    operations = [
        migrations.CreateModel(
            name="RingkasLangkahUsulan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("langkah_id", models.BigIntegerField()),
                (
                    "terlambat",
                    models.SmallIntegerField(),
                ),
                (
                    "persen10",
                    models.IntegerField(),
                ),
                ("n", models.BigIntegerField(default=0)),
                (
                    "periode",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="bpum.periode",
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
                        fields=("periode", "wilayah", "langkah_id", "terlambat", "persen10"),
                        name="ringkas_langkah_usulan_unik",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RingkasUsulan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(max_length=20)),
                ("duplikat", models.BooleanField()),
                ("n", models.BigIntegerField(default=0)),
                (
                    "periode",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="bpum.periode",
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
                        fields=("periode", "wilayah", "status", "duplikat"),
                        name="ringkas_usulan_unik",
                    )
                ],
            },
        ),
        migrations.RunPython(pasang, lepas),
    ]
