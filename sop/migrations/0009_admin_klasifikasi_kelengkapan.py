"""Classify existing inputs as documents or equipment; make unreadable limits explicitly untracked.

* ``kelengkapan_alat``: the items `sop.kelengkapan.jenis_kelengkapan` calls equipment
  ("Komputer", "ATK", "Printer", "Ruang rapat", ...); they are also dropped from
  ``kelengkapan_wajib`` (equipment is never a required attachment).
* ``waktu_tidak_dipantau``: set where the waktu text cannot be read in strict mode. Those steps
  were already untracked (the parser's silent fallback); now that is an explicit choice an admin
  can see and change, and the text is kept as written.
"""

from django.db import migrations


def maju(apps, schema_editor):
    from sop.kelengkapan import alat_bawaan
    from sop.waktu import parse_waktu

    Langkah = apps.get_model("sop", "Langkah")
    ubah = []
    for lk in Langkah.objects.only(
        "kelengkapan", "kelengkapan_wajib", "kelengkapan_alat", "waktu", "waktu_tidak_dipantau"
    ).iterator(chunk_size=2000):
        alat = alat_bawaan(list(lk.kelengkapan or []))
        wajib = [k for k in lk.kelengkapan_wajib or [] if k not in alat]
        try:
            parse_waktu(lk.waktu, ketat=True)
            tidak_dipantau = lk.waktu_tidak_dipantau
        except ValueError:
            tidak_dipantau = True
        if (alat, wajib, tidak_dipantau) != (
            lk.kelengkapan_alat,
            lk.kelengkapan_wajib,
            lk.waktu_tidak_dipantau,
        ):
            lk.kelengkapan_alat, lk.kelengkapan_wajib = alat, wajib
            lk.waktu_tidak_dipantau = tidak_dipantau
            ubah.append(lk)
    Langkah.objects.bulk_update(
        ubah, ["kelengkapan_alat", "kelengkapan_wajib", "waktu_tidak_dipantau"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("sop", "0008_admin_langkah_alat_dipantau_keyakinan")]

    operations = [migrations.RunPython(maju, migrations.RunPython.noop)]
