"""Shared data builders of the loan book benchmarks (bench/danabergulir_*.py).

``buat_pinjaman(n)`` writes n loans of the demo product with 12-installment schedules in bulk
(Python, any database); ``buat_buku_pg(n)`` writes n loans, 12 n installments and their on-time
payments with SQL ``INSERT ... SELECT`` (PostgreSQL only: seconds for 100,000 loans).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

METODE = ["flat", "anuitas", "menurun", "flat"]
PLAFON = [5_000_000, 10_000_000, 15_000_000, 25_000_000]
TENOR = 12


def _konteks():
    from django.contrib.auth import get_user_model

    from danabergulir.models import Produk
    from sop.models import Unit, Wilayah

    unit = Unit.objects.get(kode="upt-dana-bergulir-pacitan")
    produk = Produk.objects.get(kode="dana-bergulir-pacitan")
    user = get_user_model().objects.get(username="upt.pacitan")
    kec = list(Wilayah.objects.filter(induk_id="35.01").values_list("kode", flat=True))
    return unit, produk, user, kec


def nomor(i: int) -> str:
    return f"BEN/{i:07d}"


def buat_pinjaman(n: int, *, pertama0=dt.date(2024, 1, 5)) -> list[int]:
    """n loans (bulk), the i-th with its first due date i % 28 days after ``pertama0``."""
    from danabergulir.models import Angsuran, Debitur, JadwalVersi, Pinjaman
    from danabergulir.services import _angsuran_versi

    unit, produk, user, kec = _konteks()
    debitur = [
        Debitur(
            unit=unit,
            jenis="umkm",
            nama=f"Debitur {i}",
            nik=f"77{i:014d}",
            kecamatan_id=kec[i % len(kec)],
        )
        for i in range(n)
    ]
    Debitur.objects.bulk_create(debitur, batch_size=5000)
    pinjaman = []
    for i, d in enumerate(debitur):
        pertama = pertama0 + dt.timedelta(days=i % 28)
        cair = pertama - dt.timedelta(days=30)
        pinjaman.append(
            Pinjaman(
                nomor=nomor(i),
                nomor_normal=nomor(i),
                unit=unit,
                wilayah_id=d.kecamatan_id,
                kecamatan_id=d.kecamatan_id,
                debitur=d,
                produk=produk,
                plafon=PLAFON[i % 4],
                jasa_persen=Decimal(6),
                metode=METODE[i % 4],
                tenor=TENOR,
                denda_ppm=1000,
                tanggal_pencairan=cair,
                hari_pencairan=cair.toordinal(),
                jatuh_tempo_pertama=pertama,
                sumber="impor",
                dibuat_oleh=user,
            )
        )
    Pinjaman.objects.bulk_create(pinjaman, batch_size=5000)
    versi = [
        JadwalVersi(
            pinjaman=p,
            nomor=1,
            jenis="awal",
            berlaku_mulai=p.tanggal_pencairan,
            hari_mulai=p.hari_pencairan,
            pokok=p.plafon,
            jasa_persen=p.jasa_persen,
            metode=p.metode,
            tenor=p.tenor,
            jatuh_tempo_pertama=p.jatuh_tempo_pertama,
            dibuat_oleh=user,
        )
        for p in pinjaman
    ]
    JadwalVersi.objects.bulk_create(versi, batch_size=5000)
    rows = []
    for v in versi:
        rows.extend(_angsuran_versi(v))
        if len(rows) >= 20000:
            Angsuran.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Angsuran.objects.bulk_create(rows, batch_size=5000)
    return [p.pk for p in pinjaman]


def buat_buku_pg(n: int, per: dt.date) -> dict[str, int]:
    """n loans with 12 monthly installments (first due dates spread over 2 years before
    ``per``) and their payments: most loans paid every installment due before ``per`` on its
    due date; every 7th stopped paying 1-8 installments ago; every 11th paid half of its oldest
    unpaid installment. All in SQL on PostgreSQL."""
    from django.db import connection

    from danabergulir.hitung import jadwal
    from danabergulir.models import Alokasi, Angsuran, Debitur, JadwalVersi, Pembayaran, Pinjaman

    unit, produk, user, kec = _konteks()
    t = {
        m: m._meta.db_table for m in (Debitur, Pinjaman, JadwalVersi, Angsuran, Pembayaran, Alokasi)
    }
    # the four schedule templates (amounts do not depend on the date)
    tmpl = []
    for k in range(4):
        for b in jadwal(
            pokok=PLAFON[k],
            jasa_persen=6,
            tenor=TENOR,
            metode=METODE[k],
            jatuh_tempo_pertama=dt.date(2024, 1, 1),
        ):
            tmpl.append(f"({k}, {b.ke}, {b.pokok}, {b.jasa})")
    kec_arr = "ARRAY[" + ",".join(f"'{k}'" for k in kec) + "]"
    awal = per - dt.timedelta(days=730)
    with connection.cursor() as c:
        c.execute(
            f"""
