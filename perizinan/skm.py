"""The satisfaction survey (SKM): the questionnaire, the online answer, IKM aggregates in SQL.

The questions and answer labels follow the questionnaire of Permenpan RB 14/2017 (lampiran);
answers a-d score 1-4.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import ikm
from .models import DISERAHKAN, Permohonan
from .models.skm import ResponSkm

KOLOM_U = [f"u{i}" for i in range(1, 10)]

PERTANYAAN = [
    (
        "u1",
        gettext_lazy("Requirements"),
        gettext_lazy("How well do the service's requirements fit the service?"),
        (
            gettext_lazy("Not suitable"),
            gettext_lazy("Less suitable"),
            gettext_lazy("Suitable"),
            gettext_lazy("Very suitable"),
        ),
    ),
    (
        "u2",
        gettext_lazy("Procedure"),
        gettext_lazy("How easy is the service procedure?"),
        (
            gettext_lazy("Not easy"),
            gettext_lazy("Less easy"),
            gettext_lazy("Easy"),
            gettext_lazy("Very easy"),
        ),
    ),
    (
        "u3",
        gettext_lazy("Time"),
        gettext_lazy("How fast was the service?"),
        (
            gettext_lazy("Not fast"),
            gettext_lazy("Less fast"),
            gettext_lazy("Fast"),
            gettext_lazy("Very fast"),
        ),
    ),
    (
        "u4",
        gettext_lazy("Fee"),
        gettext_lazy("How fair is the fee of the service?"),
        (
            gettext_lazy("Very expensive"),
            gettext_lazy("Rather expensive"),
            gettext_lazy("Cheap"),
            gettext_lazy("Free"),
        ),
    ),
    (
        "u5",
        gettext_lazy("Product"),
        gettext_lazy("Does what you received match the product stated in the service standard?"),
        (
            gettext_lazy("Does not match"),
            gettext_lazy("Matches partly"),
            gettext_lazy("Matches"),
            gettext_lazy("Matches fully"),
        ),
    ),
    (
        "u6",
        gettext_lazy("Staff competence"),
        gettext_lazy("How competent were the officers?"),
        (
            gettext_lazy("Not competent"),
            gettext_lazy("Less competent"),
            gettext_lazy("Competent"),
            gettext_lazy("Very competent"),
        ),
    ),
    (
        "u7",
        gettext_lazy("Staff conduct"),
        gettext_lazy("How polite and friendly were the officers?"),
        (
            gettext_lazy("Not polite and friendly"),
            gettext_lazy("Less polite and friendly"),
            gettext_lazy("Polite and friendly"),
            gettext_lazy("Very polite and friendly"),
        ),
    ),
    (
        "u8",
        gettext_lazy("Facilities"),
        gettext_lazy("How good are the facilities?"),
        (
            gettext_lazy("Poor"),
            gettext_lazy("Fair"),
            gettext_lazy("Good"),
            gettext_lazy("Very good"),
        ),
    ),
    (
        "u9",
        gettext_lazy("Complaint handling"),
        gettext_lazy("How are complaints from service users handled?"),
        (
            gettext_lazy("There is no channel"),
            gettext_lazy("There is one but it does not work"),
            gettext_lazy("It works, not at its best"),
            gettext_lazy("Well managed"),
        ),
    ),
]

JENIS_KELAMIN = [("L", gettext_lazy("Male")), ("P", gettext_lazy("Female"))]
PENDIDIKAN = [
    ("SD", gettext_lazy("Primary school or lower")),
    ("SMP", gettext_lazy("Junior secondary")),
    ("SMA", gettext_lazy("Senior secondary")),
    ("D1-D3", gettext_lazy("Diploma (D1-D3)")),
    ("D4/S1", gettext_lazy("Bachelor (D4/S1)")),
    ("S2+", gettext_lazy("Master or doctorate")),
]
PEKERJAAN = [
    ("PNS", gettext_lazy("Civil servant")),
    ("TNI/Polri", gettext_lazy("Military or police")),
    ("Swasta", gettext_lazy("Private employee")),
    ("Wirausaha", gettext_lazy("Entrepreneur")),
    ("Lainnya", gettext_lazy("Other")),
]


# --------------------------------------------------------------------------- online answer
def permohonan_survei(token: str) -> Permohonan | None:
    """The handed-over request whose survey link this is, if not answered yet."""
    if not token or len(token) > 64:
        return None
    return (
        Permohonan.objects.select_related("jenis", "unit")
        .filter(survei_token=token, status=DISERAHKAN, survei_diisi=False)
        .first()
    )


@transaction.atomic
def survei_simpan(
    *, token: str, skor: dict, profil: dict, saran: str = "", now: datetime | None = None
) -> ResponSkm:
    """Store one anonymous answer opened with a handover receipt's token (once per token)."""
    now = now or timezone.now()
    p = (
        Permohonan.objects.select_for_update()
        .filter(survei_token=token, status=DISERAHKAN, survei_diisi=False)
        .first()
    )
    if p is None:
        raise ValidationError(_("This survey link has been used or is not valid."))
    nilai = {}
    for k in KOLOM_U:
        v = skor.get(k)
        try:
            v = int(v)
        except (TypeError, ValueError):
            v = 0
        if not 1 <= v <= 4:
            raise ValidationError({k: _("Choose one answer.")})
        nilai[k] = v
    r = ResponSkm.objects.create(
        unit_id=p.unit_id,
        jenis_id=p.jenis_id,
        tanggal=timezone.localdate(now),
        profil={k: v for k, v in profil.items() if v not in (None, "")},
        saran=(saran or "").strip()[:2000],
        sumber=ResponSkm.Sumber.DARING,
        **nilai,
    )
    Permohonan.objects.filter(pk=p.pk).update(survei_diisi=True)
    return r


# --------------------------------------------------------------------------- aggregates
def hitung_qs(qs) -> ikm.HasilIkm | None:
    """IKM of the answers in ``qs`` (one aggregate query), None without answers."""
    agg = qs.order_by().aggregate(n=Count("pk"), **{k: Sum(k) for k in KOLOM_U})
    if not agg["n"]:
        return None
    return ikm.hitung_dari_jumlah([agg[k] for k in KOLOM_U], agg["n"])


def per_layanan(qs) -> list[tuple[int | None, ikm.HasilIkm]]:
    """(service id, IKM) per service (one grouped query)."""
    rows = qs.order_by().values("jenis_id").annotate(n=Count("pk"), **{k: Sum(k) for k in KOLOM_U})
    return [(r["jenis_id"], ikm.hitung_dari_jumlah([r[k] for k in KOLOM_U], r["n"])) for r in rows]


PROFIL_KUNCI = ("jenis_kelamin", "pendidikan", "pekerjaan")


def profil_ringkas(qs) -> dict[str, list[tuple[str, int]]]:
    """Respondents per profile value (one grouped query per key)."""
    hasil = {}
    for k in PROFIL_KUNCI:
        rows = (
            qs.order_by()
            .values(f"profil__{k}")
            .annotate(n=Count("pk"))
            .values_list(f"profil__{k}", "n")
        )
        hasil[k] = sorted(((v or "-", n) for v, n in rows), key=lambda x: (-x[1], str(x[0])))
    return hasil


def qs_periode(unit, dari: dt.date, sampai: dt.date, jenis=None):
    qs = ResponSkm.objects.filter(unit=unit, tanggal__gte=dari, tanggal__lte=sampai)
    return qs.filter(jenis=jenis) if jenis is not None else qs
