"""django-import-export resources for the tables admins keep in spreadsheets.

Offices (units), assignments (with Plt/Plh dates), users, holidays and calendars; BPUM declares
its round (Periode) resource in ``bpum/admin.py`` on the same base. Every reference is written
by its code (a region's Kemendagri code, an office's code, a username, role codes), never by a
database id, except an assignment's own ``id`` (blank for a new one) since nothing else names
it. Every problem is a message in Bahasa Indonesia naming the column; the import page names the
row (`ResourcePortal` turns lookup failures into per-column validation errors).

Formats: xlsx and csv only, size-limited (`periksa_berkas`). The project's safe spreadsheet
reader (``sop/lembar/``) replaces this guard once it lands.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from .models import HariLibur, Kalender, Pelaksana, Penugasan, Unit, Wilayah

MAKS_UNGGAH = 2 * 1024 * 1024  # bytes of the uploaded file
MAKS_ISI_XLSX = 20 * 1024 * 1024  # declared uncompressed bytes of all parts of an xlsx
MAKS_BAGIAN_XLSX = 8 * 1024 * 1024  # declared uncompressed bytes of one part
MAKS_BARIS = 5000


class BerkasDitolak(ValueError):
    pass


def periksa_berkas(data: bytes, xlsx: bool) -> None:
    """Refuse a file that is too large, or an xlsx whose parts unpack to too much, before any
    parser sees it (a small zip can declare gigabytes). Python's zipfile never inflates a part
    past its declared size, so bounding the declared sizes bounds the memory."""
    if len(data) > MAKS_UNGGAH:
        raise BerkasDitolak(
            _("The file is %(ukuran)s KB; at most %(maks)s KB is accepted.")
            % {"ukuran": len(data) // 1024, "maks": MAKS_UNGGAH // 1024}
        )
    if not xlsx:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            bagian = zf.infolist()
    except zipfile.BadZipFile as e:
        raise BerkasDitolak(_("The file is not a valid xlsx workbook.")) from e
    if any(b.file_size > MAKS_BAGIAN_XLSX for b in bagian) or (
        sum(b.file_size for b in bagian) > MAKS_ISI_XLSX
    ):
        raise BerkasDitolak(
            _("The workbook unpacks to more than %(maks)s MB; split it or save it again.")
            % {"maks": MAKS_ISI_XLSX // (1024 * 1024)}
        )


def netralkan(dataset) -> None:
    """Text cells beginning with = + - @ (or a tab/CR) get a leading apostrophe, so a
    spreadsheet program shows them as text instead of running them as formulas."""
    rows = [
        [f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v
         for v in row]
        for row in dataset
    ]  # fmt: skip
    del dataset[:]  # keeps the headers
    for row in rows:
        dataset.append(row)


class XLSXAman(XLSX):
    def create_dataset(self, in_stream):
        periksa_berkas(in_stream, xlsx=True)
        ds = super().create_dataset(in_stream)
        _cek_baris(ds)
        return ds

    def export_data(self, dataset, **kwargs):
        netralkan(dataset)
        return super().export_data(dataset, **kwargs)


class CSVAman(CSV):
    def create_dataset(self, in_stream):
        periksa_berkas(in_stream.encode() if isinstance(in_stream, str) else in_stream, False)
        ds = super().create_dataset(in_stream)
        _cek_baris(ds)
        return ds

    def export_data(self, dataset, **kwargs):
        netralkan(dataset)
        return super().export_data(dataset, **kwargs)


def _cek_baris(ds) -> None:
    if len(ds) > MAKS_BARIS:
        raise BerkasDitolak(
            _("The file has %(n)s rows; at most %(maks)s are imported at once.")
            % {"n": len(ds), "maks": MAKS_BARIS}
        )


FORMAT_AMAN = [XLSXAman, CSVAman]


class FormImpor(ImportForm):
    """The library's import form, refusing a file by its size and extension before it is stored
    or read."""

    def clean_import_file(self):
        f = self.cleaned_data["import_file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only xlsx or csv files can be imported."))
        if f.size > MAKS_UNGGAH:
            raise forms.ValidationError(
                _("The file is %(ukuran)s KB; at most %(maks)s KB is accepted.")
                % {"ukuran": f.size // 1024, "maks": MAKS_UNGGAH // 1024}
            )
        return f


# ----------------------------------------------------------------------------- widgets
class KodeWidget(widgets.ForeignKeyWidget):
    """A reference by code; an unknown code is a message naming the column and the value."""

    def __init__(self, model, field, kolom: str, benda: str):
        super().__init__(model, field=field)
        self.kolom, self.benda = kolom, benda

    def clean(self, value, row=None, **kwargs):
        value = "" if value is None else str(value).strip()
        if not value:
            return None
        try:
            return self.model._default_manager.get(**{self.field: value})
        except self.model.DoesNotExist:
            raise ValueError(
                _("column “%(kolom)s”: no %(benda)s with code “%(nilai)s”")
                % {"kolom": self.kolom, "benda": self.benda, "nilai": value}
            ) from None


class DaftarKodeWidget(widgets.ManyToManyWidget):
    """Comma-separated codes of a many-to-many column (e.g. roles "staf, kepala_bidang")."""

    def __init__(self, model, field, kolom: str, benda: str):
        super().__init__(model, separator=",", field=field)
        self.kolom, self.benda = kolom, benda

    def clean(self, value, row=None, **kwargs):
        kode = [k.strip() for k in str(value or "").split(",") if k.strip()]
        ada = {
            getattr(o, self.field): o
            for o in self.model.objects.filter(**{f"{self.field}__in": kode})
        }
        hilang = [k for k in kode if k not in ada]
        if hilang:
            raise ValueError(
                _("column “%(kolom)s”: no %(benda)s with code %(nilai)s")
                % {"kolom": self.kolom, "benda": self.benda, "nilai": ", ".join(hilang)}
            )
        return self.model.objects.filter(pk__in=[o.pk for o in ada.values()])


class PilihanWidget(widgets.CharWidget):
    """A value from a model field's choices, by its code or its label."""

    def __init__(self, pilihan, kolom: str):
        super().__init__()
        self.pilihan, self.kolom = list(pilihan), kolom

    def clean(self, value, row=None, **kwargs):
        v = "" if value is None else str(value).strip()
        for kode, label in self.pilihan:
            if v.lower() in (str(kode).lower(), str(label).lower()):
                return kode
        raise ValueError(
            _("column “%(kolom)s”: “%(nilai)s” is not one of: %(pilihan)s")
            % {"kolom": self.kolom, "nilai": v, "pilihan": ", ".join(k for k, _l in self.pilihan)}
        )


