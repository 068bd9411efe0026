"""Benchmark: the SOP editor's pages in the admin for PACITAN-14 (13 steps).

Measured with Django's test client (server time and HTML bytes; no browser), the median of
``--repeat`` requests after one warm-up each:

* the revision in force (read-only summary),
* a draft revision (the step editor),
* baseline: the admin change page of one office (``sop.Unit``), a plain ModelAdmin form.

Prints each page's bytes and time (query counts are asserted in tests/sop/test_admin_sop.py), and the ratio of each SOP page's time to the baseline
in the same run. Browser-side figures (page height, transferred bytes with static files) come
from the journey ``tests/e2e/test_admin_sop.py`` and the numbers in the admin's report.

Run: ``.venv/bin/python bench/admin_sop.py [--repeat 15] [--pg]``.
"""

from __future__ import annotations

import statistics
import time

from bpum_umum import argumen, basis_data


def ukur(client, url: str, ulang: int) -> tuple[int, float]:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    waktu = []
    for _ in range(ulang):
        t0 = time.perf_counter()
        client.get(url)
        waktu.append(time.perf_counter() - t0)
    return len(r.content), statistics.median(waktu)


def main() -> None:
    p = argumen(__doc__.splitlines()[0], 0)
    p.set_defaults(repeat=15)
    args = p.parse_args()
    with basis_data(args) as label:
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import reverse

        from sop.models import Sop, Unit
        from sop.revisi import sop_buat_revisi

        c = Client()
        c.force_login(get_user_model().objects.get(username="admin"))
        berlaku = Sop.objects.berlaku().get(kode="PACITAN-14")
        draf, _baru = sop_buat_revisi(sop=berlaku, user=None)
        unit = Unit.objects.get(kode="upt-dana-bergulir-pacitan")
        halaman = [
            ("baseline: office change page", reverse("admin:sop_unit_change", args=[unit.pk])),
            ("SOP in force (read-only)", reverse("admin:sop_sop_change", args=[berlaku.pk])),
            ("SOP draft (step editor)", reverse("admin:sop_sop_change", args=[draf.pk])),
        ]
        print(f"# database: {label}; PACITAN-14 with {berlaku.langkah.count()} steps")
        dasar = None
        for nama, url in halaman:
            ukuran, dt = ukur(c, url, args.repeat)
            dasar = dasar or dt
            print(
                f"{nama:<32} {ukuran / 1024:7.1f} KB  {dt * 1000:7.1f} ms  ratio {dt / dasar:5.2f}x"
            )


if __name__ == "__main__":
    main()
