"""Service performance: counts, on time, medians in SQL (percentile_cont on PostgreSQL, a
window-function equivalent on SQLite), the perizinan_kinerja command."""

import datetime as dt
import io
import json
import statistics

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from perizinan import kinerja, services
from perizinan.models import Permohonan
from sop.models import Unit

from .conftest import WIB

pytestmark = pytest.mark.django_db
SENIN_2020 = dt.datetime(2020, 1, 6, 8, 0, tzinfo=WIB)  # a Monday


@pytest.fixture
def selesai(terima, jalan, pengguna):
    """selesai(menit, hari=0) -> an IUMK request whose office steps took ``menit`` minutes."""

    def _buat(menit: int, hari: int = 0, i: int = 0):
        t0 = SENIN_2020 + dt.timedelta(days=hari)
        p = terima("iumk-pelalawan", 500 + i, now=t0)
        fo = pengguna("fo.pelalawan")
        m1 = menit // 2
        for k, t in zip(p.jenis.keluaran.all(), (m1, menit), strict=True):
            services.dokumen_hasil_catat(
                user=fo,
                permohonan=Permohonan.objects.get(pk=p.pk),
                keluaran=k,
                nomor="1234567890123" if k.pola_nomor == "nib" else "X/1",
                tanggal=t0.date(),
            )
            p = jalan(p, "selesaikan", "fo.pelalawan", now=t0 + dt.timedelta(minutes=t))
        assert p.menit_kantor == menit
        return p

    return _buat


def _json(*args):
    out = io.StringIO()
    call_command("perizinan_kinerja", *args, stdout=out)
    return json.loads(out.getvalue())


def test_kinerja_per_layanan(selesai, terima):
    for i, m in enumerate((20, 40, 100, 200)):  # 200 > 135 promised: late
        selesai(m, hari=i, i=i)
    terima("iumk-pelalawan", 599, now=SENIN_2020 + dt.timedelta(days=1))  # received, open
    hasil = _json(
        "--unit", "dpmptsp-pelalawan", "--dari", "2020-01-01", "--sampai", "2020-01-31", "--json"
    )
    assert hasil == [
        {
            "layanan": "Perbantuan Penerbitan NIB dan IUMK melalui OSS",
            "masuk": 5,
            "selesai": 4,
            "tepat_waktu": 3,
            "terlambat": 1,
            "median_menit": 70,  # (40 + 100) / 2
            "janji_menit": 135,
        }
    ]
    # the period bounds are the office's local dates
    hasil = _json(
        "--unit", "dpmptsp-pelalawan", "--dari", "2020-01-06", "--sampai", "2020-01-06", "--json"
    )
    assert (hasil[0]["masuk"], hasil[0]["selesai"], hasil[0]["median_menit"]) == (1, 1, 20)


def test_kinerja_pacitan_tiga_layanan_kosong():
    hasil = _json(
        "--unit", "dinas-kukmp-pacitan", "--dari", "2019-01-01", "--sampai", "2019-12-31", "--json"
    )
    assert [h["layanan"] for h in hasil] == [
        "Penerbitan NIB (perbantuan OSS)",
        "Pengajuan Sertifikat Nomor Induk Koperasi (NIK)",
        "Rekomendasi Teknis Pengaktifan Izin Usaha Industri (IUI)",
    ]
    assert [h["janji_menit"] for h in hasil] == [135, 55, 185]
    assert all(h["masuk"] == 0 and h["median_menit"] is None for h in hasil)


@pytest.mark.parametrize(
    "args",
    [
        ("--unit", "tidak-ada", "--dari", "2020-01-01", "--sampai", "2020-01-31"),
        ("--unit", "dpmptsp-pelalawan", "--dari", "2020-13-01", "--sampai", "2020-01-31"),
        ("--unit", "dpmptsp-pelalawan", "--dari", "2020-02-01", "--sampai", "2020-01-31"),
    ],
)
def test_kinerja_salah_pakai_exit_2(args):
    with pytest.raises(CommandError) as e:
        call_command("perizinan_kinerja", *args, "--json", stdout=io.StringIO())
    assert e.value.returncode == 2


@pytest.mark.parametrize(
    "nilai", [[5], [5, 9], [1, 2, 3, 10], [7, 7, 1, 30, 2], list(range(1, 12))]
)
def test_median_sql_sama_dengan_statistics(selesai, nilai):
    for i, m in enumerate(nilai):
        selesai(m, hari=7 * (i // 5) + i % 5, i=i)
    qs = Permohonan.objects.filter(unit__kode="dpmptsp-pelalawan", diterima_pada__year=2020)
    m = kinerja.median_per(qs, "jenis_id", "menit_kantor")
    assert list(m.values()) == [pytest.approx(statistics.median(nilai))]


def test_per_petugas_dan_tren(selesai):
    selesai(20, i=1)
    selesai(200, hari=35, i=2)  # February
    unit = Unit.objects.get(kode="dpmptsp-pelalawan")
    (fo,) = kinerja.per_petugas(unit, dt.date(2020, 1, 1), dt.date(2020, 2, 29))
    assert fo.nama == "Front Office DPMPTSP Pelalawan" and fo.langkah == 4
    tren = kinerja.tren_bulanan(unit, dt.date(2020, 1, 1), dt.date(2020, 2, 29))
    assert [(b.bulan.month, b.masuk, b.selesai, b.terlambat) for b in tren.bulan] == [
        (1, 1, 1, 0),
        (2, 1, 1, 1),
    ]


def test_dasbor_jumlah_kueri_tetap(masuk, selesai, django_assert_max_num_queries):
    c = masuk("fo.pelalawan")
    url = "/izin/kinerja/?dari=2020-01-01&sampai=2020-12-31"
    selesai(25, i=9)
    c.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as awal:
        c.get(url)
    for i in range(4):
        selesai(30 + i, hari=i, i=i)
    with django_assert_max_num_queries(len(awal)):
        assert c.get(url).status_code == 200
