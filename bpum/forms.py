"""Forms of the BPUM screens. Checks stay in ``bpum.services`` / ``bpum.validasi`` (Indonesian
messages); a form only collects input, shows every problem at once and keeps uploads."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sop.formulir import FieldBerkas, FormPortal

from . import services
from .models import (
    DOKUMEN_FIELD,
    AlasanPengembalian,
    Dokumen,
    DuplikatKeputusan,
    Periode,
    Rekap,
    Usulan,
    pilihan_pemeriksaan,
)
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
    """A document input: camera or file (no forced ``capture``, so a scanned PDF can be picked);
    ``data-perkecil`` lets static/bpum/unggah.js shrink photos to about 1,600 px JPEG before
    upload. The server still checks the content and the size (``cek_berkas_dokumen``)."""
    return FieldBerkas(
        label=label,
        required=False,
        periksa=cek_berkas_dokumen,
        widget=FieldBerkas.widget(attrs={"accept": TERIMA_BERKAS, "data-perkecil": "1600"}),
        **kwargs,
    )


def _alasan_katalog(label=None):
    return forms.ModelMultipleChoiceField(
        label=label or _("Reasons (choose one or more)"),
        queryset=AlasanPengembalian.objects.filter(aktif=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


CATATAN_LAINNYA = _("Note (required when you choose “Other”)")


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
    nik_luar_provinsi = forms.BooleanField(
        label=_(
            "I checked the ID card: the NIK is right although it was issued in another province"
        ),
        required=False,
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

    def clean(self):
        data = super().clean()
        desa, nik = data.get("desa"), self.data.get(self.add_prefix("nik"), "")
        bersih, _galat = services.validasi_data({"nik": nik})
        self.perlu_konfirmasi_provinsi = bool(
            desa and bersih["nik"] and not services.nik_provinsi_sama(bersih["nik"], desa.kode)
        )
        if (
            self.perlu_konfirmasi_provinsi
            and not data.get("nik_luar_provinsi")
            and "nik" not in self.errors
        ):
            self.add_error("nik", services.pesan_nik_luar_provinsi(bersih["nik"], desa))
        return data

    def tampilkan_konfirmasi_provinsi(self) -> bool:
        return getattr(self, "perlu_konfirmasi_provinsi", False) or bool(
            self.data.get(self.add_prefix("nik_luar_provinsi"))
        )

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
    alasan = _alasan_katalog()
    catatan = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)

    def __init__(self, *args, tombol=None, **kwargs):
        nama = getattr(tombol, "nama", "aksi")
        super().__init__(*args, auto_id=f"id_{nama}_%s", **kwargs)
        if nama in services.TRANSISI_KATALOG:
            self.fields["alasan"].required = True
            self.fields["alasan"].error_messages["required"] = _(
                "Choose at least one reason for returning it."
            )
            self.fields["catatan"].label = CATATAN_LAINNYA
        else:
            del self.fields["alasan"]
            if tombol is not None and tombol.alasan:
                f = self.fields["catatan"]
                f.required = True
                f.label = _("Reason")
                f.error_messages["required"] = "Tuliskan alasannya."

    def clean(self):
        data = super().clean()
        perlu = [a for a in data.get("alasan") or [] if a.perlu_catatan]
        if perlu and not (data.get("catatan") or "").strip():
            self.add_error(
                "catatan",
                _("The reason “%(a)s” needs a note: write what is wrong.") % {"a": perlu[0].teks},
            )
        return data


class KatalogAlasanForm(FormPortal):
    """Reasons from the catalogue and a note ("Lainnya" needs the note)."""

    alasan = _alasan_katalog()
    catatan = forms.CharField(label=CATATAN_LAINNYA, max_length=2000, required=False)
    prefix_id = "kembalikan"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id=f"id_{self.prefix_id}_%s", **kwargs)
        self.fields["alasan"].required = True
        self.fields["alasan"].error_messages["required"] = _(
            "Choose at least one reason for returning it."
        )

    def clean(self):
        data = super().clean()
        perlu = [a for a in data.get("alasan") or [] if a.perlu_catatan]
        if perlu and not (data.get("catatan") or "").strip():
            self.add_error(
                "catatan",
                _("The reason “%(a)s” needs a note: write what is wrong.") % {"a": perlu[0].teks},
            )
        return data

    def alasan_ids(self) -> list[int]:
        return [a.pk for a in self.cleaned_data.get("alasan") or []]


class RekapKembalikanForm(KatalogAlasanForm):
    """Return a whole batch to the tier below."""


class RekapTerimaForm(FormPortal):
    """Accept a batch: the reason is needed only for proposals without complete files."""

    catatan = forms.CharField(
        label=_("Reason for verifying proposals without complete files"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed when a proposal has neither its documents nor the district's physical check."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_terima_%s", **kwargs)


class VerifikasiBarisForm(KatalogAlasanForm):
    """Row by row inside a sent district batch: the selected rows, accepted or returned."""

    prefix_id = "baris"
    usulan = forms.TypedMultipleChoiceField(
        label=_("Proposals"),
        coerce=int,
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Select the proposals first.")},
    )
    alasan_verifikasi = forms.CharField(
        label=_("Reason for verifying proposals without complete files"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, pilihan=(), terima: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["usulan"].choices = [(pk, pk) for pk in pilihan]
        if terima:  # accepting needs no reason from the catalogue
            self.fields["alasan"].required = False


class PeriksaFisikForm(FormPortal):
    """The district certifies the paper files of the selected proposals (one action)."""

    usulan = forms.TypedMultipleChoiceField(
        label=_("Proposals"),
        coerce=int,
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Select the proposals first.")},
    )
    pemeriksa = forms.CharField(label=_("Checked by (officer's name)"), max_length=200)
    tanggal = forms.DateField(
        label=_("Date of the check"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    dokumen = forms.MultipleChoiceField(
        label=_("Documents checked"),
        choices=pilihan_pemeriksaan,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the documents that were checked.")},
    )
    catatan = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)

    def __init__(self, *args, pilihan=(), **kwargs):
        super().__init__(*args, auto_id="id_periksa_%s", **kwargs)
        self.fields["usulan"].choices = [(pk, pk) for pk in pilihan]
        self.fields["pemeriksa"].error_messages["required"] = _(
            "Write the name of the officer who checked the files."
        )
        self.fields["tanggal"].error_messages.update(
            required=_("Fill in the date of the check."), invalid=_("Fill in a valid date.")
        )


def _hari(label, help_text):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=365,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class PeriodeForm(FormPortal):
    """The regency agency sets the round's dates, per-tier limits and the province's role."""

    dibuka = forms.DateField(
        label=_("Opens"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ditutup = forms.DateField(
        label=_("Closes (last day of intake)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: open until the agency closes it."),
    )
    batas_desa = _hari(
        _("Village office (working days)"), _("From receipt until the file is complete.")
    )
    batas_kecamatan = _hari(
        _("District (working days)"), _("From a complete file until the district sends it.")
    )
    batas_dinas = _hari(
        _("Regency agency (working days)"),
        _("From the district batch until the agency sends it to the province."),
    )
    batas_provinsi = _hari(
        _("Province (working days)"),
        _("From the regency batch until the province forwards it to the ministry."),
    )
    provinsi_portal = forms.BooleanField(
        label=_("The province works in the portal"),
        required=False,
        help_text=_(
            "On: the province's officers accept or return the regency batch and import the "
            "ministry's answer. Off: the agency records those steps for them."
        ),
    )

    FIELDS = (
        "dibuka",
        "ditutup",
        "batas_desa",
        "batas_kecamatan",
        "batas_dinas",
        "batas_provinsi",
        "provinsi_portal",
    )

    def __init__(self, *args, periode: Periode, **kwargs):
        kwargs.setdefault("initial", {f: getattr(periode, f) for f in self.FIELDS})
        super().__init__(*args, auto_id="id_periode_%s", **kwargs)
        for f in ("batas_desa", "batas_kecamatan", "batas_dinas", "batas_provinsi"):
            self.fields[f].error_messages.update(
                min_value=_("At least 1 working day (or leave it empty)."),
                max_value=_("At most 365 working days."),
                invalid=_("Type a whole number of working days."),
            )
        self.fields["dibuka"].error_messages.update(
            required=_("Fill in the opening date."), invalid=_("Fill in a valid date.")
        )
        self.fields["ditutup"].error_messages["invalid"] = _("Fill in a valid date.")

    def clean(self):
        data = super().clean()
        buka, tutup = data.get("dibuka"), data.get("ditutup")
        if buka and tutup and tutup < buka:
            self.add_error("ditutup", _("The closing date cannot be before the opening date."))
        return data


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
