"""Forms of the engine's own pages: the generic runner, lists' filters, the SOP catalogue."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .formulir import FieldBerkas, FormPortal
from .models import Permohonan, Sop, Unit
from .services import cek_berkas

LAINNYA = "Lainnya"


def periksa_berkas(berkas):
    """The runner's upload check (raises ValidationError with an Indonesian message)."""
    cek_berkas(berkas)


class PermohonanBaruForm(FormPortal):
    unit = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Unit.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Pilih kantor Anda.", "required": "Pilih kantor Anda."},
    )
    sop = forms.ModelChoiceField(
        label=_("SOP"),
        queryset=Sop.objects.none(),
        empty_label="—",
        help_text=_("Only the SOPs your office runs and in which you take part are listed."),
        error_messages={
            "invalid_choice": "Pilih SOP yang berlaku.",
            "required": "Pilih SOP yang berlaku.",
        },
    )
    judul = forms.CharField(
        label=_("Subject"),
        max_length=200,
        error_messages={"required": "Perihal wajib diisi."},
    )
    pemohon_nama = forms.CharField(label=_("Applicant name"), max_length=200, required=False)
    pemohon_kontak = forms.CharField(
        label=_("Applicant contact"),
        max_length=100,
        required=False,
        help_text=_("Phone number or e-mail address."),
    )

    def __init__(self, *args, units, sop_per_unit: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        pks = {s.pk for daftar in sop_per_unit.values() for s in daftar}
        self.fields["sop"].queryset = Sop.objects.filter(pk__in=pks).order_by("kode")
        self.fields["sop"].label_from_instance = lambda s: f"{s.kode} · {s.nama[:90]}"
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk


class LampiranForm(FormPortal):
    jenis = forms.ChoiceField(label=_("Document"))
    berkas = FieldBerkas(
        label=_("File"),
        periksa=periksa_berkas,
        help_text=_("PDF, image or office document, at most 10 MB."),
        error_messages={"required": "Pilih berkas yang akan diunggah."},
    )

    def __init__(self, *args, langkah=None, **kwargs):
        super().__init__(*args, auto_id="id_lampiran_%s", **kwargs)
        daftar = list(langkah.kelengkapan_dokumen if langkah else [])
        self.fields["jenis"].choices = [(k, k) for k in daftar] + [(LAINNYA, _("Other"))]


class HasilForm(FormPortal):
    berkas = FieldBerkas(
        label=_("Final output file"),
        periksa=periksa_berkas,
        error_messages={"required": "Pilih berkas yang akan diunggah."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_hasil_%s", **kwargs)


class TransisiForm(FormPortal):
    """The note (or required reason) of one action button; one form per button."""

    status_terlihat = forms.CharField(widget=forms.HiddenInput, required=False)
    catatan = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)

    def __init__(self, *args, tombol=None, **kwargs):
        nama = getattr(tombol, "nama", "aksi")
        super().__init__(*args, auto_id=f"id_{nama}_%s", **kwargs)
        if tombol is not None and tombol.alasan:
            f = self.fields["catatan"]
            f.required = True
            f.label = _("Reason")
            f.error_messages["required"] = "Tuliskan alasannya."


class PermohonanFilterForm(FormPortal):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Number, subject or applicant")}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("berjalan", _("Running")),
            (Permohonan.STATUS_SELESAI[0], _("Finished")),
        ],
    )


class SopCariForm(FormPortal):
    q = forms.CharField(
        label=_("Search SOPs"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Code, name or agency")}),
    )


class MasukForm(AuthenticationForm):
    """The login form with the portal's message (rendered through the field include)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Please try again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocapitalize="none", spellcheck="false")
