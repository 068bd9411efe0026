"""Forms of the loan book screens (labels and messages through gettext)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImporBerkas, Jaminan, Pinjaman, normal_nomor


class AlasanForm(forms.Form):
    alasan = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_alasan(self):
        v = self.cleaned_data["alasan"].strip()
        if not v:
            raise forms.ValidationError(_("Give the reason."))
        return v


class CocokkanForm(forms.Form):
    nomor = forms.CharField(label=_("Loan number"), max_length=40)

    def __init__(self, *args, pinjaman_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pinjaman_qs = pinjaman_qs if pinjaman_qs is not None else Pinjaman.objects.none()

    def clean_nomor(self):
        nomor = normal_nomor(self.cleaned_data["nomor"])
        p = self.pinjaman_qs.filter(nomor_normal=nomor).first()
        if p is None:
            raise forms.ValidationError(_("No loan with this number in your loan book."))
        self.pinjaman = p
        return nomor


class AbaikanForm(forms.Form):
    catatan = forms.CharField(label=_("Why this is not an installment"), max_length=300)


class JaminanForm(forms.ModelForm):
    class Meta:
        model = Jaminan
        fields = [
            "jenis",
            "nomor_dokumen",
            "atas_nama",
            "nilai",
            "tempat_penyimpanan",
            "tanggal_diterima",
            "keterangan",
        ]
        widgets = {"tanggal_diterima": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class KembalikanJaminanForm(forms.Form):
    tanggal = forms.DateField(
        label=_("Returned on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kepada = forms.CharField(label=_("Returned to"), max_length=200)


class UnggahForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Kind"), choices=ImporBerkas.Jenis.choices)
    berkas = forms.FileField(label=_("File (.xlsx or .csv)"))


class BulanForm(forms.Form):
    bulan = forms.CharField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month", "aria-label": _("Month")}),
        max_length=7,
    )

    def clean_bulan(self):
        v = self.cleaned_data["bulan"]
        try:
            d = dt.date.fromisoformat(v + "-01")
        except ValueError as e:
            raise forms.ValidationError(_("Choose a month (YYYY-MM).")) from e
        return d.year, d.month
