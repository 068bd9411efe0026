"""Dokumen PDF resmi SOP (sop.pdf): teks, kepala tabel berulang, gambar halaman, fixture JaTim.

Tidak memakai basis data. Bila pengaturan Django belum ada (``-p no:django``), modul ini
memasang pengaturan minimal yang cukup untuk mesin templat.
"""

import copy
import json
import os
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

if not settings.configured:
    settings.configure(
        INSTALLED_APPS=[],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [ROOT / "templates"],
            }
        ],
        LANGUAGE_CODE="id",
        USE_TZ=True,
    )
if not apps.ready:
    django.setup()

from pypdf import PdfReader  # noqa: E402

from sop.pdf import render_sop_html, render_sop_pdf, tanggal_indonesia  # noqa: E402

FIXTURE_JATIM = ROOT / "fixtures" / "sop" / "jatim_546.json"
ARTEFAK = ROOT / "artifacts" / "sop_pdf_page1.png"

ALAT = ["Komputer", "Printer", "Alat Tulis Kantor"]

SOP_CONTOH = {
    "kode": "PACITAN-DB-01",
    "nomor": "800/117/408.50/2024",
    "nama": "Pelayanan Pinjaman Dana Bergulir bagi Koperasi dan Usaha Mikro",
    "instansi": "Dinas Koperasi dan UKM Kabupaten Pacitan",
    "bagian": "UPT Pengelolaan Dana Bergulir",
    "tanggal_pembuatan": "2023-01-02",
    "tanggal_pembuatan_teks": "",
    "tanggal_revisi": "2024-03-15",
    "tanggal_revisi_teks": "",
    "tanggal_efektif": None,
    "tanggal_efektif_teks": "1 April 2024",
    "disahkan_jabatan": "Kepala Dinas Koperasi dan UKM Kabupaten Pacitan",
    "disahkan_nama": "Drs. Bambang Wicaksono, M.Si.",
    "disahkan_nip": "19700101 199001 1 001",
    "dasar_hukum": [
        "Undang-Undang Nomor 25 Tahun 1992 tentang Perkoperasian",
        "Undang-Undang Nomor 20 Tahun 2008 tentang Usaha Mikro, Kecil dan Menengah",
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        "Peraturan Menteri PAN dan RB Nomor 35 Tahun 2012 tentang Pedoman Penyusunan "
        "Standar Operasional Prosedur Administrasi Pemerintahan",
        "Peraturan Bupati Pacitan Nomor 12 Tahun 2022 tentang Pengelolaan Dana Bergulir",
    ],
    "kualifikasi_pelaksana": [
        "Memahami ketentuan pengelolaan dana bergulir",
        "Mampu mengoperasikan komputer",
        "Mampu berkomunikasi dengan baik",
    ],
    "keterkaitan": ["SOP Penanganan Pengaduan", "SOP Penagihan Angsuran Dana Bergulir"],
    "peralatan": ["Komputer dan printer", "Alat tulis kantor", "Buku register pinjaman"],
    "peringatan": "Apabila SOP ini tidak dilaksanakan, pinjaman dapat disalurkan kepada "
    "pemohon yang tidak memenuhi syarat.",
    "pencatatan": "Permohonan, berita acara survei, dan perjanjian diarsipkan secara "
    "manual dan elektronik.",
    "sumber": "contoh uji",
    "catatan_transkripsi": [],
    "tanpa_langkah": False,
    "pelaksana": [
        {"kode": "pemohon", "nama": "Pemohon", "eksternal": True, "dicatat_oleh": "front_office"},
        {"kode": "front_office", "nama": "Petugas Front Office", "eksternal": False},
        {"kode": "tim_verifikasi", "nama": "Tim Verifikasi", "eksternal": False},
        {"kode": "kepala_upt", "nama": "Kepala UPT Dana Bergulir", "eksternal": False},
    ],
    "langkah": [
        {
            "kode": "ajukan",
            "kegiatan": "Pemohon (pengurus koperasi atau pelaku usaha mikro) mengajukan "
            "permohonan pinjaman dana bergulir secara tertulis dengan melampirkan proposal "
            "usaha, fotokopi KTP pengurus, akta pendirian koperasi, laporan keuangan dua "
            "tahun terakhir, serta rencana penggunaan dana dan kemampuan pengembalian.",
            "pelaksana": ["pemohon"],
            "kelengkapan": ["Surat permohonan", "Proposal usaha", "Fotokopi KTP", "Akta"],
            "waktu": "15 menit",
            "output": "Berkas permohonan",
        },
        {
            "kode": "terima",
            "kegiatan": "Petugas front office menerima berkas permohonan, mencocokkan setiap "
            "dokumen dengan daftar persyaratan yang ditetapkan, mencatat permohonan pada "
            "buku register dan aplikasi portal, kemudian memberikan tanda terima berkas "
            "kepada pemohon beserta nomor registrasi permohonan.",
            "pelaksana": ["front_office"],
            "kelengkapan": ["Berkas permohonan", "Buku register", *ALAT],
            "waktu": "30 menit",
            "output": "Tanda terima dan nomor registrasi",
        },
        {
            "kode": "verifikasi",
            "kegiatan": "Tim verifikasi melakukan verifikasi administrasi atas kebenaran dan "
            "keabsahan dokumen, memeriksa status badan hukum koperasi, keaktifan Rapat "
            "Anggota Tahunan tiga tahun terakhir, serta riwayat pinjaman pemohon pada "
            "program dana bergulir sebelumnya.",
            "pelaksana": ["tim_verifikasi"],
            "kelengkapan": ["Berkas permohonan", "Data riwayat pinjaman"],
            "waktu": "2 hari kerja",
            "output": "Lembar hasil verifikasi",
        },
        {
            "kode": "lengkap",
            "kegiatan": "Apakah berkas permohonan lengkap, sah, dan pemohon memenuhi seluruh "
            "persyaratan administrasi? Bila tidak, berkas dikembalikan kepada petugas front "
            "office untuk diberitahukan kepada pemohon agar dilengkapi.",
            "pelaksana": ["tim_verifikasi"],
            "kelengkapan": ["Lembar hasil verifikasi"],
            "waktu": "1 hari kerja",
            "output": "Keputusan kelengkapan berkas",
            "keterangan": "Berkas tidak lengkap dikembalikan",
            "cabang": {"ya": "survei", "tidak": "terima"},
        },
        {
            "kode": "survei",
            "kegiatan": "Tim verifikasi bersama petugas front office melakukan survei "
            "lapangan ke lokasi usaha pemohon untuk menilai kelayakan usaha, kondisi "
            "agunan, pengelolaan keuangan, serta wawancara dengan pengurus dan anggota "
            "koperasi mengenai rencana penggunaan dana.",
            "pelaksana": ["tim_verifikasi", "front_office"],
            "kelengkapan": ["Formulir survei", "Kamera", "Kendaraan dinas"],
            "waktu": "Maksimal 5 hari kerja",
            "output": "Data hasil survei",
        },
        {
            "kode": "berita-acara",
            "kegiatan": "Tim verifikasi menyusun berita acara hasil survei dan analisis "
            "kelayakan pinjaman yang memuat rekomendasi besaran pinjaman, jangka waktu "
            "pengembalian, serta besaran jasa pinjaman sesuai ketentuan yang berlaku.",
            "pelaksana": ["tim_verifikasi"],
            "kelengkapan": ["Data hasil survei", *ALAT],
            "waktu": "2 hari kerja",
            "output": "Berita acara dan rekomendasi",
        },
        {
            "kode": "setujui",
            "kegiatan": "Kepala UPT Dana Bergulir menelaah berita acara dan rekomendasi tim "
            "verifikasi, kemudian menetapkan persetujuan pinjaman dengan menandatangani "
            "surat keputusan persetujuan pemberian pinjaman dana bergulir.",
            "pelaksana": ["kepala_upt"],
            "kelengkapan": ["Berita acara", "Draf surat keputusan"],
            "waktu": "Maksimal 3 hari kerja",
            "output": "Surat keputusan persetujuan",
        },
        {
            "kode": "siapkan-perjanjian",
            "kegiatan": "Petugas front office menyiapkan naskah perjanjian pinjaman, jadwal "
            "angsuran, dan surat kuasa pendebetan rekening, lalu menghubungi pemohon untuk "
            "menjadwalkan penandatanganan perjanjian di kantor UPT.",
            "pelaksana": ["front_office"],
            "kelengkapan": ["Surat keputusan persetujuan", *ALAT],
            "waktu": "1 hari kerja",
            "output": "Draf perjanjian pinjaman",
        },
        {
            "kode": "tandatangan",
            "kegiatan": "Pemohon dan Kepala UPT Dana Bergulir menandatangani perjanjian "
            "pinjaman di atas meterai, disaksikan oleh petugas, setelah pemohon membaca dan "
            "memahami seluruh hak dan kewajiban yang tercantum dalam perjanjian.",
            "pelaksana": ["pemohon", "kepala_upt"],
            "kelengkapan": ["Perjanjian pinjaman", "Meterai"],
            "waktu": "60 menit",
            "output": "Perjanjian pinjaman yang ditandatangani",
        },
        {
            "kode": "perintah-cair",
            "kegiatan": "Kepala UPT Dana Bergulir menerbitkan surat perintah pencairan dana "
            "kepada bank penyalur berdasarkan perjanjian pinjaman yang telah ditandatangani "
            "kedua belah pihak.",
            "pelaksana": ["kepala_upt"],
            "kelengkapan": ["Perjanjian pinjaman", "Surat perintah pencairan"],
            "waktu": "1 hari kerja",
            "output": "Surat perintah pencairan",
        },
        {
            "kode": "catat",
            "kegiatan": "Petugas front office mencatat pencairan pada buku register pinjaman "
            "dan aplikasi portal, membuat kartu piutang pemohon, serta mengarsipkan seluruh "
            "berkas permohonan, berita acara, dan perjanjian pinjaman.",
            "pelaksana": ["front_office"],
            "kelengkapan": ["Buku register", "Kartu piutang", *ALAT],
            "waktu": "30 menit",
            "output": "Catatan pencairan dan arsip",
        },
        {
            "kode": "terima-dana",
            "kegiatan": "Pemohon menerima dana pinjaman melalui rekening koperasi dan wajib "
            "membayar angsuran pokok beserta jasa setiap bulan sesuai jadwal.",
            "pelaksana": ["pemohon"],
            "kelengkapan": ["Buku rekening"],
            "waktu": "Maksimal 3 hari kerja",
            "output": "Dana pinjaman diterima",
            "keterangan": "Selesai",
        },
    ],
}
for _i, _step in enumerate(SOP_CONTOH["langkah"], start=1):
    _step.setdefault("nomor", _i)
    _step.setdefault("keterangan", "")
    _step.setdefault("cabang", None)


