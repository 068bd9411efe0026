"""Public tracking: the failed-lookup counter (replaces the cache-table counter) and the
generic runner's tracking code + PIN. Existing requests keep their registration number as
their tracking code."""

from django.db import migrations, models
from django.db.models import F


def salin_nomor(apps, schema_editor):
    Permohonan = apps.get_model("sop", "Permohonan")
    Permohonan.objects.filter(kode_lacak="").update(kode_lacak=F("nomor"))


class Migration(migrations.Migration):
    dependencies = [("sop", "0006_publik_nomor_register")]

    operations = [
        migrations.CreateModel(
            name="GagalLacak",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "alamat",
                    models.CharField(max_length=64, unique=True, verbose_name="client address"),
                ),
                (
                    "mulai",
                    models.BigIntegerField(db_index=True, verbose_name="window start (Unix time)"),
                ),
                (
                    "gagal",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="Failed lookups plus those still in flight.",
                        verbose_name="slots taken",
                    ),
                ),
                (
                    "berjalan",
                    models.PositiveIntegerField(default=0, verbose_name="lookups in flight"),
                ),
            ],
            options={
                "verbose_name": "failed public lookups",
                "verbose_name_plural": "failed public lookups",
            },
        ),
        migrations.AddField(
            model_name="permohonan",
            name="kode_lacak",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=24, verbose_name="tracking code"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(salin_nomor, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="permohonan",
            name="kode_lacak",
            field=models.CharField(
                blank=True, editable=False, max_length=24, unique=True, verbose_name="tracking code"
            ),
        ),
        migrations.AddField(
            model_name="permohonan",
            name="pin_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="PIN (hashed)"
            ),
        ),
    ]
