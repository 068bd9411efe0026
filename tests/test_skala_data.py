"""The benchmark data generator (bench/data_bpum.py): its shortcut writes the engine's rows.

The same small scenario is built twice on PostgreSQL: through the engine's bulk paths as they are
(``cepat=False``) and with the shortcut of ``bench/data_umum.jalur_cepat`` (COPY for the
row-by-row INSERT, remembered working-minute arithmetic, indexes and summary
triggers set aside during the build and rebuilt after). Every generated row must be the same,
and so must the summary rows (kept by the triggers in the first build, summed afresh in the
second). The copies made by ``data_bpum.gandakan`` keep every row of the original and add
key-shifted ones that the summaries count too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the shortcut and the copies are PostgreSQL-only"
    ),
    pytest.mark.django_db(transaction=True),
]

SKENARIO = {"seed": 3, "sampai": dt.date(2026, 11, 20), "hari": 45, "kohort": 6}
DIBUAT = [
    "bpum_usulan",
    "bpum_usulan_alasan_pengembalian",
    "bpum_rekap",
    "bpum_duplikatkeputusan",
    "sop_jejak",
    "sop_langkahberjalan",
    "sop_peringatan",
    "sop_pelanggaran",
    "sop_notifikasi",
]
RINGKASAN = {
    "sop_ringkaskepatuhan": "sop_id, langkah_id, unit_id, user_id, terlambat, persen10",
    "sop_ringkasjam": "content_type_id, wilayah_id, langkah_id, dilanggar",
    "bpum_ringkasusulan": "periode_id, wilayah_id, status, duplikat",
    "bpum_ringkaslangkahusulan": "periode_id, wilayah_id, langkah_id, terlambat, persen10",
    "bpum_ringkasrekap": "rekap_id, wilayah_id",
}
# rows the sweep inserts from grouped statements: their order (so their ids) follows the plan,
# which differs without the indexes set aside during the build; compared as sets
TANPA_ID = {"sop_peringatan", "sop_pelanggaran", "sop_notifikasi"}
# written with the wall clock, not the scenario's time (Notifikasi.dibuat is auto_now_add;
# rekap_tambah stamps diubah with timezone.now())
JAM_DINDING = {"sop_notifikasi": {"dibuat"}, "bpum_usulan": {"diubah"}}


def potret(sejak) -> dict:
    hasil = {}
    with connection.cursor() as c:
        for t in DIBUAT:
            c.execute(f"SELECT * FROM {t} ORDER BY id")  # noqa: S608
            kolom = [d.name for d in c.description]
            buang = JAM_DINDING.get(t, set())
            hasil[t] = [
                tuple(
                    None if k in buang and v is not None and v >= sejak else v
                    for k, v in zip(kolom, r, strict=True)
                    if not (t in TANPA_ID and k == "id")
                )
                for r in c.fetchall()
            ]
            if t in TANPA_ID:
                hasil[t].sort()
        for t, kunci in RINGKASAN.items():
            c.execute(f"SELECT {kunci}, n FROM {t} WHERE n <> 0")  # noqa: S608
            hasil[t] = sorted(c.fetchall())
    return hasil


def kosongkan() -> None:
    with connection.cursor() as c:
        c.execute(f"TRUNCATE {', '.join([*DIBUAT, *RINGKASAN])} RESTART IDENTITY CASCADE")


def test_jalur_cepat_menulis_baris_yang_sama_dengan_mesin():
    from data_bpum import bangun

    kosongkan()  # ids from 1 in both builds, whatever ran before in this database
    sejak = timezone.now()
    mesin = bangun(150, cepat=False, **SKENARIO)
    a = potret(sejak)
    kosongkan()
    cepat = bangun(150, cepat=True, **SKENARIO)
    b = potret(sejak)
    assert not mesin["jalur_cepat"] and cepat["jalur_cepat"]
    assert mesin["status"] == cepat["status"]
    assert {"diterima", "ditolak", "diteruskan", "dikirim_provinsi"} <= set(mesin["status"])
    assert a["sop_jejak"] and a["sop_peringatan"] and a["sop_pelanggaran"]
    for t in a:
        assert a[t] == b[t], t
    with connection.cursor() as c:  # the indexes set aside during the build are back
        c.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'usulan_urut_dibuat'")
        assert c.fetchone()[0] == 1


def test_gandakan_menyalin_dan_ringkasan_ikut():
    from data_bpum import bangun, gandakan

    from bpum.models import Usulan

    bangun(120, cepat=True, **SKENARIO)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM sop_jejak")
        jejak = c.fetchone()[0]
    asli = list(Usulan.objects.order_by("pk").values_list("status", "wilayah_id", "nik"))
    gandakan(3)
    semua = list(Usulan.objects.order_by("pk").values_list("status", "wilayah_id", "nik", "nomor"))
    assert len(semua) == 3 * len(asli)
    assert [r[:2] for r in semua] == [r[:2] for r in asli] * 3
    assert len({r[3] for r in semua}) == len(semua)  # registration numbers stay unique
    assert len({r[2] for r in semua}) == 3 * len({r[2] for r in asli})  # each copy its own NIKs
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM sop_jejak")
        assert c.fetchone()[0] > 2 * jejak
        c.execute(
            "SELECT (SELECT sum(n) FROM bpum_ringkasusulan), (SELECT count(*) FROM bpum_usulan), "
            "(SELECT sum(n) FROM sop_ringkaskepatuhan), "
            "(SELECT count(*) FROM sop_jejak WHERE terlambat IS NOT NULL)"
        )
        a, b, c_, d = c.fetchone()
        assert (a, c_) == (b, d)


@contextlib.contextmanager
def satu_per_satu():
    """The engine's bulk entry points replaced by loops over its single path: every record
    reloaded and moved by ``sop.engine.jalankan`` / ``mulai_proses``, as an officer's click
    does, one after the other. The caller's objects receive the saved values."""
    from django.db import transaction

    from sop import engine, massal

    asli = massal.jalankan_massal, massal.mulai_proses_massal
    langkah = {"jalankan": 0, "mulai_proses": 0}

    def salin(ke, dari):
        for f in type(ke)._meta.concrete_fields:
            ke.__dict__[f.attname] = getattr(dari, f.attname)  # past the protected FSM field

    @transaction.atomic
    def jalankan_massal(
        objs,
        nama,
        *,
        user,
        catatan="",
        catatan_per=None,
        kwargs_per=None,
        fields=(),
        now=None,
        beritahu=True,
        url="",
    ):
        catatan_per, kwargs_per = catatan_per or {}, kwargs_per or {}
        for o in objs:
            segar = type(o).objects.get(pk=o.pk)
            hasil = engine.jalankan(
                getattr(segar, nama),
                user=user,
                catatan=catatan_per.get(o.pk, catatan),
                now=now,
                kwargs=kwargs_per.get(o.pk, {}),
            )
            salin(o, hasil)
            langkah["jalankan"] += 1
        return objs

    def mulai_proses_massal(objs, *, user, now, catatan="", transisi="mulai", unit=None):
        assert transisi == "mulai" and unit is None  # what the single path logs
        for o in objs:
            engine.mulai_proses(type(o).objects.get(pk=o.pk), user=user, now=now, catatan=catatan)
            langkah["mulai_proses"] += 1

    massal.jalankan_massal, massal.mulai_proses_massal = jalankan_massal, mulai_proses_massal
    try:
        yield langkah
    finally:
        massal.jalankan_massal, massal.mulai_proses_massal = asli


def test_generator_sama_dengan_jalur_tunggal_mesin():
    """What the generator leaves through the engine's bulk paths (a village's session, a batch)
    is what the same events leave when every record goes through the engine's single path, one
    click at a time: proposals, batches, step log, clocks, warnings, breaches and the summary
    rows. Notifications differ by design (one per batch, or a queued one per record)."""
    from data_bpum import bangun

    kosongkan()
    sejak = timezone.now()
    massal_ = bangun(150, cepat=False, **SKENARIO)
    a = potret(sejak)
    kosongkan()
    with satu_per_satu() as langkah:
        tunggal = bangun(150, cepat=False, **SKENARIO)
    b = potret(sejak)
    assert langkah["mulai_proses"] == 150 and langkah["jalankan"] > 4 * 150
    assert massal_["status"] == tunggal["status"]
    assert {"diterima", "ditolak", "diteruskan", "lengkap"} <= set(massal_["status"])
    assert a["sop_jejak"] and a["sop_pelanggaran"]
    for t in a:
        if t != "sop_notifikasi":
            assert a[t] == b[t], t
