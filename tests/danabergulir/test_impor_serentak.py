"""Races on PostgreSQL (threads on separate connections): two staging copies of one loan book,
or of one bank statement, committed at the same moment write every loan and every posting once.

The commit takes the unit's transaction lock before it plans (``impor_terapkan``), so the second
plans against what the first wrote: its loans come out unchanged, its lines duplicates. SQLite
runs every writing transaction alone, so the tests skip there."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from danabergulir.impor import staging as stg
from danabergulir.models import ImporBerkas, Pembayaran, Pinjaman
from sop.models import Unit
from tests.serentak import serentak

from .conftest import D
from .test_impor import ATAS, JUDUL_PINJAMAN, JUDUL_REKENING, baris_pinjaman, xlsx

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writing transactions (BEGIN IMMEDIATE): no race to test",
    ),
    pytest.mark.django_db(transaction=True),
]
PUTARAN = 4
St = ImporBerkas.Status


def _salinan(raw: bytes, jenis: str) -> list[ImporBerkas]:
    """Two staging copies of one file, both validated (what two uploads leave behind)."""
    user = get_user_model().objects.get(username="upt.pacitan")
    unit = Unit.objects.get(kode="upt-dana-bergulir-pacitan")
    daftar = []
    for k in (1, 2):
        impor = stg.impor_buat(user=user, unit=unit, jenis=jenis, raw=raw, nama_berkas=f"b{k}.xlsx")
        daftar.append(stg.impor_validasi(impor))
    assert [i.status for i in daftar] == [St.VALID, St.VALID], [i.errors for i in daftar]
    return daftar


def _simpan(impor):
    def f():
        user = get_user_model().objects.get(username="upt.pacitan")
        return stg.impor_terapkan(impor, user=user)

    return f


def test_buku_pinjaman_sama_disimpan_serentak_sekali():
    for putaran in range(PUTARAN):
        nomor = range(7001 + putaran * 10, 7006 + putaran * 10)  # NIKs no demo debtor has
        raw = xlsx([baris_pinjaman(i) for i in nomor], JUDUL_PINJAMAN)
        a, b = serentak(*(_simpan(s) for s in _salinan(raw, "pinjaman")))
        assert not isinstance(a, Exception) and not isinstance(b, Exception), (a, b)
        assert [a.status, b.status] == [St.SELESAI, St.SELESAI], (a.pesan, b.pesan)
        dibuat = sorted([a.hitungan["created"], b.hitungan["created"]])
        assert dibuat == [0, 5], (a.hitungan, b.hitungan)
        assert sorted([a.hitungan["unchanged"], b.hitungan["unchanged"]]) == [0, 5]
        for i in nomor:
            p = Pinjaman.objects.get(nomor=f"IMP/2024/{i:04d}")
            assert p.versi.count() == 1  # one schedule: the second commit changed nothing
    assert Pinjaman.objects.filter(nomor__startswith="IMP/2024/").count() == 5 * PUTARAN


def test_rekening_sama_disimpan_serentak_sekali(buat_pinjaman):
    for putaran in range(PUTARAN):
        p = buat_pinjaman()
        rows = [
            (D(2024, 1, 15), f"SETORAN ANGSURAN {p.nomor}", f"S{putaran}A", None, 343_333, None),
            (D(2024, 2, 15), f"SETORAN ANGSURAN {p.nomor}", f"S{putaran}B", None, 343_333, None),
            (D(2024, 2, 16), "TRF TANPA NOMOR", f"S{putaran}C", None, 50_000, None),
        ]
        raw = xlsx(rows, JUDUL_REKENING, atas=ATAS)
        a, b = serentak(*(_simpan(s) for s in _salinan(raw, "rekening")))
        assert not isinstance(a, Exception) and not isinstance(b, Exception), (a, b)
        assert [a.status, b.status] == [St.SELESAI, St.SELESAI], (a.pesan, b.pesan)
        h = sorted([a.hitungan, b.hitungan], key=lambda x: x["posted"])
        assert (h[0]["posted"], h[0]["duplicate"]) == (0, 3), h
        assert (h[1]["posted"], h[1]["unmatched"]) == (2, 1), h
        refs = [f"S{putaran}{x}" for x in "ABC"]
        assert Pembayaran.objects.filter(referensi__in=refs).count() == 3
        assert Pembayaran.objects.filter(pinjaman=p).count() == 2
