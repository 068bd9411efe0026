"""The shared form conventions: the accessible field include, the error summary, service errors
mapped onto fields, staged uploads kept across a failed submit."""

import datetime as dt
import io
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone

from sop import berkas_sementara
from sop.formulir import FieldBerkas, FormPortal
from sop.models import BerkasSementara

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _periksa(berkas):
    kepala = berkas.read(4)
    berkas.seek(0)
    return None if kepala == PNG[:4] else "Berkas harus berupa foto PNG."


class Contoh(FormPortal):
    nik = forms.CharField(
        label="NIK", help_text="16 digit sesuai KTP.", error_messages={"required": "NIK wajib."}
    )
    catatan = forms.CharField(label="Catatan", required=False)
    foto = FieldBerkas(label="Foto KTP", required=False, periksa=_periksa)
    setuju = forms.BooleanField(label="Setuju", required=False)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _render(form):
    return render_to_string("includes/form_errors.html", {"form": form}) + "".join(
        render_to_string("includes/field.html", {"field": form[n]}) for n in form.fields
    )


def test_field_include_mengikat_label_bantuan_dan_galat():
    form = Contoh(data={"nik": ""})
    assert not form.is_valid()
    html = _render(form)
    assert '<label for="id_nik">NIK' in html
    assert 'class="wajib"' in html  # the required field is marked
    inp = re.search(r"<input[^>]*name=\"nik\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in inp
    assert 'aria-describedby="id_nik_helptext id_nik_error"' in inp
    assert "required" in inp
    assert 'id="id_nik_helptext"' in html and 'id="id_nik_error"' in html
    # the optional field is neither marked nor invalid
    opsional = re.search(r"<input[^>]*name=\"catatan\"[^>]*>", html).group(0)
    assert "aria-invalid" not in opsional and "required" not in opsional
    # the summary at the top links to the field
    assert 'role="alert"' in html and '<a href="#id_nik">NIK: NIK wajib.</a>' in html
    # a check box has its label after it, tied by id
    assert '<label for="id_setuju">Setuju' in html


def test_form_utuh_lewat_renderer_sama():
    form = Contoh(data={"nik": ""})
    form.is_valid()
    html = str(form)
    assert "ringkasan-galat" in html and 'id="id_nik_error"' in html


def test_galat_layanan_dipetakan_ke_field():
    form = Contoh(data={"nik": "123"})
    assert form.is_valid()
    form.terapkan_galat(
        ValidationError({"nik": "NIK harus 16 digit.", "periode": "Periode ditutup."})
    )
    assert form.errors["nik"] == ["NIK harus 16 digit."]
    assert form.non_field_errors() == ["Periode ditutup."]
    form.terapkan_galat(ValidationError("Pesan umum."))
    assert "Pesan umum." in form.non_field_errors()


def test_unggahan_disimpan_saat_form_gagal_dan_dipakai_lagi(pengguna):
    desa = pengguna("desa.tembilahan-kota")
    form = Contoh(
        data={"nik": ""},
        files={"foto": SimpleUploadedFile("foto_ktp.png", PNG)},
        pengguna=desa,
    )
    assert not form.is_valid()
    assert BerkasSementara.objects.filter(pemilik=desa).count() == 1
    html = _render(form)
    assert re.search(r'class="berkas-tersimpan"[^>]*>.*foto_ktp\.png', html)
    token = re.search(r'name="foto__token" value="([^"]+)"', html).group(1)
    inp = re.search(r'<input type="file"[^>]*>', html).group(0)
    assert "required" not in inp and "id_foto_tersimpan" in inp
    # the corrected form without the file: the staged one is used
    form2 = Contoh(data={"nik": "1404", "foto__token": token}, pengguna=desa)
    assert form2.is_valid(), form2.errors
    f = form2.cleaned_data["foto"]
    assert f.name == "foto_ktp.png" and f.read() == PNG
    form2.hapus_berkas_sementara()
    assert not BerkasSementara.objects.exists()


def test_token_orang_lain_atau_kedaluwarsa_tidak_dipakai(pengguna):
    desa, lain = pengguna("desa.tembilahan-kota"), pengguna("desa.sungaiperak")
    obj = berkas_sementara.simpan(SimpleUploadedFile("a.png", PNG), pemilik=desa)
    token = berkas_sementara.token(obj)
    form = Contoh(data={"nik": "1", "foto__token": token}, pengguna=lain)
    assert form.is_valid() and form.cleaned_data["foto"] is None
    assert berkas_sementara.ambil("palsu", pemilik=desa) is None
    besok = timezone.now() + dt.timedelta(days=1)
    assert berkas_sementara.ambil(token, pemilik=desa, now=besok) is None
    assert berkas_sementara.ambil(token, pemilik=desa) == obj


def test_berkas_yang_gagal_diperiksa_tidak_disimpan(pengguna):
    desa = pengguna("desa.tembilahan-kota")
    form = Contoh(
        data={"nik": "1"},
        files={"foto": SimpleUploadedFile("x.png", b"MZ\x90\x00 bukan gambar")},
        pengguna=desa,
    )
    assert not form.is_valid()
    assert form.errors["foto"] == ["Berkas harus berupa foto PNG."]
    assert not BerkasSementara.objects.exists()


def test_pembersihan_berkas_kedaluwarsa(pengguna, settings):
    desa = pengguna("desa.tembilahan-kota")
    lama = berkas_sementara.simpan(
        SimpleUploadedFile("lama.png", PNG),
        pemilik=desa,
        now=timezone.now() - dt.timedelta(days=2),
    )
    path = lama.berkas.path
    baru = berkas_sementara.simpan(SimpleUploadedFile("baru.png", PNG), pemilik=desa)
    # staging a new file already dropped the user's expired one
    assert list(BerkasSementara.objects.all()) == [baru]
    import os

    assert not os.path.exists(path)
    BerkasSementara.objects.filter(pk=baru.pk).update(kedaluwarsa=timezone.now())
    keluar = io.StringIO()
    call_command("sop_bersihkan_unggahan", stdout=keluar)
    assert keluar.getvalue().startswith("1 ")
    assert not BerkasSementara.objects.exists()
