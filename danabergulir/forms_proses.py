"""Forms of the SOP 17-24 screens (FormPortal: accessible fields, uploads kept on a failed
submit, English labels translated)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from sop.formulir import FieldBerkas, FormPortal
from sop.models import Wilayah
from sop.unggah import DOKUMEN, BerkasDitolak, periksa_unggahan

from .models import Debitur, HapusBuku, JadwalVersi, MetodeJasa, Proposal

TANGGAL = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WAKTU = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def cek_dokumen(berkas):
    """The one upload check for documents and photos (PDF, JPEG, PNG, WebP by content)."""
    try:
        periksa_unggahan(berkas, boleh=DOKUMEN, label=_t("File"))
    except BerkasDitolak as e:
        return e.message
    return None


def _digit(nilai: str, n: int, label: str) -> str:
    v = "".join((nilai or "").split())
    if not (v.isdigit() and len(v) == n):
        raise forms.ValidationError(_t("%(f)s must be %(n)s digits.") % {"f": label, "n": n})
    return v


class LangkahForm(FormPortal):
    """Completing or deciding a step: the state the officer saw, and a note (a reason when
    returning or refusing)."""

    status_terlihat = forms.CharField(widget=forms.HiddenInput, required=False)
    catatan = forms.CharField(
        label=_("Note (required when returning or refusing)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProposalForm(FormPortal):
    jenis = forms.ChoiceField(label=_("Applicant"), choices=Debitur.Jenis.choices)
    nama = forms.CharField(label=_("Name"), max_length=200)
    nik = forms.CharField(
        label=_("NIK / cooperative NIK"),
        max_length=20,
        help_text=_("16 digits: the owner's NIK, or the cooperative's NIK koperasi."),
    )
    nomor_badan_hukum = forms.CharField(
        label=_("Legal entity number (cooperative)"), max_length=80, required=False
    )
    pengurus = forms.CharField(
        label=_("Board (cooperative)"),
        required=False,
        help_text=_("One person per line: name - position."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    nib = forms.CharField(label=_("NIB (micro business)"), max_length=13, required=False)
    sku = forms.CharField(
        label=_("Business certificate (SKU) number"), max_length=80, required=False
    )
    kecamatan = forms.ModelChoiceField(label=_("District"), queryset=Wilayah.objects.none())
    desa = forms.ModelChoiceField(
        label=_("Village"), queryset=Wilayah.objects.none(), required=False
    )
    alamat = forms.CharField(label=_("Address"), max_length=300, required=False)
    no_hp = forms.CharField(label=_("Phone"), max_length=20, required=False)
    jumlah_diminta = forms.IntegerField(label=_("Amount requested (Rp)"), min_value=1)
    tenor_diminta = forms.IntegerField(
        label=_("Tenor requested (months)"), min_value=1, max_value=600
    )
    tujuan = forms.CharField(label=_("Purpose"), max_length=300)
    berkas = FieldBerkas(label=_("Proposal document (PDF or photo)"), periksa=cek_dokumen)

    def __init__(self, *args, kabupaten: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        kec = Wilayah.objects.filter(induk_id=kabupaten).order_by("nama")
        self.fields["kecamatan"].queryset = kec
        self.fields["desa"].queryset = Wilayah.objects.filter(induk__induk_id=kabupaten).order_by(
            "nama"
        )

    def clean_nik(self):
        return _digit(self.cleaned_data["nik"], 16, _t("NIK"))

    def clean_nib(self):
        v = self.cleaned_data.get("nib", "")
        return _digit(v, 13, _t("NIB")) if v.strip() else ""

    def clean_pengurus(self):
        hasil = []
        for baris in (self.cleaned_data.get("pengurus") or "").splitlines():
            if not baris.strip():
                continue
            nama, _sep, jabatan = baris.partition("-")
            hasil.append({"nama": nama.strip(), "jabatan": jabatan.strip()})
        return hasil

    def clean(self):
        d = super().clean()
        desa, kec = d.get("desa"), d.get("kecamatan")
        if desa and kec and desa.induk_id != kec.kode:
            self.add_error("desa", _t("The village is not in the chosen district."))
        if d.get("jenis") == Debitur.Jenis.KOPERASI:
            if not d.get("nomor_badan_hukum"):
                self.add_error(
                    "nomor_badan_hukum", _t("A cooperative needs its legal entity number.")
                )
            if not d.get("pengurus"):
                self.add_error("pengurus", _t("A cooperative needs its board."))
        elif d.get("jenis") == Debitur.Jenis.UMKM and not (d.get("nib") or d.get("sku")):
            self.add_error("nib", _t("A micro business needs its NIB or its SKU number."))
        return d


class AjukanUlangForm(LangkahForm):
    berkas = FieldBerkas(
        label=_("Corrected proposal document (optional)"), required=False, periksa=cek_dokumen
    )


class TugaskanSurveiForm(LangkahForm):
    petugas = forms.ModelChoiceField(label=_("Surveying officer"), queryset=None)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        qs = User.objects.filter(
            is_active=True,
            penugasan__unit=unit,
            penugasan__peran__kode__in=("petugas_upt", "pengelola_dana_bergulir"),
        ).distinct()
        self.fields["petugas"].queryset = qs.order_by("first_name", "username")
        self.fields["petugas"].label_from_instance = lambda u: u.get_full_name() or u.username


class SurveiForm(FormPortal):
    tanggal = forms.DateField(label=_("Survey date"), widget=TANGGAL)
    usaha = forms.CharField(
        label=_("Business"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    omzet_bulanan = forms.IntegerField(label=_("Monthly turnover (Rp)"), min_value=0)
    aset = forms.IntegerField(label=_("Assets (Rp)"), min_value=0)
    jaminan_ditawarkan = forms.CharField(label=_("Collateral offered"), max_length=300)
    nilai_jaminan = forms.IntegerField(label=_("Collateral value (Rp)"), min_value=0)
    plafon_rekomendasi = forms.IntegerField(label=_("Recommended amount (Rp)"), min_value=1)
    catatan = forms.CharField(
        label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    foto = FieldBerkas(label=_("Photo"), required=False, periksa=cek_dokumen)
    keterangan_foto = forms.CharField(label=_("Photo caption"), max_length=200, required=False)


class UndanganForm(LangkahForm):
    tanggal = forms.DateField(label=_("Invitation date"), widget=TANGGAL)
    jadwal = forms.DateTimeField(label=_("Signing appointment"), widget=WAKTU)
    tempat = forms.CharField(label=_("Signing place"), max_length=200)


class TanggalForm(LangkahForm):
    tanggal = forms.DateField(label=_("Date"), widget=TANGGAL)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["tanggal"].label = label


class RekeningForm(FormPortal):
    nama_bank = forms.CharField(label=_("Bank"), max_length=120)
    nomor_rekening = forms.CharField(label=_("Account number"), max_length=40)


class SkForm(FormPortal):
    nomor = forms.CharField(label=_("Decree number"), max_length=80)
    tanggal = forms.DateField(label=_("Decree date"), widget=TANGGAL)


class KeputusanForm(FormPortal):
    proposal = forms.ModelChoiceField(label=_("Proposal"), queryset=Proposal.objects.none())
    disetujui = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approved")), ("0", _("Refused"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    plafon = forms.IntegerField(label=_("Approved amount (Rp)"), min_value=1, required=False)
    tenor = forms.IntegerField(
        label=_("Tenor (months)"), min_value=1, max_value=600, required=False
    )
    alasan = forms.CharField(
        label=_("Reason (required when refused)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, proposal_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposal_qs is not None:
            self.fields["proposal"].queryset = proposal_qs
        self.fields["proposal"].label_from_instance = lambda p: (
            f"{p.nomor_buku} · {p.nama} · Rp{p.jumlah_diminta:,}".replace(",", ".")
        )


class RestrukturisasiForm(FormPortal):
    bentuk = forms.ChoiceField(label=_("Form"), choices=JadwalVersi.Bentuk.choices)
    tanggal = forms.DateField(label=_("Effective from"), widget=TANGGAL)
    jasa_persen = forms.DecimalField(
        label=_("Service fee (% per year)"), min_value=0, max_value=100, decimal_places=2
    )
    metode = forms.ChoiceField(label=_("Method"), choices=MetodeJasa.choices)
    tenor = forms.IntegerField(label=_("Tenor (months)"), min_value=1, max_value=600)
    masa_tenggang = forms.IntegerField(label=_("Grace months"), min_value=0, initial=0)
    jatuh_tempo_pertama = forms.DateField(label=_("First due date"), widget=TANGGAL)
    alasan = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class HapusBukuForm(FormPortal):
    jenis = forms.ChoiceField(label=_("Kind"), choices=HapusBuku.Jenis.choices)
    nomor_sk = forms.CharField(label=_("Decree number"), max_length=80)
    tanggal_sk = forms.DateField(label=_("Decree date"), widget=TANGGAL)
    alasan = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PutusForm(FormPortal):
    keputusan = forms.ChoiceField(
        label=_("Decision"),
        choices=[("setujui", _("Approve")), ("tolak", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    catatan = forms.CharField(
        label=_("Note (required when refusing)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class KirimBkdForm(LangkahForm):
    nomor_surat = forms.CharField(label=_("Cover letter number"), max_length=80)
    tanggal = forms.DateField(label=_("Sent on"), widget=TANGGAL)
