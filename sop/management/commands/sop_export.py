from django.core.management.base import BaseCommand, CommandError

from sop.models import Sop
from sop.pertukaran import ekspor_json, ekspor_xlsx


class Command(BaseCommand):
    help = "Export SOP definitions (the revision in force) as JSON or xlsx."

    def add_arguments(self, parser):
        parser.add_argument("kode", nargs="*")
        parser.add_argument("--all", action="store_true")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="file (default: stdout, json only)")

    def handle(self, *args, kode=(), all=False, format="json", output=None, **opts):  # noqa: A002
        if not kode and not all:
            raise CommandError("Sebutkan KODE SOP atau --all.")
        qs = Sop.objects.berlaku().order_by("kode")
        if not all:
            qs = qs.filter(kode__in=kode)
            hilang = sorted(set(kode) - set(qs.values_list("kode", flat=True)))
            if hilang:
                raise CommandError(f"SOP tidak ditemukan: {', '.join(hilang)}")
        if format == "xlsx":
            if not output:
                raise CommandError("Format xlsx butuh -o FILE.")
            with open(output, "wb") as f:
                f.write(ekspor_xlsx(list(qs)))
        else:
            teks = ekspor_json(list(qs))
            if output:
                with open(output, "w", encoding="utf-8") as f:
                    f.write(teks)
            else:
                self.stdout.write(teks)
        if output:
            self.stderr.write(f"{qs.count()} SOP diekspor ke {output}")
