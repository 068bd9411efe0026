import json

from django.core.management.base import BaseCommand

from sop.sla import sapu


class Command(BaseCommand):
    help = "SLA sweep: 75% warnings, breaches (+ notifications), timed transitions. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, json_out=False, **opts):
        hasil = sapu()
        if opts.get("json"):
            self.stdout.write(json.dumps(hasil))
        else:
            self.stdout.write(
                "Diperingatkan {diperingatkan}, lewat tenggat {dilanggar}, notifikasi {notifikasi}, "
                "transisi otomatis {transisi} (gagal {gagal})".format(**hasil)
            )
