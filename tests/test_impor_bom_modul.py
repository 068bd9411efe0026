"""The hostile workbooks of issue 12 through the licensing and loan-book readers: each command
refuses the file with exit 1 and a message, stores nothing, and never reads it whole.

The guard lives in one reader (``sop.lembar``); ``tests/sop/test_lembar_bom.py`` measures its
memory and time, ``tests/bpum/test_impor_bom.py`` covers the BPUM entry points. This file proves
the other modules' entry points reach the same guard.
"""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from danabergulir.models import ImporBerkas, Pembayaran, Pinjaman
from perizinan.models import ImporSkm, ResponSkm
from tests.sop import bom_xlsx as bom

pytestmark = pytest.mark.django_db

BOM = {
    "teks_bersama_100mb": lambda: bom.bom_teks_bersama(100, 350),
    "teks_bersama_palsu": lambda: bom.bom_teks_bersama(100, 350, nyatakan=1000),
    "sel_700mb_palsu": lambda: bom.bom_sel_inline(700, nyatakan=50 * bom.MIB),
    "bom_deflate": lambda: bom.bom_bagian(mb=1024),
}


def _jalankan(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        kode = 0
    except CommandError as e:
        kode = e.returncode
    return kode, out.getvalue(), err.getvalue()


def _galat_berkas(out: str) -> str:
    [e] = json.loads(out)["errors"]
    assert e["row"] == 0, e
    assert "terlalu" in e["message"] or "rusak" in e["message"], e  # said in the officer's words
    return e["message"]


@pytest.fixture
def berkas(tmp_path):
    def _tulis(data: bytes) -> str:
        p = tmp_path / "serangan.xlsx"
        p.write_bytes(data)
        return str(p)

    return _tulis


@pytest.mark.parametrize("nama", list(BOM))
def test_skm_bom_ditolak(berkas, nama):
    f = berkas(BOM[nama]())
    kode, out, _ = _jalankan("perizinan_ikm", f, "--json")
    assert kode == 1 and _galat_berkas(out)
    args = ("perizinan_impor_skm", f, "--unit", "dpmptsp-pelalawan", "--oleh", "fo.pelalawan")
    kode, out, _ = _jalankan(*args, "--json")
    assert kode == 1 and _galat_berkas(out)
    assert not ResponSkm.objects.exists()
    assert not ImporSkm.objects.exclude(status=ImporSkm.Status.GALAT).exists()


@pytest.mark.parametrize("nama", list(BOM))
def test_buku_pinjaman_dan_rekening_koran_bom_ditolak(berkas, nama):
    f = berkas(BOM[nama]())
    n = (Pinjaman.objects.count(), Pembayaran.objects.count())
    kode, out, _ = _jalankan(
        "danabergulir_impor_pinjaman",
        f,
        "--unit",
        "upt-dana-bergulir-pacitan",
        "--oleh",
        "upt.pacitan",
        "--json",
    )
    assert kode == 1 and _galat_berkas(out)
    kode, out, _ = _jalankan("danabergulir_impor_rekening", f, "--oleh", "upt.pacitan", "--json")
    assert kode == 1 and _galat_berkas(out)
    assert (Pinjaman.objects.count(), Pembayaran.objects.count()) == n
    assert not ImporBerkas.objects.filter(status=ImporBerkas.Status.SELESAI).exists()
