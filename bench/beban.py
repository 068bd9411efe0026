"""Load test: gunicorn (4 sync workers) on PostgreSQL, N logged-in officers on loopback.

Each client is one officer (the agency, district and village officers of the generated data, in
turn) with a keep-alive connection, requesting the pages of their role in a fixed mix, back to
back, for ``--detik`` seconds after a ``--pemanasan`` warm-up that is not counted. Reported:
requests per second, p50 / p95 / p99 latency, errors (any status other than 200, or a failed
connection), and the same per page. Goal (issue 11) at 1,000,000 proposals on this 2-core
machine: at least 30 req/s, p95 under 1 s, no errors.

    .venv/bin/python bench/beban.py --usulan 100000                 # builds the data first
    .venv/bin/python bench/beban.py --pakai postgres://.../bpum_1000000 --klien 20 --detik 30

The data: ``--pakai URL`` measures a database built by ``bench/data_bpum.py`` / ``halaman.py``
(migrated first); otherwise ``--usulan N`` is built into a throwaway cluster (``bench/_pg.py``)
through the engine (the smallest multiple of 100,000 or N itself, then copied up: see
``data_bpum.gandakan``). The clients are threads with ``http.client`` in this process; they share
the two cores with the server, as a browser on the same machine would not: the numbers are a
lower bound.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TARGET_RPS, TARGET_P95 = 30.0, 1.0


def _persen(xs: list[float], p: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def campuran() -> dict[str, list[tuple[str, str]]]:
    """Per officer: the pages requested in turn (name, url). The dashboard and compliance pages
    are in every mix that can see them."""
    from django.db.models import Count
    from django.urls import reverse

    from bpum.models import Rekap

    rekap = (
        Rekap.objects.filter(tingkat="kecamatan")
        .annotate(n=Count("usulan"))
        .order_by("-n")
        .values_list("pk", flat=True)
        .first()
    )
    u = reverse("bpum:usulan_daftar")
    kep = reverse("sop:kepatuhan")
    dinas = [
        ("dasbor", reverse("bpum:dasbor")),
        ("kepatuhan SOP", kep + "?per=sop"),
        ("usulan hal. 1", u),
        ("kepatuhan petugas", kep + "?per=petugas"),
        ("Tugas Saya", reverse("sop:tugas")),
        ("usulan hal. 200", u + "?hal=200"),
        ("Lewat Tenggat", reverse("sop:lewat_tenggat")),
        ("beranda BPUM", reverse("bpum:beranda")),
    ]
    if rekap:
        dinas.append(("rekap detail", reverse("bpum:rekap_detail", args=[rekap])))
    kecamatan = [
        ("dasbor", reverse("bpum:dasbor")),
        ("usulan hal. 1", u),
        ("rekap susun", reverse("bpum:rekap_susun")),
        ("Tugas Saya", reverse("sop:tugas")),
        ("kepatuhan langkah", kep + "?per=langkah"),
    ]
    desa = [
        ("usulan hal. 1", u),
        ("antrean diajukan", u + "?status=diajukan"),
        ("Tugas Saya", reverse("sop:tugas")),
        ("beranda portal", "/"),
    ]
    return {
        "dinas.inhil": dinas,
        "kecamatan.tembilahan": kecamatan,
        "kecamatan.reteh": kecamatan,
        "desa.tembilahan-kota": desa,
        "desa.sungaiperak": desa,
        "desa.pulaukijang": desa,
    }


def sesi(usernames) -> dict[str, str]:
    """A session cookie per officer, made the way ``login()`` makes one (no password round)."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    # the backend a password login records (axes' backend only checks lockouts, it loads no user)
    backend = next(
        b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user")
    )
    hasil = {}
    for u in get_user_model().objects.filter(username__in=list(usernames)):
        s = SessionStore()
        s[SESSION_KEY] = str(u.pk)
        s[BACKEND_SESSION_KEY] = backend
        s[HASH_SESSION_KEY] = u.get_session_auth_hash()
        s.create()
        hasil[u.username] = f"{settings.SESSION_COOKIE_NAME}={s.session_key}"
    return hasil


