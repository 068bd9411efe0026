"""Shared setup of the perizinan benchmarks: a database with the portal's base data.

The database: $DATABASE_URL when given (used as is), ``--pg`` a throwaway PostgreSQL cluster
(bench/_pg.py), else a throwaway SQLite file. Then ``migrate`` and ``setup_portal --demo``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def argumen(deskripsi: str, bawaan: int) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=deskripsi)
    p.add_argument("--rows", type=int, default=bawaan, help=f"rows ({bawaan:,})")
    p.add_argument("--repeat", type=int, default=3, help="timed runs of each (median; 3)")
    p.add_argument("--pg", action="store_true", help="a throwaway PostgreSQL cluster")
    return p


@contextlib.contextmanager
def basis_data(args) -> Iterator[str]:
    tmp = Path(tempfile.mkdtemp(prefix="izin-bench."))
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("AXES_ENABLED", "0")
    # as in production: background tasks (the engine's next-step notification) are queued in
    # the database for the worker, not run inside the request (the dev default runs them inline)
    os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    try:
        with contextlib.ExitStack() as stack:
            if os.environ.get("DATABASE_URL"):
                label = "DATABASE_URL"
            elif args.pg:
                from _pg import throwaway_cluster

                os.environ["DATABASE_URL"] = stack.enter_context(throwaway_cluster(quiet=True))
                label = "PostgreSQL (throwaway cluster)"
            else:
                os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
                label = "SQLite (throwaway file)"
            import django

            django.setup()
            from django.core.management import call_command

            t0 = time.perf_counter()
            call_command("migrate", verbosity=0)
            call_command("setup_portal", "--demo", stdout=io.StringIO())
            from django.db import connection

            print(
                f"# database: {label} ({connection.vendor}); base data in "
                f"{time.perf_counter() - t0:.1f} s",
                file=sys.stderr,
            )
            yield f"{label} ({connection.vendor})"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def beban() -> str:
    """The machine's load average (1, 5 min) and cores, printed beside the timings: on a shared
    machine wall times scale with the load, ratios and CPU times much less."""
    a, b, _c = os.getloadavg()
    return f"load average {a:.1f} / {b:.1f} on {os.cpu_count()} cores"


def median_waktu(fungsi, repeat: int) -> tuple[float, object]:
    hasil, waktu = None, []
    for _ in range(repeat):
        t0 = time.perf_counter()
        hasil = fungsi()
        waktu.append(time.perf_counter() - t0)
    return statistics.median(waktu), hasil


def jumlah_kueri(fungsi) -> int:
    """Queries of one call, after a warm-up call (the per-process caches of calendars and SOP
    revisions expire after 60 s; their reload is not part of the page's cost per row)."""
    from django.db import connection

    fungsi()
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as c:
        fungsi()
    return len(c)
