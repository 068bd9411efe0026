"""axe-core over every main page of every role, on a phone and on a desktop screen: no serious
or critical WCAG 2.1 A/AA violation. Also the phone menu from the keyboard and distinct titles."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from bpum import services as bpum
from bpum.models import Periode, Rekap
from sop import services as sop_services
from sop.models import Sop, Unit, Wilayah
from sop.pertukaran import simpan_sop, sop_ke_dict

from .aksesibilitas import cek_aksesibilitas
from .conftest import LAYAR

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _data(i, nik=None):
    return {
        "nik": nik or f"14040412{i:02d}900001",
        "no_kk": f"1404{i:012d}",
        "nama": f"Pelaku Usaha {i}",
        "alamat": f"Jl. Sudirman {i}",
        "bidang_usaha": "Warung",
        "no_hp": "081234567890",
        "bukan_pegawai": "1",
        "tidak_menerima_kur": "1",
    }


def _berkas():
    return {
        "ktp": SimpleUploadedFile("ktp.png", PNG),
        "kk": SimpleUploadedFile("kk.pdf", PDF),
        "usaha": SimpleUploadedFile("sku.pdf", PDF),
        "foto": SimpleUploadedFile("foto.png", PNG),
    }


@pytest.fixture
def data_contoh(django_user_model, settings, tmp_path):
    """Something on every page: proposals at the village and in a sent batch, a duplicate pair,
    generic requests at a decision step (Pacitan, an admin's local SOP) and a normal step
    (Jawa Timur)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    u = django_user_model.objects.get
    periode = Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04")
    desa = u(username="desa.tembilahan-kota")
    tk = Wilayah.objects.get(kode="14.04.04.1001")
    di_desa = bpum.usulan_buat(user=desa, desa=tk, data=_data(1), berkas={}, periode=periode)
    lengkap = [
        bpum.usulan_buat(user=desa, desa=tk, data=_data(i), berkas=_berkas(), periode=periode)
        for i in (2, 3)
    ]
    bpum.usulan_buat(
        user=u(username="desa.sungaiperak"),
        desa=Wilayah.objects.get(kode="14.04.04.1004"),
        data=_data(9, nik=lengkap[0].nik),
        berkas={},
        periode=periode,
    )
    for x in lengkap:
        bpum.usulan_transisi(user=desa, usulan=x, nama="tandai_lengkap")
    kec = u(username="kecamatan.tembilahan")
    rekap = bpum.rekap_terbuka(
        user=kec,
        periode=periode,
        wilayah=Wilayah.objects.get(kode="14.04.04"),
        tingkat=Rekap.Tingkat.KECAMATAN,
    )
    bpum.rekap_tambah(user=kec, rekap=rekap, usulan_ids=[x.pk for x in lengkap])
    bpum.rekap_kirim(user=kec, rekap=rekap)
    upt = u(username="upt.pacitan")
    # the UPT's SOP 17 runs on the loan book's screens (their journeys check those with axe);
    # the generic runner gets an admin's local variant of it, with the same decision step
    d = sop_ke_dict(Sop.objects.berlaku().get(kode="PACITAN-17"), dengan_batas=False)
    d["kode"] = "PACITAN-17-LOKAL"
    lokal = simpan_sop(d, 1, u(username="admin"))
    pmh_upt = sop_services.permohonan_mulai(
        user=upt,
        sop=lokal,
        unit=Unit.objects.get(kode="upt-dana-bergulir-pacitan"),
        judul="Proposal pinjaman Koperasi Maju",
        pemohon_nama="Koperasi Maju",
    )
    sop_services.permohonan_transisi(user=upt, permohonan=pmh_upt, nama="selesaikan")
    pmh_jatim = sop_services.permohonan_mulai(
        user=u(username="jatim.kabid"),
        sop=Sop.objects.berlaku().get(kode="JATIM-5.4.6"),
        unit=Unit.objects.get(kode="dinas-koperasi-ukm-prov-jatim"),
        judul="Pendampingan KUKM",
    )
    return {
        "usulan_desa": di_desa.pk,
        "usulan": lengkap[0].pk,
        "rekap": rekap.pk,
        "pmh_upt": pmh_upt.pk,
        "pmh_jatim": pmh_jatim.pk,
        "sop": lokal.pk,
    }


UMUM = ["/", "/sop/tugas/", "/sop/notifikasi/", "/sop/lewat-tenggat/", "/akun/kata-sandi/"]
HALAMAN = {
    "desa.tembilahan-kota": UMUM
    + [
        "/bpum/",
        "/bpum/usulan/",
        "/bpum/usulan/baru/",
        "/bpum/usulan/{usulan_desa}/",
        "/bpum/usulan/{usulan_desa}/ubah/",
    ],
    "kecamatan.tembilahan": UMUM
    + ["/bpum/rekap/", "/bpum/rekap/susun/", "/bpum/rekap/{rekap}/", "/bpum/impor/"],
    "dinas.inhil": UMUM
    + [
        "/bpum/",
        "/bpum/usulan/",
        "/bpum/rekap/{rekap}/",
        "/bpum/usulan/{usulan}/",
        "/bpum/duplikat/",
        "/bpum/duplikat/{usulan}/",
        "/bpum/dasbor/",
        "/bpum/ekspor/",
        "/bpum/periode/",
        "/sop/kepatuhan/",
    ],
    "provinsi.riau": ["/", "/bpum/", "/bpum/usulan/", "/bpum/rekap/", "/bpum/dasbor/"],
    "petugas.riau": ["/bpum/", "/bpum/rekap/", "/bpum/impor/", "/bpum/ekspor/"],
    "upt.pacitan": UMUM
    + [
        "/sop/permohonan/",
        "/sop/permohonan/baru/",
        "/sop/permohonan/{pmh_upt}/",
        "/sop/definisi/",
        "/sop/definisi/{sop}/",
    ],
    "fo.pelalawan": ["/", "/sop/tugas/", "/sop/permohonan/", "/sop/permohonan/baru/"],
    "jatim.staf": ["/", "/sop/tugas/", "/sop/permohonan/", "/sop/permohonan/{pmh_jatim}/"],
    "jatim.kabid": ["/sop/permohonan/{pmh_jatim}/"],
    "admin": [
        "/admin/",
        "/admin/sop/sop/",
        "/admin/sop/sop/{sop}/change/",
        "/admin/sop/unit/",
        "/admin/bpum/usulan/",
        "/admin/auth/user/",
    ],
}


def _periksa_dua_layar(page, url, judul_terlihat):
    for nama, ukuran in LAYAR.items():
        page.set_viewport_size(ukuran)
        page.goto(url)
        cek_aksesibilitas(page, f"{url} ({nama})")
    judul = page.title()
    assert judul and judul not in judul_terlihat, f"{url}: title {judul!r} seen before"
    judul_terlihat[judul] = url


@pytest.mark.parametrize("username", list(HALAMAN))
def test_halaman_utama_per_peran(halaman, masuk_browser, data_contoh, username):
    page = halaman
    masuk_browser(page, username)
    judul = {}
    for pola in HALAMAN[username]:
        url = pola.format(**data_contoh)
        if url.startswith("/admin/"):
            for nama, ukuran in LAYAR.items():
                page.set_viewport_size(ukuran)
                page.goto(url)
                cek_aksesibilitas(page, f"{url} ({nama})")
            continue
        _periksa_dua_layar(page, url, judul)
    if not HALAMAN[username][0].startswith("/admin/"):
        # the phone menu, opened from the keyboard, is checked in its open state too
        page.set_viewport_size(LAYAR["ponsel"])
        page.goto("/")
        tombol = page.locator("[data-testid=menu-tombol]")
        tombol.focus()
        page.keyboard.press("Enter")
        expect(tombol).to_have_attribute("aria-expanded", "true")
        cek_aksesibilitas(page, "menu ponsel terbuka")


def test_form_gagal_dan_halaman_publik(halaman, masuk_browser, data_contoh):
    page = halaman
    # public pages, no login
    for url in ("/masuk/", "/bpum/status/"):
        for ukuran in LAYAR.values():
            page.set_viewport_size(ukuran)
            page.goto(url)
            cek_aksesibilitas(page, url)
    page.goto("/masuk/")
    page.fill("#id_username", "desa.tembilahan-kota")
    page.fill("#id_password", "salah")
    page.click("button[type=submit]")
    expect(page.locator("[data-ringkasan-galat]")).to_be_focused()
    cek_aksesibilitas(page, "login gagal")
    # a failed intake: the summary takes the focus and links to the field
    masuk_browser(page, "desa.tembilahan-kota")
    page.set_viewport_size(LAYAR["ponsel"])
    page.goto("/bpum/usulan/baru/")
    page.fill("#id_nik", "1404")
    page.click("[data-testid=simpan-usulan]")
    ringkasan = page.locator("[data-ringkasan-galat]")
    expect(ringkasan).to_be_focused()
    expect(page.locator("#id_nik")).to_have_attribute("aria-invalid", "true")
    cek_aksesibilitas(page, "form usulan gagal")
    ringkasan.get_by_role("link", name=re.compile("NIK")).click()
    expect(page.locator("#id_nik")).to_be_focused()
    # the runner's start form and a step's reason, failed
    masuk_browser(page, "jatim.kabid")
    page.goto("/sop/permohonan/baru/")
    page.click("form[data-testid=form-permohonan] button[type=submit]")
    expect(page.locator("[data-ringkasan-galat]")).to_be_visible()
    cek_aksesibilitas(page, "form permohonan gagal")


def test_pemeriksa_axe_benar_benar_gagal(halaman):
    """The helper itself: a page with an unlabelled input and no language must fail."""
    from _pytest.outcomes import Failed

    from .aksesibilitas import jalankan_axe

    halaman.set_content("<html><body><input type=text><img src=x.png></body></html>")
    ids = {v["id"] for v in jalankan_axe(halaman)}
    assert {"label", "html-has-lang", "image-alt"} <= ids
    with pytest.raises(Failed, match="label"):
        cek_aksesibilitas(halaman, "halaman rusak")
