"""Public status page: registration number + last 4 NIK digits, public labels only, no
personal data; failed lookups limited per client address (sop.lacak), successful ones never."""

import pytest
from django.urls import reverse

from bpum import services
from bpum.setup import setup

pytestmark = pytest.mark.django_db
URL = reverse("bpum:publik_status")


def test_tanpa_login(client):
    resp = client.get(URL)
    assert resp.status_code == 200 and b'data-testid="form-status"' in resp.content


def test_status_tanpa_data_pribadi(client, sampai, pengguna):
    (u,) = sampai("diteruskan")
    services.usulan_transisi(user=pengguna("dinas.inhil"), usulan=u, nama="terima_kementerian")
    resp = client.post(URL, {"nomor": u.nomor.lower(), "nik4": u.nik[-4:]})
    isi = resp.content.decode()
    assert resp.status_code == 200
    assert "Diterima sebagai penerima BPUM" in isi
    for label in (
        "Usulan diterima di kantor desa/kelurahan",
        "Berkas lengkap",
        "Diteruskan ke Kementerian",
    ):
        assert label in isi
    for pribadi in (
        u.nik,
        u.nama,
        u.no_kk,
        u.alamat,
        u.no_hp,
        "Tembilahan Kota",
        "desa.tembilahan-kota",
        "dinas.inhil",
        "Petugas",
    ):
        assert pribadi not in isi, pribadi


def test_nomor_atau_nik_salah_sama_saja(client, buat):
    u = buat(1)
    salah_nik = client.post(URL, {"nomor": u.nomor, "nik4": "0000"}).content.decode()
    salah_nomor = client.post(URL, {"nomor": "BPUM-XXXXXXXX", "nik4": u.nik[-4:]}).content.decode()
    for isi in (salah_nik, salah_nomor):
        assert 'data-testid="tidak-ditemukan"' in isi and 'data-testid="hasil-status"' not in isi


def test_dikembalikan_menampilkan_alasan_katalog(client, buat, pengguna):
    from bpum.models import AlasanPengembalian

    u = buat(1, lengkap=False)
    a = AlasanPengembalian.objects.get(kode="kk-tidak-ada")
    services.usulan_transisi(
        user=pengguna("desa.tembilahan-kota"),
        usulan=u,
        nama="kembalikan_berkas",
        alasan_ids=[a.pk],
        catatan="Pak Budi",
    )
    isi = client.post(URL, {"nomor": u.nomor, "nik4": u.nik[-4:]}).content.decode()
    assert "mohon lengkapi berkas" in isi and a.teks in isi
    assert "Pak Budi" not in isi  # free-text notes stay internal


def test_batas_10_gagal_per_alamat(client, buat):
    u = buat(1)
    for _ in range(10):
        assert client.post(URL, {"nomor": u.nomor, "nik4": "9999"}).status_code == 200
    resp = client.post(URL, {"nomor": u.nomor, "nik4": u.nik[-4:]})
    isi = resp.content.decode()
    assert resp.status_code == 429 and 0 < int(resp["Retry-After"]) <= 600
    assert "Terlalu banyak percobaan yang gagal" in isi and "coba lagi setelah pukul" in isi
    assert 'data-testid="hasil-status"' not in isi
    # another address is not affected
    lain = client.post(URL, {"nomor": u.nomor, "nik4": u.nik[-4:]}, REMOTE_ADDR="10.0.0.9")
    assert lain.status_code == 200 and 'data-testid="hasil-status"' in lain.content.decode()


def test_pencarian_berhasil_tidak_pernah_mengunci(client, buat):
    """A village counter checking 40 proposals from one address is never locked out, and its
    successes do not use up the allowance for typos."""
    u = buat(2)
    for _ in range(40):
        resp = client.post(URL, {"nomor": u.nomor, "nik4": u.nik[-4:]})
        assert resp.status_code == 200 and 'data-testid="hasil-status"' in resp.content.decode()
    for _ in range(10):
        assert client.post(URL, {"nomor": u.nomor, "nik4": "0000"}).status_code == 200
    assert client.post(URL, {"nomor": u.nomor, "nik4": "0000"}).status_code == 429


