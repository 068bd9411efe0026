"""Shared setup of the BPUM benchmarks (bench/bpum_export.py, bench/bpum_import.py).

The database: $DATABASE_URL when given (used as is; the benchmarks clean up what they create),
``--pg`` a throwaway PostgreSQL cluster (bench/_pg.py), else a throwaway SQLite file in a
temporary directory. Then ``migrate`` and ``setup_portal --demo`` (regions, PAIS-UMI, offices,
demo users, the round BPUM-2021 of Indragiri Hilir).
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
    p.add_argument("--repeat", type=int, default=1, help="timed runs of each (median; 1)")
    p.add_argument("--pg", action="store_true", help="a throwaway PostgreSQL cluster")
    return p


@contextlib.contextmanager
def basis_data(args) -> Iterator[str]:
    """Configure Django on a database with the portal's base data; yields a short label."""
    tmp = Path(tempfile.mkdtemp(prefix="bpum-bench."))
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["DEBUG"] = "0"  # no query log: it would grow with every statement
    os.environ.setdefault("AXES_ENABLED", "0")
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
                f"# database: {label} ({connection.vendor}); base data loaded in "
                f"{time.perf_counter() - t0:.1f} s",
                file=sys.stderr,
            )
            yield label
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def nik(i: int) -> str:
    """The i-th valid NIK of Kecamatan Tembilahan (unique for i < 10,080 * 9,999)."""
    hari = 1 + i % 28
    bulan = 1 + (i // 28) % 12
    tahun = 60 + (i // 336) % 30
    return f"140404{hari:02d}{bulan:02d}{tahun:02d}{1 + (i // 10080) % 9999:04d}"


def median_waktu(fungsi, repeat: int) -> tuple[float, object]:
    hasil, waktu = None, []
    for _ in range(repeat):
        t0 = time.perf_counter()
        hasil = fungsi()
        waktu.append(time.perf_counter() - t0)
    return statistics.median(waktu), hasil


def rupiah_angka(n: int) -> str:
    return f"{n:,}".replace(",", ".")
