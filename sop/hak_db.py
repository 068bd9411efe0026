"""Database roles on PostgreSQL: the application runs as a role that does not own the schema.

The owner role (the one ``manage.py migrate`` runs as) creates and owns every table. The
application role (gunicorn, the task worker, the SLA sweep) gets only what it needs:

* SELECT, INSERT, UPDATE, DELETE on every table, and USAGE + SELECT on the sequences;
* SELECT and INSERT only on the audit tables (every concrete ``ImmutableModel``: the step log,
  warnings, breaches, field history, the agency's duplicate decisions). Without ownership the
  role cannot TRUNCATE them, ALTER TABLE ... DISABLE TRIGGER or DROP TRIGGER either, so the
  row triggers (sop 0004, bpum 0003) cannot be switched off from the application's account.

``terapkan_hak`` runs as the owner (``manage.py portal_hak_db ROLE``, or automatically after
``migrate`` when ``DATABASE_APP_ROLE`` is set): revoke everything, then grant the above; it is
idempotent and also sets default privileges for tables the owner creates later outside
migrations (``createcachetable``). See docs/deployment.md, "Database roles".
"""

from __future__ import annotations

import re

from django.apps import apps
from django.db import connections

_NAMA = re.compile(r"[a-z_][a-z0-9_$]{0,62}")


class PeranTidakSah(ValueError):
    pass


def tabel_audit() -> list[str]:
    """Tables of every concrete immutable (audit) model."""
    from .models.jejak import ImmutableModel

    return sorted(
        m._meta.db_table
        for m in apps.get_models()
        if issubclass(m, ImmutableModel) and not m._meta.abstract and m._meta.managed
    )


def pernyataan_hak(
    peran: str, *, skema: str, semua: list[str], audit: list[str], quote
) -> list[str]:
    """The SQL statements giving role ``peran`` the application's rights (pure)."""
    if not _NAMA.fullmatch(peran):
        raise PeranTidakSah(f"Nama peran tidak sah: {peran!r}")
    r, s = quote(peran), quote(skema)
    audit_set = set(audit)
    biasa = [t for t in semua if t not in audit_set]
    sql = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
    ]
    sql += [f"GRANT SELECT, INSERT, UPDATE, DELETE ON {s}.{quote(t)} TO {r}" for t in biasa]
    sql += [f"GRANT SELECT, INSERT ON {s}.{quote(t)} TO {r}" for t in audit if t in semua]
    sql += [
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]
    return sql


def terapkan_hak(peran: str, *, using: str = "default", cetak_saja: bool = False) -> list[str]:
    """Apply (or with ``cetak_saja`` only return) the grants for ``peran`` on database
    ``using``. Refuses a role that is the connection's own user: that one owns the tables."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        raise PeranTidakSah("Peran basis data hanya untuk PostgreSQL.")
    with conn.cursor() as c:
        c.execute("SELECT current_user, current_schema()")
        saya, skema = c.fetchone()
        if peran == saya:
            raise PeranTidakSah(
                f"Peran aplikasi {peran!r} adalah pemilik skema (pengguna koneksi ini): buat "
                "peran lain untuk aplikasi dan jalankan perintah ini sebagai pemilik."
            )
        c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [peran])
        if c.fetchone() is None:
            raise PeranTidakSah(
                f"Peran {peran!r} belum ada: CREATE ROLE {peran} LOGIN PASSWORD '...';"
            )
    semua = conn.introspection.table_names()
    sql = pernyataan_hak(
        peran, skema=skema, semua=semua, audit=tabel_audit(), quote=conn.ops.quote_name
    )
    if not cetak_saja:
        with conn.cursor() as c:
            for q in sql:
                c.execute(q)
    return sql


def setelah_migrasi(sender, using="default", **kwargs) -> None:
    """post_migrate: re-grant after every migrate when ``PORTAL_DB_PERAN_APLIKASI`` is set, so
    tables added by a migration are usable by the application at once (audit tables read-only
    for it)."""
    from django.conf import settings

    peran = getattr(settings, "PORTAL_DB_PERAN_APLIKASI", "")
    if peran and connections[using].vendor == "postgresql":
        terapkan_hak(peran, using=using)