def rapat(teks: str) -> str:
    """Buang semua spasi: pemisah baris hasil ekstraksi PDF tidak bisa diandalkan."""
    return re.sub(r"\s+", "", teks)


def awalan(teks: str, panjang: int = 45) -> str:
    return rapat(teks)[:panjang]


def teks_halaman(pdf: bytes) -> list[str]:
    return [halaman.extract_text() or "" for halaman in PdfReader(BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def pdf_contoh() -> bytes:
    return render_sop_pdf(SOP_CONTOH)


@pytest.fixture(scope="module")
def halaman_contoh(pdf_contoh) -> list[str]:
    return teks_halaman(pdf_contoh)


def render_png_halaman_1(pdf: bytes, folder: Path) -> Path:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) tidak terpasang")
    berkas = folder / "sop.pdf"
    berkas.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(berkas), str(folder / "hlm")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    hasil = sorted(folder.glob("hlm-*.png"))
    assert hasil, "pdftoppm tidak menghasilkan PNG"
    return hasil[0]


def test_tanggal_indonesia():
    assert tanggal_indonesia("2019-12-12") == "12 Desember 2019"
    assert tanggal_indonesia(None) == ""


def test_pdf_memuat_semua_langkah_dan_identitas(pdf_contoh, halaman_contoh):
    assert pdf_contoh.startswith(b"%PDF")
    semua = rapat(" ".join(halaman_contoh))
    for step in SOP_CONTOH["langkah"]:
        assert awalan(step["kegiatan"]) in semua, f"langkah {step['nomor']} tidak tercetak"
    for p in SOP_CONTOH["pelaksana"]:
        assert rapat(p["nama"]) in semua
    for label in ("Kelengkapan", "Waktu", "Output", "Keterangan", "Pelaksana"):
        assert label in semua
    assert rapat(SOP_CONTOH["nama"]) in semua
    assert rapat(SOP_CONTOH["nomor"]) in semua
    # identitas: tanggal dari ISO diformat, *_teks dipakai apa adanya, pengesah
    for teks in ("NomorSOP", "2Januari2023", "15Maret2024", "1April2024", "DasarHukum"):
        assert teks in semua
    assert rapat(SOP_CONTOH["disahkan_nama"]) in semua
    assert "PEMERINTAHKABUPATENPACITAN" in semua
    # cabang keputusan langkah 4: "Tidak" kembali ke langkah 2, "Ya" lanjut ke langkah 5
    assert "Tidak→2" in semua
    # kaki halaman
    assert f"Halaman1dari{len(halaman_contoh)}" in rapat(halaman_contoh[0])
    assert SOP_CONTOH["kode"] in halaman_contoh[-1]


def test_kepala_matriks_berulang_di_setiap_halaman(halaman_contoh):
    mulai = next(i for i, t in enumerate(halaman_contoh) if "Mutu Baku" in t)
    halaman_matriks = halaman_contoh[mulai:]
    assert len(halaman_matriks) >= 2, "contoh harus memenuhi 2+ halaman matriks"
    assert mulai == 1  # halaman 1 identitas, matriks mulai halaman 2
    for nomor, teks in enumerate(halaman_matriks, start=mulai + 1):
        assert "Kegiatan" in teks, f"halaman {nomor} tanpa kepala tabel"
        assert "Mutu Baku" in teks, f"halaman {nomor} tanpa kepala tabel"
        assert "Kelengkapan" in teks


def test_html_memuat_diagram_alir():
    html = render_sop_html(SOP_CONTOH)
    # satu simbol utama per langkah + satu simbol ringan untuk pelaksana tambahan (2 langkah)
    assert html.count("<svg") == len(SOP_CONTOH["langkah"]) + 2
    assert html.count("<polygon points=") >= len(SOP_CONTOH["langkah"])  # belah ketupat + panah
    assert "Tidak → 2" in html
    assert ">Ya</text>" in html
    # lebar kolom tidak boleh ikut format angka bahasa aktif ("8,00mm" merusak CSS)
    assert not re.search(r"width: \d+,\d+mm", html)
    assert "display: table-header-group" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_png_halaman_1(pdf_contoh, tmp_path):
    png = render_png_halaman_1(pdf_contoh, tmp_path)
    assert png.exists()
    assert png.stat().st_size > 10_000
    pil = pytest.importorskip("PIL.Image")
    with pil.open(png) as gambar:
        lebar, tinggi = gambar.size
    assert lebar > tinggi, "A4 lanskap"
    if os.environ.get("SAVE_ARTIFACTS") == "1" and not FIXTURE_JATIM.exists():
        ARTEFAK.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, ARTEFAK)


