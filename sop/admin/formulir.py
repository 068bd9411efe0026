"""Forms of the SOP editor: identity lists as one item per line, and a compact step form.

The step form shows performers as the SOP's own performer columns, the inputs (kelengkapan) as
rows marked document or equipment, the time limit with its parsed reading and an explicit
"not tracked" choice, and the Ya/Tidak branches as the SOP's steps by number and activity. The
choices are computed once per page (`LangkahFormSet`), not once per step.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.forms.models import BaseInlineFormSet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import KolomPelaksana, Langkah, Pelaksana, Sop
from ..validasi_langkah import galat_kelengkapan, galat_waktu
from ..waktu import Batas, WaktuTidakDikenali, format_batas, parse_waktu

BARIS_KOSONG = 1  # blank input rows under a step's existing ones ("+ row" adds more)


# ----------------------------------------------------------------------------- fast widgets
class SelectCepat(forms.Select):
    """A select whose options are written in Python: Django renders every option through a
    template include, which is most of the time of a page with a few hundred options."""

    def render(self, name, value, attrs=None, renderer=None):
        nilai = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        opsi = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (k, mark_safe(" selected") if str(k) in nilai else "", label)
                for k, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            opsi,
        )


class _InputCepat:
    """An <input> written in Python (see `SelectCepat`)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        v = self.format_value(value)
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            self.input_type,
            name,
            format_html(' value="{}"', v) if v not in (None, "") else "",
            flatatt(attrs),
        )


class TeksCepat(_InputCepat, forms.TextInput):
    pass


class AngkaCepat(_InputCepat, forms.NumberInput):
    pass


class TersembunyiCepat(_InputCepat, forms.HiddenInput):
    pass


class AreaCepat(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            name,
            flatatt(attrs),
            self.format_value(value) or "",
        )


class KotakCepat(forms.CheckboxInput):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.check_test(value):
            attrs["checked"] = True
        return format_html('<input type="checkbox" name="{}"{}>', name, flatatt(attrs))


class CentangCepat(forms.CheckboxSelectMultiple):
    """Checkboxes written in Python (see `SelectCepat`), one label per box."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        dasar = attrs.pop("id", f"id_{name}")
        nilai = {str(v) for v in value or []}
        kotak = format_html_join(
            "",
            '<label for="{0}_{1}"><input type="checkbox" name="{2}" value="{3}" id="{0}_{1}"{4}>'
            " {5}</label>",
            (
                (dasar, i, name, k, mark_safe(" checked") if str(k) in nilai else "", label)
                for i, (k, label) in enumerate(self.choices)
            ),
        )
        return format_html('<div id="{}"{}>{}</div>', dasar, flatatt(attrs), kotak)

    def id_for_label(self, id_):
        return ""


# ----------------------------------------------------------------------------- identity
class DaftarBarisField(forms.CharField):
    """A JSON list of strings edited as a textarea, one item per line."""

    widget = forms.Textarea(attrs={"rows": 3, "class": "daftar-baris"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", gettext_lazy("One item per line."))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        return [b.strip() for b in str(value or "").splitlines() if b.strip()]

    def has_changed(self, initial, data):
        return list(initial or []) != self.to_python(data)


class SopForm(forms.ModelForm):
    dasar_hukum = DaftarBarisField(label=gettext_lazy("legal basis"))
    kualifikasi_pelaksana = DaftarBarisField(label=gettext_lazy("performer qualifications"))
    keterkaitan = DaftarBarisField(label=gettext_lazy("related SOPs"))
    peralatan = DaftarBarisField(label=gettext_lazy("equipment"))
    catatan_transkripsi = DaftarBarisField(label=gettext_lazy("transcription notes"))

    class Meta:
        model = Sop
        fields = [  # kode is shown only when adding (SopAdmin.get_fieldsets)
            "kode",
            "nomor",
            "nama",
            "instansi",
            "bagian",
            "tanggal_pembuatan",
            "tanggal_pembuatan_teks",
            "tanggal_revisi",
            "tanggal_revisi_teks",
            "tanggal_efektif",
            "tanggal_efektif_teks",
            "disahkan_jabatan",
            "disahkan_nama",
            "disahkan_nip",
            "dasar_hukum",
            "kualifikasi_pelaksana",
            "keterkaitan",
            "peralatan",
            "peringatan",
            "pencatatan",
            "sumber",
            "catatan_transkripsi",
            "tanpa_langkah",
        ]
        widgets = {
            f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for f in ("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif")
        } | {
            f: forms.Textarea(attrs={"rows": 2})
            for f in ("peringatan", "pencatatan", "instansi", "bagian", "nama")
        }

    def clean_kode(self):
        kode = self.cleaned_data["kode"]
        if self.instance.pk is None and Sop.objects.filter(kode=kode).exists():
            raise forms.ValidationError(
                _("An SOP with this code exists: make a new revision of it instead.")
            )
        return kode


# ----------------------------------------------------------------------------- columns
class KodePeranField(forms.ModelChoiceField):
    """A role typed by its code, with the page's shared list of roles as suggestions."""

    def __init__(self, **kwargs):
        super().__init__(
            Pelaksana.objects.all(),
            to_field_name="kode",
            widget=forms.TextInput(attrs={"list": "daftar-peran", "size": 20}),
            error_messages={"invalid_choice": gettext_lazy("No role has this code.")},
            **kwargs,
        )


