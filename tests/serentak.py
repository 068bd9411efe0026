"""Run callables at the same moment, each on its own thread and database connection (the race
tests on PostgreSQL; SQLite serialises writing transactions, so they skip there)."""

from __future__ import annotations

import threading

from django.db import connections


def serentak(*fungsi):
    """Start every callable behind one barrier; return their results (or the exceptions they
    raised), in order."""
    hasil = [None] * len(fungsi)
    gerbang = threading.Barrier(len(fungsi))

    def jalan(i, f):
        try:
            gerbang.wait()
            hasil[i] = f()
        except Exception as e:  # noqa: BLE001 - reported to the test
            hasil[i] = e
        finally:
            connections.close_all()

    utas = [threading.Thread(target=jalan, args=(i, f)) for i, f in enumerate(fungsi)]
    for t in utas:
        t.start()
    for t in utas:
        t.join(60)
    return hasil
