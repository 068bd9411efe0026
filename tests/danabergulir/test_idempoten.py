"""Issue 12 on the proposal register: the registration form carries an idempotency token, so a
double click or a resent POST registers one proposal."""

import pytest
from django.urls import reverse

from danabergulir.models import Proposal
from sop.idempoten import token_baru

from .alur import pdf_kecil

pytestmark = pytest.mark.django_db


def test_kirim_ulang_formulir_proposal_satu_proposal(masuk):
    c = masuk("upt.pacitan")
    assert 'name="token"' in c.get(reverse("danabergulir:proposal_baru")).content.decode()
    data = {
        "jenis": "umkm",
        "nama": "Warung Bu Ganda",
        "nik": "3501014101900002",
        "nib": "9120000000002",
        "kecamatan": "35.01.01",
        "jumlah_diminta": "5000000",
        "tenor_diminta": "12",
        "tujuan": "Modal kerja",
        "token": token_baru(),
    }
    r1 = c.post(reverse("danabergulir:proposal_simpan"), {**data, "berkas": pdf_kecil()})
    r2 = c.post(reverse("danabergulir:proposal_simpan"), {**data, "berkas": pdf_kecil()})
    assert r1.status_code == r2.status_code == 302 and r1["Location"] == r2["Location"]
    assert Proposal.objects.filter(nama="Warung Bu Ganda").count() == 1
    c.post(
        reverse("danabergulir:proposal_simpan"),
        {**data, "token": token_baru(), "berkas": pdf_kecil()},
    )
    assert Proposal.objects.filter(nama="Warung Bu Ganda").count() == 2
