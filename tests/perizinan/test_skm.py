"""SKM workbooks: perizinan_ikm (exact output, every bad file refused by row and column) and
perizinan_impor_skm (staged, all or nothing, idempotent, exit codes)."""

import io
import json
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError

from perizinan.models import ImporSkm, ResponSkm

pytestmark = pytest.mark.django_db

JUDUL = [
    "No",
    "Tanggal",
    "Jenis Layanan",
    "Jenis Kelamin",
    "Pendidikan",
    "Pekerjaan",
    *[f"U{i}" for i in range(1, 10)],
]


def xlsx(
    rows,
    judul=JUDUL,
    *,
    atas=("SURVEI KEPUASAN MASYARAKAT", "DPMPTSP Kabupaten Pelalawan"),
    rumus=None,
) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("SKM")
    for i, t in enumerate(atas):
        ws.write_string(i, 0, t)
    h = len(atas) + (1 if atas else 0)
    for j, t in enumerate(judul):
        ws.write_string(h, j, t)
    for i, r in enumerate(rows, start=h + 1):
        for j, v in enumerate(r):
            if isinstance(v, int | float):
                ws.write_number(i, j, v)
            elif v is not None:
                ws.write_string(i, j, str(v))
    if rumus:
        ws.write_formula(*rumus)
    wb.close()
    return buf.getvalue()


def baris(i, skor, layanan="Perbantuan Penerbitan NIB dan IUMK melalui OSS"):
    return [i, "2026-11-23", layanan, "P" if i % 2 else "L", "SMA", "Wirausaha", *skor]


@pytest.fixture
def berkas(tmp_path):
    def _tulis(data: bytes, nama="skm.xlsx"):
        p = tmp_path / nama
        p.write_bytes(data)
        return str(p)

    return _tulis


