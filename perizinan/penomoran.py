"""Receipt numbers: gap-free per office per year (interim; to be replaced by ``sop.penomoran``)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max
from django.utils import timezone

from sop.models import Unit


def nomor_berikut(unit, now: datetime) -> tuple[int, int, str]:
    """(year, sequence, number) of the next receipt of ``unit``; call inside a transaction. The
    office row is locked so concurrent intakes queue and no number is skipped or repeated."""
    from .models import Permohonan

    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    tahun = timezone.localdate(now).year
    akhir = Permohonan.objects.filter(unit=unit, tahun=tahun).aggregate(m=Max("urut"))["m"] or 0
    urut = akhir + 1
    return tahun, urut, f"{urut:05d}/{unit.kode.upper()}/{tahun}"
