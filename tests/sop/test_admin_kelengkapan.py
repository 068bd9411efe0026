"""Documents and equipment among a step's inputs: classification, and the runner offering only
documents as uploads."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sop import services
from sop.jadwal import kosongkan_cache
from sop.kelengkapan import alat_bawaan, dokumen_saja, jenis_kelengkapan
from sop.models import Langkah, Permohonan

from .test_engine import mulai


@pytest.mark.parametrize(
    "nama",
    ["Komputer", "Komputer On Line", "ATK", "Alat Tulis", "Printer", "Aplikasi ODS", "Ruang rapat",
     "Sewa gedung", "Konsumsi", "Mamin", "Username", "Password", "Komputer/Laptor"],
)  # fmt: skip
def test_peralatan(nama):
    assert jenis_kelengkapan(nama) == "alat"


@pytest.mark.parametrize(
    "nama",
    ["Surat permohonan", "Draft Surat", "Data angsuran pinjaman", "SK Tim", "Kertas Kerja",
     "Agunan/jamianan", "Notulen", "NIB", "Cek", "Laporan Keuangan", "Berkas koperasi"],
)  # fmt: skip
def test_dokumen(nama):
    assert jenis_kelengkapan(nama) == "dokumen"


def test_urutan_dipertahankan():
    kel = ["Draft Surat", "Komputer", "Notulen", "ATK"]
    assert alat_bawaan(kel) == ["Komputer", "ATK"]
    assert dokumen_saja(kel, alat_bawaan(kel)) == ["Draft Surat", "Notulen"]


@pytest.mark.django_db
def test_fixture_dimuat_dengan_klasifikasi():
    """setup_portal loaded the fixtures: no step requires equipment, and every piece of equipment
    is one of the step's inputs."""
    for lk in Langkah.objects.all():
        assert set(lk.kelengkapan_alat) <= set(lk.kelengkapan)
        assert not set(lk.kelengkapan_wajib) & set(lk.kelengkapan_alat)
    lk = Langkah.objects.filter(sop__kode="JATIM-5.4.6", kode="ttd-sk-panitia").first()
    assert lk.kelengkapan_dokumen == ["Draft Surat"] and lk.kelengkapan_alat == ["Alat Tulis"]


@pytest.mark.django_db
def test_pelari_hanya_menawarkan_dokumen(pengguna, masuk, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    p = mulai(pengguna)
    Langkah.objects.filter(sop=p.sop, kode="bentuk-panitia").update(
        kelengkapan=["Komputer", "Draft SK Panitia", "ATK"], kelengkapan_alat=["Komputer", "ATK"]
    )
    kosongkan_cache()  # an SOP in force never changes in place: forget the loaded one
    html = masuk("jatim.kabid").get(reverse("sop:permohonan_detail", args=[p.pk])).content.decode()
    pilihan = html[html.index('name="jenis"') : html.index("</select>", html.index('name="jenis"'))]
    assert "Draft SK Panitia" in pilihan and "Komputer" not in pilihan and "ATK" not in pilihan
    p = Permohonan.objects.get(pk=p.pk)
    with pytest.raises(ValidationError):
        services.permohonan_lampirkan(
            user=pengguna("jatim.kabid"),
            permohonan=p,
            jenis="Komputer",
            berkas=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        )
