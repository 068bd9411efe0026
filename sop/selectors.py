"""Reads: the one scope selector every list, detail, export and service uses."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Left
from django.db.models.lookups import Exact

from .models import Penugasan, Unit


@dataclass(frozen=True)
class Tugas:
    """One active assignment, flattened for fast checks."""

    penugasan_id: int
    unit: Unit
    wilayah_kode: str
    peran_ids: frozenset[int]
    layanan: frozenset[str]
    hanya_baca: bool


def penugasan_aktif(user) -> list[Tugas]:
    """The user's active assignments, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_tugas_cache", None)
    if cache is None:
        qs = (
            Penugasan.objects.aktif()
            .filter(user=user)
            .select_related("unit__wilayah", "unit__kalender")
            .prefetch_related("peran")
        )
        cache = [
            Tugas(
                penugasan_id=p.pk,
                unit=p.unit,
                wilayah_kode=p.unit.wilayah_id,
                peran_ids=frozenset(r.pk for r in p.peran.all()),
                layanan=frozenset(p.unit.layanan or []),
                hanya_baca=p.unit.hanya_baca,
            )
            for p in qs
        ]
        user._tugas_cache = cache
    return cache


def wilayah_lingkup(user, layanan: str) -> list[str]:
    """Region codes whose records the user may see for service ``layanan``."""
    return sorted({t.wilayah_kode for t in penugasan_aktif(user) if layanan in t.layanan})


def memuat(prefix: str, kode: str) -> bool:
    """True when region ``kode`` lies inside (or is) region ``prefix`` (Kemendagri codes)."""
    return kode == prefix or kode.startswith(prefix + ".")


# A village (desa/kelurahan: four parts, 14.04.04.1001) is the deepest level of the codes.
BAGIAN_DESA = 4


def q_wilayah(kode: str, field: str = "wilayah") -> Q:
    """Records whose region (FK ``field`` to Wilayah) lies inside region ``kode``: the SQL form
    of ``memuat``, served by the index on the code (``LIKE '14.04.%'``). A village has no
    regions inside it: plain equality, so an index on (..., region, ordering) gives a village's
    list in order without sorting it."""
    if kode.count(".") + 1 >= BAGIAN_DESA:
        return Q(**{f"{field}_id": kode})
    return Q(**{f"{field}_id": kode}) | Q(**{f"{field}__kode__startswith": kode + "."})


# The district (kecamatan) level: its Kemendagri code is 8 characters (14.04.04), the length the
# open-clock index ``lb_terbuka_kecamatan`` is built on (``LEFT(wilayah_id, 8)``).
BAGIAN_KECAMATAN = 3


def q_wilayah_jam(kode: str, field: str = "wilayah") -> Q:
    """``q_wilayah`` for the open clocks and their summary rows. Inside a district it adds the
    implied condition ``LEFT(code, len(district)) = district``: it changes no result (a region
    inside ``kode`` starts with ``kode``'s district), but it gives the planner the index on that
    expression and its statistics, so a district's or village's queue is read from its own few
    hundred clocks instead of scanning every region's clocks in due order (issue 11)."""
    q = q_wilayah(kode, field)
    bagian = kode.split(".")
    if len(bagian) < BAGIAN_KECAMATAN:
        return q
    kecamatan = ".".join(bagian[:BAGIAN_KECAMATAN])
    return Q(Exact(Left(f"{field}_id", len(kecamatan)), kecamatan)) & q


def filter_lingkup(qs: QuerySet, user, layanan: str, field: str = "wilayah") -> QuerySet:
    """Restrict ``qs`` to records whose region lies inside one of the user's units' regions."""
    if getattr(user, "is_superuser", False):
        return qs
    kodes = wilayah_lingkup(user, layanan)
    if not kodes:
        return qs.none()
    q = Q()
    for k in kodes:
        q |= q_wilayah(k, field)
    return qs.filter(q)


def dalam_lingkup(user, layanan: str, wilayah_kode: str) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(memuat(k, wilayah_kode) for k in wilayah_lingkup(user, layanan))


