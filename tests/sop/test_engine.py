"""The engine: transitions per role and region, inputs, conflicts, the jejak, clocks."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sop import engine, services
from sop.jadwal import kosongkan_cache
from sop.models import HariLibur, Immutable, Jejak, Langkah, LangkahBerjalan, Permohonan, Sop, Unit

WIB = ZoneInfo("Asia/Jakarta")
SENIN = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB)  # Monday, a working day
JATIM_UNIT = "dinas-koperasi-ukm-prov-jatim"

# who performs each JaTim 5.4.6 step (fixtures/sop/jatim_546.json)
PELAKSANA = {
    "kepala_bidang": "jatim.kabid",
    "staf": "jatim.staf",
    "kepala_dinas": "jatim.kadis",
}

pytestmark = pytest.mark.django_db


def mulai(pengguna, now=SENIN, judul="Pelatihan perlindungan usaha 2026"):
    sop = Sop.objects.berlaku().get(kode="JATIM-5.4.6")
    return services.permohonan_mulai(
        user=pengguna("jatim.kabid"),
        sop=sop,
        unit=Unit.objects.get(kode=JATIM_UNIT),
        judul=judul,
        now=now,
    )


def pelaku(p, pengguna):
    lk = p.langkah_aktif()
    kode = sorted(r.kode for r in lk.pelaksana.all())[0]
    return pengguna(PELAKSANA[kode])


def test_mulai_mencatat_jejak_dan_jam(pengguna):
    p = mulai(pengguna)
    assert p.status == "bentuk-panitia"
    jam = engine.jam_terbuka(p)
    assert jam.tenggat == dt.datetime(2026, 11, 23, 9, 15, tzinfo=WIB)  # "15 Menit"
    assert [j.transisi for j in Jejak.objects.filter(object_id=str(p.pk))] == ["mulai"]


@pytest.mark.parametrize(
    ("username", "boleh"),
    [
        ("jatim.kabid", True),  # kepala_bidang, in the province of Jawa Timur
        ("jatim.staf", False),  # wrong role
        ("jatim.kadis", False),  # wrong role
        ("dinas.inhil", False),  # holds "staf" but in Indragiri Hilir: outside the region
        ("provinsi.riau", False),
        ("admin", False),  # a superuser is not a performer
    ],
)
def test_tabel_transisi_langkah_pertama(pengguna, username, boleh):
    p = mulai(pengguna)
    user = pengguna(username)
    tombol = [t.nama for t in engine.transisi_tersedia(p, user)]
    if boleh:
        assert tombol == ["selesaikan"]
        p = engine.jalankan(p.selesaikan, user=user, now=SENIN + dt.timedelta(minutes=10))
        assert p.status == "tetapkan-panitia"
    else:
        assert tombol == []
        with pytest.raises(engine.TidakBerwenang) as e:
            engine.jalankan(p.selesaikan, user=user, now=SENIN)
        assert "Kepala Bidang" in str(e.value)
        p = Permohonan.objects.get(pk=p.pk)
        assert p.status == "bentuk-panitia"
        assert Jejak.objects.filter(object_id=str(p.pk)).count() == 1


def test_jalan_lengkap_13_langkah_dengan_tiga_petugas(pengguna, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    p = mulai(pengguna)
    now = SENIN
    while p.status != "selesai":
        now += dt.timedelta(minutes=5)
        user = pelaku(p, pengguna)
        lk = p.langkah_aktif()
        if p.langkah_berikut(lk) == "selesai":
            with pytest.raises(engine.StatusTidakMengizinkan):
                engine.jalankan(p.selesaikan, user=user, now=now)
            services.permohonan_unggah_hasil(
                user=user,
                permohonan=p,
                berkas=SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 laporan"),
            )
            p = Permohonan.objects.get(pk=p.pk)
        p = engine.jalankan(p.selesaikan, user=user, now=now, catatan=f"langkah {lk.nomor}")
    jejak = list(Jejak.objects.filter(object_id=str(p.pk), content_type__model="permohonan"))
    assert len(jejak) == 14
    assert {j.user.username for j in jejak[1:]} == {"jatim.kabid", "jatim.staf", "jatim.kadis"}
    assert all(
        j.terlambat is False for j in jejak[1:] if j.langkah.batas["jenis"] != "tidak_dilacak"
    )
    assert jejak[-1].ke == "selesai"
    assert not LangkahBerjalan.objects.terbuka().filter(object_id=str(p.pk)).exists()


def test_terlambat_dicatat_dengan_menit_kerja(pengguna):
    p = mulai(pengguna)
    p = engine.jalankan(
        p.selesaikan, user=pengguna("jatim.kabid"), now=SENIN + dt.timedelta(minutes=20)
    )
    j = Jejak.objects.filter(object_id=str(p.pk), transisi="selesaikan").get()
    assert j.terlambat is True
    assert (j.menit_kerja, j.menit_batas) == (20, 15)
    assert j.peran.kode == "kepala_bidang"


def test_konflik_dua_petugas(pengguna):
    p = mulai(pengguna)
    basi = Permohonan.objects.get(pk=p.pk)
    engine.jalankan(p.selesaikan, user=pengguna("jatim.kabid"), now=SENIN)
    with pytest.raises(engine.Konflik) as e:
        engine.jalankan(basi.selesaikan, user=pengguna("jatim.kabid"), now=SENIN)
    assert "petugas lain" in str(e.value) or "another officer" in str(e.value)
    assert Jejak.objects.filter(object_id=str(p.pk)).count() == 2


def test_kelengkapan_wajib(pengguna, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    p = mulai(pengguna)
    Langkah.objects.filter(sop=p.sop, kode="bentuk-panitia").update(
        kelengkapan=["Komputer", "Draft SK Panitia"],
        kelengkapan_alat=["Komputer"],  # equipment is never required nor attached
        kelengkapan_wajib=["Draft SK Panitia"],
    )
    kosongkan_cache()  # an SOP in force never changes in place: forget the loaded one
    p = Permohonan.objects.get(pk=p.pk)
    kabid = pengguna("jatim.kabid")
    assert engine.transisi_tersedia(p, kabid) == []
    with pytest.raises(engine.KelengkapanKurang) as e:
        engine.jalankan(p.selesaikan, user=kabid, now=SENIN)
    assert e.value.kurang == ["Draft SK Panitia"]
    services.permohonan_lampirkan(
        user=kabid,
        permohonan=p,
        jenis="Draft SK Panitia",
        berkas=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
    )
    p = Permohonan.objects.get(pk=p.pk)
    assert engine.jalankan(p.selesaikan, user=kabid, now=SENIN).status == "tetapkan-panitia"


def test_jejak_tidak_bisa_diubah_atau_dihapus(pengguna):
    p = mulai(pengguna)
    j = Jejak.objects.filter(object_id=str(p.pk)).get()
    j.catatan = "diubah"
    with pytest.raises(Immutable):
        j.save()
    with pytest.raises(Immutable):
        j.delete()
    with pytest.raises(Immutable):
        Jejak.objects.filter(pk=j.pk).update(catatan="x")
    with pytest.raises(Immutable):
        Jejak.objects.filter(pk=j.pk).delete()


def test_jeda_dan_lanjut_menggeser_tenggat(pengguna):
    p = mulai(pengguna)
    jam = engine.jam_terbuka(p)
    assert jam.tenggat == SENIN + dt.timedelta(minutes=15)
    engine._jeda_jam(jam, SENIN + dt.timedelta(minutes=5))
    # resumed next day at 09:00: paused working time = 09:05-16:00 (minus lunch) + 07:30-09:00
    engine._lanjut_jam(jam, SENIN + dt.timedelta(days=1))
    jam.refresh_from_db()
    jeda = (6 * 60 + 55 - 60) + 90
    assert jam.menit_jeda == jeda
    assert jam.tenggat == dt.datetime(2026, 11, 24, 9, 10, tzinfo=WIB)


def test_mulai_ulang_jam_harus_beralasan_dan_tercatat(pengguna):
    p = mulai(pengguna)
    kabid = pengguna("jatim.kabid")
    with pytest.raises(engine.GagalTransisi):
        engine.mulai_ulang_jam(p, user=kabid, alasan="  ")
    engine.mulai_ulang_jam(
        p, user=kabid, alasan="Berkas baru diterima", now=SENIN + dt.timedelta(hours=2)
    )
    j = Jejak.objects.filter(object_id=str(p.pk), transisi="mulai_ulang_jam").get()
    assert j.catatan == "Berkas baru diterima" and j.publik is False
    assert engine.jam_terbuka(p).tenggat == SENIN + dt.timedelta(hours=2, minutes=15)


def test_hari_libur_baru_menghitung_ulang_langkah_berjalan_saja(
    pengguna, django_capture_on_commit_callbacks
):
    p = mulai(pengguna, now=dt.datetime(2026, 11, 26, 15, 0, tzinfo=WIB))  # Thursday 15:00
    p = engine.jalankan(
        p.selesaikan, user=pengguna("jatim.kabid"), now=dt.datetime(2026, 11, 26, 15, 5, tzinfo=WIB)
    )
    sebelum = Jejak.objects.filter(object_id=str(p.pk), transisi="selesaikan").get().tenggat
    jam = engine.jam_terbuka(p)  # "30 Menit" from Thu 15:05 -> 15:35
    assert jam.tenggat == dt.datetime(2026, 11, 26, 15, 35, tzinfo=WIB)
    with django_capture_on_commit_callbacks(execute=True):
        HariLibur.objects.create(
            tanggal=dt.date(2026, 11, 26), nama="Libur daerah uji", jenis="libur_daerah"
        )
    jam.refresh_from_db()
    assert jam.tenggat == dt.datetime(2026, 11, 27, 8, 0, tzinfo=WIB)  # Friday 07:30 + 30 menit
    assert Jejak.objects.filter(object_id=str(p.pk), transisi="selesaikan").get().tenggat == sebelum


def test_revisi_sop_tidak_mengubah_permohonan_berjalan(pengguna):
    from sop.pertukaran import impor, sop_ke_dict

    p = mulai(pengguna)
    d = sop_ke_dict(p.sop, dengan_batas=False)
    d["langkah"][0]["waktu"] = "30 Menit"
    hasil = impor([d])
    assert hasil.revisi_baru == ["JATIM-5.4.6"]
    baru = Sop.objects.berlaku().get(kode="JATIM-5.4.6")
    assert baru.revisi == p.sop.revisi + 1
    p = Permohonan.objects.get(pk=p.pk)
    assert p.sop.revisi == 1 and p.langkah_aktif().waktu == "15 Menit"
    assert impor([d]).sama == ["JATIM-5.4.6"]


def test_jejak_ditolak_basis_data_postgresql(pengguna):
    """On PostgreSQL a trigger refuses UPDATE/DELETE of audit rows even through raw SQL."""
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the database trigger is PostgreSQL-only; SQLite keeps the ORM guard")
    p = mulai(pengguna)
    j = Jejak.objects.filter(object_id=str(p.pk)).get()
    for sql in (
        "UPDATE sop_jejak SET catatan = 'x' WHERE id = %s",
        "DELETE FROM sop_jejak WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [j.pk])
    assert Jejak.objects.get(pk=j.pk).catatan == ""
