"""The step-log trigger of ``bpum_ringkaslangkahusulan`` (migration ``bpum.0010``, ADR 0019)
looks each row's proposal up by primary key, whatever the planner would rather do: a plain JOIN
let stale statistics turn every transition into a hash of the whole ``bpum_usulan`` table."""

import json

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _simpul(rencana):
    """Every node of an ``EXPLAIN (FORMAT JSON)`` plan, each with its parent's node type."""
    tumpukan = [(rencana, None)]
    while tumpukan:
        simpul, induk = tumpukan.pop()
        yield simpul, induk
        tumpukan.extend((anak, simpul["Node Type"]) for anak in simpul.get("Plans", []))


def test_pemicu_langkah_mencari_usulan_per_kunci(pengguna, periode, buat):
    """The installed function's SELECT, run over a stand-in for the statement's rows with nested
    loops discouraged (the planner's choice when it thinks the table is tiny or the batch is
    large), still reads ``bpum_usulan`` one row at a time through its primary key and never scans
    or hashes it.

    On a nearly empty table the planner may serve ``id = ...`` from any index that holds ``id``
    (CI once chose ``usulan_rekap_kab_urut``), so those are dropped inside the test's
    transaction, as ``tests/sop/test_lingkup.py`` does for the clocks: the plan then shows the
    lookup the function asks for, not what a tiny table makes cheapest."""
    if connection.vendor != "postgresql":
        pytest.skip("the summary triggers are PostgreSQL-only")
    from sop.models import Jejak

    buat(1)
    assert Jejak.objects.exists()
    with connection.cursor() as c:
        c.execute("SELECT prosrc FROM pg_proc WHERE proname = 'bpum_ringkas_langkah_tambah'")
        (badan,) = c.fetchone()
        pilih = badan[badan.index("SELECT") : badan.index("ON CONFLICT")]
        c.execute(
            "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_attribute a"
            " ON a.attrelid = i.indrelid AND a.attname = 'id' AND a.attnum = ANY(i.indkey)"
            " WHERE i.indrelid = 'bpum_usulan'::regclass AND NOT i.indisprimary"
        )
        for (nama,) in c.fetchall():
            c.execute(f"DROP INDEX {nama}")
        c.execute("CREATE TEMP TABLE baru ON COMMIT DROP AS SELECT * FROM sop_jejak")
        c.execute("SET LOCAL enable_nestloop = off")
        c.execute("EXPLAIN (FORMAT JSON) " + pilih)
        (hasil,) = c.fetchone()
    if isinstance(hasil, str):
        hasil = json.loads(hasil)
    rencana = hasil[0]["Plan"]
    usulan = [(s, i) for s, i in _simpul(rencana) if s.get("Relation Name") == "bpum_usulan"]
    assert usulan, rencana
    for simpul, induk in usulan:
        assert simpul["Node Type"] in {"Index Scan", "Index Only Scan"}, rencana
        assert simpul["Index Name"] == "bpum_usulan_pkey", rencana
        assert "(id = " in simpul.get("Index Cond", ""), rencana
        assert induk == "Nested Loop", rencana
