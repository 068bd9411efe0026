"""Scope matrix: officers of desa A, kecamatan B, dinas C and the province see and may act on
exactly what their scope allows, on a sample model (a generic request)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sop.models import Pelaksana, Penugasan, Permohonan, Sop, Unit
from sop.pertukaran import impor
from sop.services import permohonan_mulai

pytestmark = pytest.mark.django_db

SOP_UJI = {
    "kode": "UJI-LINGKUP",
    "nama": "Uji lingkup wilayah",
    "instansi": "Dinas Koperasi dan UKM Kab. Indragiri Hilir",
    "pelaksana": [
        {"kode": "petugas_desa", "nama": "Petugas Desa/Kelurahan"},
        {"kode": "petugas_kecamatan", "nama": "Petugas Kecamatan"},
        {"kode": "staf_dinas", "nama": "Staf Dinas Koperasi UKM"},
    ],
    "langkah": [
        {
            "nomor": 1,
            "kode": "desa",
            "kegiatan": "Desa memeriksa berkas",
            "pelaksana": ["petugas_desa"],
            "waktu": "1 hari",
        },
        {
            "nomor": 2,
            "kode": "kecamatan",
            "kegiatan": "Kecamatan merekap",
            "pelaksana": ["petugas_kecamatan"],
            "waktu": "2 hari",
        },
        {
            "nomor": 3,
            "kode": "dinas",
            "kegiatan": "Dinas memverifikasi",
            "pelaksana": ["staf_dinas"],
            "waktu": "3 hari",
        },
    ],
}

# username -> may see a request of Kelurahan Tembilahan Kota (14.04.04.1001)
LIHAT = {
    "desa.tembilahan-kota": True,  # desa A
    "desa.sungaiperak": False,  # another desa, same kecamatan
    "kecamatan.tembilahan": True,  # kecamatan B covering desa A
    "kecamatan.reteh": False,  # another kecamatan
    "dinas.inhil": True,  # dinas C (kabupaten)
    "provinsi.riau": True,  # province: read only
    "upt.pacitan": False,  # another kabupaten
}
# step -> the only user who may act there
PELAKU = {
    "desa": "desa.tembilahan-kota",
    "kecamatan": "kecamatan.tembilahan",
    "dinas": "dinas.inhil",
}


@pytest.fixture
def permohonan(pengguna):
    Unit.objects.filter(wilayah__kode__startswith="14").update(
        layanan=["bpum", "sop"], sop_kode=["UJI-LINGKUP"]
    )
    # the province officer even holds the dinas role: read-only units still may not act
    prov = Penugasan.objects.get(user__username="provinsi.riau")
    prov.peran.add(Pelaksana.objects.get(kode="staf_dinas"))
    impor([SOP_UJI])
    return permohonan_mulai(
        user=pengguna("desa.tembilahan-kota"),
        sop=Sop.objects.berlaku().get(kode="UJI-LINGKUP"),
        unit=Unit.objects.get(kode="kantor-desa-14-04-04-1001"),
        judul="Uji",
    )


@pytest.mark.parametrize(("username", "lihat"), sorted(LIHAT.items()))
def test_lihat_daftar_dan_detail(masuk, permohonan, username, lihat):
    c = masuk(username)
    daftar = c.get(reverse("sop:permohonan_daftar"))
    assert (permohonan.nomor in daftar.content.decode()) is lihat
    detail = c.get(reverse("sop:permohonan_detail", args=[permohonan.pk]))
    assert detail.status_code == (200 if lihat else 404)


@pytest.mark.parametrize("username", sorted(LIHAT))
def test_bertindak_hanya_pelaku_langkah(masuk, permohonan, username, settings, tmp_path):
    """Walk the three steps; at each, every user tries first: only the step's officer succeeds."""
    settings.MEDIA_ROOT = tmp_path
    p = permohonan
    for langkah, pelaku in PELAKU.items():
        p = Permohonan.objects.get(pk=p.pk)
        assert p.status == langkah
        url = reverse("sop:permohonan_transisi", args=[p.pk, "selesaikan"])
        if username != pelaku:
            resp = masuk(username).post(url, {"status_terlihat": p.status})
            assert resp.status_code == (403 if LIHAT[username] else 404), (langkah, username)
            assert Permohonan.objects.get(pk=p.pk).status == langkah
        if langkah == "dinas":  # the last step needs the final output first
            c = masuk(pelaku)
            assert c.post(url, {"status_terlihat": p.status}).status_code == 409
            berkas = SimpleUploadedFile("hasil.pdf", b"%PDF-1.4 hasil")
            c.post(reverse("sop:permohonan_hasil", args=[p.pk]), {"berkas": berkas})
        resp = masuk(pelaku).post(url, {"status_terlihat": p.status})
        assert resp.status_code == 302, (langkah, pelaku)
    assert Permohonan.objects.get(pk=p.pk).status == "selesai"


def test_get_tidak_mengubah_status(masuk, permohonan):
    c = masuk("desa.tembilahan-kota")
    resp = c.get(reverse("sop:permohonan_transisi", args=[permohonan.pk, "selesaikan"]))
    assert resp.status_code == 405
    assert Permohonan.objects.get(pk=permohonan.pk).status == "desa"


