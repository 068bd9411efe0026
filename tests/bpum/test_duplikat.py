"""Duplicates: the same NIK twice in one round is flagged, never refused or merged; the agency
decides (keep one / not a duplicate), only once every copy has reached it; decisions are logged."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from bpum import services
from bpum.models import DuplikatKeputusan, Usulan
from sop.engine import GagalTransisi, TidakBerwenang
from sop.models import Immutable, Jejak

from .conftest import DESA_PK, DESA_SP, nik

pytestmark = pytest.mark.django_db
S = Usulan.Status
KEP = DuplikatKeputusan.Keputusan


def test_nik_sama_antar_desa_ditandai_bukan_ditolak(buat, masuk):
    a = buat(1)
    assert not a.duplikat
    b = buat(1, desa=DESA_SP)  # same NIK, another village of the same district
    c = buat(1, desa=DESA_PK)  # and another district
    assert Usulan.objects.filter(nik=nik(1)).count() == 3
    assert all(Usulan.objects.get(pk=u.pk).duplikat for u in (a, b, c))
    resp = masuk("dinas.inhil").get(reverse("bpum:duplikat_daftar"))
    isi = resp.content.decode()
    assert isi.count(nik(1)) == 1 and a.nomor in isi and c.nomor in isi


def test_keputusan_menunggu_semua_sampai_dinas(pengguna, buat, sampai):
    (a,) = sampai("direkap")
    b = buat(0, desa=DESA_PK)  # same NIK, still at the village
    dinas = pengguna("dinas.inhil")
    with pytest.raises(GagalTransisi) as e:
        services.duplikat_putuskan(
            user=dinas, usulan=a, keputusan=KEP.PERTAHANKAN, dipertahankan_id=a.pk, alasan="x"
        )
    assert f"Usulan {b.nomor} masih di tingkat desa/kecamatan" in str(e.value)
    with pytest.raises(TidakBerwenang):
        services.duplikat_putuskan(
            user=pengguna("kecamatan.tembilahan"),
            usulan=a,
            keputusan=KEP.BUKAN_DUPLIKAT,
            alasan="x",
        )


def test_pertahankan_satu_menggugurkan_lainnya(pengguna, periode, sampai):
    (a,) = sampai("direkap")
    (b,) = sampai("diverifikasi", desa=DESA_PK)  # same NIK nik(0), another district
    dinas = pengguna("dinas.inhil")
    with pytest.raises(GagalTransisi, match="Tuliskan alasan"):
        services.duplikat_putuskan(
            user=dinas, usulan=a, keputusan=KEP.PERTAHANKAN, dipertahankan_id=b.pk, alasan=""
        )
    # the regency batch holds flagged proposals back until the agency decides
    rk, n, ditahan = services.rekap_kabupaten_susun(user=dinas, periode=periode)
    assert (n, ditahan) == (0, 1)
    k = services.duplikat_putuskan(
        user=dinas,
        usulan=a,
        keputusan=KEP.PERTAHANKAN,
        dipertahankan_id=b.pk,
        alasan="KTP asli domisili Reteh",
    )
    a, b = Usulan.objects.get(pk=a.pk), Usulan.objects.get(pk=b.pk)
    assert (a.status, a.duplikat, b.status, b.duplikat) == (S.GUGUR, False, S.DIVERIFIKASI, False)
    assert (k.user, k.dipertahankan, sorted(k.usulan_ids)) == (dinas, b, sorted([a.pk, b.pk]))
    ct = ContentType.objects.get_for_model(Usulan)
    j = Jejak.objects.filter(content_type=ct, object_id=str(a.pk)).last()
    assert (j.transisi, j.user) == ("gugurkan", dinas) and "KTP asli" in j.catatan
    with pytest.raises(Immutable):
        k.delete()
    rk, n, ditahan = services.rekap_kabupaten_susun(user=dinas, periode=periode)
    assert (n, ditahan) == (1, 0)


def test_bukan_duplikat_lalu_salinan_ketiga_ditandai_lagi(pengguna, periode, sampai, buat):
    (a,) = sampai("direkap")
    (b,) = sampai("direkap", desa=DESA_PK)
    dinas = pengguna("dinas.inhil")
    services.duplikat_putuskan(
        user=dinas,
        usulan=b,
        keputusan=KEP.BUKAN_DUPLIKAT,
        alasan="Kesalahan cetak NIK di KTP, sudah dikonfirmasi Dukcapil",
    )
    assert not Usulan.objects.filter(duplikat=True).exists()
    assert {u.status for u in Usulan.objects.all()} == {S.DIREKAP}  # nothing dropped
    c = buat(0, desa=DESA_SP)
    assert Usulan.objects.filter(duplikat=True).count() == 3
    assert Usulan.objects.get(pk=c.pk).duplikat


def test_tidak_menggugurkan_yang_sudah_diteruskan(pengguna, sampai):
    (a,) = sampai("dikirim_provinsi")
    (b,) = sampai("direkap", desa=DESA_PK)
    dinas = pengguna("dinas.inhil")
    with pytest.raises(GagalTransisi, match="sudah diteruskan"):
        services.duplikat_putuskan(
            user=dinas, usulan=b, keputusan=KEP.PERTAHANKAN, dipertahankan_id=b.pk, alasan="x"
        )
    services.duplikat_putuskan(
        user=dinas,
        usulan=b,
        keputusan=KEP.PERTAHANKAN,
        dipertahankan_id=a.pk,
        alasan="yang pertama sudah dikirim",
    )
    assert Usulan.objects.get(pk=b.pk).status == S.GUGUR


def test_putuskan_lewat_view(masuk, sampai):
    (a,) = sampai("direkap")
    (b,) = sampai("direkap", desa=DESA_PK)
    c = masuk("dinas.inhil")
    assert c.get(reverse("bpum:duplikat_detail", args=[a.pk])).status_code == 200
    resp = c.post(
        reverse("bpum:duplikat_putuskan", args=[a.pk]),
        {"keputusan": "pertahankan", "dipertahankan": a.pk, "alasan": "lebih dulu"},
    )
    assert resp.status_code == 302
    assert Usulan.objects.get(pk=b.pk).status == S.GUGUR
    assert DuplikatKeputusan.objects.count() == 1
    # the province sees the review page but gets no form
    isi = masuk("provinsi.riau").get(reverse("bpum:duplikat_detail", args=[a.pk])).content
    assert b"putuskan-ganda" not in isi


def test_gugur_di_rekap_kabupaten_tidak_ikut_dikirim(pengguna, periode, sampai):
    (a,) = sampai("diverifikasi")
    dinas = pengguna("dinas.inhil")
    rk, n, _ = services.rekap_kabupaten_susun(user=dinas, periode=periode)
    assert n == 1
    # a copy arrives later from another district: the member in the open batch is flagged
    (b,) = sampai("diverifikasi", desa=DESA_PK)
    with pytest.raises(GagalTransisi, match="NIK ganda yang belum diputus"):
        services.rekap_kirim(user=dinas, rekap=rk)
    services.duplikat_putuskan(
        user=dinas,
        usulan=a,
        keputusan=KEP.PERTAHANKAN,
        dipertahankan_id=b.pk,
        alasan="domisili Reteh",
    )
    services.rekap_kabupaten_susun(user=dinas, periode=periode)
    rk = services.rekap_kirim(user=dinas, rekap=rk)
    assert rk.jumlah == 2
    assert Usulan.objects.get(pk=a.pk).status == S.GUGUR
    assert Usulan.objects.get(pk=b.pk).status == S.DIKIRIM_PROVINSI
