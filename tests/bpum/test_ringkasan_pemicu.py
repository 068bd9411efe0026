"""The step-log trigger of ``bpum_ringkaslangkahusulan`` (migration ``bpum.0010``, ADR 0019)
looks each row's proposal up by primary key, whatever the planner would rather do: a plain JOIN
let stale statistics turn every transition into a hash of the whole ``bpum_usulan`` table."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_pemicu_langkah_mencari_usulan_per_kunci(pengguna, periode, buat):
    """The installed function's SELECT, run over a stand-in for the statement's rows with nested
    loops discouraged (the planner's choice when it thinks the table is tiny or the batch is
    large), still reads ``bpum_usulan`` through its primary key and never scans it."""
    if connection.vendor != "postgresql":
        pytest.skip("the summary triggers are PostgreSQL-only")
    from sop.models import Jejak

    buat(1)
    assert Jejak.objects.exists()
    with connection.cursor() as c:
        c.execute("SELECT prosrc FROM pg_proc WHERE proname = 'bpum_ringkas_langkah_tambah'")
        (badan,) = c.fetchone()
        pilih = badan[badan.index("SELECT") : badan.index("ON CONFLICT")]
        c.execute("CREATE TEMP TABLE baru ON COMMIT DROP AS SELECT * FROM sop_jejak")
        c.execute("SET LOCAL enable_nestloop = off")
        c.execute("EXPLAIN " + pilih)
        rencana = "\n".join(r[0] for r in c.fetchall())
    assert "bpum_usulan_pkey" in rencana, rencana
    assert "Seq Scan on bpum_usulan" not in rencana, rencana
