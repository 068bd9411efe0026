"""Files in an S3-compatible bucket (moto's server on loopback): a document upload kept across a
failed submit, a staged import with its annotated workbook, a background export and a runner
attachment all land in the bucket as private objects, nothing under MEDIA_ROOT, and come back
only through the scoped views."""

from __future__ import annotations

import io
import re
import urllib.request

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bpum import ekspor as eks
from bpum.models import EksporRekap, ImporRekap, Usulan
from sop.models import BerkasSementara
from sop.penyimpanan import di_bucket, tautan_unduh
from tests.bpum.conftest import (
    DESA_TK,
    PDF,
    PNG,
    baris_rekap,
    data_usulan,
    xlsx_rekap,
)

pytestmark = pytest.mark.django_db

KEC = "14.04.04"


def _isi(resp) -> bytes:
    return b"".join(resp.streaming_content) if resp.streaming else resp.content


def _empat_berkas():
    return {
        "berkas_ktp": SimpleUploadedFile("ktp.png", PNG),
        "berkas_kk": SimpleUploadedFile("kk.pdf", PDF),
        "berkas_usaha": SimpleUploadedFile("sku.pdf", PDF),
        "berkas_foto": SimpleUploadedFile("warung.png", PNG),
    }


def test_penyimpanan_bawaan_adalah_bucket(s3):
    from django.core.files.storage import default_storage

    assert di_bucket()
    o = default_storage.__class__  # resolved through the lazy object
    assert o.__name__ == "S3Storage"
    assert default_storage.default_acl == "private" and default_storage.querystring_auth
    assert default_storage.custom_domain is None and default_storage.file_overwrite is False
    with pytest.raises(NotImplementedError):
        default_storage.path("apa-saja.pdf")  # no local path exists: code must not ask for one


def test_dokumen_usulan_di_bucket_dan_hanya_lewat_view(s3, masuk, periode):
    c = masuk("desa.tembilahan-kota")
    data = {**data_usulan(31), "desa": DESA_TK}
    # a typo in the NIK: the four accepted files are staged in the bucket, not on the disk
    resp = c.post(reverse("bpum:usulan_baru"), {**data, "nik": "1", **_empat_berkas()})
    assert resp.status_code == 400
    sementara = s3.kunci("sementara/")
    assert len(sementara) == 4 and BerkasSementara.objects.count() == 4
    token = dict(re.findall(r'name="(berkas_\w+)__token" value="([^"]+)"', resp.content.decode()))
    # corrected: the proposal's documents are copied from the staged objects, which are removed
    resp = c.post(
        reverse("bpum:usulan_baru"), {**data, **{f"{k}__token": v for k, v in token.items()}}
    )
    assert resp.status_code == 302, resp.content.decode()[:1000]
    u = Usulan.objects.get(nik=data["nik"])
    dokumen = s3.kunci("bpum/dokumen/")
    assert (
        sorted(f.name for f in (u.berkas_ktp, u.berkas_kk, u.berkas_usaha, u.berkas_foto))
        == dokumen
    )
    assert s3.kunci("sementara/") == [] and not BerkasSementara.objects.exists()
    assert s3.isi(u.berkas_kk.name) == PDF and s3.isi(u.berkas_ktp.name) == PNG
    for k in dokumen:
        assert s3.status_anonim(k) == 403 and s3.hanya_pemilik(k), k
    # through the scoped view: the village, its district and the regency; nobody else
    url = reverse("bpum:usulan_dokumen", args=[u.pk, "kk"])
    for username in ("desa.tembilahan-kota", "kecamatan.tembilahan", "dinas.inhil"):
        r = masuk(username).get(url)
        assert r.status_code == 200 and _isi(r) == PDF, username
    for username in ("desa.sungaiperak", "kecamatan.reteh", "upt.pacitan"):
        assert masuk(username).get(url).status_code == 404, username


