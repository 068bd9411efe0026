"""Overlapping SLA sweeps on PostgreSQL (issue 12 #6): one advisory lock, conflict-safe inserts.
Threads on separate connections; skipped on SQLite, which runs one writer at a time."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from sop import services
from sop.models import Pelanggaran, Peringatan, Sop, Unit
from sop.sla import KUNCI_SAPUAN, sapu

WIB = ZoneInfo("Asia/Jakarta")
SENIN = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB)

pytestmark = pytest.mark.django_db(transaction=True)


def _perlu_pg():
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks and parallel connections need PostgreSQL")


def _permohonan(pengguna, n):
    sop = Sop.objects.berlaku().get(kode="JATIM-5.4.6")
    unit = Unit.objects.get(kode="dinas-koperasi-ukm-prov-jatim")
    for i in range(n):
        services.permohonan_mulai(
            user=pengguna("jatim.kabid"), sop=sop, unit=unit, judul=f"Uji {i}", now=SENIN
        )


def test_sapuan_dilewati_saat_kunci_dipegang(pengguna):
    _perlu_pg()
    _permohonan(pengguna, 2)
    lain = connections.create_connection("default")
    try:
        with lain.cursor() as c:
            c.execute("SELECT pg_advisory_lock(%s)", [KUNCI_SAPUAN])
        hasil = sapu(now=SENIN + dt.timedelta(hours=1))
        assert hasil["dilewati"] == 1 and hasil["dilanggar"] == 0
        assert not Pelanggaran.objects.exists()
        with lain.cursor() as c:
            c.execute("SELECT pg_advisory_unlock(%s)", [KUNCI_SAPUAN])
        assert sapu(now=SENIN + dt.timedelta(hours=1))["dilanggar"] == 2
    finally:
        lain.close()


def test_sapuan_bersamaan_tanpa_galat(pengguna):
    """Four sweeps at once (the issue's 4 of 4 crashed with an IntegrityError): no error, every
    warning and breach recorded exactly once, the runs that found the lock held skip."""
    _perlu_pg()
    _permohonan(pengguna, 6)
    hasil, galat = [], []
    mulai = threading.Barrier(4)

    def jalan(now):
        try:
            mulai.wait()
            hasil.append(sapu(now=now))
        except Exception as e:  # noqa: BLE001
            galat.append(e)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=jalan, args=(SENIN + dt.timedelta(minutes=12),)) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert galat == []
    assert sum(h["diperingatkan"] for h in hasil) == 6
    assert Peringatan.objects.count() == 6
    assert sum(h["dilewati"] for h in hasil) + sum(1 for h in hasil if h["diperingatkan"]) == 4
