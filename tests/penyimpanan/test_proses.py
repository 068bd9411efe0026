"""State that must not live in one process: files only through the storage API, and the per-process
schedule cache never leaves a wrong due time behind."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models

from sop import engine, jadwal, services
from sop.models import HariLibur, Sop, Unit
from sop.signals import hitung_ulang_tenggat_task, jadwalkan_hitung_ulang

WIB = ZoneInfo("Asia/Jakarta")
ROOT = Path(settings.BASE_DIR)


def _field_berkas():
    return [
        f
        for m in apps.get_models()
        for f in m._meta.get_fields()
        if isinstance(f, models.FileField) and not f.auto_created
    ]


def _sumber_aplikasi():
    """The portal's own Python sources (apps in this repository), without migrations."""
    for cfg in apps.get_app_configs():
        p = Path(cfg.path)
        if ROOT not in p.parents or "site-packages" in p.parts:
            continue
        for f in p.rglob("*.py"):
            if "migrations" not in f.parts:
                yield f


def test_setiap_filefield_di_penyimpanan_bawaan():
    """A field with its own storage (FileSystemStorage(location=...)) would stay on one host."""
    fields = _field_berkas()
    assert len(fields) >= 8  # BPUM documents, imports, exports, runner files, staged uploads
    for f in fields:
        assert f.storage is default_storage, f"{f.model.__name__}.{f.name}"


def test_kode_tidak_memakai_jalur_lokal_berkas():
    """Stored files are read through ``FieldFile.open``: no ``.path`` or ``.url`` of a file field
    (there is no local path on a bucket, and no public URL at all), no MEDIA_ROOT and no
    FileSystemStorage in application code."""
    nama = sorted({f.name for f in _field_berkas()})
    pola = re.compile(
        rf"\.(?:{'|'.join(nama)})\.(?:path|url)\b"
        r"|settings\.MEDIA_ROOT|FileSystemStorage\(|storage\.path\("
    )
    temuan = [
        f"{f.relative_to(ROOT)}:{i}: {baris.strip()}"
        for f in _sumber_aplikasi()
        for i, baris in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if pola.search(baris)
    ]
    assert temuan == []


# --------------------------------------------------------------------------- schedule cache
def _jalan_dengan_jam(pengguna):
    """A JaTim 5.4.6 request whose open step ("30 Menit") started Thursday 15:05."""
    p = services.permohonan_mulai(
        user=pengguna("jatim.kabid"),
        sop=Sop.objects.berlaku().get(kode="JATIM-5.4.6"),
        unit=Unit.objects.get(kode="dinas-koperasi-ukm-prov-jatim"),
        judul="Uji cache jadwal",
        now=dt.datetime(2026, 11, 26, 15, 0, tzinfo=WIB),
    )
    p = engine.jalankan(
        p.selesaikan, user=pengguna("jatim.kabid"), now=dt.datetime(2026, 11, 26, 15, 5, tzinfo=WIB)
    )
    jam = engine.jam_terbuka(p)
    assert jam.tenggat == dt.datetime(2026, 11, 26, 15, 35, tzinfo=WIB)
    return jam


@pytest.mark.django_db
def test_worker_tidak_memakai_jadwal_basi(pengguna):
    """The worker is another process: the holiday was saved elsewhere, so its cached schedule
    still lacks it. The recomputation must not write the old due time again."""
    jam = _jalan_dengan_jam(pengguna)
    kalender_id = jam.unit.kalender_id
    jadwal.jadwal_unit(jam.unit)  # this process (the "worker") has the schedule cached
    # saved by another process: no signal here, this process's cache is not told
    HariLibur.objects.bulk_create(
        [HariLibur(tanggal=dt.date(2026, 11, 26), nama="Libur daerah uji", jenis="libur_daerah")]
    )
    hitung_ulang_tenggat_task.call(kalender_id)
    jam.refresh_from_db()
    assert jam.tenggat == dt.datetime(2026, 11, 27, 8, 0, tzinfo=WIB)  # Friday 07:30 + 30 menit


@pytest.mark.django_db
def test_hitung_ulang_sekali_lagi_setelah_ttl(settings):
    """On a worker backend that can defer, a calendar edit recomputes now and again after every
    process's cache expired (clocks another host started with its old copy are corrected)."""
    from django.utils import timezone

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend = hitung_ulang_tenggat_task.get_backend()
    backend.clear()
    sebelum = timezone.now()
    jadwalkan_hitung_ulang(7)
    hasil = sorted(backend.results, key=lambda r: r.task.run_after or sebelum)
    assert [r.args for r in hasil] == [[7], [7]]
    assert hasil[0].task.run_after is None
    assert hasil[1].task.run_after >= sebelum + dt.timedelta(seconds=jadwal.TTL)


@pytest.mark.django_db
def test_tanpa_penundaan_sekali_saja(settings):
    """The immediate backend (development, tests) runs the recomputation once, at once."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert not hitung_ulang_tenggat_task.get_backend().supports_defer
    jadwalkan_hitung_ulang(None)  # must not raise InvalidTask for run_after


def test_pool_transaksi_tanpa_kursor_server():
    """Behind PgBouncer (transaction mode) no cursor may outlive a transaction."""
    import importlib
    import os
    from unittest import mock

    import config.settings as cs

    try:
        with mock.patch.dict(os.environ, {"DATABASE_TRANSACTION_POOLING": "1"}):
            db = importlib.reload(cs).DATABASES["default"]
            assert db["DISABLE_SERVER_SIDE_CURSORS"] is True and db["CONN_MAX_AGE"] == 0
        with mock.patch.dict(os.environ, {"DATABASE_TRANSACTION_POOLING": "0"}):
            assert not importlib.reload(cs).DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS")
    finally:
        importlib.reload(cs)


@pytest.mark.django_db
def test_kantor_baru_di_host_lain_langsung_dipakai():
    """The per-process office cache (bpum) never remembers "no office": an office created by
    another process (no signal here) times the next step at once, instead of the clock being
    filed under the village office for a minute (a wrong office that would stay on the clock)."""
    from bpum.models import _kantor_wilayah
    from sop.models import Unit, Wilayah

    kec = Wilayah.objects.filter(tingkat=Wilayah.Tingkat.KECAMATAN).exclude(
        pk__in=Unit.objects.filter(jenis=Unit.Jenis.KECAMATAN).values("wilayah_id")
    )[0]
    assert _kantor_wilayah(kec.pk, Unit.Jenis.KECAMATAN) is None
    Unit.objects.bulk_create(
        [Unit(kode="kantor-camat-uji", nama="Kantor Camat Uji", jenis="kecamatan", wilayah=kec)]
    )
    assert _kantor_wilayah(kec.pk, Unit.Jenis.KECAMATAN).kode == "kantor-camat-uji"
