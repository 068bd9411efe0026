"""Spreadsheet imports: the loan book and bank statements (xlsx and csv), staged and all or
nothing, errors by Excel row and column in Bahasa Indonesia; the commands' JSON and exit codes."""

import datetime as dt
import io
import json

import openpyxl
import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from danabergulir import selectors  # noqa: E402
from danabergulir.models import ImporBerkas, JadwalVersi, Pembayaran, Pinjaman

from .alur import baris
from .conftest import D

pytestmark = pytest.mark.django_db

JUDUL_PINJAMAN = (
    "No Pinjaman",
    "Nama Debitur",
    "Jenis",
    "NIK / NIK Koperasi",
    "Kecamatan",
    "Desa/Kelurahan",
    "Plafon",
    "Jasa (% per tahun)",
    "Metode",
    "Tenor (bulan)",
    "Tanggal Pencairan",
    "Jatuh Tempo Angsuran Pertama",
)


def xlsx(rows, judul, *, atas=("BUKU PINJAMAN DANA BERGULIR", "UPT Pacitan", "")) -> bytes:
    """A workbook with title rows, a header and ``rows`` (dates as dates, numbers as numbers)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Data")
    tgl = wb.add_format({"num_format": "dd/mm/yyyy"})
    r0 = 0
    for t in atas:
        ws.write_string(r0, 0, t)
        r0 += 1
    for j, t in enumerate(judul):
        ws.write_string(r0, j, t)
    for i, r in enumerate(rows, start=r0 + 1):
        for j, v in enumerate(r):
            if isinstance(v, dt.date):
                ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), tgl)
            elif isinstance(v, int | float):
                ws.write_number(i, j, v)
            elif v is not None:
                ws.write_string(i, j, str(v))
    wb.close()
    return buf.getvalue()


def baris_pinjaman(i, **ubah):
    r = {
        "nomor": f"IMP/2024/{i:04d}",
        "nama": f"Debitur Impor {i}",
        "jenis": "UMKM" if i % 2 else "Koperasi",
        "nik": f"3501{i:012d}",
        "kec": "Donorojo",
        "desa": "",
        "plafon": 1_000_000,
        "jasa": 12,
        "metode": "flat",
        "tenor": 3,
        "cair": D(2023, 12, 15),
        "pertama": D(2024, 1, 15),
    }
    r.update(ubah)
    return list(r.values())


def impor_pinjaman(tmp_path, rows, *args, **kw):
    f = tmp_path / "buku.xlsx"
    f.write_bytes(xlsx(rows, JUDUL_PINJAMAN, **kw))
    out = io.StringIO()
    try:
        call_command(
            "danabergulir_impor_pinjaman",
            str(f),
            "--unit",
            "upt-dana-bergulir-pacitan",
            "--oleh",
            "upt.pacitan",
            "--json",
            *args,
            stdout=out,
            stderr=io.StringIO(),
        )
        kode = 0
    except CommandError as e:
        kode = e.returncode
    return kode, json.loads(out.getvalue()) if out.getvalue() else None


def test_impor_buku_pinjaman(tmp_path):
    rows = [baris_pinjaman(i) for i in range(1, 4)]
    kode, hasil = impor_pinjaman(tmp_path, rows)
    assert kode == 0
    assert hasil == {"created": 3, "updated": 0, "unchanged": 0, "errors": []}
    p = Pinjaman.objects.get(nomor="IMP/2024/0001")
    assert (p.plafon, p.metode, p.tenor, p.debitur.jenis) == (1_000_000, "flat", 3, "umkm")
    assert list(p.versi.get().angsuran.values_list("pokok", flat=True)) == [
        333_333,
        333_333,
        333_334,
    ]
    # the same rows again change nothing
    assert impor_pinjaman(tmp_path, rows)[1] == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "errors": [],
    }
    # a corrected name and a corrected tenor (no payment yet): updated, old schedule kept
    rows[0] = baris_pinjaman(1, nama="Debitur Impor Satu")
    rows[1] = baris_pinjaman(2, tenor=4)
    assert impor_pinjaman(tmp_path, rows)[1]["updated"] == 2
    p2 = Pinjaman.objects.get(nomor="IMP/2024/0002")
    assert p2.tenor == 4 and p2.versi.count() == 2
    assert p2.versi.get(hari_sampai__isnull=True).jenis == JadwalVersi.Jenis.KOREKSI
    assert selectors.posisi_satu(p2, D(2024, 1, 1)).sisa_pokok == 1_000_000


def test_syarat_pinjaman_berbayar_tidak_diubah(tmp_path, posting):
    impor_pinjaman(tmp_path, [baris_pinjaman(7)])
    posting([baris(D(2024, 1, 15), 343_333, "ANGS IMP/2024/0007", "I7")])
    kode, hasil = impor_pinjaman(tmp_path, [baris_pinjaman(7, plafon=2_000_000)])
    assert kode == 1
    assert "restrukturisasi" in hasil["errors"][0]["message"]


def test_galat_per_baris_dan_kolom(tmp_path):
    rows = [
        baris_pinjaman(11),
        baris_pinjaman(12, jenis="Perseroan"),
        baris_pinjaman(13, kec="Kecamatan Antah"),
        baris_pinjaman(14, nik=3501000000000010),  # typed in Excel as a number: 16th digit cut to 0
        baris_pinjaman(11, nama="dobel"),  # the same loan number again
        baris_pinjaman(15, pertama=D(2023, 12, 1)),  # before the disbursement
        baris_pinjaman(16, metode="harian"),
    ]
    kode, hasil = impor_pinjaman(tmp_path, rows)
    assert kode == 1
    assert hasil["created"] == 0 and not Pinjaman.objects.filter(nomor__startswith="IMP/").exists()
    per_baris = {(e["row"], e["column"]) for e in hasil["errors"]}
    # title rows 1-3, header row 4, data from row 5
    assert (6, "Jenis") in per_baris
    assert (7, "Kecamatan") in per_baris
    assert (8, "NIK / NIK Koperasi") in per_baris
    assert (9, "No Pinjaman") in per_baris
    assert (10, "Jatuh Tempo Angsuran Pertama") in per_baris
    assert (11, "Metode") in per_baris
    pesan = " ".join(e["message"] for e in hasil["errors"])
    assert "Koperasi atau UMKM" in pesan and "15 digit" in pesan
    assert ImporBerkas.objects.filter(status="galat").latest("pk").berkas_anotasi


def test_impor_salah_pakai(tmp_path):
    f = tmp_path / "b.xlsx"
    f.write_bytes(xlsx([baris_pinjaman(1)], JUDUL_PINJAMAN))
    for args in (
        ["--unit", "tidak-ada", "--oleh", "upt.pacitan"],
        ["--unit", "upt-dana-bergulir-pacitan", "--oleh", "tidak.ada"],
        ["--unit", "upt-dana-bergulir-pacitan", "--oleh", "kadis.inhil"],
    ):
        with pytest.raises(CommandError) as e:
            call_command("danabergulir_impor_pinjaman", str(f), *args, stdout=io.StringIO())
        assert e.value.returncode == 2
    with pytest.raises(CommandError) as e:
        call_command(
            "danabergulir_impor_pinjaman",
            str(tmp_path / "x.xlsx"),
            "--unit",
            "upt-dana-bergulir-pacitan",
            "--oleh",
            "upt.pacitan",
        )
    assert e.value.returncode == 2


def test_dry_run_tidak_menyimpan(tmp_path):
    kode, hasil = impor_pinjaman(tmp_path, [baris_pinjaman(21)], "--dry-run")
    assert (kode, hasil["created"]) == (0, 1)
    assert not Pinjaman.objects.filter(nomor="IMP/2024/0021").exists()


# ---------------------------------------------------------------- bank statements
JUDUL_REKENING = ("Tanggal", "Uraian", "No. Referensi", "Debet", "Kredit", "Saldo")
ATAS = (
    "REKENING KORAN",
    "Bank Jatim Cabang Pacitan",
    "No. Rekening: 0011223344",
    "Periode: 01/01/2024 - 31/01/2024",
    "",
)


def impor_rekening(tmp_path, data: bytes, nama="rekening.xlsx", *args):
    f = tmp_path / nama
    f.write_bytes(data)
    out = io.StringIO()
    try:
        call_command(
            "danabergulir_impor_rekening",
            str(f),
            "--oleh",
            "upt.pacitan",
            "--json",
            *args,
            stdout=out,
            stderr=io.StringIO(),
        )
        kode = 0
    except CommandError as e:
        kode = e.returncode
    return kode, json.loads(out.getvalue()) if out.getvalue() else None


def test_rekening_xlsx(tmp_path, buat_pinjaman):
    p, q = buat_pinjaman(), buat_pinjaman()
    rows = [
        (D(2024, 1, 1), "SALDO AWAL", "", None, None, 5_000_000),
        (D(2024, 1, 15), f"SETORAN ANGSURAN {p.nomor}", "TRX1", None, "343.333,00", 5_343_333),
        (D(2024, 1, 15), f"setoran {q.nomor.lower()}", "TRX2", None, 343_333, 5_686_666),
        (D(2024, 1, 16), "BIAYA ADMINISTRASI", "", "5.000,00", None, 5_681_666),
        (D(2024, 1, 17), "TRF TANPA NOMOR", "TRX3", None, "100.000", 5_781_666),
        (None, "TOTAL MUTASI", "", "5.000,00", "786.666,00", None),
    ]
    data = xlsx(rows, JUDUL_REKENING, atas=ATAS)
    kode, hasil = impor_rekening(tmp_path, data)
    assert kode == 0, hasil
    assert hasil == {"posted": 2, "duplicate": 0, "unmatched": 1, "errors": []}
    assert selectors.posisi_satu(p, D(2024, 1, 15)).sisa_pokok == 666_667
    assert Pembayaran.objects.get(referensi="TRX3").status == "suspense"
    assert impor_rekening(tmp_path, data)[1] == {
        "posted": 0,
        "duplicate": 3,
        "unmatched": 0,
        "errors": [],
    }


def test_rekening_csv_tumpang_tindih(tmp_path, buat_pinjaman):
    p = buat_pinjaman()
    kepala = "REKENING KORAN;;;;;\nNo. Rekening 0011223344;;;;;\n"
    judul = "Tanggal;Keterangan;No. Referensi;Debet;Kredit;Saldo\n"
    a = [
        f"15/01/2024;ANGSURAN {p.nomor};R1;;200.000,00;200.000,00\n",
        f"15/01/2024;ANGSURAN {p.nomor};R2;;200.000,00;400.000,00\n",
    ]
    b = [*a[1:], f"20/01/2024;ANGSURAN {p.nomor};R3;;100.000,00;500.000,00\n"]
    k1, h1 = impor_rekening(tmp_path, (kepala + judul + "".join(a)).encode(), "a.csv")
    assert (k1, h1["posted"]) == (0, 2)
    k2, h2 = impor_rekening(tmp_path, (kepala + judul + "".join(b)).encode(), "b.csv")
    assert (k2, h2) == (0, {"posted": 1, "duplicate": 1, "unmatched": 0, "errors": []})


def test_rekening_galat(tmp_path):
    rows = [
        (D(2024, 1, 15), "SETORAN", "X", "1.000", "2.000", None),
        (None, "SETORAN TANPA TANGGAL", "Y", None, "5.000", None),
        (D(2024, 1, 16), "SETORAN", "Z", None, "satu juta", None),
    ]
    kode, hasil = impor_rekening(tmp_path, xlsx(rows, JUDUL_REKENING, atas=ATAS))
    assert kode == 1
    assert {e["row"] for e in hasil["errors"]} == {7, 8, 9}
    assert not Pembayaran.objects.filter(referensi__in=["X", "Y", "Z"]).exists()
    kode, hasil = impor_rekening(
        tmp_path, xlsx([(D(2024, 1, 1), "A", "", None, None, None)], ("Tanggal", "Uraian", "Debet"))
    )
    assert kode == 1 and "Kredit" in hasil["errors"][0]["message"]


# ---------------------------------------------------------------- screens
def test_layar_unggah_pratinjau_simpan(masuk, tmp_path, settings, buat_pinjaman):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = buat_pinjaman()
    c = masuk("upt.pacitan")
    data = xlsx(
        [(D(2024, 1, 15), f"ANGS {p.nomor}", "W1", None, 343_333, None)], JUDUL_REKENING, atas=ATAS
    )
    resp = c.post(
        reverse("danabergulir:impor_unggah"),
        {"jenis": "rekening", "berkas": SimpleUploadedFile("rk.xlsx", data)},
    )
    impor = ImporBerkas.objects.latest("pk")
    assert resp["Location"] == impor.get_absolute_url()
    assert impor.status == "valid" and impor.hitungan["posted"] == 1
    assert not Pembayaran.objects.filter(referensi="W1").exists()  # nothing before commit
    html = c.get(impor.get_absolute_url()).content.decode()
    assert 'data-testid="pratinjau"' in html and 'data-testid="simpan-impor"' in html
    assert masuk("kadis.pacitan").post(reverse("danabergulir:impor_terapkan", args=[impor.pk]))
    impor.refresh_from_db()
    assert impor.status == "valid"  # the Kepala Dinas may not commit
    c = masuk("upt.pacitan")
    c.post(reverse("danabergulir:impor_terapkan", args=[impor.pk]))
    impor.refresh_from_db()
    assert impor.status == "selesai"
    assert Pembayaran.objects.get(referensi="W1").pinjaman_id == p.pk


def test_latar_belakang_lebih_2000_baris(masuk, buat_pinjaman):
    """A large statement is validated and committed by the tasks (ImmediateBackend in tests)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = buat_pinjaman()
    rows = [(D(2024, 1, 15), f"ANGS {p.nomor}", f"B{i}", None, 1_000, None) for i in range(2_100)]
    data = xlsx(rows, JUDUL_REKENING, atas=ATAS)
    c = masuk("upt.pacitan")
    c.post(
        reverse("danabergulir:impor_unggah"),
        {"jenis": "rekening", "berkas": SimpleUploadedFile("besar.xlsx", data)},
    )
    impor = ImporBerkas.objects.latest("pk")
    assert impor.status == "valid" and impor.total_baris == 2_100
    c.post(reverse("danabergulir:impor_terapkan", args=[impor.pk]))
    impor.refresh_from_db()
    assert impor.status == "selesai" and impor.hitungan["posted"] == 2_100


