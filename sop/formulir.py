"""Form conventions shared by every module.

* Every form inherits ``FormPortal``; templates render each field with
  ``{% include "includes/field.html" with field=form.x %}`` (or ``{{ form.x.as_field_group }}``,
  or ``{{ form }}``, which use the same template through ``PortalRenderer``) and put
  ``{% include "includes/form_errors.html" %}`` at the top of the form: label tied to the input,
  help text and errors tied with ``aria-describedby``, ``aria-invalid`` on errors, required
  fields marked, an error summary linking to the fields.
* Services keep their keyword-only signatures and Indonesian messages: a view maps a service's
  ``ValidationError`` onto the form with ``form.terapkan_galat(e)`` (its dict keys are field
  names; other keys, "umum" included, become errors of the whole form).
* File inputs are ``FieldBerkas(periksa=...)``: an upload that passes the check is staged at once
  (``sop.berkas_sementara``) and kept when the form fails; pass ``pengguna=request.user`` to the
  form, and call ``form.hapus_berkas_sementara()`` after the service saved the record.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from . import berkas_sementara

UMUM = "umum"


class PortalRenderer(TemplatesSetting):
    """Django's renderer with the portal's accessible field and form templates."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class WidgetBerkas(forms.ClearableFileInput):
    """A file input that shows an upload already kept for this form ("ktp.jpg sudah
    diunggah") and carries its signed token; choosing another file replaces it."""

    template_name = "includes/widget_berkas.html"
    clear_checkbox_label = _("Remove")

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.sementara = None
        self.token = ""

    def get_context(self, name, value, attrs):
        if self.sementara is not None and attrs:
            attrs = {k: v for k, v in attrs.items() if k != "required"}
            ada = attrs.get("aria-describedby", "")
            attrs["aria-describedby"] = f"{attrs.get('id', name)}_tersimpan {ada}".strip()
        ctx = super().get_context(name, value, attrs)
        ctx["widget"].update(
            sementara=self.sementara, token=self.token, nama_token=f"{name}__token"
        )
        return ctx

    def use_required_attribute(self, initial):
        return self.sementara is None and super().use_required_attribute(initial)


class FieldBerkas(forms.FileField):
    """An upload checked by ``periksa(berkas) -> message | None`` (or raising
    ``ValidationError``): the module's upload check."""

    widget = WidgetBerkas

    def __init__(self, *, periksa: Callable | None = None, **kwargs):
        self.periksa = periksa
        super().__init__(**kwargs)

    def pesan_periksa(self, berkas) -> list[str]:
        if self.periksa is None:
            return []
        try:
            pesan = self.periksa(berkas)
        except ValidationError as e:
            return [m for ms in _pesan_per_kunci(e).values() for m in ms]
        return [pesan] if pesan else []


def _pesan_per_kunci(e: ValidationError) -> dict[str, list[str]]:
    if hasattr(e, "error_dict"):
        return {k: list(v) for k, v in e.message_dict.items()}
    return {UMUM: list(e.messages)}


def _teks_aman(field: forms.CharField) -> None:
    """One rule for text in every form (``sop.teks``): reading-direction and control characters
    (NUL included) are refused with a message naming the field and the character, instead of
    Django's generic null-character message."""
    from django.core.validators import ProhibitNullCharactersValidator

    from .teks import karakter_terlarang, pesan_karakter

    def cek(nilai):
        ch = karakter_terlarang(str(nilai or ""))
        if ch is not None:
            raise ValidationError(pesan_karakter(str(field.label or ""), ch))

    field.validators = [
        v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
    ]
    if cek not in field.validators:
        field.validators.insert(0, cek)


class FormPortal(forms.Form):
    """Base of every form: accessible rendering, service errors, staged uploads."""

    template_name_div = "includes/form.html"

    def __init__(self, *args, pengguna=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pengguna = pengguna
        self.berkas_sementara: dict[str, object] = {}
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                _teks_aman(field)

    # ---------------------------------------------------------------- service errors
    def terapkan_galat(self, e: ValidationError, peta: dict[str, str] | None = None) -> None:
        """Put a service's ``ValidationError`` on the form: each key onto its field (``peta``
        renames service keys to field names), anything else onto the form as a whole. Call it
        after ``is_valid()``."""
        peta = peta or {}
        for kunci, pesan in _pesan_per_kunci(e).items():
            nama = peta.get(kunci, kunci)
            for m in pesan:
                self.add_error(nama if nama in self.fields else None, m)

    def galat_umum(self, pesan: str) -> None:
        self.add_error(None, pesan)

    # ---------------------------------------------------------------- staged uploads
    def full_clean(self):
        ditolak: dict[str, list[str]] = {}
        if self.is_bound and any(isinstance(f, FieldBerkas) for f in self.fields.values()):
            ditolak = self._siapkan_berkas()
        super().full_clean()
        for nama, pesan in ditolak.items():
            for m in pesan:
                self.add_error(nama, m)

    def _siapkan_berkas(self) -> dict[str, list[str]]:
        boleh_simpan = getattr(self.pengguna, "is_authenticated", False)
        files = self.files.copy()
        ditolak = {}
        for nama, field in self.fields.items():
            if not isinstance(field, FieldBerkas):
                continue
            kunci = self.add_prefix(nama)
            unggah = self.files.get(kunci)
            if unggah:
                pesan = field.pesan_periksa(unggah)
                if pesan:
                    ditolak[nama] = pesan
                    files.pop(kunci, None)
                elif boleh_simpan:
                    self.berkas_sementara[nama] = berkas_sementara.simpan(
                        unggah, pemilik=self.pengguna
                    )
            if nama not in self.berkas_sementara and boleh_simpan:
                obj = berkas_sementara.ambil(
                    self.data.get(f"{kunci}__token", ""), pemilik=self.pengguna
                )
                if obj is not None:
                    self.berkas_sementara[nama] = obj
            obj = self.berkas_sementara.get(nama)
            if obj is not None:
                files[kunci] = berkas_sementara.buka(obj)
                field.widget.sementara = obj
                field.widget.token = berkas_sementara.token(obj)
        self.files = files
        return ditolak

    def hapus_berkas_sementara(self) -> None:
        """After the record was saved: the staged copies are no longer needed."""
        berkas_sementara.hapus(self.berkas_sementara.values())
        self.berkas_sementara = {}
