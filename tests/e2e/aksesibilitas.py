"""axe-core in the browser tests: ``cek_aksesibilitas(page)`` fails the test on serious or
critical WCAG 2.1 A/AA violations of the page as it is now (open menus, failed forms included).

    from tests.e2e.aksesibilitas import cek_aksesibilitas
    page.goto("/bpum/usulan/baru/")
    cek_aksesibilitas(page, "form usulan desa")

axe-core is vendored (tests/e2e/vendor/axe.min.js) and injected through Playwright's evaluate,
which the portal's nonce CSP does not block (a ``<script>`` tag added by the test would be).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# AXE_DAMPAK=moderate,serious,critical makes a stricter run (e.g. before a release)
DAMPAK_GAGAL = tuple(os.environ.get("AXE_DAMPAK", "serious,critical").split(","))
STANDAR = os.environ.get("AXE_STANDAR", "wcag2a,wcag2aa,wcag21a,wcag21aa").split(",")
_SUMBER: list[str] = []


def _sumber_axe() -> str:
    if not _SUMBER:
        _SUMBER.append(AXE.read_text(encoding="utf-8"))
    return _SUMBER[0]


def jalankan_axe(page, *, standar=STANDAR) -> list[dict]:
    """Every axe violation of the current page (all impacts)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_sumber_axe() + "\n;undefined")
    hasil = page.evaluate(
        "async (tag) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tag}, resultTypes: ['violations']})",
        list(standar),
    )
    return hasil["violations"]


def ringkas(pelanggaran: list[dict]) -> str:
    baris = []
    for v in pelanggaran:
        baris.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for n in v["nodes"][:5]:
            baris.append(f"    {' '.join(n['target'])}: {n.get('failureSummary', '')[:300]}")
    return "\n".join(baris)


def cek_aksesibilitas(page, konteks: str = "", *, abaikan=(), dampak=DAMPAK_GAGAL) -> list[dict]:
    """Fail when axe finds a violation of impact ``dampak`` (default serious/critical) not in
    ``abaikan`` (rule ids); returns every violation found (for milder reports)."""
    semua = jalankan_axe(page)
    gagal = [v for v in semua if v["impact"] in dampak and v["id"] not in abaikan]
    if gagal:
        ukuran = page.viewport_size or {}
        pytest.fail(
            f"axe: {len(gagal)} pelanggaran aksesibilitas di {konteks or page.url} "
            f"({ukuran.get('width')}x{ukuran.get('height')}):\n{ringkas(gagal)}",
            pytrace=False,
        )
    return semua
