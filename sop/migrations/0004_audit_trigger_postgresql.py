"""PostgreSQL: the audit tables refuse UPDATE and DELETE at the database itself (ADR 0007).

The ORM and the admin already refuse; this also stops raw SQL and other clients. TRUNCATE (test
database flushes, a deliberate purge by the DBA) is not a row operation and stays possible.
Other databases (SQLite for development) keep the ORM-level guard only.
"""

from django.db import migrations

TABEL = ["sop_jejak", "sop_pelanggaran", "sop_peringatan", "sop_riwayatperubahan"]

FUNGSI = """
CREATE OR REPLACE FUNCTION sop_audit_tak_berubah() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'Catatan audit ' || TG_TABLE_NAME || ' tidak dapat diubah atau dihapus.',
        ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def pasang(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNGSI)
    for t in TABEL:
        schema_editor.execute(
            f"CREATE TRIGGER {t}_tak_berubah BEFORE UPDATE OR DELETE ON {t} "
            "FOR EACH ROW EXECUTE FUNCTION sop_audit_tak_berubah()"
        )


def lepas(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for t in TABEL:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {t}_tak_berubah ON {t}")
    schema_editor.execute("DROP FUNCTION IF EXISTS sop_audit_tak_berubah()")


class Migration(migrations.Migration):
    dependencies = [("sop", "0003_peringatan_tabel_sendiri")]

    operations = [migrations.RunPython(pasang, lepas)]
