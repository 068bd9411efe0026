"""Reads: the one scope selector every list, detail, export and service uses."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

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


def q_wilayah(kode: str, field: str = "wilayah") -> Q:
    """Records whose region (FK ``field`` to Wilayah) lies inside region ``kode``: the SQL form
    of ``memuat``, served by the index on the code (``LIKE '14.04.%'``)."""
    return Q(**{f"{field}_id": kode}) | Q(**{f"{field}__kode__startswith": kode + "."})


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


def langkah_terbuka_untuk(user) -> QuerySet:
    """Open steps ``user`` may perform: role, region and service all match (Tugas Saya)."""
    from .models import LangkahBerjalan

    cts = _ct_per_layanan()
    q = Q()
    ada = False
    for t in penugasan_aktif(user):
        ct_ids = [c for lay in t.layanan for c in cts.get(lay, [])]
        if t.hanya_baca or not ct_ids or not t.peran_ids:
            continue
        ada = True
        q |= (
            Q(content_type_id__in=ct_ids)
            & q_wilayah(t.wilayah_kode)
            & (
                Q(langkah__pelaksana__in=t.peran_ids)
                | Q(langkah__pelaksana__dicatat_oleh__in=t.peran_ids)
            )
        )
    qs = LangkahBerjalan.objects.terbuka()
    return qs.filter(q).distinct() if ada else qs.none()


def langkah_dalam_lingkup(user) -> QuerySet:
    """Open steps of records the user may see (any role): the 'lewat tenggat' board."""
    from .models import LangkahBerjalan

    qs = LangkahBerjalan.objects.terbuka()
    if getattr(user, "is_superuser", False):
        return qs
    cts = _ct_per_layanan()
    q = Q()
    ada = False
    for t in penugasan_aktif(user):
        ct_ids = [c for lay in t.layanan for c in cts.get(lay, [])]
        if not ct_ids:
            continue
        ada = True
        q |= Q(content_type_id__in=ct_ids) & q_wilayah(t.wilayah_kode)
    return qs.filter(q) if ada else qs.none()


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
