"""Shared machinery of the realistic data generators (``bench/data_<module>.py``).

A generator describes what officers do over a stretch of working days as *events* on a
``Linimasa`` (timeline): "at 09:42 on day 12 the village office of Sungaiperak marks these 37
files complete". The timeline runs them in time order, each in its own transaction, through the
module's services and the engine's bulk paths (``sop.massal``), and runs the SLA sweep
(``sop.sla.sapu``) at the end of every working day, so warnings, breaches, their notifications
and the step log are what the engine really leaves behind. A module adds its own events (BPUM
proposals and batches today; loans and licensing requests later) on the same timeline.

``jalur_cepat()`` is the one shortcut, for PostgreSQL only and documented here because it replaces
a generic write helper the engine uses, never the engine's logic:

* ``sop.massal.sisip_massal`` (``executemany``: one INSERT per row) -> ``COPY ... FROM STDIN``
  (the same rows, in the same order);
* ``sop.jam.menit_kerja_antara`` remembered per (start, end, calendar): a pure function that a
  batch calls with the same arguments for every record that started and ends together.

(The engine's bulk UPDATE, ``sop.massal.perbarui_massal``, is already one statement per batch and
its SOP revisions are shared by the process (``sop_siap``): both are used as they are.)

Both give exactly what the originals give. While the data is built the shortcut also sets
aside what only slows a bulk load down and is rebuilt afterwards from the finished tables: the
secondary indexes nothing reads during the build (``INDEKS_DIPAKAI`` lists those kept) are
dropped and created again at the end, and the summary triggers (ADR 0019) are disabled and their
tables summed up again at the end with the migrations' own backfill statements.

The shortcut's results are those of the originals; ``tests/test_skala_data.py`` builds the same
small data set with and without the shortcut and compares every generated row.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# --------------------------------------------------------------------------- timeline


@dataclass(order=True)
class _Acara:
    waktu: datetime
    urut: int
    fungsi: Callable[[datetime], None] = field(compare=False)
    nama: str = field(compare=False, default="")


class Linimasa:
    """Events in time order. ``jadwalkan(t, fn)`` queues ``fn(t)``; ``jalankan(sampai)`` runs
    every event up to ``sampai`` (events may queue later ones), each in its own transaction, and
    the SLA sweep at each of ``sapuan``. Events after ``sampai`` are dropped: the data set ends
    there, with whatever is still in progress."""

    def __init__(self):
        self._antrean: list[_Acara] = []
        self._urut = itertools.count()
        self.waktu_per_jenis: dict[str, float] = {}
        self.jumlah_per_jenis: dict[str, int] = {}

    def jadwalkan(self, waktu: datetime, fungsi: Callable[[datetime], None], nama: str = ""):
        heapq.heappush(self._antrean, _Acara(waktu, next(self._urut), fungsi, nama))

    def jalankan(self, sampai: datetime, *, sapuan: list[datetime], lapor=None) -> int:
        from django.db import transaction

        from sop.sla import sapu

        for t in sapuan:
            # the engine's sweep only: other modules' domain sweeps (dana bergulir's arrears on the
            # demo loans) would write step-log rows the generated data does not own
            self.jadwalkan(t, lambda now: sapu(now=now, domain=False), "sapu_sla")
        n = 0
        mulai = time.perf_counter()
        terakhir = mulai
        while self._antrean and self._antrean[0].waktu <= sampai:
            a = heapq.heappop(self._antrean)
            t0 = time.perf_counter()
            with transaction.atomic():
                a.fungsi(a.waktu)
            dt = time.perf_counter() - t0
            self.waktu_per_jenis[a.nama] = self.waktu_per_jenis.get(a.nama, 0.0) + dt
            self.jumlah_per_jenis[a.nama] = self.jumlah_per_jenis.get(a.nama, 0) + 1
            n += 1
            if lapor and time.perf_counter() - terakhir > 30:
                terakhir = time.perf_counter()
                lapor(f"  {a.waktu:%Y-%m-%d %H:%M}  {n:,} events  {terakhir - mulai:.0f} s")
        self._antrean.clear()
        return n


def hari_kerja(jadwal, sampai: date, jumlah: int) -> list[date]:
    """The last ``jumlah`` working days of ``jadwal`` up to and including ``sampai``."""
    from sop.tenggat import hari_kerja as kerja

    hasil: list[date] = []
    d = sampai
    while len(hasil) < jumlah:
        if kerja(jadwal, d):
            hasil.append(d)
        d -= timedelta(days=1)
    return hasil[::-1]


def pada(jadwal, hari: date, menit: int) -> datetime:
    """``hari`` at ``menit`` minutes after midnight, local time of ``jadwal``."""
    return datetime(hari.year, hari.month, hari.day, tzinfo=jadwal.tz) + timedelta(minutes=menit)


# Working minutes of a default office day a generated action may happen in (07:45-11:45 and
# 13:00-15:45): inside office hours on every weekday, Friday's longer break included.
MENIT_KERJA = [*range(7 * 60 + 45, 11 * 60 + 45), *range(13 * 60, 15 * 60 + 45)]


# --------------------------------------------------------------------------- officers


def buat_petugas(daftar: list[tuple[str, str, int, list[str]]]) -> dict[str, int]:
    """Users with one active assignment each: (username, full name, unit id, role codes).
    Existing usernames are kept. Returns username -> user id. A handful of queries for any
    number of users (one hashed password shared, as ``setup_portal --demo`` does)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from sop.models import Pelaksana, Penugasan

    User = get_user_model()
    ada = dict(
        User.objects.filter(username__in=[d[0] for d in daftar]).values_list("username", "pk")
    )
    sandi = make_password("bench-portal-2026")
    User.objects.bulk_create(
        [
            User(username=u, first_name=nama, password=sandi)
            for u, nama, _unit, _p in daftar
            if u not in ada
        ],
        batch_size=1000,
    )
    ids = dict(
        User.objects.filter(username__in=[d[0] for d in daftar]).values_list("username", "pk")
    )
    sudah = set(
        Penugasan.objects.filter(user_id__in=ids.values()).values_list("user_id", "unit_id")
    )
    peran = dict(Pelaksana.objects.values_list("kode", "pk"))
    baru = [
        Penugasan(user_id=ids[u], unit_id=unit)
        for u, _n, unit, _p in daftar
        if (ids[u], unit) not in sudah
    ]
    Penugasan.objects.bulk_create(baru, batch_size=1000)
    per_user = {d[0]: d[3] for d in daftar}
    Antara = Penugasan.peran.through
    Antara.objects.bulk_create(
        [
            Antara(penugasan_id=p.pk, pelaksana_id=peran[k])
            for p in Penugasan.objects.filter(pk__in=[b.pk for b in baru]).select_related("user")
            for k in per_user[p.user.username]
        ],
        batch_size=1000,
    )
    return ids


