"""The SOP 17-24 screens: forms post to the services (engine), refusals come back with the
engine's status code, lists paginate with a constant number of queries, scope by region."""

import pytest
from django.urls import reverse

from danabergulir.models import JalanPenagihan, Proposal, SkPenetapan
from danabergulir.sapuan import sapu_penagihan
from sop.models import Wilayah

from .alur import (
    daftar,
    jalan,
    pdf_kecil,
    sampai_18,
    sampai_19,
    sampai_perjanjian,
    sampai_rapat,
    sk_untuk,
    waktu,
)
from .conftest import D

pytestmark = pytest.mark.django_db
SENIN = waktu(2026, 10, 5)


def test_pendaftaran_lewat_layar(masuk):
    c = masuk("upt.pacitan")
    r = c.get(reverse("danabergulir:proposal_baru"))
    assert r.status_code == 200
    data = {
        "jenis": "umkm",
        "nama": "Warung Bu Tini",
        "nik": "3501014101900001",
        "nib": "9120000000001",
        "kecamatan": "35.01.01",
        "jumlah_diminta": "5000000",
        "tenor_diminta": "12",
        "tujuan": "Modal kerja",
        "berkas": pdf_kecil(),
    }
    r = c.post(reverse("danabergulir:proposal_simpan"), {**data, "nik": "12345"})
    assert r.status_code == 400 and "16" in r.content.decode()
    r = c.post(reverse("danabergulir:proposal_simpan"), {**data, "berkas": pdf_kecil()})
    assert r.status_code == 302
    p = Proposal.objects.get(nama="Warung Bu Tini")
    r = c.get(p.get_absolute_url())
    assert r.status_code == 200
    html = r.content.decode()
    assert (
        'data-testid="transisi-putuskan_ya"' in html
        and 'data-testid="transisi-putuskan_tidak"' in html
    )
    # returning without a reason: the engine's 400, shown on the page
    r = c.post(reverse("danabergulir:proposal_langkah", args=[p.pk]), {"aksi": "putuskan_tidak"})
    assert r.status_code == 400
    r = c.post(
        reverse("danabergulir:proposal_langkah", args=[p.pk]),
        {"aksi": "putuskan_ya", "status_terlihat": "terima-teliti-proposal"},
    )
    assert r.status_code == 302 and jalan(p).status == "disposisi-kadis"
    # the officer may not do the Kepala Dinas's step: 403 with the engine's message
    r = c.post(
        reverse("danabergulir:proposal_langkah", args=[p.pk]),
        {"aksi": "selesaikan", "status_terlihat": "disposisi-kadis"},
    )
    assert r.status_code == 403
    c = masuk("kadis.pacitan")
    r = c.post(
        reverse("danabergulir:proposal_langkah", args=[p.pk]),
        {"aksi": "selesaikan", "status_terlihat": "terima-teliti-proposal"},
    )
    assert r.status_code == 409  # it saw an old state: conflict, nothing changed
    r = c.post(
        reverse("danabergulir:proposal_langkah", args=[p.pk]),
        {"aksi": "selesaikan", "status_terlihat": "disposisi-kadis"},
    )
    assert r.status_code == 302 and jalan(p).status == "tugaskan-pencatatan"


def test_antrean_per_langkah_kueri_tetap(masuk, django_assert_max_num_queries):
    for _ in range(3):
        sampai_18(daftar(SENIN), SENIN)
    c = masuk("upt.pacitan")
    url = reverse("danabergulir:proposal_daftar") + "?sop=PACITAN-18&langkah=proposal-lengkap"
    c.get(url)  # loads the SOP revisions once per process (sop_siap)
    with django_assert_max_num_queries(20) as q3:
        r = c.get(url)
    assert r.status_code == 200
    for _ in range(6):
        sampai_18(daftar(SENIN), SENIN)
    with django_assert_max_num_queries(20) as q9:
        r = c.get(url)
    assert len(q9.captured_queries) == len(q3.captured_queries)
    html = r.content.decode()
    assert "badge" in html and "Proposal" in html or "proposal" in html


