import time

from django.core.management.base import BaseCommand, CommandError

from sop.wilayah_data import muat_wilayah


class Command(BaseCommand):
    help = "Load Kemendagri regions (with their ancestors) in bulk: KODE ... or --all (83k desa)."

    def add_arguments(self, parser):
        parser.add_argument("kode", nargs="*", help='e.g. "14" (Riau) or "35.01" (Pacitan)')
        parser.add_argument("--all", action="store_true", help="all provinces down to every desa")

    def handle(self, *args, kode=(), all=False, **opts):  # noqa: A002
        if not kode and not all:
            raise CommandError("Sebutkan KODE wilayah atau --all.")
        t0 = time.perf_counter()
        try:
            n = muat_wilayah(None if all else list(kode))
        except ValueError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            self.style.SUCCESS(f"{n} wilayah baru dimuat dalam {time.perf_counter() - t0:.1f} s")
        )
