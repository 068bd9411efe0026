"""Journey: a district officer finds an import left half-way by a killed worker, sees why, and
retries it; then uploads a hostile workbook and reads the refusal. On a phone."""

import datetime as dt
import io

import pytest
import xlsxwriter
from django.utils import timezone
from playwright.sync_api import expect

from bpum import impor as imp
from bpum.models import ImporRekap, Periode
from sop.models import Wilayah
from tests.sop import bom_xlsx as bom

from .test_lacak_publik import _axe_serius

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEC = "14.04.04"


def _rekap() -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Rekap")
    ws.write_row(0, 0, bom.JUDUL_REKAP)
    ws.write_row(
        1,
        0,
        [
            "1404045506880007",
            "1404040101880012",
            "Siti Aminah",
            "Jl. Swarna Karya No. 12",
            "Tembilahan Kota",
            "Kue basah",
            "081276543210",
        ],
    )
    wb.close()
    return buf.getvalue()


def test_impor_basi_dicoba_lagi_dan_bom_ditolak(
    halaman, masuk_browser, simpan_layar, tmp_path, settings
):
    from django.contrib.auth import get_user_model

    settings.MEDIA_ROOT = tmp_path / "media"
    user = get_user_model().objects.get(username="kecamatan.tembilahan")
    periode = Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04")
    impor = imp.impor_buat(
        user=user,
        jenis="rekap",
        periode=periode,
        wilayah=Wilayah.objects.get(kode=KEC),
        raw=_rekap(),
        nama_berkas="rekap-tembilahan.xlsx",
    )
    # the worker claimed it, reported 15 %, then was killed 20 minutes ago
    ImporRekap.objects.filter(pk=impor.pk).update(
        status="memvalidasi", progres=15, denyut=timezone.now() - dt.timedelta(minutes=20)
    )

    page = halaman
    masuk_browser(page, "kecamatan.tembilahan")
    page.goto(f"/bpum/impor/{impor.pk}/")
    expect(page.get_by_test_id("status-impor")).to_have_text("Gagal")
    expect(page.get_by_test_id("pesan-impor")).to_contain_text("berhenti di tengah jalan")
    assert _axe_serius(page) == []
    simpan_layar(page, "60-bpum-impor-basi")
    page.get_by_test_id("ulang-impor").click()
    expect(page.get_by_test_id("status-impor")).to_have_text("Siap disimpan")
    expect(page.get_by_test_id("jumlah-dibuat")).to_have_text("1")

    # a 100 KB workbook that unpacks to 100 MB: refused with a message, nothing else happens
    bom_path = tmp_path / "rekap-bom.xlsx"
    bom_path.write_bytes(bom.bom_teks_bersama(100, 350))
    page.goto(f"/bpum/impor/?periode={periode.pk}")
    page.locator("[data-testid=form-impor-rekap] input[type=file]").set_input_files(str(bom_path))
    page.get_by_test_id("unggah-rekap").click()
    expect(page.get_by_test_id("pesan-impor")).to_contain_text("terlalu besar setelah dibuka")
    expect(page.get_by_test_id("status-impor")).to_have_text("Ada galat")
    assert _axe_serius(page) == []
    simpan_layar(page, "61-bpum-impor-bom-ditolak")
