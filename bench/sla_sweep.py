"""Benchmark: the set-based SLA sweep (``sop.sla.sapu``) against a plain UPDATE on PostgreSQL.

The issue's requirement: with 1,000,000 open steps the sweep runs set-based, and its time is
printed as a ratio to a plain ``UPDATE sop_langkahberjalan ... WHERE tenggat < now`` over the same
table (target <= 2x).

What it does:

1. uses $DATABASE_URL (PostgreSQL; SQLite only with ``--allow-sqlite``, for a smoke run) or starts
   a throwaway PostgreSQL cluster (bench/_pg.py); runs ``migrate`` and ``setup_portal --demo``.
   A given database must have an empty sop_langkahberjalan (or pass ``--reset``); the benchmark
   empties it again at the end;
2. loads ``--rows`` open step clocks (sop_langkahberjalan) with one ``INSERT ... SELECT`` over
   ``generate_series``: the steps of the demo SOPs JATIM-5.4.6 and PAIS-UMI, the desa of
   Indragiri Hilir (14.04.*), sop.Permohonan as content type. Per mille of the rows (``--due``,
   ``--warn``): 100 past due (half of them already warned by an earlier sweep), 100 past 75 % of
   their limit but not due, 30 breached by an earlier sweep and still open, 10 paused, 20
   untracked (no limit), the rest not yet at 75 %. The foreign keys are checked and, by default,
   the secondary indexes built after the load (``--index-build``), all in the load's
   transaction; then VACUUM (FREEZE, ANALYZE), so no run pays for hint bits or statistics;
3. times, alternating, ``--repeat`` times each (median reported):
   (a) baseline: ``UPDATE sop_langkahberjalan SET dilanggar = now WHERE selesai IS NULL AND
       dilanggar IS NULL AND tenggat < now``;
   (b) the sweep: ``sapu(now=now, transisi=False)``: warnings, breaches, the Pelanggaran
       records and the notifications. The timed transitions (phase 3) run per record through
       the engine and are not part of the set-based sweep, so they are not timed.
   Every run is one transaction that is rolled back after timing, so each run sees identical
   data; deferred constraint checks (the Pelanggaran foreign key) are forced inside the timing
   with SET CONSTRAINTS ALL IMMEDIATE, as a commit would run them; VACUUM between runs removes
   the rolled-back row versions;
4. prints the counts, both timings, the ratio with the target, the time per stamped row, the
   sweep's statements by time and their EXPLAIN plans (``--analyze``: EXPLAIN ANALYZE).

Run: ``.venv/bin/python bench/sla_sweep.py`` (1,000,000 rows) or ``--quick`` (100,000).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from _pg import database_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TARGET = 2.0
# Monday 2026-03-02 10:00 WIB: the sweep's `now`, fixed so that runs are comparable.
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
SOP_KODE = ("JATIM-5.4.6", "PAIS-UMI")
KABUPATEN = "14.04"  # Indragiri Hilir
LB = "sop_langkahberjalan"
BASELINE_SQL = (
    f"UPDATE {LB} SET dilanggar = %s WHERE selesai IS NULL AND dilanggar IS NULL AND tenggat < %s"
)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size = p.add_mutually_exclusive_group()
    size.add_argument("--rows", type=int, default=1_000_000, help="open steps (1,000,000)")
    size.add_argument("--quick", action="store_true", help="100,000 rows, for a fast run")
    p.add_argument("--repeat", type=int, default=3, help="timed runs of each (median; 3)")
    p.add_argument("--due", type=int, default=100, help="per mille past due (100 = 10 %%)")
    p.add_argument(
        "--warn", type=int, default=100, help="per mille past 75 %% but not due (100 = 10 %%)"
    )
    p.add_argument(
        "--index-build",
        choices=("after", "during"),
        default="after",
        help="PostgreSQL: build the secondary indexes after the load (fast; compact, freshly "
        "built btrees) or maintain them during it (slower; looser pages, as in a table that "
        "grew row by row). The ratio depends on it: see bench/README.md",
    )
    p.add_argument("--warmup", type=int, default=1, help="untimed runs of each first (1)")
    p.add_argument("--no-explain", action="store_true", help="skip the EXPLAIN plans")
    p.add_argument(
        "--analyze",
        action="store_true",
        help="EXPLAIN ANALYZE the statements (runs them once more, rolled back)",
    )
    p.add_argument(
        "--allow-sqlite",
        action="store_true",
        help="accept a SQLite DATABASE_URL (a smoke run of the script; its timings mean little)",
    )
    p.add_argument(
        "--reset",
        action="store_true",
        help="with DATABASE_URL: empty sop_langkahberjalan and sop_pelanggaran first",
    )
    a = p.parse_args(argv)
    if a.quick:
        a.rows = 100_000
    if a.rows < 1000 or min(a.repeat - 1, a.warmup, a.due, a.warn) < 0 or a.due + a.warn > 800:
        p.error(
            "need --rows >= 1000, --repeat >= 1, --warmup >= 0, --due, --warn >= 0, their sum <= 800"
        )
    return a


def check_url(url: str, allow_sqlite: bool) -> None:
    scheme = url.split(":", 1)[0].lower()
    if scheme.startswith("postgres") or scheme == "pgsql":
        return
    if scheme.startswith("sqlite"):
        if allow_sqlite:
            print("# SQLite: a smoke run only; the requirement is about PostgreSQL", flush=True)
            return
        sys.exit(
            "bench/sla_sweep.py measures the sweep on PostgreSQL; DATABASE_URL points at SQLite.\n"
            "Unset DATABASE_URL to let the benchmark start a throwaway PostgreSQL cluster, point it "
            "at a scratch PostgreSQL database, or pass --allow-sqlite for a smoke run."
        )
    sys.exit(f"unsupported DATABASE_URL scheme {scheme!r}: PostgreSQL expected")


# -- data ------------------------------------------------------------------------------------


def prepare(
    rows: int, due: int, warn: int, *, own_db: bool, reset: bool, index_build: str = "after"
) -> dict:
    """Load ``rows`` open steps with one INSERT ... SELECT; return what the report needs."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from sop.models import Langkah, LangkahBerjalan, Pelanggaran, Permohonan, Sop, Wilayah

    pg = connection.vendor == "postgresql"
    if LangkahBerjalan.objects.exists():
        if not (own_db or reset):
            sys.exit(
                f"{LB} in DATABASE_URL's database is not empty: use a scratch database, "
                "or pass --reset to empty sop_langkahberjalan and sop_pelanggaran first."
            )
        empty_tables()

    sops = []
    for kode in SOP_KODE:
        sop = Sop.objects.filter(kode=kode).order_by("-status", "-revisi").first()
        if sop is None:
            sys.exit(f"SOP {kode} not found: did setup_portal load the fixtures?")
        sops.append(sop)
    langkah = list(
        Langkah.objects.filter(sop__in=sops).order_by("sop_id", "nomor").values_list("sop_id", "pk")
    )
    desa = list(
        Wilayah.objects.filter(kode__startswith=KABUPATEN + ".", tingkat=4)
        .order_by("kode")
        .values_list("kode", flat=True)
    )
    assert langkah and desa and all(re.fullmatch(r"[0-9.]+", k) for k in desa)
    ct = ContentType.objects.get_for_model(Permohonan).pk

    e = int(NOW.timestamp())
    # category boundaries, per mille of the rows (c = a permutation of g mod 1000)
    b_due, b_warn = due, due + warn
    b_old, b_paused, b_untracked = b_warn + 30, b_warn + 40, b_warn + 60

    def ts(x: str) -> str:
        return f"to_timestamp({x})" if pg else f"datetime({x}, 'unixepoch')"

    series = (
        f"gs(g) AS (SELECT generate_series(1::bigint, {rows}))"
        if pg
        else f"gs(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM gs WHERE g < {rows})"
    )
    values_langkah = ", ".join(f"({i}, {s}, {lk})" for i, (s, lk) in enumerate(langkah))
    values_desa = ", ".join(f"({i}, '{k}')" for i, k in enumerate(desa))
    # d: the step's limit in seconds (1 h .. 240 h); m: its start, chosen per category:
    #   due       tenggat in [now - 7 days, now - 1 s]       (even g: warned by an earlier sweep)
    #   warn      75 % point passed, tenggat >= now + 2 s
    #   old       breached (and warned) by an earlier sweep, still open
    #   paused    dijeda_sejak set; untracked: no limit; fresh: 75 % point still ahead
    sql = f"""
WITH RECURSIVE {series},
bl(i, sop_id, langkah_id) AS (VALUES {values_langkah}),
bw(i, kode) AS (VALUES {values_desa}),
s AS (SELECT g, (g * 7919) % 1000 AS c, 3600 * (1 + (g * 131) % 240) AS d FROM gs),
t AS (
  SELECT g, c, d, CASE
    WHEN c < {b_due} THEN {e} - 1 - (g * 104729) % 604800 - d
    WHEN c < {b_warn} THEN {e} - (d * 3 / 4 + 1 + (g * 389) % (d / 4 - 2))
    WHEN c < {b_old} THEN {e} - 2 * d - (g * 104729) % 604800
    WHEN c < {b_paused} THEN {e} - d / 2
    ELSE {e} - (g * 389) % (d * 3 / 4)
  END AS m
  FROM s
)
INSERT INTO {LB} (
  object_id, mulai, tenggat, peringatan_pada, dijeda_sejak, menit_jeda, selesai,
  dilanggar, content_type_id, langkah_id, sop_id, unit_id, wilayah_id
)
SELECT
  CAST(t.g AS varchar(40)),
  {ts("t.m")},
  CASE WHEN c >= {b_paused} AND c < {b_untracked} THEN NULL ELSE {ts("t.m + d")} END,
  CASE WHEN c >= {b_paused} AND c < {b_untracked} THEN NULL ELSE {ts("t.m + d * 3 / 4")} END,
  CASE WHEN c >= {b_old} AND c < {b_paused} THEN {ts(f"{e} - 3600")} END,
  0,
  NULL,
  CASE WHEN c >= {b_warn} AND c < {b_old} THEN {ts("t.m + d + 300")} END,
  {ct}, bl.langkah_id, bl.sop_id, NULL, bw.kode
FROM t
JOIN bl ON bl.i = (t.g * 7) % {len(langkah)}
JOIN bw ON bw.i = (t.g * 37) % {len(desa)}
"""
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        rebuild = []
        if pg:
            # Checking the foreign keys after the load is far faster than row by row (they are
            # DEFERRABLE: 1M queued checks per FK), and so is building the secondary indexes
            # (--index-build after). DDL is transactional: a failure leaves the table as it was.
            c.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [LB],
            )
            for name, definition in c.fetchall():
                c.execute(f'ALTER TABLE {LB} DROP CONSTRAINT "{name}"')
                rebuild.append(f'ALTER TABLE {LB} ADD CONSTRAINT "{name}" {definition}')
            c.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND schemaname = current_schema() AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [LB, LB],
            )
            for name, definition in c.fetchall() if index_build == "after" else ():
                c.execute(f'DROP INDEX "{name}"')
                rebuild.insert(0, definition)
            c.execute("SET LOCAL maintenance_work_mem = '256MB'")
        c.execute(sql)
        for statement in rebuild:
            c.execute(statement)
    t_insert = time.perf_counter() - t0
    t0 = time.perf_counter()
    if pg:
        with connection.cursor() as c:
            c.execute(
                f"VACUUM (FREEZE, ANALYZE) {LB}, {Pelanggaran._meta.db_table}, sop_peringatan"
            )
            c.execute("CHECKPOINT")
    else:
        with connection.cursor() as c:
            c.execute(f"ANALYZE {LB}")
    t_vacuum = time.perf_counter() - t0

    with connection.cursor() as c:
        c.execute(
            f"SELECT count(*) FILTER (WHERE tenggat <= %s), "
            f"count(*) FILTER (WHERE tenggat > %s AND peringatan_pada <= %s) "
            f"FROM {LB} WHERE selesai IS NULL AND dilanggar IS NULL AND dijeda_sejak IS NULL",
            [NOW, NOW, NOW],
        )
        n_due, n_warn = c.fetchone()
        c.execute(f"SELECT count(*) FROM {LB}")  # sqlite3 reports no rowcount for WITH ... INSERT
        inserted = c.fetchone()[0]
        size = None
        if pg:
            c.execute(
                "SELECT pg_size_pretty(pg_table_size(%s)), pg_size_pretty(pg_indexes_size(%s))",
                [LB, LB],
            )
            size = c.fetchone()
    return {
        "rows": inserted,
        "t_insert": t_insert,
        "t_vacuum": t_vacuum,
        "due": n_due,
        "warn": n_warn,
        "size": size,
        "langkah": len(langkah),
        "desa": len(desa),
    }


