"""Staged imports (district rekap, ministry answers) through the staging service, the views and
the management commands: validation cases, all-or-nothing, idempotence, exit codes, --json."""

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from bpum import impor as imp
from bpum import services
from bpum.models import ImporRekap, Rekap, Usulan
from bpum.spreadsheet import BerkasTidakValid
from sop.engine import TidakBerwenang
from sop.models import Jejak, LangkahBerjalan, RiwayatPerubahan, Wilayah
from tests.rekaman import milik

from .conftest import DESA_PK, baris_rekap, kk, nik, xlsx_rekap

pytestmark = pytest.mark.django_db
S = Usulan.Status
KEC = "14.04.04"


def unggah(pengguna, periode, raw, *, user="kecamatan.tembilahan", nama="rekap.xlsx"):
    impor = imp.impor_buat(
        user=pengguna(user),
        jenis="rekap",
        periode=periode,
        wilayah=Wilayah.objects.get(kode=KEC),
        raw=raw,
        nama_berkas=nama,
    )
    return imp.impor_validasi(impor)


def perintah(*args, **opts):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err, **opts)
        kode = 0
    except CommandError as e:
        kode = e.returncode
        err.write(str(e))
    return kode, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------------- staging service
def test_impor_valid_pratinjau_lalu_simpan(pengguna, periode):
    raw = xlsx_rekap([baris_rekap(1), baris_rekap(2, desa="SUNGAI PERAK"), baris_rekap(3)])
    impor = unggah(pengguna, periode, raw)
    assert impor.status == ImporRekap.Status.VALID
    assert (impor.total_baris, impor.jumlah_galat, impor.jumlah_dibuat) == (3, 0, 3)
    assert [p["aksi"] for p in impor.pratinjau] == ["baru"] * 3
    assert len(impor.sha256) == 64
    assert not Usulan.objects.exists()  # nothing written before the commit

    petugas = pengguna("kecamatan.tembilahan")
    impor = imp.impor_terapkan(impor, user=petugas)
    assert impor.status == ImporRekap.Status.SELESAI and impor.progres == 100
    assert Usulan.objects.count() == 3
    u = Usulan.objects.get(nik=nik(2))
    assert (u.status, u.wilayah_id, u.kecamatan_id, u.sumber) == (
        S.LENGKAP,
        "14.04.04.1004",
        KEC,
        "impor",
    )
    assert u.no_hp == "+6281234567890" and u.unit.kode == "kantor-desa-14-04-04-1004"
    # imported rows enter at the district stage, attributed to the importing officer
    j = Jejak.objects.get(**milik(u))
    assert (j.transisi, j.ke, j.user, j.unit.kode) == (
        "impor",
        "lengkap",
        petugas,
        "kantor-camat-14-04-04",
    )
    jam = LangkahBerjalan.objects.get(**milik(u))
    assert jam.langkah.kode == "kecamatan-rekap" and jam.selesai is None
    # ... and sit in the district's open batch
    rekap = Rekap.objects.get(wilayah_id=KEC, status=Rekap.Status.DISUSUN)
    assert impor.rekap == rekap and rekap.jumlah == 3


def test_berkas_sama_tidak_diimpor_dua_kali(pengguna, periode):
    raw = xlsx_rekap([baris_rekap(1)])
    imp.impor_terapkan(unggah(pengguna, periode, raw), user=pengguna("kecamatan.tembilahan"))
    with pytest.raises(imp.SudahDiimpor, match="sudah pernah diimpor"):
        unggah(pengguna, periode, raw)
    assert Usulan.objects.count() == 1


def test_baris_sama_berkas_lain_tidak_membuat_apa_pun(pengguna, periode):
    petugas = pengguna("kecamatan.tembilahan")
    imp.impor_terapkan(
        unggah(pengguna, periode, xlsx_rekap([baris_rekap(1), baris_rekap(2)])), user=petugas
    )
    # another file (other sheet name, rows reordered, one name corrected): natural key NIK
    raw = xlsx_rekap([baris_rekap(2), baris_rekap(1, nama="Pelaku Usaha Satu")], sheet="Data")
    impor = unggah(pengguna, periode, raw)
    assert (impor.jumlah_dibuat, impor.jumlah_diperbarui, impor.jumlah_sama) == (0, 1, 1)
    impor = imp.impor_terapkan(impor, user=petugas)
    assert impor.status == ImporRekap.Status.SELESAI
    assert Usulan.objects.count() == 2
    u = Usulan.objects.get(nik=nik(1))
    assert u.nama == "Pelaku Usaha Satu"
    r = RiwayatPerubahan.objects.get(**milik(u))
    assert (r.field, r.lama, r.baru, r.user) == (
        "nama",
        "Pelaku Usaha 1",
        "Pelaku Usaha Satu",
        petugas,
    )