def test_impor_bertahap_lewat_bucket(s3, masuk, periode):
    c = masuk("kecamatan.tembilahan")
    salah = xlsx_rekap([baris_rekap(1), baris_rekap(2, desa="Entah")])
    resp = c.post(
        reverse("bpum:impor_unggah"),
        {
            "jenis": "rekap",
            "periode": periode.pk,
            "kecamatan": KEC,
            "berkas": SimpleUploadedFile("rekap kec.xlsx", salah),
        },
    )
    assert resp.status_code == 302
    impor = ImporRekap.objects.get()
    assert impor.status == ImporRekap.Status.GALAT
    # the upload and its annotated copy are objects; validation read the upload from the bucket
    assert s3.kunci("bpum/impor/") == sorted([impor.berkas.name, impor.berkas_anotasi.name])
    assert s3.isi(impor.berkas.name) == salah
    anotasi = c.get(reverse("bpum:impor_anotasi", args=[impor.pk]))
    assert anotasi.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(_isi(anotasi)))
    assert "Keterangan Kesalahan" in [x.value for x in wb.active[1]]
    assert (
        masuk("kecamatan.reteh").get(reverse("bpum:impor_anotasi", args=[impor.pk])).status_code
        == 404
    )
    # a correct file: validated from the bucket, previewed, committed
    c = masuk("kecamatan.tembilahan")
    benar = xlsx_rekap([baris_rekap(1), baris_rekap(2)])
    c.post(
        reverse("bpum:impor_unggah"),
        {
            "jenis": "rekap",
            "periode": periode.pk,
            "kecamatan": KEC,
            "berkas": SimpleUploadedFile("rekap benar.xlsx", benar),
        },
    )
    impor2 = ImporRekap.objects.exclude(pk=impor.pk).get()
    assert impor2.status == ImporRekap.Status.VALID, impor2.pesan
    assert s3.isi(impor2.berkas.name) == benar
    assert c.post(reverse("bpum:impor_terapkan", args=[impor2.pk])).status_code == 302
    impor2.refresh_from_db()
    assert impor2.status == ImporRekap.Status.SELESAI and impor2.jumlah_dibuat == 2
    for k in s3.kunci():
        assert s3.status_anonim(k) == 403, k


def test_ekspor_latar_ke_bucket(s3, masuk, banyak, periode, monkeypatch):
    monkeypatch.setattr(eks, "BATAS_LATAR", 10)
    banyak(25)
    c = masuk("dinas.inhil")
    resp = c.post(reverse("bpum:ekspor_buat"), {"periode": periode.pk, "status": "diajukan"})
    e = EksporRekap.objects.get()
    assert resp.status_code == 302 and e.status == EksporRekap.Status.SELESAI
    assert s3.kunci("bpum/ekspor/") == [e.berkas.name]
    assert s3.status_anonim(e.berkas.name) == 403 and s3.hanya_pemilik(e.berkas.name)
    unduh = c.get(reverse("bpum:ekspor_unduh", args=[e.pk]))
    isi = _isi(unduh)
    assert unduh.status_code == 200 and isi == s3.isi(e.berkas.name)
    wb = openpyxl.load_workbook(io.BytesIO(isi))
    assert wb["Tembilahan"].max_row == 26
    assert (
        masuk("kecamatan.tembilahan").get(reverse("bpum:ekspor_unduh", args=[e.pk])).status_code
        == 404
    )


def test_lampiran_permohonan_di_bucket(s3, masuk, pengguna):
    from sop.models import Sop, Unit
    from sop.pertukaran import impor
    from sop.services import permohonan_mulai
    from tests.sop.test_lingkup import SOP_UJI

    Unit.objects.filter(wilayah__kode__startswith="14").update(
        layanan=["bpum", "sop"], sop_kode=["UJI-LINGKUP"]
    )
    impor([SOP_UJI])
    c = masuk("desa.tembilahan-kota")
    p = permohonan_mulai(
        user=pengguna("desa.tembilahan-kota"),
        sop=Sop.objects.berlaku().get(kode="UJI-LINGKUP"),
        unit=Unit.objects.get(kode="kantor-desa-14-04-04-1001"),
        judul="Uji bucket",
    )
    isi = b"%PDF-1.4 data pribadi di bucket"
    resp = c.post(
        reverse("sop:permohonan_lampiran", args=[p.pk]),
        {"jenis": "Lainnya", "berkas": SimpleUploadedFile("ktp.pdf", isi)},
    )
    assert resp.status_code == 302
    lampiran = p.lampiran.get()
    assert s3.kunci("permohonan/lampiran/") == [lampiran.berkas.name]
    url = reverse("sop:permohonan_lampiran_unduh", args=[p.pk, lampiran.pk])
    r = c.get(url)
    assert r.status_code == 200 and _isi(r) == isi
    assert masuk("desa.sungaiperak").get(url).status_code == 404


