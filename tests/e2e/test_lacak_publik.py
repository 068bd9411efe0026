"""Journey: an officer prints the applicant's receipt (new PIN, QR) for a generic-runner request;
the applicant scans the QR on a phone, types the PIN and follows the request without logging in.
"""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from sop.models import Permohonan
from tests.sop.qr_baca import baca_gambar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def _axe_serius(page) -> list[str]:
    """Serious or critical axe-core violations on the current page (injected through the
    DevTools protocol, so the page's CSP is untouched)."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => ["serious", "critical"].includes(v.impact))
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""
    )


def test_petugas_cetak_tanda_terima_pemohon_lacak_di_ponsel(
    halaman, masuk_browser, simpan_layar, live_server
):
    page = halaman
    masuk_browser(page, "jatim.kabid")
    page.goto("/sop/permohonan/baru/")
    sop_id = page.locator("#id_sop option", has_text="JATIM-5.4.6").get_attribute("value")
    page.select_option("#id_sop", value=sop_id)
    page.fill("#id_judul", "Pendampingan perlindungan usaha 2026")
    page.fill("#id_pemohon_nama", "Siti Aminah binti Ahmad")
    page.click("form[data-testid=form-permohonan] button[type=submit]")
    expect(page.locator("[data-testid=tanda-terima]")).to_be_visible()
    p = Permohonan.objects.get(judul__startswith="Pendampingan perlindungan usaha 2026")
    page.click("[data-testid=transisi-selesaikan]")
    expect(page.locator("[data-testid=langkah-aktif]")).to_contain_text("Langkah 2 dari 13")
    simpan_layar(page, "50-runner-tanda-terima")

    # the officer prints the receipt on the 58 mm printer: a new PIN, printed once
    form = page.locator("[data-testid=form-tanda-terima]")
    form.locator("select[name=ukuran]").select_option("58mm")
    token = form.locator("input[name=csrfmiddlewaretoken]").get_attribute("value")
    resp = page.request.post(
        form.get_attribute("action"),
        form={"csrfmiddlewaretoken": token, "ukuran": "58mm"},
        headers={"Referer": page.url},
    )
    assert resp.ok and resp.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(resp.body()))
    teks = pdf.pages[0].extract_text()
    pin = re.search(r"PIN: (\d{6})", teks).group(1)
    (gambar,) = pdf.pages[0].images
    url_qr = baca_gambar(gambar.image)
    assert url_qr == f"{live_server.url}/lacak/{p.kode_lacak}/"

    # the applicant, on a phone, without logging in: the QR opens the page with the code
    page.context.clear_cookies()
    page.goto(url_qr)
    expect(page.locator("#id_kode")).to_have_value(p.kode_lacak)
    page.fill("#id_pin", "000000" if pin != "000000" else "111111")
    page.click("[data-testid=cek-lacak]")
    expect(page.locator("[data-testid=tidak-ditemukan]")).to_be_visible()
    page.fill("#id_pin", pin)
    page.click("[data-testid=cek-lacak]")
    hasil = page.locator("[data-testid=hasil-lacak]")
    expect(hasil).to_contain_text("Sedang diproses")
    expect(page.locator("[data-testid=linimasa]")).to_contain_text("Permohonan diterima")
    expect(page.locator("[data-testid=berjalan]")).to_contain_text("target")
    isi = page.locator("main").inner_text()
    assert "S. A. B." in isi
    for pribadi in ("Siti", "Aminah", "jatim.kabid", "Pendampingan perlindungan", pin):
        assert pribadi not in isi, pribadi
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone
    simpan_layar(page, "51-lacak-publik")
    assert _axe_serius(page) == []
