"""The SOP editor in the admin: read-only revisions in force, draft revisions edited step by step
(performers from the SOP's columns, inputs marked document or equipment, time limits read as
typed with suggestions, an explicit "not tracked"), and putting a draft in force."""

import re

import pytest
from django.urls import reverse

from sop.models import Langkah, Sop

from .formulir_html import ganti, isi_formulir, sebagai_dict

pytestmark = pytest.mark.django_db

KODE = "PACITAN-14"


@pytest.fixture
def admin_client(masuk):
    return masuk("admin")


def _berlaku(kode=KODE):
    return Sop.objects.berlaku().get(kode=kode)


def _buat_draf(client, kode=KODE) -> Sop:
    r = client.post(reverse("admin:sop_sop_revisi_baru", args=[_berlaku(kode).pk]))
    assert r.status_code == 302
    return Sop.objects.get(kode=kode, status=Sop.Status.DRAF)


def _form_langkah(html: str, kode_langkah: str) -> str:
    """The inline prefix (e.g. 'langkah-3') of the step with ``kode_langkah``."""
    m = re.search(rf'name="(langkah-\d+)-kode" value="{re.escape(kode_langkah)}"', html)
    assert m, kode_langkah
    return m[1]


def test_berlaku_hanya_baca(admin_client, django_assert_max_num_queries):
    sop = _berlaku()
    with django_assert_max_num_queries(15):
        r = admin_client.get(reverse("admin:sop_sop_change", args=[sop.pk]))
    html = r.content.decode()
    assert r.status_code == 200
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert 'data-testid="revisi-baru"' in html and 'data-testid="hanya-baca"' in html
    assert "Buat revisi baru" in html  # the Indonesian label of the action
    # every step is shown, with its parsed limit and performers by their column label
    assert html.count("<tr>") >= sop.langkah.count()
    assert "Tim Verifikator" in html and "30 menit kerja" in html
    # posting a change to a revision in force is refused
    r = admin_client.post(reverse("admin:sop_sop_change", args=[sop.pk]), {"nama": "Diubah"})
    assert r.status_code == 403
    assert Sop.objects.get(pk=sop.pk).nama != "Diubah"


def test_revisi_baru_sekali_saja(admin_client):
    draf = _buat_draf(admin_client)
    assert draf.revisi == _berlaku().revisi + 1 and draf.dibuat_oleh.username == "admin"
    assert draf.langkah.count() == _berlaku().langkah.count()
    r = admin_client.post(reverse("admin:sop_sop_revisi_baru", args=[_berlaku().pk]))
    assert r["Location"] == reverse("admin:sop_sop_change", args=[draf.pk])
    assert Sop.objects.filter(kode=KODE, status=Sop.Status.DRAF).count() == 1
    assert admin_client.get(reverse("admin:sop_sop_revisi_baru", args=[draf.pk])).status_code == 405


def test_editor_draf(admin_client, django_assert_max_num_queries):
    draf = _buat_draf(admin_client)
    with django_assert_max_num_queries(20):
        r = admin_client.get(reverse("admin:sop_sop_change", args=[draf.pk]))
    html = r.content.decode()
    assert r.status_code == 200 and 'name="_save"' in html
    p = _form_langkah(html, "registrasi-siinas")
    # performers: exactly the SOP's three columns, by their labels
    kotak = re.findall(rf'name="{p}-pelaksana" value="(\d+)"', html)
    assert len(kotak) == draf.kolom.count() == 3
    # "Komputer On Line" is equipment, "NIB" a document
    baris = re.findall(
        rf'name="{p}-kelengkapan_daftar_nama" value="([^"]*)".*?'
        rf'name="{p}-kelengkapan_daftar_jenis"[^>]*>(.*?)</select>',
        html,
        re.S,
    )
    jenis = {nama: re.search(r'value="(\w+)" selected', opsi)[1] for nama, opsi in baris if nama}
    assert jenis["Komputer On Line"] == "alat" and jenis["NIB"] == "dokumen"
    # the parsed limit next to the text; branch targets by number and activity
    assert re.search(rf'id="{p}-waktu-hasil"[^>]*>.*?→ ', html, re.S)
    assert ">6. Tim Verifikator menerima" in html
    assert "<script>" not in html and " style=" not in html  # CSP: no inline code or styles


