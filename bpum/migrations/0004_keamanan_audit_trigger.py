"""PostgreSQL: the agency's duplicate decisions refuse UPDATE and DELETE at the database, like
the engine's audit tables (sop 0004, ADR 0007). The model is immutable in Django already; this
also stops raw SQL and other clients. SQLite keeps the ORM-level guard only."""

from django.db import migrations

TABEL = "bpum_duplikatkeputusan"


def pasang(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TABEL}_tak_berubah BEFORE UPDATE OR DELETE ON {TABEL} "
        "FOR EACH ROW EXECUTE FUNCTION sop_audit_tak_berubah()"
    )


def lepas(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABEL}_tak_berubah ON {TABEL}")


class Migration(migrations.Migration):
    dependencies = [
        ("bpum", "0003_keamanan_nik_desa_unik"),
        ("sop", "0004_audit_trigger_postgresql"),
    ]

    operations = [migrations.RunPython(pasang, lepas)]