def tugas_untuk(user, layanan: str, wilayah_kode: str, peran_ids) -> tuple[Tugas, int] | None:
    """The first assignment that lets ``user`` act as one of ``peran_ids`` on a record there."""
    for t in penugasan_aktif(user):
        if t.hanya_baca or layanan not in t.layanan or not memuat(t.wilayah_kode, wilayah_kode):
            continue
        cocok = t.peran_ids & set(peran_ids)
        if cocok:
            return t, min(cocok)
    return None


def model_terikat() -> list:
    """Every concrete model that runs on an SOP (subclasses of DiaturSop)."""
    from django.apps import apps

    from .models.terikat import DiaturSop

    return [m for m in apps.get_models() if issubclass(m, DiaturSop) and not m._meta.abstract]


def _ct_per_layanan() -> dict[str, list[int]]:
    from django.contrib.contenttypes.models import ContentType

    hasil: dict[str, list[int]] = {}
    for m in model_terikat():
        hasil.setdefault(m.LAYANAN, []).append(ContentType.objects.get_for_model(m).pk)
    return hasil


def _q_tugas(user) -> Q | None:
    """Open steps ``user`` may perform, as a filter on the clocks' own columns (content type,
    region, step), which the open-clock summary shares; None: nothing."""
    from .models import Langkah

    cts = _ct_per_layanan()
    q = Q()
    ada = False
    for t in penugasan_aktif(user):
        ct_ids = [c for lay in t.layanan for c in cts.get(lay, [])]
        if t.hanya_baca or not ct_ids or not t.peran_ids:
            continue
        # the steps this assignment's roles perform or record, resolved first (a few dozen ids):
        # the clock rows are then filtered on their own columns, no join and no DISTINCT
        langkah_ids = set(
            Langkah.objects.filter(
                Q(pelaksana__in=t.peran_ids) | Q(pelaksana__dicatat_oleh__in=t.peran_ids)
            ).values_list("pk", flat=True)
        )
        if not langkah_ids:
            continue
        ada = True
        q |= (
            Q(content_type_id__in=ct_ids)
            & q_wilayah_jam(t.wilayah_kode)
            & Q(langkah_id__in=sorted(langkah_ids))
        )
    return q if ada else None


def _q_lingkup_jam(user) -> Q | None:
    """Open steps of records the user may see (any role), on the clocks' own columns; ``Q()``
    for the superuser, None: nothing."""
    if getattr(user, "is_superuser", False):
        return Q()
    cts = _ct_per_layanan()
    q = Q()
    ada = False
    for t in penugasan_aktif(user):
        ct_ids = [c for lay in t.layanan for c in cts.get(lay, [])]
        if not ct_ids:
            continue
        ada = True
        q |= Q(content_type_id__in=ct_ids) & q_wilayah_jam(t.wilayah_kode)
    return q if ada else None


def langkah_terbuka_untuk(user) -> QuerySet:
    """Open steps ``user`` may perform: role, region and service all match (Tugas Saya)."""
    from .models import LangkahBerjalan

    q = _q_tugas(user)
    qs = LangkahBerjalan.objects.terbuka()
    return qs.filter(q) if q is not None else qs.none()


def langkah_dalam_lingkup(user) -> QuerySet:
    """Open steps of records the user may see (any role): the 'lewat tenggat' board."""
    from .models import LangkahBerjalan

    q = _q_lingkup_jam(user)
    qs = LangkahBerjalan.objects.terbuka()
    return qs.filter(q) if q is not None else qs.none()


def _jumlah_jam(q: Q | None, *, lewat: bool) -> int:
    """Open clocks matching ``q`` (breached only with ``lewat``): summed from the summary rows
    the database keeps (PostgreSQL, ADR 0019), else counted."""
    from django.db import connection
    from django.db.models import Sum

    from .models import LangkahBerjalan, RingkasJam

    if q is None:
        return 0
    if connection.vendor == "postgresql":
        qs = RingkasJam.objects.filter(q)
        if lewat:
            qs = qs.filter(dilanggar=True)
        return int(qs.aggregate(n=Sum("n"))["n"] or 0)
    qs = LangkahBerjalan.objects.terbuka().filter(q)
    if lewat:
        qs = qs.filter(dilanggar__isnull=False)
    return qs.count()


