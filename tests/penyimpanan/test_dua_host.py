"""Two web hosts over one PostgreSQL and one bucket: two gunicorn instances on their own loopback
ports (each with its own, empty MEDIA_ROOT), a task worker process with a third one, and moto's
S3 server. A document staged on one host is completed on the other; an import uploaded on one
is validated by the worker from the bucket, its progress is read on the other, committed there;
every file comes back through the scoped views of whichever host is asked, and no host's disk
holds a file afterwards."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse

from bpum.models import ImporRekap, Usulan
from tests.bpum.conftest import DESA_TK, PDF, PNG, baris_rekap, data_usulan, xlsx_rekap

from .conftest import Bucket, buat_bucket, media_kosong

ROOT = Path(settings.BASE_DIR)
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several hosts share one PostgreSQL (advisory locks, concurrent connections); "
        "SQLite is the single-host embedded default",
    ),
]


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@dataclass
class Host:
    nama: str
    url: str
    media: Path
    proses: subprocess.Popen
    log: Path


def _env(bucket: Bucket, media: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "DJANGO_", "PORTAL_")) and k != "DATABASE_URL"
    }
    env.update(bucket.env())
    env.update(
        {
            "DATABASE_URL": _database_url(),
            "PORTAL_ENV": "development",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "MEDIA_ROOT": str(media),
            "CONN_MAX_AGE": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def _mulai_host(nama: str, bucket: Bucket, tmp: Path) -> Host:
    """Start gunicorn for host ``nama`` (2 workers) on a free loopback port; see ``_siap``."""
    media = tmp / f"media-{nama}"
    media.mkdir()
    log = tmp / f"gunicorn-{nama}.log"
    proses = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            "127.0.0.1:0",  # a free port, read back from the log
            "--workers",
            "2",
            "--preload",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--error-logfile",
            str(log),
        ],
        cwd=ROOT,
        env=_env(bucket, media),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return Host(nama, "", media, proses, log)


def _siap(host: Host, batas_detik: float = 90) -> None:
    """Wait until the host listens; its URL is read from gunicorn's log."""
    batas = time.monotonic() + batas_detik
    teks = ""
    while time.monotonic() < batas:
        teks = host.log.read_text() if host.log.exists() else ""
        m = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", teks)
        if m and "Booting worker" in teks:
            host.url = m.group(1)
            return
        if host.proses.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"gunicorn {host.nama} did not start:\n{teks[-3000:]}")


def _jalankan_worker(bucket: Bucket, tmp: Path) -> str:
    """The task worker on a "third host": runs every queued task, then exits."""
    media = tmp / "media-worker"
    media.mkdir(exist_ok=True)
    r = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "-v",
            "0",
        ],
        cwd=ROOT,
        env=_env(bucket, media),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert media_kosong(media) == []
    return r.stderr


@pytest.fixture
def dua_host(transactional_db, server_s3, tmp_path):
    """Hosts A and B and the bucket they share; stopped before the test database is flushed."""
    bucket = buat_bucket(server_s3, tmp_path / "tidak-dipakai")
    hosts = []
    try:
        hosts = [_mulai_host(nama, bucket, tmp_path) for nama in ("a", "b")]  # side by side
        for h in hosts:
            _siap(h)
        yield bucket, hosts[0], hosts[1], tmp_path
    finally:
        for h in hosts:
            h.proses.terminate()
        for h in hosts:
            try:
                h.proses.wait(timeout=20)
            except subprocess.TimeoutExpired:
                h.proses.kill()
                h.proses.wait()
    for h in hosts:
        assert media_kosong(h.media) == [], f"host {h.nama} wrote under its MEDIA_ROOT"


