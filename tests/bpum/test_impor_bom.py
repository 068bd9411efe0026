"""Issue 12 on BPUM's staged imports: hostile files refused (the command exits 1, never 134),
validation never inside the web request, stale claims of killed workers expired and retried,
over-long text refused with row and column instead of being cut."""

import io
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bpum import impor as imp
from bpum import tasks
from bpum.models import ImporRekap, Usulan
from sop.models import Wilayah
from tests.sop import bom_xlsx as bom

from .conftest import baris_rekap, xlsx_rekap
from .test_impor import KEC, _tulis, perintah, unggah

pytestmark = pytest.mark.django_db
S = ImporRekap.Status

BOM = {
    "teks_bersama_100mb": lambda: bom.bom_teks_bersama(100, 350),
    "teks_bersama_palsu": lambda: bom.bom_teks_bersama(100, 350, nyatakan=1000),
    "sel_700mb": lambda: bom.bom_sel_inline(700),
    "sel_700mb_palsu": lambda: bom.bom_sel_inline(700, nyatakan=50 * bom.MIB),
    "bom_deflate": lambda: bom.bom_bagian(mb=1024),
    "banyak_teks_bersama": lambda: bom.banyak_teks_bersama(4_000_000 // 8),
}


@pytest.mark.parametrize("nama", list(BOM))
def test_perintah_impor_bom_keluar_1(tmp_path, periode, nama):
    berkas = _tulis(tmp_path, BOM[nama]())
    args = ("bpum_import_rekap", berkas, "--kecamatan", KEC, "--periode", "BPUM-2021")
    args += ("--oleh", "kecamatan.tembilahan", "--json")
    for lagi in ((), ("--dry-run",)):
        kode, out, _err = perintah(*args, *lagi)
        assert kode == 1
        [e] = json.loads(out)["errors"]
        assert e["row"] == 0 and ("Berkas" in e["message"] or "baris" in e["message"])
    impor = ImporRekap.objects.get()
    assert impor.status == S.GALAT and impor.progres == 100
    assert not Usulan.objects.exists()


def test_unggah_bom_lewat_halaman_galat_dengan_pesan(masuk, periode):
    c = masuk("kecamatan.tembilahan")
    resp = c.post(
        reverse("bpum:impor_unggah"),
        {
            "jenis": "rekap",
            "periode": periode.pk,
            "kecamatan": KEC,
            "berkas": SimpleUploadedFile("rekap.xlsx", bom.bom_teks_bersama(100, 350)),
        },
    )
    impor = ImporRekap.objects.get()
    assert resp["Location"] == reverse("bpum:impor_detail", args=[impor.pk])
    assert impor.status == S.GALAT and "terlalu besar setelah dibuka" in impor.pesan
    assert "terlalu besar setelah dibuka" in c.get(resp["Location"]).content.decode()


def test_bukan_xlsx_ditolak_saat_unggah_tanpa_menyimpan_berkas(pengguna, periode):
    impor = imp.impor_buat(
        user=pengguna("kecamatan.tembilahan"),
        jenis="rekap",
        periode=periode,
        wilayah=Wilayah.objects.get(kode=KEC),
        raw=b"MZ\x90\x00",
        nama_berkas="rekap.xlsx",
    )
    assert impor.status == S.GALAT and not impor.berkas
    assert "berkas program" in impor.pesan


def test_validasi_tidak_pernah_di_dalam_permintaan_web(masuk, periode, monkeypatch):
    """Even a one-row file is validated by the task, not by the upload request."""
    antre = []
    asli = tasks.validasi_impor
    monkeypatch.setattr(tasks, "validasi_impor", SimpleNamespace(enqueue=antre.append))
    c = masuk("kecamatan.tembilahan")
    c.post(
        reverse("bpum:impor_unggah"),
        {
            "jenis": "rekap",
            "periode": periode.pk,
            "kecamatan": KEC,
            "berkas": SimpleUploadedFile("kecil.xlsx", xlsx_rekap([baris_rekap(1)])),
        },
    )
    impor = ImporRekap.objects.get()
    assert antre == [impor.pk]
    assert impor.status == S.MENUNGGU and impor.total_baris == 0
    asli.call(impor.pk)
    impor.refresh_from_db()
    assert impor.status == S.VALID and impor.total_baris == 1


class Dibunuh(BaseException):
    """Stands for ``kill -9``: nothing after it runs, no except clause sees it."""


def test_klaim_basi_dari_pekerja_yang_mati_kedaluwarsa_lalu_dicoba_lagi(
    pengguna, masuk, periode, monkeypatch
):
    user = pengguna("kecamatan.tembilahan")
    impor = imp.impor_buat(
        user=user,
        jenis="rekap",
        periode=periode,
        wilayah=Wilayah.objects.get(kode=KEC),
        raw=xlsx_rekap([baris_rekap(1), baris_rekap(2)]),
        nama_berkas="rekap.xlsx",
    )

    def mati(*a, **k):
        raise Dibunuh

    with monkeypatch.context() as m:
        m.setattr(imp, "_rencanakan", mati)
        with pytest.raises(Dibunuh):
            imp.impor_validasi(impor)
    impor.refresh_from_db()
    assert (impor.status, impor.progres) == (S.MEMVALIDASI, 15)  # stuck, as in issue 12

    now = timezone.now()
    assert imp.impor_kedaluwarsa(now + timedelta(minutes=5)) == 0  # heartbeat still fresh
    assert imp.impor_kedaluwarsa(now + timedelta(minutes=11)) == 1
    assert imp.impor_kedaluwarsa(now + timedelta(minutes=12)) == 0  # idempotent
    impor.refresh_from_db()
    assert impor.status == S.GAGAL and "Coba lagi" in impor.pesan

    c = masuk("kecamatan.tembilahan")
    halaman = c.get(reverse("bpum:impor_detail", args=[impor.pk])).content.decode()
    assert 'data-testid="ulang-impor"' in halaman
    assert (
        masuk("kecamatan.reteh").post(reverse("bpum:impor_ulang", args=[impor.pk])).status_code
        == 404
    )
    c = masuk("kecamatan.tembilahan")
    c.post(reverse("bpum:impor_ulang", args=[impor.pk]))
    impor.refresh_from_db()
    assert impor.status == S.VALID and impor.total_baris == 2
    c.post(reverse("bpum:impor_terapkan", args=[impor.pk]))
    impor.refresh_from_db()
    assert impor.status == S.SELESAI and Usulan.objects.count() == 2


def test_menyimpan_basi_dan_menunggu_lama(pengguna, periode):
    impor = unggah(pengguna, periode, xlsx_rekap([baris_rekap(1)]))
    lama = timezone.now() - timedelta(minutes=30)
    ImporRekap.objects.filter(pk=impor.pk).update(status=S.MENYIMPAN, progres=50, denyut=lama)
    assert imp.impor_kedaluwarsa() == 1
    assert ImporRekap.objects.get(pk=impor.pk).status == S.GAGAL
    # waiting for a worker: 30 minutes is a queue, 61 minutes a lost task
    ImporRekap.objects.filter(pk=impor.pk).update(status=S.MENUNGGU, denyut=lama)
    assert imp.impor_kedaluwarsa() == 0
    ImporRekap.objects.filter(pk=impor.pk).update(denyut=timezone.now() - timedelta(minutes=61))
    assert imp.impor_kedaluwarsa() == 1


def test_sapuan_sla_mengakhiri_klaim_basi(pengguna, periode):
    impor = unggah(pengguna, periode, xlsx_rekap([baris_rekap(1)]))
    ImporRekap.objects.filter(pk=impor.pk).update(
        status=S.MEMVALIDASI, denyut=timezone.now() - timedelta(minutes=20)
    )
    out = io.StringIO()
    call_command("sop_sla", stdout=out)
    assert "bpum.impor.sapuan_impor: impor_kedaluwarsa 1" in out.getvalue()
    assert ImporRekap.objects.get(pk=impor.pk).status == S.GAGAL


def test_teks_terlalu_panjang_ditolak_tidak_dipotong(pengguna, periode):
    impor = unggah(pengguna, periode, xlsx_rekap([baris_rekap(1), baris_rekap(2, nama="A" * 201)]))
    assert impor.status == S.GALAT
    [e] = impor.errors
    assert (e["row"], e["column"]) == (3, "Nama Lengkap")
    assert e["message"] == "Nama terlalu panjang: 201 karakter, maksimal 200."