def _post_draf(client, draf, ubah):
    url = reverse("admin:sop_sop_change", args=[draf.pk])
    html = client.get(url).content.decode()
    data = isi_formulir(html, "sop_form")
    data = ubah(html, data)
    data = ganti(data, "_continue", "1")
    return client.post(url, sebagai_dict(data))


def test_waktu_tak_terbaca_ditolak_dengan_saran(admin_client):
    draf = _buat_draf(admin_client)

    def ubah(html, data):
        return ganti(data, f"{_form_langkah(html, 'registrasi-siinas')}-waktu", "2 jm")

    r = _post_draf(admin_client, draf, ubah)
    assert r.status_code == 200
    html = r.content.decode()
    assert "“2 jm”" in html and "“2 jam”" in html and "tidak dipantau" in html
    assert Langkah.objects.get(sop=draf, kode="registrasi-siinas").waktu != "2 jm"


def test_waktu_disimpan_dan_tidak_dipantau_eksplisit(admin_client):
    draf = _buat_draf(admin_client)

    def ubah(html, data):
        a = _form_langkah(html, "registrasi-siinas")
        b = _form_langkah(html, "unggah-data-perusahaan")
        data = ganti(data, f"{a}-waktu", "2 jam")
        data = ganti(data, f"{b}-waktu", "sekitar lima belas menitan")
        return ganti(data, f"{b}-waktu_tidak_dipantau", "on")

    r = _post_draf(admin_client, draf, ubah)
    assert r.status_code == 302
    a = Langkah.objects.get(sop=draf, kode="registrasi-siinas")
    assert a.waktu == "2 jam" and a.batas == {"jenis": "menit", "jumlah": 120, "bawah": None}
    b = Langkah.objects.get(sop=draf, kode="unggah-data-perusahaan")
    assert b.waktu == "sekitar lima belas menitan" and b.waktu_tidak_dipantau
    assert b.batas["jenis"] == "tidak_dilacak"


def test_kelengkapan_alat_tidak_boleh_wajib(admin_client):
    draf = _buat_draf(admin_client)

    def ubah(html, data):
        p = _form_langkah(html, "registrasi-siinas")
        return ganti(data, f"{p}-kelengkapan_daftar_wajib", "0")  # row 0: Komputer On Line

    r = _post_draf(admin_client, draf, ubah)
    assert r.status_code == 200
    assert "“Komputer On Line” adalah peralatan" in r.content.decode()

    def ubah_dokumen(html, data):
        p = _form_langkah(html, "registrasi-siinas")
        return ganti(data, f"{p}-kelengkapan_daftar_wajib", "1")  # row 1: NIB

    r = _post_draf(admin_client, draf, ubah_dokumen)
    assert r.status_code == 302
    lk = Langkah.objects.get(sop=draf, kode="registrasi-siinas")
    assert lk.kelengkapan_wajib == ["NIB"] and lk.kelengkapan_alat == ["Komputer On Line"]
    assert lk.kelengkapan_dokumen == ["NIB"]


