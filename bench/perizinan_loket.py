"""Counter intake: server time of one POST /izin/terima/ (applicant, business, three scanned
documents; the request numbered, its step log and clocks written through the engine), median
and 90th percentile over N intakes, against the same rows written with plain INSERTs (no
checks, no engine). Target: median < 100 ms.

    .venv/bin/python bench/perizinan_loket.py --pg --rows 200
"""

from __future__ import annotations

import statistics
import sys
import time

from perizinan_umum import argumen, basis_data, beban

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def main(argv=None) -> int:
    args = argumen(__doc__.split("\n\n")[0], 200).parse_args(argv)
    with basis_data(args) as db:
        from django.contrib.auth import get_user_model
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection, transaction
        from django.test import Client

        from perizinan.models import BerkasSyarat, JenisLayanan, Permohonan

        fo = get_user_model().objects.get(username="fo.pelalawan")
        j = JenisLayanan.objects.get(kode="iumk-pelalawan")
        syarat = list(j.persyaratan.all())
        klien = Client()
        klien.force_login(fo)

        def data(i):
            d = {
                "layanan": j.kode,
                "cara": "langsung",
                "pemohon_nik": f"140501{1 + i % 28:02d}0190{1 + i % 9999:04d}",
                "pemohon_nama": f"Pemohon {i}",
                "pemohon_hp": "081234567890",
                "pemohon_alamat": "Jl. Lintas Timur, Pangkalan Kerinci",
                "usaha_nama": f"Usaha {i}",
                "usaha_kbli": "56101",
                "usaha_alamat": "Jl. Lintas Timur, Pangkalan Kerinci",
            }
            for s in syarat:
                if s.unggah and s.wajib:
                    d[f"berkas_{s.pk}"] = SimpleUploadedFile(f"s{s.pk}.pdf", PDF, "application/pdf")
                elif not s.unggah:
                    d[f"asli_{s.pk}"] = "on"
            return d

        def terima(i):
            resp = klien.post("/izin/terima/", data(i))
            assert resp.status_code == 302, resp.status_code

        for i in range(10):  # warm-up: caches, connections
            terima(10_000_000 + i)
        kueri = []
        with connection.execute_wrapper(lambda ex, sql, *a: (kueri.append(sql), ex(sql, *a))[1]):
            terima(9_999_999)
        waktu, cpu = [], []
        beban_awal = beban()
        for i in range(args.rows):
            d = data(i)
            t0, c0 = time.perf_counter(), time.process_time()
            resp = klien.post("/izin/terima/", d)
            waktu.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            assert resp.status_code == 302

        # baseline: the request row and its three documents as plain INSERTs
        contoh = Permohonan.objects.order_by("-pk").first()
        kolom = {
            f.attname: getattr(contoh, f.attname)
            for f in Permohonan._meta.concrete_fields
            if f.attname != "id"
        }
        dasar = []
        for i in range(args.rows):
            t0 = time.perf_counter()
            with transaction.atomic():
                p = Permohonan(
                    **{**kolom, "nomor": f"B{i}", "urut": 900_000 + i, "kode_lacak": f"BNC-{i}"}
                )
                p.save()
                BerkasSyarat.objects.bulk_create(
                    BerkasSyarat(permohonan=p, persyaratan=s, diterima_oleh=fo) for s in syarat
                )
            dasar.append(time.perf_counter() - t0)

        med, p90 = statistics.median(waktu), statistics.quantiles(waktu, n=10)[-1]
        base = statistics.median(dasar)
        print(f"Perizinan counter intake on {db}: {args.rows} intakes, {len(kueri)} queries each")
        print(f"  {beban_awal} at the start, {beban()} at the end")
        print(f"  baseline plain INSERTs (request + documents) median {base * 1000:7.1f} ms")
        print(
            f"  POST /izin/terima/ median {med * 1000:7.1f} ms, p90 {p90 * 1000:7.1f} ms"
            f"  ratio {med / base:.1f}x  target median < 100 ms: {'OK' if med < 0.1 else 'MISSED'}"
        )
        print(
            f"  the web process's own CPU time per intake: median "
            f"{statistics.median(cpu) * 1000:7.1f} ms (the database server's time not included)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
