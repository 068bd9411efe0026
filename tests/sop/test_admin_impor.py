"""Import/Export buttons (django-import-export) for offices, assignments, users, holidays,
calendars and BPUM rounds: dry-run preview, errors by row and column in Bahasa Indonesia, xlsx/csv
only, bounded sizes, formulas neutralised on export."""

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bpum.models import Periode
from sop.models import HariLibur, Penugasan, Unit
from sop.sumber_impor import MAKS_UNGGAH

pytestmark = pytest.mark.django_db


def xlsx(judul, *baris) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(judul)
    for b in baris:
        ws.append(b)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def admin_client(masuk):
    return masuk("admin")


def impor(client, model, data: bytes, nama="data.xlsx", fmt="0"):
    url = reverse(f"admin:{model}_import")
    return client.post(url, {"format": fmt, "import_file": SimpleUploadedFile(nama, data)})


def konfirmasi(client, model, r):
    if "confirm_form" not in r.context:
        html = r.content.decode()
        pytest.fail(re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", html[html.find("<h2") :]))[:800])
    form = r.context["confirm_form"]
    return client.post(reverse(f"admin:{model}_process_import"), form.initial)


def test_halaman_impor_bahasa_indonesia(admin_client):
    r = admin_client.get(reverse("admin:sop_unit_import"))
    html = r.content.decode()
    assert r.status_code == 200
    for inggris in ("This importer will import", "File to import", ">Submit<", "Format<"):
        assert inggris not in html
    assert "Berkas yang diimpor" in html
    # only xlsx and csv are offered
    pilihan = r.context["form"].fields["format"].choices
    assert [label for _v, label in pilihan if _v != ""] == ["xlsx", "csv"]


def test_impor_unit_galat_per_baris_dan_kolom(admin_client):
    judul = ["kode", "nama", "jenis", "wilayah", "induk", "layanan", "hanya_baca", "kalender"]
    data = xlsx(
        judul,
        ["upt-baru", "UPT Baru", "upt", "35.01", "dinas-kukmp-pacitan", "sop", "tidak", ""],
        ["kantor-x", "Kantor X", "kantor", "99.99", "", "", "mungkin", ""],
    )
    r = impor(admin_client, "sop_unit", data)
    html = r.content.decode()
    assert r.status_code == 200 and "confirm_form" not in r.context
    assert "Beberapa baris gagal divalidasi" in html
    assert "kolom “wilayah”: tidak ada wilayah dengan kode “99.99”" in html
    assert "kolom “jenis”: “kantor” bukan salah satu dari" in html
    assert "kolom “hanya_baca”: tulis “ya” atau “tidak”, bukan “mungkin”" in html
    assert "<td>3</td>" in html  # the sheet's row 3 (header is row 1)
    assert not Unit.objects.filter(kode__in=["upt-baru", "kantor-x"]).exists()


def test_impor_unit_pratinjau_lalu_simpan(admin_client):
    judul = ["kode", "nama", "jenis", "wilayah", "induk", "layanan", "hanya_baca", "kalender"]
    data = xlsx(
        judul, ["upt-baru", "UPT Baru", "upt", "35.01", "dinas-kukmp-pacitan", "sop", "tidak", ""]
    )
    r = impor(admin_client, "sop_unit", data)
    assert "confirm_form" in r.context, r.content.decode()[-3000:]
    assert "Pratinjau" in r.content.decode()
    assert not Unit.objects.filter(kode="upt-baru").exists()  # dry run only
    konfirmasi(admin_client, "sop_unit", r)
    u = Unit.objects.get(kode="upt-baru")
    assert u.wilayah_id == "35.01" and u.induk.kode == "dinas-kukmp-pacitan"
    assert u.layanan == ["sop"] and not u.hanya_baca


def test_impor_penugasan_plt(admin_client):
    judul = ["id", "user", "unit", "peran", "jenis", "mulai", "selesai", "keterangan"]
    data = xlsx(
        judul,
        ["", "upt.pacitan", "upt-dana-bergulir-pacitan", "kepala_upt", "plt",
         dt.date(2026, 12, 1), "31-12-2026", "Plt selama Kepala UPT cuti"],
    )  # fmt: skip
    r = impor(admin_client, "sop_penugasan", data)
    konfirmasi(admin_client, "sop_penugasan", r)
    p = Penugasan.objects.get(user__username="upt.pacitan", jenis="plt")
    assert (p.mulai, p.selesai) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert [x.kode for x in p.peran.all()] == ["kepala_upt"]

    salah = xlsx(judul, ["", "tidak.ada", "upt-dana-bergulir-pacitan", "kepala_upt, raja", "plt",
                         "2026-12-31", "2026-12-01", ""])  # fmt: skip
    html = impor(admin_client, "sop_penugasan", salah).content.decode()
    assert "kolom “user”: tidak ada pengguna dengan kode “tidak.ada”" in html
    assert "kolom “peran”: tidak ada peran dengan kode raja" in html
    assert "kolom “selesai”: akhir sebelum awal (“mulai”)" in html


def test_impor_pengguna_tanpa_sandi(admin_client):
    data = xlsx(
        ["username", "first_name", "last_name", "email", "is_active"],
        ["petugas.baru", "Petugas", "Baru", "baru@example.org", "ya"],
    )
    konfirmasi(admin_client, "auth_user", impor(admin_client, "auth_user", data))
    u = get_user_model().objects.get(username="petugas.baru")
    assert u.is_active and not u.has_usable_password()


def test_impor_hari_libur_csv(admin_client):
    data = (
        "tanggal,nama,jenis,kalender,sumber\n21-08-2026,Libur daerah uji,libur_daerah,,SK Bupati\n"
    )
    r = impor(admin_client, "sop_harilibur", data.encode(), "libur.csv", fmt="1")
    konfirmasi(admin_client, "sop_harilibur", r)
    assert HariLibur.objects.filter(tanggal=dt.date(2026, 8, 21), jenis="libur_daerah").exists()


def test_impor_periode_bpum(admin_client):
    data = xlsx(
        ["kode", "nama", "wilayah", "dibuka", "ditutup", "dokumen_wajib", "keterangan"],
        ["BPUM-2027", "BPUM 2027", "14.04", "2027-01-04", "", "ktp, kk", ""],
    )
    konfirmasi(admin_client, "bpum_periode", impor(admin_client, "bpum_periode", data))
    assert Periode.objects.get(kode="BPUM-2027").dokumen_wajib == ["ktp", "kk"]
    salah = xlsx(
        ["kode", "nama", "wilayah", "dibuka", "ditutup", "dokumen_wajib", "keterangan"],
        ["BPUM-2028", "BPUM 2028", "14.04", "2028-01-04", "", "ktp, paspor", ""],
    )
    html = impor(admin_client, "bpum_periode", salah).content.decode()
    assert "kolom “dokumen_wajib”: “paspor” bukan salah satu dari" in html


def test_berkas_terlalu_besar_dan_bom_zip_ditolak(admin_client):
    r = impor(admin_client, "sop_unit", b"x" * (MAKS_UNGGAH + 1), "besar.csv", fmt="1")
    assert "paling besar" in r.content.decode()
    # a tiny xlsx whose one part unpacks to 50 MB: refused before any parser reads it
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/sharedStrings.xml", "A" * (50 * 1024 * 1024))
    assert len(buf.getvalue()) < MAKS_UNGGAH
    r = impor(admin_client, "sop_unit", buf.getvalue(), "bom.xlsx")
    assert "setelah dibuka" in r.content.decode()
    r = impor(admin_client, "sop_unit", b"MZ\x90\x00", "program.exe", fmt="1")
    assert "Hanya berkas xlsx atau csv" in r.content.decode()


def test_ekspor_menetralkan_rumus(admin_client):
    Unit.objects.filter(kode="upt-dana-bergulir-pacitan").update(nama='=HYPERLINK("x")')
    r = admin_client.post(
        reverse("admin:sop_unit_export"),
        {"format": "0", "resource": "0", **{f"unitresource_{f}": "on" for f in ("kode", "nama")}},
    )
    assert r.status_code == 200, r.content.decode()[-2000:]
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    nilai = [c.value for row in ws.iter_rows(min_row=2) for c in row]
    assert '\'=HYPERLINK("x")' in nilai
    assert not any(isinstance(v, str) and v.startswith("=") for v in nilai)
