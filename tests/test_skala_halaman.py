"""Pagination for big tables gives Django's pages (issue 11), and the pages made fast keep a
constant number of queries.

``sop.halaman.PaginatorCepat`` (deferred join, pages past the middle read from the other end,
the total given from summary rows) and ``bpum.selectors.PaginatorAnggotaRekap`` (a batch's
members per village) must list exactly the rows, in exactly the order, that a plain
``Paginator`` over the ORDER BY gives, page by page, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpum import selectors as sel
from bpum import services
from bpum.models import Periode, Rekap, Usulan
from sop.halaman import PaginatorCepat
from sop.models import Unit, Wilayah

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

pytestmark = pytest.mark.django_db

DESA = ["14.04.04.1001", "14.04.04.1004", "14.04.01.1001", "14.04.01.2002", "14.04.04.1002"]


def buat_usulan(n: int, *, seed: int = 1, desa=DESA) -> list[Usulan]:
    """``n`` proposals over several villages of two districts, with repeated names and times."""
    rng = random.Random(seed)
    user = get_user_model().objects.get(username="desa.tembilahan-kota")
    periode = Periode.objects.get(kode="BPUM-2021")
    sop = services.sop_berlaku()
    wilayah = {w.kode: w for w in Wilayah.objects.filter(kode__in=desa)}
    unit = {
        u.wilayah_id: u for u in Unit.objects.filter(wilayah__in=wilayah.values(), jenis="desa")
    }
    awal = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    objs = []
    for i in range(n):
        w = wilayah[rng.choice(desa)]
        objs.append(
            Usulan(
                sop=sop,
                periode=periode,
                wilayah=w,
                kecamatan_id=w.induk_id,
                unit=unit[w.kode],
                nomor=f"BPUM-H{seed:02d}{i:05d}",
                nik=f"1404040101{seed:02d}{i:04d}",
                no_kk=f"1404{i:012d}",
                nama=rng.choice(["Siti", "Ahmad", "Budi", "Dewi"]),
                alamat="Jl. Uji",
                dibuat=awal + dt.timedelta(minutes=rng.randint(0, 5)),
                status=rng.choice([Usulan.Status.DIAJUKAN, Usulan.Status.LENGKAP]),
                dibuat_oleh=user,
            )
        )
    return Usulan.objects.bulk_create(objs)


def halaman_django(qs, per, nomor):
    return [o.pk for o in Paginator(qs, per).page(nomor).object_list]


@pytest.mark.parametrize("urutan", [("-dibuat", "-pk"), ("dibuat", "pk"), ("nama", "pk")])
@pytest.mark.parametrize("beri_jumlah", [True, False])
def test_paginator_cepat_sama_dengan_django(urutan, beri_jumlah):
    buat_usulan(53)
    qs = Usulan.objects.select_related("wilayah", "kecamatan").order_by(*urutan)
    jumlah = qs.count() if beri_jumlah else None
    cepat = PaginatorCepat(qs, 5, jumlah=jumlah)
    assert cepat.num_pages == Paginator(qs, 5).num_pages == 11
    for nomor in range(1, cepat.num_pages + 1):
        page = cepat.page(nomor)
        assert [o.pk for o in page.object_list] == halaman_django(qs, 5, nomor), nomor
    # filtered, as the lists filter
    qs2 = qs.filter(status=Usulan.Status.LENGKAP, wilayah__kode__startswith="14.04.04.")
    cepat = PaginatorCepat(qs2, 4)
    for nomor in range(1, cepat.num_pages + 1):
        assert [o.pk for o in cepat.page(nomor).object_list] == halaman_django(qs2, 4, nomor)


def test_paginator_cepat_halaman_terakhir_query_sama_dengan_pertama():
    buat_usulan(40)
    qs = Usulan.objects.select_related("wilayah").order_by("-dibuat", "-pk")
    hitung = []
    for nomor in (1, 8):
        p = PaginatorCepat(qs, 5, jumlah=40)
        with CaptureQueriesContext(connection) as q:
            list(p.page(nomor).object_list)
        hitung.append(len(q))
    assert hitung == [2, 2]  # keys from the index, then the 5 rows: no COUNT, no OFFSET join


def test_anggota_rekap_urut_seperti_lembar_rekap():
    us = buat_usulan(61, seed=2)
    dinas = get_user_model().objects.get(username="dinas.inhil")
    periode = Periode.objects.get(kode="BPUM-2021")
    rekap = services.rekap_terbuka(
        user=dinas,
        periode=periode,
        wilayah=Wilayah.objects.get(kode="14.04"),
        tingkat=Rekap.Tingkat.KABUPATEN,
    )
    Usulan.objects.filter(pk__in=[u.pk for u in us[:57]]).update(rekap_kabupaten=rekap)
    qs = Usulan.objects.filter(rekap_kabupaten=rekap).order_by(
        "kecamatan__nama", "wilayah__nama", "nama", "pk"
    )
    for per in (5, 7, 25, 100):
        p = sel.PaginatorAnggotaRekap(rekap, per)
        assert p.count == 57
        assert p.num_pages == Paginator(qs, per).num_pages
        for nomor in range(1, p.num_pages + 1):
            assert [o.pk for o in p.page(nomor).object_list] == halaman_django(qs, per, nomor)


def _jumlah(c, url):
    with CaptureQueriesContext(connection) as q:
        resp = c.get(url)
    assert resp.status_code == 200, url
    return len(q)


HALAMAN_PERAN = {
    "dinas.inhil": [
        "bpum:dasbor",
        "bpum:dasbor?kecamatan=14.04.04",
        "bpum:beranda",
        *(f"sop:kepatuhan?per={d}" for d in ("sop", "langkah", "unit", "petugas")),
        "sop:tugas",
        "sop:lewat_tenggat",
        "bpum:usulan_daftar?hal=2",
        "bpum:usulan_daftar?urut=nama&hal=last",
        "bpum:usulan_daftar?status=diajukan",
        "bpum:rekap_daftar",
        "rekap",
    ],
    "kecamatan.tembilahan": [
        "bpum:dasbor",
        "sop:kepatuhan?per=langkah",
        "sop:tugas",
        "sop:lewat_tenggat",
        "bpum:usulan_daftar",
        "bpum:usulan_daftar?hal=last",
        "bpum:rekap_susun",
    ],
    # bpum10: the province's desk (the demo round has the province working in the portal)
    "petugas.riau": [
        "bpum:dasbor",
        "sop:tugas",
        "bpum:rekap_daftar?status=dikirim&tingkat=kabupaten",
        "rekap",
    ],
    "desa.tembilahan-kota": [
        "sop:tugas",
        "sop:lewat_tenggat",
        "bpum:usulan_daftar",
        "bpum:usulan_daftar?hal=last",
        "bpum:usulan_daftar?status=diajukan",
    ],
}


def _url(nama: str, *, rekap: int, halaman_akhir: int) -> str:
    if nama == "rekap":
        return reverse("bpum:rekap_detail", args=[rekap])
    nama, _, q = nama.partition("?")
    q = q.replace("hal=last", f"hal={halaman_akhir}")
    return reverse(nama) + (f"?{q}" if q else "")


def test_jumlah_query_tetap_halaman_skala(client):
    """Every role's dashboard, compliance, task lists and paginated lists (first page and last
    page, a batch's members): the same number of queries with a few proposals and with many, and
    the last page of a list costs the queries of its first."""
    from data_bpum import siapkan_sop

    from sop import massal

    siapkan_sop()  # the PAIS-UMI revision with time limits: finished steps are tracked
    desa = get_user_model().objects.get(username="desa.tembilahan-kota")
    dinas = get_user_model().objects.get(username="dinas.inhil")
    rekap = services.rekap_terbuka(
        user=dinas,
        periode=Periode.objects.get(kode="BPUM-2021"),
        wilayah=Wilayah.objects.get(kode="14.04"),
        tingkat=Rekap.Tingkat.KABUPATEN,
    )

    def tambah(n, seed):
        semua = buat_usulan(n, seed=seed, desa=["14.04.04.1001"])
        objs = [o for o in semua if o.status == Usulan.Status.DIAJUKAN]
        for o in objs:
            o.berkas_ktp = o.berkas_kk = o.berkas_usaha = o.berkas_foto = "bpum/x.pdf"
            o.bukan_pegawai = o.tidak_menerima_kur = True
            o.save()
        mulai = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        massal.mulai_proses_massal(objs, user=desa, now=mulai)
        massal.jalankan_massal(
            objs[: n // 4], "tandai_lengkap", user=desa, now=mulai + dt.timedelta(days=seed)
        )
        Usulan.objects.filter(pk__in=[o.pk for o in semua[::3]]).update(rekap_kabupaten=rekap)

    def hitung_semua():
        hasil = {}
        for username, halaman in HALAMAN_PERAN.items():
            client.force_login(get_user_model().objects.get(username=username))
            akhir = PaginatorCepat(Usulan.objects.order_by("pk"), 25).num_pages
            for h in halaman:
                url = _url(h, rekap=rekap.pk, halaman_akhir=max(1, akhir))
                _jumlah(client, url)  # warm caches
                hasil[(username, h)] = _jumlah(client, url)
        return hasil

    tambah(30, 3)
    sedikit = hitung_semua()
    tambah(90, 4)
    banyak = hitung_semua()
    assert banyak == sedikit
    for username in ("kecamatan.tembilahan", "desa.tembilahan-kota"):  # first page = last page
        pertama = banyak[(username, "bpum:usulan_daftar")]
        assert banyak[(username, "bpum:usulan_daftar?hal=last")] == pertama
    from sop.laporan import kepatuhan_lingkup

    assert sum(b.total for b in kepatuhan_lingkup(dinas, dimensi="langkah")) == 7 + 22


def test_pilihan_urut_dan_halaman_lewat_view(client):
    """The list view's pages through PaginatorCepat equal Django's over the same filter."""
    buat_usulan(47, seed=5)
    user = get_user_model().objects.get(username="dinas.inhil")
    client.force_login(user)
    for urut, hal in itertools.product(("baru", "lama", "nama"), (1, 2)):
        resp = client.get(reverse("bpum:usulan_daftar") + f"?urut={urut}&hal={hal}&status=lengkap")
        urutan = {"baru": ("-dibuat", "-pk"), "lama": ("dibuat", "pk"), "nama": ("nama", "pk")}[
            urut
        ]
        qs = sel.usulan_lingkup(user).filter(status="lengkap").order_by(*urutan)
        isi = resp.content.decode()
        harapan = [o.nomor for o in Paginator(qs, 25).page(hal).object_list]
        posisi = [isi.index(n) for n in harapan]
        assert posisi == sorted(posisi), (urut, hal)


def test_cari_nama_nomor_nik(client):
    """The list's search: part of a name (any case), a registration number as people type it
    (any case, spaces, the prefix left out), or a NIK; nothing else matches."""
    from sop.penomoran import kode_acak

    us = buat_usulan(12, seed=6)
    nomor = kode_acak("BPUM")
    Usulan.objects.filter(pk=us[0].pk).update(nomor=nomor, nama="Ratna Sari Dewi")
    client.force_login(get_user_model().objects.get(username="dinas.inhil"))
    url = reverse("bpum:usulan_daftar")

    def hasil(q):
        resp = client.get(url, {"q": q})
        return {o.pk for o in resp.context["page"].object_list}

    assert hasil("sari de") == {us[0].pk}
    polos = nomor.split("-", 1)[1]
    assert hasil(f"{polos[:4].lower()} {polos[4:]}") == {us[0].pk}
    assert hasil(nomor.lower()) == {us[0].pk}
    assert hasil(us[3].nik) == {us[3].pk}
    assert hasil("tidak ada") == set()