def jalankan(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        kode = 0
    except CommandError as e:
        kode = e.returncode
    return kode, out.getvalue(), err.getvalue()


def test_ikm_semua_tiga(berkas):
    f = berkas(xlsx([baris(i, [3] * 9) for i in range(1, 41)]))
    kode, out, _err = jalankan("perizinan_ikm", f, "--json")
    assert kode == 0
    assert json.loads(out) == {
        "responden": 40,
        "nrr": [3.0] * 9,
        "ikm": "75.00",
        "mutu": "C",
        "kinerja": "Kurang Baik",
    }
    kode, out, _err = jalankan("perizinan_ikm", f)
    assert "IKM 75,00 · mutu C (Kurang Baik)" in out


def test_ikm_nama_unsur_sebagai_judul_dan_nilai_teks(berkas):
    judul = [
        "No",
        "Persyaratan",
        "Prosedur",
        "Waktu Penyelesaian",
        "Biaya/Tarif",
        "Produk",
        "Kompetensi Pelaksana",
        "Perilaku Pelaksana",
        "Sarana dan Prasarana",
        "Penanganan Pengaduan",
    ]
    rows = [[1, *["4"] * 9], [2, *[4] * 8, 3], [3, *[3] * 9]]
    kode, out, _ = jalankan("perizinan_ikm", berkas(xlsx(rows, judul, atas=())), "--json")
    assert kode == 0
    h = json.loads(out)
    assert h["responden"] == 3
    assert h["nrr"][0] == pytest.approx(11 / 3) and h["nrr"][8] == pytest.approx(10 / 3)
    # 25 x (8 x 11/3 + 10/3) / 9 = 25 x 98 / 27 = 90.7407...
    assert (h["ikm"], h["mutu"], h["kinerja"]) == ("90.74", "A", "Sangat Baik")


BURUK = [
    # (rows, judul, row, column, words in the message)
    ([baris(1, [3] * 9), baris(2, [3, 3, 5, 3, 3, 3, 3, 3, 3])], JUDUL, 6, "U3", "1-4, bukan “5”"),
    ([baris(1, [0, 3, 3, 3, 3, 3, 3, 3, 3])], JUDUL, 5, "U1", "1-4"),
    ([baris(1, [3, 3, 3, 3, 2.5, 3, 3, 3, 3])], JUDUL, 5, "U5", "1-4"),
    ([baris(1, [3, 3, 3, 3, 3, 3, 3, 3, "baik"])], JUDUL, 5, "U9", ""),
    ([baris(1, [3, 3, 3, None, 3, 3, 3, 3, 3])], JUDUL, 5, "U4", "1-4"),
    ([baris(1, [3] * 8)], JUDUL[:-1], 4, "U9", "U9"),  # the U9 column is missing
]


@pytest.mark.parametrize(("rows", "judul", "row", "column", "kata"), BURUK)
def test_berkas_buruk_ditolak_per_baris_dan_kolom(berkas, rows, judul, row, column, kata):
    f = berkas(xlsx(rows, judul))
    kode, out, err = jalankan("perizinan_ikm", f, "--json")
    assert kode == 1
    galat = json.loads(out)["errors"]
    assert any(e["row"] == row and e["column"] == column and kata in e["message"] for e in galat), (
        galat
    )
    assert "ikm" not in json.loads(out)
    kode, out, err = jalankan("perizinan_ikm", f)
    assert kode == 1 and f"baris {row}, kolom {column}" in err


def test_berkas_bukan_xlsx_dan_rumus_dan_kosong(berkas):
    kode, out, _ = jalankan("perizinan_ikm", berkas(b"No,U1\n1,3\n", "skm.csv"), "--json")
    assert kode == 1 and json.loads(out)["errors"][0]["row"] == 0
    f = berkas(xlsx([baris(1, [3] * 9)], rumus=(4, 6, "=1+2")))  # a formula in U1
    kode, out, _ = jalankan("perizinan_ikm", f, "--json")
    assert kode == 1 and json.loads(out)["errors"][0]["column"] == "U1"
    kode, out, _ = jalankan("perizinan_ikm", berkas(xlsx([])), "--json")
    assert kode == 1
    kode, _out, err = jalankan("perizinan_ikm", "/tidak/ada.xlsx")
    assert kode == 2


def test_impor_semua_atau_tidak_sama_sekali_dan_idempoten(berkas):
    rows = [baris(i, [4, 4, 3, 4, 3, 4, 4, 3, 4]) for i in range(1, 11)]
    rows[3][2] = "Layanan yang tidak dikenal"
    f = berkas(xlsx(rows, [*JUDUL, "Saran", "Kecamatan"]))
    awal = ResponSkm.objects.count()
    kode, out, _ = jalankan(
        "perizinan_impor_skm",
        f,
        "--unit",
        "dpmptsp-pelalawan",
        "--oleh",
        "fo.pelalawan",
        "--dry-run",
        "--json",
    )
    assert (kode, json.loads(out)) == (
        0,
        {"created": 10, "updated": 0, "unchanged": 0, "errors": []},
    )
    assert ResponSkm.objects.count() == awal
    kode, out, _ = jalankan(
        "perizinan_impor_skm", f, "--unit", "dpmptsp-pelalawan", "--oleh", "fo.pelalawan", "--json"
    )
    assert (kode, json.loads(out)["created"]) == (0, 10)
    baru = ResponSkm.objects.filter(impor__isnull=False).order_by("baris")
    assert baru.count() == 10
    assert baru[0].jenis.kode == "iumk-pelalawan" and baru[3].jenis is None
    assert baru[3].profil["jenis_layanan"] == "Layanan yang tidak dikenal"
    assert baru[0].profil["jenis_kelamin"] == "P" and baru[0].profil["pendidikan"] == "SMA"
    # the same file again creates nothing
    kode, out, _ = jalankan(
        "perizinan_impor_skm", f, "--unit", "dpmptsp-pelalawan", "--oleh", "fo.pelalawan", "--json"
    )
    assert (kode, json.loads(out)) == (
        0,
        {"created": 0, "updated": 0, "unchanged": 10, "errors": []},
    )
    assert ResponSkm.objects.count() == awal + 10


def test_impor_berkas_buruk_tidak_menyimpan_apa_pun(berkas):
    rows = [baris(i, [3] * 9) for i in range(1, 6)] + [baris(6, [3, 3, 3, 3, 3, 3, 3, 3, 7])]
    f = berkas(xlsx(rows))
    awal = ResponSkm.objects.count()
    kode, out, _ = jalankan(
        "perizinan_impor_skm", f, "--unit", "dpmptsp-pelalawan", "--oleh", "fo.pelalawan", "--json"
    )
    assert kode == 1
    assert json.loads(out)["errors"][0]["row"] == 10 and json.loads(out)["created"] == 0
    assert ResponSkm.objects.count() == awal
    assert ImporSkm.objects.latest("pk").status == ImporSkm.Status.GALAT


@pytest.mark.parametrize(
    "args",
    [
        ("--unit", "tidak-ada", "--oleh", "fo.pelalawan"),
        ("--unit", "dpmptsp-pelalawan", "--oleh", "tidak.ada"),
        ("--unit", "dpmptsp-pelalawan", "--oleh", "staf.pacitan"),  # not an officer of that office
    ],
)
def test_impor_salah_pakai_exit_2(berkas, args):
    f = berkas(xlsx([baris(1, [3] * 9)]))
    assert jalankan("perizinan_impor_skm", f, *args)[0] == 2


CONTOH = Path(__file__).resolve().parents[2] / "docs" / "contoh" / "skm-pelalawan.xlsx"


def test_contoh_di_dokumentasi():
    """The example workbook the guide and the README use gives the documented result."""
    kode, out, _ = jalankan("perizinan_ikm", str(CONTOH), "--json")
    assert kode == 0
    assert json.loads(out) == {
        "responden": 40,
        "nrr": [3.5, 3.45, 3.45, 3.45, 3.55, 3.4, 3.55, 3.45, 3.525],
        "ikm": "87.01",
        "mutu": "B",
        "kinerja": "Baik",
    }


def test_templat_terbaca_kembali_dan_diisi(berkas):
    """The blank workbook's headers are found by the reader; filled in, it imports."""
    from perizinan.skm_impor import baca_skm, skm_templat

    kosong = baca_skm(skm_templat())
    assert kosong.header_row == 3 and kosong.errors[0]["row"] == 4  # no answers yet
    # the template's header row, then answers typed below it (as an office would)
    judul = [
        "No",
        "Tanggal",
        "Jenis Layanan",
        "Jenis Kelamin",
        "Umur",
        "Pendidikan",
        "Pekerjaan",
        *[f"U{i}" for i in range(1, 10)],
        "Saran",
    ]
    wb = openpyxl.load_workbook(io.BytesIO(skm_templat()))
    ws = wb["SKM"]
    assert [c.value for c in ws[3]] == judul
    ws.append([1, "23/11/2026", "Penerbitan NIB (perbantuan OSS)", "P", 30, "S1", "PNS", *[3] * 9])
    buf = io.BytesIO()
    wb.save(buf)
    kode, out, _ = jalankan("perizinan_ikm", berkas(buf.getvalue()), "--json")
    assert (kode, json.loads(out)["ikm"]) == (0, "75.00")


def test_bukan_xlsx_ditolak_oleh_pemeriksa_unggahan(berkas):
    """A program or a CSV renamed .xlsx: refused by the one upload check before any reading."""
    for isi, kata in ((b"MZ\x90\x00" + b"\x00" * 100, "program"), (b"No;U1\n1;3\n", "Excel")):
        kode, out, _ = jalankan("perizinan_ikm", berkas(isi), "--json")
        (e,) = json.loads(out)["errors"]
        assert kode == 1 and e["row"] == 0 and kata in e["message"], e
    awal = ImporSkm.objects.count()
    kode, out, _ = jalankan(
        "perizinan_impor_skm",
        berkas(b"MZ\x90\x00"),
        "--unit",
        "dpmptsp-pelalawan",
        "--oleh",
        "fo.pelalawan",
        "--json",
    )
    assert kode == 1
    impor = ImporSkm.objects.latest("pk")
    assert ImporSkm.objects.count() == awal + 1 and impor.status == ImporSkm.Status.GALAT
    assert not impor.berkas  # nothing of a non-workbook is kept