def test_perubahan_setelah_dikirim_ditolak(pengguna, periode):
    petugas = pengguna("kecamatan.tembilahan")
    imp.impor_terapkan(unggah(pengguna, periode, xlsx_rekap([baris_rekap(1)])), user=petugas)
    services.rekap_kirim(user=petugas, rekap=Rekap.objects.get())
    impor = unggah(pengguna, periode, xlsx_rekap([baris_rekap(1, nama="Nama Lain")]))
    assert impor.status == ImporRekap.Status.GALAT
    (e,) = impor.errors
    assert e["row"] == 2 and e["column"] == "NIK"
    assert "sudah terdaftar di desa ini" in e["message"] and "tidak dapat diimpor" in e["message"]


def test_galat_baris_kolom_dan_berkas_anotasi(pengguna, periode):
    rows = [
        baris_rekap(1),
        baris_rekap(2, nik=float(nik(2))),  # typed as a number: 16th digit lost
        baris_rekap(3, nik="1404043202900003"),  # 32-02: not a date
        baris_rekap(4, desa="Desa Entah"),
        baris_rekap(5, kk="123"),
        baris_rekap(1),  # same NIK twice in the file
        baris_rekap(6, nama='=HYPERLINK("x")'),
    ]
    impor = unggah(pengguna, periode, xlsx_rekap(rows))
    assert impor.status == ImporRekap.Status.GALAT
    per_baris = {(e["row"], e["column"]): e["message"] for e in impor.errors}
    assert "sebagai angka" in per_baris[(3, "NIK")]
    assert "tanggal lahir" in per_baris[(4, "NIK")]
    assert "tidak ada di kecamatan ini" in per_baris[(5, "Desa/Kelurahan")]
    assert "16 digit" in per_baris[(6, "No KK")]
    assert "sama dengan baris 2" in per_baris[(7, "NIK")]
    assert impor.jumlah_galat == 5 and impor.total_baris == 7
    # annotated workbook: an error column next to the data
    with impor.berkas_anotasi.open("rb") as fh:  # through the storage API (S3 too)
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()))
    ws = wb.active
    judul = [c.value for c in ws[1]]
    assert "Keterangan Kesalahan" in judul
    kol = judul.index("Keterangan Kesalahan") + 1
    assert "tanggal lahir" in ws.cell(row=4, column=kol).value
    assert ws.cell(row=2, column=kol).value is None
    # nothing is committed while errors remain
    with pytest.raises(services.GagalTransisi):
        imp.impor_terapkan(impor, user=pengguna("kecamatan.tembilahan"))
    assert not Usulan.objects.exists()


@pytest.mark.parametrize(
    ("raw", "pesan"),
    [
        (b"", "Berkas kosong"),
        (b"NIK;Nama\n1404041201900001;Ani\n", "bukan file Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel lama (.xls)"),
        ("kosong", "kosong"),
        ("salah_lembar", "Baris judul kolom tidak ditemukan"),
    ],
)
def test_berkas_tidak_valid(pengguna, periode, raw, pesan):
    if raw == "kosong":
        raw = xlsx_rekap([], judul=())
    elif raw == "salah_lembar":
        raw = xlsx_rekap([["a", "b"]], judul=("Nomor", "Keterangan"), sheet="Lain")
    impor = unggah(pengguna, periode, raw)
    assert impor.status == ImporRekap.Status.GALAT
    assert pesan in impor.pesan
    assert not Usulan.objects.exists()


def test_berkas_terlalu_banyak_baris(periode):
    raw = xlsx_rekap([baris_rekap(i) for i in range(12)])
    with pytest.raises(BerkasTidakValid, match="lebih dari 10 baris"):
        imp.rencanakan_rekap(
            raw, periode=periode, kecamatan=Wilayah.objects.get(kode=KEC), max_rows=10
        )


