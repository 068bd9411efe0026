"""Journey (issue 8): proposal -> survey -> SK -> credit agreement PDF -> realisation -> a bank
statement imported -> the loan falls into arrears -> letter I -> payment -> Lancar again.

Every step is done in the browser by the demo officer the seed names for it (UPT officer,
Kepala Dinas, Kepala UPT); the daily sweep (``sop_sla``) is run between days as the scheduler
would. axe-core checks every screen.
"""

import datetime as dt
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from danabergulir.models import JalanPenagihan, Pinjaman, Proposal
from danabergulir.selectors import posisi_satu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pdf(unduh) -> str:
    with open(unduh.value.path(), "rb") as f:
        data = f.read()
    halaman = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join((h.extract_text() or "") for h in halaman).split())


def _berkas_pdf(tmp_path):
    f = tmp_path / "proposal.pdf"
    f.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return str(f)


def _foto(tmp_path):
    from PIL import Image

    f = tmp_path / "warung.jpg"
    Image.new("RGB", (40, 30), (190, 120, 60)).save(f, "JPEG")
    return str(f)


def _csv(tmp_path, nama, baris):
    f = tmp_path / nama
    f.write_text(
        "REKENING KORAN;;;;;\nBank Jatim Cabang Pacitan;;;;;\n"
        "Tanggal;Uraian;No. Referensi;Debet;Kredit;Saldo\n" + "".join(baris),
        encoding="utf-8",
    )
    return str(f)