def _peramban(username: str) -> requests.Session:
    """A browser signed in as ``username``: the session row lives in the shared database, so
    the cookie is honoured by every host (as behind a load balancer)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    s = requests.Session()
    s.cookies.set(settings.SESSION_COOKIE_NAME, c.cookies[settings.SESSION_COOKIE_NAME].value)
    return s


def _csrf(s: requests.Session, host: Host, path: str) -> str:
    r = s.get(host.url + path, timeout=30)
    assert r.status_code == 200, (host.nama, path, r.status_code)
    return s.cookies["csrftoken"]


def test_dua_host_satu_basis_data_satu_bucket(dua_host):
    """One pair of hosts for both journeys: starting gunicorn and reloading the base data after
    the flush are the slow parts."""
    bucket, a, b, tmp = dua_host
    _dokumen_lintas_host(bucket, a, b)
    _impor_lintas_host(bucket, a, b, tmp)
    for k in bucket.kunci():
        assert bucket.status_anonim(k) == 403 and bucket.hanya_pemilik(k), k


def _dokumen_lintas_host(bucket: Bucket, a: Host, b: Host) -> None:
    """Staged on A, completed on B, downloaded from both."""
    desa = _peramban("desa.tembilahan-kota")
    data = {**data_usulan(41), "desa": DESA_TK}
    berkas = {
        "berkas_ktp": ("ktp.png", PNG, "image/png"),
        "berkas_kk": ("kk.pdf", PDF, "application/pdf"),
        "berkas_usaha": ("sku.pdf", PDF, "application/pdf"),
        "berkas_foto": ("warung.png", PNG, "image/png"),
    }
    baru = reverse("bpum:usulan_baru")
    # host A: a typo in the NIK; the four files are staged in the bucket
    token = _csrf(desa, a, baru)
    r = desa.post(
        a.url + baru,
        data={**data, "nik": "1", "csrfmiddlewaretoken": token},
        files=berkas,
        timeout=30,
    )
    assert r.status_code == 400
    tanda = dict(re.findall(r'name="(berkas_\w+)__token" value="([^"]+)"', r.text))
    assert len(tanda) == 4 and len(bucket.kunci("sementara/")) == 4
    form_token = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
    # host B: the corrected form, no file sent again; B reads the staged files from the bucket
    r = desa.post(
        b.url + baru,
        data={
            **data,
            "token": form_token,
            "csrfmiddlewaretoken": desa.cookies["csrftoken"],
            **{f"{k}__token": v for k, v in tanda.items()},
        },
        timeout=30,
        allow_redirects=False,
    )
    assert r.status_code == 302, r.text[:2000]
    u = Usulan.objects.get(nik=data["nik"])
    assert bucket.kunci("sementara/") == []
    assert len(bucket.kunci("bpum/dokumen/")) == 4
    # both hosts serve the document, each only inside the officer's scope
    url = reverse("bpum:usulan_dokumen", args=[u.pk, "kk"])
    for host in (a, b):
        r = desa.get(host.url + url, timeout=30)
        assert r.status_code == 200 and r.content == PDF, host.nama
        assert _peramban("kecamatan.reteh").get(host.url + url, timeout=30).status_code == 404


def _impor_lintas_host(bucket: Bucket, a: Host, b: Host, tmp: Path) -> None:
    """Uploaded on A, validated by the worker from the bucket, progress and commit on B, the
    result read on A."""
    from bpum import impor as imp
    from bpum.models import Periode

    kec = _peramban("kecamatan.tembilahan")
    # above the in-request limit where there still is one: the work goes to the task worker
    n = getattr(imp, "BATAS_LATAR", 0) + 3
    raw = xlsx_rekap([baris_rekap(5000 + i) for i in range(n)])  # NIKs unused so far
    periode = Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04")
    token = _csrf(kec, a, reverse("bpum:impor_daftar"))
    r = kec.post(
        a.url + reverse("bpum:impor_unggah"),
        data={
            "jenis": "rekap",
            "periode": periode.pk,
            "kecamatan": "14.04.04",
            "csrfmiddlewaretoken": token,
        },
        files={"berkas": ("rekap kecamatan.xlsx", raw)},
        timeout=60,
        allow_redirects=False,
    )
    assert r.status_code == 302, r.text[:2000]
    impor = ImporRekap.objects.get()
    assert impor.status == ImporRekap.Status.MENUNGGU  # queued, nothing validated on host A
    assert bucket.kunci("bpum/impor/") == [impor.berkas.name]
    detail = reverse("bpum:impor_detail", args=[impor.pk])
    # host B shows the queued import and its progress bar, polled by htmx
    poll = kec.get(b.url + detail + "?bagian=progres", headers={"HX-Request": "true"}, timeout=30)
    assert poll.status_code == 200 and '<progress id="bar-impor"' in poll.text
    assert 'value="0"' in poll.text
    # the worker (a third process with its own empty disk) validates from the bucket
    _jalankan_worker(bucket, tmp)
    impor.refresh_from_db()
    assert impor.status == ImporRekap.Status.VALID, impor.pesan
    assert impor.total_baris == n and impor.progres == 100
    poll = kec.get(b.url + detail + "?bagian=progres", headers={"HX-Request": "true"}, timeout=30)
    assert poll.headers.get("HX-Refresh") == "true"  # finished: the page reloads
    halaman = kec.get(b.url + detail, timeout=30).text
    assert 'data-testid="simpan-impor"' in halaman
    # committed from host B; the result is read on host A
    r = kec.post(
        b.url + reverse("bpum:impor_terapkan", args=[impor.pk]),
        data={"csrfmiddlewaretoken": kec.cookies["csrftoken"]},
        timeout=120,
        allow_redirects=False,
    )
    assert r.status_code == 302
    _jalankan_worker(bucket, tmp)  # when the commit was queued (large files, background)
    impor.refresh_from_db()
    assert impor.status == ImporRekap.Status.SELESAI and impor.jumlah_dibuat == n
    assert Usulan.objects.filter(periode=periode, kecamatan_id="14.04.04").count() >= n
    halaman = kec.get(a.url + detail, timeout=30).text
    assert 'data-testid="simpan-impor"' not in halaman and f">{n}<" in halaman
