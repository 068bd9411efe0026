from django.core.management.base import BaseCommand, CommandError

from sop.pertukaran import ImporGagal, baca_berkas, impor


class Command(BaseCommand):
    help = "Import SOP definitions (JSON or xlsx from sop_export). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")

    def handle(self, *args, file, dry_run=False, **opts):
        try:
            data = baca_berkas(file)
            hasil = impor(data, dry_run=dry_run)
        except FileNotFoundError as e:
            raise CommandError(f"Berkas tidak ditemukan: {file}") from e
        except ImporGagal as e:
            for err in e.errors:
                self.stderr.write(err)
            raise CommandError(f"{len(e.errors)} kesalahan; tidak ada yang disimpan.") from e
        awal = "Uji coba (tidak disimpan): " if dry_run else ""
        self.stdout.write(
            f"{awal}dibuat {len(hasil.dibuat)}, revisi baru {len(hasil.revisi_baru)}, tidak berubah {len(hasil.sama)}"
        )
