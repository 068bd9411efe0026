"""The SOP fixtures: they load under the strict rules, the transcription fixes are in, the notes
are in Bahasa Indonesia, and re-running setup turns a changed fixture into a new revision."""

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from sop.models import Langkah, Sop
from sop.pertukaran import validasi
from sop.setup import muat_sop

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "sop"
SEED_PACITAN = Path("/work/shared/seeds/001_b0d9fa2c6abfb9a0.txt")


def _semua() -> dict[str, dict]:
    hasil = {}
    for f in sorted(FIXTURES.glob("*.json")):
        if not f.name.startswith("katalog"):
            hasil |= {s["kode"]: s for s in json.loads(f.read_text(encoding="utf-8"))}
    return hasil


def _langkah(kode_sop: str, nomor: int) -> dict:
    return next(lk for lk in _semua()[kode_sop]["langkah"] if lk["nomor"] == nomor)


def test_semua_fixture_lolos_validasi_ketat():
    """Unreadable limits are refused on import; every fixture limit is readable or a deliberate
    "no limit" spelling ("Menyesuaikan", "N/A", "-", blank) or a schedule ("Rutin")."""
    data = list(_semua().values())
    assert len(data) == 28
    assert validasi(data) == []
    for s in data:
        for lk in s["langkah"]:
            assert not lk.get("waktu_tidak_dipantau"), (s["kode"], lk["nomor"])


def test_pacitan_24_langkah_tujuh():
    s = _semua()["PACITAN-24"]
    assert [lk["nomor"] for lk in s["langkah"]] == [1, 2, 3, 4, 5, 6, 7]
    lk = s["langkah"][-1]
    assert lk["kegiatan"] == "Kepala Dinas mengirim laporan keuangan ke BKD"
    assert lk["pelaksana"] == ["kepala_dinas"]
    assert (lk["kelengkapan"], lk["waktu"], lk["output"]) == (
        ["Laporan Keuangan"],
        "1 bulan",
        "Dokumen",
    )
    catatan = " ".join(s["catatan_transkripsi"])
    assert "Kolom BKD dipakai" in catatan and "penerima" in catatan
    assert "unused" not in catatan and "tidak dipakai" not in catatan
    if SEED_PACITAN.exists():  # the seed's last line, which has no final newline
        akhir = SEED_PACITAN.read_text(encoding="utf-8").split("\n")[-1]
        sel = [c for c in akhir.split("\t") if c]
        assert sel == ["7", lk["kegiatan"], "Laporan Keuangan", "1 bulan", "Dokumen"]


@pytest.mark.parametrize(
    ("kode", "nomor", "kolom_tanda"),
    [("PACITAN-07", 1, "ADMIN"), ("PACITAN-09", 1, "ADMIN"), ("PACITAN-09", 5, "KONSULTAN")],
)
def test_inferensi_berlawanan_tanda_berkeyakinan_rendah(kode, nomor, kolom_tanda):
    assert _langkah(kode, nomor)["keyakinan"] == "rendah"
    catatan = [
        c for c in _semua()[kode]["catatan_transkripsi"] if c.startswith(f"Langkah {nomor}:")
    ]
    assert catatan and kolom_tanda in catatan[0] and "keyakinan rendah" in catatan[0]


def test_hanya_langkah_yang_diragukan_berkeyakinan_rendah():
    rendah = {
        (s["kode"], lk["nomor"])
        for s in _semua().values()
        for lk in s["langkah"]
        if lk.get("keyakinan") == "rendah"
    }
    assert rendah == {("PACITAN-07", 1), ("PACITAN-09", 1), ("PACITAN-09", 5)}


def test_catatan_sop_04_baris_12_13():
    catatan = " ".join(_semua()["PACITAN-04"]["catatan_transkripsi"])
    assert "baris 12-13 hilang atau salah nomor" in catatan


_INGGRIS = re.compile(
    r"\b(the|and|was|were|from|which|column|step|kept|written|lost|inferred|empty|read as)\b"
)


