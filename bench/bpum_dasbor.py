"""BPUM dashboard: counts per state per kecamatan (and per desa) over N usulan, timed against a
plain ``SELECT kecamatan_id, status, count(*) ... GROUP BY`` over the same table.

    .venv/bin/python bench/bpum_dasbor.py --pg --rows 1000000
"""

from __future__ import annotations

import sys

from bpum_export import buat_usulan
from bpum_umum import argumen, basis_data, median_waktu, rupiah_angka


def main(argv=None) -> int:
    args = argumen(__doc__.split("\n\n")[0], 1_000_000).parse_args(argv)
    with basis_data(args) as db:
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client

        from bpum import selectors as sel
        from bpum.models import Usulan

        buat_usulan(args.rows)
        with connection.cursor() as c:
            if connection.vendor == "postgresql":
                c.execute(f"VACUUM ANALYZE {Usulan._meta.db_table}")
            else:
                c.execute("ANALYZE")
        dinas = get_user_model().objects.get(username="dinas.inhil")

        def baseline():
            with connection.cursor() as c:
                c.execute(
                    f"SELECT kecamatan_id, status, count(*) FROM {Usulan._meta.db_table} "  # noqa: S608
                    "GROUP BY kecamatan_id, status"
                )
                return c.fetchall()

        periode = sel.periode_dipilih(dinas, None)

        def per_kecamatan():
            return sel.hitungan_status(dinas, periode)

        def per_desa():
            return sel.hitungan_status(dinas, periode, kecamatan="14.04.04")

        klien = Client()
        klien.force_login(dinas)

        def halaman():
            resp = klien.get("/bpum/dasbor/")
            assert resp.status_code == 200, resp.status_code
            return resp

        n = Usulan.objects.count()
        t_base, _ = median_waktu(baseline, args.repeat)
        t_kec, baris = median_waktu(per_kecamatan, args.repeat)
        t_desa, _ = median_waktu(per_desa, args.repeat)
        t_hal, _ = median_waktu(halaman, args.repeat)
        print(f"BPUM dashboard on {db}: {rupiah_angka(n)} usulan")
        print(f"  baseline plain GROUP BY kecamatan, status {t_base:7.3f} s")
        print(
            f"  counts per state per kecamatan       {t_kec:7.3f} s  ({len(baris)} rows)"
            f"  ratio {t_kec / t_base:.2f}x"
        )
        print(
            f"  counts per state per desa (1 kec.)   {t_desa:7.3f} s  ratio {t_desa / t_base:.2f}x"
        )
        print(
            f"  whole dashboard page (GET /bpum/dasbor/) {t_hal:7.3f} s  ratio {t_hal / t_base:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
