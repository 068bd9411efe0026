"""Every URL name, walked as an anonymous user: redirected to login unless explicitly public."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIK = {"login", "sehat", "favicon"}
# Public pages of later modules register here (name -> expected status for an anonymous GET).
PUBLIK_PREFIX = ("bpum:publik", "perizinan:publik", "publik:")


def _semua(resolver=None, ns=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            sub = f"{ns}{p.namespace}:" if p.namespace else ns
            if p.app_name == "admin":
                continue
            yield from _semua(p, sub)
        elif isinstance(p, URLPattern) and p.name:
            yield ns + p.name, p


def _url(nama, pattern):
    kwargs = {}
    for k, conv in pattern.pattern.converters.items():
        kwargs[k] = 1 if conv.__class__.__name__ == "IntConverter" else "x"
    for k in re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern)):
        kwargs.setdefault(k, "x")
    return reverse(nama, kwargs=kwargs or None)


NAMA = sorted(dict(_semua()).items())


@pytest.mark.django_db
@pytest.mark.parametrize(("nama", "pattern"), NAMA, ids=[n for n, _ in NAMA])
def test_anonim_diarahkan_ke_login(client, nama, pattern):
    url = _url(nama, pattern)
    resp = client.get(url)
    if nama in PUBLIK or nama.startswith(PUBLIK_PREFIX):
        assert resp.status_code in (200, 301, 302, 400, 404, 405), url
        if resp.status_code in (301, 302):
            assert not resp["Location"].startswith(reverse("login")), url
    else:
        assert resp.status_code == 302, f"{url} -> {resp.status_code}"
        assert resp["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
def test_admin_butuh_login(client):
    resp = client.get("/admin/")
    assert resp.status_code == 302 and "/login" in resp["Location"]


def test_daftar_url_tidak_kosong():
    assert len(NAMA) >= 15
