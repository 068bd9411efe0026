"""A throwaway PostgreSQL cluster for benchmarks (the same recipe as ``.ci/run``).

Usage from a benchmark::

    from _pg import database_url

    with database_url() as url:  # $DATABASE_URL if set, else a fresh cluster on a free port
        os.environ["DATABASE_URL"] = url
        django.setup()
        ...

The cluster lives in a temporary directory, listens on 127.0.0.1 only, runs with fsync,
synchronous_commit and full_page_writes off (its data is thrown away: durability is not what is
measured), and is stopped and deleted on exit, also on Ctrl-C or SIGTERM. ``initdb`` refuses to
run as root, so as root the server runs as the ``postgres`` OS user (created if missing).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

DB_NAME = DB_USER = DB_PASSWORD = "portal"
OS_USER = "postgres"

INITDB_ARGS = ["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]
# Throwaway data: durability off. Everything else stays at PostgreSQL's defaults.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


def pg_bin() -> Path:
    """$PGBIN, else the newest /usr/lib/postgresql/<15+>/bin, else the directory of pg_ctl."""
    if os.environ.get("PGBIN"):
        return Path(os.environ["PGBIN"])
    found = sorted(
        glob.glob("/usr/lib/postgresql/[0-9]*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    found = [p for p in found if int(Path(p).parent.name) >= 15]
    if found:
        return Path(found[-1])
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).parent
    raise SystemExit(
        "PostgreSQL (15 or newer) server binaries not found: install postgresql-15, set PGBIN, "
        "or point DATABASE_URL at an existing PostgreSQL database."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """initdb + pg_ctl start in a temp dir; ``stop()`` stops it (immediate) and deletes it."""

    def __init__(self, settings: dict[str, str] | None = None, *, quiet: bool = False):
        self.bin = pg_bin()
        self.settings = {**SERVER_SETTINGS, **(settings or {})}
        self.quiet = quiet
        self.dir: Path | None = None
        self.port: int | None = None
        self.running = False
        self._as_root = os.geteuid() == 0

    # -- helpers ---------------------------------------------------------------------------
    def _cmd(self, *args: str) -> list[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        return ["runuser", "-u", OS_USER, "--", *cmd] if self._as_root else cmd

    def _run(self, *args: str) -> None:
        subprocess.run(self._cmd(*args), check=True, stdout=subprocess.DEVNULL)

    def _ensure_os_user(self) -> None:
        try:
            pwd.getpwnam(OS_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", OS_USER], check=True)

    @property
    def data(self) -> Path:
        assert self.dir is not None
        return self.dir / "data"

    @property
    def url(self) -> str:
        return f"postgres://{DB_USER}:{DB_PASSWORD}@127.0.0.1:{self.port}/{DB_NAME}"

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> str:
        t0 = time.perf_counter()
        self.dir = Path(tempfile.mkdtemp(prefix="portal-bench-pg."))
        if self._as_root:
            self._ensure_os_user()
            shutil.chown(self.dir, OS_USER)
        self._run("initdb", "-D", str(self.data), *INITDB_ARGS)
        self.port = free_port()
        opts = [f"-p {self.port}", f"-k {self.dir}"]
        opts += [f"-c {k}={v}" for k, v in self.settings.items()]
        log = str(self.dir / "log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "start", "-o", " ".join(opts))
        self.running = True
        psql = [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        psql += ["-X", "-q", "-v", "ON_ERROR_STOP=1"]
        psql += ["-c", f"CREATE ROLE {DB_USER} LOGIN SUPERUSER PASSWORD '{DB_PASSWORD}'"]
        psql += ["-c", f"CREATE DATABASE {DB_NAME} OWNER {DB_USER}"]
        subprocess.run(psql, check=True)
        if not self.quiet:
            print(
                f"# throwaway PostgreSQL cluster: {self.bin.parent.name}, port {self.port}, "
                f"{self.dir} (fsync off; started in {time.perf_counter() - t0:.1f} s)",
                file=sys.stderr,
            )
        return self.url

    def stop(self) -> None:
        if self.dir is None:
            return
        if self.running:
            subprocess.run(
                self._cmd("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            self.running = False
        shutil.rmtree(self.dir, ignore_errors=True)
        if not self.quiet:
            print(
                f"# throwaway PostgreSQL cluster stopped and removed ({self.dir})", file=sys.stderr
            )
        self.dir = None


def _sigterm_as_exit(signum, frame):  # pragma: no cover - signal path
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def throwaway_cluster(settings: dict[str, str] | None = None, *, quiet=False) -> Iterator[str]:
    """Start a cluster, yield its URL, always stop and delete it afterwards."""
    cluster = Cluster(settings, quiet=quiet)
    previous = signal.signal(signal.SIGTERM, _sigterm_as_exit)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def database_url(settings: dict[str, str] | None = None, *, quiet=False) -> Iterator[str]:
    """$DATABASE_URL when set (used as is, never dropped), else a throwaway cluster's URL."""
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    with throwaway_cluster(settings, quiet=quiet) as url:
        yield url


if __name__ == "__main__":
    # Manual use: start a cluster, print its URL, keep it until Enter / Ctrl-C.
    with throwaway_cluster() as u:
        print(f"DATABASE_URL={u}")
        with contextlib.suppress(KeyboardInterrupt, EOFError):
            input("press Enter to stop the cluster ... ")