def test_proposal_sampai_lancar_lagi(
    halaman, aksesibel, masuk_browser, simpan_layar, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = halaman
    hari = dt.date.today()

    def sebagai(user, url):
        masuk_browser(page, user)
        page.goto(url)

    def selesaikan(user, url, testid="transisi-selesaikan"):
        sebagai(user, url)
        page.click(f"[data-testid={testid}]")
        expect(page.locator(".msg.success")).to_be_visible()

    # 1. SOP 17: the officer registers the applicant's proposal
    masuk_browser(page, "upt.pacitan")
    page.goto("/danabergulir/proposal/")
    page.click("[data-testid=proposal-baru]")
    page.select_option("#id_jenis", "umkm")
    page.fill("#id_nama", "Warung Bu Sarmi")
    page.fill("#id_nik", "3501014101900777")
    page.fill("#id_nib", "9120000000777")
    page.select_option("#id_kecamatan", "35.01.01")
    page.fill("#id_jumlah_diminta", "6000000")
    page.fill("#id_tenor_diminta", "12")
    page.fill("#id_tujuan", "Modal kerja warung kelontong")
    page.set_input_files("#id_berkas", _berkas_pdf(tmp_path))
    aksesibel(page, "pendaftaran proposal")
    page.click("[data-testid=simpan-proposal]")
    expect(page.locator("[data-testid=langkah-kini]")).to_contain_text("meneliti proposal")
    p = Proposal.objects.get(nama="Warung Bu Sarmi")
    url = f"/danabergulir/proposal/{p.pk}/"
    aksesibel(page, "proposal: penelitian")
    simpan_layar(page, "dagulir-proposal-periksa")
    page.click("[data-testid=transisi-putuskan_ya]")
    selesaikan("kadis.pacitan", url)  # disposisi
    selesaikan("kaupt.pacitan", url)  # tugaskan pencatatan
    selesaikan("upt.pacitan", url, "kirim-langkah")  # buku proposal
    expect(page.locator("h1")).to_contain_text("/PROP/UPT-DB/")

    # 2. SOP 18: the Kepala UPT sends the officer; the survey worksheet with a photo
    selesaikan("upt.pacitan", url)  # proposal lengkap (the applicant's, recorded)
    sebagai("kaupt.pacitan", url)
    page.select_option("#id_langkah_petugas", label="Staf UPT Dana Bergulir Pacitan")
    page.click("[data-testid=kirim-langkah]")
    sebagai("upt.pacitan", url)
    expect(page.locator("[data-testid=tenggat]")).to_be_visible()  # 14 hari
    page.fill("#id_survei_usaha", "Warung kelontong sejak 2018, ramai pagi hari")
    page.fill("#id_survei_omzet_bulanan", "9000000")
    page.fill("#id_survei_aset", "30000000")
    page.fill("#id_survei_jaminan_ditawarkan", "BPKB sepeda motor")
    page.fill("#id_survei_nilai_jaminan", "12000000")
    page.fill("#id_survei_plafon_rekomendasi", "5000000")
    page.set_input_files("#id_survei_foto", _foto(tmp_path))
    page.fill("#id_survei_keterangan_foto", "Tampak depan warung")
    aksesibel(page, "kertas kerja survei")
    page.click("[data-testid=simpan-survei]")
    expect(page.locator("[data-testid=foto-survei] li")).to_have_count(1)
    simpan_layar(page, "dagulir-proposal-survei")
    page.click("[data-testid=transisi-selesaikan]")
    selesaikan("kaupt.pacitan", url)  # the team receives the result

    # 3. SOP 19: recap, the decree drafted at the meeting and signed by the Kepala UPT
    selesaikan("upt.pacitan", url)  # tim survey: recap
    selesaikan("kaupt.pacitan", url)  # receives the recap
    sebagai("upt.pacitan", "/danabergulir/sk/")
    page.fill("#id_nomor", "500/E2E/UPT-DB/2026")
    page.click("[data-testid=buat-sk]")
    page.select_option("#id_kep_proposal", str(p.pk))
    page.check("#id_kep_disetujui_0")
    page.fill("#id_kep_plafon", "5000000")
    page.fill("#id_kep_tenor", "10")
    aksesibel(page, "draf SK")
    page.click("[data-testid=tambah-keputusan]")
    expect(page.locator("[data-testid=jumlah-sk]")).to_have_text("Rp5.000.000,00")
    sk_url = page.url
    sebagai("kaupt.pacitan", sk_url)
    page.click("[data-testid=tetapkan-sk]")
    expect(page.locator("[data-testid=status-sk]")).to_have_text("Ditetapkan")
    sebagai("upt.pacitan", sk_url)
    page.click("[data-testid=tutup-rapat]")
    simpan_layar(page, "dagulir-sk")

    # 4. SOP 20: invitation, account and collateral, the agreement signed (PDF from the data)
    selesaikan("kadis.pacitan", url)
    selesaikan("kaupt.pacitan", url)
    sebagai("upt.pacitan", url)
    page.fill("#id_langkah_jadwal", f"{hari:%Y-%m-%d}T10:00")
    page.fill("#id_langkah_tempat", "Aula UPT Dana Bergulir")
    page.click("[data-testid=kirim-langkah]")
    page.click("[data-testid=transisi-selesaikan]")  # the applicant received it (recorded)
    page.locator("[data-testid=perjanjian] summary").first.click()
    page.fill("#id_rek_nama_bank", "Bank Jatim Cabang Pacitan")
    page.fill("#id_rek_nomor_rekening", "0099887766")
    page.locator("[data-testid=form-rekening] button").click()
    page.locator("[data-testid=perjanjian] summary").nth(1).click()
    page.select_option("#id_jam_jenis", "bpkb")
    page.fill("#id_jam_nomor_dokumen", "M-5511")
    page.fill("#id_jam_nilai", "12000000")
    page.fill("#id_jam_tempat_penyimpanan", "Lemari arsip UPT")
    page.locator("[data-testid=form-jaminan-proposal] button").click()
    expect(page.locator("[data-testid=jaminan-proposal]")).to_contain_text("M-5511")
    aksesibel(page, "perjanjian: data")
    sebagai("kaupt.pacitan", url)
    cair = hari - dt.timedelta(days=50)  # the agreement and the bank's credit, seven weeks ago
    page.fill("#id_langkah_tanggal", f"{cair - dt.timedelta(days=2):%Y-%m-%d}")
    page.click("[data-testid=kirim-langkah]")
    with page.expect_download() as unduh:
        page.click("[data-testid=unduh-perjanjian]")
    teks = _pdf(unduh)
    assert "PERJANJIAN KREDIT" in teks and "Rp5.000.000,00" in teks
    assert "lima juta rupiah" in teks and "M-5511" in teks and "Pasal 4" in teks
    sebagai("kaupt.pacitan", sk_url)
    with page.expect_download() as unduh:
        page.click("[data-testid=unduh-daftar-bank]")
    assert unduh.value.suggested_filename.endswith(".xlsx")
    page.click("[data-testid=serahkan-bank]")
    sebagai("upt.pacitan", url)
    page.fill("#id_langkah_tanggal", f"{cair:%Y-%m-%d}")
    page.click("[data-testid=kirim-langkah]")
    expect(page.locator(".msg.success").first).to_contain_text("/PDB/")
    pj = Pinjaman.objects.get(proposal=p)
    assert pj.tanggal_pencairan == cair and pj.plafon == 5_000_000
    aksesibel(page, "proposal: disalurkan")
    simpan_layar(page, "dagulir-proposal-selesai")

    # 5. a bank statement imported (lines of other debtors): our loan's first installment,
    # due three weeks ago, is unpaid -> in arrears; the daily sweep opens letter I
    tgl = (hari - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    page.goto("/danabergulir/impor/")
    page.select_option("#id_jenis", "rekening")
    page.set_input_files(
        "#id_berkas",
        _csv(tmp_path, "rk1.csv", [f"{tgl};TRANSFER MASUK;E2E-A;;75.000,00;75.000,00\n"]),
    )
    page.click("[data-testid=unggah]")
    page.click("[data-testid=simpan-impor]")
    expect(page.locator("[data-testid=status-impor]")).to_have_text("Tersimpan")
    pos = posisi_satu(pj, hari)
    assert pos.dpd > 0 and pos.kolektibilitas == "Dalam Perhatian Khusus"
    from sop.sla import sapu

    sapu()
    run = JalanPenagihan.objects.get(pinjaman=pj)
    assert (run.tingkat, run.status) == (1, "tugaskan-penagihan")

    # 6. letter I: the Kepala UPT assigns from the collection board, the officer issues it
    sebagai("kaupt.pacitan", "/danabergulir/penagihan/")
    expect(page.locator(f"[data-testid='tagih-{pj.nomor}'] [data-testid=surat]")).to_contain_text(
        "I"
    )
    aksesibel(page, "papan penagihan")
    simpan_layar(page, "dagulir-penagihan")
    page.click(f"text={pj.nomor}")
    page.click(f"[data-testid=langkah-penagihan-{run.pk}]")
    sebagai("upt.pacitan", f"/danabergulir/pinjaman/{pj.pk}/")
    page.click(f"[data-testid=langkah-penagihan-{run.pk}]")  # the letter, dated today
    expect(page.locator("[data-testid=bayar-paling-lambat]")).to_be_visible()
    with page.expect_download() as unduh:
        page.click(f"[data-testid=unduh-surat-{run.pk}]")
    teks = _pdf(unduh)
    run = JalanPenagihan.objects.get(pk=run.pk)
    assert "Surat Tagihan I" in teks and pj.nomor in teks
    assert f"Rp{run.tunggakan_pokok:,}".replace(",", ".") in teks
    aksesibel(page, "pinjaman: surat tagihan I")
    simpan_layar(page, "dagulir-surat-tagihan")

    # 7. the debtor pays: the statement is imported, the next sweep finds no arrears
    pos = posisi_satu(pj, hari)
    jumlah = pos.tunggakan_pokok + pos.tunggakan_jasa + pos.denda
    rupiah = f"{jumlah:,}".replace(",", ".") + ",00"
    page.goto("/danabergulir/impor/")
    page.select_option("#id_jenis", "rekening")
    page.set_input_files(
        "#id_berkas",
        _csv(
            tmp_path,
            "rk2.csv",
            [f"{hari:%d/%m/%Y};SETORAN {pj.nomor} SARMI;E2E-B;;{rupiah};{rupiah}\n"],
        ),
    )
    page.click("[data-testid=unggah]")
    expect(page.locator("[data-testid=hitung-posted]")).to_have_text("1")
    page.click("[data-testid=simpan-impor]")
    expect(page.locator("[data-testid=status-impor]")).to_have_text("Tersimpan")
    sapu()
    page.goto(f"/danabergulir/pinjaman/{pj.pk}/")
    expect(page.locator("[data-testid=kolektibilitas]")).to_have_text("Lancar")
    expect(page.locator("[data-testid=dpd]")).to_have_text("0")
    expect(page.locator(f"#penagihan-{run.pk}")).to_contain_text("siklus ditutup")
    run = JalanPenagihan.objects.get(pk=run.pk)
    assert run.status == "bank-terima-angsuran" and run.siklus_ditutup is not None
    aksesibel(page, "pinjaman: lancar lagi")
    simpan_layar(page, "dagulir-lancar-lagi")
