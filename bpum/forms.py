"""Forms of the BPUM screens. Checks stay in ``bpum.services`` / ``bpum.validasi`` (Indonesian
messages); a form only collects input, shows every problem at once and keeps uploads."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sop.formulir import FieldBerkas, FormPortal

from . import services
from .models import DOKUMEN_FIELD, AlasanPengembalian, Dokumen, DuplikatKeputusan, Rekap, Usulan
from .validasi import cek_berkas_dokumen

S = Usulan.Status
TERIMA_BERKAS = "image/jpeg,image/png,application/pdf"
BANTUAN_BERKAS = _("Photo (JPG/PNG) or PDF, at most 5 MB.")


def _teks(label, maks, wajib=True, **attrs):
    return forms.CharField(
        label=label,
        max_length=maks,
        required=wajib,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"max_length": f"Maksimal {maks} karakter."},
    )


def _berkas_dokumen(label, **kwargs):
    return FieldBerkas(
        label=label,
        required=False,
        periksa=cek_berkas_dokumen,
        widget=FieldBerkas.widget(attrs={"accept": TERIMA_BERKAS, "capture": "environment"}),
        **kwargs,
    )


class DataPemohonForm(FormPortal):
    """The applicant's data: every message from ``services.validasi_data`` at once."""

    no_kk = _teks(_("Family card number (16 digits)"), 20, inputmode="numeric", autocomplete="off")
    nama = _teks(_("Full name"), 200, autocomplete="off")
    alamat = forms.CharField(
        label=_("Address as on the ID card"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Maksimal 300 karakter."},
    )
    bidang_usaha = _teks(_("Line of business"), 120, wajib=False)
    no_hp = _teks(
        _("Mobile number"),
        20,
        wajib=False,
        inputmode="tel",
        autocomplete="off",
        placeholder="08xx",
    )

    PESAN_WAJIB = {
        "nik": "NIK wajib diisi.",
        "no_kk": "No KK wajib diisi.",
        "nama": "Nama lengkap wajib diisi.",
        "alamat": "Alamat sesuai KTP wajib diisi.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nama, pesan in self.PESAN_WAJIB.items():
            if nama in self.fields:
                self.fields[nama].error_messages["required"] = pesan

    def _data_layanan(self) -> dict:
        return {f: self.data.get(self.add_prefix(f), "") for f in self.fields}

    def clean(self):
        data = super().clean()
        _bersih, galat = services.validasi_data(self._data_layanan())
        for nama, pesan in galat.items():
            if nama in self.fields and nama not in self.errors:
                self.add_error(nama, pesan)
        return data


class UsulanBaruForm(DataPemohonForm):
    """Intake at the village counter: data, documents, declarations."""

    field_order = ["desa", "nik", "no_kk", "nama", "alamat", "bidang_usaha", "no_hp"]

    desa = forms.ChoiceField(
        label=_("Village"),
        error_messages={
            "required": "Pilih desa/kelurahan Anda.",
            "invalid_choice": "Pilih desa/kelurahan Anda.",
        },
    )
    nik = _teks(
        _("NIK (16 digits, as on the ID card)"), 20, inputmode="numeric", autocomplete="off"
    )
    berkas_ktp = _berkas_dokumen(Dokumen.KTP.label)
    berkas_kk = _berkas_dokumen(Dokumen.KK.label)
    berkas_usaha = _berkas_dokumen(Dokumen.USAHA.label)
    berkas_foto = _berkas_dokumen(Dokumen.FOTO.label)
    bukan_pegawai = forms.BooleanField(
        label=_("I am not a civil servant, soldier, police officer or BUMN/BUMD employee"),
        required=False,
    )
    tidak_menerima_kur = forms.BooleanField(
        label=_("I am not receiving KUR credit"), required=False
    )

    def __init__(self, *args, desa, periode=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.desa_pilihan = {w.kode: w for w in desa}
        self.fields["desa"].choices = [(w.kode, w.nama) for w in desa]
        wajib = set(periode.dokumen_wajib or []) if periode else set()
        for d in Dokumen:
            f = self.fields[DOKUMEN_FIELD[d]]
            f.help_text = (
                _("Required for a complete file.") + " " + BANTUAN_BERKAS
                if d.value in wajib
                else BANTUAN_BERKAS
            )

    def dokumen_fields(self):
        return [self[DOKUMEN_FIELD[d]] for d in Dokumen]

    def clean_desa(self):
        return self.desa_pilihan[self.cleaned_data["desa"]]

    def berkas(self) -> dict:
        """{document code: file} for ``services.usulan_buat``."""
        return {d.value: self.cleaned_data.get(DOKUMEN_FIELD[d]) for d in Dokumen}


class UsulanUbahForm(DataPemohonForm):
    """The village officer corrects the applicant's data (the NIK is fixed)."""

    def __init__(self, *args, usulan: Usulan, **kwargs):
        kwargs.setdefault("initial", {f: getattr(usulan, f) for f in services.DATA_BISA_DIUBAH})
        super().__init__(*args, **kwargs)
        self.usulan = usulan

    def _data_layanan(self) -> dict:
        return {"nik": self.usulan.nik, **super()._data_layanan()}


class UnggahDokumenForm(FormPortal):
    jenis = forms.ChoiceField(
        label=_("Document"),
        choices=Dokumen.choices,
        error_messages={"invalid_choice": "Jenis dokumen tidak dikenal."},
    )
    berkas = _berkas_dokumen(_("File"), help_text=BANTUAN_BERKAS)

    def __init__(self, *args, usulan: Usulan | None = None, **kwargs):
        super().__init__(*args, auto_id="id_unggah_%s", **kwargs)
        self.fields["berkas"].required = True
        self.fields["berkas"].error_messages["required"] = "Pilih berkas yang akan diunggah."
        if usulan is not None and not self.is_bound:
            kurang = [kode for kode, _label, ada in usulan.dokumen() if not ada]
            if kurang:
                self.fields["jenis"].initial = kurang[0]


class PernyataanForm(FormPortal):
    bukan_pegawai = forms.BooleanField(
        label=_("Not a civil servant, soldier, police officer or BUMN/BUMD employee"),
        required=False,
    )
    tidak_menerima_kur = forms.BooleanField(label=_("Not receiving KUR credit"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_pernyataan_%s", **kwargs)


class TindakanForm(FormPortal):
    """One action on a proposal: the note or reason, and for a return the reasons catalogue."""

    status_terlihat = forms.CharField(widget=forms.HiddenInput, required=False)
    alasan = forms.ModelMultipleChoiceField(
        label=_("Reasons (choose one or more)"),
        queryset=AlasanPengembalian.objects.filter(aktif=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    catatan = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)

    def __init__(self, *args, tombol=None, **kwargs):
        nama = getattr(tombol, "nama", "aksi")
        super().__init__(*args, auto_id=f"id_{nama}_%s", **kwargs)
        if nama == "kembalikan_berkas":
            self.fields["alasan"].required = True
            self.fields["alasan"].error_messages["required"] = (
                "Pilih minimal satu alasan pengembalian berkas."
            )
        else:
            del self.fields["alasan"]
            if tombol is not None and tombol.alasan:
                f = self.fields["catatan"]
                f.required = True
                f.label = _("Reason")
                f.error_messages["required"] = "Tuliskan alasannya."


class RekapKembalikanForm(FormPortal):
    catatan = forms.CharField(
        label=_("Reason for returning"),
        max_length=2000,
        error_messages={"required": "Tuliskan alasan pengembalian rekap."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_kembalikan_%s", **kwargs)


class DuplikatForm(FormPortal):
    keputusan = forms.ChoiceField(label=_("Decision"), choices=DuplikatKeputusan.Keputusan.choices)
    alasan = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": "Tuliskan alasan keputusan."},
    )


# ------------------------------------------------------------------ filters (GET)
class UsulanFilterForm(FormPortal):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Number, name or full NIK")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kecamatan = forms.ChoiceField(label=_("District"), required=False)
    desa = forms.ChoiceField(label=_("Village"), required=False)
    urut = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[("baru", _("Newest first")), ("lama", _("Oldest first")), ("nama", _("Name"))],
    )
    ganda = forms.BooleanField(label=_("Possible duplicates only"), required=False)

    def __init__(self, *args, kecamatan=(), desa=(), **kwargs):
        super().__init__(*args, auto_id="id_filter_%s", **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *S.choices]
        self.fields["kecamatan"].choices = [("", _("All districts"))] + [
            (w.kode, w.nama) for w in kecamatan
        ]
        self.fields["desa"].choices = [("", _("All villages"))] + [(w.kode, w.nama) for w in desa]
        if len(kecamatan) <= 1:
            del self.fields["kecamatan"]
        if len(desa) <= 1:
            del self.fields["desa"]

    def nilai(self) -> dict:
        """The filters as strings ("" when absent or invalid)."""
        self.is_valid()  # cleaned_data keeps the valid filters even when one is not
        bersih = self.cleaned_data
        hasil = {k: "" for k in ("status", "kecamatan", "desa", "q", "urut", "ganda")}
        for k in hasil:
            v = bersih.get(k)
            hasil[k] = ("1" if v else "") if k == "ganda" else (v or "").strip()
        return hasil


class RekapFilterForm(FormPortal):
    tingkat = forms.ChoiceField(label=_("Level"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_filter_%s", **kwargs)
        self.fields["tingkat"].choices = [("", _("All levels")), *Rekap.Tingkat.choices]
        self.fields["status"].choices = [("", _("All statuses")), *Rekap.Status.choices]

    def nilai(self) -> dict:
        self.is_valid()
        bersih = self.cleaned_data
        return {k: bersih.get(k) or "" for k in ("tingkat", "status")}
