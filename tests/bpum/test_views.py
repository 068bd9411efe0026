"""Screens: every page renders for each tier, scope, no state change on GET, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpum.models import Rekap, Usulan

from .conftest import DESA_PK, DESA_SP, DESA_TK, PNG, data_usulan

pytestmark = pytest.mark.django_db

PENGGUNA = [
    "desa.tembilahan-kota",
    "kecamatan.tembilahan",
    "dinas.inhil",
    "provinsi.riau",
    "kecamatan.reteh",
]
HALAMAN = [
    "bpum:beranda",
    "bpum:usulan_daftar",
    "bpum:rekap_daftar",
    "bpum:impor_daftar",
    "bpum:ekspor",
    "bpum:duplikat_daftar",
    "bpum:dasbor",
]


@pytest.mark.parametrize("username", PENGGUNA)
def test_semua_halaman_tampil(masuk, sampai, username):
    sampai("diverifikasi", 2)
    c = masuk(username)
    for nama in HALAMAN:
        resp = c.get(reverse(nama))
        assert resp.status_code == 200, (nama, resp.status_code)
        assert b"BPUM" in resp.content


def test_petugas_desa_menerima_usulan_lewat_form(masuk, periode):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = masuk("desa.tembilahan-kota")
    assert c.get(reverse("bpum:usulan_baru")).status_code == 200
    data = {
        **data_usulan(7),
        "desa": DESA_TK,
        "berkas_ktp": SimpleUploadedFile("ktp.png", PNG, content_type="image/png"),
    }
    resp = c.post(reverse("bpum:usulan_baru"), data)
    assert resp.status_code == 302
    u = Usulan.objects.get(nik=data["nik"])
    assert resp["Location"] == reverse("bpum:usulan_detail", args=[u.pk])
    assert u.status == Usulan.Status.DIAJUKAN and u.no_hp == "+6281234567890"
    assert u.berkas_ktp and not u.berkas_kk
    detail = c.get(resp["Location"])
    assert "Kartu Keluarga" in detail.content.decode() or "Family card" in detail.content.decode()
    # incomplete: the "mark complete" button is offered only when the checklist is complete
    assert b"transisi-tandai_lengkap" not in detail.content
    assert b"transisi-kembalikan_berkas" in detail.content


def test_form_menolak_nik_tidak_valid(masuk):
    c = masuk("desa.tembilahan-kota")
    resp = c.post(
        reverse("bpum:usulan_baru"), {**data_usulan(1, nik="1404043202900001"), "desa": DESA_TK}
    )
    assert resp.status_code == 400
    assert "bukan tanggal lahir DDMMYY" in resp.content.decode()
    resp = c.post(
        reverse("bpum:usulan_baru"), {**data_usulan(1, nik="9904041201900001"), "desa": DESA_TK}
    )
    assert "bukan kode provinsi" in resp.content.decode()
    resp = c.post(
        reverse("bpum:usulan_baru"), {**data_usulan(1, nik="1404041201900000"), "desa": DESA_TK}
    )
    assert "tidak boleh 0000" in resp.content.decode()
    assert not Usulan.objects.exists()


def test_hanya_petugas_desa_membuka_form(masuk):
    for u in ("kecamatan.tembilahan", "dinas.inhil", "provinsi.riau"):
        assert masuk(u).get(reverse("bpum:usulan_baru")).status_code == 403


def test_tanda_terima_pdf(masuk, buat):
    from io import BytesIO

    from pypdf import PdfReader

    u = buat(1)
    resp = masuk("desa.tembilahan-kota").get(reverse("bpum:usulan_tanda_terima", args=[u.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    teks = "".join(p.extract_text() for p in PdfReader(BytesIO(resp.content)).pages)
    assert u.nomor in teks
    assert u.nik not in teks and u.nik[-4:] in teks  # masked NIK
    assert "PEMERINTAH KABUPATEN INDRAGIRI HILIR" in teks and "Kartu Keluarga" in teks


def test_tanda_terima_struk_dengan_qr_ke_halaman_status(masuk, buat):
    """The shared receipt base on a 58 mm roll; the QR opens the status page with the number."""
    from io import BytesIO

    from pypdf import PdfReader

    from tests.sop.qr_baca import baca_gambar

    u = buat(2)
    url = reverse("bpum:usulan_tanda_terima", args=[u.pk])
    resp = masuk("desa.tembilahan-kota").get(url, {"ukuran": "58mm"})
    halaman = PdfReader(BytesIO(resp.content)).pages
    assert len(halaman) == 1 and round(float(halaman[0].mediabox[2]) / 72 * 25.4) == 58
    (gambar,) = halaman[0].images
    assert baca_gambar(gambar.image) == f"http://testserver/bpum/status/?nomor={u.nomor}"


def test_tidak_ada_perubahan_lewat_get(masuk, buat):
    u = buat(1)
    c = masuk("desa.tembilahan-kota")
    resp = c.get(reverse("bpum:usulan_transisi", args=[u.pk, "tandai_lengkap"]))
    assert resp.status_code == 405
    assert Usulan.objects.get(pk=u.pk).status == Usulan.Status.DIAJUKAN


def test_transisi_lewat_view(masuk, buat):
    u = buat(1)
    c = masuk("desa.tembilahan-kota")
    resp = c.post(
        reverse("bpum:usulan_transisi", args=[u.pk, "tandai_lengkap"]),
        {"status_terlihat": "diajukan"},
    )
    assert resp.status_code == 302
    assert Usulan.objects.get(pk=u.pk).status == Usulan.Status.LENGKAP
    # the same form again: the officer saw an old state
    resp = c.post(
        reverse("bpum:usulan_transisi", args=[u.pk, "tandai_lengkap"]),
        {"status_terlihat": "diajukan"},
    )
    assert resp.status_code == 409


@pytest.mark.parametrize(
    ("username", "terlihat"),
    [
        ("desa.tembilahan-kota", {DESA_TK}),
        ("desa.sungaiperak", {DESA_SP}),
        ("kecamatan.tembilahan", {DESA_TK, DESA_SP}),
        ("kecamatan.reteh", {DESA_PK}),
        ("dinas.inhil", {DESA_TK, DESA_SP, DESA_PK}),
        ("provinsi.riau", {DESA_TK, DESA_SP, DESA_PK}),
        ("upt.pacitan", set()),
    ],
)
def test_lingkup_daftar_dan_detail(masuk, buat, username, terlihat):
    us = {d: buat(i, desa=d) for i, d in enumerate((DESA_TK, DESA_SP, DESA_PK))}
    c = masuk(username)
    resp = c.get(reverse("bpum:usulan_daftar"))
    isi = resp.content.decode()
    for d, u in us.items():
        assert (u.nomor in isi) == (d in terlihat), (username, d)
        status = c.get(reverse("bpum:usulan_detail", args=[u.pk])).status_code
        assert status == (200 if d in terlihat else 404)
        dok = c.get(reverse("bpum:usulan_dokumen", args=[u.pk, "ktp"])).status_code
        assert dok == (200 if d in terlihat else 404)


def test_provinsi_tidak_mendapat_tombol(masuk, buat):
    u = buat(1)
    resp = masuk("provinsi.riau").get(reverse("bpum:usulan_detail", args=[u.pk]))
    assert resp.status_code == 200
    assert b"transisi-" not in resp.content
    resp = masuk("provinsi.riau").post(
        reverse("bpum:usulan_transisi", args=[u.pk, "tandai_lengkap"])
    )
    assert resp.status_code == 403  # ADR 0002: not allowed (read-only oversight), not a conflict
    assert "hanya baca" in resp.content.decode()


def _hitung(c, url):
    with CaptureQueriesContext(connection) as ctx:
        resp = c.get(url)
    assert resp.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("username", ["desa.tembilahan-kota", "dinas.inhil"])
def test_jumlah_query_daftar_usulan_tetap(masuk, banyak, username):
    c = masuk(username)
    url = reverse("bpum:usulan_daftar")
    banyak(2)
    _hitung(c, url)  # warm caches (content types, SOP steps)
    sedikit = _hitung(c, url)
    banyak(40, mulai=2000)
    assert _hitung(c, url) == sedikit
    assert _hitung(c, url + "?status=diajukan&urut=nama&q=Massal") == _hitung(
        c, url + "?status=diajukan&urut=nama&q=Mas"
    )


def test_jumlah_query_rekap_dan_ganda_tetap(masuk, banyak, sampai):
    c = masuk("dinas.inhil")
    sampai("direkap", 1)
    banyak(2, duplikat=True, status=Usulan.Status.LENGKAP)
    pertama = {
        n: _hitung(c, reverse(n))
        for n in ("bpum:rekap_daftar", "bpum:duplikat_daftar", "bpum:dasbor", "bpum:beranda")
    }
    pertama = {n: _hitung(c, reverse(n)) for n in pertama}
    sampai("direkap", 3, mulai=50, desa=DESA_PK)
    banyak(30, mulai=3000, duplikat=True, status=Usulan.Status.LENGKAP)
    for n, q in pertama.items():
        assert _hitung(c, reverse(n)) == q, n


def test_jumlah_query_anggota_rekap_tetap(masuk, sampai):
    us = sampai("direkap", 2)
    c = masuk("dinas.inhil")
    rekap = us[0].rekap_kecamatan
    url = reverse("bpum:rekap_detail", args=[rekap.pk])
    _hitung(c, url)
    sedikit = _hitung(c, url)
    us2 = sampai("direkap", 12, mulai=100)
    rekap2 = us2[0].rekap_kecamatan
    assert _hitung(c, reverse("bpum:rekap_detail", args=[rekap2.pk])) == sedikit


def test_dasbor_grafik_svg_dan_kepatuhan(masuk, sampai):
    sampai("diverifikasi", 2)
    resp = masuk("dinas.inhil").get(reverse("bpum:dasbor"))
    isi = resp.content.decode()
    assert 'data-testid="grafik"' in isi and "<rect" in isi
    assert "Tembilahan" in isi
    assert 'data-testid="kepatuhan-bpum"' in isi
    assert "style=" not in isi.split("<main", 1)[1]  # CSP: no inline styles
    resp = masuk("dinas.inhil").get(reverse("bpum:dasbor") + "?kecamatan=14.04.04")
    assert "Tembilahan Kota" in resp.content.decode()


def test_rekap_lewat_view(masuk, sampai):
    us = sampai("lengkap", 2)
    c = masuk("kecamatan.tembilahan")
    resp = c.get(reverse("bpum:rekap_susun"))
    assert resp.status_code == 200 and us[0].nomor in resp.content.decode()
    resp = c.post(
        reverse("bpum:rekap_susun"),
        {"periode": us[0].periode_id, "kecamatan": "14.04.04", "semua": "1"},
    )
    assert resp.status_code == 302
    rekap = Rekap.objects.get(wilayah_id="14.04.04")
    assert rekap.jumlah == 2
    resp = c.post(
        reverse("bpum:rekap_aksi", args=[rekap.pk, "kirim"]), {"status_terlihat": "disusun"}
    )
    assert resp.status_code == 302
    rekap.refresh_from_db()
    assert rekap.status == Rekap.Status.DIKIRIM
    unduh = c.get(reverse("bpum:rekap_unduh", args=[rekap.pk]))
    assert unduh.status_code == 200 and unduh["Content-Type"].startswith("application/vnd.openxml")
    d = masuk("dinas.inhil")
    assert b"terima-rekap" in d.get(reverse("bpum:rekap_detail", args=[rekap.pk])).content
    resp = d.post(reverse("bpum:rekap_aksi", args=[rekap.pk, "terima"]))
    assert resp.status_code == 302
    assert set(Usulan.objects.values_list("status", flat=True)) == {"diverifikasi"}
