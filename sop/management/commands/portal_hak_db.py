"""Give the application's database role its rights (PostgreSQL), run as the schema owner."""

from django.core.management.base import BaseCommand, CommandError

from sop.hak_db import PeranTidakSah, terapkan_hak


class Command(BaseCommand):
    help = (
        "Grant the application role SELECT/INSERT/UPDATE/DELETE on every table and only "
        "SELECT/INSERT on the audit tables (run as the owner role that runs migrate)."
    )

    def add_arguments(self, parser):
        parser.add_argument("peran", help="the application's role, e.g. portal_app")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--cetak", action="store_true", help="print the SQL instead of running it"
        )

    def handle(self, *args, peran, database, cetak, **opts):
        try:
            sql = terapkan_hak(peran, using=database, cetak_saja=cetak)
        except PeranTidakSah as e:
            raise CommandError(str(e)) from e
        if cetak:
            self.stdout.write(";\n".join(sql) + ";")
        else:
            self.stdout.write(f"{len(sql)} pernyataan hak dijalankan untuk peran {peran}.")