def empty_tables() -> None:
    from django.db import connection

    from sop.models import Pelanggaran

    pl = Pelanggaran._meta.db_table
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(f"TRUNCATE {pl}, sop_peringatan, {LB}")
        else:
            c.execute(f"DELETE FROM {pl}")
            c.execute("DELETE FROM sop_peringatan")
            c.execute(f"DELETE FROM {LB}")


# -- timing ----------------------------------------------------------------------------------


class Recorder:
    """An execute_wrapper: each statement's SQL, params and time."""

    def __init__(self):
        self.statements: list[tuple[str, object, float]] = []

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, params, time.perf_counter() - t0))


@contextmanager
def rolled_back():
    """One transaction, rolled back at the end; deferred constraints are checked before that."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def timed(fn) -> tuple[float, object, Recorder]:
    from django.db import connection

    rec = Recorder()
    with rolled_back(), connection.execute_wrapper(rec):
        t0 = time.perf_counter()
        result = fn()
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what COMMIT would check
        elapsed = time.perf_counter() - t0
    return elapsed, result, rec


def baseline() -> int:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(BASELINE_SQL, [NOW, NOW])
        return c.rowcount


def sweep() -> dict:
    from sop.sla import sapu

    return sapu(now=NOW, transisi=False)


def clean_up() -> float:
    """VACUUM away the row versions a rolled-back run left behind (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute(f"VACUUM {LB}, sop_pelanggaran, sop_peringatan, sop_notifikasi")
    return time.perf_counter() - t0


def label(sql: str) -> str:
    """A short name for a statement of the sweep."""
    s = " ".join(sql.split())
    s = re.sub(r'"', "", s)
    if s.startswith("SET CONSTRAINTS"):
        return "deferred FK checks (SET CONSTRAINTS ALL IMMEDIATE = commit)"
    if s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
        return "savepoints"
    m = re.match(r"(UPDATE \S+ SET .{0,60}?WHERE .{0,90})", s)
    if m:
        return m.group(1) + " ..."
    return s[:110] + (" ..." if len(s) > 110 else "")


# -- report ----------------------------------------------------------------------------------


def fmt_runs(runs: list[float]) -> str:
    return " ".join(f"{t:.3f}" for t in runs)


def explain(statements, analyze: bool = False) -> list[tuple[str, str]]:
    """EXPLAIN the statements touching the step table or the breach records, in one rolled-back
    transaction. With ``analyze`` they run (in their order, so each sees the one before)."""
    from django.db import connection

    out = []
    seen = set()
    opts = "ANALYZE, BUFFERS, COSTS OFF" if analyze else "COSTS OFF"
    with rolled_back(), connection.cursor() as c:
        for sql, params, _t in statements:
            key = " ".join(sql.split())
            if key in seen or not re.search(
                r"sop_langkahberjalan|sop_pelanggaran|sop_peringatan", sql
            ):
                continue
            seen.add(key)
            c.execute(f"EXPLAIN ({opts}) " + sql, params)
            plan = "\n".join("      " + r[0] for r in c.fetchall())
            out.append((label(sql), plan))
    return out


def header() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        v = connection.cursor().connection.info.server_version
        return f"PostgreSQL {v // 10000}.{v % 10000}"
    return f"{connection.vendor} {getattr(connection.Database, 'sqlite_version', '')}".strip()


def run(args: argparse.Namespace, own_db: bool) -> None:
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("setup_portal", demo=True, stdout=devnull)
    t_setup = time.perf_counter() - t0
    pg = connection.vendor == "postgresql"
    print(f"SLA sweep benchmark: sop.sla.sapu (set-based) vs a plain UPDATE, on {header()}")
    print(f"migrate + setup_portal --demo: {t_setup:.1f} s", flush=True)

    try:
        data = prepare(
            args.rows,
            args.due,
            args.warn,
            own_db=own_db,
            reset=args.reset,
            index_build=args.index_build,
        )
        print(
            f"rows (open steps):        {data['rows']:>10,}   INSERT ... SELECT "
            f"{data['t_insert']:.1f} s, {'VACUUM (FREEZE, ANALYZE)' if pg else 'ANALYZE'} "
            f"{data['t_vacuum']:.1f} s"
            + (f"; indexes built {args.index_build} the load" if pg else "")
        )
        if data["size"]:
            print(f"table / its indexes:      {data['size'][0]} / {data['size'][1]}")
        print(
            f"spread over:              {data['langkah']} steps of {', '.join(SOP_KODE)}, "
            f"{data['desa']} desa of {KABUPATEN}, content type sop.Permohonan"
        )
        print(f"sweep now:                {NOW.isoformat()}")
        pct = 100 / max(data["rows"], 1)
        print(
            f"qualifying at now:        {data['due']:>10,} due ({data['due'] * pct:.1f} %), "
            f"{data['warn']:>,} past 75 % not due ({data['warn'] * pct:.1f} %)",
            flush=True,
        )

        for _ in range(args.warmup):  # untimed: caches, plans, the first VACUUM
            for fn in (baseline, sweep):
                timed(fn)
                clean_up()
        t_base: list[float] = []
        t_sweep: list[float] = []
        recs: list[Recorder] = []
        n_base = hasil = None
        for i in range(args.repeat):
            order = ("base", "sweep") if i % 2 == 0 else ("sweep", "base")
            for what in order:
                if what == "base":
                    t, n_base, _ = timed(baseline)
                    t_base.append(t)
                else:
                    t, hasil, rec = timed(sweep)
                    t_sweep.append(t)
                    recs.append(rec)
                clean_up()
            print(
                f"  run {i + 1}: baseline {t_base[-1]:.3f} s, sweep {t_sweep[-1]:.3f} s", flush=True
            )

        mb, ms = statistics.median(t_base), statistics.median(t_sweep)
        ratio = ms / mb
        stamped = hasil["dilanggar"] + hasil["diperingatkan"]
        print()
        print(f"(a) baseline  {BASELINE_SQL % ('now', 'now')}")
        print(f"    runs {fmt_runs(t_base)} s   median {mb:.3f} s   {n_base:,} rows updated")
        print("(b) sweep     sop.sla.sapu(now=now, transisi=False)")
        print(
            f"    runs {fmt_runs(t_sweep)} s   median {ms:.3f} s   "
            f"dilanggar {hasil['dilanggar']:,}, diperingatkan {hasil['diperingatkan']:,}, "
            f"notifikasi {hasil['notifikasi']}"
        )
        print(
            "    (phase 3, the timed transitions, runs per record through the engine and is "
            "not timed: transisi=False)"
        )
        if n_base != data["due"] or hasil["dilanggar"] != data["due"]:
            print(f"    WARNING: expected {data['due']:,} breaches in both")
        verdict = "met" if ratio <= TARGET else "NOT met"
        print(f"ratio sweep / baseline: {ratio:.2f}x   (target <= {TARGET:g}x: {verdict})")
        if n_base and stamped:
            print(
                f"per stamped row: baseline {mb / n_base * 1e6:.1f} us ({n_base:,} rows), "
                f"sweep {ms / stamped * 1e6:.1f} us ({stamped:,} rows stamped, "
                f"{hasil['dilanggar']:,} Pelanggaran written, notifications included)"
            )
        how = " (deferred FK checks forced inside it), VACUUM between runs" if pg else ""
        print(
            f"each run: one transaction rolled back after timing{how}; runs alternate "
            f"baseline/sweep; {args.warmup} untimed warm-up run(s) of each first"
        )

        # the statements of the median sweep run, by time
        mid = sorted(range(len(t_sweep)), key=t_sweep.__getitem__)[len(t_sweep) // 2]
        per: dict[str, list[float]] = {}
        for sql, _p, t in recs[mid].statements:
            per.setdefault(label(sql), []).append(t)
        print(f"\nsweep statements (median run, {len(recs[mid].statements)} statements):")
        for name, ts in sorted(per.items(), key=lambda kv: -sum(kv[1])):
            print(f"  {sum(ts):7.3f} s  {len(ts):>3}x  {name}")

        if pg and not args.no_explain:
            what = "EXPLAIN (ANALYZE, BUFFERS)" if args.analyze else "EXPLAIN (without ANALYZE)"
            print(f"\n{what}:")
            print("  baseline")
            for _name, plan in explain([(BASELINE_SQL, [NOW, NOW], 0.0)], args.analyze):
                print(plan)
            for name, plan in explain(recs[mid].statements, args.analyze):
                print(f"  {name}")
                print(plan)
    finally:
        if not own_db:
            empty_tables()


def main(argv=None) -> None:
    args = parse_args(argv)
    given = os.environ.get("DATABASE_URL")
    if given:
        check_url(given, args.allow_sqlite)
    with database_url() as url:
        os.environ["DATABASE_URL"] = url
        try:
            run(args, own_db=not given)
        finally:
            from django.db import connections

            connections.close_all()


if __name__ == "__main__":
    main()
