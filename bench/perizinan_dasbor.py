"""Perizinan dashboard and Buku Register over N requests (default 500,000) of one office, with
three step-log rows per finished request, timed against a plain ``SELECT jenis_id, count(*)
... GROUP BY jenis_id`` over the same period. Also prints the number of queries of each page
with 1 request and with N (they must be equal: constant queries).

    .venv/bin/python bench/perizinan_dasbor.py --pg              # 500,000 requests
    .venv/bin/python bench/perizinan_dasbor.py --pg --rows 50000

Rows are generated with one INSERT ... SELECT generate_series per table on PostgreSQL (bulk
creates elsewhere): spread over two years, 85 % finished (15 % of those late), the rest open.
"""

from __future__ import annotations

import sys
import time

from perizinan_umum import argumen, basis_data, jumlah_kueri, median_waktu

HARI = 730  # two years of intake


def layanan_uji() -> list[int]:
    """The demo IUMK service and two more on the same office (three rows per table)."""
    from perizinan.models import JenisLayanan

    j = JenisLayanan.objects.get(kode="iumk-pelalawan")
    extra = [
        JenisLayanan.objects.get_or_create(
            kode=f"bench-{i}",
            defaults={
                "nama": f"Layanan uji {i}",
                "unit": j.unit,
                "sop_kode": j.sop_kode,
                "produk": "-",
            },
        )[0]
        for i in (1, 2)
    ]
    return [j.pk, *(x.pk for x in extra)]


