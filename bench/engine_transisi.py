"""Benchmark: the engine's transition paths against the same writes by hand (issue 11).

    .venv/bin/python bench/engine_transisi.py --pg [--rows 10000] [--tunggal 500] [--proses 2]

(a) single: ``bpum.services.usulan_transisi`` (``sop.engine.jalankan``) one proposal per
    transaction, as the village counter's button does: transitions per second, and the
    statements of one transition (the notification of the next step included; transaction
    control not counted, as ``tests/sop/test_engine_jalan.py`` counts them), on a warm process
    and on a cold one (the officer's assignments and offices not yet cached); then the same
    with ``--proses`` worker processes at once, each with its own connection, as gunicorn's
    workers run them (the machine's two cores are shared by Python and PostgreSQL);
(b) bulk: ``sop.massal.jalankan_massal`` over ``--rows`` locked proposals ("tandai_lengkap":
    guard per record, state update, clocks closed and started, one step-log row each);
(c) baseline: the same writes as hand-written SQL on another ``--rows`` proposals: lock the
    rows and their open clocks, ``UPDATE ... FROM (VALUES ...)`` for the states and the closed
    clocks, one multi-row INSERT for the new clocks and one for the step log, with the due time
    computed once (it is the same for every row: same step, same office, same moment).
Prints (b)/(c); the target is at most 5x, and (a) at least 150 per second on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from zoneinfo import ZoneInfo

from bpum_umum import argumen, basis_data, nik

WIB = ZoneInfo("Asia/Jakarta")


def buat_usulan(n: int, mulai: int, now):
    """``n`` proposals at the village step with documents and declarations, through the engine's
    bulk start (a step-log row and a clock each)."""
    from django.contrib.auth import get_user_model

    from bpum.models import Periode, Usulan
    from sop import massal
    from sop.models import Sop, Unit, Wilayah

    user = get_user_model().objects.get(username="desa.tembilahan-kota")
    periode = Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04")
    desa = Wilayah.objects.get(kode="14.04.04.1001")
    unit = Unit.objects.get(wilayah=desa, jenis=Unit.Jenis.DESA)
    sop = Sop.objects.berlaku().get(kode="PAIS-UMI")
    nomor = Usulan.nomor_baru(n)
    objs = Usulan.objects.bulk_create(
        [
            Usulan(
                sop=sop,
                wilayah=desa,
                unit=unit,
                periode=periode,
                kecamatan_id="14.04.04",
                nomor=nomor[i],
                nik=nik(mulai + i),
                no_kk=f"1404{mulai + i:012d}",
                nama=f"Pelaku Usaha {mulai + i}",
                alamat="Jl. Sudirman",
                berkas_ktp="x/ktp.png",
                berkas_kk="x/kk.pdf",
                berkas_usaha="x/sku.pdf",
                berkas_foto="x/foto.png",
                bukan_pegawai=True,
                tidak_menerima_kur=True,
                dibuat=now,
                dibuat_oleh=user,
                diubah=now,
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    massal.mulai_proses_massal(objs, user=user, now=now)
    return [o.pk for o in objs], user


KENDALI = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def tunggal(pks, user, now) -> tuple[float, list[int]]:
    """Transitions per second over ``pks[2:]``, and the statements of ``pks[0]`` (cold) and
    ``pks[1]`` (warm)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bpum import services
    from bpum.models import Usulan

    objs = list(Usulan.objects.filter(pk__in=pks).order_by("pk"))
    statements = []
    for u in objs[:2]:  # cold, then warm
        with CaptureQueriesContext(connection) as q:
            services.usulan_transisi(user=user, usulan=u, nama="tandai_lengkap", now=now)
        statements.append(sum(not x["sql"].startswith(KENDALI) for x in q.captured_queries))
    t0, c0 = time.perf_counter(), time.process_time()
    for u in objs[2:]:  # its own transaction, as the button's view (no ATOMIC_REQUESTS)
        services.usulan_transisi(user=user, usulan=u, nama="tandai_lengkap", now=now)
    n = len(objs) - 2
    tunggal.cpu_ms = (time.process_time() - c0) * 1000 / n  # Django's own CPU per transition
    return n / (time.perf_counter() - t0), statements


