"""Issue 12: the SKM workbook is read by a background task, never inside the web request."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from perizinan import skm_impor, tasks
from perizinan.models import ImporSkm, ResponSkm

from .test_skm import baris, xlsx

pytestmark = pytest.mark.django_db
UNGGAH = reverse("perizinan:skm_unggah") + "?unit=dpmptsp-pelalawan"


def test_berkas_kecil_pun_tidak_dibaca_di_permintaan_web(masuk, settings, monkeypatch):
    """A one-row workbook: upload and commit requests only queue; the reader never runs."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend = tasks.validasi_skm.get_backend()
    backend.clear()

    def jangan(*a, **k):
        raise AssertionError("the workbook was read inside the web request")

    asli = skm_impor.periksa_skm
    monkeypatch.setattr(skm_impor, "periksa_skm", jangan)
    c = masuk("fo.pelalawan")
    resp = c.post(UNGGAH, {"berkas": SimpleUploadedFile("skm.xlsx", xlsx([baris(1, [4] * 9)]))})
    impor = ImporSkm.objects.latest("pk")
    assert resp.status_code == 302 and impor.status == ImporSkm.Status.MENUNGGU
    assert impor.berkas.name.startswith("perizinan/skm/") and "skm.xlsx" not in impor.berkas.name
    [hasil] = backend.results
    assert hasil.task.name == "validasi_skm" and hasil.args == [impor.pk]
    page = c.get(reverse("perizinan:skm_impor", args=[impor.pk])).content.decode()
    assert 'http-equiv="refresh"' in page
    monkeypatch.setattr(skm_impor, "periksa_skm", asli)
    skm_impor.skm_impor_validasi(impor)  # what the worker does
    impor.refresh_from_db()
    assert impor.status == ImporSkm.Status.VALID and impor.total_baris == 1
    monkeypatch.setattr(skm_impor, "periksa_skm", jangan)
    c.post(reverse("perizinan:skm_impor_terapkan", args=[impor.pk]))
    impor.refresh_from_db()
    assert impor.status == ImporSkm.Status.MENYIMPAN and not ResponSkm.objects.exists()
    assert [r.task.name for r in backend.results][-1] == "terapkan_skm"
    c.get(reverse("perizinan:skm_impor", args=[impor.pk]))  # GET changes nothing
    impor.refresh_from_db()
    assert impor.status == ImporSkm.Status.MENYIMPAN


def test_galat_saat_simpan_jadi_gagal_dengan_pesan(masuk, monkeypatch):
    """An IntegrityError while saving ends as gagal with a message; nothing is saved."""
    c = masuk("fo.pelalawan")
    c.post(UNGGAH, {"berkas": SimpleUploadedFile("skm.xlsx", xlsx([baris(1, [4] * 9)]))})
    impor = ImporSkm.objects.latest("pk")
    assert impor.status == ImporSkm.Status.VALID  # the immediate backend ran the check

    def bentrok(*a, **k):
        raise IntegrityError("unique")

    monkeypatch.setattr(ResponSkm.objects, "bulk_create", bentrok)
    c.post(reverse("perizinan:skm_impor_terapkan", args=[impor.pk]))
    impor.refresh_from_db()
    assert impor.status == ImporSkm.Status.GAGAL and not ResponSkm.objects.exists()
    assert (
        "nothing was saved" in impor.errors[0]["message"] or "tidak" in impor.errors[0]["message"]
    )
    page = c.get(reverse("perizinan:skm_impor", args=[impor.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page


def test_berkas_rusak_di_penyimpanan_jadi_gagal(masuk, monkeypatch, settings):
    """A failure reading the stored file in the task ends as gagal with the reason."""
    from django.core.files.storage import default_storage

    c = masuk("fo.pelalawan")

    def rusak(*a, **k):
        raise OSError("storage unreachable")

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    c.post(UNGGAH, {"berkas": SimpleUploadedFile("skm.xlsx", xlsx([baris(1, [4] * 9)]))})
    impor = ImporSkm.objects.latest("pk")
    monkeypatch.setattr(default_storage, "open", rusak)
    hasil = skm_impor.skm_impor_validasi(impor)
    assert (
        hasil.status == ImporSkm.Status.GAGAL
        and "storage unreachable" in (hasil.errors[0]["message"])
    )
