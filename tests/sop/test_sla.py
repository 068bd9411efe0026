"""The SLA sweep: 75 % warnings, breaches, notifications once, timed transitions as the system."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from sop import engine
from sop.jadwal import kosongkan_cache
from sop.models import Jejak, Langkah, Notifikasi, Pelanggaran, Peringatan, Permohonan
from sop.sla import sapu
from tests.rekaman import milik

from .test_engine import SENIN, mulai

pytestmark = pytest.mark.django_db


def notif(username):
    return list(Notifikasi.objects.filter(user__username=username).values_list("judul", flat=True))


def test_peringatan_75_persen_sekali(pengguna):
    p = mulai(pengguna)  # step 1: 15 menit from 09:00; 75 % at 09:11
    assert sapu(now=SENIN + dt.timedelta(minutes=10))["diperingatkan"] == 0
    hasil = sapu(now=SENIN + dt.timedelta(minutes=12))
    assert hasil["diperingatkan"] == 1 and hasil["dilanggar"] == 0
    assert any("75%" in j for j in notif("jatim.kabid"))
    assert notif("jatim.kadis") == []  # the superior hears of breaches only
    assert sapu(now=SENIN + dt.timedelta(minutes=13))["notifikasi"] == 0
    assert Peringatan.objects.filter(langkah_berjalan=engine.jam_terbuka(p)).count() == 1


def test_pelanggaran_tercatat_dan_diberitahukan_sekali(
    pengguna, django_capture_on_commit_callbacks
):
    pengguna("jatim.kadis").__class__.objects.filter(username="jatim.kabid").update(
        email="kabid@example.org"
    )
    p = mulai(pengguna)
    with django_capture_on_commit_callbacks(execute=True):
        hasil = sapu(now=SENIN + dt.timedelta(minutes=16))
    assert hasil["dilanggar"] == 1
    pl = Pelanggaran.objects.get(**milik(p, "langkah_berjalan__"))
    assert pl.tenggat == SENIN + dt.timedelta(minutes=15)
    assert any("Lewat tenggat" in j for j in notif("jatim.kabid"))
    assert any("Lewat tenggat" in j for j in notif("jatim.kadis"))  # atasan of kepala_bidang
    assert notif("jatim.staf") == []
    assert [m.to for m in mail.outbox] == [["kabid@example.org"]]
    n = Notifikasi.objects.count()
    again = sapu(now=SENIN + dt.timedelta(minutes=30))
    # the modules' own sweeps (sop.modul) run too and find nothing of this test
    assert all(not any(v.values()) for v in again.pop("sapuan").values())
    assert again == {
        "diperingatkan": 0,
        "dilanggar": 0,
        "notifikasi": 0,
        "transisi": 0,
        "gagal": 0,
        "tidak_berlaku": 0,
        "dilewati": 0,
    }
    assert Notifikasi.objects.count() == n and Pelanggaran.objects.count() == 1
    with pytest.raises(Exception):  # noqa: B017 - the breach record is immutable
        pl.delete()


def test_langkah_dijeda_tidak_dilanggar(pengguna):
    p = mulai(pengguna)
    engine._jeda_jam(engine.jam_terbuka(p), SENIN + dt.timedelta(minutes=1))
    assert sapu(now=SENIN + dt.timedelta(days=3))["dilanggar"] == 0


def test_langkah_tanpa_batas_tidak_dilacak(pengguna):
    p = mulai(pengguna)
    Langkah.objects.filter(sop=p.sop, kode="tetapkan-panitia").update(
        waktu="Menyesuaikan", batas={"jenis": "tidak_dilacak"}
    )
    kosongkan_cache()  # an SOP in force never changes in place: forget the loaded one
    p = Permohonan.objects.get(pk=p.pk)
    p = engine.jalankan(p.selesaikan, user=pengguna("jatim.kabid"), now=SENIN)
    assert engine.jam_terbuka(p).tenggat is None
    sapu(now=SENIN + dt.timedelta(days=60))  # other records' clocks (demo data) may breach
    assert not Pelanggaran.objects.filter(**milik(p, "langkah_berjalan__")).exists()


def test_transisi_berwaktu_oleh_sistem(pengguna):
    p = mulai(pengguna)
    Langkah.objects.filter(sop=p.sop, kode="bentuk-panitia").update(saat_kedaluwarsa="eskalasi")
    kosongkan_cache()  # an SOP in force never changes in place: forget the loaded one
    hasil = sapu(now=SENIN + dt.timedelta(minutes=20))
    assert hasil["transisi"] == 1 and hasil["gagal"] == 0
    p = Permohonan.objects.get(pk=p.pk)
    assert p.status == "tetapkan-panitia"
    j = Jejak.objects.filter(**milik(p), transisi="eskalasi").get()
    assert j.user is None and j.terlambat is True
    assert sapu(now=SENIN + dt.timedelta(minutes=25))["transisi"] == 0


def test_transisi_sistem_tidak_bisa_oleh_petugas(pengguna):
    p = mulai(pengguna)
    with pytest.raises(engine.TidakBerwenang):
        engine.jalankan(p.eskalasi, user=pengguna("jatim.kabid"))


def test_perintah_sop_sla_json(pengguna):
    mulai(pengguna, now=SENIN - dt.timedelta(days=30))
    out = StringIO()
    call_command("sop_sla", "--json", stdout=out)
    assert json.loads(out.getvalue())["dilanggar"] >= 1
