"""SOP imports (sop_import, the admin's SOP import page) apply the editor's rules: unreadable time
limits are refused with suggestions unless explicitly untracked, equipment is never required, and
the new step fields survive a JSON and an xlsx round trip."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sop.models import Langkah, Sop
from sop.pertukaran import (
    ImporGagal,
    baca_berkas,
    ekspor_json,
    ekspor_xlsx,
    impor,
    sop_ke_dict,
    validasi,
)

pytestmark = pytest.mark.django_db


def _jatim() -> dict:
    return sop_ke_dict(Sop.objects.berlaku().get(kode="JATIM-5.4.6"), dengan_batas=False)


def test_waktu_tak_terbaca_ditolak_dengan_saran():
    d = _jatim()
    d["langkah"][0]["waktu"] = "2 jm"
    d["langkah"][1]["waktu"] = "sekitar lima belas menitan"
    errors = validasi([d])
    assert any("SOP JATIM-5.4.6, langkah 1: Waktu “2 jm” tidak terbaca" in e for e in errors)
    assert any("Maksud Anda “2 jam”?" in e for e in errors)
    assert any("“15 menit”" in e and "waktu_tidak_dipantau" in e for e in errors)
    with pytest.raises(ImporGagal):
        impor([d])


@pytest.mark.parametrize("teks", ["Menyesuaikan", "-", "", "N/A", "Rutin", "2 Bulan Sekali"])
def test_teks_tanpa_batas_yang_disengaja_diterima(teks):
    d = _jatim()
    d["langkah"][0]["waktu"] = teks
    assert validasi([d]) == []


def test_tidak_dipantau_eksplisit_diterima_dan_disimpan():
    d = _jatim()
    d["langkah"][0]["waktu"] = "sekitar lima belas menitan"
    d["langkah"][0]["waktu_tidak_dipantau"] = True
    assert impor([d]).revisi_baru == ["JATIM-5.4.6"]
    lk = Langkah.objects.get(sop=Sop.objects.berlaku().get(kode="JATIM-5.4.6"), nomor=1)
    assert lk.waktu == "sekitar lima belas menitan" and lk.waktu_tidak_dipantau
    assert lk.batas["jenis"] == "tidak_dilacak"


def test_peralatan_wajib_ditolak():
    d = _jatim()
    d["langkah"][0]["kelengkapan_wajib"] = ["Komputer"]
    assert any("“Komputer” adalah peralatan" in e for e in validasi([d]))
    d["langkah"][0]["kelengkapan_alat"] = ["Meja"]
    assert any("Peralatan “Meja” tidak ada di daftar kelengkapan" in e for e in validasi([d]))


def test_berkas_lama_tanpa_kolom_alat_diklasifikasi_bawaan():
    d = _jatim()
    for lk in d["langkah"]:
        del lk["kelengkapan_alat"]
    assert impor([d]).sama == ["JATIM-5.4.6"]  # same classification as the stored one


def test_bolak_balik_json_dan_xlsx_membawa_kolom_baru():
    sop = Sop.objects.berlaku().get(kode="PACITAN-09")
    Langkah.objects.filter(sop=sop, nomor=2).update(waktu="kira-kira", waktu_tidak_dipantau=True)
    for berkas, nama in (
        (ekspor_json([sop]).encode(), "sop.json"),
        (ekspor_xlsx([sop]), "sop.xlsx"),
    ):
        data = baca_berkas(berkas, nama)
        lk = {int(x["nomor"]): x for x in data[0]["langkah"]}
        assert lk[1]["keyakinan"] == "rendah" and lk[5]["keyakinan"] == "rendah"
        assert lk[2]["waktu_tidak_dipantau"] is True and lk[2]["waktu"] == "kira-kira"
        assert impor(data).sama == ["PACITAN-09"], nama
    xl = baca_berkas(ekspor_xlsx([Sop.objects.berlaku().get(kode="JATIM-5.4.6")]), "j.xlsx")
    assert xl[0]["langkah"][0]["kelengkapan_alat"] == ["Komputer", "Alat Tulis", "Printer"]


def test_halaman_impor_admin_menolak_dengan_pesan(masuk):
    d = _jatim()
    d["langkah"][0]["waktu"] = "2 jm"
    r = masuk("admin").post(
        reverse("admin:sop_sop_impor"),
        {"berkas": SimpleUploadedFile("sop.json", json.dumps([d]).encode())},
    )
    assert r.status_code == 400
    assert "Maksud Anda “2 jam”?" in r.content.decode()
