"""The engine's API for records with several runs (docs/adr/0009), on test-only models
(tests/contoh_engine): a loan-like record owning penagihan runs on PACITAN-21, and an approval
governed by roles without an SOP."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from sop import engine
from sop.jadwal import kosongkan_cache
from sop.models import Jejak, LangkahBerjalan, Pelanggaran, Peringatan, Sop, Unit
from sop.selectors import jam_induk, jejak_induk
from sop.sla import sapu
from sop.waktu import Batas
from tests.contoh_engine.models import Berkas, Persetujuan, Tagihan
from tests.rekaman import milik

WIB = ZoneInfo("Asia/Jakarta")
SENIN = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
UPT = "upt-dana-bergulir-pacitan"

pytestmark = pytest.mark.django_db


def tagihan(berkas, *, now=SENIN, tanggal_surat=None, jam_mulai=None, pengguna=None):
    unit = Unit.objects.get(kode=UPT)
    t = Tagihan.objects.create(
        sop=Sop.objects.berlaku().get(kode="PACITAN-21"),
        wilayah_id="35.01",
        unit=unit,
        berkas=berkas,
        status="tugaskan-penagihan",
        tanggal_surat=tanggal_surat,
    )
    engine.mulai_proses(t, user=pengguna, now=now, jam_mulai=jam_mulai)
    return t


def sampai_jendela(t, pengguna, now):
    """Kepala UPT assigns, the officer issues the letter: the run waits in the bank window."""
    t = engine.jalankan(t.selesaikan, user=pengguna("kaupt.pacitan"), now=now)
    return engine.jalankan(t.selesaikan, user=pengguna("upt.pacitan"), now=now)


def test_rekaman_dengan_dua_jalan_paralel(pengguna):
    b = Berkas.objects.create(nomor="PJ-001", tunggakan=100)
    t1 = tagihan(b, pengguna=pengguna("upt.pacitan"))
    t2 = tagihan(b, pengguna=pengguna("upt.pacitan"))
    t1 = engine.jalankan(t1.selesaikan, user=pengguna("kaupt.pacitan"), now=SENIN)
    # each run: its own state, one open clock, its own log
    assert (t1.status, Tagihan.objects.get(pk=t2.pk).status) == ("tagih", "tugaskan-penagihan")
    assert {j.langkah.kode for j in jam_induk(b)} == {"tagih", "tugaskan-penagihan"}
    assert [j.object_id for j in jejak_induk(b)] == [str(t1.pk), str(t2.pk), str(t1.pk)]
    # the record's key is on every row of its runs
    assert set(
        Jejak.objects.filter(
            content_type=milik(t1)["content_type"], object_id__in=[t1.pk, t2.pk]
        ).values_list("induk_id", flat=True)
    ) == {str(b.pk)}
    assert engine.jam_terbuka(t1).langkah.kode == "tagih"
    # at most one open clock per run, by a constraint
    with pytest.raises(IntegrityError), transaction.atomic():
        engine.mulai_jam(t1, t1.langkah_untuk(None), SENIN)


def test_jam_mulai_pada_tanggal_domain(pengguna):
    b = Berkas.objects.create(nomor="PJ-002", tunggakan=100)
    surat = SENIN - dt.timedelta(days=10)
    t = sampai_jendela(tagihan(b, tanggal_surat=surat), pengguna, SENIN)
    jam = engine.jam_terbuka(t)
    assert jam.langkah.kode == "bayar-ke-bank"
    assert jam.mulai == surat  # the letter's date, not the click
    assert jam.eksternal  # the applicant pays: a window, not an officer's step
    # "6 bulan" from 13 Nov 2026: 13 May 2027, close of business (Thursday 16:00 WIB)
    assert jam.tenggat == dt.datetime(2027, 5, 13, 16, 0, tzinfo=WIB)


def test_mulai_proses_pada_tanggal_domain(pengguna):
    b = Berkas.objects.create(nomor="PJ-003")
    jatuh_tempo = SENIN - dt.timedelta(days=3)
    t = tagihan(b, jam_mulai=jatuh_tempo)
    jam = engine.jam_terbuka(t)
    assert jam.mulai == jatuh_tempo
    # "1 hari" from Friday 20 Nov: close of business of the next working day, Monday 23 Nov
    assert jam.tenggat == dt.datetime(2026, 11, 23, 16, 0, tzinfo=WIB)


def test_batas_dari_rekaman_disimpan_di_jam(pengguna, monkeypatch):
    monkeypatch.setattr(
        Tagihan,
        "batas_langkah",
        lambda self, lk: Batas("hari", 3) if lk.kode == "tugaskan-penagihan" else None,
    )
    t = tagihan(Berkas.objects.create(nomor="PJ-004"))
    jam = engine.jam_terbuka(t)
    assert jam.batas == {"jenis": "hari", "jumlah": 3, "bawah": None}
    assert jam.tenggat == dt.datetime(2026, 11, 26, 16, 0, tzinfo=WIB)  # 3rd working day after
    # a calendar change recomputes with the stored limit, without asking the record again
    monkeypatch.undo()
    LangkahBerjalan.objects.filter(pk=jam.pk).update(tenggat=SENIN)
    assert engine.hitung_ulang_tenggat() >= 1
    assert LangkahBerjalan.objects.get(pk=jam.pk).tenggat == dt.datetime(
        2026, 11, 26, 16, 0, tzinfo=WIB
    )


def test_jendela_eksternal_tidak_dilanggar_transisi_berwaktu_berjalan(pengguna):
    b = Berkas.objects.create(nomor="PJ-005", tunggakan=0)
    surat = SENIN - dt.timedelta(days=200)
    t = sampai_jendela(tagihan(b, tanggal_surat=surat), pengguna, SENIN)
    jam = engine.jam_terbuka(t)
    assert jam.tenggat < SENIN + dt.timedelta(days=1)
    # nothing owed: the window lapsed, the timed transition's condition does not hold
    hasil = sapu(now=SENIN + dt.timedelta(days=1))
    assert hasil["dilanggar"] == 0 and hasil["notifikasi"] == 0 and hasil["diperingatkan"] == 0
    assert hasil["transisi"] == 0 and hasil["tidak_berlaku"] == 1
    assert not Pelanggaran.objects.filter(langkah_berjalan=jam).exists()
    assert not Peringatan.objects.filter(langkah_berjalan=jam).exists()
    assert Tagihan.objects.get(pk=t.pk).status == "bayar-ke-bank"
    # arrears appear: the next sweep fires it (the open, lapsed clock is retried)
    Berkas.objects.filter(pk=b.pk).update(tunggakan=50)
    hasil = sapu(now=SENIN + dt.timedelta(days=2))
    assert hasil["transisi"] == 1 and hasil["gagal"] == 0
    t = Tagihan.objects.get(pk=t.pk)
    assert t.status == "selesai"
    j = Jejak.objects.filter(**milik(t), transisi="jendela_lewat").get()
    assert j.user is None and j.induk_id == str(b.pk)
    assert j.terlambat is None  # an external window never counts against an officer
    assert sapu(now=SENIN + dt.timedelta(days=3))["transisi"] == 0  # idempotent


def test_langkah_petugas_tetap_dilanggar(pengguna):
    """The officer's own step of the same run still breaches and warns."""
    t = tagihan(Berkas.objects.create(nomor="PJ-006"))
    hasil = sapu(now=SENIN + dt.timedelta(days=3))
    assert hasil["dilanggar"] == 1
    assert Pelanggaran.objects.filter(langkah_berjalan=engine.jam_terbuka(t)).exists()


