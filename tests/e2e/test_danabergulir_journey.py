"""Journey (phase 1 of the revolving-fund module): the UPT officer works the loan book on a
phone: home -> a Macet loan's schedule -> an unmatched bank line posted to its loan by hand ->
the posting reversed with a reason (back to the unmatched list) -> portfolio -> monthly report.
axe-core (the shared ``aksesibel`` check) runs on every screen.
"""

import pytest
from playwright.sync_api import expect

from danabergulir.models import Pembayaran
from danabergulir.selectors import posisi

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_buku_pinjaman_upt(halaman, aksesibel, masuk_browser, simpan_layar, tmp_path, settings):
    import datetime as dt

    settings.MEDIA_ROOT = tmp_path / "media"
    page = halaman
    hari = dt.date.today()
    baris = posisi(hari)
    macet = next(b for b in baris if b.kolektibilitas == "Macet")
    dpk = next(b for b in baris if b.kolektibilitas == "Dalam Perhatian Khusus")
    suparmi = Pembayaran.objects.get(keterangan__startswith="SETORAN TUNAI SUPARMI")

    # 1. home of the module, from the portal home
    masuk_browser(page, "upt.pacitan")
    page.click("[data-testid=tile-danabergulir]")
    expect(page.locator("[data-testid=dagulir-tiles]")).to_be_visible()
    expect(page.locator("[data-testid=tile-suspense] .num")).not_to_have_text("0")
    aksesibel(page)
    simpan_layar(page, "danabergulir-beranda")

    # 2. the Macet loans, one loan's schedule, DPD and class
    page.goto("/danabergulir/pinjaman/?kelas=5")
    page.click(f"text={macet.nomor}")
    expect(page.locator("[data-testid=kolektibilitas]")).to_have_text("Macet")
    expect(page.locator("[data-testid=dpd]")).to_have_text(str(macet.dpd))
    expect(page.locator("[data-testid=jadwal-v1] .badge.danger").first).to_be_visible()
    aksesibel(page)
    simpan_layar(page, "danabergulir-pinjaman-detail")

    # 3. an unmatched bank line posted to its loan by hand (number typed with other spacing)
    page.goto("/danabergulir/suspense/")
    aksesibel(page)
    simpan_layar(page, "danabergulir-suspense")
    page.fill(f"[data-testid=nomor-{suparmi.pk}]", dpk.nomor.lower().replace("/", " / "))
    page.click(f"[data-testid=cocokkan-{suparmi.pk}]")
    expect(page.locator(".msg.success")).to_contain_text(dpk.nomor)
    expect(page.locator(f"[data-testid=bayar-{suparmi.pk}]")).to_contain_text("850.000")

    # 4. the posting reversed with a reason: back in the unmatched list
    page.locator(f"[data-testid=bayar-{suparmi.pk}] summary").click()
    page.fill(f"#alasan-{suparmi.pk}", "Setoran ternyata untuk pinjaman lain")
    page.click(f"[data-testid=balik-{suparmi.pk}]")
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator("[data-testid=pembalikan]")).to_contain_text("Setoran ternyata")
    page.goto("/danabergulir/suspense/")
    expect(page.locator(f"[data-testid=suspense-{suparmi.pk}]")).to_contain_text("Dibatalkan")

    # 5. portfolio: class and aging tables with their bars
    page.goto("/danabergulir/dasbor/")
    expect(page.locator("[data-testid=tabel-kelas] tbody tr")).to_have_count(5)
    expect(page.locator("[data-testid=tabel-umur] tbody tr")).to_have_count(6)
    aksesibel(page)
    simpan_layar(page, "danabergulir-dasbor")

    # 6. the monthly report and its workbook
    page.goto("/danabergulir/laporan/")
    expect(page.locator("[data-testid=laporan-dana]")).to_be_visible()
    aksesibel(page)
    with page.expect_download() as unduh:
        page.click("[data-testid=unduh-xlsx]")
    assert unduh.value.suggested_filename.endswith(".xlsx")
    simpan_layar(page, "danabergulir-laporan")


def test_impor_rekening_koran(halaman, aksesibel, masuk_browser, simpan_layar, tmp_path, settings):
    """A bank statement (CSV as the bank exports it) uploaded, checked, previewed and saved:
    the credit naming a loan is posted, the rest waits in the unmatched list."""
    pytest.importorskip("sop.lembar", reason="the project's safe spreadsheet reader")
    import datetime as dt

    settings.MEDIA_ROOT = tmp_path / "media"
    page = halaman
    hari = dt.date.today()
    dpk = next(b for b in posisi(hari) if b.kolektibilitas == "Dalam Perhatian Khusus")
    tgl = (hari - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    csv = (
        "REKENING KORAN;;;;;\nBank Jatim Cabang Pacitan;;;;;\n"
        "Tanggal;Uraian;No. Referensi;Debet;Kredit;Saldo\n"
        f"{tgl};SETORAN ANGSURAN {dpk.nomor};E2E-1;;1.000.000,00;1.000.000,00\n"
        f"{tgl};TRANSFER MASUK TANPA BERITA;E2E-2;;250.000,00;1.250.000,00\n"
        f"{tgl};BIAYA ADMIN;;5.000,00;;1.245.000,00\n"
    )
    f = tmp_path / "rekening-koran.csv"
    f.write_text(csv, encoding="utf-8")
    masuk_browser(page, "upt.pacitan")
    page.goto("/danabergulir/impor/")
    page.select_option("#id_jenis", "rekening")
    page.set_input_files("#id_berkas", str(f))
    page.click("[data-testid=unggah]")
    expect(page.locator("[data-testid=hitung-posted]")).to_have_text("1")
    expect(page.locator("[data-testid=hitung-unmatched]")).to_have_text("1")
    expect(page.locator("[data-testid=pratinjau]")).to_contain_text(dpk.nomor)
    aksesibel(page)
    simpan_layar(page, "danabergulir-impor-pratinjau")
    page.click("[data-testid=simpan-impor]")
    expect(page.locator("[data-testid=status-impor]")).to_have_text("Tersimpan")
    assert Pembayaran.objects.get(referensi="E2E-1").pinjaman.nomor == dpk.nomor
    assert Pembayaran.objects.get(referensi="E2E-2").status == "suspense"
