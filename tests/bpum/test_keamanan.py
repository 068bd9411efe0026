"""Hardening of BPUM (issue 12), on SQLite and PostgreSQL: idempotent intake, one proposal per
NIK per village per round, invisible and reading-direction characters, re-imports that change
nothing, imported proposals on the engine's bulk path, scoped duplicate page and exports.
The races themselves (threads on separate connections) are in test_keamanan_serentak.py."""

import io
import re

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse

from bpum import ekspor as eks
from bpum import impor as imp
from bpum import services
from bpum.models import DuplikatKeputusan, EksporRekap, ImporRekap, Usulan
from sop.models import Jejak, LangkahBerjalan, RiwayatPerubahan, TokenFormulir, Wilayah

from .conftest import DESA_PK, DESA_SP, DESA_TK, baris_rekap, data_usulan, nik, xlsx_rekap

pytestmark = pytest.mark.django_db
S = Usulan.Status
KEC = "14.04.04"


def token_dari(resp) -> str:
    m = re.search(r'name="token" value="([^"]+)"', resp.content.decode())
    assert m, "the intake form carries a token"
    return m.group(1)


# --------------------------------------------------------------------------- intake
def test_kirim_ulang_formulir_satu_usulan(masuk):
    """A double click / a resent POST: the same form twice -> one record, both redirect to it."""
    c = masuk("desa.tembilahan-kota")
    token = token_dari(c.get(reverse("bpum:usulan_baru")))
    data = {**data_usulan(3), "desa": DESA_TK, "token": token}
    r1 = c.post(reverse("bpum:usulan_baru"), data)
    r2 = c.post(reverse("bpum:usulan_baru"), data)
    u = Usulan.objects.get()
    assert r1.status_code == r2.status_code == 302
    assert r1["Location"] == r2["Location"] == reverse("bpum:usulan_detail", args=[u.pk])
    t = TokenFormulir.objects.get(token=token)
    assert t.objek() == u and t.user.username == "desa.tembilahan-kota"
    # a fresh form gets a fresh token; a form re-rendered with errors keeps its token
    assert token_dari(c.get(reverse("bpum:usulan_baru"))) != token
    salah = c.post(reverse("bpum:usulan_baru"), {**data, "nik": "123", "token": "x" * 32})
    assert salah.status_code == 400 and token_dari(salah) == "x" * 32


def test_nik_sama_desa_sama_menampilkan_usulan_yang_ada(masuk, buat):
    a = buat(5)
    c = masuk("desa.tembilahan-kota")
    resp = c.post(
        reverse("bpum:usulan_baru"),
        {**data_usulan(5, nama="Nama Lain"), "desa": DESA_TK},
        follow=True,
    )
    assert resp.redirect_chain[-1][0] == reverse("bpum:usulan_detail", args=[a.pk])
    assert a.nomor in resp.content.decode()
    assert Usulan.objects.count() == 1 and Usulan.objects.get().nama == "Pelaku Usaha 5"
    # the service says so even when the rest of the form has errors
    lagi = services.usulan_buat(
        user=a.dibuat_oleh,
        desa=Wilayah.objects.get(kode=DESA_TK),
        data=data_usulan(5, alamat=""),
    )
    assert (lagi.pk, lagi.sudah_terdaftar) == (a.pk, "nik")


def test_nik_sama_desa_lain_tetap_dibuat_dan_ditandai(buat):
    a, b = buat(6), buat(6, desa=DESA_SP)
    assert a.pk != b.pk and b.sudah_terdaftar == "" and b.duplikat
    assert Usulan.objects.get(pk=a.pk).duplikat


def test_setelah_gugur_nik_boleh_diterima_lagi_di_desa(pengguna, periode, sampai, buat):
    (a,) = sampai("direkap")
    (b,) = sampai("diverifikasi", desa=DESA_PK)
    services.duplikat_putuskan(
        user=pengguna("dinas.inhil"),
        usulan=a,
        keputusan=DuplikatKeputusan.Keputusan.PERTAHANKAN,
        dipertahankan_id=b.pk,
        alasan="domisili Reteh",
    )
    c = buat(0)  # same NIK, same village as the dropped one: a new intake is allowed
    assert c.pk not in (a.pk, b.pk) and c.sudah_terdaftar == ""


