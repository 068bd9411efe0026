"""Every main page of every role, timed at two data sizes on PostgreSQL (issue 11).

For each size in ``--usulan`` (default 100,000 and 1,000,000) the script builds a fresh database
with ``bench/data_bpum.py`` (proposals in every state, their step log, clocks, warnings, breaches,
batches, notifications and duplicates, through the engine), then requests each page with the
Django test client as the officer who uses it: server time (median of ``--ulang`` runs after one
warm-up), number of queries, the growth ratio between the sizes, and the plan (``EXPLAIN
ANALYZE``) of the page's slowest query at the largest size. Targets: every page within 300 ms at
1,000,000 proposals; a paginated page grows at most 1.5x from the first size to the second.

    .venv/bin/python bench/halaman.py --usulan 100000,1000000           # the issue's run
    .venv/bin/python bench/halaman.py --usulan 2000,20000                # a quick run
    .venv/bin/python bench/halaman.py --usulan 2000,20000 --json         # {"halaman": [...]}
    .venv/bin/python bench/halaman.py --pakai postgres://.../db          # measure a built db

Without ``DATABASE_URL`` a throwaway cluster is started (``bench/_pg.py``) and removed at the end;
each size gets its own database in it (``<db>_bpum_<n>``), built by a child process. With
``--pakai URL[,URL]`` existing databases built by ``bench/data_bpum.py`` are measured as they are
(after ``migrate``, so new index migrations apply).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BATAS_MS = 300
BATAS_TUMBUH = 1.5


# --------------------------------------------------------------------------- the pages
def daftar_halaman() -> list[dict]:
    """(name, username, url, paginated) of every page measured, resolved against the data."""
    from django.db.models import Count
    from django.urls import reverse

    from bpum.models import Rekap, Usulan

    def terbesar(tingkat):
        r = (
            Rekap.objects.filter(tingkat=tingkat)
            .annotate(n=Count("usulan" if tingkat == "kecamatan" else "usulan_kabupaten"))
            .order_by("-n", "pk")
            .first()
        )
        return reverse("bpum:rekap_detail", args=[r.pk]) if r else None

    def terbesar_dikirim():  # a sent district batch: the agency's row-by-row verification view
        r = (
            Rekap.objects.filter(tingkat="kecamatan", status=Rekap.Status.DIKIRIM)
            .annotate(n=Count("usulan"))
            .order_by("-n", "pk")
            .first()
        )
        return reverse("bpum:rekap_detail", args=[r.pk]) if r else None

    kec = (
        Usulan.objects.order_by()
        .values_list("kecamatan_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    kec = kec[0] if kec else "14.04.04"
    contoh = Usulan.objects.filter(status=Usulan.Status.DITERIMA).order_by("pk").first()
    D, K, DS, P = "dinas.inhil", "kecamatan.tembilahan", "desa.tembilahan-kota", "provinsi.riau"
    u = reverse("bpum:usulan_daftar")
    from django.contrib.auth import get_user_model

    # the province's desk (bpum10): the generator's officer, or the demo's
    PP = (
        get_user_model()
        .objects.filter(username__in=["bench.provinsi", "petugas.riau"])
        .order_by("username")
        .values_list("username", flat=True)
        .first()
    )
    hal = [
        ("beranda portal (dinas)", D, "/", False),
        ("BPUM beranda (dinas)", D, reverse("bpum:beranda"), False),
        ("BPUM dasbor (dinas)", D, reverse("bpum:dasbor"), False),
        ("BPUM dasbor per desa (dinas)", D, reverse("bpum:dasbor") + f"?kecamatan={kec}", False),
        ("BPUM dasbor (kecamatan)", K, reverse("bpum:dasbor"), False),
        ("BPUM dasbor (provinsi)", P, reverse("bpum:dasbor"), False),
        ("kepatuhan per SOP (dinas)", D, reverse("sop:kepatuhan") + "?per=sop", False),
        ("kepatuhan per langkah (dinas)", D, reverse("sop:kepatuhan") + "?per=langkah", False),
        ("kepatuhan per kantor (dinas)", D, reverse("sop:kepatuhan") + "?per=unit", False),
        ("kepatuhan per petugas (dinas)", D, reverse("sop:kepatuhan") + "?per=petugas", False),
        ("kepatuhan per SOP (provinsi)", P, reverse("sop:kepatuhan") + "?per=sop", False),
        ("usulan dinas hal. 1", D, u, True),
        ("usulan dinas hal. terakhir", D, u + "?hal=last", True),
        ("usulan dinas urut nama hal. 1", D, u + "?urut=nama", True),
        ("usulan dinas urut nama hal. terakhir", D, u + "?urut=nama&hal=last", True),
        ("usulan dinas antrean diverifikasi", D, u + "?status=diverifikasi", True),
        ("usulan dinas per kecamatan hal. terakhir", D, u + f"?kecamatan={kec}&hal=last", True),
        ("usulan dinas cari nama", D, u + "?q=siti+aminah", True),
        ("usulan dinas data ganda", D, u + "?ganda=1", True),
        ("usulan kecamatan hal. 1", K, u, True),
        ("usulan kecamatan hal. terakhir", K, u + "?hal=last", True),
        ("usulan desa hal. 1", DS, u, True),
        ("usulan desa hal. terakhir", DS, u + "?hal=last", True),
        ("usulan desa antrean diajukan", DS, u + "?status=diajukan", True),
        ("rekap daftar (dinas)", D, reverse("bpum:rekap_daftar"), True),
        (
            "rekap antrean dikirim (dinas)",
            D,
            reverse("bpum:rekap_daftar") + "?status=dikirim",
            True,
        ),
        ("rekap kecamatan terbesar hal. 1", D, terbesar("kecamatan"), True),
        ("rekap kabupaten terbesar hal. 1", D, terbesar("kabupaten"), True),
        ("rekap susun (kecamatan)", K, reverse("bpum:rekap_susun"), True),
        ("rekap kecamatan dikirim, verifikasi per baris (dinas)", D, terbesar_dikirim(), True),
        ("pengaturan periode (dinas)", D, reverse("bpum:periode_atur"), False),
        ("data ganda (dinas)", D, reverse("bpum:duplikat_daftar"), True),
        ("Tugas Saya (dinas)", D, reverse("sop:tugas"), True),
        ("Tugas Saya (kecamatan)", K, reverse("sop:tugas"), True),
        ("Tugas Saya (desa)", DS, reverse("sop:tugas"), True),
        ("Lewat Tenggat (dinas)", D, reverse("sop:lewat_tenggat"), True),
        ("Lewat Tenggat (kecamatan)", K, reverse("sop:lewat_tenggat"), True),
        ("Lewat Tenggat (desa)", DS, reverse("sop:lewat_tenggat"), True),
        ("notifikasi (dinas)", D, reverse("sop:notifikasi"), True),
        ("notifikasi (kecamatan)", K, reverse("sop:notifikasi"), True),
    ]
    if PP:
        hal += [
            ("BPUM dasbor (petugas provinsi)", PP, reverse("bpum:dasbor"), False),
            (
                "rekap antrean provinsi (petugas provinsi)",
                PP,
                reverse("bpum:rekap_daftar") + "?status=dikirim&tingkat=kabupaten",
                True,
            ),
            ("rekap kabupaten terbesar (petugas provinsi)", PP, terbesar("kabupaten"), True),
            ("Tugas Saya (petugas provinsi)", PP, reverse("sop:tugas"), True),
        ]
    if contoh is not None:
        hal.append(
            ("usulan detail (dinas)", D, reverse("bpum:usulan_detail", args=[contoh.pk]), False)
        )
    return [{"nama": n, "user": us, "url": url, "halaman": p} for n, us, url, p in hal if url]


def _tentukan_halaman_terakhir(halaman: list[dict], klien) -> None:
    """Replace ``hal=last`` by the number of the last page (read from the page's context)."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    try:
        for h in halaman:
            if "hal=last" not in h["url"]:
                continue
            resp = klien(h["user"]).get(h["url"].replace("hal=last", "hal=1"))
            n = resp.context["page"].paginator.num_pages
            h["url"] = h["url"].replace("hal=last", f"hal={n}")
    finally:
        teardown_test_environment()


def ukur(ulang: int = 3, *, explain: bool = True) -> list[dict]:
    """Time every page in the configured database. Returns one dict per page."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()
    hasil = []
    klien_per: dict[str, Client] = {}

    def klien(username):
        if username not in klien_per:
            klien_per[username] = Client()
            klien_per[username].force_login(User.objects.get(username=username))
        return klien_per[username]

    halaman = daftar_halaman()
    _tentukan_halaman_terakhir(halaman, klien)
    for h in halaman:
        c = klien(h["user"])
        resp = c.get(h["url"])  # warm-up: caches, connection, templates
        assert resp.status_code == 200, (h["nama"], resp.status_code)
        waktu = []
        for _ in range(ulang):
            t0 = time.perf_counter()
            resp = c.get(h["url"])
            waktu.append((time.perf_counter() - t0) * 1000)
            assert resp.status_code == 200, (h["nama"], resp.status_code)
        with CaptureQueriesContext(connection) as ctx:
            c.get(h["url"])
        queries = [
            q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
        ]
        lambat = max(queries, key=lambda q: float(q["time"]), default=None)
        baris = {
            **h,
            "ms": round(statistics.median(waktu), 1),
            "queries": len(queries),
            "sql_terlambat": lambat["sql"] if lambat else "",
            "sql_ms": round(float(lambat["time"]) * 1000, 1) if lambat else 0.0,
        }
        if explain and lambat and connection.vendor == "postgresql":
            sql = lambat["sql"]
            if sql.startswith("DECLARE "):  # a server-side cursor (.iterator()): its query
                sql = sql.split(" FOR ", 1)[1]
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                baris["explain"] = "\n".join(r[0] for r in cur.fetchall())
        hasil.append(baris)
    return hasil


# --------------------------------------------------------------------------- one size (child)
def anak(n: int, url: str, out: str, *, bangun: bool, ulang: int, kali: int = 0) -> int:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("AXES_ENABLED", "0")
    import django

    django.setup()
    from data_umum import analisa
    from django.core.management import call_command

    from bpum.models import Usulan

    catatan = {}
    call_command("migrate", verbosity=0)
    if bangun:
        from data_bpum import bangun as bangun_data
        from django.test import override_settings

        # demo officers and round, without the demo's living proposals: the generator's only
        with override_settings(BPUM_DEMO_USULAN=False):
            call_command("setup_portal", "--demo", stdout=io.StringIO())
        if Usulan.objects.exists():
            print(f"{url}: bpum_usulan is not empty", file=sys.stderr)
            return 2
        catatan["data"] = bangun_data(n, lapor=lambda s: print(s, file=sys.stderr, flush=True))
        t = time.perf_counter()
        analisa()
        catatan["detik_analyze"] = round(time.perf_counter() - t, 1)
        print(
            f"# {n:,} usulan built in {catatan['data']['detik']} s, analyzed in "
            f"{catatan['detik_analyze']} s",
            file=sys.stderr,
        )
    if kali > 1:
        from data_bpum import gandakan

        catatan["data"] = gandakan(kali, lapor=lambda s: print(s, file=sys.stderr, flush=True))
        t = time.perf_counter()
        analisa()
        catatan["detik_analyze"] = round(time.perf_counter() - t, 1)
        print(
            f"# copied to {catatan['data']['usulan']:,} usulan in {catatan['data']['detik']} s, "
            f"analyzed in {catatan['detik_analyze']} s",
            file=sys.stderr,
        )
    catatan["usulan"] = Usulan.objects.count()
    # the machine is shared: the load average around the timed requests goes with the numbers
    catatan["beban_sebelum"] = [round(x, 2) for x in os.getloadavg()]
    catatan["halaman"] = ukur(ulang)
    catatan["beban_sesudah"] = [round(x, 2) for x in os.getloadavg()]
    print(
        f"# {catatan['usulan']:,} usulan: load average {catatan['beban_sebelum']} before the "
        f"pages, {catatan['beban_sesudah']} after",
        file=sys.stderr,
    )
    Path(out).write_text(json.dumps(catatan, default=str))
    return 0


# --------------------------------------------------------------------------- report
def laporan(per_ukuran: dict[int, dict], *, as_json: bool) -> None:
    ukuran = sorted(per_ukuran)
    nama = [h["nama"] for h in per_ukuran[ukuran[0]]["halaman"]]
    baris = []
    for i, nm in enumerate(nama):
        b = {"nama": nm, "ms": {}, "queries": {}}
        for n in ukuran:
            h = per_ukuran[n]["halaman"][i]
            assert h["nama"] == nm
            b["ms"][str(n)] = h["ms"]
            b["queries"][str(n)] = h["queries"]
        baris.append(b)
    if as_json:
        print(json.dumps({"halaman": baris}, indent=1))
        return
    kecil, besar = str(ukuran[0]), str(ukuran[-1])
    print(f"\n{'page':<44} " + " ".join(f"{int(n):>11,}" for n in ukuran) + "   growth  queries")
    gagal = []
    for b, h in zip(baris, per_ukuran[ukuran[-1]]["halaman"], strict=True):
        tumbuh = b["ms"][besar] / b["ms"][kecil] if b["ms"][kecil] else 0
        q = "/".join(str(b["queries"][str(n)]) for n in ukuran)
        tanda = ""
        if b["ms"][besar] > BATAS_MS:
            tanda += f"  > {BATAS_MS} ms"
        if h["halaman"] and tumbuh > BATAS_TUMBUH:
            tanda += f"  grows > {BATAS_TUMBUH}x"
        if tanda:
            gagal.append(b["nama"])
        print(
            f"{b['nama']:<44} "
            + " ".join(f"{b['ms'][str(n)]:>8.1f} ms" for n in ukuran)
            + f"  {tumbuh:6.2f}x  {q:>7}{tanda}"
        )
    print(f"\n{len(gagal)} page(s) miss a target at {int(besar):,}: {', '.join(gagal) or '-'}")
    print(f"\nSlowest query of each page at {int(besar):,} usulan, with its plan:")
    for h in sorted(per_ukuran[ukuran[-1]]["halaman"], key=lambda h: -h["ms"]):
        print(f"\n## {h['nama']}: page {h['ms']} ms, slowest query {h['sql_ms']} ms")
        print("   " + h["sql_terlambat"][:600])
        if h.get("explain"):
            print("\n".join("   | " + r for r in h["explain"].splitlines()))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--usulan", default="100000,1000000", help="sizes, comma-separated")
    p.add_argument("--ulang", type=int, default=3, help="timed requests per page (median; 3)")
    p.add_argument("--pakai", help="measure these databases (comma-separated URLs) as they are")
    p.add_argument("--json", action="store_true", help='print only {"halaman": [...]}')
    p.add_argument("--simpan-json", help="also write the full results (plans too) to this file")
    p.add_argument(
        "--bangun-ulang",
        action="store_true",
        help="build every size through the engine (default: build the smallest, then copy it "
        "when a larger size is a multiple of the previous one: data_bpum.gandakan)",
    )
    p.add_argument(
        "--simpan-db",
        action="store_true",
        help="keep every size's database (with DATABASE_URL pointing at a cluster that outlives "
        "the script): measure them again later with --pakai, load-test with bench/beban.py",
    )
    p.add_argument("--_anak", nargs=3, metavar=("N", "URL", "OUT"), help=argparse.SUPPRESS)
    p.add_argument("--_bangun", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--_kali", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args._anak:
        n, url, out = args._anak
        return anak(int(n), url, out, bangun=args._bangun, ulang=args.ulang, kali=args._kali)

    import tempfile

    from _pg import database_url

    tmp = Path(tempfile.mkdtemp(prefix="halaman."))
    per_ukuran: dict[int, dict] = {}
    mulai = time.perf_counter()

    def jalankan_anak(n: int, url: str, *, bangun: bool = False, kali: int = 0) -> dict:
        out = tmp / f"{n}.json"
        cmd = [sys.executable, __file__, "--_anak", str(n), url, str(out)]
        cmd += ["--ulang", str(args.ulang), "--_kali", str(kali)]
        subprocess.run([*cmd, *(["--_bangun"] if bangun else [])], check=True)
        return json.loads(out.read_text())

    if args.pakai:
        for url in args.pakai.split(","):
            d = jalankan_anak(0, url)
            per_ukuran[d["usulan"]] = d
    else:
        ukuran = [int(x.replace("_", "")) for x in args.usulan.split(",")]
        with database_url(quiet=args.json) as url:
            import psycopg

            dasar = url.rsplit("/", 1)[0]

            def hapus(nama):
                with psycopg.connect(url, autocommit=True) as c:
                    c.execute(f"DROP DATABASE IF EXISTS {nama} WITH (FORCE)")

            basis = url.rsplit("/", 1)[1].split("?")[0]
            nama, sebelumnya, disimpan = None, None, []
            try:
                for n in ukuran:
                    if (
                        not args.bangun_ulang
                        and sebelumnya
                        and n > sebelumnya
                        and n % sebelumnya == 0
                    ):
                        if args.simpan_db:  # keep the smaller size too: copy it, then grow
                            lama, nama = nama, f"{basis}_bpum_{n}"
                            hapus(nama)
                            with psycopg.connect(url, autocommit=True) as c:
                                c.execute(f"CREATE DATABASE {nama} TEMPLATE {lama}")
                        per_ukuran[n] = jalankan_anak(n, f"{dasar}/{nama}", kali=n // sebelumnya)
                    else:
                        if nama and not args.simpan_db:
                            hapus(nama)
                        nama = f"{basis}_bpum_{n}"
                        hapus(nama)
                        with psycopg.connect(url, autocommit=True) as c:
                            c.execute(f"CREATE DATABASE {nama}")
                        per_ukuran[n] = jalankan_anak(n, f"{dasar}/{nama}", bangun=True)
                    if nama not in disimpan:
                        disimpan.append(nama)
                    sebelumnya = n
            finally:
                if args.simpan_db:
                    urls = ",".join(f"{dasar}/{d}" for d in disimpan)
                    print(f"# kept (measure again with --pakai): {urls}", file=sys.stderr)
                else:
                    for d in disimpan:
                        hapus(d)
    if args.simpan_json:
        Path(args.simpan_json).write_text(json.dumps(per_ukuran, indent=1, default=str))
    laporan(per_ukuran, as_json=args.json)
    if not args.json:
        for n, d in sorted(per_ukuran.items()):
            data = d.get("data", {})
            if "beban_sebelum" in d:
                print(f"# {n:,} usulan: load {d['beban_sebelum']} -> {d['beban_sesudah']}")
            if "baris" in data:
                print(f"# {n:,} usulan built in {data['detik']} s: {data['baris']}")
            elif data:
                print(f"# {n:,} usulan: copies made in {data['detik']} s")
        print(f"# total {time.perf_counter() - mulai:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
