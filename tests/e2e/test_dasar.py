"""Journey: a desa officer logs in on a phone, reaches home, opens Tugas Saya, logs out."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_beranda_tugas_keluar(halaman, masuk_browser, simpan_layar):
    page = halaman
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/masuk/\?next=/"))
    simpan_layar(page, "01-login")
    page.fill("#id_username", "desa.tembilahan-kota")
    page.fill("#id_password", "salah-sandi")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("salah")
    masuk_browser(page, "desa.tembilahan-kota")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Petugas Kel. Tembilahan Kota")
    expect(page.locator("body")).to_contain_text("Kantor Kelurahan Tembilahan Kota")
    simpan_layar(page, "02-beranda-desa")
    page.click("[data-testid=tile-tugas]")
    expect(page).to_have_url(re.compile(r"/sop/tugas/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Tugas Saya|My tasks"))
    simpan_layar(page, "03-tugas-saya")
    # phone layout: the menu is behind a real button, opened from the keyboard
    tombol = page.get_by_role("button", name=re.compile("Menu"))
    expect(tombol).to_have_attribute("aria-expanded", "false")
    expect(page.locator("[data-testid=logout]")).to_be_hidden()
    tombol.focus()
    page.keyboard.press("Enter")
    expect(tombol).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("navigation", name=re.compile("Menu utama|Main menu"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(tombol).to_have_attribute("aria-expanded", "false")
    expect(tombol).to_be_focused()
    page.keyboard.press("Space")
    expect(tombol).to_have_attribute("aria-expanded", "true")
    page.click("[data-testid=logout]")
    expect(page).to_have_url(re.compile(r"/masuk/"))
    page.goto("/sop/tugas/")
    expect(page).to_have_url(re.compile(r"/masuk/\?next="))