def test_persetujuan_tanpa_sop_lewat_penjaga_yang_sama(pengguna):
    p = Persetujuan.objects.create(wilayah_id="35.01", unit=Unit.objects.get(kode=UPT))
    assert [b.nama for b in engine.transisi_tersedia(p, pengguna("kaupt.pacitan"))] == [
        "setujui",
        "tolak",
    ]
    assert engine.transisi_tersedia(p, pengguna("upt.pacitan")) == []
    with pytest.raises(engine.TidakBerwenang) as e:
        engine.jalankan(p.setujui, user=pengguna("upt.pacitan"), now=SENIN)
    assert "Kepala UPT" in str(e.value) and e.value.status_http == 403
    with pytest.raises(engine.AlasanWajib) as e:
        engine.jalankan(p.tolak, user=pengguna("kaupt.pacitan"), catatan="  ", now=SENIN)
    assert e.value.status_http == 400
    with pytest.raises(engine.TidakBerwenang):  # another kabupaten's Kepala Dinas
        engine.jalankan(p.setujui, user=pengguna("kadis.inhil"), now=SENIN)
    p = engine.jalankan(p.setujui, user=pengguna("kaupt.pacitan"), now=SENIN)
    assert p.status == "disetujui"
    j = Jejak.objects.filter(**milik(p), transisi="setujui").get()
    assert j.peran.kode == "kepala_upt" and j.langkah is None and j.sop is None
    assert not LangkahBerjalan.objects.filter(**milik(p)).exists()  # no clock
    with pytest.raises(engine.StatusTidakMengizinkan):
        engine.jalankan(p.tolak, user=pengguna("kaupt.pacitan"), catatan="x", now=SENIN)


