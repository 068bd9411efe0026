"""Journey: an admin opens an SOP in force (read-only), creates a draft revision, edits a step,
sees the time limit read live, is refused an unreadable one with a suggestion, saves, and puts
the draft in force. axe-core runs on each page (serious/critical violations fail)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def cek_axe(page, konteks: str) -> None:
    """Fail on serious or critical WCAG 2.1 A/AA violations (axe-core, vendored, injected by
    Playwright's evaluate, which the nonce CSP does not block)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    hasil = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
    )
    gagal = [v for v in hasil["violations"] if v["impact"] in ("serious", "critical")]
    assert not gagal, f"axe ({konteks}):\n" + "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']} :: "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4])
        for v in gagal
    )


@pytest.fixture
def layar_lebar(browser, live_server):
    ctx = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="id-ID", base_url=live_server.url
    )
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    pelanggaran_csp = []
    page.on(
        "console",
        lambda m: pelanggaran_csp.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.pelanggaran_csp = pelanggaran_csp
    yield page
    ctx.close()


def test_admin_menyunting_draf_dan_memberlakukan(layar_lebar, masuk_browser, simpan_layar):
    from sop.models import Langkah, Sop

    page = layar_lebar
    masuk_browser(page, "admin")
    berlaku = Sop.objects.berlaku().get(kode="PACITAN-14")

    # 1. The SOP in force: read-only, no save buttons, an obvious way to a new revision.
    page.goto(f"/admin/sop/sop/{berlaku.pk}/change/")
    expect(page.get_by_test_id("hanya-baca")).to_be_visible()
    expect(page.locator("input[name=_save]")).to_have_count(0)
    expect(page.locator("table.langkah-ringkas tbody tr")).to_have_count(13)
    tinggi_berlaku = page.evaluate("() => document.documentElement.scrollHeight")
    simpan_layar(page, "admin-01-sop-berlaku")
    cek_axe(page, "SOP berlaku")

    page.get_by_test_id("revisi-baru").click()
    expect(page.locator(".messagelist")).to_contain_text("dibuat sebagai draf")
    draf = Sop.objects.get(kode="PACITAN-14", status=Sop.Status.DRAF)
    expect(page).to_have_url(re.compile(rf"/admin/sop/sop/{draf.pk}/change/$"))
    tinggi_draf = page.evaluate("() => document.documentElement.scrollHeight")
    simpan_layar(page, "admin-02-draf-editor", full_page=False)
    cek_axe(page, "editor draf")

    # 2. Edit step 2: the limit is read live (htmx) and an unreadable one gets a suggestion.
    kartu = page.get_by_test_id("langkah-registrasi-siinas")
    waktu = kartu.get_by_label("Waktu (sesuai tertulis)")
    hasil = kartu.locator("output.waktu-hasil")
    waktu.fill("2 jam")
    expect(hasil).to_contain_text("120 menit kerja")
    waktu.fill("2 jm")
    expect(hasil).to_contain_text("tidak terbaca")
    expect(hasil).to_contain_text("2 jam")
    kartu.locator("select[name$=kelengkapan_daftar_jenis]").first.select_option("alat")
    kartu.scroll_into_view_if_needed()
    simpan_layar(page, "admin-03-waktu-tak-terbaca", full_page=False)
    page.locator("input[name=_continue]").click()

    # 3. The server refuses it with the same suggestion, nothing saved.
    expect(page.locator(".errornote")).to_be_visible()
    kartu = page.get_by_test_id("langkah-registrasi-siinas")
    expect(kartu.locator(".errorlist")).to_contain_text("Maksud Anda “2 jam”?")
    assert Langkah.objects.get(sop=draf, kode="registrasi-siinas").waktu == "30 menit"
    cek_axe(page, "editor dengan galat")

    # 4. Accept the suggestion; add an input with "+ kelengkapan"; save.
    kartu.get_by_label("Waktu (sesuai tertulis)").fill("2 jam")
    expect(kartu.locator("output.waktu-hasil")).to_contain_text("120 menit kerja")
    kartu.get_by_role("button", name="+ kelengkapan").click()
    kartu.locator("input[name$=kelengkapan_daftar_nama]").last.fill("Surat kuasa")
    kartu.locator("input[name$=kelengkapan_daftar_wajib]").last.check()
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("berhasil")
    lk = Langkah.objects.get(sop=draf, kode="registrasi-siinas")
    assert lk.waktu == "2 jam" and lk.batas["jumlah"] == 120
    assert "Surat kuasa" in lk.kelengkapan and lk.kelengkapan_wajib == ["Surat kuasa"]

    # 5. Put the draft in force: it becomes read-only, the old revision is archived.
    page.get_by_test_id("berlakukan").click()
    expect(page.locator(".messagelist")).to_contain_text("berlaku")
    expect(page.get_by_test_id("hanya-baca")).to_be_visible()
    expect(page.locator("input[name=_save]")).to_have_count(0)
    assert Sop.objects.get(pk=draf.pk).status == Sop.Status.BERLAKU
    assert Sop.objects.get(pk=berlaku.pk).status == Sop.Status.ARSIP
    simpan_layar(page, "admin-04-revisi-berlaku")
    cek_axe(page, "revisi baru berlaku")

    assert not page.pelanggaran_csp, page.pelanggaran_csp
    print(f"\nscrollHeight 1280px: berlaku {tinggi_berlaku}px, draf {tinggi_draf}px")
