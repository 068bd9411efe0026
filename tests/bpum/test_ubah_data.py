"""Correcting an applicant's data at the village: validated, scoped, field history kept."""

import pytest
from django.urls import reverse

from bpum.models import Usulan
from sop.models import RiwayatPerubahan
from tests.rekaman import milik

pytestmark = pytest.mark.django_db


def riwayat(u):
    return list(RiwayatPerubahan.objects.filter(**milik(u)).values_list("field", "lama", "baru"))


def test_ubah_data_menyimpan_riwayat(masuk, buat):
    u = buat(1)
    c = masuk("desa.tembilahan-kota")
    assert c.get(reverse("bpum:usulan_ubah", args=[u.pk])).status_code == 200
    lama = u.nama
    resp = c.post(
        reverse("bpum:usulan_ubah", args=[u.pk]),
        {
            "no_kk": u.no_kk,
            "nama": "  Siti   Aminah ",
            "alamat": u.alamat,
            "bidang_usaha": u.bidang_usaha,
            "no_hp": "0812-3456-7890",
        },
    )
    assert resp.status_code == 302
    u = Usulan.objects.get(pk=u.pk)
    assert u.nama == "Siti Aminah" and u.no_hp == "+6281234567890"
    fields = {f for f, _l, _b in riwayat(u)}
    assert "nama" in fields and ("nama", lama, "Siti Aminah") in riwayat(u)
    detail = c.get(reverse("bpum:usulan_detail", args=[u.pk])).content.decode()
    assert 'data-testid="riwayat-data"' in detail and "Siti Aminah" in detail


def test_ubah_data_ditolak_dengan_pesan_dan_tidak_mengubah_apa_pun(masuk, buat):
    u = buat(2)
    c = masuk("desa.tembilahan-kota")
    resp = c.post(
        reverse("bpum:usulan_ubah", args=[u.pk]),
        {
            "no_kk": "12345",
            "nama": "",
            "alamat": u.alamat,
            "bidang_usaha": "",
            "no_hp": "",
        },
    )
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "No KK harus 16 digit" in html and "Nama lengkap wajib diisi" in html
    assert Usulan.objects.get(pk=u.pk).nama == u.nama
    assert riwayat(u) == []


@pytest.mark.parametrize("username", ["desa.sungaiperak", "kecamatan.tembilahan", "provinsi.riau"])
def test_ubah_data_hanya_petugas_desanya(masuk, buat, username):
    u = buat(3)
    resp = masuk(username).post(reverse("bpum:usulan_ubah", args=[u.pk]), {"nama": "X"})
    assert resp.status_code in (403, 404)
    assert Usulan.objects.get(pk=u.pk).nama != "X"


def test_ubah_data_tidak_lagi_setelah_di_kecamatan(masuk, sampai):
    (u,) = sampai("lengkap", 1)
    resp = masuk("desa.tembilahan-kota").get(reverse("bpum:usulan_ubah", args=[u.pk]))
    assert resp.status_code == 403


def test_saring_per_desa(masuk, buat):
    from .conftest import DESA_SP

    a = buat(10)
    b = buat(11, desa=DESA_SP, user=None)
    c = masuk("kecamatan.tembilahan")
    html = c.get(reverse("bpum:usulan_daftar")).content.decode()
    assert 'data-testid="filter-desa"' in html and a.nomor in html and b.nomor in html
    html = c.get(reverse("bpum:usulan_daftar") + f"?desa={DESA_SP}").content.decode()
    assert b.nomor in html and a.nomor not in html
