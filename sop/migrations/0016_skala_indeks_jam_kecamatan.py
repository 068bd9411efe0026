"""A district's or village's queue (Tugas Saya, Lewat Tenggat, the licensing queue) from its own
open clocks: ``LEFT(wilayah_id, 8)`` is the district of every region at or below that level, and
``sop.selectors.q_wilayah_jam`` adds that implied condition. Without it PostgreSQL read
``lb_terbuka_urut`` in due order and discarded ~200,000 other regions' clocks for the first page
of one district at 1,000,000 proposals (issue 11, bench/halaman.py). Partial (open clocks only):
built in about a second on a province's 300,000 open clocks."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('sop', '0015_izin2_indeks_jejak_petugas'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='langkahberjalan',
            index=models.Index(django.db.models.functions.text.Left('wilayah', 8), models.F('langkah'), models.F('dilanggar'), condition=models.Q(('selesai__isnull', True)), name='lb_terbuka_kecamatan'),
        ),
    ]
