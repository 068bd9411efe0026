"""Every perizinan screen renders for the officers who use it (smoke), with its key content."""

import pytest
from django.urls import reverse

from perizinan.models import Permohonan

pytestmark = pytest.mark.django_db

HALAMAN = [
    "perizinan:beranda",
    "perizinan:terima",
    "perizinan:antrean",
    "perizinan:daftar",
    "perizinan:register",
    "perizinan:dasbor",
    "perizinan:pengaduan_daftar",
    "perizinan:skm",
]


@pytest.mark.parametrize("nama", HALAMAN)
@pytest.mark.parametrize("username", ["fo.pelalawan", "verifikator.pacitan", "kadis.pacitan"])
def test_halaman_petugas(masuk, nama, username):
    c = masuk(username)
    resp = c.get(reverse(nama) + ("?layanan=iumk-pelalawan" if nama.endswith("terima") else ""))
    if nama.endswith("terima") and username == "kadis.pacitan":
        assert resp.status_code == 403  # the Kepala Dinas works no counter
        return
    assert resp.status_code == 200, resp.content[:500]


def test_detail_setiap_permohonan_demo(masuk):
    from perizinan.demo import buat_demo

    buat_demo()  # the demo requests at every step (not in the test base data)
    c = masuk("verifikator.pacitan")
    semua = Permohonan.objects.filter(jenis__kode="rekomtek-iui-pacitan")
    assert semua.count() > 3
    for p in semua:
        assert c.get(reverse("perizinan:detail", args=[p.pk])).status_code == 200


def test_publik_tanpa_login(client):
    assert client.get(reverse("perizinan:publik_layanan_daftar")).status_code == 200
    resp = client.get(reverse("perizinan:publik_layanan", args=["iumk-pelalawan"]))
    assert resp.status_code == 200
    teks = resp.content.decode()
    assert "2 jam 15 menit kerja" in teks  # 120 + 15 office minutes
    assert "Rp0" in teks
    resp = client.get(reverse("perizinan:publik_layanan", args=["nik-koperasi-pacitan"]))
    assert "55 menit kerja" in resp.content.decode()
    resp = client.get(reverse("perizinan:publik_layanan", args=["rekomtek-iui-pacitan"]))
    assert "3 jam 5 menit kerja" in resp.content.decode()  # 185 office minutes
    assert client.get(reverse("perizinan:publik_pengaduan")).status_code == 200


def test_survei_token_tidak_dikenal(client):
    resp = client.get(reverse("perizinan:publik_survei", args=["tidak-ada"]))
    assert resp.status_code == 404


def test_luar_wilayah_404(masuk, terima):
    p = terima("iumk-pelalawan")
    assert masuk("fo.pelalawan").get(reverse("perizinan:detail", args=[p.pk])).status_code == 200
    assert masuk("staf.pacitan").get(reverse("perizinan:detail", args=[p.pk])).status_code == 404


@pytest.mark.parametrize(
    "username, unit",
    [
        ("fo.pelalawan", "dpmptsp-pelalawan"),
        ("staf.pacitan", "dinas-kukmp-pacitan"),
        ("verifikator.pacitan", "dinas-kukmp-pacitan"),
        ("kadis.pacitan", "dinas-kukmp-pacitan"),
    ],
)
def test_runner_umum_tidak_menawarkan_sop_layanan(pengguna, username, unit):
    """The services' SOPs run at the counter only (``Modul(sop=...)``): the generic runner's
    "new request" never offers them, while the office's other SOPs stay on offer."""
    from perizinan.models import JenisLayanan
    from sop.models import Unit
    from sop.selectors import sop_ditawarkan

    kode = set(JenisLayanan.objects.values_list("sop_kode", flat=True))
    assert kode == {"PELALAWAN-A.49", "PACITAN-01", "PACITAN-11-NIB", "PACITAN-14"}
    ditawarkan = set(
        sop_ditawarkan(pengguna(username), Unit.objects.get(kode=unit)).values_list(
            "kode", flat=True
        )
    )
    assert not ditawarkan & (kode | {"PACITAN-11"})
    if username == "kadis.pacitan":
        assert "PACITAN-04" in ditawarkan  # the dinas's other SOPs are still offered