def test_catatan_berbahasa_indonesia():
    for s in _semua().values():
        for c in s["catatan_transkripsi"]:
            tanpa_kutipan = re.sub(r"'[^']*'", "", c)  # quoted source text may be anything
            assert not _INGGRIS.search(tanpa_kutipan), (s["kode"], c)
    for k in json.loads((FIXTURES / "katalog_ntb.json").read_text(encoding="utf-8")):
        ekor = (k.get("keterangan") or "").partition("Catatan transkripsi:")[2]
        assert not _INGGRIS.search(re.sub(r"'[^']*'", "", ekor)), (k["kode"], ekor)


def test_peralatan_tertulis_eksplisit():
    """Each step lists its equipment explicitly; the default classification agrees with it."""
    from sop.kelengkapan import alat_bawaan

    for s in _semua().values():
        for lk in s["langkah"]:
            assert lk["kelengkapan_alat"] == alat_bawaan(lk["kelengkapan"]), (s["kode"], lk)
    assert _langkah("JATIM-5.4.6", 1)["kelengkapan_alat"] == ["Komputer", "Alat Tulis", "Printer"]


@pytest.mark.django_db
def test_setup_ulang_fixture_berubah_jadi_revisi_baru(tmp_path, monkeypatch, pengguna):
    """A database loaded from the older fixture (no step 7, English notes): re-running setup makes
    revision 2 in force; a request started on revision 1 keeps it; a second run changes nothing."""
    from danabergulir.models import SiklusBulanan
    from danabergulir.services.siklus import buka_siklus
    from sop.models import Unit

    lama = Sop.objects.berlaku().get(kode="PACITAN-24")
    Langkah.objects.filter(sop=lama, kode="kirim-ke-bkd").delete()
    Sop.objects.filter(pk=lama.pk).update(
        catatan_transkripsi=["The BKD column is used by no step (no readable mark)."]
    )
    # the loan book's monthly cycle (SOP 24) runs on revision 1
    siklus = buka_siklus(
        Unit.objects.get(kode="upt-dana-bergulir-pacitan"),
        2026,
        10,
        now=dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC),
    )
    assert siklus.sop_id == lama.pk
    hasil = muat_sop()
    assert hasil["revisi_baru"] == 1 and hasil["sama"] == 27 and hasil["dibuat"] == 0
    baru = Sop.objects.berlaku().get(kode="PACITAN-24")
    assert baru.revisi == lama.revisi + 1 and baru.langkah.count() == 7
    assert Sop.objects.get(pk=lama.pk).status == Sop.Status.ARSIP
    assert SiklusBulanan.objects.get(pk=siklus.pk).sop_id == lama.pk
    assert muat_sop() == {"dibuat": 0, "revisi_baru": 0, "sama": 28}


@pytest.mark.django_db
def test_setup_ulang_tidak_menimpa_revisi_admin(tmp_path, monkeypatch, pengguna):
    """An admin's revision in force survives re-running setup; a fixture changed afterwards
    arrives as a draft for the admin to review."""
    from sop import setup
    from sop.pertukaran import simpan_sop, sop_ke_dict

    sop = Sop.objects.berlaku().get(kode="JATIM-5.4.6")
    d = sop_ke_dict(sop, dengan_batas=False)
    d["langkah"][0]["waktu"] = "2 hari"
    Sop.objects.filter(pk=sop.pk).update(status=Sop.Status.ARSIP)
    simpan_sop(d, sop.revisi + 1, pengguna("admin"))
    assert muat_sop()["sama"] == 28  # the fixture equals revision 1: nothing undone

    salinan = tmp_path / "fixtures"
    shutil.copytree(FIXTURES.parent, salinan)
    f = salinan / "sop" / "jatim_546.json"
    data = json.loads(f.read_text(encoding="utf-8"))
    data[0]["langkah"][1]["output"] = "Draft surat (diperbarui)"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(setup, "FIXTURES", salinan)
    hasil = setup.muat_sop()
    assert hasil["draf"] == 1 and hasil["revisi_baru"] == 0
    berlaku = Sop.objects.berlaku().get(kode="JATIM-5.4.6")
    assert berlaku.revisi == sop.revisi + 1 and berlaku.dibuat_oleh.username == "admin"
    draf = Sop.objects.get(kode="JATIM-5.4.6", status=Sop.Status.DRAF)
    assert draf.langkah.get(nomor=2).output == "Draft surat (diperbarui)"
