"""The counter through the screens: intake, receipt PDF, actions with their HTTP status, outputs,
handover receipt, downloads, query counts."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from perizinan.models import DISERAHKAN, KEMBALI, SIAP, Permohonan
from tests.sop.qr_baca import baca_gambar

from .conftest import PDF, PNG, data_pemohon, pdf

pytestmark = pytest.mark.django_db


def _teks(pdf_bytes: bytes):
    r = PdfReader(io.BytesIO(pdf_bytes))
    return r, " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in r.pages)


def _form_terima(j, i=1, *, lengkap=True, **ubah):
    d = {"layanan": j.kode, "cara": "langsung", **data_pemohon(i, **ubah)}
    for s in j.persyaratan.all():
        if lengkap and s.unggah:
            d[f"berkas_{s.pk}"] = SimpleUploadedFile(f"s{s.pk}.pdf", PDF, "application/pdf")
        elif lengkap:
            d[f"asli_{s.pk}"] = "on"
    return d


def test_terima_lalu_cetak_tanda_terima(masuk, layanan):
    c = masuk("fo.pelalawan")
    j = layanan("iumk-pelalawan")
    resp = c.post(reverse("perizinan:terima"), _form_terima(j, 7))
    assert resp.status_code == 302
    p = Permohonan.objects.get(pemohon_nama="Siti Pemohon 7")
    assert resp["Location"].startswith(reverse("perizinan:detail", args=[p.pk]))
    assert p.status == "layanan-perbantuan" and p.berkas.count() == 4
    resp = c.post(reverse("perizinan:tanda_terima", args=[p.pk]), {"ukuran": "a4"})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp["Cache-Control"] == "no-store"
    r, teks = _teks(resp.content)
    assert abs(float(r.pages[0].mediabox.width) - 595.3) < 1  # A4 portrait
    pin = re.search(r"PIN: (\d{6})", teks).group(1)
    p = Permohonan.objects.get(pk=p.pk)
    assert p.cek_pin(pin)
    for isi in (
        "TANDA TERIMA BERKAS PERMOHONAN",
        p.nomor,
        "Perbantuan Penerbitan NIB dan IUMK melalui OSS",
        "KTP pemohon (NIK)",
        "Alamat e-mail aktif",
        "asli diperiksa",
        "Perkiraan selesai (2 jam 15 menit kerja)",
        p.kode_lacak,
        "Warung Makan Sederhana 7",
        "Biaya layanan: Rp0",
    ):
        assert isi in teks, isi
    (gambar,) = r.pages[0].images
    assert baca_gambar(gambar.image).endswith(f"/lacak/{p.kode_lacak}/")
    # a reprint issues a new PIN; the old one stops working
    resp = c.post(reverse("perizinan:tanda_terima", args=[p.pk]), {"ukuran": "58mm"})
    r, teks = _teks(resp.content)
    pin2 = re.search(r"PIN: (\d{6})", teks).group(1)
    p = Permohonan.objects.get(pk=p.pk)
    assert p.cek_pin(pin2) and (pin2 == pin or not p.cek_pin(pin))
    assert r.pages[0].mediabox.width < 58 * 72 / 25.4 + 1
    # the 80 mm roll: one page exactly as long as its content, the same items
    resp = c.post(reverse("perizinan:tanda_terima", args=[p.pk]), {"ukuran": "80mm"})
    r, teks = _teks(resp.content)
    mm = 72 / 25.4
    assert len(r.pages) == 1 and abs(float(r.pages[0].mediabox.width) - 80 * mm) < 1
    assert float(r.pages[0].mediabox.height) < 400 * mm  # cut below the last line
    pin3 = re.search(r"PIN: (\d{6})", teks).group(1)
    teks = teks.replace("- ", "-")  # the long number may wrap at its hyphen on a roll
    for isi in (p.nomor, p.kode_lacak, "KTP pemohon (NIK)", "Perkiraan selesai"):
        assert isi in teks, isi
    assert Permohonan.objects.get(pk=p.pk).cek_pin(pin3)
    (gambar,) = r.pages[0].images
    assert baca_gambar(gambar.image).endswith(f"/lacak/{p.kode_lacak}/")


def test_terima_tidak_lengkap_dicatat_kurang_di_tanda_terima(masuk, layanan):
    c = masuk("fo.pelalawan")
    j = layanan("iumk-pelalawan")
    c.post(reverse("perizinan:terima"), _form_terima(j, 8, lengkap=False))
    p = Permohonan.objects.get(pemohon_nama="Siti Pemohon 8")
    _r, teks = _teks(c.post(reverse("perizinan:tanda_terima", args=[p.pk])).content)
    assert (
        "Belum ada" in teks and "Berkas belum lengkap: KTP pemohon (NIK); NPWP (valid KSWP)" in teks
    )


@pytest.mark.parametrize(
    ("ubah", "field", "pesan"),
    [
        ({"pemohon_nik": "1234"}, "pemohon_nik", "16"),
        ({"pemohon_hp": "0215551234"}, "pemohon_hp", "08"),
        ({"usaha_nib": "12345"}, "usaha_nib", "13"),
        ({"usaha_kbli": "5610"}, "usaha_kbli", "5"),
        ({"pemohon_nama": ""}, "pemohon_nama", ""),
    ],
)
def test_terima_data_salah_400_dengan_pesan_di_kolomnya(masuk, layanan, ubah, field, pesan):
    c = masuk("fo.pelalawan")
    j = layanan("iumk-pelalawan")
    n = Permohonan.objects.count()
    resp = c.post(reverse("perizinan:terima"), _form_terima(j, 9, **ubah))
    assert resp.status_code == 400
    assert resp.context["form"].errors[field]
    assert pesan in " ".join(resp.context["form"].errors[field])
    html = resp.content.decode()
    assert f'id="id_{field}_error"' in html and 'aria-invalid="true"' in html
    assert Permohonan.objects.count() == n


def test_unggahan_diperiksa_dari_isinya(masuk, layanan):
    c = masuk("fo.pelalawan")
    j = layanan("iumk-pelalawan")
    d = _form_terima(j, 10)
    s = j.persyaratan.first()
    d[f"berkas_{s.pk}"] = SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    resp = c.post(reverse("perizinan:terima"), d)
    assert resp.status_code == 400
    pesan = " ".join(resp.context["form"].errors[f"berkas_{s.pk}"])
    assert s.nama in pesan and "program" in pesan  # the project's one check, naming the field
    d = _form_terima(j, 10)
    d[f"berkas_{s.pk}"] = SimpleUploadedFile(
        "ktp.pdf", b"<html><script>x</script>", "application/pdf"
    )
    resp = c.post(reverse("perizinan:terima"), d)
    assert resp.status_code == 400
    assert "web" in " ".join(resp.context["form"].errors[f"berkas_{s.pk}"])
    d = _form_terima(j, 10)
    d[f"berkas_{s.pk}"] = SimpleUploadedFile(
        "ktp.png", PNG + b"\x00" * (5 * 1024 * 1024), "image/png"
    )
    resp = c.post(reverse("perizinan:terima"), d)
    assert resp.status_code == 400, resp.context["form"].errors
    assert "5 MB" in " ".join(resp.context["form"].errors[f"berkas_{s.pk}"])


def test_hanya_loket_layanannya_yang_menerima(masuk):
    assert masuk("bo.pelalawan").get(reverse("perizinan:terima")).status_code == 403
    assert masuk("kadis.pacitan").get(reverse("perizinan:terima")).status_code == 403
    c = masuk("verifikator.pacitan")  # one service: the form opens directly
    assert c.get(reverse("perizinan:terima")).context["jenis"].kode == "rekomtek-iui-pacitan"


@pytest.mark.parametrize(
    "username,menu", [("bo.pelalawan", False), ("kadis.pacitan", False), ("fo.pelalawan", True)]
)
def test_menu_terima_hanya_untuk_loket(masuk, username, menu):
    """The menu offers "Terima berkas" only to those the intake form lets in (no 403 behind a
    link)."""
    for nama in ("perizinan:beranda", "perizinan:antrean", "perizinan:daftar"):
        html = masuk(username).get(reverse(nama)).content.decode()
        assert ('data-testid="nav-terima"' in html) is menu, nama


def test_aksi_lewat_layar_dengan_status_http(masuk, terima, layanan):
    p = terima("iumk-pelalawan", 11)
    url = reverse("perizinan:transisi", args=[p.pk, "selesaikan"])
    # another office's officer: 404 (out of scope); same office, wrong role: 403
    assert masuk("staf.pacitan").post(url, {"status_terlihat": p.status}).status_code == 404
    assert masuk("bo.pelalawan").post(url, {"status_terlihat": p.status}).status_code == 403
    c = masuk("fo.pelalawan")
    # the NIB is not recorded yet: 409 with the reason
    resp = c.post(url, {"status_terlihat": p.status})
    assert resp.status_code == 409
    assert "Nomor Induk Berusaha (NIB)" in resp.content.decode()
    # return without listing what is missing: 400
    url_k = reverse("perizinan:transisi", args=[p.pk, "kembalikan_berkas"])
    assert c.post(url_k, {"status_terlihat": p.status}).status_code == 400
    resp = c.post(url_k, {"status_terlihat": p.status, "kekurangan": "NPWP belum valid\nAkta"})
    assert resp.status_code == 302
    p = Permohonan.objects.get(pk=p.pk)
    assert p.status == KEMBALI + "layanan-perbantuan" and p.kekurangan == [
        "NPWP belum valid",
        "Akta",
    ]
    # a stale form (the officer saw the old status): 409, nothing changes
    assert c.post(url, {"status_terlihat": "layanan-perbantuan"}).status_code == 409
    url_l = reverse("perizinan:transisi", args=[p.pk, "lengkapi_berkas"])
    assert c.post(url_l, {"status_terlihat": p.status}).status_code == 302
    # record the NIB through the screen, then the step
    k = p.jenis.keluaran.get(langkah_kode="layanan-perbantuan")
    resp = c.post(
        reverse("perizinan:hasil", args=[p.pk]),
        {"keluaran": k.pk, "nomor": "12345", "tanggal": "2026-11-23"},
    )
    assert resp.status_code == 400 and "13" in str(resp.context["form_hasil"].errors["nomor"])
    resp = c.post(
        reverse("perizinan:hasil", args=[p.pk]),
        {"keluaran": k.pk, "nomor": "1234567890123", "tanggal": "2026-11-23", "berkas": pdf()},
    )
    assert resp.status_code == 302
    assert c.post(url, {"status_terlihat": "layanan-perbantuan"}).status_code == 302
    d = p.dokumen_hasil.get()
    resp = c.get(reverse("perizinan:unduh_hasil", args=[p.pk, d.pk]))
    # sop.unduh: the type detected from the content, shown inline in a sandbox, nosniff
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Security-Policy"].startswith("sandbox")
    assert (
        resp["Content-Disposition"].startswith("inline") and ".pdf" in resp["Content-Disposition"]
    )
    assert d.berkas.name.endswith(".pdf") and "hasil" in d.berkas.name
    assert d.tipe == "application/pdf"
    assert (
        masuk("staf.pacitan").get(reverse("perizinan:unduh_hasil", args=[p.pk, d.pk])).status_code
        == 404
    )


def test_serah_terima_dan_tanda_serah_dengan_qr_survei(masuk, terima, jalan, pengguna):
    from perizinan import services

    p = terima("iumk-pelalawan", 12)
    fo = pengguna("fo.pelalawan")
    for k in p.jenis.keluaran.all():
        services.dokumen_hasil_catat(
            user=fo,
            permohonan=Permohonan.objects.get(pk=p.pk),
            keluaran=k,
            nomor="1234567890123" if k.pola_nomor == "nib" else "503/IUMK/0012",
            tanggal=p.diterima_pada.date(),
        )
        p = jalan(p, "selesaikan", "fo.pelalawan")
    assert p.status == SIAP
    c = masuk("fo.pelalawan")
    resp = c.post(
        reverse("perizinan:transisi", args=[p.pk, "serahkan"]),
        {
            "status_terlihat": SIAP,
            "penerima_nama": "Rudi (kuasa)",
            "penerima_keterangan": "Kuasa pemohon",
        },
    )
    assert resp.status_code == 302
    p = Permohonan.objects.get(pk=p.pk)
    assert p.status == DISERAHKAN and p.penerima_nama == "Rudi (kuasa)"
    resp = c.post(reverse("perizinan:tanda_serah", args=[p.pk]), {"ukuran": "a4"})
    r, teks = _teks(resp.content)
    for isi in (
        "TANDA TERIMA PENYERAHAN DOKUMEN",
        "No. 1234567890123",
        "No. 503/IUMK/0012",
        "Rudi (kuasa)",
        "Yang menerima",
    ):
        assert isi in teks, isi
    (gambar,) = r.pages[0].images
    assert baca_gambar(gambar.image).endswith(
        reverse("perizinan:publik_survei", args=[p.survei_token])
    )


def test_daftar_dan_antrean_jumlah_kueri_tetap(masuk, terima, django_assert_num_queries):
    c = masuk("fo.pelalawan")
    terima("iumk-pelalawan", 39)  # a list with a row: the count covers the per-row queries
    for url in (
        reverse("perizinan:daftar"),
        reverse("perizinan:antrean"),
        reverse("perizinan:register"),
    ):
        c.get(url)  # warm caches
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as awal:
            c.get(url)
        for i in range(5):
            terima("iumk-pelalawan", 40 + i)
        with django_assert_num_queries(len(awal)):
            assert c.get(url).status_code == 200


def test_unggahan_tersimpan_saat_form_gagal(masuk, layanan):
    """A NIK typo does not make the counter attach the scans again."""
    c = masuk("fo.pelalawan")
    j = layanan("iumk-pelalawan")
    resp = c.post(reverse("perizinan:terima"), _form_terima(j, 13, pemohon_nik="12"))
    assert resp.status_code == 400
    form = resp.context["form"]
    token = {
        f"{n}__token": f.widget.token
        for n, f in form.fields.items()
        if n.startswith("berkas_") and f.widget.token
    }
    assert len(token) == 3
    d = {k: v for k, v in _form_terima(j, 13).items() if not k.startswith("berkas_")}
    resp = c.post(reverse("perizinan:terima"), {**d, **token})
    assert resp.status_code == 302
    p = Permohonan.objects.get(pemohon_nama="Siti Pemohon 13")
    assert p.berkas.exclude(berkas="").count() == 3