def isi(n: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from perizinan.models import JenisLayanan, Permohonan
    from sop.models import Jejak

    j = JenisLayanan.objects.get(kode="iumk-pelalawan")
    jenis = layanan_uji()
    sop = j.sop_berlaku()
    lk = {x.kode: x.pk for x in sop.langkah_per_kode().values()}
    fo = j.unit.penugasan.get(user__username="fo.pelalawan")
    ct = ContentType.objects.get_for_model(Permohonan).pk
    t_p, t_j = Permohonan._meta.db_table, Jejak._meta.db_table
    if connection.vendor != "postgresql":
        raise SystemExit("this benchmark generates its rows with PostgreSQL SQL: use --pg")
    with connection.cursor() as c:
        c.execute(
            f"""
            INSERT INTO {t_p} (kode_lacak, pin_hash, wilayah_id, unit_id, sop_id, jenis_id,
              status, nomor, tahun, urut, cara, pemohon_nik, pemohon_nama, pemohon_hp,
              pemohon_alamat, usaha_nama, usaha_nib, usaha_kbli, usaha_alamat, kekurangan,
              diterima_pada, diterima_oleh_id, perkiraan_selesai, janji_menit, selesai_pada,
              menit_kantor, tepat_waktu, diserahkan_pada, diserahkan_oleh_id, penerima_nama,
              penerima_keterangan, survei_token, survei_diisi, diubah)
            SELECT 'BNC-' || g, '', %(w)s, %(u)s, %(s)s, (%(jenis)s::bigint[])[1 + g %% 3],
              CASE WHEN g %% 20 < 17 THEN 'diserahkan' ELSE 'layanan-perbantuan' END,
              'B' || g || '/TT/BENCH', 2000 + g %% 50, g, 'langsung',
              '1405011201900001', 'Pemohon ' || g, '+6281234567890', 'Jl. Lintas Timur',
              'Usaha ' || g, '', '56101', 'Jl. Lintas Timur', '[]'::jsonb,
              t, %(user)s, t + interval '135 minutes', 135,
              CASE WHEN g %% 20 < 17 THEN t + ((20 + g %% 200) || ' minutes')::interval END,
              CASE WHEN g %% 20 < 17 THEN 20 + g %% 200 END,
              CASE WHEN g %% 20 < 17 THEN (20 + g %% 200) <= 135 END,
              CASE WHEN g %% 20 < 17 THEN t + interval '1 day' END,
              CASE WHEN g %% 20 < 17 THEN %(user)s END, '', '', '', false, t
            FROM (SELECT g, now() - ((g %% {HARI}) || ' days')::interval
                               - ((g %% 480) || ' minutes')::interval AS t
                  FROM generate_series(1, %(n)s) g) x
            """,
            {
                "w": j.unit.wilayah_id,
                "u": j.unit.pk,
                "s": sop.pk,
                "jenis": jenis,
                "n": n,
                "user": fo.user_id,
            },
        )
        # three step-log rows per finished request: the FO's two office steps and the intake
        c.execute(
            f"""
            INSERT INTO {t_j} (content_type_id, object_id, induk_ct_id, induk_id, sop_id,
              langkah_id, transisi, dari, ke, user_id, peran_id, unit_id, mulai, tenggat, selesai,
              terlambat, menit_kerja, menit_batas, catatan, publik)
            SELECT %(ct)s, p.id::text, NULL, '', p.sop_id, l.langkah, 'selesaikan', '', '',
              %(user)s, NULL, p.unit_id, p.diterima_pada, p.diterima_pada + interval '2 hours',
              p.selesai_pada, l.batas IS NOT NULL AND p.menit_kantor / 2 > l.batas,
              CASE WHEN l.batas IS NULL THEN NULL ELSE p.menit_kantor / 2 END, l.batas, '', true
            FROM {t_p} p CROSS JOIN (VALUES (%(l2)s, NULL::int), (%(l3)s, 120), (%(l4)s, 15))
                 AS l(langkah, batas)
            WHERE p.kode_lacak LIKE 'BNC-%%' AND p.selesai_pada IS NOT NULL
            """,
            {
                "ct": ct,
                "user": fo.user_id,
                "l2": lk["ajukan-perbantuan"],
                "l3": lk["layanan-perbantuan"],
                "l4": lk["terbit-iumk"],
            },
        )
        c.execute(f"VACUUM ANALYZE {t_p}")
        c.execute(f"VACUUM ANALYZE {t_j}")


def main(argv=None) -> int:
    args = argumen(__doc__.split("\n\n")[0], 500_000).parse_args(argv)
    with basis_data(args) as db:
        import datetime as dt

        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from perizinan import kinerja
        from perizinan.models import Permohonan
        from sop.models import Jejak, Unit

        unit = Unit.objects.get(kode="dpmptsp-pelalawan")
        klien = Client()
        klien.force_login(get_user_model().objects.get(username="fo.pelalawan"))
        sampai = timezone.localdate()
        dari = sampai - dt.timedelta(days=364)
        q = f"?dari={dari:%Y-%m-%d}&sampai={sampai:%Y-%m-%d}"
        bulan = f"?dari={sampai - dt.timedelta(days=30):%Y-%m-%d}&sampai={sampai:%Y-%m-%d}"

        def dasbor():
            assert klien.get("/izin/kinerja/" + q).status_code == 200

        def register():
            assert klien.get("/izin/register/" + bulan).status_code == 200

        def register_akhir():
            assert klien.get("/izin/register/" + bulan + "&hal=999999").status_code == 200

        layanan_uji()
        sedikit = {f.__name__: jumlah_kueri(f) for f in (dasbor, register, register_akhir)}
        t0 = time.perf_counter()
        isi(args.rows)
        n = Permohonan.objects.count()
        print(
            f"# {n:,} requests, {Jejak.objects.count():,} step-log rows generated in "
            f"{time.perf_counter() - t0:.0f} s",
            file=sys.stderr,
        )
        banyak = {f.__name__: jumlah_kueri(f) for f in (dasbor, register, register_akhir)}
        a, b = kinerja.rentang(unit, dari, sampai)

        def baseline():
            with connection.cursor() as c:
                c.execute(
                    f"SELECT jenis_id, count(*) FROM {Permohonan._meta.db_table} "  # noqa: S608
                    "WHERE unit_id = %s AND diterima_pada >= %s AND diterima_pada < %s GROUP BY jenis_id",
                    [unit.pk, a, b],
                )
                return c.fetchall()

        hasil = {}
        for nama, f in (
            ("baseline plain GROUP BY jenis (1 year)", baseline),
            (
                "per service: counts, on time, medians",
                lambda: kinerja.per_layanan(unit, dari, sampai),
            ),
            ("per officer (step log, medians)", lambda: kinerja.per_petugas(unit, dari, sampai)),
            ("trend by month", lambda: kinerja.tren_bulanan(unit, dari, sampai)),
            ("whole dashboard page GET /izin/kinerja/", dasbor),
            ("register page 1 (one month)", register),
            ("register last page (one month)", register_akhir),
        ):
            median_waktu(f, 1)  # warm
            hasil[nama], _ = median_waktu(f, args.repeat)
        base = hasil["baseline plain GROUP BY jenis (1 year)"]
        print(f"Perizinan dashboard and register on {db}: {n:,} requests")
        for nama, t in hasil.items():
            print(f"  {nama:42} {t:7.3f} s  ratio {t / base:6.1f}x")
        for nama in sedikit:
            print(
                f"  queries {nama:18} with the demo data: {sedikit[nama]:3}, with {n:,}: {banyak[nama]:3}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
