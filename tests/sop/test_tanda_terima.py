"""The receipt base: real PDFs read back with pypdf, the QR code decoded from the PDF's image."""

import datetime as dt
import io
import re

import pytest
from django.template import engines
from pypdf import PdfReader

from sop import tanda_terima as ttm
from sop.models import Kalender, Unit
from tests.sop.qr_baca import baca_gambar

pytestmark = pytest.mark.django_db
URL = "https://portal.example.go.id/lacak/IZN-K7QW2M9X/"
MM = 72 / 25.4


@pytest.fixture
def tt():
    unit = Unit.objects.get(kode="dpmptsp-pelalawan")
    return ttm.TandaTerima(
        nomor="0007/TT/DPMPTSP/2026",
        waktu=dt.datetime(2026, 2, 12, 2, 5, tzinfo=dt.UTC),
        kop=ttm.kop_unit(unit, "Jl. Lintas Timur, Pangkalan Kerinci"),
        layanan="Izin Usaha Mikro Kecil (IUMK)",
        pemohon="Siti Aminah",
        butir=[
            ttm.Butir("Fotokopi KTP", "1 lembar", True),
            ttm.Butir("Pas foto 3x4", ada=False),
            ttm.Butir("Surat pengantar RT/RW"),
        ],
        janji=dt.datetime(2026, 2, 12, 5, 20, tzinfo=dt.UTC),
        janji_teks="165 menit kerja",
        kode_lacak="IZN-K7QW2M9X",
        pin="042917",
        url_lacak=URL,
        petugas="Rina Marlina",
    )


def _baca(pdf: bytes):
    r = PdfReader(io.BytesIO(pdf))
    teks = " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in r.pages)
    return r, teks


@pytest.mark.parametrize("ukuran", ["a4", "a5", "80mm", "58mm"])
def test_isi_terbaca_dan_qr_menuju_halaman_lacak(tt, ukuran):
    r, teks = _baca(ttm.render_pdf(tt, ukuran=ukuran))
    assert len(r.pages) == 1
    for isi in (
        "PEMERINTAH KABUPATEN PELALAWAN",
        "TANDA TERIMA BERKAS",
        "0007/TT/DPMPTSP/2026",
        "Izin Usaha Mikro Kecil (IUMK)",
        "12 Februari 2026 pukul 09.05 WIB",  # 02:05 UTC in the office's zone
        "Fotokopi KTP",
        "Pas foto 3x4",
        "Belum ada",
        "12 Februari 2026 pukul 12.20 WIB",
        "165 menit kerja",
        "IZN-K7QW2M9X",
        "042917",
        "Rina Marlina",
    ):
        assert isi in teks, (isi, teks)
    (gambar,) = r.pages[0].images
    assert baca_gambar(gambar.image) == URL


@pytest.mark.parametrize(("ukuran", "lebar"), [("58mm", 58), ("80mm", 80)])
def test_gulungan_selebar_kertas_dan_sepanjang_isi(tt, ukuran, lebar):
    r, _ = _baca(ttm.render_pdf(tt, ukuran=ukuran))
    w, h = (float(x) / MM for x in r.pages[0].mediabox[2:])
    assert round(w) == lebar and 100 < h < 260
    # more items make a longer slip, still one page (the printer cuts once)
    tt.butir = [ttm.Butir(f"Dokumen {i}") for i in range(30)]
    r2, teks = _baca(ttm.render_pdf(tt, ukuran=ukuran))
    h2 = float(r2.pages[0].mediabox[3]) / MM
    assert len(r2.pages) == 1 and h2 > h + 50 and "Dokumen 29" in teks


def test_a4_dan_a5_berukuran_baku(tt):
    for ukuran, (w, h) in (("a4", (210, 297)), ("a5", (148, 210))):
        r, _ = _baca(ttm.render_pdf(tt, ukuran=ukuran))
        assert [round(float(x) / MM) for x in r.pages[0].mediabox[2:]] == [w, h]