def test_berkas_kecil_pun_tidak_dibaca_di_permintaan_web(masuk, buat_pinjaman, settings):
    """Issue 12: even a one-row file is read by a worker, never by the upload or commit request
    (a worker backend that only queues: the request leaves the row waiting, untouched)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from danabergulir import tasks
    from danabergulir.impor import staging as stg

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend = tasks.validasi_impor.get_backend()
    backend.clear()
    baca = []
    asli = stg.rencanakan
    stg.rencanakan = lambda *a, **k: baca.append(1) or asli(*a, **k)
    try:
        p = buat_pinjaman()
        data = xlsx([(D(2024, 1, 15), f"ANGS {p.nomor}", "K1", None, 1_000, None)], JUDUL_REKENING)
        c = masuk("upt.pacitan")
        c.post(
            reverse("danabergulir:impor_unggah"),
            {"jenis": "rekening", "berkas": SimpleUploadedFile("kecil.xlsx", data)},
        )
        impor = ImporBerkas.objects.latest("pk")
        assert impor.status == "menunggu" and not baca
        [hasil] = backend.results
        assert hasil.task.name == "validasi_impor" and hasil.args == [impor.pk]
        stg.impor_validasi(impor)  # what the worker does
        impor.refresh_from_db()
        assert impor.status == "valid" and len(baca) == 1
        c.post(reverse("danabergulir:impor_terapkan", args=[impor.pk]))
        impor.refresh_from_db()
        assert impor.status == "menyimpan" and len(baca) == 1  # claimed, queued, not read
        assert [r.task.name for r in backend.results][-1] == "terapkan_impor"
    finally:
        stg.rencanakan = asli


def test_anotasi(masuk, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = masuk("upt.pacitan")
    data = xlsx([baris_pinjaman(31, jenis="PT")], JUDUL_PINJAMAN)
    c.post(
        reverse("danabergulir:impor_unggah"),
        {"jenis": "pinjaman", "berkas": SimpleUploadedFile("buku.xlsx", data)},
    )
    impor = ImporBerkas.objects.latest("pk")
    assert impor.status == "galat"
    resp = c.get(reverse("danabergulir:impor_anotasi", args=[impor.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    teks = " ".join(str(c.value) for r in wb.active.iter_rows() for c in r if c.value)
    assert "Koperasi atau UMKM" in teks


def test_daftar_dan_template(masuk):
    c = masuk("upt.pacitan")
    html = c.get(reverse("danabergulir:impor_daftar")).content.decode()
    assert 'data-testid="form-unggah"' in html
    assert (
        'data-testid="form-unggah"'
        not in masuk("kadis.pacitan").get(reverse("danabergulir:impor_daftar")).content.decode()
    )
    for jenis, judul in (("pinjaman", "No Pinjaman"), ("rekening", "Kredit")):
        resp = c.get(reverse("danabergulir:impor_template", args=[jenis]))
        wb = openpyxl.load_workbook(io.BytesIO(resp.content))
        teks = [str(x.value) for r in wb.active.iter_rows() for x in r if x.value]
        assert judul in teks
    assert c.get(reverse("danabergulir:impor_template", args=["lain"])).status_code == 404
