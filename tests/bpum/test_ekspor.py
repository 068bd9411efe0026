"""Exports read back with openpyxl: ministry column order, NIK as 16-digit text, one sheet per
district plus a summary, formula-like cells neutralised; the command and the UI."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bpum import ekspor as eks
from bpum import impor as imp
from bpum.models import EksporRekap, Usulan
from sop.models import Wilayah

from .conftest import DESA_PK, baris_rekap, nik, xlsx_rekap

pytestmark = pytest.mark.django_db


def ekspor(tmp_path, *extra):
    out = tmp_path / "rekap.xlsx"
    call_command(
        "bpum_export_rekap",
        "--kabupaten",
        "14.04",
        "--periode",
        "BPUM-2021",
        "-o",
        str(out),
        *extra,
        stdout=io.StringIO(),
    )
    return openpyxl.load_workbook(out)


def test_ekspor_perintah(tmp_path, buat, sampai):
    sampai("diverifikasi", 2)
    buat(5, desa=DESA_PK, nama="=1+1", alamat="@SUM(A1)")
    wb = ekspor(tmp_path, "--semua-status")
    assert wb.sheetnames == ["Ringkasan", "Reteh", "Tembilahan"]
    ws = wb["Tembilahan"]
    assert [c.value for c in ws[1]] == eks.KOLOM_EKSPOR
    assert [c.value for c in ws[1]][:2] == ["NIK", "No KK"]
    for row in ws.iter_rows(min_row=2):
        assert row[0].data_type == "s" and len(row[0].value) == 16 and row[0].value.isdigit()
        assert row[1].data_type == "s" and len(row[1].value) == 16
    assert {r[0].value for r in ws.iter_rows(min_row=2)} == {nik(0), nik(1)}
    reteh = wb["Reteh"]
    nama, alamat = reteh.cell(2, 3).value, reteh.cell(2, 4).value
    assert nama == "'=1+1" and alamat == "'@SUM(A1)"  # neutralised, never a formula
    assert reteh.cell(2, 3).data_type == "s"
    ring = [[c.value for c in r] for r in wb["Ringkasan"].iter_rows()]
    assert ring[0] == ["Kecamatan", "Desa/Kelurahan", "Jumlah Usulan"]
    assert ["Tembilahan", "Tembilahan Kota", 2] in ring and ["Reteh", "Pulaukijang", 1] in ring


def test_ekspor_filter_status_dan_kecamatan(tmp_path, buat, sampai):
    sampai("diverifikasi", 2)
    buat(5, desa=DESA_PK)
    wb = ekspor(tmp_path, "--status", "diverifikasi")
    assert wb.sheetnames == ["Ringkasan", "Tembilahan"]
    wb = ekspor(tmp_path, "--kecamatan", "14.04.01", "--status", "diajukan,lengkap")
    assert wb.sheetnames == ["Ringkasan", "Reteh"]
    assert wb["Reteh"].max_row == 2


@pytest.mark.parametrize(
    "args",
    [
        ("--kabupaten", "99.99"),
        ("--periode", "X"),
        ("--kecamatan", "35.01.01"),
        ("--status", "entah"),
    ],
)
def test_ekspor_salah_pakai(tmp_path, periode, args):
    base = {"--kabupaten": "14.04", "--periode": "BPUM-2021", "-o": str(tmp_path / "x.xlsx")}
    base[args[0]] = args[1]
    with pytest.raises(CommandError) as e:
        call_command(
            "bpum_export_rekap", *[x for kv in base.items() for x in kv], stdout=io.StringIO()
        )
    assert e.value.returncode == 2


def test_ekspor_dapat_diimpor_ulang_tanpa_perubahan(tmp_path, pengguna, periode):
    """Round trip: the export of a district is a valid import file; every row is 'unchanged'."""
    raw = xlsx_rekap([baris_rekap(i) for i in range(5)])
    impor = imp.impor_validasi(
        imp.impor_buat(
            user=pengguna("kecamatan.tembilahan"),
            jenis="rekap",
            periode=periode,
            wilayah=Wilayah.objects.get(kode="14.04.04"),
            raw=raw,
            nama_berkas="a.xlsx",
        )
    )
    imp.impor_terapkan(impor, user=pengguna("kecamatan.tembilahan"))
    out = tmp_path / "rekap.xlsx"
    call_command(
        "bpum_export_rekap",
        "--kabupaten",
        "14.04",
        "--periode",
        "BPUM-2021",
        "--kecamatan",
        "14.04.04",
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    r = imp.rencanakan_rekap(
        out.read_bytes(), periode=periode, kecamatan=Wilayah.objects.get(kode="14.04.04")
    )
    assert (r.errors, len(r.baru), len(r.sama)) == ([], 0, 5)


def test_ekspor_ui_kecil_langsung(masuk, sampai, periode):
    sampai("diverifikasi", 2)
    c = masuk("dinas.inhil")
    assert c.get(reverse("bpum:ekspor")).status_code == 200
    resp = c.post(reverse("bpum:ekspor_buat"), {"periode": periode.pk})
    assert resp.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["Ringkasan", "Tembilahan"]


def test_ekspor_ui_lingkup(masuk, buat, periode):
    buat(1)
    buat(2, desa=DESA_PK)
    c = masuk("kecamatan.reteh")
    resp = c.post(reverse("bpum:ekspor_buat"), {"periode": periode.pk, "kecamatan": "14.04.04"})
    assert resp.status_code == 403
    resp = c.post(reverse("bpum:ekspor_buat"), {"periode": periode.pk, "kecamatan": "14.04.01"})
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["Ringkasan"]  # by default no proposal still at the village
    resp = c.post(
        reverse("bpum:ekspor_buat"),
        {"periode": periode.pk, "kecamatan": "14.04.01", "status": ["diajukan"]},
    )
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["Ringkasan", "Reteh"]


def test_ekspor_besar_di_latar(masuk, banyak, periode, monkeypatch):
    monkeypatch.setattr(eks, "BATAS_LATAR", 10)
    banyak(25)
    c = masuk("dinas.inhil")
    resp = c.post(reverse("bpum:ekspor_buat"), {"periode": periode.pk, "status": "diajukan"})
    e = EksporRekap.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "bpum:ekspor_detail", args=[e.pk]
    )
    assert (e.status, e.jumlah, e.progres) == (EksporRekap.Status.SELESAI, 25, 100)
    detail = c.get(resp["Location"]).content.decode()
    assert 'data-testid="unduh-ekspor"' in detail
    f = c.get(reverse("bpum:ekspor_unduh", args=[e.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(f.streaming_content)))
    assert wb["Tembilahan"].max_row == 26
    # a district officer cannot fetch the regency's export
    k = masuk("kecamatan.tembilahan")
    assert k.get(reverse("bpum:ekspor_unduh", args=[e.pk])).status_code == 404
    c = masuk("dinas.inhil")
    EksporRekap.objects.filter(pk=e.pk).update(status="berjalan", progres=30)
    poll = c.get(resp["Location"] + "?bagian=progres", HTTP_HX_REQUEST="true")
    assert poll.status_code == 200, poll.status_code
    assert '<progress id="bar-ekspor" max="100" value="30">' in poll.content.decode()


def test_ekspor_memori_tidak_tumbuh(tmp_path, banyak, periode, monkeypatch):
    monkeypatch.setattr(eks, "PORSI", 200)
    import tracemalloc

    def puncak(n_tambah, mulai):
        banyak(n_tambah, mulai=mulai)
        qs = eks.usulan_ekspor(Usulan.objects.all(), periode=periode, wilayah_kode="14.04")
        tracemalloc.start()
        eks.tulis_ekspor(tmp_path / f"x{mulai}.xlsx", qs, kabupaten_nama="Indragiri Hilir")
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak

    # past two fetch chunks (eks.PORSI rows each) the peak stays flat: 3,000 vs 9,000 rows
    kecil = puncak(3 * eks.PORSI, 10000)
    besar = puncak(6 * eks.PORSI, 20000)
    assert besar < kecil * 1.2, (kecil, besar)
