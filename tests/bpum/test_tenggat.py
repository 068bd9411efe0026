"""Deadlines per round (issue 10): the round's per-tier limits time every clock where PAIS-UMI
gives none, through ``Usulan.batas_langkah``; the SOP transcription stays untouched; due dates
and "terlambat N hari" on every task; the agency edits the limits (field history)."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from bpum import periode as periode_svc
from bpum import services
from bpum.models import Rekap, Usulan
from sop.engine import TidakBerwenang
from sop.models import LangkahBerjalan, RiwayatPerubahan, Sop, Wilayah
from sop.sla import sapu
from sop.templatetags.portal import terlambat_hari
from sop.waktu import Batas

from .conftest import DESA_TK, SENIN, WIB, berkas_lengkap, data_usulan

pytestmark = pytest.mark.django_db


def jam(u, **kw):
    ct = ContentType.objects.get_for_model(Usulan)
    return LangkahBerjalan.objects.filter(content_type=ct, object_id=str(u.pk), **kw)


def test_demo_round_limits_and_seed_untouched(periode):
    assert (periode.batas_desa, periode.batas_kecamatan, periode.batas_dinas) == (3, 5, 7)
    assert periode.batas_provinsi == 7 and periode.provinsi_portal
    assert periode.batas_langkah("desa-proses-berkas") == Batas("hari", 3, teks="3 hari")
    assert periode.batas_langkah("validasi-deputi") is None  # the ministry: no round limit
    # the PAIS-UMI transcription keeps its empty waktu: the limit comes from the round
    sop = Sop.objects.berlaku().get(kode="PAIS-UMI")
    assert all(not lk.waktu for lk in sop.langkah_per_kode().values())


def test_round_limit_only_where_the_sop_has_none(periode, buat):
    u = buat(1)
    lk = u.langkah_untuk(None)
    assert u.batas_langkah(lk) == Batas("hari", 3, teks="3 hari")

    class Berwaktu:  # a step whose SOP gives a time limit keeps it
        kode = "desa-proses-berkas"
        batas_obj = Batas("hari", 1)

    assert u.batas_langkah(Berwaktu()) is None
    periode.batas_desa = None
    periode.save()
    assert Usulan.objects.get(pk=u.pk).batas_langkah(lk) is None


def test_clock_due_three_working_days_after_receipt(pengguna, periode):
    """Received Monday 23 Nov 2026 09:00 WIB: 3 working days after the day of receipt end at
    Thursday's close of business (16:00, the engine's day rule); the limit is stored on the
    clock."""
    u = services.usulan_buat(
        user=pengguna("desa.tembilahan-kota"),
        desa=Wilayah.objects.get(kode=DESA_TK),
        data=data_usulan(1),
        berkas=berkas_lengkap(),
        periode=periode,
        now=SENIN,
    )
    j = jam(u).get()
    assert j.batas == {"jenis": "hari", "jumlah": 3, "bawah": None}
    assert timezone.localtime(j.tenggat, WIB) == dt.datetime(2026, 11, 26, 16, 0, tzinfo=WIB)
    assert j.peringatan_pada is not None and j.mulai < j.peringatan_pada < j.tenggat


def test_each_tier_its_own_limit(pengguna, periode, sampai):
    (u,) = sampai("direkap")
    assert jam(u, selesai__isnull=True).get().batas["jumlah"] == 7  # the agency's step
    lengkap = jam(u, langkah__kode="kecamatan-rekap").get()
    assert lengkap.batas["jumlah"] == 5 and lengkap.selesai is not None


def test_round_without_limits_is_not_monitored(pengguna, periode, buat):
    periode.batas_desa = None
    periode.save()
    u = buat(1)
    j = jam(u).get()
    assert j.tenggat is None and j.batas is None


def test_late_clock_breached_by_the_sweep_and_shown(pengguna, periode, masuk):
    u = services.usulan_buat(
        user=pengguna("desa.tembilahan-kota"),
        desa=Wilayah.objects.get(kode=DESA_TK),
        data=data_usulan(2),
        berkas={},
        periode=periode,
        now=timezone.now() - dt.timedelta(days=12),
    )
    hasil = sapu(now=timezone.now(), transisi=False, domain=False)
    j = jam(u).get()
    assert j.dilanggar is not None and hasil["dilanggar"] >= 1
    n = terlambat_hari(j)
    assert n >= 1 and n == -(-(timezone.now() - j.tenggat) // dt.timedelta(days=1))
    c = masuk("desa.tembilahan-kota")
    tugas = c.get(reverse("sop:tugas")).content.decode()
    assert f"terlambat {n} hari" in tugas
    assert timezone.localtime(j.tenggat).strftime("%d") in tugas
    daftar = c.get(reverse("bpum:usulan_daftar")).content.decode()
    assert f"terlambat {n} hari" in daftar
    detail = c.get(u.get_absolute_url()).content.decode()
    assert 'data-testid="tenggat-usulan"' in detail and f"terlambat {n} hari" in detail


def test_terlambat_hari_rules():
    now = timezone.now()
    j = LangkahBerjalan(tenggat=now + dt.timedelta(hours=1))
    assert terlambat_hari(j) == 0
    j.tenggat = now - dt.timedelta(hours=2)
    assert terlambat_hari(j) == 1  # late by hours: the first day
    j.tenggat = now - dt.timedelta(days=2, hours=1)
    assert terlambat_hari(j) == 3
    j.dijeda_sejak = now  # paused waiting on the applicant: not counted
    assert terlambat_hari(j) == 0
    j.dijeda_sejak, j.selesai = None, now
    assert terlambat_hari(j) == 0
    assert terlambat_hari(LangkahBerjalan(tenggat=None)) == 0


def test_agency_sets_limits_with_history(pengguna, periode, buat, masuk):
    dinas = pengguna("dinas.inhil")
    lama = buat(1)
    with pytest.raises(TidakBerwenang):
        periode_svc.periode_atur(
            user=pengguna("kecamatan.tembilahan"), periode=periode, data={"batas_desa": 9}
        )
    data = {f: getattr(periode, f) for f in periode_svc.FIELD_PERIODE}
    data["batas_desa"] = 2
    assert periode_svc.periode_atur(user=dinas, periode=periode, data=data) == ["batas_desa"]
    r = RiwayatPerubahan.objects.get(field="batas_desa")
    assert (r.lama, r.baru, r.user) == ("3", "2", dinas)
    periode.refresh_from_db()  # the fixture's instance is handed to the intake
    baru = buat(2)
    assert jam(baru).get().batas["jumlah"] == 2
    assert jam(lama).get().batas["jumlah"] == 3  # a running clock keeps its limit
    # the form: the head of the agency may too; an inverted date range is refused by field
    c = masuk("kadis.inhil")
    url = reverse("bpum:periode_atur")
    assert c.get(url).status_code == 200
    resp = c.post(
        url,
        {
            "periode": periode.pk,
            "dibuka": "2021-03-01",
            "ditutup": "2021-02-01",
            "batas_desa": "0",
            "batas_kecamatan": "5",
        },
    )
    isi = resp.content.decode()
    assert resp.status_code == 400
    assert "Tanggal ditutup tidak boleh sebelum tanggal dibuka." in isi
    assert "Minimal 1 hari kerja" in isi
    resp = c.post(
        url,
        {
            "periode": periode.pk,
            "dibuka": "2021-03-01",
            "batas_desa": "4",
            "batas_kecamatan": "5",
            "batas_dinas": "7",
            "batas_provinsi": "",
            "provinsi_portal": "on",
        },
    )
    assert resp.status_code == 302
    periode.refresh_from_db()
    assert (periode.batas_desa, periode.batas_provinsi) == (4, None)
    assert masuk("kecamatan.tembilahan").get(url).status_code == 403


def test_dashboard_compliance_counts_round_limits(pengguna, periode, sampai, masuk):
    sampai("direkap", 2)
    from bpum.selectors import kepatuhan_langkah

    baris = {r["langkah"].kode: r for r in kepatuhan_langkah(pengguna("dinas.inhil"), periode)}
    assert baris["desa-proses-berkas"]["dilacak"] and baris["desa-proses-berkas"]["tepat"] == 2
    assert baris["desa-proses-berkas"]["waktu"] == "3 hari kerja (periode)"
    assert baris["provinsi-koordinir"]["eksternal"]
    assert not baris["validasi-deputi"]["dilacak"]
    isi = masuk("dinas.inhil").get(reverse("bpum:dasbor")).content.decode()
    assert "3 hari kerja (periode)" in isi and "di luar kantor: tidak dihitung" in isi


def test_round_flag_rekap_tier(periode, sampai, pengguna):
    """A batch keeps no clock of its own: its proposals' clocks time the tier."""
    (u,) = sampai("dikirim_provinsi")
    rk = Rekap.objects.get(tingkat=Rekap.Tingkat.KABUPATEN)
    assert not Rekap.BERJAM and rk.status == Rekap.Status.DIKIRIM
    assert jam(u, selesai__isnull=True).get().batas["jumlah"] == 7  # province: 7 days


def test_rekap_rows_show_each_due_date_and_days_late(periode, sampai, masuk):
    """The batch page is where the agency works its queue: every row carries its clock."""
    a, b = sampai("direkap", 2)
    jam(a, selesai__isnull=True).update(tenggat=timezone.now() - dt.timedelta(days=2, hours=1))
    jb = jam(b, selesai__isnull=True).get()
    isi = masuk("dinas.inhil").get(a.rekap_kecamatan.get_absolute_url()).content.decode()
    sel_a = isi.split(f'data-testid="status-{a.pk}"')[1].split("</td>")[0]
    sel_b = isi.split(f'data-testid="status-{b.pk}"')[1].split("</td>")[0]
    assert "terlambat 3 hari" in sel_a
    t = timezone.localtime(jb.tenggat)
    assert "terlambat" not in sel_b and f"tenggat {t:%d} " in sel_b and f" {t:%Y %H:%M}" in sel_b
