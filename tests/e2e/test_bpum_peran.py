"""Journeys per role on a phone (issue 10), with axe-core on every screen they use:

* desa: the same NIK shows the existing proposal; a withdrawn proposal frees its NIK; a NIK of
  another province needs a confirmation; a phone photo is shrunk before upload and the first
  missing document is preselected;
* kecamatan: physical check of imported rows, then the confirmation before sending;
* dinas: row-by-row verification (accept, return with reasons), the round's time limits;
* provinsi: the regency batch returned with a reason, then accepted; the province rekap
  downloaded; the ministry's answer imported for the province.

Screenshots: artifacts/layar/ (and docs/img/ with SIMPAN_DOKUMEN=1) for docs/panduan.md.
"""

import io
import re

import openpyxl
import pytest
import xlsxwriter
from django.utils import timezone
from playwright.sync_api import expect

from bpum import services, verifikasi
from bpum.models import AlasanPengembalian, Periode, Rekap, Usulan
from sop import massal
from sop.models import Unit, Wilayah
from sop.penomoran import kode_acak

from .aksesibilitas import cek_aksesibilitas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DESA_TK = "14.04.04.1001"


def _nik(i: int, prov: str = "14") -> str:
    return f"{prov}0404{1 + i % 28:02d}0{1 + i % 9}8{i % 10}{1000 + i:04d}"


def _foto_besar(path):
    """A 3000 x 2200 phone-like photo (noisy, so it is several MB as PNG)."""
    import os

    from PIL import Image

    img = Image.frombytes("RGB", (3000, 2200), os.urandom(3000 * 2200 * 3))
    img.save(path, "PNG", compress_level=1)
    return str(path)


def _isi_form(page, nik, nama="Siti Aminah"):
    page.fill("#id_nik", nik)
    page.fill("#id_no_kk", "1404040101880012")
    page.fill("#id_nama", nama)
    page.fill("#id_alamat", "Jl. Swarna Karya No. 12, Tembilahan")
    page.fill("#id_bidang_usaha", "Kue basah")
    page.fill("#id_no_hp", "0812 7654 3210")
    page.check("input[name=bukan_pegawai]")
    page.check("input[name=tidak_menerima_kur]")


def _impor(n, *, mulai, kec="14.04.04", user="kecamatan.tembilahan"):
    """n imported rows (no scans) of Tembilahan Kota in the district's open batch."""
    from django.contrib.auth import get_user_model

    u = get_user_model().objects.get(username=user)
    periode = Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04")
    w = Wilayah.objects.get(kode=DESA_TK)
    unit = Unit.objects.get(wilayah=w, jenis=Unit.Jenis.DESA)
    objs = [
        Usulan(
            sop=services.sop_berlaku(),
            periode=periode,
            wilayah=w,
            kecamatan_id=kec,
            unit=unit,
            nomor=kode_acak("BPUM"),
            nik=_nik(mulai + i),
            no_kk=f"1404{mulai + i:012d}",
            nama=f"Pelaku Usaha {mulai + i}",
            alamat="Jl. Sudirman",
            status=Usulan.Status.LENGKAP,
            sumber=Usulan.Sumber.IMPOR,
            dibuat_oleh=u,
        )
        for i in range(n)
    ]
    Usulan.objects.bulk_create(objs)
    massal.mulai_proses_massal(objs, user=u, now=timezone.now(), transisi="impor")
    rekap = services.rekap_terbuka(
        user=u,
        periode=periode,
        wilayah=Wilayah.objects.get(kode=kec),
        tingkat=Rekap.Tingkat.KECAMATAN,
    )
    services.rekap_tambah(user=u, rekap=rekap, usulan_ids=[o.pk for o in objs])
    return periode, rekap, objs, u


def _terkirim_diperiksa(n, *, mulai):
    """A sent district batch of n imported rows, physically checked by the district."""
    periode, rekap, objs, kec = _impor(n, mulai=mulai)
    verifikasi.usulan_periksa_fisik(
        user=kec,
        periode=periode,
        kecamatan=rekap.wilayah,
        usulan_ids=[o.pk for o in objs],
        pemeriksa="Rahmat",
        tanggal=timezone.localdate(),
        dokumen=["ktp", "kk", "usaha", "foto", "pernyataan"],
    )
    return periode, services.rekap_kirim(user=kec, rekap=rekap), objs