INSERT INTO {t[Debitur]} (unit_id, jenis, nama, nik, nomor_badan_hukum, pengurus, nib, sku,
                          alamat, no_hp, kecamatan_id, desa_id)
SELECT %s, 'umkm', 'Debitur ' || i, '9' || lpad(i::text, 15, '0'), '', '[]', '', '', '', '',
       ({kec_arr})[1 + i %% {len(kec)}], NULL
FROM generate_series(0, %s - 1) i""",
            [unit.pk, n],
        )
        c.execute(
            f"""
INSERT INTO {t[Pinjaman]} (nomor, nomor_normal, unit_id, wilayah_id, kecamatan_id, debitur_id,
  produk_id, plafon, jasa_persen, metode, tenor, masa_tenggang, denda_ppm, tanggal_pencairan,
  hari_pencairan, jatuh_tempo_pertama, tujuan, status, sumber, dibuat, dibuat_oleh_id)
SELECT 'BEN/' || lpad(s.i::text, 7, '0'), 'BEN/' || lpad(s.i::text, 7, '0'), %s,
  d.kecamatan_id, d.kecamatan_id, d.id, %s, (ARRAY[{",".join(map(str, PLAFON))}])[1 + s.i %% 4],
  6, (ARRAY['flat','anuitas','menurun','flat'])[1 + s.i %% 4], {TENOR}, 0, 1000,
  (s.pertama - interval '1 month')::date,
  ((s.pertama - interval '1 month')::date - date '0001-01-01') + 1, s.pertama, '', 'aktif',
  'impor', now(), %s
FROM (SELECT i, (date %s + (i %% 700))::date AS pertama FROM generate_series(0, %s - 1) i) s
JOIN {t[Debitur]} d ON d.nik = '9' || lpad(s.i::text, 15, '0') AND d.unit_id = %s""",
            [unit.pk, produk.pk, user.pk, awal, n, unit.pk],
        )
        c.execute(
            f"""
INSERT INTO {t[JadwalVersi]} (pinjaman_id, nomor, jenis, bentuk, berlaku_mulai, hari_mulai,
  berlaku_sampai, hari_sampai, pokok, jasa_persen, metode, tenor, masa_tenggang,
  jatuh_tempo_pertama, alasan, dibuat, dibuat_oleh_id)
SELECT p.id, 1, 'awal', '', p.tanggal_pencairan, p.hari_pencairan, NULL, NULL, p.plafon,
  p.jasa_persen, p.metode, p.tenor, 0, p.jatuh_tempo_pertama, '', now(), %s
FROM {t[Pinjaman]} p WHERE p.nomor LIKE 'BEN/%%'""",
            [user.pk],
        )
        c.execute(
            f"""
INSERT INTO {t[Angsuran]} (versi_id, pinjaman_id, ke, jatuh_tempo, hari, pokok, jasa, denda_tetap)
SELECT v.id, p.id, m.ke, (p.jatuh_tempo_pertama + (m.ke - 1) * interval '1 month')::date,
  ((p.jatuh_tempo_pertama + (m.ke - 1) * interval '1 month')::date - date '0001-01-01') + 1,
  m.pokok, m.jasa, 0
