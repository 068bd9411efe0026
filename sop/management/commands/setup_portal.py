import time

from django.core.management.base import BaseCommand

from sop.modul import semua_modul
from sop.setup import DEMO_PASSWORD, setup


class Command(BaseCommand):
    help = "Load regions, calendar, holidays, roles, offices and SOP fixtures (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="also create demo users and data")

    def handle(self, *args, demo=False, **opts):
        t0 = time.perf_counter()
        hasil = setup(demo=demo)
        for m in semua_modul():
            if (fungsi := m.fungsi_setup()) is not None:
                hasil[m.layanan] = fungsi(demo=demo)
        self.stdout.write(
            f"Wilayah baru: {hasil['wilayah']}, hari libur baru: {hasil['libur']}, SOP: {hasil['sop']}"
        )
        if demo:
            self.stdout.write(f"Akun demo (kata sandi: {DEMO_PASSWORD}):")
            for username, nama in hasil["demo"]:
                self.stdout.write(f"  {username:24} {nama}")
        self.stdout.write(
            self.style.SUCCESS(f"setup_portal selesai dalam {time.perf_counter() - t0:.1f} s")
        )
