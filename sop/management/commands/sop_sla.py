import json

from django.core.management.base import BaseCommand

from sop.sla import sapu


class Command(BaseCommand):
    help = (
        "SLA sweep: 75% warnings, breaches (+ notifications), timed transitions, then the "
        "modules' domain sweeps. Idempotent; an overlapping run skips."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        hasil = sapu()
        if opts.get("json"):
            self.stdout.write(json.dumps(hasil))
            return
        if hasil["dilewati"]:
            self.stdout.write("Sapuan lain sedang berjalan; sapuan ini dilewati.")
            return
        self.stdout.write(
            "Diperingatkan {diperingatkan}, lewat tenggat {dilanggar}, notifikasi {notifikasi}, "
            "transisi otomatis {transisi} (gagal {gagal}, tidak berlaku {tidak_berlaku})".format(
                **hasil
            )
        )
        for nama, hitungan in hasil["sapuan"].items():
            rincian = ", ".join(f"{k} {v}" for k, v in hitungan.items()) or "-"
            self.stdout.write(f"  {nama}: {rincian}")
