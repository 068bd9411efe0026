"""Public numbers and tracking: the cost of a gap-free register number and of the failed-lookup
limit, each against a plain baseline in the same run.

1. ``register_baru`` in its own transaction, N times, against one plain INSERT per transaction.
2. 8 threads on separate connections taking numbers of ONE series (they queue on its row)
   against 8 threads on 8 series; the numbers must come out 1..N without a gap.
3. A public lookup under the limit (``sop.lacak.coba``: slot taken, lookup, slot given back)
   against the bare lookup (``sop.lacak.cari``: code + PIN).

    .venv/bin/python bench/publik.py --pg --rows 2000

It leaves one generic request (its step log is immutable) in a given $DATABASE_URL.
"""

from __future__ import annotations

import sys
import threading
import time

from bpum_umum import argumen, basis_data


def _utas(n_utas: int, per_utas: int, kerja) -> float:
    from django.db import connections

    mulai = threading.Barrier(n_utas + 1)

    def jalan(i):
        mulai.wait()
        try:
            for _ in range(per_utas):
                kerja(i)
        finally:
            connections.close_all()

    utas = [threading.Thread(target=jalan, args=(i,)) for i in range(n_utas)]
    for t in utas:
        t.start()
    mulai.wait()
    t0 = time.perf_counter()
    for t in utas:
        t.join()
    return time.perf_counter() - t0


def main(argv=None) -> int:
    args = argumen(__doc__.split("\n\n")[0], 2000).parse_args(argv)
    with basis_data(args) as db:
        from django.db import connection, transaction
        from django.test import RequestFactory

        from sop import lacak, penomoran
        from sop.models import NomorRegister, Sop, Unit

        n = args.rows
        units = list(Unit.objects.order_by("pk")[:9])
        unit = units[0]
        NomorRegister.objects.all().delete()
        with connection.cursor() as c:
            c.execute("DROP TABLE IF EXISTS bench_publik_baris")
            c.execute("CREATE TABLE bench_publik_baris (n integer)")

        def baseline_insert():
            for i in range(n):
                with transaction.atomic(), connection.cursor() as c:
                    c.execute("INSERT INTO bench_publik_baris (n) VALUES (%s)", [i])

        def register():
            for _ in range(n):
                with transaction.atomic():
                    penomoran.register_baru(unit=unit, jenis="BENCH", tahun=2026, bagian=("TT",))

        t0 = time.perf_counter()
        baseline_insert()
        t_base = time.perf_counter() - t0
        t0 = time.perf_counter()
        register()
        t_reg = time.perf_counter() - t0
        print(f"Public numbers and tracking on {db} ({connection.vendor})")
        print(f"  1. {n} single-row transactions: plain INSERT {t_base:.3f} s")
        print(
            f"     register_baru                          {t_reg:.3f} s  ratio "
            f"{t_reg / t_base:.2f}x  ({t_reg / n * 1000:.2f} ms each)"
        )

        if connection.vendor == "postgresql":
            per = max(n // 8, 1)

            def satu_seri(i):
                with transaction.atomic():
                    penomoran.nomor_register(unit=unit.pk, jenis="SATU", tahun=2026)

            def seri_sendiri(i):
                with transaction.atomic():
                    penomoran.nomor_register(unit=units[1 + i].pk, jenis="SENDIRI", tahun=2026)

            t_satu = _utas(8, per, satu_seri)
            t_sendiri = _utas(8, per, seri_sendiri)
            terakhir = NomorRegister.objects.get(unit=unit, jenis="SATU", tahun=2026).terakhir
            assert terakhir == 8 * per, terakhir
            print(
                f"  2. 8 threads x {per}: 8 separate series {t_sendiri:.3f} s; one shared series "
                f"{t_satu:.3f} s  ratio {t_satu / t_sendiri:.2f}x  "
                f"({8 * per / t_satu:.0f} numbers/s, last = {terakhir}, no gap)"
            )
        else:
            print("  2. skipped: parallel connections need PostgreSQL")

        from django.contrib.auth import get_user_model

        from sop import services

        kabid = get_user_model().objects.get(username="jatim.kabid")
        p = services.permohonan_mulai(
            user=kabid,
            sop=Sop.objects.berlaku().get(kode="JATIM-5.4.6"),
            unit=Unit.objects.get(kode="dinas-koperasi-ukm-prov-jatim"),
            judul="bench",
        )
        p, pin = services.permohonan_pin_baru(user=kabid, permohonan=p)
        req = RequestFactory().post("/lacak/", REMOTE_ADDR="198.51.100.1")
        k = min(n, 1000)

        t0 = time.perf_counter()
        for _ in range(k):
            assert lacak.cari(p.kode_lacak, pin) is not None
        t_cari = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(k):
            assert lacak.coba(req, lambda: lacak.cari(p.kode_lacak, pin)).hasil is not None
        t_coba = time.perf_counter() - t0
        print(
            f"  3. {k} lookups: bare code + PIN {t_cari / k * 1000:.2f} ms each; under the limit "
            f"{t_coba / k * 1000:.2f} ms each  ratio {t_coba / t_cari:.2f}x"
        )

        with connection.cursor() as c:
            c.execute("DROP TABLE bench_publik_baris")
        NomorRegister.objects.all().delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
