"""What officers see instead of codes: people's names, field labels, transition and state labels.

Used by every page that shows a step log (jejak) or a field history, in every module:
``jejak_berlabel(obj)`` and ``riwayat_berlabel(obj)`` return the rows with display attributes,
the template filters in ``sop.templatetags.portal`` do the same for single values.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import RiwayatPerubahan

# Step-log entries written outside a model's own transitions, in every module.
TRANSISI_UMUM = {
    "mulai": gettext_lazy("Started"),
    "mulai_ulang_jam": gettext_lazy("Time-limit clock restarted"),
    "impor": gettext_lazy("Imported from a file"),
    "eskalasi": gettext_lazy("Moved on automatically (time limit expired)"),
}
STATUS_UMUM = {"selesai": gettext_lazy("Finished"), "dibatalkan": gettext_lazy("Cancelled")}


def nama_orang(user) -> str:
    """A person as officers know them: the full name (the username only when no name is set)."""
    if user is None:
        return _("system")
    return (user.get_full_name() or "").strip() or user.get_username()


def ya_tidak(nilai) -> str:
    return _("Yes") if nilai else _("No")


def _label_transisi(model) -> dict[str, str]:
    field = model._meta.get_field(getattr(model, "STATUS_FIELD", "status"))
    getter = getattr(field, "get_all_transitions", None)
    if getter is None:
        return {}
    return {
        t.name: str(t.custom.get("label") or "") for t in getter(model) if t.custom.get("label")
    }


def _label_status(model) -> dict[str, str]:
    try:
        field = model._meta.get_field(getattr(model, "STATUS_FIELD", "status"))
    except FieldDoesNotExist:
        return {}
    return {str(k): str(v) for k, v in (field.choices or [])}


def label_langkah(langkah) -> str:
    return f"{langkah.nomor}. {langkah.kegiatan}" if langkah is not None else ""


def jejak_berlabel(obj, rows=None, khusus: dict[str, str] | None = None) -> list:
    """The step log of ``obj`` with ``label`` (what happened), ``dari_label`` / ``ke_label``
    (states or steps by name) and ``nama_user`` set on every row; ``khusus`` names entries a
    module writes by hand (e.g. ``{"rekap_dibuat": "Rekap dibuat"}``)."""
    from .selectors import jejak_objek

    model = type(obj)
    transisi = {
        **{k: str(v) for k, v in TRANSISI_UMUM.items()},
        **_label_transisi(model),
        **{k: str(v) for k, v in (khusus or {}).items()},
    }
    status = {**{k: str(v) for k, v in STATUS_UMUM.items()}, **_label_status(model)}
    langkah_sop = {}
    sop = getattr(obj, "sop", None)
    if sop is not None and hasattr(sop, "langkah_per_kode"):
        langkah_sop = sop.langkah_per_kode()
    rows = list(jejak_objek(obj) if rows is None else rows)
    for j in rows:
        j.label = transisi.get(j.transisi) or j.transisi.replace("_", " ").capitalize()
        for attr in ("dari", "ke"):
            kode = getattr(j, attr)
            lk = langkah_sop.get(kode) if kode not in status else None
            setattr(j, f"{attr}_label", status.get(kode) or label_langkah(lk) or kode)
        j.nama_user = nama_orang(j.user)
    return rows


def label_field(model, nama: str) -> str:
    try:
        return str(model._meta.get_field(nama).verbose_name).capitalize()
    except FieldDoesNotExist:
        return nama.replace("_", " ").capitalize()


def nilai_tampil(model, nama: str, teks: str) -> str:
    """A stored history value as the officer reads it: Ya/Tidak, a choice's label, or "—"."""
    try:
        field = model._meta.get_field(nama)
    except FieldDoesNotExist:
        field = None
    boolean = field is not None and field.get_internal_type() == "BooleanField"
    if boolean and teks in ("True", "False"):
        return ya_tidak(teks == "True")
    if field is not None and field.choices:
        label = dict((str(k), str(v)) for k, v in field.flatchoices).get(teks)
        if label:
            return label
    return teks if teks not in ("", "None") else "—"


def riwayat_berlabel(obj) -> list:
    """Field history of ``obj`` with ``label`` (the field's name), ``lama_tampil`` /
    ``baru_tampil`` and ``nama_user`` on every row."""
    model = type(obj)
    rows = list(
        RiwayatPerubahan.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(obj.pk)
        ).select_related("user")
    )
    for r in rows:
        r.label = label_field(model, r.field)
        r.lama_tampil = nilai_tampil(model, r.field, r.lama)
        r.baru_tampil = nilai_tampil(model, r.field, r.baru)
        r.nama_user = nama_orang(r.user)
    return rows
