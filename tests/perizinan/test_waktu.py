"""Minute limits in office time: breaks, Friday prayers, holidays, pauses, outside steps."""

import datetime as dt

import pytest

from perizinan.models import KEMBALI, Permohonan
from sop.models import Jejak, LangkahBerjalan
from tests.rekaman import milik

from .conftest import WIB

pytestmark = pytest.mark.django_db


def w(*a):
    return dt.datetime(*a, tzinfo=WIB)


@pytest.mark.parametrize(
    ("diterima", "janji"),
    [
        # Monday 08:00 + 135 working minutes
        (w(2026, 11, 23, 8, 0), w(2026, 11, 23, 10, 15)),
        # across the lunch break (12:00-13:00): 60 before, 75 after
        (w(2026, 11, 23, 11, 0), w(2026, 11, 23, 14, 15)),
        # Friday: the break is 11:30-13:00 (Friday prayers)
        (w(2026, 11, 27, 10, 30), w(2026, 11, 27, 14, 15)),
        # Friday 15:30: 60 minutes to 16:30, then Monday 07:30 + 75
        (w(2026, 11, 27, 15, 30), w(2026, 11, 30, 8, 45)),
        # Wednesday 23 Dec 15:00: 60 minutes, then cuti bersama 24 Dec, Christmas 25 Dec,
        # the weekend, Monday 28 Dec 07:30 + 75
        (w(2026, 12, 23, 15, 0), w(2026, 12, 28, 8, 45)),
        # received outside office hours (19:00): the clock starts next morning
        (w(2026, 11, 23, 19, 0), w(2026, 11, 24, 9, 45)),
    ],
)
def test_janji_selesai_dalam_jam_kerja(terima, diterima, janji):
    p = terima("iumk-pelalawan", now=diterima)
    assert p.perkiraan_selesai == janji
    assert p.janji_menit == 135


def test_berkas_dikembalikan_menghentikan_jam_kantor(terima, jalan):
    senin = w(2026, 11, 23, 8, 0)
    p = terima("iumk-pelalawan", now=senin)
    jam = LangkahBerjalan.objects.terbuka().get(**milik(p))
    assert jam.tenggat == w(2026, 11, 23, 10, 0)  # step 3: 120 minutes
    p = jalan(
        p,
        "kembalikan_berkas",
        "fo.pelalawan",
        kekurangan=["NPWP belum valid KSWP"],
        now=w(2026, 11, 23, 9, 0),
    )
    assert p.status == KEMBALI + "layanan-perbantuan"
    jam.refresh_from_db()
    assert jam.dijeda_sejak == w(2026, 11, 23, 9, 0)
    # the applicant comes back Tuesday 09:00: 360 + 90 paused working minutes
    p = jalan(p, "lengkapi_berkas", "fo.pelalawan", now=w(2026, 11, 24, 9, 0))
    assert p.status == "layanan-perbantuan" and p.kekurangan == []
    jam.refresh_from_db()
    assert jam.menit_jeda == 450 and jam.dijeda_sejak is None
    assert jam.tenggat == w(2026, 11, 24, 10, 0)  # due moved by the paused minutes
    # NIB recorded, step done Tuesday 09:30: 90 working minutes used, not late
    from perizinan import services

    services.dokumen_hasil_catat(
        user=p.diterima_oleh,
        permohonan=p,
        keluaran=p.jenis.keluaran.get(langkah_kode="layanan-perbantuan"),
        nomor="1234567890123",
        tanggal=dt.date(2026, 11, 24),
    )
    p = jalan(p, "selesaikan", "fo.pelalawan", now=w(2026, 11, 24, 9, 30))
    j = Jejak.objects.filter(**milik(p), transisi="selesaikan").last()
    assert (j.menit_kerja, j.menit_batas, j.terlambat) == (90, 120, False)


def test_langkah_pemohon_tidak_dihitung_terlambat(terima, jalan):
    """A decision "No" sends an IUI request back to the applicant's own upload step: its clock
    is a window (external), never late against an officer, and not office time."""
    senin = w(2026, 11, 23, 8, 0)
    p = terima("rekomtek-iui-pacitan", now=senin)
    p = jalan(p, "putuskan_tidak", "verifikator.pacitan", catatan="Data kurang", now=senin)
    jam = LangkahBerjalan.objects.terbuka().get(**milik(p))
    assert jam.eksternal and jam.langkah.kode == "unggah-data-perusahaan"
    # the applicant takes three days over a 60-minute step
    p = jalan(p, "selesaikan", "verifikator.pacitan", now=w(2026, 11, 26, 10, 0))
    j = Jejak.objects.filter(**milik(p)).last()
    assert j.terlambat is None and j.menit_kerja > 60
    assert Permohonan.objects.get(pk=p.pk).status == "ajukan-verifikasi-data"
