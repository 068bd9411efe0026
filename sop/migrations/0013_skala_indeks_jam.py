"""Tugas Saya / Lewat Tenggat: open clocks in due order, with the columns their filters read
(service, region, step, breached), so a page and its total come from the index alone (issue 11,
bench/halaman.py).

Database only: the engine's model (``sop/models/jejak.py``) is not this branch's to change, so
the index is not declared in ``LangkahBerjalan.Meta``; it exists on both databases all the same.
Moving it into the Meta later needs a state-only ``AddIndex`` with the same name and fields.
"""

from django.db import migrations, models

INDEKS = models.Index(
    fields=["tenggat", "mulai", "id", "content_type", "wilayah", "langkah", "dilanggar"],
    name="lb_terbuka_urut",
    condition=models.Q(selesai__isnull=True),
)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("sop", "0012_skala_ringkas_kepatuhan"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddIndex(model_name="langkahberjalan", index=INDEKS),
            ],
            state_operations=[],
        ),
    ]