def test_berkas_terlalu_besar_ditolak_saat_unggah(pengguna, periode, monkeypatch):
    monkeypatch.setattr(imp, "MAKS_BERKAS", 1000)
    with pytest.raises(BerkasTidakValid, match="terlalu besar"):
        unggah(pengguna, periode, xlsx_rekap([baris_rekap(i) for i in range(50)]))


def test_hanya_petugas_kecamatan_wilayahnya(pengguna, periode):
    raw = xlsx_rekap([baris_rekap(1)])
    for user in ("kecamatan.reteh", "desa.tembilahan-kota", "dinas.inhil", "provinsi.riau"):
        with pytest.raises(TidakBerwenang):
            unggah(pengguna, periode, raw, user=user)
    assert not ImporRekap.objects.exists()


def test_nik_ganda_antar_kecamatan_ditandai(pengguna, periode, buat):
    lama = buat(1, desa=DESA_PK)  # Reteh already has this NIK
    impor = unggah(pengguna, periode, xlsx_rekap([baris_rekap(1), baris_rekap(2)]))
    assert impor.status == ImporRekap.Status.VALID and impor.jumlah_duplikat == 1
    imp.impor_terapkan(impor, user=pengguna("kecamatan.tembilahan"))
    baru = Usulan.objects.get(nik=nik(1), kecamatan_id=KEC)
    assert baru.duplikat and Usulan.objects.get(pk=lama.pk).duplikat
    assert not Usulan.objects.get(nik=nik(2)).duplikat


# ------------------------------------------------------------------------- views
def test_impor_lewat_view_dan_unduhan_anotasi(masuk, periode):
    c = masuk("kecamatan.tembilahan")
    assert c.get(reverse("bpum:impor_daftar")).status_code == 200
    tmpl = c.get(reverse("bpum:impor_template"))
    assert tmpl.status_code == 200 and tmpl.content[:2] == b"PK"
    raw = xlsx_rekap([baris_rekap(1), baris_rekap(2, desa="Entah")])
    resp = c.post(
        reverse("bpum:impor_unggah"),
        {
            "jenis": "rekap",
            "periode": periode.pk,
            "kecamatan": KEC,
            "berkas": SimpleUploadedFile("rekap kec.xlsx", raw),
        },
    )
    impor = ImporRekap.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "bpum:impor_detail", args=[impor.pk]
    )
    detail = c.get(resp["Location"]).content.decode()
    assert "tidak ada di kecamatan ini" in detail and 'data-testid="simpan-impor"' not in detail
    anotasi = c.get(reverse("bpum:impor_anotasi", args=[impor.pk]))
    assert anotasi.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(anotasi.streaming_content)))
    assert "Keterangan Kesalahan" in [x.value for x in wb.active[1]]
    # other districts do not see this import
    assert masuk("kecamatan.reteh").get(resp["Location"]).status_code == 404


BESAR = 2_050


def test_impor_besar_di_latar_dengan_progres(masuk, periode):
    """Validation and commit run as tasks (ImmediateBackend in tests); the page polls a
    progress partial."""
    c = masuk("kecamatan.tembilahan")
    raw = xlsx_rekap([baris_rekap(i) for i in range(BESAR)])
    resp = c.post(
        reverse("bpum:impor_unggah"),
        {
            "jenis": "rekap",
            "periode": periode.pk,
            "kecamatan": KEC,
            "berkas": SimpleUploadedFile("besar.xlsx", raw),
        },
    )
    impor = ImporRekap.objects.get()
    assert impor.status == ImporRekap.Status.VALID and impor.total_baris == BESAR
    # the poller: a finished job tells htmx to reload the page
    poll = c.get(
        reverse("bpum:impor_detail", args=[impor.pk]) + "?bagian=progres", HTTP_HX_REQUEST="true"
    )
    assert poll.status_code == 200 and poll.headers.get("HX-Refresh") == "true"
    ImporRekap.objects.filter(pk=impor.pk).update(status="memvalidasi", progres=40)
    poll = c.get(
        reverse("bpum:impor_detail", args=[impor.pk]) + "?bagian=progres", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert (
        '<progress id="bar-impor" max="100" value="40">' in poll and 'hx-trigger="every 2s"' in poll
    )
    assert "style=" not in poll
    ImporRekap.objects.filter(pk=impor.pk).update(status="valid", progres=100)
    resp = c.post(reverse("bpum:impor_terapkan", args=[impor.pk]))
    assert resp.status_code == 302
    impor.refresh_from_db()
    assert impor.status == ImporRekap.Status.SELESAI
    assert Usulan.objects.count() == BESAR
    # a second click finds nothing to commit
    c.post(reverse("bpum:impor_terapkan", args=[impor.pk]))
    assert Usulan.objects.count() == BESAR


# ------------------------------------------------------------------------- command
def _tulis(tmp_path, raw, nama="rekap.xlsx"):
    p = tmp_path / nama
    p.write_bytes(raw)
    return str(p)


def test_perintah_impor_json_dan_kode_keluar(tmp_path, periode):
    berkas = _tulis(tmp_path, xlsx_rekap([baris_rekap(1), baris_rekap(2)]))
    args = (
        "bpum_import_rekap",
        berkas,
        "--kecamatan",
        KEC,
        "--periode",
        "BPUM-2021",
        "--oleh",
        "kecamatan.tembilahan",
        "--json",
    )
    kode, out, _ = perintah(*args, "--dry-run")
    assert kode == 0 and json.loads(out) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
    }
    assert not Usulan.objects.exists()
    kode, out, _ = perintah(*args)
    assert kode == 0 and json.loads(out) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
    }
    assert Usulan.objects.count() == 2
    # the same file again: nothing new, still exit 0
    kode, out, err = perintah(*args)
    assert kode == 0 and json.loads(out)["created"] == 0 and "sudah pernah diimpor" in err
    assert Usulan.objects.count() == 2


