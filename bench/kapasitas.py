"""Capacity: database bytes and file bytes one BPUM proposal costs over its whole life.

``--rows`` applicants of Kecamatan Tembilahan go the way a real round goes, through the
portal's own code: the district's rekap workbook is imported (``impor_buat`` + ``impor_validasi``
+ ``impor_terapkan``: proposals, step log, clocks, the district batch), the batch is sent to and
received by the regency, the regency batch is built, sent and forwarded to the ministry, and the
ministry's answer workbook (60 % accepted, 40 % refused with a reason) is imported. Then
``VACUUM ANALYZE`` and ``pg_total_relation_size`` (heap + indexes + TOAST) of every table that
grew, divided by the number of proposals; and the bytes of the files one round leaves in storage
(the import workbook, the answer workbook, an export of the whole round).

Baseline: the proposal rows alone (``bpum_usulan`` with its indexes); the ratio says what the
audit trail (step log, clocks, history, batches) adds on top. Scanned documents are not
generated: their size is the office's (see docs/deployment.md for the assumption used).

Run: ``.venv/bin/python bench/kapasitas.py --pg`` (20,000 rows, a throwaway PostgreSQL cluster),
``--rows 5000`` for a quick run, or set DATABASE_URL to a scratch database.
"""

from __future__ import annotations

import io
import sys
import time

from bpum_import import buat_berkas
from bpum_umum import argumen, basis_data, nik


def _ukuran_tabel(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND n.nspname = current_schema()"
    )
    return dict(cursor.fetchall())


def _jumlah_baris(cursor, tabel: list[str]) -> dict[str, int]:
    hasil = {}
    for t in tabel:
        cursor.execute(f'SELECT count(*) FROM "{t}"')  # noqa: S608 - names from pg_class
        hasil[t] = cursor.fetchone()[0]
    return hasil


def _jawaban(niks: list[str]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True})
    ws = wb.add_worksheet("Hasil")
    teks = wb.add_format({"num_format": "@"})
    ws.write_row(0, 0, ("NIK", "Status", "Keterangan"))
    for i, n in enumerate(niks, start=1):
        ditolak = i % 5 in (0, 1)  # 40 %
        ws.write_string(i, 0, n, teks)
        ws.write_string(i, 1, "DITOLAK" if ditolak else "DITERIMA")
        ws.write_string(i, 2, "Terdaftar sebagai penerima KUR" if ditolak else "")
    wb.close()
    return buf.getvalue()


def main(argv=None) -> int:
    args = argumen(__doc__.split("\n\n")[0], 20_000).parse_args(argv)
    n = args.rows
    with basis_data(args) as db:
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.db.models import Count

        from bpum import ekspor as eks
        from bpum import impor as imp
        from bpum import services
        from bpum.models import ImporRekap, Periode, Rekap, Usulan
        from sop.models import Wilayah

        if connection.vendor != "postgresql":
            print("kapasitas.py measures PostgreSQL: use --pg or a PostgreSQL DATABASE_URL")
            return 2
        User = get_user_model()
        periode = Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04")
        kec = Wilayah.objects.get(kode="14.04.04")
        desa = list(
            Wilayah.objects.filter(induk=kec).order_by("kode").values_list("nama", flat=True)
        )
        petugas_kec = User.objects.get(username="kecamatan.tembilahan")
        dinas = User.objects.get(username="dinas.inhil")
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")
            sebelum = _ukuran_tabel(c)

        t0 = time.perf_counter()
        raw = buat_berkas(n, desa)
        impor = imp.impor_validasi(
            imp.impor_buat(
                user=petugas_kec,
                jenis="rekap",
                periode=periode,
                wilayah=kec,
                raw=raw,
                nama_berkas="rekap.xlsx",
            )
        )
        assert impor.status == ImporRekap.Status.VALID, impor.errors[:3]
        impor = imp.impor_terapkan(impor, user=petugas_kec)
        assert impor.status == ImporRekap.Status.SELESAI and impor.jumlah_dibuat == n
        rekap = Rekap.objects.get(pk=impor.rekap_id)
        services.rekap_kirim(user=petugas_kec, rekap=rekap)
        services.rekap_terima(user=dinas, rekap=rekap)
        rk, _n, _t = services.rekap_kabupaten_susun(user=dinas, periode=periode)
        services.rekap_kirim(user=dinas, rekap=rk)
        services.rekap_terima(user=dinas, rekap=rk)
        niks = [nik(i) for i in range(n)]
        jawaban_raw = _jawaban(niks)
        jawab = imp.impor_validasi(
            imp.impor_buat(
                user=dinas,
                jenis="jawaban",
                periode=periode,
                wilayah=periode.wilayah,
                raw=jawaban_raw,
                nama_berkas="hasil.xlsx",
            )
        )
        assert jawab.status == ImporRekap.Status.VALID, jawab.errors[:3]
        jawab = imp.impor_terapkan(jawab, user=dinas)
        assert jawab.status == ImporRekap.Status.SELESAI, jawab.pesan
        waktu = time.perf_counter() - t0
        status = dict(
            Usulan.objects.filter(periode=periode).values_list("status").annotate(n=Count("pk"))
        )
        buf = io.BytesIO()
        eks.tulis_ekspor(
            buf,
            eks.usulan_ekspor(
                Usulan.objects.all(), periode=periode, wilayah_kode=periode.wilayah_id
            ),
            kabupaten_nama=periode.wilayah.nama,
        )
        ekspor_bytes = len(buf.getvalue())

        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")
            sesudah = _ukuran_tabel(c)
            tumbuh = {
                t: sesudah[t] - sebelum.get(t, 0)
                for t in sesudah
                if sesudah[t] - sebelum.get(t, 0) > 8192 * 2
            }
            baris = _jumlah_baris(c, sorted(tumbuh))

        print(f"# {db}; {n:,} proposals through a whole round in {waktu:.1f} s")
        print(f"# final states: {status}")
        print(f"{'table':32} {'rows':>10} {'rows/prop':>9} {'bytes/prop':>10} {'MB':>8}")
        total = 0
        for t, b in sorted(tumbuh.items(), key=lambda kv: -kv[1]):
            total += b
            print(f"{t:32} {baris[t]:>10,} {baris[t] / n:>9.2f} {b / n:>10,.0f} {b / 1e6:>8.1f}")
        dasar = tumbuh.get("bpum_usulan", 1)
        print(f"{'total':32} {'':>10} {'':>9} {total / n:>10,.0f} {total / 1e6:>8.1f}")
        print(
            f"ratio total / bpum_usulan alone: {total / dasar:.2f}x "
            f"(baseline {dasar / n:,.0f} bytes per proposal)"
        )
        print(
            "files per proposal: import workbook "
            f"{len(raw) / n:,.0f} B, answer workbook {len(jawaban_raw) / n:,.0f} B, "
            f"export of the round {ekspor_bytes / n:,.0f} B"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