def test_cabang_dan_pelaksana_dari_kolom(admin_client):
    draf = _buat_draf(admin_client)
    kadis = draf.kolom.get(pelaksana__kode="kepala_dinas").pelaksana_id

    def ubah(html, data):
        p = _form_langkah(html, "lapor-hasil-verifikasi")
        data = ganti(data, f"{p}-pelaksana", None)
        data.append((f"{p}-pelaksana", str(kadis)))
        return ganti(data, f"{p}-cabang_tidak", "terima-permintaan-verifikasi")

    assert _post_draf(admin_client, draf, ubah).status_code == 302
    lk = Langkah.objects.get(sop=draf, kode="lapor-hasil-verifikasi")
    assert [p.kode for p in lk.pelaksana.all()] == ["kepala_dinas"]
    assert lk.cabang_tidak == "terima-permintaan-verifikasi"

    def ubah_salah(html, data):  # a role that is not a column of this SOP
        p = _form_langkah(html, "lapor-hasil-verifikasi")
        return ganti(data, f"{p}-pelaksana", "999999")

    assert _post_draf(admin_client, draf, ubah_salah).status_code == 200


def test_berlakukan_draf(admin_client):
    lama = _berlaku()
    draf = _buat_draf(admin_client)
    r = admin_client.post(reverse("admin:sop_sop_berlakukan", args=[draf.pk]), follow=True)
    assert r.status_code == 200
    assert Sop.objects.get(pk=draf.pk).status == Sop.Status.BERLAKU
    assert Sop.objects.get(pk=lama.pk).status == Sop.Status.ARSIP
    assert "berlaku" in r.content.decode()
    # a revision in force cannot be "put in force" again (it is not editable)
    r = admin_client.post(reverse("admin:sop_sop_berlakukan", args=[draf.pk]))
    assert r.status_code == 403


def test_berlakukan_menolak_draf_tak_valid(admin_client):
    draf = _buat_draf(admin_client)
    Langkah.objects.filter(sop=draf, kode="registrasi-siinas").update(waktu="2 jm")
    r = admin_client.post(reverse("admin:sop_sop_berlakukan", args=[draf.pk]), follow=True)
    assert "2 jam" in r.content.decode()
    assert Sop.objects.get(pk=draf.pk).status == Sop.Status.DRAF


@pytest.mark.parametrize(
    ("params", "harapan"),
    [
        ({"langkah-0-waktu": "2 jam"}, "120 menit kerja"),
        ({"langkah-0-waktu": "2 jm"}, "2 jam"),
        ({"langkah-0-waktu": "Menyesuaikan"}, "tidak dipantau"),
        ({"langkah-0-waktu": "2 jm", "langkah-0-waktu_tidak_dipantau": "on"}, "dipilih"),
    ],
)
def test_endpoint_waktu(admin_client, params, harapan):
    r = admin_client.get(reverse("admin:sop_sop_waktu"), params)
    assert r.status_code == 200 and harapan in r.content.decode()


def test_endpoint_waktu_hanya_admin(masuk):
    r = masuk("upt.pacitan").get(reverse("admin:sop_sop_waktu"), {"x-waktu": "1 hari"})
    assert r.status_code == 302  # to the admin login


def test_hapus_sop_berlaku_dilindungi(admin_client):
    sop = _berlaku()
    r = admin_client.post(
        reverse("admin:sop_sop_changelist"),
        {"action": "delete_selected", "_selected_action": [sop.pk], "post": "yes"},
    )
    assert Sop.objects.filter(pk=sop.pk).exists()
    assert r.status_code == 200 and "bukan draf" in r.content.decode()


def test_sop_baru_dibuat_sebagai_draf(admin_client):
    url = reverse("admin:sop_sop_add")
    data = isi_formulir(admin_client.get(url).content.decode(), "sop_form")
    data = ganti(ganti(data, "kode", "UJI-1"), "nama", "SOP uji")
    r = admin_client.post(url, sebagai_dict(ganti(data, "_continue", "1")))
    assert r.status_code == 302
    sop = Sop.objects.get(kode="UJI-1")
    assert sop.status == Sop.Status.DRAF and sop.revisi == 1
    # the same code again is refused: a new revision is the way to change it
    r = admin_client.post(url, sebagai_dict(ganti(data, "_continue", "1")))
    assert r.status_code == 200 and "revisi baru" in r.content.decode()
