"""Buku Register (screen + xlsx) and the SKM report (screen, xlsx, PDF) and upload screens."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from perizinan.models import ImporSkm, Permohonan

from .conftest import SENIN
from .test_skm import baris, xlsx

pytestmark = pytest.mark.django_db


def test_register_xlsx_nik_teks_dan_urut_nomor(masuk, terima):
    a = terima("iumk-pelalawan", 61, now=SENIN)
    b = terima("iumk-pelalawan", 62, now=SENIN, pemohon_nama='=HYPERLINK("x")')
    c = masuk("fo.pelalawan")
    resp = c.get(reverse("perizinan:register_xlsx") + "?dari=2026-11-23&sampai=2026-11-23")
    assert resp.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("No. Register", "Tanggal Terima", "Nama Pemohon", "NIK")
    data = [r for r in rows[1:] if r[0] in (a.nomor, b.nomor)]
    assert [r[0] for r in data] == [a.nomor, b.nomor]  # register order
    assert isinstance(data[0][3], str) and data[0][3] == a.pemohon_nik  # NIK kept as text
    assert not str(data[1][2]).startswith("=")  # a formula-like name is neutralised
    for cell in ws["C"]:
        assert cell.data_type != "f"


def test_register_layar(masuk, terima):
    p = terima("iumk-pelalawan", 63, now=SENIN)
    resp = masuk("fo.pelalawan").get(
        reverse("perizinan:register") + "?dari=2026-11-23&sampai=2026-11-23"
    )
    assert resp.status_code == 200 and p.nomor in resp.content.decode()
    assert (
        masuk("staf.pacitan")
        .get(reverse("perizinan:register") + "?unit=dpmptsp-pelalawan")
        .context["unit"]
        .kode
        == "dinas-kukmp-pacitan"
    )


def test_skm_unggah_simpan_laporan(masuk):
    c = masuk("fo.pelalawan")
    data = xlsx([baris(i, [4] * 9) for i in range(1, 6)])
    resp = c.post(
        reverse("perizinan:skm_unggah") + "?unit=dpmptsp-pelalawan",
        {"berkas": SimpleUploadedFile("skm.xlsx", data)},
    )
    impor = ImporSkm.objects.latest("pk")
    assert resp.status_code == 302 and impor.status == ImporSkm.Status.VALID
    assert c.post(reverse("perizinan:skm_impor_terapkan", args=[impor.pk])).status_code == 302
    assert ImporSkm.objects.get(pk=impor.pk).jumlah_dibuat == 5
    # the same file again: refused as already imported
    resp = c.post(
        reverse("perizinan:skm_unggah") + "?unit=dpmptsp-pelalawan",
        {"berkas": SimpleUploadedFile("skm.xlsx", data)},
    )
    assert resp["Location"] == reverse("perizinan:skm_impor", args=[impor.pk])
    q = "?unit=dpmptsp-pelalawan&layanan=iumk-pelalawan&dari=2026-11-01&sampai=2026-11-30"
    resp = c.get(reverse("perizinan:skm") + q)
    assert resp.status_code == 200 and resp.context["total"].responden >= 5
    resp = c.get(reverse("perizinan:skm_xlsx") + q)
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["IKM", "Profil responden"]
    assert wb["IKM"]["A1"].value == "Layanan"
    resp = c.get(reverse("perizinan:skm_pdf") + q)
    teks = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.content)).pages)
    assert "LAPORAN INDEKS KEPUASAN MASYARAKAT" in teks and "bobot tepat 1/9" in teks


def test_skm_berkas_buruk_di_layar(masuk):
    c = masuk("fo.pelalawan")
    data = xlsx([baris(1, [3, 3, 3, 3, 3, 3, 3, 3, 9])])
    c.post(
        reverse("perizinan:skm_unggah") + "?unit=dpmptsp-pelalawan",
        {"berkas": SimpleUploadedFile("b.xlsx", data)},
    )
    impor = ImporSkm.objects.latest("pk")
    resp = c.get(reverse("perizinan:skm_impor", args=[impor.pk]))
    assert impor.status == ImporSkm.Status.GALAT and "U9" in resp.content.decode()
    assert (
        masuk("staf.pacitan").get(reverse("perizinan:skm_impor", args=[impor.pk])).status_code
        == 404
    )
    assert not Permohonan.objects.filter(pk=-1).exists()
