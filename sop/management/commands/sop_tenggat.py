import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from sop.jadwal import jadwal_unit
from sop.models import Unit
from sop.tenggat import hitung_tenggat, jadwal_baku
from sop.waktu import parse_waktu


class Command(BaseCommand):
    help = "Print the due time (ISO 8601 with offset) of a time limit, or 'none' when untracked."

    def add_arguments(self, parser):
        parser.add_argument(
            "--mulai", required=True, help="start, ISO 8601 (e.g. 2026-11-23T09:00:00+07:00)"
        )
        parser.add_argument(
            "--waktu", required=True, help='time limit text, e.g. "Maksimal 1 hari"'
        )
        parser.add_argument(
            "--unit", help="office code (its calendar); default: the default calendar in WIB"
        )

    def handle(self, *args, mulai, waktu, unit=None, **opts):
        if unit:
            u = Unit.objects.select_related("kalender").filter(kode=unit).first()
            if u is None:
                raise CommandError(f"Unit {unit} tidak ditemukan.")
            jadwal = jadwal_unit(u)
        else:
            try:
                jadwal = jadwal_unit(None)
            except Exception:  # no database yet: the built-in default
                jadwal = jadwal_baku()
        try:
            t = dt.datetime.fromisoformat(mulai)
        except ValueError as e:
            raise CommandError(f"--mulai bukan ISO 8601: {mulai}") from e
        if t.tzinfo is None:
            t = t.replace(tzinfo=jadwal.tz)
        hasil = hitung_tenggat(t, parse_waktu(waktu), jadwal)
        self.stdout.write("none" if hasil is None else hasil.isoformat())
