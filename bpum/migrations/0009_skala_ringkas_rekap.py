"""Per-batch, per-village member counts kept by the database (ADR 0019; bpum.RingkasRekap).

PostgreSQL: the statement triggers of 0006 on bpum_usulan (INSERT, UPDATE, DELETE) are given a
second upsert: the net change per (batch, village), a batch being either column (rekap_kecamatan,
rekap_kabupaten). Same trigger calls, one more statement each, none when no membership changed.
Other databases keep the table empty (the member list counts its batch there). Existing rows are
summed in once.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

awal = importlib.import_module("bpum.migrations.0007_skala_ringkasan")

K_REKAP = "rekap_id, wilayah_id"


def _anggota(sumber: str, d: int) -> str:
    return " UNION ALL ".join(
        f"SELECT {kolom} AS rekap_id, wilayah_id, {d} AS d FROM {sumber} "  # noqa: S608
        f"WHERE {kolom} IS NOT NULL"
        for kolom in ("rekap_kecamatan_id", "rekap_kabupaten_id")
    )


def _rekap(bagian: str) -> str:
    # names are this module's constants
    return (
        f"INSERT INTO bpum_ringkasrekap ({K_REKAP}, n) SELECT {K_REKAP}, sum(d) FROM ({bagian}) x "  # noqa: S608
        f"GROUP BY {K_REKAP} HAVING sum(d) <> 0 ORDER BY {K_REKAP} "
        f"ON CONFLICT ({K_REKAP}) DO UPDATE SET n = bpum_ringkasrekap.n + EXCLUDED.n;"
    )


REKAP = {
    "tambah": _rekap(_anggota("baru", 1)),
    "ubah": _rekap(f"{_anggota('baru', 1)} UNION ALL {_anggota('lama', -1)}"),
    "hapus": _rekap(_anggota("lama", -1)),
}
ISI_AWAL = (
    f"INSERT INTO bpum_ringkasrekap ({K_REKAP}, n) SELECT {K_REKAP}, sum(d) "  # noqa: S608
    f"FROM ({_anggota('bpum_usulan', 1)}) x GROUP BY {K_REKAP}"
)


def _fungsi(nama: str, isi: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION bpum_ringkas_usulan_{nama}() RETURNS trigger AS $$"
        f" BEGIN {isi} RETURN NULL; END; $$ LANGUAGE plpgsql"
    )


def pasang(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nama, isi in awal.FUNGSI_USULAN.items():
        schema_editor.execute(_fungsi(nama, isi + REKAP[nama]))
    schema_editor.execute(ISI_AWAL)


def lepas(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nama, isi in awal.FUNGSI_USULAN.items():
        schema_editor.execute(_fungsi(nama, isi))


class Migration(migrations.Migration):
    dependencies = [
        ("bpum", "0008_skala_indeks_daftar"),
        ("sop", "0014_skala_ringkas_jam"),
    ]

    operations = [
        migrations.CreateModel(
            name="RingkasRekap",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("n", models.BigIntegerField(default=0)),
                (
                    "rekap",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="bpum.rekap",
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
                    models.UniqueConstraint(fields=("rekap", "wilayah"), name="ringkas_rekap_unik")
                ],
            },
        ),
        migrations.RunPython(pasang, lepas),
    ]
