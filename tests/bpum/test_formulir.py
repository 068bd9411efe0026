"""BPUM forms: the intake keeps accepted uploads across a failed submit, shows every problem at
once, and pages show labels, Ya/Tidak and names instead of codes."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bpum import services
from bpum.models import Rekap, Usulan
from sop.models import BerkasSementara

from .conftest import DESA_TK, PDF, PNG, data_usulan

pytestmark = pytest.mark.django_db


def _empat_berkas():
    return {
        "berkas_ktp": SimpleUploadedFile("foto_ktp.jpg.png", PNG),
        "berkas_kk": SimpleUploadedFile("kk.pdf", PDF),
        "berkas_usaha": SimpleUploadedFile("sku.pdf", PDF),
        "berkas_foto": SimpleUploadedFile("warung.png", PNG),
    }


def test_salah_ketik_nik_tidak_menghapus_empat_foto(masuk, periode):
    c = masuk("desa.tembilahan-kota")
    data = {**data_usulan(3), "desa": DESA_TK}
    salah = {**data, "nik": data["nik"][:-1] + "x"}
    resp = c.post(reverse("bpum:usulan_baru"), {**salah, **_empat_berkas()})
    assert resp.status_code == 400 and not Usulan.objects.exists()
    isi = resp.content.decode()
    assert 'href="#id_nik"' in isi and "NIK tidak valid" in isi
    assert re.search(r'<input[^>]*name="nik"[^>]*aria-invalid="true"', isi)
    token = dict(re.findall(r'name="(berkas_\w+)__token" value="([^"]+)"', isi))
    assert set(token) == {"berkas_ktp", "berkas_kk", "berkas_usaha", "berkas_foto"}
    for nama in ("foto_ktp.jpg.png", "kk.pdf", "sku.pdf", "warung.png"):
        assert nama in isi
    assert BerkasSementara.objects.count() == 4
    # corrected NIK, no file attached again: the proposal keeps all four documents
    resp = c.post(
        reverse("bpum:usulan_baru"), {**data, **{f"{k}__token": v for k, v in token.items()}}
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    u = Usulan.objects.get(nik=data["nik"])
    assert all((u.berkas_ktp, u.berkas_kk, u.berkas_usaha, u.berkas_foto))
    with u.berkas_kk.open("rb") as f:
        assert f.read() == PDF
    assert not BerkasSementara.objects.exists()
    assert not u.kekurangan()


def test_semua_galat_sekaligus(masuk, periode):
    c = masuk("desa.tembilahan-kota")
    data = {**data_usulan(4, nama="", no_hp="12"), "desa": DESA_TK}
    isi = c.post(reverse("bpum:usulan_baru"), data).content.decode()
    assert "Nama lengkap wajib diisi." in isi and "Nomor HP" in isi
    assert 'href="#id_nama"' in isi and 'href="#id_no_hp"' in isi


def test_token_berkas_tidak_bisa_dipakai_petugas_lain(masuk, periode, client):
    c = masuk("desa.tembilahan-kota")
    data = {**data_usulan(5), "desa": DESA_TK}
    isi = c.post(
        reverse("bpum:usulan_baru"), {**data, "nik": "1", **_empat_berkas()}
    ).content.decode()
    token = dict(re.findall(r'name="(berkas_\w+)__token" value="([^"]+)"', isi))
    c = masuk("desa.sungaiperak")
    resp = c.post(
        reverse("bpum:usulan_baru"),
        {
            **data_usulan(6),
            "desa": "14.04.04.1004",
            **{f"{k}__token": v for k, v in token.items()},
        },
    )
    assert resp.status_code == 302
    u = Usulan.objects.get(nik=data_usulan(6)["nik"])
    assert not any((u.berkas_ktp, u.berkas_kk, u.berkas_usaha, u.berkas_foto))


def test_unggah_dokumen_memilih_yang_pertama_kurang_dan_menandai_galat(masuk, buat):
    u = buat(1, lengkap=False)
    c = masuk("desa.tembilahan-kota")
    isi = c.get(reverse("bpum:usulan_detail", args=[u.pk])).content.decode()
    pilih = re.search(r'<select name="jenis"[^>]*>(.*?)</select>', isi, re.S).group(1)
    kurang = [kode for kode, _l, ada in u.dokumen() if not ada][0]
    assert re.search(rf'value="{kurang}"[^>]*selected', pilih)
    resp = c.post(
        reverse("bpum:usulan_unggah", args=[u.pk]),
        {"jenis": "ktp", "berkas": SimpleUploadedFile("x.exe", b"MZ\x90\x00")},
    )
    assert resp.status_code == 400
    assert 'id="id_unggah_berkas_error"' in resp.content.decode()


def test_riwayat_data_dengan_label_dan_nama(masuk, buat, pengguna):
    u = buat(1)
    desa = pengguna("desa.tembilahan-kota")
    services.usulan_ubah_data(user=desa, usulan=u, data={"nama": "Nama Baru"})
    services.usulan_pernyataan(user=desa, usulan=u, bukan_pegawai=False, tidak_menerima_kur=True)
    isi = masuk("desa.tembilahan-kota").get(reverse("bpum:usulan_detail", args=[u.pk]))
    riwayat = re.search(
        r'data-testid="riwayat-data">(.*?)</section>', isi.content.decode(), re.S
    ).group(1)
    for kode in ("bukan_pegawai", "False", "True", ">nama<", "desa.tembilahan-kota"):
        assert kode not in riwayat
    assert "Petugas Kel. Tembilahan Kota" in riwayat
    assert "Ya → Tidak" in riwayat or "Yes → No" in riwayat


def test_jejak_rekap_berlabel(masuk, sampai):
    sampai("direkap")
    rekap = Rekap.objects.get(tingkat=Rekap.Tingkat.KECAMATAN)
    isi = masuk("kecamatan.tembilahan").get(reverse("bpum:rekap_detail", args=[rekap.pk]))
    jejak = re.search(r'data-testid="jejak-rekap">(.*?)</ol>', isi.content.decode(), re.S).group(1)
    assert "rekap_dibuat" not in jejak and "rekap_kirim" not in jejak
    assert "kecamatan.tembilahan" not in jejak and "Petugas Kecamatan Tembilahan" in jejak


def test_kembalikan_tanpa_alasan_ditandai_di_form(masuk, buat):
    u = buat(1)
    c = masuk("desa.tembilahan-kota")
    resp = c.post(
        reverse("bpum:usulan_transisi", args=[u.pk, "kembalikan_berkas"]),
        {"status_terlihat": u.status},
    )
    assert resp.status_code == 400
    isi = resp.content.decode()
    assert "Pilih minimal satu alasan pengembalian berkas." in isi
    assert Usulan.objects.get(pk=u.pk).status == Usulan.Status.DIAJUKAN
