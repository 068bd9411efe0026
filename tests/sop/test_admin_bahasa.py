"""No English left in the (Indonesian) admin.

Every admin page an administrator reaches is fetched; its visible text (text nodes, titles,
labels, placeholders, button values) is compared with the English source strings of Django,
django-import-export, django-axes, django-tasks-db and this project. A string shown exactly as
its English msgid although it has no Indonesian translation is a leftover.
"""

import contextlib
import html
import re
from pathlib import Path

import axes
import django
import import_export
import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

KATALOG = [
    Path(django.__file__).parent / "contrib/admin/locale/de/LC_MESSAGES/django.po",
    Path(django.__file__).parent / "contrib/auth/locale/de/LC_MESSAGES/django.po",
    Path(django.__file__).parent / "conf/locale/de/LC_MESSAGES/django.po",
    Path(import_export.__file__).parent / "locale/de/LC_MESSAGES/django.po",
    Path(axes.__file__).parent / "locale/de/LC_MESSAGES/django.po",
]  # the project's own msgids are all translated (tests/test_i18n.py)
# Spelled the same in Bahasa Indonesia (or names): not leftovers.
SAMA = {"Status", "Filter", "Email", "PDF", "Admin", "Username", "Format", "SOP", "BPUM", "Ya",
        "Tidak", "Django", "URL", "ID", "IP", "NIP", "NIK", "Data", "Total", "Online", "Offline",
        "hash", "salt", "algorithm"}  # fmt: skip


def _msgid(path: Path) -> set[str]:
    teks = path.read_text(encoding="utf-8")
    hasil = set()
    for m in re.finditer(r'^msgid ((?:".*"\n)+)', teks, re.M):
        s = "".join(re.findall(r'"(.*)"', m[1])).replace('\\"', '"').replace("\\n", "\n")
        if s:
            hasil.add(s)
    return hasil


def _sumber_tugas() -> set[str]:
    import django_tasks_db

    hasil = set()
    for f in Path(django_tasks_db.__file__).parent.glob("*.py"):
        hasil |= set(re.findall(r'_\("([^"]+)"\)', f.read_text(encoding="utf-8")))
    return hasil


@pytest.fixture(scope="module")
def pola_inggris():
    """Regexes of every English msgid that has no Indonesian translation in effect."""
    semua = set().union(*(_msgid(p) for p in KATALOG if p.exists())) | _sumber_tugas()
    pola = []
    with translation.override("id"):
        for m in semua:
            if m in SAMA or len(m) < 4 or not re.search(r"[A-Za-z]{3}", m):
                continue
            if translation.gettext(m) != m:
                continue
            bagian = re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", m)
            pola.append(re.compile(r"\s*".join(re.escape(b.strip()) for b in bagian) + r"$"))
    return pola


def _teks_terlihat(isi: str) -> list[str]:
    isi = re.sub(r"<(script|style|svg|template)\b.*?</\1>", " ", isi, flags=re.S | re.I)
    isi = re.sub(r"<option[^>]*>[^<]*</option>", " ", isi)  # data (role names, steps)
    atribut = re.findall(r'\s(?:title|placeholder|aria-label|alt|value)="([^"]*)"', isi)
    atribut = [a for a in atribut if not re.search(r"[\d_./:-]", a)]  # words, not codes
    teks = re.sub(r"<[^>]+>", "\n", isi).split("\n")
    return [s for s in (html.unescape(x).strip().rstrip(":") for x in [*teks, *atribut]) if s]


def _halaman():
    urls = ["/admin/", "/admin/password_change/"]
    for model, ma in admin.site._registry.items():
        o = model._meta
        for nama in ("changelist", "add", "import", "export"):
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"admin:{o.app_label}_{o.model_name}_{nama}"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"admin:{o.app_label}_{o.model_name}_change", args=[obj.pk]))
            urls.append(reverse(f"admin:{o.app_label}_{o.model_name}_history", args=[obj.pk]))
    return urls


def test_tidak_ada_sisa_bahasa_inggris(masuk, pola_inggris):
    from sop.models import Sop
    from sop.revisi import sop_buat_revisi

    client = masuk("admin")
    draf, _baru = sop_buat_revisi(sop=Sop.objects.berlaku().get(kode="PACITAN-14"), user=None)
    urls = [*_halaman(), reverse("admin:sop_sop_change", args=[draf.pk])]
    sisa: dict[str, set[str]] = {}
    for url in urls:
        r = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
        if r.status_code != 200:
            assert r.status_code in (302, 403), (url, r.status_code)
            continue
        for s in _teks_terlihat(r.content.decode()):
            if any(p.match(s) for p in pola_inggris):
                sisa.setdefault(s, set()).add(url)
    assert not sisa, "English left in the admin:\n" + "\n".join(
        f"  {s!r} on {sorted(u)[:3]}" for s, u in sorted(sisa.items())
    )


def test_catatan_zona_waktu_diterjemahkan(client, masuk):
    """The admin's JavaScript time-zone note (a djangojs string) has an Indonesian text."""
    r = masuk("admin").get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="id")
    js = r.content.decode()
    assert "Catatan: Masukkan waktu dalam zona waktu" in js
