"""Journey: a village officer mistypes the NIK after attaching four photos; the form comes back
with the error summary, the NIK marked, and the four files kept; fixing the NIK is enough."""

import re

import pytest
from playwright.sync_api import expect

from bpum.models import Usulan

from .aksesibilitas import cek_aksesibilitas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NIK = "1404045506880007"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_salah_nik_foto_tetap_tersimpan(halaman, masuk_browser, simpan_layar, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = halaman
    masuk_browser(page, "desa.tembilahan-kota")
    page.goto("/bpum/usulan/baru/")
    page.fill("#id_nik", NIK[:-1] + "O")  # a letter O instead of the digit 7
    page.fill("#id_no_kk", "1404040101880012")
    page.fill("#id_nama", "Siti Aminah")
    page.fill("#id_alamat", "Jl. Swarna Karya No. 12, Tembilahan")
    for field, nama, isi in (
        ("berkas_ktp", "foto_ktp.png", PNG),
        ("berkas_kk", "kk.pdf", PDF),
        ("berkas_usaha", "sku.pdf", PDF),
        ("berkas_foto", "foto_warung.png", PNG),
    ):
        f = tmp_path / nama
        f.write_bytes(isi)
        page.set_input_files(f"#id_{field}", str(f))
    page.check("#id_bukan_pegawai")
    page.check("#id_tidak_menerima_kur")
    page.click("[data-testid=simpan-usulan]")

    ringkasan = page.locator("[data-ringkasan-galat]")
    expect(ringkasan).to_be_focused()
    expect(ringkasan).to_contain_text("NIK")
    expect(page.locator("#id_nik")).to_have_attribute("aria-invalid", "true")
    tersimpan = page.locator(".berkas-tersimpan")
    expect(tersimpan).to_have_count(4)
    expect(tersimpan.first).to_contain_text("foto_ktp.png")
    expect(page.locator("#id_berkas_ktp")).to_have_attribute(
        "aria-describedby", re.compile("id_berkas_ktp_tersimpan")
    )
    cek_aksesibilitas(page, "form usulan dengan berkas tersimpan")
    simpan_layar(page, "46-bpum-form-berkas-tersimpan")

    ringkasan.get_by_role("link", name=re.compile("NIK")).click()
    expect(page.locator("#id_nik")).to_be_focused()
    page.fill("#id_nik", NIK)
    page.click("[data-testid=simpan-usulan]")
    expect(page.locator(".msg.success")).to_be_visible()
    u = Usulan.objects.get(nik=NIK)
    assert all((u.berkas_ktp, u.berkas_kk, u.berkas_usaha, u.berkas_foto))
    assert not u.kekurangan()
