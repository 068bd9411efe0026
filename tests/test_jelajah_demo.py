"""A walk through the demo as each role would take it: ``setup_portal --demo`` with its living
records (BPUM round, loans, licensing requests), then every same-site link each demo officer's
pages offer, followed from the home page (breadth first, one visit per view and set of query
keys). A link a role is shown must open: no 403 (the menu offered something the role may not
use), no 404 (a dead link), no 500, and no template text left unrendered."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PERAN = [
    "desa.tembilahan-kota",
    "kecamatan.tembilahan",
    "dinas.inhil",
    "kadis.inhil",
    "provinsi.riau",
    "petugas.riau",
    "upt.pacitan",
    "kaupt.pacitan",
    "kadis.pacitan",
    "staf.pacitan",
    "fo.pelalawan",
    "bo.pelalawan",
]
MAKS_HALAMAN = 70  # per role: every view of the role's menu and one level of what it links to
LEWATI = ("/keluar/", "/admin/", "/static/", "/media/", "/i18n/")


class _Tautan(HTMLParser):
    def __init__(self):
        super().__init__()
        self.href: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.href.append(href)


def _kunci(url: str) -> tuple:
    """One visit per view: ids and dates in the path are alike, query values too."""
    u = urlsplit(url)
    return re.sub(r"\d+", "N", u.path), tuple(sorted({k for k, _v in parse_qsl(u.query)}))


def _tautan(html: str, dari: str) -> list[str]:
    p = _Tautan()
    p.feed(html)
    hasil = []
    for href in p.href:
        u = urlsplit(href)
        if u.scheme or u.netloc or href.startswith(("#", "mailto:", "tel:")):
            continue
        path = u.path if u.path.startswith("/") else urlsplit(dari).path.rsplit("/", 1)[0] + "/"
        if not u.path.startswith("/"):
            path += u.path
        if path.startswith(LEWATI):
            continue
        hasil.append(path + ("?" + urlencode(parse_qsl(u.query)) if u.query else ""))
    return hasil


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BPUM_DEMO_USULAN = True
    settings.DEMO_PROSES = True
    call_command("setup_portal", "--demo", verbosity=0)


@pytest.mark.parametrize("username", PERAN)
def test_setiap_tautan_peran_terbuka(demo, client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    antre = deque(["/"])
    dilihat: set = set()
    rusak: list[str] = []
    dibuka = 0
    while antre and dibuka < MAKS_HALAMAN:
        url = antre.popleft()
        k = _kunci(url)
        if k in dilihat:
            continue
        dilihat.add(k)
        r = client.get(url)
        dibuka += 1
        if r.status_code >= 400:
            rusak.append(f"{url}: {r.status_code}")
            continue
        if r.status_code >= 300 or "text/html" not in r.get("Content-Type", ""):
            continue
        html = r.content.decode()
        if "{{" in html or "{%" in html:
            rusak.append(f"{url}: template text left unrendered")
        antre.extend(t for t in _tautan(html, url) if _kunci(t) not in dilihat)
    assert not rusak, f"{username}: " + "; ".join(rusak)
    assert dibuka >= 8, f"{username} reached only {dibuka} pages"