# --------------------------------------------------------------------------- desa
def test_desa_nik_sama_tarik_provinsi_lain_dan_foto(
    halaman, masuk_browser, simpan_layar, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = halaman
    sukses = page.locator(".msg.success")
    masuk_browser(page, "desa.tembilahan-kota")
    page.goto("/bpum/")
    menu = page.locator("[data-testid=bpum-nav]")
    for m in ("rekap", "impor", "duplikat", "dasbor"):
        expect(menu.locator(f"[data-testid=menu-{m}]")).to_have_count(0)
    cek_aksesibilitas(page, "beranda BPUM desa")

    # 1. intake with a phone photo (shrunk in the browser) and a scanned PDF
    page.click("[data-testid=tile-usulan-baru]")
    nik = _nik(1)
    _isi_form(page, nik)
    page.set_input_files("#id_berkas_ktp", _foto_besar(tmp_path / "ktp.png"))
    expect(page.locator(".info-perkecil").first).to_contain_text("→")
    pdf = tmp_path / "kk.pdf"
    pdf.write_bytes(PDF)
    page.set_input_files("#id_berkas_kk", str(pdf))
    cek_aksesibilitas(page, "form usulan dengan foto diperkecil")
    simpan_layar(page, "50-bpum-foto-diperkecil")
    page.click("[data-testid=simpan-usulan]")
    expect(sukses).to_be_visible()
    u = Usulan.objects.get(nik=nik)
    from PIL import Image

    with u.berkas_ktp.open("rb") as fh:
        foto = Image.open(io.BytesIO(fh.read()))
        assert foto.format == "JPEG" and max(foto.size) == 1600
    assert u.berkas_ktp.size < 1_500_000

    # 2. the first missing document is preselected; the upload shows its progress
    expect(page.locator("#id_unggah_jenis")).to_have_value("usaha")
    page.set_input_files("#id_unggah_berkas", str(pdf))
    page.click("[data-testid=form-unggah] button")
    expect(sukses).to_contain_text("Dokumen diunggah")
    assert Usulan.objects.get(pk=u.pk).berkas_usaha

    # 3. the same NIK again: the existing proposal, no second number
    page.goto("/bpum/usulan/baru/")
    _isi_form(page, nik, nama="Siti Aminah (lagi)")
    page.click("[data-testid=simpan-usulan]")
    expect(page.locator(".msg.warning").first).to_contain_text("sudah terdaftar")
    expect(page.locator("h1")).to_contain_text(u.nomor)
    assert Usulan.objects.filter(nik=nik).count() == 1
    simpan_layar(page, "51-bpum-nik-sudah-terdaftar")

    # 4. a typo in the NIK: withdraw with a reason, then enter it again
    page.locator("details.aksi summary", has_text="Tarik usulan").click()
    page.fill("#id_tarik_catatan", "NIK salah ketik, dimasukkan ulang")
    cek_aksesibilitas(page, "tarik usulan")
    page.click("[data-testid=transisi-tarik]")
    expect(page.locator("[data-testid=ditarik]")).to_be_visible()
    simpan_layar(page, "52-bpum-usulan-ditarik")
    page.goto("/bpum/usulan/baru/")
    _isi_form(page, nik)
    page.click("[data-testid=simpan-usulan]")
    expect(sukses).to_be_visible()
    assert Usulan.objects.filter(nik=nik).exclude(status="ditarik").count() == 1

    # 5. a NIK from another province: a warning the officer confirms
    page.goto("/bpum/usulan/baru/")
    luar = _nik(2, prov="13")
    _isi_form(page, luar, nama="Rahmat")
    page.click("[data-testid=simpan-usulan]")
    expect(page.locator("[data-testid=konfirmasi-provinsi]")).to_be_visible()
    cek_aksesibilitas(page, "konfirmasi NIK provinsi lain")
    simpan_layar(page, "53-bpum-nik-provinsi-lain")
    page.check("#id_nik_luar_provinsi")
    page.click("[data-testid=simpan-usulan]")
    expect(sukses).to_be_visible()
    assert Usulan.objects.get(nik=luar).status == "diajukan"


# --------------------------------------------------------------------------- kecamatan
def test_kecamatan_periksa_fisik_lalu_konfirmasi_kirim(
    halaman, masuk_browser, simpan_layar, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _periode, rekap, objs, _u = _impor(3, mulai=100)
    page = halaman
    masuk_browser(page, "kecamatan.tembilahan")
    page.goto(f"/bpum/rekap/{rekap.pk}/")
    expect(page.locator("[data-testid=jumlah-kurang]")).to_contain_text("3 usulan")
    page.check("[data-testid=pilih-semua]")
    page.click("[data-testid=buka-periksa]")
    page.fill("#id_periksa_pemeriksa", "Rahmat")
    for kode in ("ktp", "kk", "usaha", "foto", "pernyataan"):
        page.check(f"input[name=dokumen][value={kode}]")
    cek_aksesibilitas(page, "pemeriksaan fisik")
    simpan_layar(page, "54-bpum-periksa-fisik")
    page.click("[data-testid=simpan-periksa]")
    expect(page.locator(".msg.success")).to_contain_text("3 usulan")
    expect(page.locator(f"[data-testid=kelengkapan-{objs[0].pk}]")).to_contain_text("Rahmat")
    page.click("[data-testid=kirim-rekap]")
    expect(page.locator("[data-testid=ringkasan-kirim]")).to_contain_text("Tembilahan Kota")
    expect(page.locator("[data-testid=konfirmasi-kirim-rekap]")).to_contain_text("3 usulan")
    cek_aksesibilitas(page, "konfirmasi kirim")
    simpan_layar(page, "55-bpum-konfirmasi-kirim")
    assert Rekap.objects.get(pk=rekap.pk).status == "disusun"  # nothing sent yet
    page.click("[data-testid=konfirmasi-kirim-rekap]")
    expect(page.locator(".msg.success")).to_contain_text("dikirim")
    assert Rekap.objects.get(pk=rekap.pk).status == "dikirim"


# --------------------------------------------------------------------------- dinas
def test_dinas_verifikasi_per_baris_dan_batas_waktu(
    halaman, masuk_browser, simpan_layar, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _periode, rekap, objs = _terkirim_diperiksa(4, mulai=200)
    page = halaman
    sukses = page.locator(".msg.success")
    masuk_browser(page, "dinas.inhil")
    page.goto("/bpum/")
    page.click("[data-testid=tile-antrean]")
    page.locator("[data-testid=daftar-rekap] a", has_text=rekap.nomor).click()
    baris = page.locator("[data-testid=anggota-rekap]")
    for o in objs[:2]:
        baris.get_by_label(f"Pilih {o.nomor}").check()
    cek_aksesibilitas(page, "verifikasi per baris")
    simpan_layar(page, "56-bpum-verifikasi-per-baris")
    page.click("[data-testid=terima-terpilih]")
    expect(sukses).to_contain_text("2 usulan diverifikasi")
    baris.get_by_label(f"Pilih {objs[2].nomor}").check()
    page.click("[data-testid=buka-kembalikan-terpilih]")
    teks = AlasanPengembalian.objects.get(kode="data-tidak-sesuai").teks
    page.locator("[data-testid=aksi-baris]").get_by_label(teks).check()
    page.fill("#id_baris_catatan", "Nama di KTP berbeda")
    simpan_layar(page, "57-bpum-kembalikan-per-baris")
    page.click("[data-testid=kembalikan-terpilih]")
    expect(sukses).to_contain_text("dikembalikan ke kecamatan")
    baris.get_by_label(f"Pilih {objs[3].nomor}").check()
    page.click("[data-testid=terima-terpilih]")
    expect(sukses).to_contain_text("ditutup")
    expect(page.locator("[data-testid=status-rekap]")).to_have_text(re.compile("Diterima"))
    st = dict(Usulan.objects.values_list("pk", "status"))
    assert [st[o.pk] for o in objs] == ["diverifikasi", "diverifikasi", "lengkap", "diverifikasi"]

    # the round's time limits
    page.goto("/bpum/")
    page.click("[data-testid=tile-periode]")
    page.fill("#id_periode_batas_desa", "4")
    cek_aksesibilitas(page, "pengaturan periode")
    simpan_layar(page, "58-bpum-pengaturan-periode")
    page.click("[data-testid=simpan-periode]")
    expect(sukses).to_contain_text("Pengaturan periode disimpan")
    assert Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04").batas_desa == 4
    page.goto("/bpum/dasbor/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cek_aksesibilitas(page, "dasbor ponsel")
    simpan_layar(page, "59-bpum-dasbor-ponsel")


# --------------------------------------------------------------------------- provinsi
def _jawaban(path, nik):
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Hasil Validasi")
    for j, t in enumerate(("NIK", "Status", "Keterangan")):
        ws.write_string(0, j, t)
    ws.write_string(1, 0, nik)
    ws.write_string(1, 1, "DITOLAK")
    ws.write_string(1, 2, "Sudah menerima KUR")
    wb.close()
    path.write_bytes(buf.getvalue())
    return str(path)


def test_provinsi_kembalikan_terima_ekspor_dan_jawaban(
    halaman, masuk_browser, simpan_layar, tmp_path, settings, django_user_model
):
    settings.MEDIA_ROOT = tmp_path / "media"
    periode, rekap, objs = _terkirim_diperiksa(2, mulai=300)
    dinas = django_user_model.objects.get(username="dinas.inhil")
    services.rekap_terima(user=dinas, rekap=rekap)
    rk, _n, _t = services.rekap_kabupaten_susun(user=dinas, periode=periode)
    services.rekap_kirim(user=dinas, rekap=rk)
    page = halaman
    sukses = page.locator(".msg.success")
    masuk_browser(page, "petugas.riau")
    page.goto("/bpum/")
    cek_aksesibilitas(page, "beranda provinsi")
    simpan_layar(page, "60-bpum-beranda-provinsi")
    page.click("[data-testid=tile-antrean-provinsi]")
    page.locator("[data-testid=daftar-rekap] a", has_text=rk.nomor).click()
    # a return needs its reason; "Lainnya" needs a note
    page.click("[data-testid=buka-kembalikan-rekap]")
    lainnya = AlasanPengembalian.objects.get(kode="lainnya").teks
    page.locator("[data-testid=aksi-rekap]").get_by_label(lainnya).check()
    page.click("[data-testid=kembalikan-rekap]")
    expect(page.locator("[data-ringkasan-galat]")).to_be_visible()
    cek_aksesibilitas(page, "kembalikan rekap kabupaten tanpa catatan")
    page.fill("#id_kembalikan_catatan", "No HP belum lengkap")
    simpan_layar(page, "61-bpum-provinsi-kembalikan")
    page.click("[data-testid=kembalikan-rekap]")
    expect(sukses).to_be_visible()
    assert Rekap.objects.get(pk=rk.pk).status == "dikembalikan"
    services.rekap_kirim(user=dinas, rekap=Rekap.objects.get(pk=rk.pk))
    page.reload()
    page.click("[data-testid=buka-terima-rekap]")
    page.click("[data-testid=terima-rekap]")
    expect(sukses).to_contain_text("diteruskan ke kementerian")
    assert set(
        Usulan.objects.filter(pk__in=[o.pk for o in objs]).values_list("status", flat=True)
    ) == {"diteruskan"}
    # the province rekap across regencies
    page.goto("/bpum/ekspor/")
    cek_aksesibilitas(page, "ekspor provinsi")
    with page.expect_download() as unduh:
        page.click("[data-testid=ekspor-provinsi]")
    assert unduh.value.suggested_filename == "rekap-provinsi-BPUM-2021-14.xlsx"
    with open(unduh.value.path(), "rb") as fh:
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()))
    assert wb.sheetnames == ["Ringkasan", "Kabupaten Indragiri Hilir"]
    # the ministry's answer for the province
    page.goto("/bpum/impor/")
    page.set_input_files(
        "[data-testid=form-impor-jawaban] input[type=file]",
        _jawaban(tmp_path / "jawaban.xlsx", objs[0].nik),
    )
    page.click("[data-testid=unggah-jawaban]")
    expect(page.locator("[data-testid=pratinjau]")).to_contain_text(objs[0].nik)
    simpan_layar(page, "62-bpum-provinsi-jawaban")
    page.click("[data-testid=simpan-impor]")
    expect(sukses).to_be_visible()
    u = Usulan.objects.get(pk=objs[0].pk)
    assert (u.status, u.keterangan_kementerian) == ("ditolak", "Sudah menerima KUR")