def _anak(pks, user_pk, now, mulai, antre) -> None:
    """One worker process of ``paralel``: its own connection, its own proposals."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bpum import services
    from bpum.models import Usulan

    connection.close()  # the parent's socket is not ours: open a new connection
    user = get_user_model().objects.get(pk=user_pk)
    objs = list(Usulan.objects.filter(pk__in=pks).order_by("pk"))
    mulai.wait()
    for u in objs:
        services.usulan_transisi(user=user, usulan=u, nama="tandai_lengkap", now=now)
    antre.put(len(objs))


def paralel(pks, user, now, proses: int) -> float:
    """(a) again with ``proses`` worker processes at once, each on its own connection and its
    own proposals (as gunicorn's workers are): transitions per second over all of them."""
    import multiprocessing as mp

    from django.db import connection

    connection.close()
    ctx = mp.get_context("fork")
    mulai, antre = ctx.Barrier(proses + 1), ctx.Queue()
    bagian = [pks[i::proses] for i in range(proses)]
    anak = [ctx.Process(target=_anak, args=(b, user.pk, now, mulai, antre)) for b in bagian]
    for a in anak:
        a.start()
    mulai.wait()
    t0 = time.perf_counter()
    n = sum(antre.get(timeout=600) for _ in anak)
    detik = time.perf_counter() - t0
    for a in anak:
        a.join()
        if a.exitcode:
            raise SystemExit(f"a worker process failed (exit {a.exitcode})")
    return n / detik


def massal_engine(pks, user, now) -> float:
    from django.db import transaction

    from bpum.models import Usulan
    from sop import massal

    t0 = time.perf_counter()
    with transaction.atomic():
        objs = list(
            Usulan.objects.select_for_update()
            .select_related("periode")
            .filter(pk__in=pks)
            .order_by("pk")
        )
        massal.jalankan_massal(objs, "tandai_lengkap", user=user, now=now, beritahu=False)
    return time.perf_counter() - t0


def massal_sql(pks, user, now) -> float:
    """The same rows written by hand: what a careful engineer would write without the engine."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from bpum.models import Usulan
    from sop import jam as jm
    from sop.models import Sop, Unit

    ct = ContentType.objects.get_for_model(Usulan).pk
    sop = Sop.objects.berlaku().get(kode="PAIS-UMI")
    lk = {k.kode: k for k in sop.langkah.all()}
    kec = Unit.objects.get(wilayah_id="14.04.04", jenis=Unit.Jenis.KECAMATAN)
    kantor = jm.Kantor()
    tenggat, peringatan = kantor.tenggat(lk["kecamatan-rekap"], kec, now)
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "SELECT id FROM bpum_usulan WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [list(pks)]
        )
        ids = [r[0] for r in c.fetchall()]
        c.execute(
            "SELECT id, object_id FROM sop_langkahberjalan WHERE content_type_id = %s "
            "AND object_id = ANY(%s) AND selesai IS NULL FOR UPDATE",
            [ct, [str(i) for i in ids]],
        )
        jam = c.fetchall()
        nilai = ", ".join(["(%s::bigint)"] * len(ids))
        c.execute(
            f"UPDATE bpum_usulan SET status = 'lengkap', diubah = %s FROM (VALUES {nilai}) "  # noqa: S608
            "AS v(id) WHERE bpum_usulan.id = v.id",
            [now, *ids],
        )
        nilai = ", ".join(["(%s::bigint)"] * len(jam))
        c.execute(
            f"UPDATE sop_langkahberjalan SET selesai = %s, dijeda_sejak = NULL FROM (VALUES {nilai}) "  # noqa: S608
            "AS v(id) WHERE sop_langkahberjalan.id = v.id",
            [now, *[j[0] for j in jam]],
        )
        baris = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, 0, false, '')"] * len(ids))
        params = []
        for i in ids:
            params += [ct, str(i), sop.pk, lk["kecamatan-rekap"].pk, kec.pk, "14.04.04.1001",
                       now, tenggat, peringatan]  # fmt: skip
        c.execute(
            "INSERT INTO sop_langkahberjalan (content_type_id, object_id, sop_id, langkah_id, "  # noqa: S608
            "unit_id, wilayah_id, mulai, tenggat, peringatan_pada, menit_jeda, eksternal, induk_id) "
            f"VALUES {baris}",
            params,
        )
        baris = ", ".join(
            [
                "(%s, %s, %s, %s, 'tandai_lengkap', 'diajukan', 'lengkap', %s, %s, %s, %s, '', true, '')"
            ]
            * len(ids)
        )
        params = []
        for i in ids:
            params += [ct, str(i), sop.pk, lk["desa-proses-berkas"].pk, user.pk, now, now, now]
        c.execute(
            "INSERT INTO sop_jejak (content_type_id, object_id, sop_id, langkah_id, transisi, "  # noqa: S608
            "dari, ke, user_id, mulai, tenggat, selesai, catatan, publik, induk_id) "
            f"VALUES {baris}",
            params,
        )
    return time.perf_counter() - t0


def main() -> int:
    # what a web request does in production: the next step's notification is queued for the
    # worker (django-tasks-db), not sent inline as the development backend does
    os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    p = argumen("the engine's single and bulk transitions vs hand-written SQL", 10_000)
    p.add_argument("--tunggal", type=int, default=500, help="single transitions (500)")
    p.add_argument(
        "--proses", type=int, default=2, help="worker processes for the concurrent run (2)"
    )
    args = p.parse_args()
    with basis_data(args) as label:
        from django.db import connection

        if connection.vendor != "postgresql":
            print(
                "this benchmark's baseline SQL is PostgreSQL's: run it with --pg", file=sys.stderr
            )
            return 2
        now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
        hasil_t, hasil_p, hasil_b, hasil_c = [], [], [], []
        mulai = 0
        for r in range(args.repeat):
            pk_t, user = buat_usulan(args.tunggal + 2, mulai, now)
            mulai += args.tunggal + 2
            pk_p, _ = buat_usulan(args.tunggal * args.proses, mulai, now)
            mulai += args.tunggal * args.proses
            pk_b, _ = buat_usulan(args.rows, mulai, now)
            mulai += args.rows
            pk_c, _ = buat_usulan(args.rows, mulai, now)
            mulai += args.rows
            nanti = now + dt.timedelta(minutes=30 + r)
            laju, statements = tunggal(pk_t, user, nanti)
            hasil_t.append(laju)
            hasil_c.append(massal_sql(pk_c, user, nanti))
            hasil_b.append(massal_engine(pk_b, user, nanti))
            hasil_p.append(paralel(pk_p, user, nanti, args.proses))
        t, pr, b, c = (statistics.median(x) for x in (hasil_t, hasil_p, hasil_b, hasil_c))
        print(
            f"engine transitions on {label}, {args.rows:,} rows per bulk run, {args.repeat} run(s)"
        )
        print(
            f"(a) single   usulan_transisi: {t:8.1f} per second; {statements[1]} statements each "
            f"({statements[0]} on a cold process); "
            f"{tunggal.cpu_ms:.1f} ms of Django CPU each (load average {os.getloadavg()[0]:.1f})"
        )
        print(
            f"(a) single,  {args.proses} processes at once: {pr:8.1f} per second in all "
            f"({args.tunggal * args.proses} transitions, one connection each)"
        )
        print(f"(b) bulk     jalankan_massal: {b:8.3f} s  ({args.rows / b:,.0f} rows/s)")
        print(f"(c) baseline hand-written SQL: {c:8.3f} s  ({args.rows / c:,.0f} rows/s)")
        print(f"ratio (b)/(c): {b / c:.2f}x   (target <= 5x); (a) target >= 150 per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
