"""Journey: one BPUM proposal from the village counter to the ministry's answer, on a phone.

desa intake + receipt -> kecamatan batch -> dinas accepts and exports -> regency batch sent and
forwarded -> ministry answer imported -> the public status page shows "diterima".
"""

import io
import re

import openpyxl
import pytest
import xlsxwriter
from playwright.sync_api import expect

from bpum.models import Usulan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NIK = "1404045506880007"  # a woman born 15-06-1988 in Tembilahan
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _xlsx_jawaban(path, nik):
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Hasil Validasi")
    for j, t in enumerate(("NIK", "Status", "Keterangan")):
        ws.write_string(0, j, t)
    ws.write_string(1, 0, nik)
    ws.write_string(1, 1, "DITERIMA")
    ws.write_string(1, 2, "Lolos validasi Deputi Bidang Usaha Mikro")
    wb.close()
    path.write_bytes(buf.getvalue())
    return str(path)


def test_bpum_dari_desa_sampai_status_publik(
    halaman, masuk_browser, simpan_layar, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = halaman
    sukses = page.locator(".msg.success")

    # 1. village counter: intake with the document checklist, receipt, completeness check
    masuk_browser(page, "desa.tembilahan-kota")
    page.click("[data-testid=tile-bpum]")  # the home page leads to the module
    page.click("[data-testid=tile-usulan-baru]")
    page.fill("#id_nik", NIK)
    page.fill("#id_no_kk", "1404040101880012")
    page.fill("#id_nama", "Siti Aminah")
    page.fill("#id_alamat", "Jl. Swarna Karya No. 12, Tembilahan")
    page.fill("#id_bidang_usaha", "Kue basah")
    page.fill("#id_no_hp", "0812 7654 3210")
    for field, nama, isi in (
        ("berkas_ktp", "ktp.png", PNG),
        ("berkas_kk", "kk.pdf", PDF),
        ("berkas_usaha", "sku.pdf", PDF),
        ("berkas_foto", "foto.png", PNG),
    ):
        f = tmp_path / nama
        f.write_bytes(isi)
        page.set_input_files(f"#id_{field}", str(f))
    page.check("input[name=bukan_pegawai]")
    page.check("input[name=tidak_menerima_kur]")
    simpan_layar(page, "40-bpum-form-desa")
    page.click("[data-testid=simpan-usulan]")
    expect(sukses).to_be_visible()
    u = Usulan.objects.get(nik=NIK)
    assert u.no_hp == "+6281276543210"
    expect(page.locator("h1")).to_contain_text(u.nomor)
    pdf = page.request.get(f"/bpum/usulan/{u.pk}/tanda-terima.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:4] == b"%PDF"
    simpan_layar(page, "41-bpum-detail-desa")
    page.click("[data-testid=transisi-tandai_lengkap]")
    expect(sukses).to_be_visible()
    expect(page.locator("[data-testid=status-usulan]")).to_have_text(
        re.compile("kecamatan|district", re.I)
    )

    # 2. district: the batch builder, then send it to the regency agency
    masuk_browser(page, "kecamatan.tembilahan")
    page.goto("/bpum/rekap/susun/")
    expect(page.locator("[data-testid=form-susun]")).to_contain_text(u.nomor)
    simpan_layar(page, "42-bpum-rekap-kecamatan")
    page.click("[data-testid=tambah-semua]")
    expect(sukses).to_be_visible()
    page.click("[data-testid=kirim-rekap]")  # what will be sent, then the confirmation
    expect(page.locator("[data-testid=ringkasan-kirim]")).to_contain_text("Tembilahan Kota")
    page.click("[data-testid=konfirmasi-kirim-rekap]")
    expect(sukses).to_be_visible()
    assert Usulan.objects.get(pk=u.pk).status == "direkap"

    # 3. agency: accept the batch from the queue, export the rekap
    masuk_browser(page, "dinas.inhil")
    page.goto("/bpum/")
    page.click("[data-testid=tile-antrean]")
    page.locator("[data-testid=daftar-rekap] a").first.click()
    expect(page.locator("[data-testid=anggota-rekap]")).to_contain_text(u.nomor)
    page.click("[data-testid=buka-terima-rekap]")
    page.click("[data-testid=terima-rekap]")
    expect(sukses).to_be_visible()
    page.goto("/bpum/ekspor/")
    with page.expect_download() as unduh:
        page.click("[data-testid=ekspor]")
    assert unduh.value.suggested_filename == "rekap-BPUM-2021-14.04.xlsx"
    with open(unduh.value.path(), "rb") as fh:
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()))
    ws = wb["Tembilahan"]
    assert ws["A2"].value == NIK and ws["A2"].data_type == "s"
    page.goto("/bpum/dasbor/")
    expect(page.locator("[data-testid=grafik]")).to_be_visible()
    simpan_layar(page, "43-bpum-dasbor-dinas")
    # the regency batch to the province; the province (in the portal) forwards it
    page.goto("/bpum/rekap/")
    page.click("[data-testid=susun-kabupaten]")
    expect(sukses).to_be_visible()
    page.click("[data-testid=kirim-rekap]")
    page.click("[data-testid=konfirmasi-kirim-rekap]")
    expect(sukses).to_be_visible()
    masuk_browser(page, "petugas.riau")
    page.goto("/bpum/")
    page.click("[data-testid=tile-antrean-provinsi]")
    page.locator("[data-testid=daftar-rekap] a").first.click()
    page.click("[data-testid=buka-terima-rekap]")
    page.click("[data-testid=terima-rekap]")
    expect(sukses).to_be_visible()
    assert Usulan.objects.get(pk=u.pk).status == "diteruskan"

    # 4. the ministry's answer, imported by the province: upload, preview, commit
    page.goto("/bpum/impor/")
    page.set_input_files(
        "[data-testid=form-impor-jawaban] input[type=file]",
        _xlsx_jawaban(tmp_path / "jawaban.xlsx", NIK),
    )
    page.click("[data-testid=unggah-jawaban]")
    expect(page.locator("[data-testid=pratinjau]")).to_contain_text(NIK)
    simpan_layar(page, "44-bpum-impor-jawaban")
    page.click("[data-testid=simpan-impor]")
    expect(sukses).to_be_visible()
    assert Usulan.objects.get(pk=u.pk).status == "diterima"

    # 5. the applicant checks the public status page (no login)
    page.context.clear_cookies()
    page.goto("/bpum/status/")
    page.fill("#id_nomor", u.nomor)
    page.fill("#id_nik4", NIK[-4:])
    page.click("[data-testid=cek-status]")
    expect(page.locator("[data-testid=status-publik]")).to_contain_text("Diterima")
    isi = page.locator("main").inner_text()
    assert "Siti Aminah" not in isi and NIK not in isi
    simpan_layar(page, "45-bpum-status-publik")