class TanggalWidget(widgets.DateWidget):
    """A date cell (a real date, or text as YYYY-MM-DD or DD-MM-YYYY)."""

    def __init__(self, kolom: str):
        super().__init__(format="%Y-%m-%d")
        self.kolom = kolom

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(str(value).strip(), fmt).date()
            except ValueError:
                continue
        raise ValueError(
            _("column “%(kolom)s”: “%(nilai)s” is not a date (write 2026-01-31 or 31-01-2026)")
            % {"kolom": self.kolom, "nilai": value}
        )


class YaTidakWidget(widgets.BooleanWidget):
    def __init__(self, kolom: str):
        super().__init__()
        self.kolom = kolom

    def clean(self, value, row=None, **kwargs):
        v = "" if value is None else str(value).strip().lower()
        if v in ("1", "ya", "y", "true", "benar"):
            return True
        if v in ("", "0", "tidak", "t", "false", "salah"):
            return False
        raise ValueError(
            _("column “%(kolom)s”: write “ya” or “tidak”, not “%(nilai)s”")
            % {"kolom": self.kolom, "nilai": value}
        )

    def render(self, value, obj=None, **kwargs):
        return "ya" if value else "tidak"


class DaftarTeksWidget(widgets.Widget):
    """A JSON list of short strings written comma-separated ("bpum, sop"); with ``boleh`` only
    those values are accepted."""

    def __init__(self, kolom: str = "", boleh=None):
        super().__init__()
        self.kolom, self.boleh = kolom, list(boleh) if boleh is not None else None

    def clean(self, value, row=None, **kwargs):
        daftar = [v.strip() for v in str(value or "").split(",") if v.strip()]
        if self.boleh is not None and (salah := [v for v in daftar if v not in self.boleh]):
            raise ValueError(
                _("column “%(kolom)s”: “%(nilai)s” is not one of: %(pilihan)s")
                % {"kolom": self.kolom, "nilai": ", ".join(salah), "pilihan": ", ".join(self.boleh)}
            )
        return daftar

    def render(self, value, obj=None, **kwargs):
        return ", ".join(value or [])


class TeksWidget(widgets.CharWidget):
    """Text: an empty cell is "" (never NULL), surrounding spaces dropped."""

    def clean(self, value, row=None, **kwargs):
        return "" if value is None else str(value).strip()


def kolom(attr: str, widget=None, **kw) -> fields.Field:
    return fields.Field(attribute=attr, column_name=attr, widget=widget or TeksWidget(), **kw)


