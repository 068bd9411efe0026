"""The loan book position for N loans (12 installments each, on-time payments, every 7th loan
in arrears, every 11th partly paid) on PostgreSQL: ``danabergulir_posisi`` (one SQL statement
for every loan), the portfolio aggregate behind the dashboard and the dashboard page, timed
against a plain ``SELECT pinjaman_id, sum(pokok + jasa) ... GROUP BY`` over the installments.

    .venv/bin/python bench/danabergulir_posisi.py --pg            # 100,000 loans
    .venv/bin/python bench/danabergulir_posisi.py --pg --rows 20000

Also checks the SQL against the Python arithmetic (``hitung.posisi_pada``) on a sample of loans
and that every step runs a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import time

from bpum_umum import argumen, basis_data, median_waktu, rupiah_angka


def main(argv=None) -> int:
    p = argumen(__doc__.split("\n\n")[0], 100_000)
    p.add_argument("--repeat-n", type=int, default=3, help="timed runs (median; 3)")
    args = p.parse_args(argv)
    if not args.pg and "DATABASE_URL" not in __import__("os").environ:
        print("This benchmark needs PostgreSQL: add --pg (or set DATABASE_URL).", file=sys.stderr)
        return 2
    with basis_data(args) as db:
        from danabergulir_umum import buat_buku_pg
        from django.contrib.auth import get_user_model
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from danabergulir import selectors as sel
        from danabergulir.hitung.alokasi import Buku, posisi_pada
        from danabergulir.hitung.alokasi import Pembayaran as PH
        from danabergulir.hitung.jadwal import jadwal
        from danabergulir.models import Angsuran, Pembayaran, Pinjaman

        per = dt.date(2025, 6, 30)
        t0 = time.perf_counter()
        jumlah = buat_buku_pg(args.rows, per)
        print(f"# data: {jumlah} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        lingkup = Pinjaman.objects.filter(nomor__startswith="BEN/")
        ta = Angsuran._meta.db_table

        def baseline():
            with connection.cursor() as c:
                c.execute(f"SELECT pinjaman_id, sum(pokok + jasa) FROM {ta} GROUP BY pinjaman_id")
                return c.fetchall()

        def posisi():
            return sel.posisi(per, lingkup)

        def perintah():
            out = io.StringIO()
            call_command("danabergulir_posisi", "--per", per.isoformat(), "--json", stdout=out)
            return len(out.getvalue())

        def portofolio():
            return sel.portofolio(per, lingkup)

        kaupt = get_user_model().objects.get(username="kaupt.pacitan")
        klien = Client()
        klien.force_login(kaupt)

        def halaman():
            resp = klien.get(f"/danabergulir/dasbor/?per={per}")
            assert resp.status_code == 200, resp.status_code
            return resp

        def halaman_dingin():
            cache.clear()
            return halaman()

        r = args.repeat_n
        t_base, _ = median_waktu(baseline, r)
        t_pos, baris = median_waktu(posisi, r)
        t_cmd, nbytes = median_waktu(perintah, r)
        t_porto, porto = median_waktu(portofolio, r)
        t_hal, _ = median_waktu(halaman_dingin, r)
        with CaptureQueriesContext(connection) as q:
            halaman_dingin()
        n_hal = len(q.captured_queries)
        t_hangat, _ = median_waktu(halaman, r)
        # the SQL equals the Python arithmetic on a sample
        contoh = list(lingkup.order_by("pk")[:: max(1, args.rows // 200)][:200])
        per_id = {b.id: b for b in baris}
        salah = 0
        for pj in contoh:
            ang = Buku.dari_jadwal(
                jadwal(
                    pokok=pj.plafon,
                    jasa_persen=pj.jasa_persen,
                    tenor=pj.tenor,
                    metode=pj.metode,
                    jatuh_tempo_pertama=pj.jatuh_tempo_pertama,
                ),
                pj.denda_ppm,
            ).angsuran
            ps = [
                PH(x.pk, x.tanggal, int(x.jumlah)) for x in Pembayaran.objects.filter(pinjaman=pj)
            ]
            py = posisi_pada(ang, ps, per, pj.denda_ppm)
            b = per_id[pj.pk]
            if (py.sisa_pokok, py.tunggakan_pokok, py.tunggakan_jasa, py.denda, py.dpd) != (
                b.sisa_pokok,
                b.tunggakan_pokok,
                b.tunggakan_jasa,
                b.denda,
                b.dpd,
            ):
                salah += 1
        print(
            f"Loan book position on {db}: {rupiah_angka(jumlah['Pinjaman'])} loans, "
            f"{rupiah_angka(jumlah['Angsuran'])} installments, "
            f"{rupiah_angka(jumlah['Pembayaran'])} payments, "
            f"{rupiah_angka(jumlah['Alokasi'])} allocation rows"
        )
        print(f"  baseline plain GROUP BY over installments {t_base:7.3f} s")
        print(
            f"  posisi of every loan (1 query)            {t_pos:7.3f} s  ratio {t_pos / t_base:.2f}x"
        )
        print(
            f"  danabergulir_posisi --json (whole cmd)    {t_cmd:7.3f} s  ratio {t_cmd / t_base:.2f}x"
            f"  ({nbytes / 1e6:.1f} MB)"
        )
        print(
            f"  portfolio by class and aging (1 query)    {t_porto:7.3f} s  ratio {t_porto / t_base:.2f}x"
            f"  NPL {porto.npl_persen}%"
        )
        print(
            f"  dashboard page, cold cache                {t_hal:7.3f} s  ratio {t_hal / t_base:.2f}x"
            f"  ({n_hal} queries)"
        )
        print(
            f"  dashboard page, book unchanged (cached)   {t_hangat:7.3f} s"
            f"  ratio {t_hangat / t_base:.2f}x"
        )
        print(
            f"  SQL = Python arithmetic on {len(contoh)} sampled loans: {len(contoh) - salah} equal"
        )
        return 1 if salah else 0


if __name__ == "__main__":
    sys.exit(main())
