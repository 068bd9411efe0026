"""Spreadsheets and messages (issue 10): a NIK stored as a number with all 16 digits is told to
be stored as Text (not that a digit was cut); letters are named, not counted as "14 digit"; a
file of one village without a Desa/Kelurahan column, on the upload form and with --desa."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bpum import impor as imp
from bpum.models import ImporRekap, Usulan
from bpum.spreadsheet import baca_rekap
from bpum.validasi import cek_nik, cek_no_kk
from sop.models import Wilayah

from .conftest import DESA_SP, DESA_TK, KEC_TEMBILAHAN, kk, nik, xlsx_rekap

pytestmark = pytest.mark.django_db

TANPA_DESA = ("NIK", "No KK", "Nama Lengkap", "Alamat Sesuai KTP")


def _desa():
    return dict(
        Wilayah.objects.filter(induk_id=KEC_TEMBILAHAN, tingkat=4).values_list("kode", "nama")
    )


def _pesan(hasil, kolom="NIK"):
    return [e.message for e in hasil.errors if e.column == kolom]


def test_nik_number_with_all_16_digits_is_told_to_be_text():
    utuh = 1404045506880007  # 16 digits, exactly representable as a number
    terpotong = 1404045506880000  # what Excel keeps of a typed 16-digit number
    raw = xlsx_rekap(
        [
            [utuh, kk(1), "A", "Jl. 1", "Tembilahan Kota"],
            [terpotong, kk(2), "B", "Jl. 2", "Tembilahan Kota"],
        ],
        judul=(*TANPA_DESA, "Desa/Kelurahan"),
    )
    pesan = _pesan(baca_rekap(raw, desa=_desa()))
    assert "Ke-16 digitnya masih utuh" in pesan[0] and "sebagai Teks" in pesan[0]
    assert "terpotong" not in pesan[0] and "1404045506880007" in pesan[0]
    assert "digit ke-16 sudah terpotong" in pesan[1]


def test_letters_in_a_nik_are_named():
    _nik, p = cek_nik("14040455O6880007")  # a letter O for a zero
    assert p.startswith("NIK hanya boleh berisi angka: “O” (karakter ke-9)")
    assert "terisi" not in p and "15 digit" not in p
    _kk, p = cek_no_kk("1404O10188001200")
    assert "“O”" in p and "terisi" not in p
    raw = xlsx_rekap(
        [["14040455O6880007", "14040101880012I0", "A", "Jl. 1", "Tembilahan Kota"]],
        judul=(*TANPA_DESA, "Desa/Kelurahan"),
    )
    hasil = baca_rekap(raw, desa=_desa())
    assert "“O”" in _pesan(hasil)[0]
    assert "“I” bukan angka" in _pesan(hasil, "No KK")[0]


def test_one_village_file_without_its_column():
    raw = xlsx_rekap(
        [[nik(1), kk(1), "A", "Jl. 1"], [nik(2), kk(2), "B", "Jl. 2"]], judul=TANPA_DESA
    )
    from bpum.spreadsheet import BerkasTidakValid

    with pytest.raises(BerkasTidakValid, match="Desa/Kelurahan tidak ditemukan"):
        baca_rekap(raw, desa=_desa())  # without a chosen village the column is required
    hasil = baca_rekap(raw, desa=_desa(), desa_tetap=DESA_TK)
    assert not hasil.errors
    assert {(b.desa_kode, b.desa_nama) for b in hasil.rows} == {(DESA_TK, "Tembilahan Kota")}
    # with the column: empty cells take the chosen village, another village is refused
    raw = xlsx_rekap(
        [
            [nik(3), kk(3), "C", "Jl. 3", ""],
            [nik(4), kk(4), "D", "Jl. 4", "Sungaiperak"],
            [nik(5), kk(5), "E", "Jl. 5", "Tembilahan Kota"],
        ],
        judul=(*TANPA_DESA, "Desa/Kelurahan"),
    )
    hasil = baca_rekap(raw, desa=_desa(), desa_tetap=DESA_TK)
    assert [b.row for b in hasil.rows] == [2, 4]
    assert [(e.row, e.column) for e in hasil.errors] == [(3, "Desa/Kelurahan")]
    assert "diunggah untuk" in hasil.errors[0].message


def test_one_village_import_page_and_command(masuk, pengguna, periode, tmp_path):
    raw = xlsx_rekap([[nik(11), kk(11), "Satu", "Jl. 1"]], judul=TANPA_DESA)
    c = masuk("kecamatan.tembilahan")
    isi = c.get(reverse("bpum:impor_daftar")).content.decode()
    assert 'name="desa"' in isi and "Tembilahan Kota" in isi
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = c.post(
        reverse("bpum:impor_unggah"),
        {
            "jenis": "rekap",
            "periode": periode.pk,
            "kecamatan": KEC_TEMBILAHAN,
            "desa": DESA_SP,
            "berkas": SimpleUploadedFile("satu-desa.xlsx", raw),
        },
    )
    impor = ImporRekap.objects.get()
    assert resp.status_code == 302 and impor.desa_id == DESA_SP
    impor.refresh_from_db()
    assert impor.status == ImporRekap.Status.VALID, (impor.pesan, impor.errors)
    imp.impor_terapkan(impor, user=pengguna("kecamatan.tembilahan"))
    assert Usulan.objects.get(nik=nik(11)).wilayah_id == DESA_SP
    # a village of another district is refused
    resp = c.post(
        reverse("bpum:impor_unggah"),
        {
            "jenis": "rekap",
            "periode": periode.pk,
            "kecamatan": KEC_TEMBILAHAN,
            "desa": "14.04.01.1001",
            "berkas": SimpleUploadedFile("lain.xlsx", raw),
        },
        follow=True,
    )
    assert "tidak termasuk kecamatan ini" in resp.content.decode()
    # the command
    f = tmp_path / "desa.xlsx"
    f.write_bytes(xlsx_rekap([[nik(12), kk(12), "Dua", "Jl. 2"]], judul=TANPA_DESA))
    args = ["bpum_import_rekap", str(f), "--periode", "BPUM-2021", "--kecamatan", KEC_TEMBILAHAN]
    args += ["--oleh", "kecamatan.tembilahan"]
    with pytest.raises(CommandError) as e:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    assert e.value.returncode == 1  # the village column is missing
    with pytest.raises(CommandError) as e:
        call_command(*args, "--desa", "14.04.01.1001", stdout=io.StringIO())
    assert e.value.returncode == 2
    call_command(*args, "--desa", DESA_TK, stdout=io.StringIO())
    assert Usulan.objects.get(nik=nik(12)).wilayah_id == DESA_TK