# ----------------------------------------------------------------------------- resources
class ResourcePortal(resources.ModelResource):
    """Base: a wrong reference in a key column is a validation error of that row and column,
    not a traceback; model validation messages come in Bahasa Indonesia."""

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError as e:
            raise ValidationError(str(e)) from None

    def import_instance(self, instance, row, **kwargs):
        """Every column's problem in one pass: many-to-many columns (saved after the row) and
        the resource's own cross-column checks (`periksa_baris`) are checked here too."""
        galat: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            galat = e.update_error_dict(galat)
        for field in self.get_import_fields():
            if field.column_name in row and self._is_m2m(field):
                try:
                    field.clean(row)
                except ValueError as e:
                    galat.setdefault(field.attribute, []).append(str(e))
        for kolom_, pesan in self.periksa_baris(instance).items():
            galat.setdefault(kolom_, []).append(pesan)
        if galat:
            raise ValidationError(galat)

    def periksa_baris(self, instance) -> dict[str, str]:
        return {}

    def _is_m2m(self, field) -> bool:
        try:
            return self._meta.model._meta.get_field(field.attribute).many_to_many
        except Exception:  # a column that is not a model field
            return False

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True


class UnitResource(ResourcePortal):
    kode = kolom("kode")
    nama = kolom("nama")
    jenis = kolom("jenis", PilihanWidget(Unit.Jenis.choices, "jenis"))
    wilayah = kolom("wilayah", KodeWidget(Wilayah, "kode", "wilayah", gettext_lazy("region")))
    induk = kolom("induk", KodeWidget(Unit, "kode", "induk", gettext_lazy("office")))
    layanan = kolom("layanan", DaftarTeksWidget("layanan"))
    hanya_baca = kolom("hanya_baca", YaTidakWidget("hanya_baca"))
    kalender = kolom("kalender", KodeWidget(Kalender, "kode", "kalender", gettext_lazy("calendar")))

    class Meta(ResourcePortal.Meta):
        model = Unit
        import_id_fields = ["kode"]
        fields = ["kode", "nama", "jenis", "wilayah", "induk", "layanan", "hanya_baca", "kalender"]


class PenugasanResource(ResourcePortal):
    """Assignments: a blank ``id`` adds one; an exported ``id`` updates that assignment."""

    user = kolom("user", KodeWidget(get_user_model(), "username", "user", gettext_lazy("user")))
    unit = kolom("unit", KodeWidget(Unit, "kode", "unit", gettext_lazy("office")))
    peran = kolom("peran", DaftarKodeWidget(Pelaksana, "kode", "peran", gettext_lazy("role")))
    jenis = kolom("jenis", PilihanWidget(Penugasan.Jenis.choices, "jenis"))
    mulai = kolom("mulai", TanggalWidget("mulai"))
    selesai = kolom("selesai", TanggalWidget("selesai"))
    keterangan = kolom("keterangan")

    class Meta(ResourcePortal.Meta):
        model = Penugasan
        import_id_fields = ["id"]
        fields = ["id", "user", "unit", "peran", "jenis", "mulai", "selesai", "keterangan"]

    def get_queryset(self):
        return super().get_queryset().select_related("user", "unit").prefetch_related("peran")

    def periksa_baris(self, instance) -> dict[str, str]:
        if instance.mulai and instance.selesai and instance.selesai < instance.mulai:
            return {"selesai": _("column “selesai”: the end is before the start (“mulai”)")}
        return {}


class UserResource(ResourcePortal):
    """Officers' accounts by username; passwords are never exported or imported (a new account
    gets an unusable password until an admin sets one)."""

    is_active = kolom("is_active", YaTidakWidget("is_active"))

    class Meta(ResourcePortal.Meta):
        model = get_user_model()
        import_id_fields = ["username"]
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            instance.set_unusable_password()


class HariLiburResource(ResourcePortal):
    tanggal = kolom("tanggal", TanggalWidget("tanggal"))
    nama = kolom("nama")
    jenis = kolom("jenis", PilihanWidget(HariLibur.Jenis.choices, "jenis"))
    kalender = kolom("kalender", KodeWidget(Kalender, "kode", "kalender", gettext_lazy("calendar")))
    sumber = kolom("sumber")

    class Meta(ResourcePortal.Meta):
        model = HariLibur
        import_id_fields = ["tanggal", "jenis", "kalender"]
        fields = ["tanggal", "nama", "jenis", "kalender", "sumber"]


class KalenderResource(ResourcePortal):
    zona = kolom("zona", PilihanWidget(Kalender.Zona.choices, "zona"))
    bawaan = kolom("bawaan", YaTidakWidget("bawaan"))

    class Meta(ResourcePortal.Meta):
        model = Kalender
        import_id_fields = ["kode"]
        fields = ["kode", "nama", "zona", "bawaan"]
