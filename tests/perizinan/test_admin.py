"""Admins edit the services; the SOP code, the checking step and the output steps are checked."""

import pytest
from django.urls import reverse

from perizinan.models import JenisLayanan

pytestmark = pytest.mark.django_db


def _data(j, **ubah):
    d = {
        "kode": j.kode,
        "nama": j.nama,
        "unit": j.unit_id,
        "ringkasan": j.ringkasan,
        "aktif": "on",
        "publik": "on",
        "urutan": j.urutan,
        "sop_kode": j.sop_kode,
        "langkah_periksa": j.langkah_periksa,
        "biaya": "0",
        "biaya_keterangan": "",
        "produk": j.produk,
        "penanganan_pengaduan": j.penanganan_pengaduan,
        "batas_pengaduan": j.batas_pengaduan,
        "persyaratan-TOTAL_FORMS": "0",
        "persyaratan-INITIAL_FORMS": "0",
        "keluaran-TOTAL_FORMS": "1",
        "keluaran-INITIAL_FORMS": "0",
        "keluaran-0-urutan": "9",
        "keluaran-0-nama": "Surat keterangan",
        "keluaran-0-langkah_kode": "terbit-iumk",
        "keluaran-0-wajib": "",
        "keluaran-0-diserahkan": "on",
        "keluaran-0-pola_nomor": "bebas",
    }
    d.update(ubah)
    return d


def test_admin_mengubah_layanan_dengan_pemeriksaan(masuk):
    c = masuk("admin")
    j = JenisLayanan.objects.get(kode="iumk-pelalawan")
    url = reverse("admin:perizinan_jenislayanan_change", args=[j.pk])
    resp = c.get(url)
    assert resp.status_code == 200 and "2 jam 15 menit kerja" in resp.content.decode()
    resp = c.post(url, _data(j, sop_kode="TIDAK-ADA"))
    assert resp.status_code == 200 and "sop_kode" in resp.context["adminform"].form.errors
    resp = c.post(url, _data(j, langkah_periksa="tidak-ada"))
    assert "langkah_periksa" in resp.context["adminform"].form.errors
    resp = c.post(url, _data(j, **{"keluaran-0-langkah_kode": "tidak-ada"}))
    assert resp.status_code == 200
    resp = c.post(url, _data(j, biaya="25000"))
    assert resp.status_code == 302
    j.refresh_from_db()
    assert j.biaya == 25000 and j.keluaran.filter(nama="Surat keterangan").exists()


def test_permohonan_hanya_baca_di_admin(masuk):
    c = masuk("admin")
    assert c.get(reverse("admin:perizinan_permohonan_changelist")).status_code == 200
    assert c.get(reverse("admin:perizinan_permohonan_add")).status_code == 403