class Klien(threading.Thread):
    def __init__(self, port, cookie, halaman, mulai_hitung, selesai, hasil, offset):
        super().__init__(daemon=True)
        self.port, self.cookie, self.halaman = port, cookie, halaman
        self.mulai_hitung, self.selesai, self.hasil, self.i = mulai_hitung, selesai, hasil, offset

    def run(self):
        conn = None
        while time.perf_counter() < self.selesai:
            nama, url = self.halaman[self.i % len(self.halaman)]
            self.i += 1
            t0 = time.perf_counter()
            ok = False
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                conn.request("GET", url, headers={"Cookie": self.cookie, "Host": "127.0.0.1"})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                if conn is not None:
                    conn.close()
                conn = None
            t1 = time.perf_counter()
            if t0 >= self.mulai_hitung and t1 <= self.selesai:
                self.hasil.append((nama, t1 - t0, ok))


def _port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tunggu(port: int, batas: float = 60) -> None:
    akhir = time.time() + batas
    while time.time() < akhir:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/sehat/")
            c.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer")


def uji(url: str, *, klien: int, detik: float, pemanasan: float, workers: int) -> dict:
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    mix = campuran()
    cookie = sesi(mix)
    port = _port_bebas()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "CONN_MAX_AGE": "600",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AXES_ENABLED": "0",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _tunggu(port)
        pengguna = [u for u in mix if u in cookie]
        hasil: list = []
        t = time.perf_counter()
        mulai_hitung, selesai = t + pemanasan, t + pemanasan + detik
        threads = [
            Klien(
                port,
                cookie[pengguna[i % len(pengguna)]],
                mix[pengguna[i % len(pengguna)]],
                mulai_hitung,
                selesai,
                hasil,
                i,
            )
            for i in range(klien)
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=pemanasan + detik + 120)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    waktu = [d for _n, d, _ok in hasil]
    per = defaultdict(list)
    for n, d, _ok in hasil:
        per[n].append(d)
    return {
        "klien": klien,
        "detik": detik,
        "workers": workers,
        "permintaan": len(hasil),
        "rps": round(len(hasil) / detik, 1),
        "p50": round(_persen(waktu, 0.50), 3),
        "p95": round(_persen(waktu, 0.95), 3),
        "p99": round(_persen(waktu, 0.99), 3),
        "galat": sum(1 for _n, _d, ok in hasil if not ok),
        "per_halaman": {
            n: {
                "n": len(v),
                "p50": round(statistics.median(v), 3),
                "p95": round(_persen(v, 0.95), 3),
            }
            for n, v in sorted(per.items())
        },
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pakai", help="an existing database built by bench/data_bpum.py")
    p.add_argument("--usulan", type=int, default=100_000, help="build this many (100,000)")
    p.add_argument("--klien", type=int, default=20, help="concurrent officers (20)")
    p.add_argument("--detik", type=float, default=30, help="measured seconds (30)")
    p.add_argument("--pemanasan", type=float, default=5, help="warm-up seconds (5)")
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    os.environ.setdefault("DEBUG", "0")

    import contextlib

    from _pg import database_url

    # --pakai measures that database: no throwaway cluster next to it
    tempat = contextlib.nullcontext(args.pakai) if args.pakai else database_url(quiet=args.json)
    with tempat as url:
        if not args.pakai:
            os.environ["DATABASE_URL"] = url
            import django

            django.setup()
            from data_bpum import bangun, gandakan
            from data_umum import analisa
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            call_command("setup_portal", "--demo", stdout=io.StringIO())
            dasar = args.usulan if args.usulan <= 100_000 or args.usulan % 100_000 else 100_000
            lapor = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
            bangun(dasar, lapor=lapor)
            if dasar < args.usulan:
                gandakan(args.usulan // dasar, lapor=lapor)
            analisa()
        hasil = uji(
            args.pakai or url,
            klien=args.klien,
            detik=args.detik,
            pemanasan=args.pemanasan,
            workers=args.workers,
        )
    if args.json:
        print(json.dumps(hasil, indent=1))
        return 0
    print(
        f"{hasil['klien']} clients, {hasil['workers']} gunicorn workers, {hasil['detik']:.0f} s: "
        f"{hasil['permintaan']} requests, {hasil['rps']} req/s, p50 {hasil['p50']} s, "
        f"p95 {hasil['p95']} s, p99 {hasil['p99']} s, errors {hasil['galat']}"
    )
    print(f"{'page':<22} {'n':>6} {'p50 s':>8} {'p95 s':>8}")
    for n, v in hasil["per_halaman"].items():
        print(f"{n:<22} {v['n']:>6} {v['p50']:>8} {v['p95']:>8}")
    ok = hasil["rps"] >= TARGET_RPS and hasil["p95"] < TARGET_P95 and not hasil["galat"]
    print(
        f"goal (>= {TARGET_RPS:.0f} req/s, p95 < {TARGET_P95} s, no errors): "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
