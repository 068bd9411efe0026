"""The flow of a request on each seed SOP, through the engine."""

import datetime as dt
import re

import pytest

from perizinan import services
from perizinan.models import DISERAHKAN, SIAP
from sop.engine import GagalTransisi
from sop.models import Jejak, LangkahBerjalan
from tests.rekaman import milik

from .conftest import SENIN, WIB, png

pytestmark = pytest.mark.django_db


def test_iumk_loket_mencatat_langkah_pemohon_dan_janji(terima):
    p = terima("iumk-pelalawan")
    assert p.status == "layanan-perbantuan"
    assert re.fullmatch(r"\d{4}/TT/DPMPTSP-PELALAWAN/2026", p.nomor)
    assert p.kode_lacak.startswith("IZN-")
    # 120 + 15 office minutes from Monday 08:00: 10:15
    assert p.janji_menit == 135
    assert p.perkiraan_selesai == dt.datetime(2026, 11, 23, 10, 15, tzinfo=WIB)
    jejak = list(Jejak.objects.filter(**milik(p)).values_list("transisi", "ke"))
    assert jejak == [
        ("mulai", "registrasi-oss"),
        ("selesaikan", "ajukan-perbantuan"),
        ("selesaikan", "layanan-perbantuan"),
    ]


def test_iumk_sampai_diserahkan(terima, jalan, layanan, pengguna):
    p = terima("iumk-pelalawan")
    j = layanan("iumk-pelalawan")
    nib, iumk = list(j.keluaran.all())
    fo = pengguna("fo.pelalawan")
    services.dokumen_hasil_catat(
        user=fo, permohonan=p, keluaran=nib, nomor="1234567890123", tanggal=SENIN.date()
    )
    p = jalan(p, "selesaikan", "fo.pelalawan", now=SENIN + dt.timedelta(minutes=90))
    assert p.status == "terbit-iumk"
    services.dokumen_hasil_catat(
        user=fo, permohonan=p, keluaran=iumk, nomor="IUMK/001", tanggal=SENIN.date(), berkas=png()
    )
    p = jalan(p, "selesaikan", "fo.pelalawan", now=SENIN + dt.timedelta(minutes=100))
    assert p.status == SIAP
    assert p.menit_kantor == 100 and p.tepat_waktu is True
    p = jalan(
        p, "serahkan", "fo.pelalawan", penerima_nama="Siti", now=SENIN + dt.timedelta(hours=3)
    )
    assert p.status == DISERAHKAN and p.survei_token
    assert not LangkahBerjalan.objects.terbuka().filter(**milik(p)).exists()


def test_nik_koperasi_langkah_kementerian_tanpa_batas(terima, jalan, layanan, pengguna):
    p = terima("nik-koperasi-pacitan", lengkap=False)
    assert p.status == "siapkan-form"  # the first step is the office's own: nothing recorded
    assert p.janji_menit == 10 + 15 + 15 + 15
    t = SENIN
    for kode in ("jelaskan-pengisian", "isi-form", "verifikasi-form"):
        t += dt.timedelta(minutes=5)
        p = jalan(p, "selesaikan", "staf.pacitan", now=t)
        assert p.status == kode
    # the checklist is checked at "verifikasi-form": the form is still missing
    with pytest.raises(GagalTransisi, match="Formulir Permohonan"):
        jalan(p, "selesaikan", "staf.pacitan", now=t)
    j = layanan("nik-koperasi-pacitan")
    services.berkas_syarat_simpan(
        user=pengguna("staf.pacitan"),
        permohonan=p,
        persyaratan=j.persyaratan.get(),
        berkas=png("form.png"),
    )
    for kode in ("input-online", "verifikasi-cetak", "kirim-sertifikat", "terima-sertifikat"):
        t += dt.timedelta(minutes=5)
        p = jalan(p, "selesaikan", "staf.pacitan", now=t)
        assert p.status == kode
    jam = LangkahBerjalan.objects.terbuka().get(**milik(p))
    assert jam.eksternal and jam.tenggat is None  # the applicant's/ministry's step: no limit
    with pytest.raises(GagalTransisi, match="Sertifikat Nomor Induk Koperasi"):
        jalan(p, "selesaikan", "staf.pacitan", now=t)
    services.dokumen_hasil_catat(
        user=pengguna("staf.pacitan"),
        permohonan=p,
        keluaran=j.keluaran.get(),
        nomor="3501010020001",
        tanggal=SENIN.date(),
        berkas=png("sertifikat.png"),
    )
    p = jalan(p, "selesaikan", "staf.pacitan", now=t + dt.timedelta(days=7))
    assert p.status == SIAP
    # office steps 1, 2, 4, 5 took 5 minutes each; the ministry's week is not counted
    assert p.menit_kantor == 20 and p.tepat_waktu is True


def test_rekomtek_keputusan_tidak_kembali_ke_pemohon_dan_kadis_menyetujui(
    terima, jalan, layanan, pengguna
):
    p = terima("rekomtek-iui-pacitan")
    assert p.status == "terima-permintaan-verifikasi"
    assert p.janji_menit == 30 + 30 + 5 + 30 + 60 + 30
    assert [t for (t,) in Jejak.objects.filter(**milik(p)).values_list("transisi")] == [
        "mulai",
        *["selesaikan"] * 5,
    ]
    with pytest.raises(GagalTransisi):  # "No" needs a reason
        jalan(p, "putuskan_tidak", "verifikator.pacitan")
    p = jalan(
        p,
        "putuskan_tidak",
        "verifikator.pacitan",
        kekurangan=["Kapasitas produksi belum diisi"],
        now=SENIN + dt.timedelta(minutes=10),
    )
    assert p.status == "unggah-data-perusahaan" and p.kekurangan == [
        "Kapasitas produksi belum diisi"
    ]
    t = SENIN + dt.timedelta(hours=2)
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=t)
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=t)
    p = jalan(p, "putuskan_ya", "verifikator.pacitan", now=t)
    assert p.status == "pemeriksaan-lapangan"
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=t)
    assert p.status == "lapor-hasil-verifikasi"
    p = jalan(p, "putuskan_ya", "kadis.pacitan", now=t)  # the Kepala Dinas approves
    assert p.status == "buat-bap"
    j = layanan("rekomtek-iui-pacitan")
    bap, rekom = list(j.keluaran.all())
    v = pengguna("verifikator.pacitan")
    with pytest.raises(GagalTransisi):  # BAP is recorded at its own step only
        services.dokumen_hasil_catat(
            user=v, permohonan=p, keluaran=rekom, nomor="X", tanggal=SENIN.date()
        )
    services.dokumen_hasil_catat(
        user=v, permohonan=p, keluaran=bap, nomor="BAP/01/2026", tanggal=SENIN.date()
    )
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=t)
    services.dokumen_hasil_catat(
        user=v, permohonan=p, keluaran=rekom, nomor="503/RT/01/2026", tanggal=SENIN.date()
    )
    for _ in range(4):
        p = jalan(p, "selesaikan", "verifikator.pacitan", now=t)
    assert p.status == SIAP
    with pytest.raises(GagalTransisi):
        jalan(p, "serahkan", "kadis.pacitan", now=t)  # the counter hands over
    p = jalan(p, "serahkan", "verifikator.pacitan", now=t)
    assert p.status == DISERAHKAN and p.diserahkan_pada == t