# --------------------------------------------------------------------------- fast path


def _sisip_copy(model, baris, *, batch: int = 2000) -> int:
    """``sop.massal.sisip_massal`` through ``COPY ... FROM STDIN``: the same rows, same order,
    same defaults and value preparation."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    kunci = [f.attname for f in fields]
    bawaan = [f.get_default() for f in fields]
    perlu = {"DateTimeField", "DateField", "TimeField", "JSONField", "DecimalField", "UUIDField"}
    siap = [f if f.get_internal_type() in perlu else None for f in fields]
    sql = "COPY {} ({}) FROM STDIN".format(  # noqa: S608 - names from the model metadata
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    )
    # Materialise first: building a row may query (e.g. a clock's office), and the connection
    # is busy while COPY is open.
    baris = list(baris)
    n = 0
    with connection.cursor() as c, c.cursor.copy(sql) as cp:
        for d in baris:
            cp.write_row(
                [
                    _siapkan(f, d.get(k, b)) if f is not None else d.get(k, b)
                    for k, b, f in zip(kunci, bawaan, siap, strict=True)
                ]
            )
            n += 1
    return n


def _siapkan(field, v):
    return None if v is None else field.get_db_prep_save(v, connection=_koneksi())


def _koneksi():
    from django.db import connection

    return connection


# Indexes the build itself reads (services, engine, sweep); every other secondary index of these
# tables is dropped for the build and created again afterwards.
INDEKS_DIPAKAI = {
    "bpum_usulan": (
        "(periode_id, nik)",
        "(kecamatan_id, status)",
        "(periode_id, status, dibuat",
        "(rekap_kecamatan_id)",
        "(rekap_kabupaten_id)",
        "(duplikat)",
    ),
    "sop_jejak": (),
    "sop_langkahberjalan": ("(content_type_id, object_id)", "lb_terbuka_"),
}
PEMICU_RINGKASAN = {
    "sop_jejak": ("sop_jejak_ringkas_kepatuhan", "sop_jejak_ringkas_langkah_usulan"),
    "bpum_usulan": (
        "bpum_usulan_ringkas_tambah",
        "bpum_usulan_ringkas_ubah",
        "bpum_usulan_ringkas_hapus",
    ),
    "sop_langkahberjalan": (
        "sop_langkahberjalan_ringkas_tambah",
        "sop_langkahberjalan_ringkas_ubah",
        "sop_langkahberjalan_ringkas_hapus",
    ),
}


def _sisihkan_indeks(c) -> list[str]:
    """Drop the secondary indexes the build does not read; return their definitions."""
    simpan = []
    for tabel, pakai in INDEKS_DIPAKAI.items():
        c.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint k WHERE k.conindid = (quote_ident(i.indexname))::regclass)",
            [tabel],
        )
        for nama, definisi in c.fetchall():
            if any(p in definisi or nama.startswith(p) for p in pakai):
                continue
            simpan.append(definisi)
            c.execute(f"DROP INDEX {nama}")
    return simpan


def _ringkasan_ulang(c) -> None:
    """Sum the summary tables up again from their sources (the migrations' backfill)."""
    import importlib

    sop_m = importlib.import_module("sop.migrations.0012_skala_ringkas_kepatuhan")
    bpum_m = importlib.import_module("bpum.migrations.0007_skala_ringkasan")
    jam_m = importlib.import_module("sop.migrations.0014_skala_ringkas_jam")
    rekap_m = importlib.import_module("bpum.migrations.0009_skala_ringkas_rekap")
    c.execute(
        "TRUNCATE sop_ringkaskepatuhan, sop_ringkasjam, bpum_ringkasusulan, "
        "bpum_ringkaslangkahusulan, bpum_ringkasrekap"
    )
    c.execute(jam_m.ISI_AWAL)
    c.execute(rekap_m.ISI_AWAL)
    c.execute(
        f"INSERT INTO sop_ringkaskepatuhan ({sop_m.KOLOM}, n) "
        f"{sop_m.PILIH.format(sumber='sop_jejak')}"
    )
    c.execute(
        f"INSERT INTO bpum_ringkasusulan ({bpum_m.K_USULAN}, n) SELECT {bpum_m.K_USULAN}, "
        f"count(*) FROM bpum_usulan GROUP BY {bpum_m.K_USULAN}"
    )
    c.execute(
        f"INSERT INTO bpum_ringkaslangkahusulan ({bpum_m.K_LANGKAH}, n) "
        f"{bpum_m.PILIH_LANGKAH.format(sumber='sop_jejak')}"
    )


@contextlib.contextmanager
def jalur_cepat(aktif: bool = True) -> Iterator[bool]:
    """Swap the engine's row-by-row INSERT for COPY and remember working-minute arithmetic
    (PostgreSQL only; see the module docstring). Yields whether the shortcut is on."""
    from django.db import connection

    from sop import jam, massal

    if not aktif or connection.vendor != "postgresql":
        yield False
        return
    asli_sisip, asli_menit = massal.sisip_massal, jam.menit_kerja_antara
    ingat: dict = {}
    jadwal_dipakai: dict = {}  # keeps each calendar alive, so its id() is never reused

    def menit_ingat(a, b, jadwal):
        jadwal_dipakai.setdefault(id(jadwal), jadwal)
        k = (a, b, id(jadwal))
        try:
            return ingat[k]
        except KeyError:
            if len(ingat) > 500_000:
                ingat.clear()
            hasil = ingat[k] = asli_menit(a, b, jadwal)
            return hasil

    massal.sisip_massal = _sisip_copy
    jam.menit_kerja_antara = menit_ingat
    with connection.cursor() as c:
        indeks = _sisihkan_indeks(c)
        for tabel, pemicu in PEMICU_RINGKASAN.items():
            for p in pemicu:
                c.execute(f"ALTER TABLE {tabel} DISABLE TRIGGER {p}")
    try:
        yield True
    finally:
        massal.sisip_massal = asli_sisip
        jam.menit_kerja_antara = asli_menit
        with connection.cursor() as c:
            c.execute("SET maintenance_work_mem = '256MB'")
            for definisi in indeks:
                c.execute(definisi)
            for tabel, pemicu in PEMICU_RINGKASAN.items():
                for p in pemicu:
                    c.execute(f"ALTER TABLE {tabel} ENABLE TRIGGER {p}")
            _ringkasan_ulang(c)
            c.execute("RESET maintenance_work_mem")


# --------------------------------------------------------------------------- reporting

TABEL_HITUNG = (
    "bpum_usulan",
    "bpum_rekap",
    "sop_jejak",
    "sop_langkahberjalan",
    "sop_peringatan",
    "sop_pelanggaran",
    "sop_notifikasi",
    "bpum_duplikatkeputusan",
)


def hitung_baris(tabel=TABEL_HITUNG) -> dict[str, int]:
    from django.db import connection

    hasil = {}
    with connection.cursor() as c:
        for t in tabel:
            c.execute(f"SELECT count(*) FROM {connection.ops.quote_name(t)}")  # noqa: S608
            hasil[t] = c.fetchone()[0]
    return hasil


def analisa() -> None:
    """VACUUM ANALYZE (PostgreSQL) / ANALYZE (SQLite): fresh statistics for the planner."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
