"""BPUM documents go through the one upload check and the one download response: type from the
content, stored under a server-chosen name with that type's extension, served with the safe
headers (issue 12, medium #4)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bpum import services
from bpum.models import Usulan
from sop.models import Wilayah

from .conftest import DESA_TK, PNG, data_usulan

pytestmark = pytest.mark.django_db

PDF_HTML = (
    b'%PDF-1.4\n<html><head><meta http-equiv="refresh" content="0;url=https://jahat.example">'
    b"</head></html>\n"
)


def test_pdf_berisi_html_disimpan_pdf_dan_dilayani_aman(pengguna, masuk, periode):
    u = services.usulan_buat(
        user=pengguna("desa.tembilahan-kota"),
        desa=Wilayah.objects.get(kode=DESA_TK),
        data=data_usulan(1),
        berkas={
            "kk": SimpleUploadedFile("x.html", PDF_HTML, content_type="text/html"),
            "foto": SimpleUploadedFile("foto.exe.png", PNG),
        },
        periode=periode,
    )
    assert u.berkas_kk.name.endswith(".pdf") and u.berkas_foto.name.endswith(".png")
    c = masuk("desa.tembilahan-kota")
    resp = c.get(reverse("bpum:usulan_dokumen", args=[u.pk, "kk"]))
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    assert resp["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Disposition"] == f'inline; filename="{u.nomor}-kk.pdf"'
    assert b"".join(resp.streaming_content) == PDF_HTML


def test_program_berganti_nama_ditolak_dengan_nama_dokumen(pengguna, periode):
    with pytest.raises(ValidationError) as exc:
        services.usulan_buat(
            user=pengguna("desa.tembilahan-kota"),
            desa=Wilayah.objects.get(kode=DESA_TK),
            data=data_usulan(2),
            berkas={"ktp": SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00\x03")},
            periode=periode,
        )
    pesan = exc.value.message_dict["berkas_ktp"][0]
    assert "berkas program (executable) tidak boleh diunggah" in pesan
    assert not Usulan.objects.filter(nik=data_usulan(2)["nik"]).exists()


def test_unggah_dokumen_susulan_memakai_pemeriksaan_yang_sama(pengguna, periode, buat):
    u = buat(3, lengkap=False)
    desa = pengguna("desa.tembilahan-kota")
    with pytest.raises(ValidationError, match="bukan|harus berupa"):
        services.usulan_unggah_dokumen(
            user=desa, usulan=u, jenis="usaha", berkas=SimpleUploadedFile("a.pdf", b"\x00\x01")
        )
    u = services.usulan_unggah_dokumen(
        user=desa, usulan=u, jenis="usaha", berkas=SimpleUploadedFile("sku.html", PDF_HTML)
    )
    assert u.berkas_usaha.name.endswith(".pdf")
