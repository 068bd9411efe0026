"""The village counter (issue 10): the same NIK shows the existing proposal, a NIK from another
province is a confirmed warning, withdrawing releases the NIK, document inputs offer camera and
file, uploads with progress, the first missing document preselected, a menu per role."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from bpum import services
from bpum.models import Usulan
from sop.engine import AlasanWajib, StatusTidakMengizinkan, TidakBerwenang
from sop.models import Wilayah
from sop.selectors import jejak_objek

from .conftest import DESA_SP, DESA_TK, PNG, data_usulan, nik

pytestmark = pytest.mark.django_db
S = Usulan.Status


def _post_baru(c, i, **extra):
    from sop.idempoten import token_baru

    data = {"desa": DESA_TK, "token": token_baru(), **data_usulan(i), **extra}
    return c.post(reverse("bpum:usulan_baru"), data)


# --------------------------------------------------------------------------- same NIK
def test_same_nik_same_village_shows_the_existing(masuk):
    c = masuk("desa.tembilahan-kota")
    pertama = _post_baru(c, 1)
    u = Usulan.objects.get()
    assert pertama.status_code == 302 and pertama.url == u.get_absolute_url()
    kedua = _post_baru(c, 1, nama="Nama Lain")  # a new form, the same NIK
    assert kedua.status_code == 302 and kedua.url == u.get_absolute_url()
    isi = c.get(kedua.url).content.decode()
    assert "sudah terdaftar" in isi and u.nomor in isi
    assert Usulan.objects.count() == 1 and Usulan.objects.get().nama == u.nama


# --------------------------------------------------------------------------- province code
def test_nik_from_another_province_is_a_confirmed_warning(masuk, pengguna, periode):
    luar = "13" + nik(3)[2:]  # Sumatera Barat
    c = masuk("desa.tembilahan-kota")
    resp = _post_baru(c, 3, nik=luar)
    isi = resp.content.decode()
    assert resp.status_code == 400 and 'data-testid="konfirmasi-provinsi"' in isi
    assert "diterbitkan di provinsi lain" in isi and "kode 13" in isi
    assert not Usulan.objects.exists()
    resp = _post_baru(c, 3, nik=luar, nik_luar_provinsi="on")
    u = Usulan.objects.get()
    assert resp.status_code == 302 and u.nik == luar
    j = jejak_objek(u).get(transisi="mulai")
    assert "mengonfirmasinya" in j.catatan and "(13)" in j.catatan
    # the service refuses it unconfirmed too (another path than the form)
    with pytest.raises(ValidationError) as e:
        services.usulan_buat(
            user=pengguna("desa.tembilahan-kota"),
            desa=Wilayah.objects.get(kode=DESA_TK),
            data=data_usulan(4, nik="13" + nik(4)[2:]),
            periode=periode,
        )
    assert "provinsi lain" in e.value.message_dict["nik"][0]


# --------------------------------------------------------------------------- withdraw
def test_withdraw_releases_the_nik(pengguna, periode, buat):
    desa = pengguna("desa.tembilahan-kota")
    u = buat(5)
    lain = buat(5, desa=DESA_SP)  # the same NIK elsewhere: a flagged pair
    assert Usulan.objects.get(pk=u.pk).duplikat and Usulan.objects.get(pk=lain.pk).duplikat
    with pytest.raises(AlasanWajib):
        services.usulan_transisi(user=desa, usulan=u, nama="tarik")
    with pytest.raises(TidakBerwenang):
        services.usulan_transisi(
            user=pengguna("kecamatan.tembilahan"), usulan=u, nama="tarik", catatan="x"
        )
    u = services.usulan_transisi(
        user=desa, usulan=u, nama="tarik", catatan="NIK salah ketik; dimasukkan ulang"
    )
    assert u.status == S.DITARIK and not u.duplikat
    assert not Usulan.objects.get(pk=lain.pk).duplikat  # no longer held twice
    # entered again: a new proposal, not "already registered"
    lagi = services.usulan_buat(
        user=desa, desa=Wilayah.objects.get(kode=DESA_TK), data=data_usulan(5), periode=periode
    )
    assert lagi.pk != u.pk and lagi.sudah_terdaftar == "" and lagi.status == S.DIAJUKAN
    assert Usulan.objects.get(pk=lagi.pk).duplikat  # flagged with the other village's again
    # the database still refuses two active proposals of one NIK in one village
    with pytest.raises(IntegrityError), transaction.atomic():
        Usulan.objects.filter(pk=u.pk).update(status=S.DIAJUKAN)


def test_withdraw_only_at_the_village(pengguna, sampai):
    (u,) = sampai("lengkap")
    with pytest.raises(StatusTidakMengizinkan):
        services.usulan_transisi(
            user=pengguna("desa.tembilahan-kota"), usulan=u, nama="tarik", catatan="x"
        )


def test_withdraw_screen(masuk, buat):
    u = buat(6)
    c = masuk("desa.tembilahan-kota")
    isi = c.get(u.get_absolute_url()).content.decode()
    assert 'data-testid="transisi-tarik"' in isi
    resp = c.post(
        reverse("bpum:usulan_transisi", args=[u.pk, "tarik"]), {"status_terlihat": "diajukan"}
    )
    assert resp.status_code == 400 and "Tuliskan alasannya." in resp.content.decode()
    resp = c.post(
        reverse("bpum:usulan_transisi", args=[u.pk, "tarik"]),
        {"status_terlihat": "diajukan", "catatan": "NIK salah ketik"},
        follow=True,
    )
    isi = resp.content.decode()
    assert "ditarik" in isi and 'data-testid="ditarik"' in isi
    assert Usulan.objects.get(pk=u.pk).status == S.DITARIK


# --------------------------------------------------------------------------- documents
def test_document_inputs_offer_camera_and_file(masuk, buat):
    c = masuk("desa.tembilahan-kota")
    isi = c.get(reverse("bpum:usulan_baru")).content.decode()
    assert "capture=" not in isi  # the camera is offered, not forced: a scanned PDF too
    assert (
        isi.count('data-perkecil="1600"') == 4
        and 'accept="image/jpeg,image/png,application/pdf"' in isi
    )
    assert "data-unggah-progres=" in isi and "bpum/bpum.js" in isi
    u = buat(7, lengkap=False)
    isi = c.get(u.get_absolute_url()).content.decode()
    assert "capture=" not in isi and 'data-perkecil="1600"' in isi


def test_upload_with_progress_gets_json_and_messages_survive(masuk, buat, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    u = buat(8, lengkap=False)
    c = masuk("desa.tembilahan-kota")
    resp = c.post(
        reverse("bpum:usulan_unggah", args=[u.pk]),
        {"jenis": "ktp", "berkas": SimpleUploadedFile("ktp.png", PNG, content_type="image/png")},
        HTTP_X_UNGGAH_PROGRES="1",
    )
    assert resp.status_code == 200 and resp.json() == {"ke": u.get_absolute_url()}
    isi = c.get(u.get_absolute_url()).content.decode()
    assert "Dokumen diunggah." in isi  # not consumed by the script's request
    # the server still checks the content whatever the browser sent
    resp = c.post(
        reverse("bpum:usulan_unggah", args=[u.pk]),
        {"jenis": "kk", "berkas": SimpleUploadedFile("kk.png", b"bukan gambar")},
        HTTP_X_UNGGAH_PROGRES="1",
    )
    assert resp.status_code == 400 and "text/html" in resp["Content-Type"]
    assert "berkas harus berupa PDF, JPEG, PNG" in resp.content.decode()


def test_add_document_preselects_the_first_missing(masuk, pengguna, periode):
    from django.core.files.uploadedfile import SimpleUploadedFile

    u = services.usulan_buat(
        user=pengguna("desa.tembilahan-kota"),
        desa=Wilayah.objects.get(kode=DESA_TK),
        data=data_usulan(9),
        berkas={"ktp": SimpleUploadedFile("ktp.png", PNG, content_type="image/png")},
        periode=periode,
    )
    isi = masuk("desa.tembilahan-kota").get(u.get_absolute_url()).content.decode()
    pilih = isi[isi.index('name="jenis"') : isi.index("</select>", isi.index('name="jenis"'))]
    assert '<option value="kk" selected>' in pilih and 'value="ktp" selected' not in pilih


# --------------------------------------------------------------------------- menu per role
@pytest.mark.parametrize(
    ("username", "ada", "tidak"),
    [
        (
            "desa.tembilahan-kota",
            {"usulan", "ekspor"},
            {"rekap", "impor", "duplikat", "dasbor", "periode"},
        ),
        ("kecamatan.tembilahan", {"usulan", "rekap", "impor", "dasbor"}, {"duplikat", "periode"}),
        ("dinas.inhil", {"rekap", "impor", "duplikat", "dasbor", "periode"}, set()),
        ("kadis.inhil", {"rekap", "duplikat", "dasbor", "periode"}, {"impor"}),
        ("petugas.riau", {"rekap", "impor", "duplikat", "dasbor"}, {"periode"}),
        ("provinsi.riau", {"rekap", "duplikat", "dasbor"}, {"impor", "periode"}),
    ],
)
def test_menu_shows_each_role_what_it_can_use(masuk, username, ada, tidak):
    isi = masuk(username).get(reverse("bpum:beranda")).content.decode()
    for m in ada:
        assert f'data-testid="menu-{m}"' in isi, m
    for m in tidak:
        assert f'data-testid="menu-{m}"' not in isi, m


def test_beranda_tiles_for_the_province(masuk, sampai):
    sampai("dikirim_provinsi")
    isi = masuk("petugas.riau").get(reverse("bpum:beranda")).content.decode()
    assert (
        'data-testid="tile-antrean-provinsi"' in isi
        and 'data-testid="tile-jawaban-provinsi"' in isi
    )
    assert 'data-testid="tile-usulan-baru"' not in isi
    assert 'data-testid="batas-periode"' in isi and "provinsi bekerja di portal" in isi
