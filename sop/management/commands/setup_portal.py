import time

from django.core.management.base import BaseCommand

from sop.setup import DEMO_PASSWORD, setup


class Command(BaseCommand):
    help = "Load regions, calendar, holidays, roles, offices and SOP fixtures (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="also create demo users and data")

    def handle(self, *args, demo=False, **opts):
        t0 = time.perf_counter()
        hasil = setup(demo=demo)
        from django.apps import apps

        for app in ("bpum", "danabergulir", "perizinan"):
            mod = apps.get_app_config(app).module
            try:
                setup_app = __import__(f"{mod.__name__}.setup", fromlist=["setup"]).setup
            except ImportError:
                continue
            hasil[app] = setup_app(demo=demo)
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
