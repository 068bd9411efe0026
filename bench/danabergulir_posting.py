"""Posting a bank statement: N credit lines against N/2 loans (2 installments paid per loan),
timed against the same lines loaded as plain INSERTs (``bulk_create`` of the payment rows).

    .venv/bin/python bench/danabergulir_posting.py            # 20,000 lines, SQLite
    .venv/bin/python bench/danabergulir_posting.py --pg       # throwaway PostgreSQL cluster

Posting = idempotency keys, duplicate check, loan-number matching in the descriptions,
allocation (denda -> jasa -> pokok, oldest first), the payment and allocation rows. The same
file again (all duplicates) and a back-dated line (replay) are timed too.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from decimal import Decimal

from bpum_umum import argumen, basis_data, median_waktu, rupiah_angka


@dataclass
class Baris:
    row: int
    tanggal: dt.date
    jumlah: Decimal
    keterangan: str
    referensi: str
    saldo: Decimal | None


def main(argv=None) -> int:
    p = argumen(__doc__.split("\n\n")[0], 20_000)
    p.add_argument("--profil", action="store_true", help="print a cProfile of the posting")
    args = p.parse_args(argv)
    with basis_data(args) as db:
        from danabergulir_umum import METODE, PLAFON, TENOR, buat_pinjaman, nomor
        from danabergulir_umum import _konteks as konteks
        from django.db import connection, transaction
        from django.utils import timezone

        from danabergulir import services
        from danabergulir.hitung import jadwal, tanggal_jatuh_tempo
        from danabergulir.models import Alokasi, Pembayaran, Pinjaman
        from sop.massal import sisip_massal

        n_pinjaman = args.rows // 2
        buat_pinjaman(n_pinjaman)
        unit, _produk, user, _kec = konteks()
        angs = {
            k: jadwal(
                pokok=PLAFON[k],
                jasa_persen=6,
                tenor=TENOR,
                metode=METODE[k],
                jatuh_tempo_pertama=dt.date(2024, 1, 5),
            )
            for k in range(4)
        }
        baris = []
        saldo = Decimal(0)
        for ke in (1, 2):
            for i in range(n_pinjaman):
                pertama = dt.date(2024, 1, 5) + dt.timedelta(days=i % 28)
                jt = tanggal_jatuh_tempo(pertama, ke)
                late = i % 5  # 0-4 days late: denda on 1 in 5 of them ... 4 in 5
                jumlah = Decimal(angs[i % 4][ke - 1].angsuran + (2_000 if late else 0))
                saldo += jumlah
                baris.append(
                    Baris(
                        len(baris) + 1,
                        jt + dt.timedelta(days=late),
                        jumlah,
                        f"SETORAN ANGSURAN {nomor(i)} DEBITUR {i}",
                        f"TRX{ke}{i:07d}",
                        saldo,
                    )
                )
        baris.sort(key=lambda b: b.tanggal)
        with connection.cursor() as c:
            c.execute("ANALYZE")
        now = timezone.now()

        def baseline():
            """The lines as plain INSERTs: one multi-row INSERT per 2,000 lines, no model
            instances (sop.massal.sisip_massal), in one transaction."""
            rows = [
                {
                    "unit_id": unit.pk,
                    "status": "suspense",
                    "tanggal": b.tanggal,
                    "hari": b.tanggal.toordinal(),
                    "jumlah": b.jumlah,
                    "referensi": b.referensi,
                    "keterangan": b.keterangan,
                    "saldo": b.saldo,
                    "kunci": f"base{b.row}",
                    "sumber": "rekening",
                    "baris": b.row,
                    "dibuat": now,
                    "dibuat_oleh_id": user.pk,
                }
                for b in baris
            ]
            with transaction.atomic():
                sisip_massal(Pembayaran, rows)

        def baseline_orm():
            """The same lines through Django's bulk_create (model instances)."""
            rows = [
                Pembayaran(
                    unit=unit,
                    status="suspense",
                    tanggal=b.tanggal,
                    hari=b.tanggal.toordinal(),
                    jumlah=b.jumlah,
                    referensi=b.referensi,
                    keterangan=b.keterangan,
                    saldo=b.saldo,
                    kunci=f"base{b.row}",
                    sumber="rekening",
                    baris=b.row,
                    dibuat=now,
                    dibuat_oleh=user,
                )
                for b in baris
            ]
            with transaction.atomic():
                Pembayaran.objects.bulk_create(rows, batch_size=2000)

        def bersihkan_baseline():
            Pembayaran.objects.filter(kunci__startswith="base").delete()

        def posting():
            return services.rekening_posting(unit=unit, baris=baris, user=user, now=now)

        t_base, _ = median_waktu(baseline, 1)
        bersihkan_baseline()
        t_orm, _ = median_waktu(baseline_orm, 1)
        bersihkan_baseline()
        if args.profil:
            import cProfile
            import pstats

            pr = cProfile.Profile()
            pr.enable()
        t_post, n = median_waktu(posting, 1)
        if args.profil:
            pr.disable()
            pstats.Stats(pr).sort_stats("cumulative").print_stats(40)
        t_lagi, n2 = median_waktu(posting, 1)
        p0 = Pinjaman.objects.get(nomor=nomor(0))
        mundur = [
            Baris(
                0,
                p0.tanggal_pencairan + dt.timedelta(days=3),
                Decimal(100_000),
                f"SETORAN {p0.nomor}",
                "MUNDUR",
                None,
            )
        ]
        t_mundur, _ = median_waktu(
            lambda: services.rekening_posting(unit=unit, baris=mundur, user=user), 1
        )
        print(
            f"Loan book posting on {db}: {rupiah_angka(len(baris))} credit lines, "
            f"{rupiah_angka(n_pinjaman)} loans"
        )
        print(f"  baseline plain INSERT of the lines   {t_base:7.3f} s")
        print(f"  (Django bulk_create of the lines     {t_orm:7.3f} s)")
        print(
            f"  posting (match + allocate + write)   {t_post:7.3f} s  ratio {t_post / t_base:.2f}x "
            f"(vs bulk_create {t_post / t_orm:.2f}x)  {n}"
        )
        print(
            f"  the same file again (all duplicate)  {t_lagi:7.3f} s  ratio {t_lagi / t_base:.2f}x  {n2}"
        )
        print(f"  one back-dated line (loan replayed)  {t_mundur:7.3f} s")
        print(f"  allocation rows: {Alokasi.objects.count()}")
        try:
            from danabergulir.impor import staging
        except ImportError:  # sop.lembar not there yet
            return 0
        import io

        import xlsxwriter

        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": True})
        ws = wb.add_worksheet("Rekening")
        ws.write_row(0, 0, ["REKENING KORAN"])
        ws.write_row(2, 0, ["Tanggal", "Uraian", "No. Referensi", "Debet", "Kredit", "Saldo"])
        for i, b in enumerate(baris, start=3):
            ws.write_string(i, 0, b.tanggal.strftime("%d/%m/%Y"))
            ws.write_string(i, 1, b.keterangan)
            ws.write_string(i, 2, b.referensi)
            ws.write_number(i, 4, float(b.jumlah))
            ws.write_number(i, 5, float(b.saldo))
        wb.close()
        raw = buf.getvalue()
        t_baca, r = median_waktu(lambda: staging.rencanakan(raw, jenis="rekening", unit=unit), 1)
        print(
            f"  the statement as an .xlsx file: read + validate + plan {t_baca:7.3f} s "
            f"({len(raw) / 1e6:.1f} MB, {r.hitungan()})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
