"""Benchmark: the BPUM rekap export against writing the same rows straight to xlsx.

(a) baseline: the same cells (same columns, status labels, order), fetched with one
    ``values_list(...).iterator()`` and written with xlsxwriter ``constant_memory`` ``write_row``
    into one sheet: the least any xlsx export of these rows can cost on this database;
(b) the export: ``bpum.ekspor.tulis_ekspor`` (what ``manage.py bpum_export_rekap`` and the UI
    run): the summary GROUP BY, one query and one sheet per district, status labels, NIK / No KK
    / No HP as text, formula-like cells neutralised.
Target: (b) <= 1.5 x (a). Then the peak Python memory (tracemalloc) of (b) at 1/10, 1/4, 1/2 and all
of the rows: past two fetches per district it must not grow with the row count.

Run: ``.venv/bin/python bench/bpum_export.py`` (100,000 rows) or ``--rows 5000`` (quick);
``--pg`` for a throwaway PostgreSQL cluster, or set DATABASE_URL.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bpum_umum import argumen, basis_data, median_waktu, nik, rupiah_angka

TARGET = 1.5


def buat_usulan(n: int) -> None:
    from django.contrib.auth import get_user_model

    from bpum.models import Periode, Usulan
    from bpum.services import sop_berlaku
    from sop.models import Unit, Wilayah

    periode = Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04")
    sop = sop_berlaku()
    user = get_user_model().objects.get(username="desa.tembilahan-kota")
    desa = list(Wilayah.objects.filter(induk__induk_id="14.04", tingkat=4).order_by("kode"))
    unit = {u.wilayah_id: u.pk for u in Unit.objects.filter(jenis="desa", wilayah__in=desa)}
    status = [s for s, _ in Usulan.Status.choices]
    t0 = time.perf_counter()
    batch = []
    for i in range(n):
        w = desa[i % len(desa)]
        batch.append(
            Usulan(
                sop=sop,
                periode=periode,
                wilayah=w,
                kecamatan_id=w.induk_id,
                unit_id=unit[w.kode],
                nomor=f"BPUM-B{i:07d}",
                nik=nik(i),
                no_kk=f"1404{i:012d}",
                nama=("=HYPERLINK(1)" if i % 997 == 0 else f"Pelaku Usaha Mikro {i}"),
                alamat=f"Jl. Hang Tuah No. {i % 300}, RT {i % 20:03d}",
                bidang_usaha="Warung makan",
                no_hp=f"+62812{i:08d}",
                status=status[i % len(status)],
                dibuat_oleh=user,
            )
        )
        if len(batch) == 5000:
            Usulan.objects.bulk_create(batch)
            batch = []
    Usulan.objects.bulk_create(batch)
    print(
        f"# {rupiah_angka(n)} usulan in {len(desa)} villages of "
        f"{len({w.induk_id for w in desa})} districts created in "
        f"{time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )


def main(argv=None) -> int:
    args = argumen(__doc__.split("\n\n")[0], 100_000).parse_args(argv)
    with basis_data(args) as db:
        import xlsxwriter

        from bpum.ekspor import KOLOM_EKSPOR, PORSI, tulis_ekspor, usulan_ekspor
        from bpum.models import Periode, Usulan

        buat_usulan(args.rows)
        periode = Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04")
        qs = usulan_ekspor(Usulan.objects.all(), periode=periode, wilayah_kode="14.04")
        tmp = Path(tempfile.mkdtemp(prefix="bpum-ekspor."))

        label = dict(Usulan.Status.choices)
        nilai = (
            "nik",
            "no_kk",
            "nama",
            "alamat",
            "wilayah__nama",
            "kecamatan__nama",
            "bidang_usaha",
            "no_hp",
            "nomor",
            "status",
        )

        def baseline():
            """The same cells (same columns, labels, order), no neutralising, one sheet."""
            wb = xlsxwriter.Workbook(str(tmp / "baseline.xlsx"), {"constant_memory": True})
            ws = wb.add_worksheet("Rekap")
            ws.write_row(0, 0, KOLOM_EKSPOR)
            n = 0
            rows = (
                qs.order_by("kecamatan__nama", "wilayah__nama", "nama", "pk")
                .values_list(*nilai)
                .iterator(chunk_size=1000)
            )
            for n, (nik_, kk, nama, alamat, desa, kec, bidang, hp, nomor, st) in enumerate(
                rows, start=1
            ):
                ws.write_row(
                    n,
                    0,
                    (
                        nik_,
                        kk,
                        nama,
                        alamat,
                        desa,
                        kec,
                        "Indragiri Hilir",
                        bidang,
                        hp,
                        nomor,
                        str(label[st]),
                    ),
                )
            wb.close()
            return n

        def ekspor():
            return tulis_ekspor(str(tmp / "ekspor.xlsx"), qs, kabupaten_nama="Indragiri Hilir")

        baseline()  # warm the database cache once, for both
        tb, nb, te, ne = 0.0, 0, 0.0, 0
        waktu_b, waktu_e = [], []
        for _ in range(args.repeat):  # alternate, so neither profits from the order
            t, nb = median_waktu(baseline, 1)
            waktu_b.append(t)
            t, ne = median_waktu(ekspor, 1)
            waktu_e.append(t)
        import statistics

        tb, te = statistics.median(waktu_b), statistics.median(waktu_e)
        assert nb == ne == args.rows, (nb, ne)
        rasio = te / tb
        print(f"rows: {rupiah_angka(args.rows)}   database: {db}")
        print(f"(a) baseline xlsxwriter constant_memory write_row : {tb:8.2f} s")
        print(f"(b) bpum export (summary + sheet per district)    : {te:8.2f} s")
        print(
            f"ratio (b)/(a): {rasio:.2f}x   target <= {TARGET}x   "
            f"{'OK' if rasio <= TARGET else 'MISSED'}"
        )
        print(
            f"files: baseline {(tmp / 'baseline.xlsx').stat().st_size / 1e6:.1f} MB, "
            f"export {(tmp / 'ekspor.xlsx').stat().st_size / 1e6:.1f} MB"
        )

        print("peak Python memory of the export (tracemalloc):")
        puncak = []
        for bagian in (10, 4, 2, 1):
            n = args.rows // bagian
            sub = qs.filter(pk__in=Usulan.objects.order_by("pk").values("pk")[:n])
            tracemalloc.start()
            tulis_ekspor(str(tmp / "mem.xlsx"), sub, kabupaten_nama="Indragiri Hilir")
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            puncak.append(peak)
            print(f"  {rupiah_angka(n):>9} rows: {peak / 1e6:6.2f} MB")
        tumbuh = puncak[-1] / puncak[-2]
        print(
            f"  doubling the rows (1/2 -> all): {tumbuh:.2f}x "
            f"({'flat' if tumbuh < 1.2 else 'GROWS'}); the bound is two fetches of "
            f"{PORSI} rows per district query plus one write buffer per sheet"
        )
        Usulan.objects.filter(nomor__startswith="BPUM-B").delete()
        return 0 if rasio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
