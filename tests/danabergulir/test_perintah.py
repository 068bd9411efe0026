"""Commands: exact JSON shapes and exit codes (0 done, 1 file errors, 2 usage errors)."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from danabergulir.setup import setup

ROOT = Path(__file__).resolve().parents[2]
KELAS = {"Lancar", "Dalam Perhatian Khusus", "Kurang Lancar", "Diragukan", "Macet"}


def jalankan(*args):
    """manage.py in a subprocess: the real exit code (argparse errors exit 2 there)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_jadwal_json():
    """10.000.000 at 6 %/year flat over 12 months from 31-01-2024: pokok 833.333 x 11 and
    833.337; jasa 50.000; due dates on the month's last day when shorter."""
    r = jalankan(
        "danabergulir_jadwal",
        "--pokok",
        "10000000",
        "--jasa",
        "6",
        "--tenor",
        "12",
        "--metode",
        "flat",
        "--jatuh-tempo-pertama",
        "2024-01-31",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data) == 12
    assert all(
        list(d) == ["ke", "jatuh_tempo", "pokok", "jasa", "angsuran", "sisa_pokok"] for d in data
    )
    assert all(isinstance(d[k], int) for d in data for k in ("ke", "pokok", "jasa", "angsuran"))
    assert data[0] == {
        "ke": 1,
        "jatuh_tempo": "2024-01-31",
        "pokok": 833_333,
        "jasa": 50_000,
        "angsuran": 883_333,
        "sisa_pokok": 9_166_667,
    }
    assert data[1]["jatuh_tempo"] == "2024-02-29"
    assert data[-1]["pokok"] == 833_337 and data[-1]["sisa_pokok"] == 0
    assert sum(d["pokok"] for d in data) == 10_000_000


@pytest.mark.parametrize(
    "args",
    [
        ["--tenor", "0"],
        ["--metode", "harian"],
        ["--jatuh-tempo-pertama", "31-01-2024"],
        ["--pokok", "sepuluh"],
        ["--jasa", "x"],
    ],
)
def test_jadwal_salah_pakai(args):
    base = {
        "--pokok": "1000000",
        "--jasa": "6",
        "--tenor": "12",
        "--metode": "flat",
        "--jatuh-tempo-pertama": "2024-01-31",
    }
    base[args[0]] = args[1]
    r = jalankan("danabergulir_jadwal", *[x for kv in base.items() for x in kv], "--json")
    assert r.returncode == 2
    assert r.stdout == ""


def test_posisi_salah_pakai():
    assert jalankan("danabergulir_posisi", "--per", "2024-13-01", "--json").returncode == 2
    assert jalankan("danabergulir_posisi", "--json").returncode == 2


@pytest.mark.django_db
def test_posisi_json_demo():
    """The demo book (setup_portal --demo, dates relative to today) has all five classes."""
    out = io.StringIO()
    hari = dt.date.today()
    call_command(
        "danabergulir_posisi",
        "--per",
        hari.isoformat(),
        "--unit",
        "upt-dana-bergulir-pacitan",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert list(data) == ["pinjaman", "ringkasan"]
    assert list(data["ringkasan"]) == ["outstanding", "npl_persen"]
    kunci = [
        "nomor",
        "sisa_pokok",
        "tunggakan_pokok",
        "tunggakan_jasa",
        "denda",
        "dpd",
        "kolektibilitas",
    ]
    assert data["pinjaman"] and all(list(p) == kunci for p in data["pinjaman"])
    assert {p["kolektibilitas"] for p in data["pinjaman"]} == KELAS
    assert all(p["dpd"] >= 0 and p["denda"] >= 0 for p in data["pinjaman"])
    assert data["ringkasan"]["outstanding"] == sum(p["sisa_pokok"] for p in data["pinjaman"])
    npl = data["ringkasan"]["npl_persen"]
    assert isinstance(npl, str) and len(npl.split(".")[1]) == 2
    besar = sum(
        p["sisa_pokok"]
        for p in data["pinjaman"]
        if p["kolektibilitas"] in ("Kurang Lancar", "Diragukan", "Macet")
    )
    assert abs(float(npl) - 100 * besar / data["ringkasan"]["outstanding"]) < 0.006
    # nothing disbursed yet 10 years ago
    out = io.StringIO()
    call_command("danabergulir_posisi", "--per", "2015-01-01", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "pinjaman": [],
        "ringkasan": {"outstanding": 0, "npl_persen": "0.00"},
    }
    with pytest.raises(CommandError) as e:
        call_command("danabergulir_posisi", "--per", hari.isoformat(), "--unit", "tidak-ada")
    assert e.value.returncode == 2


@pytest.mark.django_db
def test_laporan(tmp_path):
    hari = dt.date.today()
    f = tmp_path / "lap.xlsx"
    call_command(
        "danabergulir_laporan",
        "--bulan",
        f"{hari:%Y-%m}",
        "--unit",
        "upt-dana-bergulir-pacitan",
        "-o",
        str(f),
        "--pdf",
        stdout=io.StringIO(),
    )
    import openpyxl

    wb = openpyxl.load_workbook(f)
    assert wb.sheetnames == [
        "Ringkasan",
        "Posisi Debitur",
        "Per Kecamatan",
        "Per Produk",
        "Tagihan vs Realisasi",
        "Umur Tunggakan",
        "Kolektibilitas",
    ]
    umur = [r[0].value for r in wb["Umur Tunggakan"].iter_rows(min_row=5, max_row=10)]
    assert umur == [
        "1-30 hari",
        "31-60 hari",
        "61-90 hari",
        "91-120 hari",
        "121-180 hari",
        ">180 hari",
    ]
    teks = "".join(p.extract_text() for p in PdfReader(f.with_suffix(".pdf")).pages)
    assert "Laporan Dana" in teks and "Saldo akhir dana" in teks and "NPL" in teks
    for salah in (["--bulan", "2024-13"], ["--unit", "tidak-ada"]):
        args = {"--bulan": f"{hari:%Y-%m}", "--unit": "upt-dana-bergulir-pacitan"}
        args[salah[0]] = salah[1]
        with pytest.raises(CommandError) as e:
            call_command(
                "danabergulir_laporan", *[x for kv in args.items() for x in kv], "-o", str(f)
            )
        assert e.value.returncode == 2


@pytest.mark.django_db
def test_setup_idempoten():
    """A second run adds nothing (the demo book exists already; the test base data has no
    proposals in process, so the first run here adds those)."""
    from danabergulir.models import Pembayaran, Pinjaman, Proposal

    assert setup(demo=True)["demo"] == {"pinjaman": 0}
    assert Proposal.objects.exists()
    n = (Pinjaman.objects.count(), Pembayaran.objects.count(), Proposal.objects.count())
    hasil = setup(demo=True)
    assert hasil["demo"] == {"pinjaman": 0} and hasil["demo_sop"] == {}
    assert (Pinjaman.objects.count(), Pembayaran.objects.count(), Proposal.objects.count()) == n
    assert Pembayaran.objects.filter(status="suspense").exists()
