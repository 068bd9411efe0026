"""Journeys (the loan's decisions and SOP 24): after letter III a loan waits for a decision on
the collection board; the officer proposes a restructuring and the Kepala UPT approves it (the
loan page shows schedule version 2); on another loan a write-off is refused with a reason, then
proposed again and approved by the Kepala UPT and the Kepala Dinas. The month's bookkeeping cycle
(SOP 24) goes from the Kepala UPT to the officer, back to the Kepala UPT and to the Kepala Dinas,
who sends it to the BKD; its stored workbook and signed-off PDF are downloaded and read.

The loans are built through the services (letters I-III as in tests/danabergulir, with past
clocks); every change the journey looks at is made by clicking in the browser. axe-core checks
every screen.
"""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from danabergulir import services
from danabergulir.models import HapusBuku, Pembayaran, Pinjaman, Restrukturisasi, SiklusBulanan
from danabergulir.sapuan import buka_siklus_bulanan
from danabergulir.services.siklus import jaminan_belum_kembali
from sop.models import Unit
from tests.danabergulir.alur import UPT, antre_keputusan, baris, orang, pinjaman_baru

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli"]
BULAN += ["Agustus", "September", "Oktober", "November", "Desember"]


def _nama(username: str) -> str:
    nama = orang(username).get_full_name()
    assert nama, username  # the screens show people's names, never usernames
    return nama


