"""Issue 12 on the licensing counter: the intake form carries an idempotency token, so a double
click or a resent POST receives the file once (one request, one receipt number)."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.urls import reverse

from perizinan import services
from perizinan.models import JenisLayanan, Permohonan
from sop.idempoten import token_baru

from .conftest import data_pemohon, pdf
from .test_loket import _form_terima


@pytest.mark.django_db
def test_kirim_ulang_formulir_terima_satu_permohonan(masuk, layanan):
    c = masuk("fo.pelalawan")
    j = layanan("iumk-pelalawan")
    html = c.get(reverse("perizinan:terima"), {"layanan": j.kode}).content.decode()
    assert 'name="token"' in html
    token = token_baru()
    r1 = c.post(reverse("perizinan:terima"), {**_form_terima(j, 21), "token": token})
    r2 = c.post(reverse("perizinan:terima"), {**_form_terima(j, 21), "token": token})
    assert r1.status_code == r2.status_code == 302
    [p] = Permohonan.objects.filter(pemohon_nama="Siti Pemohon 21")
    assert r1["Location"] == r2["Location"]
    assert r2["Location"].startswith(reverse("perizinan:detail", args=[p.pk]))
    # a new form (a new token) is a new file
    c.post(reverse("perizinan:terima"), {**_form_terima(j, 21), "token": token_baru()})
    assert Permohonan.objects.filter(pemohon_nama="Siti Pemohon 21").count() == 2


@pytest.mark.django_db(transaction=True)
def test_kirim_ganda_serentak_satu_permohonan_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL; SQLite serialises every write")
    j = JenisLayanan.objects.get(kode="iumk-pelalawan")
    fo = get_user_model().objects.get(username="fo.pelalawan")
    syarat = list(j.persyaratan.all())
    token = token_baru()
    mulai = threading.Barrier(2)
    hasil, galat = [], []

    def kirim():
        try:
            berkas = {s.pk: pdf(f"s{s.pk}.pdf") for s in syarat if s.unggah}
            asli = {s.pk for s in syarat if not s.unggah}
            mulai.wait(timeout=60)
            p = services.permohonan_terima(
                user=fo, jenis=j, data=data_pemohon(77), berkas=berkas, asli=asli, token=token
            )
            hasil.append(p.pk)
        except BaseException as e:  # noqa: BLE001 - reported below
            galat.append(e)
        finally:
            connections.close_all()

    t = [threading.Thread(target=kirim) for _ in range(2)]
    for x in t:
        x.start()
    for x in t:
        x.join(120)
    assert not galat, galat
    assert len(hasil) == 2 and hasil[0] == hasil[1]
    assert Permohonan.objects.filter(pemohon_nama="Siti Pemohon 77").count() == 1
