"""Outside steps end to end: the applicant's (and OSS's) steps are timed as windows by the engine
but never count against an officer: no warning or breach, no office minutes, not in the
service's or the officers' performance figures."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from perizinan import kinerja, services
from perizinan.models import SIAP, Permohonan
from sop.models import Jejak, LangkahBerjalan, Pelanggaran, Peringatan, Unit
from sop.sla import sapu
from tests.rekaman import milik

from .conftest import WIB

pytestmark = pytest.mark.django_db

SENIN = dt.datetime(2021, 3, 1, 8, 0, tzinfo=WIB)  # a Monday, away from the demo requests


def _jam(p):
    return LangkahBerjalan.objects.terbuka().get(
        object_id=str(p.pk), content_type__model="permohonan"
    )


def test_langkah_luar_kantor_tidak_masuk_kinerja(terima, jalan, pengguna, layanan):
    p = terima("rekomtek-iui-pacitan", 901, now=SENIN)
    # intake recorded the applicant's OSS/SIINas steps 1-5 at once (external, by the counter)
    assert p.status == "terima-permintaan-verifikasi"
    m = lambda menit: SENIN + dt.timedelta(minutes=menit)  # noqa: E731
    p = jalan(p, "putuskan_tidak", "verifikator.pacitan", catatan="Data kurang", now=m(10))
    jam = _jam(p)
    assert p.status == "unggah-data-perusahaan" and jam.eksternal
    assert jam.tenggat is not None  # a 60-minute window: timed ...
    # ... but a sweep long after the window warns and breaches nobody
    sapu(now=dt.datetime(2021, 3, 3, 12, 0, tzinfo=WIB))
    milik_ = milik(p, "langkah_berjalan__")
    assert not Pelanggaran.objects.filter(**milik_).exists()
    assert not Peringatan.objects.filter(**milik_).exists()

    # the applicant completes three days later (Thursday); the office then works 55 minutes
    kamis = dt.datetime(2021, 3, 4, 10, 0, tzinfo=WIB)
    k = lambda menit: kamis + dt.timedelta(minutes=menit)  # noqa: E731
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=k(0))  # step 4 (applicant)
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=k(5))  # step 5 (applicant)
    p = jalan(p, "putuskan_ya", "verifikator.pacitan", now=k(15))  # step 6: 10 min
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=k(25))  # step 7: 10 min
    p = jalan(p, "putuskan_ya", "kadis.pacitan", now=k(30))  # step 8: 5 min
    j = layanan("rekomtek-iui-pacitan")
    bap, rekom = list(j.keluaran.all())
    v = pengguna("verifikator.pacitan")
    services.dokumen_hasil_catat(
        user=v, permohonan=p, keluaran=bap, nomor="BAP/9/2021", tanggal=kamis.date()
    )
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=k(40))  # step 9: 10 min
    services.dokumen_hasil_catat(
        user=v, permohonan=p, keluaran=rekom, nomor="503/RT/9/2021", tanggal=kamis.date()
    )
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=k(50))  # step 10: 10 min
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=k(60))  # step 11: 10 min
    assert p.status == "iui-efektif" and _jam(p).eksternal
    # OSS makes the IUI effective on Monday: a window of 30 minutes, three days over
    senin2 = dt.datetime(2021, 3, 8, 9, 0, tzinfo=WIB)
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=senin2)
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=senin2)
    assert p.status == SIAP

    p = Permohonan.objects.get(pk=p.pk)
    # office steps only: 10 (step 6, first time) + 10 + 10 + 5 + 10 + 10 + 10 = 65
    assert p.menit_kantor == 65 and p.janji_menit == 185 and p.tepat_waktu is True
    luar = Jejak.objects.filter(**milik(p), terlambat__isnull=True, user=v)
    # the outside steps were recorded (by the verifier for the applicant), timed, not judged
    assert luar.filter(langkah__kode="unggah-data-perusahaan", menit_kerja__gt=60).exists()
    assert luar.filter(langkah__kode="iui-efektif", menit_kerja__gt=30).exists()

    # the service's published figures: the outside days are not office minutes
    out = io.StringIO()
    call_command(
        "perizinan_kinerja",
        "--unit",
        "dinas-kukmp-pacitan",
        "--dari",
        "2021-03-01",
        "--sampai",
        "2021-03-31",
        "--json",
        stdout=out,
    )
    baris = {b["layanan"]: b for b in json.loads(out.getvalue())}
    assert baris[j.nama] == {
        "layanan": j.nama,
        "masuk": 1,
        "selesai": 1,
        "tepat_waktu": 1,
        "terlambat": 0,
        "median_menit": 65,
        "janji_menit": 185,
    }
    # the officers' figures: their own timed steps only, none late
    unit = Unit.objects.get(kode="dinas-kukmp-pacitan")
    petugas = {
        b.nama: b for b in kinerja.per_petugas(unit, dt.date(2021, 3, 1), dt.date(2021, 3, 31))
    }
    ver = petugas[v.get_full_name() or v.username]
    kadis = pengguna("kadis.pacitan")
    # steps 6 (twice), 7, 9, 10, 11; the 6 outside steps recorded by the same officer are not his
    assert (ver.langkah, ver.tepat_waktu, ver.terlambat) == (6, 6, 0)
    assert petugas[kadis.get_full_name() or kadis.username].langkah == 1
    assert ver.median_menit == 10
