from django.core.management.base import BaseCommand, CommandError

from sop.models import Sop
from sop.pdf import render_sop_pdf
from sop.pertukaran import sop_ke_dict


class Command(BaseCommand):
    help = "Render the official SOP document (A4 landscape PDF)."

    def add_arguments(self, parser):
        parser.add_argument("kode")
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--revisi", type=int, help="default: the revision in force")

    def handle(self, *args, kode, output, revisi=None, **opts):
        qs = Sop.objects.filter(kode=kode)
        sop = (
            qs.filter(revisi=revisi).first()
            if revisi
            else (qs.berlaku().first() or qs.order_by("-revisi").first())
        )
        if sop is None:
            raise CommandError(f"SOP {kode} tidak ditemukan.")
        with open(output, "wb") as f:
            f.write(render_sop_pdf(sop_ke_dict(sop)))
        self.stderr.write(f"{sop} -> {output}")