@pytest.mark.parametrize(
    "ketik", ["{b}", "{b_lower}", "bpum-{b_lower}", " BPUM {b4} {b8} ", "bpum{b}", "BPUM - {b}"]
)
def test_nomor_dengan_atau_tanpa_awalan(client, buat, ketik):
    u = buat(3)
    b = u.nomor.removeprefix("BPUM-")
    teks = ketik.format(b=b, b_lower=b.lower(), b4=b[:4], b8=b[4:])
    resp = client.post(URL, {"nomor": teks, "nik4": u.nik[-4:]})
    assert resp.status_code == 200 and 'data-testid="hasil-status"' in resp.content.decode()


def test_masukan_tak_berbentuk_ditolak_tanpa_dihitung(client, buat):
    u = buat(4)
    for _ in range(15):
        resp = client.post(URL, {"nomor": "BPUM-123", "nik4": "12a4"})
        isi = resp.content.decode()
        assert resp.status_code == 400 and 'aria-invalid="true"' in isi
        assert "BPUM-K7QW2M9X" in isi and "4 digit terakhir NIK" in isi
    assert client.post(URL, {"nomor": u.nomor, "nik4": u.nik[-4:]}).status_code == 200


def test_ditolak_menampilkan_alasan_kementerian(client, sampai, pengguna):
    (u,) = sampai("diteruskan")
    services.usulan_transisi(
        user=pengguna("dinas.inhil"),
        usulan=u,
        nama="tolak_kementerian",
        catatan="Usaha belum berjalan 6 bulan",
    )
    isi = client.post(URL, {"nomor": u.nomor, "nik4": u.nik[-4:]}).content.decode()
    assert "Tidak diterima" in isi
    assert "Alasan dari Kementerian: Usaha belum berjalan 6 bulan" in isi


def test_inisial_saja_dan_formulir_terisi_dari_tautan(client, buat):
    from bpum.models import Usulan

    u = buat(5)
    Usulan.objects.filter(pk=u.pk).update(nama="Siti Aminah binti Ahmad")
    isi = client.post(URL, {"nomor": u.nomor, "nik4": u.nik[-4:]}).content.decode()
    assert "S. A. B." in isi
    for bagian in ("Siti", "Aminah", "Ahmad"):
        assert bagian not in isi
    # the receipt's QR opens the page with the number filled in; nothing is looked up on GET
    resp = client.get(URL, {"nomor": u.nomor})
    assert f'value="{u.nomor}"' in resp.content.decode()
    assert 'data-testid="hasil-status"' not in resp.content.decode()


def test_setup_idempoten_dan_cepat(django_assert_max_num_queries):
    from bpum.models import AlasanPengembalian, Periode

    with django_assert_max_num_queries(8):
        hasil = setup(demo=True)
    assert hasil == {"alasan_pengembalian": 0, "periode_demo": False}
    assert Periode.objects.filter(kode="BPUM-2021").count() == 1
    assert AlasanPengembalian.objects.count() >= 10
    assert Periode.objects.get(kode="BPUM-2021").terbuka()


def test_batas_per_ip_klien_di_belakang_proksi(client, buat, settings):
    """Behind one trusted proxy the client is the last X-Forwarded-For address; a forged address
    further left does not buy fresh lookups."""
    settings.PORTAL_PROXY_TEPERCAYA = 1
    u = buat(31)
    data = {"nomor": u.nomor, "nik4": "0000"}
    for i in range(10):
        resp = client.post(
            URL, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 203.0.113.5"
        )
        assert resp.status_code == 200
    benar = {"nomor": u.nomor, "nik4": u.nik[-4:]}
    resp = client.post(
        URL, benar, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5"
    )
    assert resp.status_code == 429
    lain = client.post(URL, benar, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert lain.status_code == 200 and 'data-testid="hasil-status"' in lain.content.decode()