def test_layar_sk_dan_daftar_bank(masuk):
    a = daftar(SENIN)
    sampai_18(a, SENIN)
    sampai_19(a, SENIN)
    sampai_rapat(a, SENIN)
    c = masuk("upt.pacitan")
    r = c.post(
        reverse("danabergulir:sk_buat"), {"nomor": "500/77/UPT-DB/2026", "tanggal": "2026-10-05"}
    )
    sk = SkPenetapan.objects.get(nomor="500/77/UPT-DB/2026")
    assert r.status_code == 302
    r = c.post(
        reverse("danabergulir:sk_putuskan", args=[sk.pk]),
        {"proposal": a.pk, "disetujui": "1", "plafon": str(a.jumlah_diminta + 1)},
    )
    assert r.status_code == 409 or r.status_code == 400
    r = c.post(
        reverse("danabergulir:sk_putuskan", args=[sk.pk]),
        {"proposal": a.pk, "disetujui": "1", "plafon": "6000000", "tenor": "10"},
    )
    assert r.status_code == 302
    r = c.post(reverse("danabergulir:sk_aksi", args=[sk.pk, "tetapkan"]))
    assert r.status_code == 403  # the Kepala UPT signs
    c = masuk("kaupt.pacitan")
    r = c.get(sk.get_absolute_url())
    assert 'data-testid="tetapkan-sk"' in r.content.decode()
    assert c.post(reverse("danabergulir:sk_aksi", args=[sk.pk, "tetapkan"])).status_code == 302
    c = masuk("upt.pacitan")
    assert c.post(reverse("danabergulir:sk_aksi", args=[sk.pk, "tutup-rapat"])).status_code == 302
    assert jalan(a).sop.kode == "PACITAN-20"
    r = c.get(reverse("danabergulir:sk_berkas", args=[sk.pk, "daftar-bank.xlsx"]))
    assert r.status_code == 200 and r["X-Content-Type-Options"] == "nosniff"
    r = c.get(reverse("danabergulir:sk_berkas", args=[sk.pk, "sk.pdf"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def test_perjanjian_dan_realisasi_lewat_layar(masuk):
    p = daftar(SENIN)
    sampai_18(p, SENIN)
    sampai_19(p, SENIN)
    sampai_rapat(p, SENIN)
    sk_untuk([p], SENIN)
    sampai_perjanjian(p, SENIN)
    c = masuk("kaupt.pacitan")
    sk = SkPenetapan.objects.get(keputusan__proposal=p)
    assert c.post(reverse("danabergulir:sk_aksi", args=[sk.pk, "serahkan-bank"])).status_code == 302
    c = masuk("upt.pacitan")
    r = c.get(reverse("danabergulir:proposal_berkas", args=[p.pk, "perjanjian"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    r = c.post(
        reverse("danabergulir:proposal_langkah", args=[p.pk]),
        {"tanggal": "2026-10-06", "status_terlihat": "realisasi-kredit"},
    )
    assert r.status_code == 302
    r = c.get(p.get_absolute_url())
    assert 'data-testid="ke-pinjaman"' in r.content.decode()


def test_papan_penagihan_dan_halaman_pinjaman(masuk, buat_pinjaman, django_assert_max_num_queries):
    p = buat_pinjaman(pertama=D(2025, 1, 15))
    sapu_penagihan(waktu(2025, 1, 16, 6))
    c = masuk("kaupt.pacitan")
    url = reverse("danabergulir:penagihan") + "?per=2025-01-20"
    with django_assert_max_num_queries(25):
        r = c.get(url)
    assert r.status_code == 200 and p.nomor in r.content.decode()
    run = JalanPenagihan.objects.get(pinjaman=p)
    r = c.get(p.get_absolute_url())
    assert f'data-testid="form-penagihan-{run.pk}"' in r.content.decode()
    r = c.post(
        reverse("danabergulir:penagihan_langkah", args=[run.pk]),
        {"status_terlihat": "tugaskan-penagihan"},
    )
    assert r.status_code == 302
    c = masuk("upt.pacitan")
    r = c.post(
        reverse("danabergulir:penagihan_langkah", args=[run.pk]),
        {"status_terlihat": "tagih", "tanggal": "2025-01-20"},
    )
    assert r.status_code == 302
    r = c.get(p.get_absolute_url())
    html = r.content.decode()
    assert 'data-testid="bayar-paling-lambat"' in html and "Letter" in html or "Surat" in html
    assert c.get(reverse("danabergulir:surat_pdf", args=[run.pk])).status_code == 200


def test_kabupaten_lain_tidak_melihat(masuk):
    p = daftar(SENIN)
    c = masuk("kadis.inhil")
    assert c.get(reverse("danabergulir:proposal_daftar")).status_code == 403
    assert c.get(p.get_absolute_url()).status_code == 403
    assert c.get(reverse("danabergulir:penagihan")).status_code == 403
    c.logout()
    r = c.get(p.get_absolute_url())
    assert r.status_code == 302 and "/masuk/" in r["Location"]
    assert Wilayah.objects.filter(kode="35.01").exists()