class KolomForm(forms.ModelForm):
    pelaksana = KodePeranField(label=gettext_lazy("role (code)"))
    dicatat_oleh = KodePeranField(label=gettext_lazy("recorded by (code)"), required=False)

    class Meta:
        model = KolomPelaksana
        fields = ["urutan", "pelaksana", "nama", "eksternal", "dicatat_oleh"]
        widgets = {"urutan": forms.NumberInput(attrs={"class": "angka-kecil", "min": 0})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A tabular inline shows labels only as column headings: name every input for
        # screen readers ("Kolom 2: peran (kode)").
        nomor = (self.prefix or "").rsplit("-", 1)[-1]
        awal = _("Column %(n)s") % {"n": int(nomor) + 1} if nomor.isdigit() else _("New column")
        for nama, field in self.fields.items():
            field.widget.attrs.setdefault("aria-label", f"{awal}: {field.label or nama}")
        if self.instance.pk:
            self.initial["pelaksana"] = self.instance.pelaksana.kode
            if self.instance.dicatat_oleh_id:
                self.initial["dicatat_oleh"] = self.instance.dicatat_oleh.kode


class KolomFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            awal = _("Column %(n)s") % {"n": index + 1} if index is not None else _("New column")
            form.fields["DELETE"].widget.attrs["aria-label"] = f"{awal}: {_('delete')}"


# ----------------------------------------------------------------------------- inputs
@dataclass
class Butir:
    """One input row: its name, whether it is equipment, whether it must be attached."""

    nama: str
    alat: bool = False
    wajib: bool = False


class KelengkapanWidget(forms.Widget):
    """Rows of (name, document/equipment, required); names ``<name>_nama`` etc. per row.

    Written in Python (as `SelectCepat`): one of these per step."""

    def format_value(self, value):
        return list(value or [])

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        dasar = attrs.get("id", f"id_{name}")
        baris = [*self.format_value(value), *[Butir("") for _ in range(BARIS_KOSONG)]]
        t_nama, t_jenis, t_wajib = _("name"), _("kind"), _("must be attached")
        t_dok, t_alat = _("document"), _("equipment")
        isi = format_html_join(
            "",
            '<tr><td><input type="text" name="{0}_nama" value="{1}" id="{2}_{3}_nama"'
            ' aria-label="{4} {5}"></td><td><select name="{0}_jenis" aria-label="{6} {5}">'
            '<option value="dokumen"{7}>{8}</option><option value="alat"{9}>{10}</option>'
            '</select></td><td><input type="checkbox" name="{0}_wajib" value="{3}"{11}'
            ' aria-label="{12} {5}"></td></tr>',
            (
                (
                    name, b.nama, dasar, i, t_nama, i + 1, t_jenis,
                    "" if b.alat else mark_safe(" selected"), t_dok,
                    mark_safe(" selected") if b.alat else "", t_alat,
                    mark_safe(" checked") if b.wajib else "", t_wajib,
                )
                for i, b in enumerate(baris)
            ),
        )  # fmt: skip
        return format_html(
            '<table class="kelengkapan" id="{}"><caption>{}</caption><thead><tr>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
            '<tbody>{}</tbody></table><button type="button" class="tambah-butir" data-tabel="{}">'
            "{}</button>",
            dasar,
            _("Inputs (kelengkapan)"),
            _("Name"),
            _("Kind"),
            _("Must be attached"),
            isi,
            dasar,
            _("+ input"),
        )

    def value_from_datadict(self, data, files, name):
        nama = data.getlist(f"{name}_nama") if hasattr(data, "getlist") else []
        jenis = data.getlist(f"{name}_jenis") if hasattr(data, "getlist") else []
        wajib = set(data.getlist(f"{name}_wajib")) if hasattr(data, "getlist") else set()
        hasil = []
        for i, n in enumerate(nama):
            n = " ".join(n.split())
            if n:
                alat = i < len(jenis) and jenis[i] == "alat"
                hasil.append(Butir(n, alat=alat, wajib=str(i) in wajib))
        return hasil

    def value_omitted_from_data(self, data, files, name):
        return f"{name}_nama" not in data

    def id_for_label(self, id_):
        return f"{id_}_0_nama" if id_ else None


class KelengkapanField(forms.Field):
    widget = KelengkapanWidget

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = list(value or [])
        galat = galat_kelengkapan(
            [b.nama for b in value],
            [b.nama for b in value if b.alat],
            [b.nama for b in value if b.wajib],
        )
        if galat:
            raise forms.ValidationError(galat)
        return value

    def has_changed(self, initial, data):
        return list(initial or []) != list(data or [])


def butir_dari(langkah: Langkah) -> list[Butir]:
    alat, wajib = set(langkah.kelengkapan_alat or []), set(langkah.kelengkapan_wajib or [])
    return [Butir(k, alat=k in alat, wajib=k in wajib) for k in langkah.kelengkapan or []]


# ----------------------------------------------------------------------------- time limit
def hasil_waktu(waktu: str, tidak_dipantau: bool) -> dict:
    """What the time limit means, for the editor: label, whether it is readable, suggestions."""
    if tidak_dipantau:
        return {"label": _("not tracked (chosen)"), "terbaca": True, "saran": []}
    try:
        b = parse_waktu(waktu, ketat=True)
    except WaktuTidakDikenali as e:
        return {"label": _("cannot be read"), "terbaca": False, "saran": e.saran}
    return {"label": label_batas(b), "terbaca": True, "saran": []}


def label_batas(b: Batas) -> str:
    if b.jenis == "tidak_dilacak":
        return _("not tracked")
    if b.jenis == "periodik":
        return _("a schedule, not a per-request limit")
    return format_batas(b)


# ----------------------------------------------------------------------------- step form
class LangkahForm(forms.ModelForm):
    kelengkapan_daftar = KelengkapanField(label=gettext_lazy("Inputs (kelengkapan)"))
    pelaksana = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Performers"),
        coerce=int,
        required=False,
        widget=CentangCepat(attrs={"class": "pilihan-pelaksana"}),
    )
    cabang_ya = forms.ChoiceField(
        label=gettext_lazy("If “Ya”, go to"), required=False, widget=SelectCepat
    )
    cabang_tidak = forms.ChoiceField(
        label=gettext_lazy("If “Tidak”, go to"), required=False, widget=SelectCepat
    )

    # Set by LangkahFormSet: choices computed once for the whole page.
    pilihan_pelaksana: list[tuple[int, str]] = []
    pilihan_langkah: list[tuple[str, str]] = []
    url_waktu: str = ""

    class Meta:
        model = Langkah
        fields = [
            "nomor",
            "kode",
            "kegiatan",
            "pelaksana",
            "waktu",
            "waktu_tidak_dipantau",
            "output",
            "cabang_ya",
            "cabang_tidak",
            "keterangan",
            "tunggu_pemohon",
            "saat_kedaluwarsa",
            "keyakinan",
        ]
        widgets = {
            "nomor": AngkaCepat(attrs={"class": "angka-kecil", "min": 1}),
            "kode": TeksCepat(attrs={"class": "kode-langkah", "size": 18}),
            "kegiatan": AreaCepat(attrs={"rows": 2}),
            "output": AreaCepat(attrs={"rows": 1}),
            "keterangan": AreaCepat(attrs={"rows": 1}),
            "waktu": TeksCepat(attrs={"size": 16, "autocomplete": "off"}),
            "waktu_tidak_dipantau": KotakCepat,
            "tunggu_pemohon": KotakCepat,
            "saat_kedaluwarsa": TeksCepat,
            "keyakinan": SelectCepat,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pelaksana"].choices = self.pilihan_pelaksana
        kosong = [("", _("— none —"))]
        for f in ("cabang_ya", "cabang_tidak"):
            self.fields[f].choices = kosong + [
                (k, label) for k, label in self.pilihan_langkah if k != self.instance.kode
            ]
        if self.instance.pk:
            self.initial["pelaksana"] = [p.pk for p in self.instance.pelaksana.all()]
            self.initial["kelengkapan_daftar"] = butir_dari(self.instance)
        self.fields["waktu"].widget.attrs.update(
            {
                "hx-get": self.url_waktu,
                "hx-trigger": "input changed delay:400ms",
                "hx-target": f"#{self.prefix}-waktu-hasil",
                "hx-include": f"#id_{self.prefix}-waktu_tidak_dipantau",
                "aria-describedby": f"{self.prefix}-waktu-hasil",
            }
        )
        self.fields["waktu_tidak_dipantau"].widget.attrs.update(
            {
                "hx-get": self.url_waktu,
                "hx-target": f"#{self.prefix}-waktu-hasil",
                "hx-include": f"#id_{self.prefix}-waktu",
            }
        )
        for f in self.fields.values():
            f.help_text = ""  # the compact card shows one explanation for all steps
        self.fields["waktu_tidak_dipantau"].label = _("not tracked")

    def hasil_waktu(self) -> dict:
        if self.is_bound:
            waktu = self.data.get(self.add_prefix("waktu"), "")
            tidak = bool(self.data.get(self.add_prefix("waktu_tidak_dipantau")))
        else:
            waktu, tidak = self.instance.waktu, self.instance.waktu_tidak_dipantau
        return hasil_waktu(waktu, tidak)

    def clean(self):
        data = super().clean()
        g = galat_waktu(
            data.get("waktu") or "",
            bool(data.get("waktu_tidak_dipantau")),
            petunjuk=_("Or tick “not tracked” if this step has no limit."),
        )
        if g and "waktu" not in self.errors:
            self.add_error("waktu", g)
        return data

    def save(self, commit=True):
        butir = self.cleaned_data.get("kelengkapan_daftar") or []
        self.instance.kelengkapan = [b.nama for b in butir]
        self.instance.kelengkapan_alat = [b.nama for b in butir if b.alat]
        self.instance.kelengkapan_wajib = [b.nama for b in butir if b.wajib]
        return super().save(commit)


class LangkahFormSet(BaseInlineFormSet):
    """Computes the performer and step choices of the SOP once and hands them to every form."""

    url_waktu = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sop = self.instance
        if sop is not None and sop.pk:
            kolom = [
                (k.pelaksana_id, k.nama or k.pelaksana.nama)
                for k in KolomPelaksana.objects.filter(sop=sop).select_related("pelaksana")
            ]
            langkah = [
                (lk.kode, f"{lk.nomor}. {_potong(lk.kegiatan)}")
                for lk in Langkah.objects.filter(sop=sop).only("kode", "nomor", "kegiatan")
            ]
        else:
            kolom, langkah = [], []
        self.form = type(
            "LangkahFormHalaman",
            (self.form,),
            {"pilihan_pelaksana": kolom, "pilihan_langkah": langkah, "url_waktu": self.url_waktu},
        )

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for nama in ("id", "sop"):
            if nama in form.fields:
                form.fields[nama].widget = TersembunyiCepat()
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget = KotakCepat()

    def get_queryset(self):
        if not hasattr(self, "_dengan_pelaksana"):
            self._dengan_pelaksana = super().get_queryset().prefetch_related("pelaksana")
        return self._dengan_pelaksana

    def clean(self):
        super().clean()
        tetap = [
            f
            for f in self.forms
            if f.has_changed() or f.instance.pk
            if not (self.can_delete and self._should_delete_form(f))
        ]
        ada = {f.cleaned_data.get("kode") or f.instance.kode for f in tetap if f.is_valid()}
        for f in tetap:
            if not f.is_valid():
                continue
            for arah in ("cabang_ya", "cabang_tidak"):
                tujuan = f.cleaned_data.get(arah)
                if tujuan and tujuan not in ada:
                    f.add_error(
                        arah, _("The step this branch leads to is being deleted or is missing.")
                    )


def _potong(teks: str, n: int = 60) -> str:
    teks = " ".join(teks.split())
    return teks if len(teks) <= n else teks[: n - 1] + "…"