def test_tugas_saya_per_petugas(masuk, permohonan):
    assert (
        permohonan.nomor in masuk("desa.tembilahan-kota").get(reverse("sop:tugas")).content.decode()
    )
    for u in ("kecamatan.tembilahan", "dinas.inhil", "provinsi.riau", "desa.sungaiperak"):
        assert permohonan.nomor not in masuk(u).get(reverse("sop:tugas")).content.decode(), u


def test_unduh_berkas_hanya_dalam_lingkup(masuk, permohonan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = masuk("desa.tembilahan-kota")
    berkas = SimpleUploadedFile("ktp.pdf", b"%PDF-1.4 data pribadi")
    resp = c.post(
        reverse("sop:permohonan_lampiran", args=[permohonan.pk]),
        {"jenis": "Lainnya", "berkas": berkas},
    )
    assert resp.status_code == 302
    lampiran = permohonan.lampiran.get()
    url = reverse("sop:permohonan_lampiran_unduh", args=[permohonan.pk, lampiran.pk])
    resp = c.get(url)
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == b"%PDF-1.4 data pribadi"
    assert masuk("desa.sungaiperak").get(url).status_code == 404
    assert masuk("kecamatan.reteh").get(url).status_code == 404
    assert masuk("kecamatan.tembilahan").get(url).status_code == 200


def test_unggah_berkas_ditolak_dengan_pesan(masuk, permohonan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = masuk("desa.tembilahan-kota")
    berkas = SimpleUploadedFile("virus.exe", b"MZ")
    resp = c.post(
        reverse("sop:permohonan_lampiran", args=[permohonan.pk]),
        {"jenis": "Lainnya", "berkas": berkas},
    )
    assert resp.status_code == 400 and "berkas program" in resp.content.decode()
    assert not permohonan.lampiran.exists()


def test_q_wilayah_sama_dengan_memuat_di_setiap_tingkat():
    """The SQL region filter selects exactly what ``memuat`` says, at every level (a village's
    plain equality included), for offices in the demo regions."""
    from sop.models import Wilayah
    from sop.selectors import memuat, q_wilayah

    kantor = list(Unit.objects.values_list("pk", "wilayah_id"))
    kode = ["14", "14.04", "14.04.04", "14.04.04.1001", "14.04.01.1001", "35.01", "14.0"]
    kode += list(
        Wilayah.objects.filter(tingkat=4).order_by("kode").values_list("kode", flat=True)[:5]
    )
    for k in kode:
        sql = set(Unit.objects.filter(q_wilayah(k)).values_list("pk", flat=True))
        assert sql == {pk for pk, w in kantor if memuat(k, w)}, k
    assert Unit.objects.filter(q_wilayah("14.04.04.1001")).exists()


def test_q_wilayah_jam_sama_dengan_q_wilayah():
    """The clocks' region filter adds an implied district prefix for the index: it selects
    exactly what ``q_wilayah`` selects, at every level, for odd codes too."""
    from sop.models import Wilayah
    from sop.selectors import q_wilayah, q_wilayah_jam

    kode = ["14", "14.04", "14.04.04", "14.04.04.1001", "14.04.01.1001", "35.01", "14.0"]
    kode += list(Wilayah.objects.filter(tingkat=3).values_list("kode", flat=True)[:5])
    for k in kode:
        jam = set(Unit.objects.filter(q_wilayah_jam(k)).values_list("pk", flat=True))
        assert jam == set(Unit.objects.filter(q_wilayah(k)).values_list("pk", flat=True)), k
    assert Unit.objects.filter(q_wilayah_jam("14.04.04")).count() > 1


@pytest.mark.parametrize("username", ["kecamatan.tembilahan", "desa.tembilahan-kota"])
def test_antrean_kecamatan_dan_desa_bisa_memakai_indeks_kecamatan(permohonan, pengguna, username):
    """A district's or village's queue can be read from ``lb_terbuka_kecamatan`` on PostgreSQL:
    the query's district expression is the index's. The clocks' other indexes are dropped inside
    the test's transaction and sequential scans switched off, so the plan shows what is
    possible, not what a tiny table makes cheapest."""
    from django.db import connection

    from sop.selectors import langkah_dalam_lingkup, langkah_terbuka_untuk

    if connection.vendor != "postgresql":
        pytest.skip("the production planner's choice; SQLite plans its own way")
    user = pengguna(username)
    with connection.cursor() as c:
        c.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'sop_langkahberjalan'"
            " AND indexname NOT IN ('lb_terbuka_kecamatan', 'sop_langkahberjalan_pkey')"
        )
        for (nama,) in c.fetchall():
            c.execute(f'DROP INDEX "{nama}"')
        c.execute("SET LOCAL enable_seqscan = off")
    for qs in (langkah_terbuka_untuk(user), langkah_dalam_lingkup(user).exclude(dilanggar=None)):
        plan = qs.order_by("tenggat", "mulai", "pk")[:25].explain()
        kondisi = [b for b in plan.splitlines() if "Index Cond" in b]
        assert "lb_terbuka_kecamatan" in plan, plan
        assert any('"left"((wilayah_id)::text, 8)' in b for b in kondisi), plan