def _unduh(page, testid: str) -> bytes:
    with page.expect_download() as unduh:
        page.click(f"[data-testid={testid}]")
    with open(unduh.value.path(), "rb") as f:
        return f.read()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_restrukturisasi_dan_hapus_buku(halaman, aksesibel, masuk_browser, simpan_layar, media):
    page = halaman
    a, _ = antre_keputusan(pinjaman_baru(pertama=dt.date(2024, 1, 15)))
    b, _ = antre_keputusan(pinjaman_baru(pertama=dt.date(2024, 2, 15)))
    hari = timezone.localdate()
    petugas, kaupt, kadis = _nama("upt.pacitan"), _nama("kaupt.pacitan"), _nama("kadis.pacitan")

    # 1. the collection board lists both loans as waiting for a decision after letter III
    masuk_browser(page, "upt.pacitan")
    page.goto("/danabergulir/penagihan/")
    antre = page.locator("[data-testid=antre-keputusan]")
    for p in (a, b):
        expect(antre).to_contain_text(f"{p.nomor} · {p.debitur.nama}")
    expect(antre).to_contain_text("Menunggu keputusan setelah surat tagihan III")
    aksesibel(page, "papan penagihan: antrean keputusan")
    simpan_layar(page, "danabergulir-antre-keputusan")

    # 2. the officer opens loan A and proposes a restructuring (rescheduling over 12 months)
    antre.get_by_role("link", name=a.nomor).click()
    expect(page).to_have_title(re.compile(rf"^{re.escape(a.nomor)} · [^<]+$"))
    expect(page.locator("[data-testid=status-pinjaman]")).to_have_text(
        "Menunggu keputusan (setelah surat tagihan III)"
    )
    expect(page.locator("[data-testid=kolektibilitas]")).to_have_text("Macet")
    page.click("[data-testid=buka-restruk]")
    page.select_option("#id_rs_bentuk", "penjadwalan_kembali")
    page.fill("#id_rs_tenor", "12")
    page.fill("#id_rs_jatuh_tempo_pertama", f"{hari + dt.timedelta(days=30):%Y-%m-%d}")
    page.fill("#id_rs_alasan", "Usaha pulih setelah banjir, sanggup mengangsur lagi")
    aksesibel(page, "pinjaman: usulan restrukturisasi")
    page.click("[data-testid=ajukan-restruk]")
    expect(page.locator(".msg.success")).to_have_text(
        "Restrukturisasi menunggu persetujuan Kepala UPT."
    )
    r = Restrukturisasi.objects.get(pinjaman=a)
    kartu = page.locator(f"[data-testid=restruk-{r.pk}]")
    expect(kartu).to_contain_text("Penjadwalan kembali")
    expect(kartu.locator(".badge")).to_have_text("Diajukan")
    expect(kartu).to_contain_text(petugas)
    expect(page.locator(f"[data-testid=putus-restruk-{r.pk}]")).to_have_count(0)  # not hers
    simpan_layar(page, "danabergulir-restrukturisasi-usulan")

    # 3. the Kepala UPT approves: schedule version 2 from today, the loan is active again
    masuk_browser(page, "kaupt.pacitan")
    page.goto(f"/danabergulir/pinjaman/{a.pk}/#keputusan")
    page.check(f"#id_r{r.pk}_keputusan_0")
    page.fill(f"#id_r{r.pk}_catatan", "Disetujui, jadwal baru 12 bulan")
    aksesibel(page, "pinjaman: keputusan restrukturisasi")
    page.click(f"[data-testid=putus-restruk-{r.pk}]")
    expect(page.locator(".msg.success")).to_have_text("Tersimpan.")
    expect(kartu.locator(".badge")).to_have_text("Disetujui dan diterapkan")
    v2 = page.locator("[data-testid=jadwal-v2]")
    expect(v2.locator("h2")).to_contain_text("versi 2 · Restrukturisasi (Penjadwalan kembali)")
    expect(v2).to_contain_text("Usaha pulih setelah banjir")
    expect(v2.locator("tbody tr[data-testid^=angsuran-2-]")).to_have_count(13)  # arrears + 12
    expect(page.locator("[data-testid=jadwal-v1] h2")).to_contain_text("versi 1 · Awal")
    expect(page.locator("[data-testid=status-pinjaman]")).to_have_count(0)  # active again
    assert Pinjaman.objects.get(pk=a.pk).status == Pinjaman.Status.AKTIF
    aksesibel(page, "pinjaman: jadwal versi 2")
    simpan_layar(page, "danabergulir-restrukturisasi-disetujui")

    # 4. loan B: the officer proposes an absolute write-off; the Kepala UPT refuses it, first
    # without a reason (refused by the engine, nothing changes), then with one
    masuk_browser(page, "upt.pacitan")
    page.goto(f"/danabergulir/pinjaman/{b.pk}/")
    page.click("[data-testid=buka-hapus]")
    page.select_option("#id_hb_jenis", "hapus_buku_mutlak")
    page.fill("#id_hb_nomor_sk", "900/41/UPT-DB/2026")
    page.fill("#id_hb_alasan", "Debitur meninggal dunia, tidak ada ahli waris")
    aksesibel(page, "pinjaman: usulan hapus buku")
    page.click("[data-testid=ajukan-hapus]")
    expect(page.locator(".msg.success")).to_have_text("Hapus buku menunggu persetujuan Kepala UPT.")
    h1 = HapusBuku.objects.get(pinjaman=b)
    masuk_browser(page, "kaupt.pacitan")
    page.goto(f"/danabergulir/pinjaman/{b.pk}/")
    page.check(f"#id_h{h1.pk}_keputusan_1")
    page.click(f"[data-testid=putus-hapus-{h1.pk}]")
    expect(page.locator(".msg.error")).to_contain_text("Tuliskan alasan untuk")
    assert HapusBuku.objects.get(pk=h1.pk).status == HapusBuku.Status.DIAJUKAN
    page.check(f"#id_h{h1.pk}_keputusan_1")
    page.fill(f"#id_h{h1.pk}_catatan", "Ahli waris ada, tagihan harus tetap dicatat")
    page.click(f"[data-testid=putus-hapus-{h1.pk}]")
    kartu = page.locator(f"[data-testid=hapus-{h1.pk}]")
    expect(kartu.locator(".badge")).to_have_text("Ditolak")
    expect(kartu).to_contain_text("Hapus buku mutlak · SK 900/41/UPT-DB/2026")
    expect(page.locator("[data-testid=jejak]")).to_contain_text("Ahli waris ada")
    aksesibel(page, "pinjaman: hapus buku ditolak")
    simpan_layar(page, "danabergulir-hapus-buku-ditolak")

    # 5. a conditional write-off proposed again, approved by the Kepala UPT, then by the Kepala
    # Dinas, whose approval writes the loan off
    masuk_browser(page, "upt.pacitan")
    page.goto(f"/danabergulir/pinjaman/{b.pk}/")
    page.click("[data-testid=buka-hapus]")
    page.select_option("#id_hb_jenis", "hapus_buku_bersyarat")
    page.fill("#id_hb_nomor_sk", "900/42/UPT-DB/2026")
    page.fill("#id_hb_alasan", "Usaha tutup, ahli waris sanggup mengangsur bila mampu")
    page.click("[data-testid=ajukan-hapus]")
    expect(page.locator(".msg.success")).to_have_text("Hapus buku menunggu persetujuan Kepala UPT.")
    h2 = HapusBuku.objects.get(pinjaman=b, nomor_sk="900/42/UPT-DB/2026")
    masuk_browser(page, "kaupt.pacitan")
    page.goto(f"/danabergulir/pinjaman/{b.pk}/")
    page.check(f"#id_h{h2.pk}_keputusan_0")
    page.click(f"[data-testid=putus-hapus-{h2.pk}]")
    kartu = page.locator(f"[data-testid=hapus-{h2.pk}]")
    expect(kartu.locator(".badge")).to_have_text("Disetujui Kepala UPT")
    expect(kartu).to_contain_text(f"disahkan oleh {kaupt}")
    masuk_browser(page, "kadis.pacitan")
    page.goto(f"/danabergulir/pinjaman/{b.pk}/")
    aksesibel(page, "pinjaman: persetujuan Kepala Dinas")
    page.check(f"#id_h{h2.pk}_keputusan_0")
    page.click(f"[data-testid=putus-hapus-{h2.pk}]")
    expect(page.locator(".msg.success")).to_have_text("Tersimpan.")
    expect(kartu.locator(".badge")).to_have_text("Disetujui: dihapusbukukan")
    expect(kartu).to_contain_text(f"disahkan oleh {kaupt}, {kadis}")
    expect(kartu).to_contain_text(
        "Hapus buku bersyarat (tagihan tetap ada) · SK 900/42/UPT-DB/2026"
    )
    expect(page.locator("[data-testid=status-pinjaman]")).to_have_text("Hapus buku bersyarat")
    dihapus = page.locator("[data-testid=ringkasan-pinjaman] tr", has_text="Dihapusbukukan tanggal")
    expect(dihapus.locator("td")).to_contain_text(f"{hari:%d} {BULAN[hari.month - 1][:3]}")
    expect(page.locator("[data-testid=buka-hapus]")).to_have_count(0)
    b = Pinjaman.objects.get(pk=b.pk)
    assert b.status == Pinjaman.Status.HAPUS_BUKU_BERSYARAT and b.tanggal_hapus_buku == hari
    aksesibel(page, "pinjaman: dihapusbukukan")
    simpan_layar(page, "danabergulir-hapus-buku-disetujui")


