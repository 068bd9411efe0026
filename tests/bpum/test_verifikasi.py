"""Verification that matches the work (issue 10): row by row inside a district batch, the
district's physical check of imported rows, the completeness column, reasons with every return,
and the confirmation before a batch is sent."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bpum import services, verifikasi
from bpum.models import AlasanPengembalian, PemeriksaanBerkas, Rekap, Usulan
from bpum.selectors import q_kurang
from sop.engine import AlasanWajib, GagalTransisi, Konflik, TidakBerwenang
from sop.models import Jejak, Notifikasi, RiwayatPerubahan, Wilayah
from sop.models.jejak import Immutable

from .conftest import KEC_TEMBILAHAN

pytestmark = pytest.mark.django_db
S = Usulan.Status


def alasan(*kode):
    return [a.pk for a in AlasanPengembalian.objects.filter(kode__in=kode)]


def jejak(u):
    ct = ContentType.objects.get_for_model(Usulan)
    return list(Jejak.objects.filter(content_type=ct, object_id=str(u.pk)).order_by("pk"))


@pytest.fixture
def impor_rekap(pengguna, periode, banyak):
    """impor_rekap(n) -> a district batch (open) of n imported rows without scans."""

    def _buat(n, *, mulai=3000):
        objs = banyak(n, status=S.LENGKAP, mulai=mulai)
        Usulan.objects.filter(pk__in=[o.pk for o in objs]).update(sumber=Usulan.Sumber.IMPOR)
        petugas = pengguna("kecamatan.tembilahan")
        rekap = services.rekap_terbuka(
            user=petugas,
            periode=periode,
            wilayah=Wilayah.objects.get(kode=KEC_TEMBILAHAN),
            tingkat=Rekap.Tingkat.KECAMATAN,
        )
        services.rekap_tambah(user=petugas, rekap=rekap, usulan_ids=[o.pk for o in objs])
        return rekap, [Usulan.objects.get(pk=o.pk) for o in objs]

    return _buat


def test_row_by_row_accept_and_return(pengguna, sampai, django_capture_on_commit_callbacks):
    us = sampai("direkap", 4)
    rekap = us[0].rekap_kecamatan
    dinas = pengguna("dinas.inhil")
    hasil = verifikasi.rekap_verifikasi_baris(
        user=dinas, rekap=rekap, usulan_ids=[us[0].pk, us[1].pk], keputusan="terima"
    )
    assert hasil == {"diterima": 2, "dikembalikan": 0, "rekap": Rekap.Status.DIKIRIM}
    assert jejak(us[0])[-1].catatan == f"Rekap {rekap.nomor}"
    # "Lainnya" needs a note; nothing changes on the refusal
    with pytest.raises(AlasanWajib, match="perlu catatan"):
        verifikasi.rekap_verifikasi_baris(
            user=dinas,
            rekap=rekap,
            usulan_ids=[us[2].pk],
            keputusan="kembalikan",
            alasan_ids=alasan("lainnya"),
        )
    with pytest.raises(AlasanWajib, match="Pilih minimal satu alasan"):
        verifikasi.rekap_verifikasi_baris(
            user=dinas, rekap=rekap, usulan_ids=[us[2].pk], keputusan="kembalikan"
        )
    with django_capture_on_commit_callbacks(execute=True):
        hasil = verifikasi.rekap_verifikasi_baris(
            user=dinas,
            rekap=rekap,
            usulan_ids=[us[2].pk],
            keputusan="kembalikan",
            alasan_ids=alasan("data-tidak-sesuai", "lainnya"),
            catatan="alamat beda dengan KTP",
        )
    assert hasil["dikembalikan"] == 1
    kembali = Usulan.objects.get(pk=us[2].pk)
    assert (kembali.status, kembali.rekap_kecamatan_id) == (S.LENGKAP, None)  # left the batch
    assert {a.kode for a in kembali.alasan_pengembalian.all()} == {"data-tidak-sesuai", "lainnya"}
    assert "alamat beda dengan KTP" in jejak(kembali)[-1].catatan
    n = Notifikasi.objects.get(
        user=pengguna("kecamatan.tembilahan"), kunci__startswith="bpum:kembali:baris:"
    )
    assert "alamat beda dengan KTP" in n.isi and kembali.nomor in n.isi
    assert not Notifikasi.objects.filter(
        user=pengguna("kecamatan.reteh"), kunci__startswith="bpum:kembali:"
    ).exists()
    # a row already decided cannot be decided again
    with pytest.raises(Konflik, match="tidak lagi menunggu"):
        verifikasi.rekap_verifikasi_baris(
            user=dinas, rekap=rekap, usulan_ids=[us[0].pk, us[3].pk], keputusan="terima"
        )
    # the last waiting row: the batch closes as accepted, with what moved on
    hasil = verifikasi.rekap_verifikasi_baris(
        user=dinas, rekap=rekap, usulan_ids=[us[3].pk], keputusan="terima"
    )
    rekap.refresh_from_db()
    assert hasil["rekap"] == rekap.status == Rekap.Status.DITERIMA and rekap.jumlah == 3
    statuses = dict(Usulan.objects.values_list("pk", "status"))
    assert [statuses[u.pk] for u in us] == [S.DIVERIFIKASI] * 2 + [S.LENGKAP, S.DIVERIFIKASI]
    # the district fixes the returned one and sends it in a new batch
    kec = pengguna("kecamatan.tembilahan")
    baru = services.rekap_terbuka(
        user=kec, periode=rekap.periode, wilayah=rekap.wilayah, tingkat=Rekap.Tingkat.KECAMATAN
    )
    assert baru != rekap and services.rekap_tambah(user=kec, rekap=baru) == 1


def test_every_row_returned_closes_the_batch(pengguna, sampai):
    us = sampai("direkap", 2)
    rekap = us[0].rekap_kecamatan
    hasil = verifikasi.rekap_verifikasi_baris(
        user=pengguna("dinas.inhil"),
        rekap=rekap,
        usulan_ids=[u.pk for u in us],
        keputusan="kembalikan",
        alasan_ids=alasan("sku-tidak-ada"),
    )
    rekap.refresh_from_db()
    assert hasil["rekap"] == rekap.status == Rekap.Status.DITUTUP and rekap.jumlah == 0
    assert not rekap.terbuka
    assert set(Usulan.objects.values_list("status", "rekap_kecamatan")) == {(S.LENGKAP, None)}


def test_only_the_agency_decides_rows(pengguna, sampai):
    us = sampai("direkap", 1)
    rekap = us[0].rekap_kecamatan
    for username, pesan in (
        ("kecamatan.tembilahan", "Staf Dinas"),
        ("provinsi.riau", "hanya baca"),
        ("petugas.riau", "Staf Dinas"),
    ):
        with pytest.raises(TidakBerwenang, match=pesan):
            verifikasi.rekap_verifikasi_baris(
                user=pengguna(username), rekap=rekap, usulan_ids=[us[0].pk], keputusan="terima"
            )
    assert Usulan.objects.get(pk=us[0].pk).status == S.DIREKAP


def test_incomplete_rows_need_a_recorded_reason(pengguna, impor_rekap):
    rekap, us = impor_rekap(3)
    kec = pengguna("kecamatan.tembilahan")
    rekap = services.rekap_kirim(user=kec, rekap=rekap)
    assert all(u.kurang_verifikasi() for u in us)
    dinas = pengguna("dinas.inhil")
    with pytest.raises(AlasanWajib) as e:
        verifikasi.rekap_verifikasi_baris(
            user=dinas, rekap=rekap, usulan_ids=[us[0].pk], keputusan="terima"
        )
    assert us[0].nomor in str(e.value) and "KTP" in str(e.value)
    with pytest.raises(AlasanWajib):
        services.rekap_terima(user=dinas, rekap=rekap)  # the whole batch too
    assert set(Usulan.objects.values_list("status", flat=True)) == {S.DIREKAP}
    verifikasi.rekap_verifikasi_baris(
        user=dinas,
        rekap=rekap,
        usulan_ids=[us[0].pk],
        keputusan="terima",
        catatan="berkas dilihat langsung di kantor camat",
    )
    c = jejak(us[0])[-1].catatan
    assert "tanpa berkas lengkap" in c and "berkas dilihat langsung" in c and "KTP" in c
    services.rekap_terima(user=dinas, rekap=rekap, catatan="sudah dikonfirmasi camat")
    assert set(Usulan.objects.values_list("status", flat=True)) == {S.DIVERIFIKASI}


def test_physical_check_certificate(pengguna, periode, impor_rekap):
    rekap, us = impor_rekap(4)
    kec = pengguna("kecamatan.tembilahan")
    kecamatan = Wilayah.objects.get(kode=KEC_TEMBILAHAN)
    hari_ini = timezone.localdate()
    base = {"user": kec, "periode": periode, "kecamatan": kecamatan, "pemeriksa": "Budi"}
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as e:
        verifikasi.usulan_periksa_fisik(
            **base,
            usulan_ids=[us[0].pk],
            tanggal=hari_ini + dt.timedelta(days=1),
            dokumen=[],
        )
    assert set(e.value.message_dict) == {"tanggal", "dokumen"}
    with pytest.raises(TidakBerwenang):
        verifikasi.usulan_periksa_fisik(
            **{**base, "user": pengguna("desa.tembilahan-kota")},
            usulan_ids=[us[0].pk],
            tanggal=hari_ini,
            dokumen=["ktp"],
        )
    assert Usulan.objects.filter(periode=periode).filter(q_kurang(periode)).count() == 4
    s = verifikasi.usulan_periksa_fisik(
        **base,
        usulan_ids=[us[0].pk, us[1].pk],
        tanggal=hari_ini,
        dokumen=["ktp", "kk", "usaha", "foto", "pernyataan"],
        catatan="diperiksa di kantor camat",
    )
    assert (s.jumlah, s.pemeriksa, s.user) == (2, "Budi", kec)
    partial = verifikasi.usulan_periksa_fisik(
        **base, usulan_ids=[us[2].pk], tanggal=hari_ini, dokumen=["ktp", "kk"]
    )
    ada = {u.pk: Usulan.objects.get(pk=u.pk) for u in us}
    assert ada[us[0].pk].kurang_verifikasi() == [] and ada[us[0].pk].pemeriksaan == s
    assert "Business certificate" not in " ".join(ada[us[2].pk].kurang_verifikasi())
    assert ada[us[2].pk].kurang_verifikasi() == [
        "Surat Keterangan Usaha (SKU) atau NIB",
        "Foto usaha",
        "pernyataan pemohon",
    ]
    # the SQL form agrees with the Python one
    kurang_sql = set(Usulan.objects.filter(q_kurang(periode)).values_list("pk", flat=True))
    assert kurang_sql == {pk for pk, u in ada.items() if u.kurang_verifikasi()}
    assert kurang_sql == {us[2].pk, us[3].pk}
    assert RiwayatPerubahan.objects.filter(field="pemeriksaan").count() == 3
    with pytest.raises(Immutable):
        partial.catatan = "ubah"
        partial.save()
    # not once the batch is sent
    services.rekap_kirim(user=kec, rekap=rekap)
    with pytest.raises(Konflik, match="dipegang kecamatan"):
        verifikasi.usulan_periksa_fisik(
            **base, usulan_ids=[us[3].pk], tanggal=hari_ini, dokumen=["ktp"]
        )
    assert PemeriksaanBerkas.objects.count() == 2


def test_row_decisions_constant_queries(pengguna, periode, banyak):
    """Accepting 200 rows of a batch: bulk writes, bounded queries."""
    objs = banyak(200, status=S.LENGKAP, mulai=6000)
    kec = pengguna("kecamatan.tembilahan")
    rekap = services.rekap_terbuka(
        user=kec,
        periode=periode,
        wilayah=Wilayah.objects.get(kode=KEC_TEMBILAHAN),
        tingkat=Rekap.Tingkat.KECAMATAN,
    )
    services.rekap_tambah(user=kec, rekap=rekap)
    rekap = services.rekap_kirim(user=kec, rekap=rekap)
    Usulan.objects.update(bukan_pegawai=True, tidak_menerima_kur=True)
    dinas = pengguna("dinas.inhil")
    with CaptureQueriesContext(connection) as ctx:
        verifikasi.rekap_verifikasi_baris(
            user=dinas,
            rekap=rekap,
            usulan_ids=[o.pk for o in objs[:150]],
            keputusan="terima",
            catatan="dokumen diperiksa tim",
        )
    assert len(ctx.captured_queries) < 60, len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        verifikasi.rekap_verifikasi_baris(
            user=dinas,
            rekap=rekap,
            usulan_ids=[o.pk for o in objs[150:]],
            keputusan="kembalikan",
            alasan_ids=alasan("ktp-tidak-ada"),
        )
    assert len(ctx.captured_queries) < 60, len(ctx.captured_queries)
    assert Rekap.objects.get(pk=rekap.pk).status == Rekap.Status.DITERIMA


# --------------------------------------------------------------------------- screens
def test_rekap_screen_rows_and_forms(masuk, pengguna, sampai, impor_rekap):
    rekap, imp = impor_rekap(2)
    c = masuk("kecamatan.tembilahan")
    isi = c.get(rekap.get_absolute_url()).content.decode()
    assert 'data-testid="jumlah-kurang"' in isi and 'data-testid="buka-periksa"' in isi
    assert f'data-testid="kelengkapan-{imp[0].pk}"' in isi and "kurang" in isi
    resp = c.post(
        reverse("bpum:rekap_baris", args=[rekap.pk]),
        {"aksi": "periksa", "usulan": [imp[0].pk], "pemeriksa": "", "dokumen": ["ktp"]},
    )
    assert resp.status_code == 400
    isi = resp.content.decode()
    assert "Tuliskan nama petugas yang memeriksa berkas." in isi and "Isi tanggal" in isi
    resp = c.post(
        reverse("bpum:rekap_baris", args=[rekap.pk]),
        {
            "aksi": "periksa",
            "usulan": [u.pk for u in imp],
            "pemeriksa": "Rahmat",
            "tanggal": timezone.localdate().isoformat(),
            "dokumen": ["ktp", "kk", "usaha", "foto", "pernyataan"],
        },
    )
    assert resp.status_code == 302
    isi = c.get(rekap.get_absolute_url()).content.decode()
    assert "diperiksa fisik" in isi and "Rahmat" in isi and 'data-testid="jumlah-kurang"' not in isi
    # the confirmation before sending: what goes, per village
    konfirmasi = c.get(reverse("bpum:rekap_kirim", args=[rekap.pk]))
    isi = konfirmasi.content.decode()
    assert konfirmasi.status_code == 200 and "Kirim rekap?" in isi
    assert "Tembilahan Kota" in isi and "Ya, kirim 2 usulan" in isi
    assert Rekap.objects.get(pk=rekap.pk).status == Rekap.Status.DISUSUN  # a GET sends nothing
    resp = c.post(
        reverse("bpum:rekap_kirim", args=[rekap.pk]), {"status_terlihat": "disusun"}, follow=True
    )
    assert "Rekap " in resp.content.decode() and "dikirim berisi 2 usulan" in resp.content.decode()
    assert Rekap.objects.get(pk=rekap.pk).status == Rekap.Status.DIKIRIM
    # the agency's row form: a return without a reason comes back with the message
    d = masuk("dinas.inhil")
    isi = d.get(rekap.get_absolute_url()).content.decode()
    assert 'data-testid="terima-terpilih"' in isi and 'data-pilih-semua="usulan"' in isi
    resp = d.post(
        reverse("bpum:rekap_baris", args=[rekap.pk]), {"aksi": "kembalikan", "usulan": [imp[0].pk]}
    )
    assert resp.status_code == 400
    assert "Pilih minimal satu alasan pengembalian." in resp.content.decode()
    resp = d.post(reverse("bpum:rekap_baris", args=[rekap.pk]), {"aksi": "terima"})
    assert resp.status_code == 400 and "Pilih usulannya dulu." in resp.content.decode()
    resp = d.post(
        reverse("bpum:rekap_baris", args=[rekap.pk]),
        {"aksi": "kembalikan", "usulan": [imp[0].pk], "alasan": alasan("data-tidak-sesuai")},
    )
    assert resp.status_code == 302
    resp = d.post(
        reverse("bpum:rekap_baris", args=[rekap.pk]), {"aksi": "terima", "usulan": [imp[1].pk]}
    )
    assert resp.status_code == 302
    assert Rekap.objects.get(pk=rekap.pk).status == Rekap.Status.DITERIMA
    # the district office cannot open the send confirmation of a sent batch
    resp = c.get(reverse("bpum:rekap_kirim", args=[rekap.pk]))
    assert resp.status_code == 302 and resp.url == rekap.get_absolute_url()


def test_whole_batch_return_with_catalogue(masuk, pengguna, sampai):
    us = sampai("direkap", 2)
    rekap = us[0].rekap_kecamatan
    d = masuk("dinas.inhil")
    url = reverse("bpum:rekap_aksi", args=[rekap.pk, "kembalikan"])
    resp = d.post(url, {"alasan": alasan("lainnya")})
    assert resp.status_code == 400 and "perlu catatan" in resp.content.decode()
    resp = d.post(url, {"alasan": alasan("lainnya"), "catatan": "kolom HP kosong"})
    assert resp.status_code == 302
    rekap.refresh_from_db()
    assert rekap.status == Rekap.Status.DIKEMBALIKAN and "kolom HP kosong" in rekap.catatan
    assert {a.kode for a in Usulan.objects.get(pk=us[0].pk).alasan_pengembalian.all()} == {
        "lainnya"
    }
    isi = masuk("kecamatan.tembilahan").get(rekap.get_absolute_url()).content.decode()
    assert 'data-testid="alasan-rekap"' in isi and "kolom HP kosong" in isi


def test_reasons_and_rows_need_the_right_batch(pengguna, sampai):
    (u,) = sampai("direkap")
    (lain,) = sampai("lengkap", mulai=9)
    with pytest.raises(GagalTransisi, match="Pilih usulannya dulu"):
        verifikasi.rekap_verifikasi_baris(
            user=pengguna("dinas.inhil"), rekap=u.rekap_kecamatan, usulan_ids=[], keputusan="terima"
        )
    with pytest.raises(Konflik, match="tidak ada di rekap ini"):
        verifikasi.rekap_verifikasi_baris(
            user=pengguna("dinas.inhil"),
            rekap=u.rekap_kecamatan,
            usulan_ids=[lain.pk],
            keputusan="terima",
        )
