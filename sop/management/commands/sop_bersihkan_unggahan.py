from django.core.management.base import BaseCommand

from sop.berkas_sementara import bersihkan_kedaluwarsa


class Command(BaseCommand):
    help = "Remove expired staged uploads (files kept while a form was being corrected)."

    def handle(self, *args, **options):
        n = bersihkan_kedaluwarsa()
        self.stdout.write(f"{n} berkas sementara dihapus.")