def jumlah_tugas(user) -> int:
    """How many open steps Tugas Saya lists for ``user`` (without counting the clocks)."""
    return _jumlah_jam(_q_tugas(user), lewat=False)


def jumlah_lewat(user, model=None) -> int:
    """How many open steps past their time limit the 'lewat tenggat' board lists (only the
    runs of ``model`` if given: a module's home page tile)."""
    q = _q_lingkup_jam(user)
    if q is not None and model is not None:
        from django.contrib.contenttypes.models import ContentType

        q &= Q(content_type=ContentType.objects.get_for_model(model))
    return _jumlah_jam(q, lewat=True)


def lampirkan_objek(rows) -> None:
    """Set ``row.objek`` on LangkahBerjalan/Jejak rows with one query per model (no N+1)."""
    from django.contrib.contenttypes.models import ContentType

    per_ct: dict[int, list] = {}
    for r in rows:
        per_ct.setdefault(r.content_type_id, []).append(r)
    for ct_id, items in per_ct.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        objs = model._default_manager.in_bulk([r.object_id for r in items])
        for r in items:
            r.objek = objs.get(int(r.object_id)) if r.object_id.isdigit() else objs.get(r.object_id)


def _q_induk(obj) -> Q:
    """Rows of ``obj`` itself or of any run that belongs to it (docs/adr/0009)."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(type(obj))
    return Q(content_type=ct, object_id=str(obj.pk)) | Q(induk_ct=ct, induk_id=str(obj.pk))


def jejak_induk(obj) -> QuerySet:
    """The step log of a record and of all its runs, oldest first (one query; indexes on
    (content_type, object_id) and the partial index jejak_induk)."""
    from .models import Jejak

    return (
        Jejak.objects.filter(_q_induk(obj))
        .select_related("user", "peran", "langkah", "unit", "sop")
        .order_by("selesai", "id")
    )


def jam_induk(obj) -> QuerySet:
    """The open clocks of a record and of all its runs (several when runs go in parallel)."""
    from .models import LangkahBerjalan

    return (
        LangkahBerjalan.objects.terbuka()
        .filter(_q_induk(obj))
        .select_related("langkah", "unit", "sop")
        .order_by("tenggat", "id")
    )


def jejak_objek(obj) -> QuerySet:
    from django.contrib.contenttypes.models import ContentType

    from .models import Jejak

    return Jejak.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("user", "peran", "langkah", "unit")


def q_kode_sop(pola) -> Q | None:
    """SOP codes of ``Unit.sop_kode`` as a filter: exact codes, or a start ending in ``*``."""
    q, ada = Q(), False
    for p in pola or []:
        p = str(p).strip()
        if not p:
            continue
        ada = True
        q |= Q(kode__startswith=p[:-1]) if p.endswith("*") else Q(kode=p)
    return q if ada else None


def sop_ditawarkan(user, unit) -> QuerySet:
    """SOPs ``user`` may start as a request of ``unit`` in the generic runner: in force, with
    steps, listed in the office's ``sop_kode``, not run by a module on its own screens
    (``Modul.sop``), and with a step the user performs (or records for an outside party) in that
    office."""
    from .models import Sop
    from .modul import sop_milik_modul

    qs = Sop.objects.none()
    q = q_kode_sop(getattr(unit, "sop_kode", None))
    tugas = [
        t
        for t in penugasan_aktif(user)
        if t.unit.pk == unit.pk and not t.hanya_baca and "sop" in t.layanan
    ]
    if q is None or not tugas:
        return qs
    peran = set().union(*(t.peran_ids for t in tugas))
    ikut = Sop.objects.filter(
        Q(langkah__pelaksana__in=peran)
        | Q(langkah__pelaksana__dicatat_oleh__in=peran)
        | Q(kolom__dicatat_oleh__in=peran)
    ).values("pk")
    return (
        Sop.objects.berlaku()
        .filter(q, tanpa_langkah=False, pk__in=ikut)
        .exclude(kode__in=sop_milik_modul())
        .order_by("kode")
    )
