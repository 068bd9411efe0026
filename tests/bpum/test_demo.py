"""The living demo round of ``setup_portal --demo`` (bpum.demo): every state, late and
returned work, a duplicate pair, a batch at every stage, the province's batch and the
ministry's answers; built through the engine with past times; idempotent and quick."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from bpum.demo import hari_kerja_lalu, isi_demo
from bpum.models import DuplikatKeputusan, PemeriksaanBerkas, Rekap, Usulan
from sop.models import Jejak, LangkahBerjalan

from .conftest import SENIN, WIB

pytestmark = pytest.mark.django_db
S = Usulan.Status
SEKARANG = SENIN + dt.timedelta(days=3, hours=5)  # Thursday 26 Nov 2026 14:00 WIB


def test_hari_kerja_lalu_skips_weekends():
    assert hari_kerja_lalu(SENIN, 1) == dt.datetime(2026, 11, 20, 9, 0, tzinfo=WIB)  # Friday
    assert hari_kerja_lalu(SENIN, 5, 14) == dt.datetime(2026, 11, 16, 14, 0, tzinfo=WIB)


def test_living_round(periode, settings):
    with CaptureQueriesContext(connection) as ctx:
        n = isi_demo(sekarang=SEKARANG, paksa=True)
    assert 200 <= n == Usulan.objects.filter(periode=periode).count()
    assert len(ctx.captured_queries) < 4000, len(ctx.captured_queries)
    per_status = dict(Usulan.objects.values_list("status").annotate(n=Count("id")))
    assert set(per_status) == set(S.values), per_status  # every state
    assert {
        r["tingkat"] + ":" + r["status"] for r in Rekap.objects.values("tingkat", "status")
    } >= {
        "kecamatan:disusun",
        "kecamatan:dikirim",
        "kecamatan:diterima",
        "kecamatan:dikembalikan",
        "kecamatan:ditutup",
        "kabupaten:disusun",
        "kabupaten:dikirim",
        "kabupaten:diterima",
    }
    ct = ContentType.objects.get_for_model(Usulan)
    jejak = Jejak.objects.filter(content_type=ct)
    # through the engine: every proposal has its first step logged, every state change too
    assert jejak.filter(transisi__in=["mulai", "impor"]).count() == n
    assert jejak.filter(transisi="teruskan_kementerian", peran__kode="petugas_provinsi").exists()
    assert jejak.filter(transisi="kembalikan_dari_provinsi").exists()  # returned once
    assert jejak.filter(transisi="kembalikan_ke_kecamatan").exists()
    assert jejak.filter(transisi="kembalikan_ke_desa").exists()
    assert jejak.filter(transisi="tarik").count() == 2
    # late and on-time work, stamped by the sweep at the demo's "now"
    assert jejak.filter(terlambat=True).exists() and jejak.filter(terlambat=False).exists()
    jam = LangkahBerjalan.objects.filter(content_type=ct, selesai__isnull=True)
    assert jam.filter(dilanggar__isnull=False).exists()
    assert jam.filter(dilanggar__isnull=True, tenggat__gt=SEKARANG).exists()
    assert jam.filter(dijeda_sejak__isnull=False).count() == per_status[S.DIKEMBALIKAN]
    # times in the past, relative to the demo's "now"
    assert jejak.order_by("selesai").first().selesai < SEKARANG - dt.timedelta(days=30)
    assert not jejak.filter(selesai__gt=SEKARANG).exists()
    # a settled duplicate pair and an open one; physical checks; the ministry's reasons
    assert DuplikatKeputusan.objects.count() == 1
    assert Usulan.objects.filter(duplikat=True).count() == 2
    assert PemeriksaanBerkas.objects.exists()
    ditolak = Usulan.objects.filter(status=S.DITOLAK)
    assert ditolak.exists() and not ditolak.filter(keterangan_kementerian="").exists()
    # idempotent: a second run changes nothing
    assert isi_demo(sekarang=SEKARANG, paksa=True) == 0
    assert Usulan.objects.count() == n


def test_demo_off_in_the_test_base_data(periode, settings):
    settings.BPUM_DEMO_USULAN = False
    assert isi_demo() == 0 and not Usulan.objects.exists()
