"""Named locks held by the database until the current transaction ends.

Checks that read the table and then write (is this NIK already registered in the round? was
this file already imported?) are only correct when two requests cannot run them at the same
time. On PostgreSQL the check takes a transaction-scoped advisory lock on a name first
(``pg_advisory_xact_lock``): a second request for the same name waits until the first commits
or rolls back, then reads what the first wrote (READ COMMITTED takes a fresh snapshot per
statement). The lock lives in the database server, so it holds across gunicorn workers, task
workers and hosts, and it is released by the commit: nothing to clean up after a crash.

A shared lock (``bersama=True``) lets many holders in at once and keeps out the exclusive one:
village intakes of one round run side by side, a district import of that round waits for them
(and they for it).

SQLite needs nothing: the portal opens every SQLite transaction with ``BEGIN IMMEDIATE``
(``config.settings``), so writing transactions already run one at a time.
"""

from __future__ import annotations

import hashlib

from django.db import connections, router
from django.db.transaction import TransactionManagementError


def _int32(teks: str) -> int:
    """A stable signed 32-bit number for ``teks`` (BLAKE2b, not Python's salted ``hash``)."""
    return int.from_bytes(
        hashlib.blake2b(teks.encode(), digest_size=4).digest(), "big", signed=True
    )


def kunci_kelompok(ruang: str, kunci: str) -> tuple[int, int]:
    """The two 32-bit keys of an advisory lock: the namespace ``ruang`` and the name inside it.
    Two names of one namespace may share a key (32 bits): they then merely wait for each other."""
    return _int32(ruang), _int32(kunci)


def kunci_transaksi(ruang: str, kunci: str, *, bersama: bool = False, using: str | None = None):
    """Wait for and hold the lock ``(ruang, kunci)`` until the current transaction ends.

    Must be called inside ``transaction.atomic``. ``bersama``: a shared lock (many holders,
    excludes the exclusive holder). A no-op on databases other than PostgreSQL (see module)."""
    alias = using or router.db_for_write(None)
    conn = connections[alias]
    if conn.vendor != "postgresql":
        return
    if not conn.in_atomic_block:
        raise TransactionManagementError("kunci_transaksi() needs transaction.atomic().")
    fungsi = "pg_advisory_xact_lock_shared" if bersama else "pg_advisory_xact_lock"
    with conn.cursor() as c:
        c.execute(f"SELECT {fungsi}(%s, %s)", kunci_kelompok(ruang, kunci))  # noqa: S608


__all__ = ["kunci_kelompok", "kunci_transaksi"]