def test_siklus_bulanan_sampai_bkd(halaman, aksesibel, masuk_browser, simpan_layar, media):
    page = halaman
    upt = Unit.objects.get(kode=UPT)
    hari = timezone.localdate()
    akhir = hari.replace(day=1) - dt.timedelta(days=1)  # the month that ended
    bulan = f"{akhir:%Y-%m}"
    nama_bulan = f"{BULAN[akhir.month - 1]} {akhir.year}"
    # a bank credit on the month's last day that names no loan: the recording step waits for it
    services.rekening_posting(
        unit=upt,
        baris=[baris(akhir, 125_000, "TRANSFER MASUK TANPA BERITA", "E2E-S24")],
        user=orang("upt.pacitan"),
    )
    assert buka_siklus_bulanan() == {"siklus_dibuka": 1}  # the daily sweep, after month's end
    s = SiklusBulanan.objects.get(unit=upt, tahun=akhir.year, bulan=akhir.month)
    url = f"/danabergulir/laporan/?bulan={bulan}"
    kaupt, kadis = _nama("kaupt.pacitan"), _nama("kadis.pacitan")

    def langkah(teks_tombol=None):
        if teks_tombol:
            expect(page.locator("[data-testid=langkah-siklus]")).to_have_text(teks_tombol)
        with page.expect_navigation():  # the POST, its redirect and the page it lands on
            page.click("[data-testid=langkah-siklus]")
        expect(page.locator(".msg.success")).to_have_text("Tersimpan.")

    # 1. the Kepala UPT assigns the officer; the officer only sees who it waits for
    masuk_browser(page, "upt.pacitan")
    page.goto(url)
    kini = page.locator("[data-testid=siklus-24] [data-testid=langkah-kini]")
    expect(kini).to_contain_text("1.")
    expect(page.locator("[data-testid=siklus-24]")).to_contain_text(
        "Menunggu pelaksana langkah ini."
    )
    expect(page.locator("[data-testid=form-siklus]")).to_have_count(0)
    masuk_browser(page, "kaupt.pacitan")
    page.goto(url)
    aksesibel(page, "SOP 24: penugasan")
    simpan_layar(page, "danabergulir-siklus-tugaskan")
    langkah("Selesaikan langkah ini")
    expect(kini).to_contain_text("2.")

    # 2. recording waits for the unmatched bank lines up to the month's end: the officer marks
    # them in the unmatched list, then completes recording and storage
    masuk_browser(page, "upt.pacitan")
    page.goto(url)
    expect(page.locator("[data-testid=syarat-kurang]")).to_contain_text(
        "baris bank belum cocok sampai akhir bulan"
    )
    aksesibel(page, "SOP 24: pencatatan menunggu")
    simpan_layar(page, "danabergulir-siklus-pencatatan")
    page.goto("/danabergulir/suspense/")
    for pk in Pembayaran.objects.filter(
        unit=upt, status=Pembayaran.Status.SUSPENSE, hari__lte=akhir.toordinal()
    ).values_list("pk", flat=True):
        kartu = page.locator(f"[data-testid=suspense-{pk}]")
        kartu.locator("summary").click()
        kartu.locator("input[name=catatan]").fill("Bukan angsuran")
        page.click(f"[data-testid=abaikan-{pk}]")
        expect(page.locator(".msg.success")).to_be_visible()
    assert Pembayaran.objects.get(referensi="E2E-S24").status != Pembayaran.Status.SUSPENSE
    page.goto(url)
    expect(page.locator("[data-testid=syarat-kurang]")).to_have_count(0)
    langkah()
    expect(kini).to_contain_text("3.")
    # collateral of loans paid off by the month's end goes back to the debtor first
    for j in jaminan_belum_kembali(upt, akhir):
        page.goto(f"/danabergulir/pinjaman/{j.pinjaman_id}/")
        baris_j = page.locator("[data-testid=jaminan] tr", has_text=j.nomor_dokumen)
        baris_j.locator("summary").click()
        baris_j.locator("input[name=kepada]").fill("Debitur")
        baris_j.locator("button").click()
        page.goto(url)
    langkah()

    # 3. bookkeeping stores the month's workbook; the officer reports to the Kepala UPT
    langkah("Bukukan bulan ini (simpan buku kerja)")
    wb = openpyxl.load_workbook(io.BytesIO(_unduh(page, "xlsx-siklus")))
    isi = " ".join(
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )
    assert nama_bulan in isi or bulan in isi, isi[:300]
    langkah()
    expect(kini).to_contain_text("6.")

    # 4. the Kepala UPT signs the report off (PDF with name) and reports to the Kepala Dinas
    masuk_browser(page, "kaupt.pacitan")
    page.goto(url)
    aksesibel(page, "SOP 24: pengesahan")
    langkah()
    expect(page.locator("[data-testid=siklus-24]")).to_contain_text(kaupt)
    # a PDF opens in the browser (inline): read it as the browser gets it, with the user's session
    pdf = page.request.get(page.get_attribute("[data-testid=pdf-disahkan]", "href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    teks = " ".join(
        " ".join(h.extract_text() or "" for h in PdfReader(io.BytesIO(pdf.body())).pages).split()
    )
    assert nama_bulan in teks and "Disahkan secara elektronik" in teks and kaupt in teks
    expect(kini).to_contain_text("7.")

    # 5. the Kepala Dinas records the cover letter to the BKD: the cycle is finished
    masuk_browser(page, "kadis.pacitan")
    page.goto(url)
    page.fill("#id_sk24_nomor_surat", "900/77/DISKOP/2026")
    aksesibel(page, "SOP 24: kirim ke BKD")
    langkah("Kirim ke BKD")
    selesai = page.locator("[data-testid=siklus-selesai]")
    expect(selesai).to_contain_text("900/77/DISKOP/2026")
    expect(selesai.locator(".badge")).to_have_text("Selesai")
    expect(page.locator("[data-testid=form-siklus]")).to_have_count(0)
    page.locator("[data-testid=siklus-24] details summary").click()
    expect(page.locator("[data-testid=siklus-24] [data-testid=jejak]")).to_contain_text(kadis)
    s = SiklusBulanan.objects.get(pk=s.pk)
    assert s.status == "selesai" and s.tanggal_kirim_bkd == hari
    aksesibel(page, "SOP 24: selesai")
    simpan_layar(page, "danabergulir-siklus-selesai")