def test_sop_tanpa_langkah():
    sop = copy.deepcopy(SOP_CONTOH)
    sop.update(tanpa_langkah=True, langkah=[], pelaksana=[])
    halaman = teks_halaman(render_sop_pdf(sop))
    semua = " ".join(halaman)
    assert "SOP ini belum memiliki uraian langkah." in re.sub(r"\s+", " ", semua)
    assert "Mutu Baku" not in semua
    assert rapat(sop["nama"]) in rapat(semua)


def _sop_jatim() -> list[dict]:
    data = json.loads(FIXTURE_JATIM.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else [data]


@pytest.mark.skipif(not FIXTURE_JATIM.exists(), reason="fixtures/sop/jatim_546.json belum ada")
def test_fixture_jatim(tmp_path):
    daftar = _sop_jatim()
    assert daftar
    for sop in daftar:
        pdf = render_sop_pdf(sop)
        semua = rapat(" ".join(teks_halaman(pdf)))
        assert rapat(sop["nama"]) in semua
        if sop.get("tanpa_langkah") or not sop.get("langkah"):
            assert rapat("SOP ini belum memiliki uraian langkah.") in semua
            continue
        for step in sop["langkah"]:
            assert awalan(step["kegiatan"]) in semua, f"{sop['kode']} langkah {step['nomor']}"
    png = render_png_halaman_1(render_sop_pdf(daftar[0]), tmp_path)
    assert png.stat().st_size > 10_000
    if os.environ.get("SAVE_ARTIFACTS") == "1":
        ARTEFAK.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, ARTEFAK)
