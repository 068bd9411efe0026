"""Per-officer figures of a period (the perizinan dashboard; any module's "who did what, on
time, in how many minutes" for one office): the tracked, finished steps of one run model and
office in a time range, with the columns those figures read, so they come from the index alone
(index-only scan) instead of the wide step-log rows (issue 9, bench/perizinan_dasbor.py).

Database only, like ``0013_skala_indeks_jam``: the engine's model (``sop/models/jejak.py``) is
not this branch's to change. Moving it into ``Jejak.Meta`` later needs a state-only ``AddIndex``
with the same name and fields.
"""

from django.db import migrations, models

INDEKS = models.Index(
    fields=[
        "content_type",
        "unit",
        "selesai",
        "user",
        "terlambat",
        "menit_kerja",
        "menit_batas",
    ],
    name="jejak_petugas_periode",
    condition=models.Q(terlambat__isnull=False, user__isnull=False),
)


class Migration(migrations.Migration):
    dependencies = [
        ("sop", "0014_skala_ringkas_jam"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AddIndex(model_name="jejak", index=INDEKS)],
            state_operations=[],
        ),
    ]
