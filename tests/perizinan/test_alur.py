"""The flow of a request on each seed SOP, through the engine."""

import datetime as dt

import pytest

from perizinan import services
from perizinan.models import DISERAHKAN, SIAP
from sop.models import Jejak, LangkahBerjalan

from .conftest import SENIN, WIB, png

pytestmark = pytest.mark.django_db


def test_iumk_loket_mencatat_langkah_pemohon_dan_janji(terima):
    p = terima("iumk-pelalawan")
    assert p.status == "layanan-perbantuan"
    assert p.nomor.startswith("00001/")
    # 120 + 15 office minutes from Monday 08:00: 10:15
    assert p.janji_menit == 135
    assert p.janji_selesai == dt.datetime(2026, 11, 23, 10, 15, tzinfo=WIB)
    jejak = list(Jejak.objects.filter(object_id=str(p.pk)).values_list("transisi", "ke"))
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
    assert not LangkahBerjalan.objects.terbuka().filter(object_id=str(p.pk)).exists()
