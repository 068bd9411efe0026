"""Sign-in hardening: lockouts keyed on the client's address behind a trusted proxy (not the
proxy's), per username + address, a per-address limit across usernames; sessions that expire
after a working day without activity and slide while the officer works; PORTAL_ENV checked."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from sop.klien import alamat_klien
from sop.middleware import KUNCI

pytestmark = pytest.mark.django_db
SANDI = "demo-portal-2026"
PROXY = "127.0.0.1"  # nginx on the same host: REMOTE_ADDR of every request


@pytest.fixture
def proksi(settings):
    settings.PORTAL_PROXY_TEPERCAYA = 1
    settings.AXES_ENABLED = True
    return settings


def masuk_dari(client, alamat, username, sandi, *, palsu=""):
    """A login POST as nginx forwards it: the client's address appended to X-Forwarded-For."""
    xff = f"{palsu}, {alamat}" if palsu else alamat
    return client.post(
        reverse("login"),
        {"username": username, "password": sandi},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=xff,
    )


def test_alamat_klien_dari_proxy_tepercaya(rf, settings):
    settings.PORTAL_PROXY_TEPERCAYA = 1
    r = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert alamat_klien(r) == "203.0.113.5"  # the forged left part is ignored
    settings.PORTAL_PROXY_TEPERCAYA = 2
    r = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.2")
    assert alamat_klien(r) == "203.0.113.5"
    settings.PORTAL_PROXY_TEPERCAYA = 0
    assert alamat_klien(r) == PROXY
    settings.PORTAL_PROXY_TEPERCAYA = 1
    assert alamat_klien(rf.get("/", REMOTE_ADDR="198.51.100.7")) == "198.51.100.7"


def test_kunci_per_pengguna_dan_alamat_di_balik_proxy(client, proksi):
    """Five wrong passwords from one client lock that user from that client only: the officer
    still signs in from the office, although nginx forwards both from 127.0.0.1."""
    user = "desa.tembilahan-kota"
    for _ in range(proksi.AXES_FAILURE_LIMIT):
        masuk_dari(client, "203.0.113.66", user, "salah")
    assert masuk_dari(client, "203.0.113.66", user, SANDI).status_code == 429
    # a forged X-Forwarded-For does not help the attacker either
    assert masuk_dari(client, "203.0.113.66", user, SANDI, palsu="198.51.100.1").status_code == 429
    resp = masuk_dari(client, "198.51.100.10", user, SANDI)
    assert resp.status_code == 302 and resp["Location"] == "/"


def test_batas_per_alamat_lintas_pengguna(client, proksi):
    """24 failures over 6 usernames (4 each, under the per-user limit) from one address lock
    the address; another address is not affected."""
    proksi.PORTAL_BATAS_GAGAL_ALAMAT = 20
    nama = [
        "desa.tembilahan-kota",
        "desa.sungaiperak",
        "desa.pulaukijang",
        "kecamatan.tembilahan",
        "kecamatan.reteh",
        "dinas.inhil",
    ]
    kode = []
    for u in nama:
        for _ in range(4):
            kode.append(masuk_dari(client, "203.0.113.77", u, "salah").status_code)
    assert 429 in kode  # locked once the address reached its limit
    assert kode.index(429) == proksi.PORTAL_BATAS_GAGAL_ALAMAT - 1
    assert masuk_dari(client, "203.0.113.77", "kadis.inhil", SANDI).status_code == 429
    resp = masuk_dari(client, "198.51.100.20", "kadis.inhil", SANDI)
    assert resp.status_code == 302


def test_masuk_sukses_tidak_menghapus_hitungan_alamat(client, proksi):
    """Signing in to one's own account resets only that account's failures, not the
    address's count of failures on other accounts."""
    proksi.PORTAL_BATAS_GAGAL_ALAMAT = 10
    for u in ("desa.sungaiperak", "desa.pulaukijang", "kecamatan.reteh"):
        for _ in range(3):
            masuk_dari(client, "203.0.113.88", u, "salah")
    assert masuk_dari(client, "203.0.113.88", "dinas.inhil", SANDI).status_code == 302
    client.logout()
    assert masuk_dari(client, "203.0.113.88", "kadis.inhil", "salah").status_code == 429


# --------------------------------------------------------------------------- sessions
def test_sesi_satu_hari_kerja_dan_bergeser(client, settings):
    assert 8 * 3600 <= settings.SESSION_COOKIE_AGE <= 2 * 24 * 3600
    resp = client.post(reverse("login"), {"username": "desa.tembilahan-kota", "password": SANDI})
    assert resp.status_code == 302
    kunci = client.session.session_key
    awal = Session.objects.get(session_key=kunci).expire_date
    assert isinstance(client.session[KUNCI], int)
    # within the refresh interval: no write at all (same expiry to the microsecond)
    assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=kunci).expire_date == awal
    # the last refresh is older than the interval: the next request moves the expiry
    s = client.session
    s[KUNCI] = int(time.time()) - settings.PORTAL_SESI_SEGARKAN - 1
    s.save()
    sebelum = Session.objects.get(session_key=kunci).expire_date
    time.sleep(0.01)
    assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=kunci).expire_date > sebelum


def test_sesi_tamu_tidak_ditulis(client):
    client.get(reverse("login"))
    assert not Session.objects.exists()


# --------------------------------------------------------------------------- PORTAL_ENV
def _impor_settings(**env):
    root = Path(__file__).resolve().parent.parent
    e = {k: v for k, v in os.environ.items() if k not in ("PORTAL_ENV", "SECRET_KEY")}
    e.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=root,
        env=e,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("nilai", ["Production", "PRODUCTION", "prod", " production", ""])
def test_portal_env_tak_dikenal_menolak_mulai(nilai):
    r = _impor_settings(PORTAL_ENV=nilai, SECRET_KEY="x" * 50)
    assert r.returncode != 0
    assert "ImproperlyConfigured" in r.stderr and "PORTAL_ENV" in r.stderr
    assert "development, production" in r.stderr


@pytest.mark.parametrize("nilai", ["production", "development"])
def test_portal_env_dikenal(nilai):
    r = _impor_settings(PORTAL_ENV=nilai, SECRET_KEY="x" * 50)
    assert r.returncode == 0, r.stderr


def test_alamat_klien_bukan_ip_diabaikan(rf, settings):
    settings.PORTAL_PROXY_TEPERCAYA = 1
    r = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="bukan-ip")
    assert alamat_klien(r) == PROXY
    r = rf.get("/")
    r.META.pop("REMOTE_ADDR", None)
    assert alamat_klien(r) is None
