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
    large), still reads ``bpum_usulan`` one row at a time by ``id`` and never scans or hashes it.

    Which index serves the ``id`` lookup is the planner's business: on a nearly empty table it
    may pick any index that holds ``id`` (CI once chose ``usulan_rekap_kab_urut``)."""
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
        c.execute("EXPLAIN (FORMAT JSON) " + pilih)
        (hasil,) = c.fetchone()
    if isinstance(hasil, str):
        hasil = json.loads(hasil)
    rencana = hasil[0]["Plan"]
    usulan = [(s, i) for s, i in _simpul(rencana) if s.get("Relation Name") == "bpum_usulan"]
    assert usulan, rencana
    for simpul, induk in usulan:
        assert simpul["Node Type"] in {"Index Scan", "Index Only Scan"}, rencana
        assert "(id = " in simpul.get("Index Cond", ""), rencana
        assert induk == "Nested Loop", rencana