def test_tanpa_sumber_jaringan_dan_tanpa_pin_di_qr(tt):
    html = ttm.render_html(tt, ukuran="a4")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "data:image/png;base64," in html
    assert "042917" not in URL  # the QR carries only the tracking address


def test_tanpa_kode_lacak_tanpa_qr(tt):
    tt.kode_lacak, tt.pin, tt.url_lacak = "", "", ""
    r, teks = _baca(ttm.render_pdf(tt, ukuran="a5"))
    assert not r.pages[0].images and "PIN" not in teks and "0007/TT/DPMPTSP/2026" in teks


def test_aplikasi_memperluas_dengan_blok(tt):
    t = engines["django"].from_string(
        '{% extends "pdf/tanda_terima/base.html" %}'
        "{% block judul %}TANDA TERIMA BERKAS PERIZINAN{% endblock %}"
        "{% block identitas_tambahan %}<tr><th>NIB</th><td>{{ nib }}</td></tr>{% endblock %}"
        "{% block catatan %}<p>Biaya layanan: Rp0 (gratis).</p>{% endblock %}"
    )
    _, teks = _baca(ttm.render_pdf(tt, ukuran="80mm", template=t, ekstra={"nib": "9120301234567"}))
    for isi in ("TANDA TERIMA BERKAS PERIZINAN", "NIB", "9120301234567", "Rp0 (gratis)"):
        assert isi in teks
    assert "0007/TT/DPMPTSP/2026" in teks and "Fotokopi KTP" in teks


def test_kop_unit():
    desa = Unit.objects.filter(jenis=Unit.Jenis.DESA, wilayah__kode__startswith="14.04").first()
    kop = ttm.kop_unit(desa)
    assert kop.pemerintah == "PEMERINTAH KABUPATEN INDRAGIRI HILIR"
    assert kop.instansi == desa.nama.upper()
    prov = ttm.kop_unit(Unit.objects.get(kode="dinas-koperasi-ukm-prov-riau"))
    assert prov.pemerintah == "PEMERINTAH PROVINSI RIAU"


def test_waktu_dalam_zona_kantor():
    t = dt.datetime(2026, 2, 12, 16, 30, tzinfo=dt.UTC)
    assert ttm.waktu_indonesia(t) == "12 Februari 2026 pukul 23.30 WIB"
    assert ttm.waktu_indonesia(t, "Asia/Makassar") == "13 Februari 2026 pukul 00.30 WITA"
    assert ttm.waktu_indonesia(t, "Asia/Jayapura") == "13 Februari 2026 pukul 01.30 WIT"
    assert ttm.waktu_indonesia(None) == ""
    unit = Unit.objects.get(kode="dpmptsp-pelalawan")
    assert ttm.zona_unit(unit) == "Asia/Jakarta"
    unit.kalender = Kalender.objects.create(kode="wit-uji", nama="WIT", zona=Kalender.Zona.WIT)
    unit.save(update_fields=["kalender"])
    assert ttm.zona_unit(unit) == "Asia/Jayapura"


def test_ukuran_tidak_dikenal(tt):
    with pytest.raises(ValueError):
        ttm.render_pdf(tt, ukuran="letter")


def test_pembaca_qr_uji_sendiri_benar():
    """The test's own QR reader agrees with segno on many inputs (else the receipt test could
    pass or fail for the wrong reason)."""
    import segno

    from tests.sop.qr_baca import baca_matriks

    for i, teks in enumerate(
        [
            "https://x.id/lacak/A/",
            "12345",
            "HELLO 42",
            URL * 3,
            "Rp1.500.000,00 (satu juta lima ratus ribu rupiah) é",
        ]
    ):
        err = "lmqh"[i % 4]
        qr = segno.make(teks, error=err, micro=False, boost_error=False)
        assert baca_matriks([list(r) for r in qr.matrix]) == teks
