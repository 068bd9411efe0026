"""Transition table per role and tier (allowed / forbidden, with the Indonesian messages),
the clock pause on a returned file, strict tier order, frozen batches, the step log."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from bpum import services
from bpum.models import AlasanPengembalian, Rekap, Usulan
from sop.engine import GagalTransisi, Konflik, TidakBerwenang, transisi_tersedia
from sop.models import Jejak, LangkahBerjalan, Wilayah

from .conftest import DESA_PK, DESA_TK, SENIN, data_usulan

pytestmark = pytest.mark.django_db
S = Usulan.Status


def jejak(u):
    ct = ContentType.objects.get_for_model(Usulan)
    return list(Jejak.objects.filter(content_type=ct, object_id=str(u.pk)).order_by("pk"))


def jam(u):
    ct = ContentType.objects.get_for_model(Usulan)
    return LangkahBerjalan.objects.filter(content_type=ct, object_id=str(u.pk)).order_by("pk")


# ------------------------------------------------------------------------- intake
@pytest.mark.parametrize(
    ("username", "pesan"),
    [
        ("desa.tembilahan-kota", None),
        ("desa.sungaiperak", "Petugas Desa/Kelurahan di kantor yang wilayahnya mencakup"),
        (
            "kecamatan.tembilahan",
            "Penerimaan usulan hanya dapat dilakukan oleh Petugas Desa/Kelurahan",
        ),
        ("dinas.inhil", "Penerimaan usulan hanya dapat dilakukan oleh Petugas Desa/Kelurahan"),
        ("provinsi.riau", "hanya baca"),
        ("admin", "Penerimaan usulan hanya dapat dilakukan"),
    ],
)
def test_penerimaan_per_peran(pengguna, periode, username, pesan):
    desa = Wilayah.objects.get(kode=DESA_TK)
    kirim = dict(user=pengguna(username), desa=desa, data=data_usulan(1), periode=periode)
    if pesan is None:
        u = services.usulan_buat(**kirim, now=SENIN)
        assert u.status == S.DIAJUKAN and u.nomor.startswith("BPUM-")
        assert [j.transisi for j in jejak(u)] == ["mulai"]
        assert jam(u).get().langkah.kode == "desa-proses-berkas"
    else:
        with pytest.raises(TidakBerwenang) as e:
            services.usulan_buat(**kirim)
        assert pesan in str(e.value)
        assert not Usulan.objects.exists()


def test_penerimaan_validasi_data(pengguna, periode):
    desa = Wilayah.objects.get(kode=DESA_TK)
    with pytest.raises(ValidationError) as e:
        services.usulan_buat(
            user=pengguna("desa.tembilahan-kota"),
            desa=desa,
            periode=periode,
            data=data_usulan(1, nik="14040412019", no_kk="12", nama=" ", no_hp="0768-21234"),
        )
    d = e.value.message_dict
    assert d["nik"] == ["NIK tidak valid: harus 16 digit angka (terisi 11 digit)."]
    assert d["no_kk"] == ["No KK harus 16 digit angka (terisi 2 digit)."]
    assert d["nama"] == ["Nama lengkap wajib diisi."]
    assert "bukan nomor seluler" in d["no_hp"][0]


def test_nik_perempuan_tanggal_plus_40(buat):
    u = buat(3, nik="1404045203850002")  # 12-03-1985 + 40
    assert u.nik == "1404045203850002"


def test_periode_tertutup_menolak(pengguna, periode):
    import datetime as dt

    periode.ditutup = dt.date(2021, 12, 31)
    periode.save()
    with pytest.raises(ValidationError) as e:
        services.usulan_buat(
            user=pengguna("desa.tembilahan-kota"),
            periode=periode,
            desa=Wilayah.objects.get(kode=DESA_TK),
            data=data_usulan(1),
        )
    assert "tidak dibuka" in str(e.value)


# ------------------------------------------------------------------------- village step
@pytest.mark.parametrize(
    ("username", "boleh", "pesan"),
    [
        ("desa.tembilahan-kota", True, None),
        ("desa.sungaiperak", False, "hanya boleh dilakukan oleh Petugas Desa/Kelurahan"),
        ("kecamatan.tembilahan", False, "hanya boleh dilakukan oleh Petugas Desa/Kelurahan"),
        ("dinas.inhil", False, "hanya boleh dilakukan oleh Petugas Desa/Kelurahan"),
        ("provinsi.riau", False, "hanya baca"),
    ],
)
def test_tabel_tandai_lengkap(pengguna, buat, username, boleh, pesan):
    u = buat(1)
    user = pengguna(username)
    tombol = {t.nama for t in transisi_tersedia(u, user)}
    if boleh:
        assert tombol == {"tandai_lengkap", "kembalikan_berkas"}
        u = services.usulan_transisi(user=user, usulan=u, nama="tandai_lengkap")
        assert u.status == S.LENGKAP
        j = jejak(u)[-1]
        assert (j.transisi, j.dari, j.ke, j.user, j.peran.kode) == (
            "tandai_lengkap",
            "diajukan",
            "lengkap",
            user,
            "petugas_desa",
        )
        assert jam(u).filter(selesai__isnull=True).get().langkah.kode == "kecamatan-rekap"
    else:
        assert tombol == set()
        with pytest.raises(TidakBerwenang) as e:
            services.usulan_transisi(user=user, usulan=u, nama="tandai_lengkap")
        assert pesan in str(e.value)
        assert Usulan.objects.get(pk=u.pk).status == S.DIAJUKAN
        assert len(jejak(u)) == 1


def test_berkas_kurang_tidak_bisa_lengkap(pengguna, buat):
    u = buat(1, lengkap=False, bukan_pegawai="")
    with pytest.raises(GagalTransisi) as e:
        services.usulan_transisi(
            user=pengguna("desa.tembilahan-kota"), usulan=u, nama="tandai_lengkap"
        )
    pesan = str(e.value)
    assert pesan.startswith("“Tandai lengkap” belum dapat dilakukan:")
    assert "KTP" in pesan and "bukan ASN/TNI/Polri" in pesan
    assert "tidak sedang menerima KUR" not in pesan


def test_kembalikan_berkas_menjeda_jam_lalu_lanjut(pengguna, buat):
    import datetime as dt

    desa = pengguna("desa.tembilahan-kota")
    u = buat(1, lengkap=False)
    with pytest.raises(GagalTransisi) as e:
        services.usulan_transisi(user=desa, usulan=u, nama="kembalikan_berkas")
    assert str(e.value) == "Pilih minimal satu alasan pengembalian berkas."
    alasan = list(AlasanPengembalian.objects.filter(kode__in=["ktp-tidak-ada", "kk-tidak-ada"]))
    u = services.usulan_transisi(
        user=desa,
        usulan=u,
        nama="kembalikan_berkas",
        alasan_ids=[a.pk for a in alasan],
        catatan="bawa besok",
        now=SENIN,
    )
    assert u.status == S.DIKEMBALIKAN
    assert set(u.alasan_pengembalian.all()) == set(alasan)
    j = jam(u).get()
    assert j.dijeda_sejak == SENIN and j.selesai is None
    assert "KTP tidak ada" in jejak(u)[-1].catatan and "bawa besok" in jejak(u)[-1].catatan
    # the applicant comes back two hours later with the documents
    u = services.usulan_transisi(
        user=desa, usulan=u, nama="lengkapi_berkas", now=SENIN + dt.timedelta(hours=2)
    )
    assert u.status == S.DIAJUKAN
    j = jam(u).get()  # the same clock: resumed, not restarted
    assert j.dijeda_sejak is None and j.menit_jeda == 120 and j.selesai is None


# ------------------------------------------------------------------------- district
def test_kecamatan_rekap_dan_kirim(pengguna, periode, sampai):
    us = sampai("lengkap", 3)
    kec = Wilayah.objects.get(kode="14.04.04")
    reteh = pengguna("kecamatan.reteh")
    with pytest.raises(TidakBerwenang) as e:
        services.rekap_terbuka(
            user=reteh, periode=periode, wilayah=kec, tingkat=Rekap.Tingkat.KECAMATAN
        )
    assert "Menyusun rekap hanya dapat dilakukan oleh Petugas Kecamatan" in str(e.value)
    petugas = pengguna("kecamatan.tembilahan")
    rekap = services.rekap_terbuka(
        user=petugas, periode=periode, wilayah=kec, tingkat=Rekap.Tingkat.KECAMATAN
    )
    assert (
        services.rekap_terbuka(
            user=petugas, periode=periode, wilayah=kec, tingkat=Rekap.Tingkat.KECAMATAN
        )
        == rekap
    )  # one open batch
    with pytest.raises(GagalTransisi, match="Rekap masih kosong"):
        services.rekap_kirim(user=petugas, rekap=rekap)
    assert services.rekap_tambah(user=petugas, rekap=rekap, usulan_ids=[us[0].pk, us[1].pk]) == 2
    assert services.rekap_keluarkan(user=petugas, rekap=rekap, usulan_ids=[us[1].pk]) == 1
    assert services.rekap_tambah(user=petugas, rekap=rekap) == 2  # all remaining
    rekap = services.rekap_kirim(user=petugas, rekap=rekap)
    assert rekap.status == Rekap.Status.DIKIRIM and rekap.jumlah == 3
    assert set(Usulan.objects.values_list("status", flat=True)) == {S.DIREKAP}
    for u in us:
        j = jejak(u)[-1]
        assert (j.transisi, j.user, j.peran.kode) == (
            "kirim_ke_dinas",
            petugas,
            "petugas_kecamatan",
        )
        assert jam(u).filter(selesai__isnull=True).get().langkah.kode == "dinas-himpun-kirim"
    # frozen once sent
    with pytest.raises(GagalTransisi, match="sudah dikirim dan tidak dapat diubah"):
        services.rekap_tambah(user=petugas, rekap=rekap)
    with pytest.raises(GagalTransisi, match="sudah dikirim dan tidak dapat diubah"):
        services.rekap_keluarkan(user=petugas, rekap=rekap, usulan_ids=[us[0].pk])


def test_kecamatan_tidak_bisa_merekap_usulan_desa_yang_belum_lengkap(pengguna, periode, buat):
    u = buat(1)  # still at the village
    petugas = pengguna("kecamatan.tembilahan")
    rekap = services.rekap_terbuka(
        user=petugas,
        periode=periode,
        wilayah=Wilayah.objects.get(kode="14.04.04"),
        tingkat=Rekap.Tingkat.KECAMATAN,
    )
    assert services.rekap_tambah(user=petugas, rekap=rekap, usulan_ids=[u.pk]) == 0
    with pytest.raises(GagalTransisi, match="per rekap"):
        services.usulan_transisi(user=petugas, usulan=u, nama="kirim_ke_dinas")


def test_kecamatan_mengembalikan_ke_desa(pengguna, sampai):
    (u,) = sampai("lengkap")
    petugas = pengguna("kecamatan.tembilahan")
    with pytest.raises(GagalTransisi, match="Tuliskan alasan untuk"):
        services.usulan_transisi(user=petugas, usulan=u, nama="kembalikan_ke_desa")
    u = services.usulan_transisi(
        user=petugas, usulan=u, nama="kembalikan_ke_desa", catatan="alamat tidak jelas"
    )
    assert u.status == S.DIAJUKAN
    assert jam(u).filter(selesai__isnull=True).get().langkah.kode == "desa-proses-berkas"


# ------------------------------------------------------------------------- agency
@pytest.mark.parametrize(
    ("username", "boleh", "pesan"),
    [
        ("dinas.inhil", True, None),
        ("kadis.inhil", False, "Staf Dinas Koperasi"),
        ("kecamatan.tembilahan", False, "Staf Dinas Koperasi"),
        ("desa.tembilahan-kota", False, "Staf Dinas Koperasi"),
        ("provinsi.riau", False, "hanya baca"),
    ],
)
def test_tabel_dinas_terima_rekap(pengguna, sampai, username, boleh, pesan):
    (u,) = sampai("direkap")
    rekap = u.rekap_kecamatan
    user = pengguna(username)
    if boleh:
        services.rekap_terima(user=user, rekap=rekap)
        assert Usulan.objects.get(pk=u.pk).status == S.DIVERIFIKASI
        assert Rekap.objects.get(pk=rekap.pk).status == Rekap.Status.DITERIMA
        # accepting is a checkpoint inside the agency's step: its clock keeps running
        assert jam(u).filter(selesai__isnull=True).get().langkah.kode == "dinas-himpun-kirim"
        assert jam(u).filter(langkah__kode="dinas-himpun-kirim").count() == 1
    else:
        with pytest.raises(TidakBerwenang) as e:
            services.rekap_terima(user=user, rekap=rekap)
        assert pesan in str(e.value)
        assert Usulan.objects.get(pk=u.pk).status == S.DIREKAP


def test_dinas_tidak_bisa_mendahului_kecamatan(pengguna, periode, sampai):
    """Strict tier order: the agency acts only on batches the district has sent."""
    us = sampai("lengkap", 2)
    petugas = pengguna("kecamatan.tembilahan")
    rekap = services.rekap_terbuka(
        user=petugas,
        periode=periode,
        wilayah=Wilayah.objects.get(kode="14.04.04"),
        tingkat=Rekap.Tingkat.KECAMATAN,
    )
    services.rekap_tambah(user=petugas, rekap=rekap)
    dinas = pengguna("dinas.inhil")
    with pytest.raises(GagalTransisi, match="Hanya rekap yang sudah dikirim yang dapat diterima"):
        services.rekap_terima(user=dinas, rekap=rekap)
    with pytest.raises(GagalTransisi, match="sudah dikirim yang dapat dikembalikan"):
        services.rekap_kembalikan(user=dinas, rekap=rekap, catatan="x")
    with pytest.raises(GagalTransisi, match="per rekap"):
        services.usulan_transisi(user=dinas, usulan=us[0], nama="terima_dinas")
    rk, n, _ = services.rekap_kabupaten_susun(user=dinas, periode=periode)
    assert n == 0  # nothing verified yet: nothing to send to the province
    with pytest.raises(GagalTransisi, match="Rekap masih kosong"):
        services.rekap_kirim(user=dinas, rekap=rk)
    # the ministry's answer only for forwarded proposals
    with pytest.raises(GagalTransisi, match="tidak diizinkan selama status"):
        services.usulan_transisi(user=dinas, usulan=us[0], nama="terima_kementerian")
    assert set(Usulan.objects.values_list("status", flat=True)) == {S.LENGKAP}


def test_dinas_mengembalikan_rekap_lalu_kecamatan_kirim_ulang(pengguna, sampai):
    us = sampai("direkap", 2)
    rekap = us[0].rekap_kecamatan
    dinas = pengguna("dinas.inhil")
    with pytest.raises(GagalTransisi, match="Tuliskan alasan"):
        services.rekap_kembalikan(user=dinas, rekap=rekap, catatan=" ")
    rekap = services.rekap_kembalikan(user=dinas, rekap=rekap, catatan="2 NIK salah ketik")
    assert rekap.status == Rekap.Status.DIKEMBALIKAN and rekap.catatan == "2 NIK salah ketik"
    assert set(Usulan.objects.values_list("status", flat=True)) == {S.LENGKAP}
    petugas = pengguna("kecamatan.tembilahan")
    services.rekap_keluarkan(user=petugas, rekap=rekap, usulan_ids=[us[1].pk])
    rekap = services.rekap_kirim(user=petugas, rekap=rekap)
    assert rekap.status == Rekap.Status.DIKIRIM and rekap.jumlah == 1
    assert Usulan.objects.get(pk=us[0].pk).status == S.DIREKAP
    assert Usulan.objects.get(pk=us[1].pk).status == S.LENGKAP


def test_konflik_status_rekap(pengguna, sampai):
    (u,) = sampai("lengkap")
    petugas = pengguna("kecamatan.tembilahan")
    rekap = services.rekap_terbuka(
        user=petugas,
        periode=u.periode,
        wilayah=Wilayah.objects.get(kode="14.04.04"),
        tingkat=Rekap.Tingkat.KECAMATAN,
    )
    services.rekap_tambah(user=petugas, rekap=rekap)
    services.rekap_kirim(user=petugas, rekap=rekap, status_terlihat="disusun")
    with pytest.raises(Konflik):
        services.rekap_kirim(user=petugas, rekap=rekap, status_terlihat="disusun")


def test_jalan_lengkap_sampai_kementerian(pengguna, periode, sampai):
    us = sampai("diverifikasi", 2) + sampai("diverifikasi", 1, desa=DESA_PK, mulai=10)
    dinas = pengguna("dinas.inhil")
    rk, n, ditahan = services.rekap_kabupaten_susun(user=dinas, periode=periode)
    assert (n, ditahan) == (3, 0) and rk.tingkat == Rekap.Tingkat.KABUPATEN
    # the province only oversees: it cannot send, forward or answer
    with pytest.raises(TidakBerwenang, match="hanya baca"):
        services.rekap_kirim(user=pengguna("provinsi.riau"), rekap=rk)
    rk = services.rekap_kirim(user=dinas, rekap=rk)
    assert set(Usulan.objects.values_list("status", flat=True)) == {S.DIKIRIM_PROVINSI}
    # the agency records what the province did (petugas_provinsi is recorded by staf_dinas)
    services.rekap_terima(user=dinas, rekap=rk)
    assert set(Usulan.objects.values_list("status", flat=True)) == {S.DITERUSKAN}
    j = jejak(us[0])[-1]
    assert (j.transisi, j.peran.kode) == ("teruskan_kementerian", "staf_dinas")
    us = [Usulan.objects.get(pk=u.pk) for u in us]
    u = services.usulan_transisi(user=dinas, usulan=us[0], nama="terima_kementerian")
    assert u.status == S.DITERIMA
    with pytest.raises(GagalTransisi, match="Tuliskan alasan untuk"):
        services.usulan_transisi(user=dinas, usulan=us[1], nama="tolak_kementerian")
    u = services.usulan_transisi(
        user=dinas, usulan=us[1], nama="tolak_kementerian", catatan="Sudah menerima KUR"
    )
    assert (u.status, u.keterangan_kementerian) == (S.DITOLAK, "Sudah menerima KUR")
    assert not jam(u).filter(selesai__isnull=True).exists()  # finished: no open clock
    kec = pengguna("kecamatan.tembilahan")
    with pytest.raises(TidakBerwenang):
        services.usulan_transisi(
            user=kec, usulan=Usulan.objects.get(pk=us[2].pk), nama="terima_kementerian"
        )
    urutan = [j.transisi for j in jejak(us[0])]
    assert urutan == [
        "mulai",
        "tandai_lengkap",
        "kirim_ke_dinas",
        "terima_dinas",
        "kirim_provinsi",
        "teruskan_kementerian",
        "terima_kementerian",
    ]


def test_provinsi_mengembalikan_rekap_kabupaten(pengguna, periode, sampai):
    sampai("dikirim_provinsi", 2)
    dinas = pengguna("dinas.inhil")
    rk = Rekap.objects.get(tingkat=Rekap.Tingkat.KABUPATEN)
    services.rekap_kembalikan(user=dinas, rekap=rk, catatan="format tidak sesuai")
    assert set(Usulan.objects.values_list("status", flat=True)) == {S.DIVERIFIKASI}
    rk2, n, _ = services.rekap_kabupaten_susun(user=dinas, periode=periode)
    assert rk2 == rk and n == 0
    assert services.rekap_kirim(user=dinas, rekap=rk).status == Rekap.Status.DIKIRIM


def test_rekap_500_usulan_cepat_dan_query_terbatas(pengguna, periode, banyak):
    """Sending a batch of 500 proposals: one jejak per proposal, bulk writes, bounded queries."""
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    objs = banyak(500, status=S.LENGKAP)
    petugas = pengguna("kecamatan.tembilahan")
    rekap = services.rekap_terbuka(
        user=petugas,
        periode=periode,
        wilayah=Wilayah.objects.get(kode="14.04.04"),
        tingkat=Rekap.Tingkat.KECAMATAN,
    )
    assert services.rekap_tambah(user=petugas, rekap=rekap) == 500
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        services.rekap_kirim(user=petugas, rekap=rekap)
    detik = time.perf_counter() - t0
    assert len(ctx.captured_queries) < 60, len(ctx.captured_queries)
    assert detik < 5
    ct = ContentType.objects.get_for_model(Usulan)
    assert Jejak.objects.filter(content_type=ct, transisi="kirim_ke_dinas").count() == 500
    assert (
        LangkahBerjalan.objects.filter(
            content_type=ct, selesai__isnull=True, langkah__kode="dinas-himpun-kirim"
        ).count()
        == 500
    )
    assert Usulan.objects.filter(pk__in=[o.pk for o in objs], status=S.DIREKAP).count() == 500


def test_kirim_rekap_memberi_tahu_dinas_sekali(
    pengguna, periode, sampai, django_capture_on_commit_callbacks
):
    from sop.models import Notifikasi

    us = sampai("lengkap", 3)
    petugas = pengguna("kecamatan.tembilahan")
    rekap = services.rekap_terbuka(
        user=petugas,
        periode=periode,
        wilayah=Wilayah.objects.get(kode="14.04.04"),
        tingkat=Rekap.Tingkat.KECAMATAN,
    )
    services.rekap_tambah(user=petugas, rekap=rekap)
    with django_capture_on_commit_callbacks(execute=True):
        services.rekap_kirim(user=petugas, rekap=rekap)
    n = Notifikasi.objects.filter(user=pengguna("dinas.inhil"), kunci__startswith="bpum:")
    assert n.count() == 1
    assert "3 usulan" in n.get().isi and n.get().url.startswith("/bpum/usulan/?status=direkap")
    assert len(us) == 3
