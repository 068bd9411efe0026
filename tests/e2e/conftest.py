"""Browser journeys in real Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Screenshots land in artifacts/layar/ (kept by CI as test artifacts); with SIMPAN_DOKUMEN=1 they
are also copied to docs/img/ for the user guide.
"""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

from sop.setup import DEMO_PASSWORD  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARTIFAK = ROOT / "artifacts" / "layar"
DOKUMEN = ROOT / "docs" / "img"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for it in items:
        if "/e2e/" in str(it.fspath):
            it.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run scripts/bootstrap.sh (installs Debian's chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def halaman(browser, live_server):
    """A phone-sized page (390x844) on the live server."""
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", base_url=live_server.url
    )
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    yield page
    ctx.close()


LAYAR = {"ponsel": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}


@pytest.fixture
def aksesibel():
    """``aksesibel(page, "konteks")``: axe-core on the page, failing on serious/critical issues
    (tests/e2e/aksesibilitas.py)."""
    from .aksesibilitas import cek_aksesibilitas

    return cek_aksesibilitas


@pytest.fixture
def masuk_browser():
    def _masuk(page, username, password=DEMO_PASSWORD):
        page.context.clear_cookies()
        page.goto("/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/masuk/" not in url)
        return page

    return _masuk


@pytest.fixture
def simpan_layar(request):
    def _simpan(page, nama, full_page=True):
        ARTIFAK.mkdir(parents=True, exist_ok=True)
        path = ARTIFAK / f"{nama}.png"
        page.screenshot(path=str(path), full_page=full_page)
        if os.environ.get("SIMPAN_DOKUMEN") == "1":
            DOKUMEN.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, DOKUMEN / path.name)
        return path

    return _simpan
