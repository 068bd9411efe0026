"""Forms of the perizinan screens. The services validate again (and own the rules); the forms
give the browser its fields, labels, limits and the per-field error messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sop.formulir import FieldBerkas, FormPortal

from .models import Permohonan
from .unggah import TERIMA, pesan_dokumen


def field_berkas(label, **kw) -> FieldBerkas:
    """A scan/photo input checked by the project's upload check (``perizinan.unggah``)."""
    f = FieldBerkas(
        periksa=lambda b: pesan_dokumen(b, label=label), label=label, required=False, **kw
    )
    f.widget.attrs.update({"accept": TERIMA})
    return f


class TerimaForm(FormPortal):
    """Intake at the counter: the applicant, the business, the checklist of ``jenis``."""

    pemohon_nik = forms.CharField(
        label=_("Applicant's NIK"),
        max_length=24,
        help_text=_("16 digits, as on the ID card (KTP)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    pemohon_nama = forms.CharField(label=_("Applicant's full name"), max_length=200)
    pemohon_hp = forms.CharField(
        label=_("Applicant's mobile number"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "08xx"}),
    )
    pemohon_alamat = forms.CharField(
        label=_("Applicant's address"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    usaha_nama = forms.CharField(label=_("Business name"), max_length=200)
    usaha_nib = forms.CharField(
        label=_("NIB (if the business has one)"),
        max_length=20,
        required=False,
        help_text=_("13 digits, from OSS."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    usaha_kbli = forms.CharField(
        label=_("KBLI code"),
        max_length=8,
        required=False,
        help_text=_("5 digits (KBLI 2020), e.g. 56101."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    usaha_alamat = forms.CharField(
        label=_("Business address"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    cara = forms.ChoiceField(
        label=_("The file was received"),
        choices=Permohonan.Cara.choices,
        initial=Permohonan.Cara.LANGSUNG,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, jenis=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.jenis = jenis
        self.syarat = []
        for s in jenis.persyaratan.all() if jenis is not None else []:
            f_berkas = f"berkas_{s.pk}"
            f_asli = f"asli_{s.pk}"
            if s.unggah:
                self.fields[f_berkas] = field_berkas(
                    s.nama, help_text=_("Scan or phone photo (JPEG/PNG/WebP) or PDF, at most 5 MB.")
                )
                self.fields[f_berkas].widget.attrs["capture"] = "environment"
            self.fields[f_asli] = forms.BooleanField(
                label=_("Original checked at the counter"), required=False
            )
            self.syarat.append((s, f_berkas if s.unggah else None, f_asli))

    def syarat_bound(self):
        """(checklist item, file field or None, 'original seen' field) for the template."""
        return [(s, self[fb] if fb else None, self[fa]) for s, fb, fa in self.syarat]

    def berkas(self) -> dict[int, object]:
        return {
            s.pk: self.cleaned_data.get(fb)
            for s, fb, _fa in self.syarat
            if fb and self.cleaned_data.get(fb)
        }

    def asli(self) -> set[int]:
        return {s.pk for s, _fb, fa in self.syarat if self.cleaned_data.get(fa)}


class BerkasForm(FormPortal):
    persyaratan = forms.IntegerField(widget=forms.HiddenInput)
    berkas = field_berkas(_("File"))
    asli = forms.BooleanField(label=_("Original checked at the counter"), required=False)


class HasilForm(FormPortal):
    keluaran = forms.IntegerField(widget=forms.HiddenInput)
    nomor = forms.CharField(label=_("Document number"), max_length=100)
    tanggal = forms.DateField(
        label=_("Document date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    berkas = field_berkas(_("Scan of the document (optional)"))


class TransisiForm(FormPortal):
    status_terlihat = forms.CharField(widget=forms.HiddenInput, required=False)
    catatan = forms.CharField(label=_("Note"), required=False, max_length=2000)
    kekurangan = forms.CharField(
        label=_("What the applicant must complete (one per line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    penerima_nama = forms.CharField(label=_("Received by (name)"), required=False, max_length=200)
    penerima_keterangan = forms.CharField(
        label=_("Relation to the applicant"),
        required=False,
        max_length=200,
        help_text=_("E.g. the applicant, or an authorised person with a power of attorney."),
    )


class SurveiForm(FormPortal):
    """The SKM questionnaire: nine questions answered 1-4, an optional anonymous profile."""

    jenis_kelamin = forms.ChoiceField(label=_("Sex"), required=False, widget=forms.RadioSelect)
    umur = forms.IntegerField(label=_("Age"), required=False, min_value=15, max_value=100)
    pendidikan = forms.ChoiceField(label=_("Education"), required=False)
    pekerjaan = forms.ChoiceField(label=_("Occupation"), required=False)
    saran = forms.CharField(
        label=_("Suggestion (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        from .skm import JENIS_KELAMIN, PEKERJAAN, PENDIDIKAN, PERTANYAAN

        super().__init__(*args, **kwargs)
        kosong = [("", _("(not stated)"))]
        self.fields["jenis_kelamin"].choices = JENIS_KELAMIN
        self.fields["pendidikan"].choices = kosong + PENDIDIKAN
        self.fields["pekerjaan"].choices = kosong + PEKERJAAN
        self.unsur = []
        for kode, nama, tanya, pilihan in PERTANYAAN:
            self.fields[kode] = forms.TypedChoiceField(
                label=tanya,
                choices=[(i, p) for i, p in enumerate(pilihan, 1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")},
            )
            self.unsur.append((nama, kode))

    def unsur_bound(self):
        return [(nama, self[kode]) for nama, kode in self.unsur]

    def profil(self) -> dict:
        d = self.cleaned_data
        return {k: d.get(k) for k in ("jenis_kelamin", "umur", "pendidikan", "pekerjaan")}

    def skor(self) -> dict:
        return {k: self.cleaned_data[k] for _n, k in self.unsur}