FROM {t[Pinjaman]} p JOIN {t[JadwalVersi]} v ON v.pinjaman_id = p.id
JOIN (VALUES {",".join(tmpl)}) AS m(k, ke, pokok, jasa)
  ON m.k = (substr(p.nomor, 5)::int %% 4)
WHERE p.nomor LIKE 'BEN/%%'""",
            [],
        )
        hari = per.toordinal()
        # paid installments: due before per, except the last (i %% 8) + 1 of every 7th loan
        c.execute(
            f"""
CREATE TEMP TABLE bayar_bench AS
SELECT g.id AS angsuran_id, g.pinjaman_id, g.hari, g.jatuh_tempo,
  CASE WHEN substr(p.nomor, 5)::int %% 11 = 0 AND g.ke = x.pertama_tunggak
       THEN (g.pokok + g.jasa) / 2 ELSE g.pokok + g.jasa END AS jumlah,
  g.pokok, g.jasa, g.ke, x.pertama_tunggak
FROM {t[Angsuran]} g JOIN {t[Pinjaman]} p ON p.id = g.pinjaman_id
JOIN (
  SELECT a.pinjaman_id,
    CASE WHEN substr(p2.nomor, 5)::int %% 7 = 0
         THEN GREATEST(1, COUNT(*) FILTER (WHERE a.hari < %s) - (substr(p2.nomor, 5)::int %% 8))
         ELSE COUNT(*) FILTER (WHERE a.hari < %s) + 1 END AS pertama_tunggak
  FROM {t[Angsuran]} a JOIN {t[Pinjaman]} p2 ON p2.id = a.pinjaman_id
  WHERE p2.nomor LIKE 'BEN/%%' GROUP BY a.pinjaman_id, p2.nomor
) x ON x.pinjaman_id = g.pinjaman_id
WHERE g.hari < %s AND (g.ke < x.pertama_tunggak
  OR (substr(p.nomor, 5)::int %% 11 = 0 AND g.ke = x.pertama_tunggak))""",
            [hari, hari, hari],
        )
        c.execute(
            f"""
INSERT INTO {t[Pembayaran]} (unit_id, pinjaman_id, status, alasan_suspense, tanggal, hari, jumlah,
  referensi, keterangan, saldo, kunci, sumber, impor_id, baris, catatan, dibuat, dibuat_oleh_id)
SELECT %s, b.pinjaman_id, 'diposting', '', b.jatuh_tempo, b.hari, b.jumlah, 'BEN' || b.angsuran_id,
  'SETORAN ANGSURAN', NULL, md5('ben' || b.angsuran_id), 'rekening', NULL, NULL, '', now(), %s
FROM bayar_bench b""",
            [unit.pk, user.pk],
        )
        # allocation: on the due date nothing is late, so jasa first then pokok
        c.execute(
            f"""
INSERT INTO {t[Alokasi]} (pembayaran_id, pinjaman_id, angsuran_id, hari, hari_efektif, pokok,
  jasa, denda, aktif, dinonaktifkan_pada)
SELECT y.id, b.pinjaman_id, b.angsuran_id, b.hari, b.hari,
  b.jumlah - LEAST(b.jumlah, b.jasa), LEAST(b.jumlah, b.jasa), 0, true, NULL
FROM bayar_bench b JOIN {t[Pembayaran]} y ON y.kunci = md5('ben' || b.angsuran_id)
  AND y.unit_id = %s""",
            [unit.pk],
        )
        c.execute("DROP TABLE bayar_bench")
        hasil = {}
        for m in (Pinjaman, Angsuran, Pembayaran, Alokasi):
            c.execute(f"SELECT count(*) FROM {t[m]}")
            hasil[m.__name__] = c.fetchone()[0]
        c.execute("ANALYZE")
    return hasil
