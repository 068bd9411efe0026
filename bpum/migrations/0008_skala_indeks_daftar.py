"""Indexes of the proposal lists' orderings (with the columns their filters read) and, on
PostgreSQL, a trigram index for the name search (``nama__icontains``: UPPER(nama) LIKE '%..%').
pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it; without the
privilege the search keeps working, unindexed."""

import logging

from django.conf import settings
from django.db import DatabaseError, migrations, models, transaction

log = logging.getLogger(__name__)


def trigram(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as e:  # no privilege: leave the search unindexed
        log.warning("pg_trgm not available, name search stays unindexed: %s", e)
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS usulan_nama_trgm ON bpum_usulan "
        "USING gin (upper((nama)::text) gin_trgm_ops)"
    )


def lepas_trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS usulan_nama_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('bpum', '0007_skala_ringkasan'),
        ('sop', '0013_skala_indeks_jam'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='usulan',
            name='bpum_usulan_periode_4c8311_idx',
        ),
        migrations.RemoveIndex(
            model_name='usulan',
            name='bpum_usulan_wilayah_3d22cc_idx',
        ),
        migrations.AddIndex(
            model_name='usulan',
            index=models.Index(fields=['periode', 'dibuat', 'id', 'wilayah', 'kecamatan', 'status', 'duplikat'], name='usulan_urut_dibuat'),
        ),
        migrations.AddIndex(
            model_name='usulan',
            index=models.Index(fields=['periode', 'nama', 'id', 'wilayah', 'kecamatan', 'status', 'duplikat'], name='usulan_urut_nama'),
        ),
        migrations.AddIndex(
            model_name='usulan',
            index=models.Index(fields=['periode', 'status', 'dibuat', 'id', 'wilayah', 'kecamatan', 'duplikat'], name='usulan_status_dibuat'),
        ),
        migrations.AddIndex(
            model_name='usulan',
            index=models.Index(fields=['periode', 'wilayah', 'dibuat', 'id', 'status', 'duplikat'], name='usulan_desa_dibuat'),
        ),
        migrations.AddIndex(
            model_name='usulan',
            index=models.Index(fields=['rekap_kecamatan', 'wilayah', 'nama', 'id', 'duplikat'], name='usulan_rekap_kec_urut'),
        ),
        migrations.AddIndex(
            model_name='usulan',
            index=models.Index(fields=['rekap_kabupaten', 'wilayah', 'nama', 'id', 'duplikat'], name='usulan_rekap_kab_urut'),
        ),
        migrations.RunPython(trigram, lepas_trigram),
    ]
