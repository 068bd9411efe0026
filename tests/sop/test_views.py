"""Pages: constant query counts, compliance, admin, error pages, login throttling."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sop import engine
from sop.models import Sop
from tests.rekaman import milik

from .test_engine import SENIN, mulai

pytestmark = pytest.mark.django_db


def jumlah_query(client, url):
    with CaptureQueriesContext(connection) as q:
        resp = client.get(url)
    assert resp.status_code == 200, url
    return len(q)


@pytest.mark.parametrize("url_name", ["sop:tugas", "sop:permohonan_daftar", "sop:lewat_tenggat"])
def test_query_daftar_konstan(masuk, pengguna, url_name):
    c = masuk("jatim.kabid")
    mulai(pengguna, now=SENIN - dt.timedelta(days=10))
    from sop.sla import sapu

    sapu(now=SENIN - dt.timedelta(days=1))
    jumlah_query(c, reverse(url_name))  # warm the content-type cache
    sedikit = jumlah_query(c, reverse(url_name))
    for i in range(12):
        mulai(pengguna, judul=f"Permohonan {i}", now=SENIN - dt.timedelta(days=10))
    sapu(now=SENIN)
    banyak = jumlah_query(c, reverse(url_name))
    assert banyak == sedikit, f"{url_name}: {sedikit} queries with 1 row, {banyak} with 13"


def test_kepatuhan_halaman_dan_xlsx(masuk, pengguna):
    p = mulai(pengguna)
    engine.jalankan(
        p.selesaikan, user=pengguna("jatim.kabid"), now=SENIN + dt.timedelta(minutes=20)
    )
    p2 = mulai(pengguna)
    engine.jalankan(
        p2.selesaikan, user=pengguna("jatim.kabid"), now=SENIN + dt.timedelta(minutes=5)
    )
    c = masuk("jatim.kadis")
    resp = c.get(reverse("sop:kepatuhan") + "?per=langkah")
    html = resp.content.decode()
    assert "Persiapan kegiatan diawali" in html, html
    assert "50,0%" in html and 'width="50.0"' in html
    resp = c.get(reverse("sop:kepatuhan_xlsx"))
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    ws = wb.worksheets[0]
    baris = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    assert baris[0][0] == "JATIM-5.4.6" and baris[0][2:5] == (1, 1, 50.0)
    # another region's officer sees nothing of it
    assert "JATIM-5.4.6" not in masuk("dinas.inhil").get(reverse("sop:kepatuhan")).content.decode()


def test_sop_halaman_dan_pdf(masuk):
    c = masuk("desa.tembilahan-kota")
    sop = Sop.objects.berlaku().get(kode="PELALAWAN-A.49")
    assert "PELALAWAN-A.49" in c.get(reverse("sop:daftar") + "?q=IUMK").content.decode()
    assert c.get(reverse("sop:detail", args=[sop.pk])).status_code == 200
    resp = c.get(reverse("sop:pdf", args=[sop.pk]))
    assert resp["Content-Type"] == "application/pdf" and resp.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/sop/sop/",
        "/admin/sop/unit/",
        "/admin/sop/penugasan/",
        "/admin/sop/wilayah/",
        "/admin/auth/user/",
        "/admin/sop/jejak/",
        "/admin/sop/kalender/",
        "/admin/sop/harilibur/",
        "/admin/sop/sop/impor/",
        "/admin/sop/permohonan/",
    ],
)
def test_admin_halaman(masuk, url):
    assert masuk("admin").get(url).status_code == 200


def test_admin_sop_berlaku_hanya_baca_dan_revisi(masuk):
    c = masuk("admin")
    sop = Sop.objects.berlaku().get(kode="JATIM-5.4.6")
    html = c.get(f"/admin/sop/sop/{sop.pk}/change/").content.decode()
    assert 'name="nama"' not in html  # in force: read-only, edit through a new revision
    c.post("/admin/sop/sop/", {"action": "buat_revisi", "_selected_action": [sop.pk]})
    draf = Sop.objects.get(kode="JATIM-5.4.6", revisi=2)
    assert draf.status == "draf" and draf.langkah.count() == 13
    c.post("/admin/sop/sop/", {"action": "berlakukan", "_selected_action": [draf.pk]})
    assert Sop.objects.berlaku().get(kode="JATIM-5.4.6").revisi == 2
    assert Sop.objects.get(pk=sop.pk).status == "arsip"


def test_admin_jejak_tidak_bisa_dihapus(masuk, pengguna):
    p = mulai(pengguna)
    from sop.models import Jejak

    j = Jejak.objects.filter(**milik(p)).first()
    c = masuk("admin")
    assert c.get(f"/admin/sop/jejak/{j.pk}/delete/").status_code == 403
    assert c.post(f"/admin/sop/jejak/{j.pk}/change/", {"catatan": "x"}).status_code == 403


def test_halaman_galat_ramah(client, settings):
    settings.DEBUG = False
    client.force_login(
        __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.get(username="dinas.inhil")
    )
    resp = client.get("/sop/permohonan/999999/")
    assert resp.status_code == 404 and "Halaman tidak ditemukan" in resp.content.decode()


def test_login_dibatasi_setelah_gagal_berulang(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "desa.tembilahan-kota", "password": "salah"})
    resp = client.post(
        reverse("login"), {"username": "desa.tembilahan-kota", "password": "demo-portal-2026"}
    )
    assert resp.status_code == 429
    assert "kunci" in resp.content.decode().lower()


def test_login_benar(client):
    resp = client.post(
        reverse("login"), {"username": "desa.tembilahan-kota", "password": "demo-portal-2026"}
    )
    assert resp.status_code == 302 and resp["Location"] == "/"


def test_csp_header(masuk):
    resp = masuk("desa.tembilahan-kota").get("/")
    csp = resp["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp


def test_beranda_menautkan_modul_sesuai_layanan(masuk):
    assert 'data-testid="tile-bpum"' in masuk("desa.tembilahan-kota").get("/").content.decode()
    assert 'data-testid="tile-bpum"' not in masuk("jatim.staf").get("/").content.decode()