def test_perintah_impor_berkas_salah_keluar_1(tmp_path, periode):
    berkas = _tulis(tmp_path, xlsx_rekap([baris_rekap(1), baris_rekap(2, nik="123")]))
    kode, out, _ = perintah(
        "bpum_import_rekap",
        berkas,
        "--kecamatan",
        KEC,
        "--periode",
        "BPUM-2021",
        "--oleh",
        "kecamatan.tembilahan",
        "--json",
    )
    assert kode == 1
    data = json.loads(out)
    assert set(data) == {"created", "updated", "unchanged", "errors"}
    assert data["errors"] == [
        {
            "row": 3,
            "column": "NIK",
            "message": "NIK tidak valid: harus 16 digit angka (terisi 3 digit).",
        }
    ]
    assert not Usulan.objects.exists()
    bukan = _tulis(tmp_path, b"bukan excel", "x.xlsx")
    kode, out, _ = perintah(
        "bpum_import_rekap",
        bukan,
        "--kecamatan",
        KEC,
        "--periode",
        "BPUM-2021",
        "--oleh",
        "kecamatan.tembilahan",
        "--json",
    )
    assert kode == 1 and "bukan file Excel" in json.loads(out)["errors"][0]["message"]


@pytest.mark.parametrize(
    ("ubah", "pesan"),
    [
        ({"--kecamatan": "99.99.99"}, "tidak dikenal"),
        ({"--periode": "BPUM-1999"}, "tidak ada"),
        ({"--oleh": "siapa"}, "tidak dikenal"),
        ({"--oleh": "kecamatan.reteh"}, "hanya dapat dilakukan oleh Petugas Kecamatan"),
        ({"berkas": "/tidak/ada.xlsx"}, "tidak ditemukan"),
    ],
)
def test_perintah_impor_salah_pakai_keluar_2(tmp_path, periode, ubah, pesan):
    opsi = {
        "berkas": _tulis(tmp_path, xlsx_rekap([baris_rekap(1)])),
        "--kecamatan": KEC,
        "--periode": "BPUM-2021",
        "--oleh": "kecamatan.tembilahan",
    }
    opsi.update(ubah)
    args = [opsi.pop("berkas")] + [x for kv in opsi.items() for x in kv]
    kode, _out, err = perintah("bpum_import_rekap", *args)
    assert kode == 2 and pesan in err
    assert not Usulan.objects.exists()


def test_perintah_impor_kecamatan_kode_unit(tmp_path, periode):
    berkas = _tulis(tmp_path, xlsx_rekap([baris_rekap(1)]))
    kode, out, _ = perintah(
        "bpum_import_rekap",
        berkas,
        "--kecamatan",
        "kantor-camat-14-04-04",
        "--periode",
        "BPUM-2021",
        "--oleh",
        "kecamatan.tembilahan",
    )
    assert kode == 0 and "dibuat: 1" in out


# ------------------------------------------------------------------------- ministry answers
def xlsx_jawaban(rows, judul=("NIK", "Status", "Keterangan")):
    return xlsx_rekap(rows, judul=judul, sheet="Hasil Validasi")


