"""Issue 13 for the modules merged after object storage: perizinan's checklist documents and
staged SKM workbooks and danabergulir's staged loan books land in the bucket (nothing under
MEDIA_ROOT: the ``s3`` fixture fails the test otherwise) and come back through the scoped views."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.danabergulir.test_impor import JUDUL_PINJAMAN, baris_pinjaman, xlsx
from tests.perizinan.conftest import data_pemohon, pdf

pytestmark = pytest.mark.django_db


def _isi(resp) -> bytes:
    return b"".join(resp.streaming_content) if resp.streaming else resp.content


def test_berkas_syarat_perizinan_di_bucket(s3, client):
    from perizinan import services
    from perizinan.models import BerkasSyarat, JenisLayanan

    j = JenisLayanan.objects.get(kode="iumk-pelalawan")
    fo = get_user_model().objects.get(username="fo.pelalawan")
    syarat = list(j.persyaratan.all())
    berkas = {s.pk: pdf(f"s{s.pk}.pdf") for s in syarat if s.unggah}
    assert berkas, "the service needs at least one uploaded document for this test"
    p = services.permohonan_terima(
        user=fo,
        jenis=j,
        data=data_pemohon(7),
        berkas=berkas,
        asli={s.pk for s in syarat if not s.unggah},
    )
    disimpan = list(BerkasSyarat.objects.filter(permohonan=p).exclude(berkas=""))
    assert len(disimpan) == len(berkas)
    kunci = s3.kunci()
    for b in disimpan:
        assert b.berkas.name in kunci and s3.status_anonim(b.berkas.name) == 403
    client.force_login(fo)
    b = disimpan[0]
    resp = client.get(reverse("perizinan:unduh_berkas", args=[p.pk, b.pk]))
    assert resp.status_code == 200 and _isi(resp) == s3.isi(b.berkas.name)
    assert resp["Content-Security-Policy"].startswith("sandbox")


def test_buku_pinjaman_danabergulir_di_bucket(s3, client):
    from danabergulir.models import ImporBerkas

    client.force_login(get_user_model().objects.get(username="upt.pacitan"))
    data = xlsx([baris_pinjaman(1), baris_pinjaman(2, plafon="satu juta")], JUDUL_PINJAMAN)
    resp = client.post(
        reverse("danabergulir:impor_unggah"),
        {"jenis": "pinjaman", "berkas": SimpleUploadedFile("buku.xlsx", data)},
    )
    assert resp.status_code == 302
    impor = ImporBerkas.objects.get()
    assert impor.status == ImporBerkas.Status.GALAT  # read by the task from the bucket
    assert s3.isi(impor.berkas.name) == data
    assert impor.berkas_anotasi.name in s3.kunci("danabergulir/impor/")
    resp = client.get(reverse("danabergulir:impor_anotasi", args=[impor.pk]))
    assert resp.status_code == 200 and _isi(resp) == s3.isi(impor.berkas_anotasi.name)
    for k in s3.kunci():
        assert s3.status_anonim(k) == 403, k