def test_sapuan_domain_terdaftar(monkeypatch):
    from sop import modul

    dipanggil = []

    def sapuan_contoh(now):
        dipanggil.append(now)
        return {"dibuka": 2}

    def sapuan_rusak(now):
        raise RuntimeError("rusak")

    monkeypatch.setattr("tests.sop.test_engine_jalan.sapuan_contoh", sapuan_contoh, raising=False)
    monkeypatch.setattr("tests.sop.test_engine_jalan.sapuan_rusak", sapuan_rusak, raising=False)
    contoh = modul.Modul(
        layanan="contoh",
        nama="Contoh",
        beranda="sop:beranda",
        sapuan=(
            "tests.sop.test_engine_jalan.sapuan_rusak",
            "tests.sop.test_engine_jalan.sapuan_contoh",
        ),
    )
    monkeypatch.setattr(modul, "semua_modul", lambda: [contoh])
    hasil = sapu(now=SENIN)
    assert hasil["sapuan"] == {
        "tests.sop.test_engine_jalan.sapuan_rusak": {"gagal": 1},
        "tests.sop.test_engine_jalan.sapuan_contoh": {"dibuka": 2},
    }
    assert dipanggil == [SENIN]


# ----------------------------------------------------------------- one guard, two paths
def _kasus_bpum(pengguna, buat):
    """(description, user, transition, kwargs) cases each path must refuse the same way."""
    return [
        ("bukan pelaksana", pengguna("kecamatan.tembilahan"), "tandai_lengkap", {}),
        ("hanya baca", pengguna("provinsi.riau"), "tandai_lengkap", {}),
        ("berkas kurang", pengguna("desa.tembilahan-kota"), "tandai_lengkap", {}),
        ("tanpa alasan", pengguna("desa.tembilahan-kota"), "kembalikan_berkas", {}),
        ("sistem", None, "tandai_lengkap", {}),
    ]


def test_satu_penjaga_pesan_sama_di_kedua_jalur(pengguna, buat_usulan):
    from sop import massal

    for ket, user, nama, _kw in _kasus_bpum(pengguna, buat_usulan):
        u = buat_usulan()
        with pytest.raises(engine.GagalTransisi) as satu:
            engine.jalankan(getattr(u, nama), user=user, now=SENIN)
        with pytest.raises(engine.GagalTransisi) as banyak, transaction.atomic():
            massal.jalankan_massal([u], nama, user=user, now=SENIN)
        assert type(satu.value) is type(banyak.value), ket
        assert str(banyak.value) == f"{u.nomor}: {satu.value}", ket
        assert satu.value.status_http == banyak.value.status_http, ket


@pytest.fixture
def buat_usulan(pengguna):
    from bpum import services
    from bpum.models import Periode
    from sop.models import Wilayah
    from tests.bpum.conftest import data_usulan

    n = [0]

    def _buat():
        n[0] += 1
        kosongkan_cache()
        return services.usulan_buat(
            user=pengguna("desa.tembilahan-kota"),
            desa=Wilayah.objects.get(kode="14.04.04.1001"),
            data=data_usulan(700 + n[0]),
            berkas={},
            periode=Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04"),
        )

    return _buat


def test_satu_transisi_paling_banyak_12_kueri(
    pengguna, buat_usulan, django_capture_on_commit_callbacks, monkeypatch
):
    """Issue 11: a single transition in at most 12 statements, the queued notification of the
    next step's performers included (transaction control, SAVEPOINT/RELEASE, not counted), with
    the production task backend (the notification itself runs in the worker)."""
    from asgiref.local import Local
    from django.db import connection
    from django.tasks import task_backends
    from django.test.utils import CaptureQueriesContext

    from bpum import services
    from bpum.models import Usulan
    from tests.bpum.conftest import berkas_lengkap

    user = pengguna("desa.tembilahan-kota")
    u = buat_usulan()
    for jenis, f in berkas_lengkap().items():
        services.usulan_unggah_dokumen(user=user, usulan=u, jenis=jenis, berkas=f)
    services.usulan_pernyataan(user=user, usulan=u, bukan_pegawai=True, tidak_menerima_kur=True)
    u = Usulan.objects.get(pk=u.pk)
    engine.transisi_tersedia(u, user)  # the page the officer clicked on: caches warm
    # the task backends are built once per process: the production one for this test only
    prod = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(task_backends, "_settings", prod)
    monkeypatch.setattr(task_backends, "_connections", Local(False))
    task_backends.__dict__.pop("settings", None)
    try:
        with (
            CaptureQueriesContext(connection) as q,
            django_capture_on_commit_callbacks(execute=True),
        ):
            services.usulan_transisi(
                user=user, usulan=u, nama="tandai_lengkap", status_terlihat="diajukan"
            )
    finally:
        task_backends.__dict__.pop("settings", None)
    sql = [x["sql"] for x in q.captured_queries if "SAVEPOINT" not in x["sql"]]
    assert Usulan.objects.get(pk=u.pk).status == "lengkap"
    assert len(sql) <= 12, "\n".join(s[:100] for s in sql)
    assert any("django_tasks" in s for s in sql)  # the notification was queued
