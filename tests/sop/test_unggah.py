"""The one upload check (``sop.unggah``) and the one download response (``sop.unduh``)."""

from __future__ import annotations

import io
import zipfile

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sop import unggah as u
from sop.unggah import BerkasDitolak, periksa_unggahan, terima_unggahan

from .test_lingkup import permohonan  # noqa: F401 - fixture

PDF_HTML = (
    b'%PDF-1.4\n<html><head><meta http-equiv="refresh" content="0;url=https://jahat.example">'
    b"</head><body><script>alert(1)</script></body></html>\n"
)


def _zip(bagian: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for nama, isi in bagian.items():
            zf.writestr(nama, isi)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    wb.add_worksheet().write(0, 0, "NIK")
    wb.close()
    return out.getvalue()


CT = "[Content_Types].xml"
DOCX = _zip({CT: b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
XLSM = _zip({CT: b"<Types/>", "xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"\x00"})


@pytest.mark.parametrize(
    ("isi", "jenis"),
    [
        (b"%PDF-1.7\n...", u.PDF),
        (PDF_HTML, u.PDF),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", u.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", u.PNG),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", u.WEBP),
        (_xlsx(), u.XLSX),
        (DOCX, u.DOCX),
        (ODT, u.ODT),
        (b"Tanggal;Keterangan;Debet\n01/01/2026;Setoran;1.000,00\n", u.CSV),
        ("Mutasi rekening\nsaldo akhir 1.000\n".encode("cp1252"), u.TEKS),
    ],
)
def test_jenis_terdeteksi_dari_isi(isi, jenis):
    assert periksa_unggahan(isi, boleh=u.SEMUA) == jenis


@pytest.mark.parametrize(
    ("isi", "pesan"),
    [
        (b"MZ\x90\x00\x03", "berkas program (executable)"),
        (b"\x7fELF\x02\x01", "berkas program (executable)"),
        (b"#!/bin/sh\nrm -rf /\n", "berkas program (executable)"),
        (b"<!DOCTYPE html><p>hai</p>", "halaman web dan skrip"),
        (b"\xef\xbb\xbf  <svg onload=alert(1)>", "halaman web dan skrip"),
        (XLSM, "dokumen bermakro"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "berkas Office lama"),
        (_zip({"a.txt": b"x"}), "jenis berkas ini tidak dikenali"),
        (b"\x00\x01\x02binary", "jenis berkas ini tidak dikenali"),
        (b"", "berkas kosong"),
    ],
)
def test_ditolak_dengan_pesan_menyebut_isian(isi, pesan):
    with pytest.raises(BerkasDitolak) as exc:
        periksa_unggahan(isi, boleh=u.KANTOR, label="Foto KTP")
    assert exc.value.message.startswith("Foto KTP: ") and pesan in exc.value.message


def test_jenis_tidak_diizinkan_dan_ukuran():
    with pytest.raises(BerkasDitolak, match=r"harus berupa PDF, JPEG, PNG, WebP; isinya .* Word"):
        periksa_unggahan(DOCX, boleh=u.DOKUMEN, label="KK")
    with pytest.raises(BerkasDitolak, match="ukuran berkas 2 MB melebihi batas 1 MB"):
        periksa_unggahan(b"%PDF-" + b"x" * (2 * 1024 * 1024), maks=1024 * 1024, label="KK")


def test_hanya_xlsx_memakai_pesan_pembaca():
    with pytest.raises(BerkasDitolak, match="bukan file Excel .xlsx yang valid"):
        periksa_unggahan(b"NIK;Nama\n1;A\n", boleh=u.TABEL)
    with pytest.raises(BerkasDitolak, match=r"Excel lama \(\.xls\)"):
        periksa_unggahan(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", boleh=u.TABEL)


def test_nama_dari_klien_tidak_dipercaya():
    f = SimpleUploadedFile("laporan.html", PDF_HTML, content_type="text/html")
    assert terima_unggahan(f, boleh=u.DOKUMEN) == u.PDF
    assert f.name.endswith(".pdf") and "laporan" not in f.name
    assert f.read() == PDF_HTML  # rewound, untouched
    with pytest.raises(BerkasDitolak, match="berkas program"):
        terima_unggahan(SimpleUploadedFile("surat.pdf", b"MZ\x90\x00"), boleh=u.DOKUMEN)


# ---------------------------------------------------------------------------- through the views


@pytest.mark.django_db
def test_lampiran_pdf_html_disimpan_pdf_dan_dilayani_aman(masuk, permohonan, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    c = masuk("desa.tembilahan-kota")
    resp = c.post(
        reverse("sop:permohonan_lampiran", args=[permohonan.pk]),
        {"jenis": "Lainnya", "berkas": SimpleUploadedFile("x.html", PDF_HTML, "text/html")},
    )
    assert resp.status_code == 302
    lampiran = permohonan.lampiran.get()
    assert lampiran.berkas.name.endswith(".pdf") and "x.html" not in lampiran.berkas.name
    resp = c.get(reverse("sop:permohonan_lampiran_unduh", args=[permohonan.pk, lampiran.pk]))
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    assert resp["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Disposition"].startswith("inline;")
    assert ".pdf" in resp["Content-Disposition"]
    assert b"".join(resp.streaming_content) == PDF_HTML


@pytest.mark.django_db
def test_lampiran_exe_berganti_nama_pdf_ditolak(masuk, permohonan, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    c = masuk("desa.tembilahan-kota")
    resp = c.post(
        reverse("sop:permohonan_lampiran", args=[permohonan.pk]),
        {"jenis": "Lainnya", "berkas": SimpleUploadedFile("surat.pdf", b"MZ\x90\x00\x03\x00")},
    )
    assert resp.status_code == 400
    assert "berkas program (executable) tidak boleh diunggah." in resp.content.decode()
    assert not permohonan.lampiran.exists()


@pytest.mark.django_db
def test_lampiran_xlsx_sebagai_unduhan(masuk, permohonan, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    c = masuk("desa.tembilahan-kota")
    c.post(
        reverse("sop:permohonan_lampiran", args=[permohonan.pk]),
        {"jenis": "Lainnya", "berkas": SimpleUploadedFile("data.bin", _xlsx())},
    )
    lampiran = permohonan.lampiran.get()
    assert lampiran.berkas.name.endswith(".xlsx")
    resp = c.get(reverse("sop:permohonan_lampiran_unduh", args=[permohonan.pk, lampiran.pk]))
    assert resp["Content-Type"] == u.XLSX.mime
    assert resp["Content-Disposition"].startswith("attachment;")
    assert resp["Content-Security-Policy"] == "sandbox; default-src 'none'"


@pytest.mark.django_db
def test_berkas_lama_tak_dikenal_dilayani_sebagai_oktet(permohonan, settings, tmp_path):  # noqa: F811
    """A file stored before the check (client's name kept) is re-detected from its first
    bytes: HTML is served as opaque bytes, as an attachment, never as text/html."""
    from django.core.files.base import ContentFile

    from sop.unduh import unduh_berkas

    settings.MEDIA_ROOT = tmp_path
    permohonan.hasil.save("lama.html", ContentFile(b"<html><script>x</script></html>"))
    resp = unduh_berkas(permohonan.hasil)
    assert resp["Content-Type"] == "application/octet-stream"
    assert resp["Content-Disposition"].startswith("attachment;")
    assert resp["Content-Security-Policy"] == "sandbox; default-src 'none'"