def test_basis_data_menolak_usulan_kedua_di_desa_yang_sama(buat):
    """What the intake relies on holds in the database itself, whatever path writes."""
    a = buat(8)
    kedua = Usulan(
        sop=a.sop,
        periode=a.periode,
        wilayah=a.wilayah,
        unit=a.unit,
        kecamatan=a.kecamatan,
        nomor=Usulan.nomor_baru()[0],
        nik=a.nik,
        no_kk=a.no_kk,
        nama="x",
        alamat="y",
        dibuat_oleh=a.dibuat_oleh,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        kedua.save()


def test_nik_dengan_spasi_lebar_nol_diterima(buat):
    u = buat(9, nik="\u200b" + nik(9)[:8] + "\u200b" + nik(9)[8:] + "\ufeff")
    assert u.nik == nik(9)


@pytest.mark.parametrize(
    ("field", "nilai", "kode"),
    [
        ("nama", "Budi \u202eanaS", "U+202E"),
        ("alamat", "Jl. Merdeka \u2066No. 1", "U+2066"),
        ("bidang_usaha", "Warung\u200f", "U+200F"),
        ("nama", "Budi\x00", "U+0000"),
    ],
)
def test_karakter_arah_tulisan_ditolak(masuk, field, nilai, kode):
    c = masuk("desa.tembilahan-kota")
    resp = c.post(
        reverse("bpum:usulan_baru"), {**data_usulan(1, **{field: nilai}), "desa": DESA_TK}
    )
    assert resp.status_code == 400
    isi = resp.content.decode()
    assert kode in isi
    assert not Usulan.objects.exists()


def test_karakter_tak_terlihat_dibuang_dari_nama(buat):
    u = buat(10, nama="Siti\u200b Aminah\u00ad")
    assert u.nama == "Siti Aminah"


# --------------------------------------------------------------------------- imports
def unggah(pengguna, periode, raw, *, sheet_nama="rekap.xlsx"):
    impor = imp.impor_buat(
        user=pengguna("kecamatan.tembilahan"),
        jenis="rekap",
        periode=periode,
        wilayah=Wilayah.objects.get(kode=KEC),
        raw=raw,
        nama_berkas=sheet_nama,
    )
    return imp.impor_validasi(impor)


def test_impor_karakter_arah_ditolak_dengan_baris_dan_kolom(pengguna, periode):
    raw = xlsx_rekap(
        [baris_rekap(1, nama="Budi \u202eanaS"), baris_rekap(2, nik="\u200b" + nik(2))]
    )
    impor = unggah(pengguna, periode, raw)
    assert impor.status == ImporRekap.Status.GALAT
    (e,) = impor.errors
    assert (e["row"], e["column"]) == (2, "Nama Lengkap") and "U+202E" in e["message"]
    assert impor.jumlah_valid == 1  # the NIK with a zero-width space is fine


def test_impor_ulang_tanpa_perubahan_tidak_menulis_riwayat(pengguna, periode):
    """The same rows imported again (other staging copies of the file) change nothing and
    write no field history; a real change writes one row, once."""
    petugas = pengguna("kecamatan.tembilahan")
    alamat = "Jl. Hang Tuah 2\nRT 01"  # a line break inside the cell: normalised the same way
    isi = [baris_rekap(1), baris_rekap(2, alamat=alamat)]
    ubah = [isi[0], baris_rekap(2, alamat=alamat, hp="")]
    hasil = []
    for sheet, baris in (
        ("A", isi),
        ("B", isi),
        ("C", ubah),
        ("D", ubah),
    ):
        impor = imp.impor_terapkan(
            unggah(pengguna, periode, xlsx_rekap(baris, sheet=sheet)), user=petugas
        )
        assert impor.status == ImporRekap.Status.SELESAI, impor.pesan
        hasil.append((impor.jumlah_dibuat, impor.jumlah_diperbarui, impor.jumlah_sama))
    assert hasil == [(2, 0, 0), (0, 0, 2), (0, 1, 1), (0, 0, 2)]
    r = RiwayatPerubahan.objects.get()
    assert (r.field, r.lama, r.baru) == ("no_hp", "+6281234567890", "")


def test_impor_teks_terlalu_panjang_ditolak_bukan_dipotong(pengguna, periode):
    """A cut value would look "changed" at every later import (PostgreSQL's varchar(n) cast
    cuts silently on UPDATE) and write a field-history row each time: refused instead."""
    petugas = pengguna("kecamatan.tembilahan")
    imp.impor_terapkan(unggah(pengguna, periode, xlsx_rekap([baris_rekap(1)])), user=petugas)
    raw = xlsx_rekap([baris_rekap(1, nama="X" * 250)], sheet="B")
    impor = unggah(pengguna, periode, raw)
    assert impor.status == ImporRekap.Status.GALAT
    (e,) = impor.errors
    assert (e["row"], e["column"]) == (2, "Nama Lengkap") and "250" in e["message"]
    assert not RiwayatPerubahan.objects.exists()


def test_impor_membuat_usulan_lewat_jalur_massal_mesin(pengguna, periode):
    """Every imported proposal has its jejak and its clock, like one entered at the counter."""
    petugas = pengguna("kecamatan.tembilahan")
    raw = xlsx_rekap([baris_rekap(i) for i in range(30)])
    impor = imp.impor_terapkan(unggah(pengguna, periode, raw), user=petugas)
    assert impor.status == ImporRekap.Status.SELESAI
    ct = ContentType.objects.get_for_model(Usulan)
    ids = {str(pk) for pk in Usulan.objects.values_list("pk", flat=True)}
    assert len(ids) == 30
    jejak = Jejak.objects.filter(content_type=ct, transisi="impor")
    assert set(jejak.values_list("object_id", flat=True)) == ids and jejak.count() == 30
    jam = LangkahBerjalan.objects.filter(content_type=ct, selesai__isnull=True)
    assert set(jam.values_list("object_id", flat=True)) == ids and jam.count() == 30
    assert set(jam.values_list("langkah__kode", flat=True)) == {"kecamatan-rekap"}


def test_salinan_kedua_berkas_sama_ditolak_saat_disimpan(pengguna, periode):
    """Two staging copies of one file (uploaded before either was committed): the second
    commit is refused as already imported and creates nothing."""
    petugas = pengguna("kecamatan.tembilahan")
    raw = xlsx_rekap([baris_rekap(1), baris_rekap(2)])
    a, b = unggah(pengguna, periode, raw), unggah(pengguna, periode, raw)
    assert imp.impor_terapkan(a, user=petugas).status == ImporRekap.Status.SELESAI
    b = imp.impor_terapkan(b, user=petugas)
    assert b.status == ImporRekap.Status.GALAT and "sudah pernah diimpor" in b.pesan
    assert Usulan.objects.count() == 2


# --------------------------------------------------------------------------- scope
def test_halaman_ganda_tidak_membuka_nomor_desa_lain(masuk, pengguna, sampai):
    (a,) = sampai("direkap")
    (b,) = sampai("diverifikasi", desa=DESA_PK)
    dinas = pengguna("dinas.inhil")
    dinas.first_name, dinas.last_name = "Rahmat", "Hidayat"
    dinas.save()
    services.duplikat_putuskan(
        user=dinas,
        usulan=a,
        keputusan=DuplikatKeputusan.Keputusan.PERTAHANKAN,
        dipertahankan_id=b.pk,
        alasan="domisili Reteh",
    )
    isi = masuk("desa.tembilahan-kota").get(reverse("bpum:duplikat_detail", args=[a.pk]))
    isi = isi.content.decode()
    assert "domisili Reteh" in isi and b.nomor not in isi
    assert "Rahmat Hidayat" in isi and "dinas.inhil" not in isi
    isi = masuk("dinas.inhil").get(reverse("bpum:duplikat_detail", args=[a.pk])).content.decode()
    assert b.nomor in isi


def test_ekspor_latar_dari_lingkup_peminta(masuk, banyak, periode, monkeypatch):
    """A village officer's district export in the background holds the village's rows only,
    and the officer can download it."""
    monkeypatch.setattr(eks, "BATAS_LATAR", 10)
    banyak(15, desa=DESA_TK)
    banyak(12, desa=DESA_SP, mulai=3000)
    c = masuk("desa.tembilahan-kota")
    resp = c.post(reverse("bpum:ekspor_buat"), {"periode": periode.pk, "kecamatan": KEC})
    e = EksporRekap.objects.get()
    assert resp.status_code == 302
    assert (e.status, e.jumlah) == (EksporRekap.Status.SELESAI, 15)
    f = c.get(reverse("bpum:ekspor_unduh", args=[e.pk]))
    assert f.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(f.streaming_content)))
    desa = {r[4] for r in wb["Tembilahan"].iter_rows(min_row=2, values_only=True)}
    assert desa == {"Tembilahan Kota"}
    # the district officer sees the whole district in the same kind of export
    k = masuk("kecamatan.tembilahan")
    k.post(reverse("bpum:ekspor_buat"), {"periode": periode.pk, "kecamatan": KEC})
    assert EksporRekap.objects.order_by("-pk").first().jumlah == 27