def _tanpa_provinsi(periode):
    """A round whose province does not work in the portal: the agency records the answer."""
    periode.provinsi_portal = False
    periode.save(update_fields=["provinsi_portal"])


def test_jawaban_kementerian(pengguna, periode, sampai, tmp_path):
    _tanpa_provinsi(periode)
    us = sampai("diteruskan", 3)
    belum = sampai("diverifikasi", 1, mulai=20)[0]
    raw = xlsx_jawaban(
        [
            [us[0].nik, "DITERIMA", ""],
            [us[1].nik, "ditolak", "Terdaftar sebagai penerima KUR"],
            [us[2].nik, "DITOLAK", ""],
            [belum.nik, "DITERIMA", ""],
            [nik(999), "DITERIMA", ""],
            [us[0].nik, "LOLOS", ""],
        ]
    )
    dinas = pengguna("dinas.inhil")
    impor = imp.impor_validasi(
        imp.impor_buat(
            user=dinas,
            jenis="jawaban",
            periode=periode,
            wilayah=periode.wilayah,
            raw=raw,
            nama_berkas="hasil.xlsx",
        )
    )
    assert impor.status == ImporRekap.Status.GALAT
    pesan = {(e["row"], e["column"]): e["message"] for e in impor.errors}
    assert pesan[(4, "Keterangan")] == "Alasan penolakan wajib diisi."
    assert "belum diteruskan ke kementerian" in pesan[(5, "NIK")]
    assert "tidak ada di periode ini" in pesan[(6, "NIK")]
    assert "sama dengan baris 2" in pesan[(7, "NIK")]
    assert set(Usulan.objects.values_list("status", flat=True)) == {S.DITERUSKAN, S.DIVERIFIKASI}

    berkas = _tulis(
        tmp_path,
        xlsx_jawaban(
            [[us[0].nik, "DITERIMA", "ok"], [us[1].nik, "DITOLAK", "Terdaftar penerima KUR"]]
        ),
    )
    args = (
        "bpum_import_jawaban",
        berkas,
        "--kabupaten",
        "14.04",
        "--periode",
        "BPUM-2021",
        "--oleh",
        "dinas.inhil",
        "--json",
    )
    kode, out, _ = perintah(*args)
    assert kode == 0 and json.loads(out) == {
        "created": 0,
        "updated": 2,
        "unchanged": 0,
        "errors": [],
    }
    u0, u1 = (Usulan.objects.get(pk=u.pk) for u in us[:2])
    assert (u0.status, u1.status, u1.keterangan_kementerian) == (
        S.DITERIMA,
        S.DITOLAK,
        "Terdaftar penerima KUR",
    )
    j = Jejak.objects.filter(**milik(u1)).last()
    assert (j.transisi, j.user, j.peran.kode) == ("tolak_kementerian", dinas, "staf_dinas")
    # only the agency records the ministry's answer
    kode, _out, err = perintah(*args[:-3], "--oleh", "kecamatan.tembilahan")
    assert kode == 2


def test_jawaban_sama_dua_kali_tidak_berubah(pengguna, periode, sampai):
    _tanpa_provinsi(periode)
    (u,) = sampai("diteruskan")
    dinas = pengguna("dinas.inhil")
    for i in range(2):
        raw = xlsx_jawaban([[u.nik, "DITERIMA", "" if i == 0 else "ulang"]])
        impor = imp.impor_validasi(
            imp.impor_buat(
                user=dinas,
                jenis="jawaban",
                periode=periode,
                wilayah=periode.wilayah,
                raw=raw,
                nama_berkas=f"h{i}.xlsx",
            )
        )
        impor = imp.impor_terapkan(impor, user=dinas)
        assert impor.status == ImporRekap.Status.SELESAI
        assert (impor.jumlah_diperbarui, impor.jumlah_sama) == ((1, 0) if i == 0 else (0, 1))
    assert Usulan.objects.get(pk=u.pk).status == S.DITERIMA


def test_impor_kk_tetap_teks(pengguna, periode):
    impor = unggah(pengguna, periode, xlsx_rekap([baris_rekap(1, kk="0104" + "0" * 11 + "1")]))
    imp.impor_terapkan(impor, user=pengguna("kecamatan.tembilahan"))
    assert Usulan.objects.get().no_kk == "0104000000000001"
    assert kk(1) != Usulan.objects.get().no_kk
