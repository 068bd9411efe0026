"""Rekap batches run through the engine: they are bound to the PAIS-UMI revision (docs/adr/0009)."""

import django.db.models.deletion
from django.db import migrations, models


def isi_sop(apps, schema_editor):
    Rekap = apps.get_model("bpum", "Rekap")
    Usulan = apps.get_model("bpum", "Usulan")
    Sop = apps.get_model("sop", "Sop")
    for rekap in Rekap.objects.filter(sop__isnull=True):
        anggota = Usulan.objects.filter(
            models.Q(rekap_kecamatan=rekap) | models.Q(rekap_kabupaten=rekap)
        ).first()
        sop_id = anggota.sop_id if anggota else None
        if sop_id is None:
            sop = (
                Sop.objects.filter(kode="PAIS-UMI", status="berlaku").first()
                or Sop.objects.filter(kode="PAIS-UMI").order_by("-revisi").first()
            )
            sop_id = sop.pk if sop else None
        if sop_id is None:
            raise RuntimeError("Rekap ada, tetapi SOP PAIS-UMI belum dimuat.")
        Rekap.objects.filter(pk=rekap.pk).update(sop_id=sop_id)


class Migration(migrations.Migration):
    dependencies = [
        ("bpum", "0001_initial"),
        ("sop", "0005_engine_induk_jam_eksternal"),
    ]

    operations = [
        migrations.AddField(
            model_name="rekap",
            name="sop",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sop.sop",
                verbose_name="SOP revision",
            ),
        ),
        migrations.RunPython(isi_sop, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="rekap",
            name="sop",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sop.sop",
                verbose_name="SOP revision",
            ),
        ),
        migrations.AlterField(
            model_name="rekap",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sop.unit",
                verbose_name="office",
            ),
        ),
    ]