def test_tautan_unduh_bertanda_dan_singkat(s3, masuk, banyak, periode, monkeypatch, settings):
    """With PORTAL_UNDUH_TAUTAN an attachment is answered, after the scope check, with a redirect
    to a pre-signed link naming the file and its type; the object itself is not downloaded by
    the portal, and stays closed to unsigned requests."""
    from storages.backends.s3 import S3File

    monkeypatch.setattr(eks, "BATAS_LATAR", 10)
    banyak(12)
    c = masuk("dinas.inhil")
    c.post(reverse("bpum:ekspor_buat"), {"periode": periode.pk, "status": "diajukan"})
    e = EksporRekap.objects.get()
    url_unduh = reverse("bpum:ekspor_unduh", args=[e.pk])
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    settings.PORTAL_UNDUH_TAUTAN = False
    assert tautan_unduh(e.berkas, nama="rekap.xlsx", mime=xlsx) is None  # off: streamed
    r = c.get(url_unduh)
    assert r.status_code == 200 and r.streaming

    settings.PORTAL_UNDUH_TAUTAN = True

    def tidak_boleh(self):
        raise AssertionError("the portal downloaded the whole object")

    with monkeypatch.context() as m:
        m.setattr(S3File, "file", property(tidak_boleh))
        r = c.get(url_unduh)
    assert r.status_code == 302
    url = r["Location"]
    assert url.startswith(s3.endpoint) and "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
    assert r["Cache-Control"] == "private, no-cache" and r["X-Content-Type-Options"] == "nosniff"
    nama = eks.nama_berkas(e.periode, e.wilayah_id)
    with urllib.request.urlopen(url, timeout=10) as f:
        assert f.read() == s3.isi(e.berkas.name)
        assert f.headers["Content-Type"] == xlsx
        assert f.headers["Content-Disposition"] == f'attachment; filename="{nama}"'
    # outside the scope no link is issued at all
    assert masuk("kecamatan.tembilahan").get(url_unduh).status_code == 404
    # the same object without the signature stays closed (moto does not verify signatures or
    # expiry; MinIO, Ceph RGW and cloud stores do)
    assert s3.status_anonim(e.berkas.name) == 403


def test_dokumen_tampil_tetap_dialirkan_dengan_tautan_aktif(s3, masuk, buat, settings):
    """A PDF or photo is shown in the browser: always streamed by the portal with the
    sandboxing headers, never handed out as a bucket link."""
    u = buat(51)
    settings.PORTAL_UNDUH_TAUTAN = True
    r = masuk("desa.tembilahan-kota").get(reverse("bpum:usulan_dokumen", args=[u.pk, "kk"]))
    assert r.status_code == 200 and _isi(r) == PDF
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Security-Policy"] == "sandbox; default-src 'none'"


@pytest.mark.parametrize("tautan", [False, True])
def test_objek_hilang_404(s3, masuk, buat, settings, tautan):
    """An object removed from the bucket (a restore that lags the database) answers 404."""
    u = buat(52)
    s3.client.delete_object(Bucket=s3.nama, Key=u.berkas_usaha.name)
    settings.PORTAL_UNDUH_TAUTAN = tautan
    r = masuk("desa.tembilahan-kota").get(reverse("bpum:usulan_dokumen", args=[u.pk, "usaha"]))
    assert r.status_code == 404


def test_tanpa_bucket_disk_lokal_tetap_bawaan(settings, tmp_path):
    """Without AWS_STORAGE_BUCKET_NAME the settings keep the local disk (``./portal serve``)."""
    import importlib
    import os
    from unittest import mock

    import config.settings as cs

    with mock.patch.dict(os.environ, {}, clear=False):
        os.environ.pop("AWS_STORAGE_BUCKET_NAME", None)
        lokal = importlib.reload(cs)
        assert lokal.STORAGES["default"]["BACKEND"] == (
            "django.core.files.storage.FileSystemStorage"
        )
        assert lokal.PORTAL_UNDUH_TAUTAN is False
    importlib.reload(cs)
