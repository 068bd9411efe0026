"""The engine's commands, as admins and deployment scripts use them."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from sop.models import Langkah, RiwayatPerubahan, Sop
from tests.rekaman import milik

from .test_engine import SENIN, mulai

pytestmark = pytest.mark.django_db


def jalankan(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.mark.parametrize(
    ("mulai_", "waktu", "harapan"),
    [
        ("2026-11-23T09:00:00+07:00", "Maksimal 1 hari", "2026-11-24T16:00:00+07:00"),
        ("2026-11-20T16:20:00+07:00", "15 menit", "2026-11-23T07:35:00+07:00"),
        ("2026-10-31T10:00:00+07:00", "1 bulan", "2026-11-30T16:00:00+07:00"),
        ("2026-11-23T09:00:00+07:00", "2-4 hari", "2026-11-27T16:30:00+07:00"),
        (
            "2026-12-23T09:00:00+07:00",
            "1 hari",
            "2026-12-28T16:00:00+07:00",
        ),  # cuti bersama 24, Natal 25
        ("2026-11-23T09:00:00+07:00", "Menyesuaikan", "none"),
        ("2026-11-23T09:00:00+07:00", "2 Bulan Sekali", "none"),
    ],
)
def test_sop_tenggat(mulai_, waktu, harapan):
    assert jalankan("sop_tenggat", "--mulai", mulai_, "--waktu", waktu) == harapan


def test_sop_tenggat_unit_wita():
    from sop.models import Kalender, Unit

    kal = Kalender.objects.create(kode="wita", nama="WITA", zona="Asia/Makassar")
    Unit.objects.filter(kode="dpmptsp-pelalawan").update(kalender=kal)
    hasil = jalankan(
        "sop_tenggat",
        "--mulai",
        "2026-11-23T09:00:00+08:00",
        "--waktu",
        "1 hari",
        "--unit",
        "dpmptsp-pelalawan",
    )
    assert hasil == "2026-11-24T16:00:00+08:00"
    with pytest.raises(CommandError):
        jalankan("sop_tenggat", "--mulai", "kemarin", "--waktu", "1 hari")


def test_export_json_bentuk():
    data = json.loads(jalankan("sop_export", "JATIM-5.4.6", "--format", "json"))
    assert len(data) == 1
    s = data[0]
    for k in ("kode", "nomor", "nama", "instansi", "disahkan_nama", "dasar_hukum", "langkah"):
        assert k in s
    lk = s["langkah"][2]
    assert lk["waktu"] == "Maksimal 1 hari" and lk["batas"] == {
        "jenis": "hari",
        "jumlah": 1,
        "bawah": None,
    }
    assert lk["pelaksana"] == ["kepala_dinas"] and isinstance(lk["kelengkapan"], list)
    with pytest.raises(CommandError):
        jalankan("sop_export", "TIDAK-ADA")


def _jumlah_sop_fixture() -> int:
    """SOPs in fixtures/sop/ (modules add their own: the count is not fixed)."""
    import json

    from sop.setup import FIXTURES

    return sum(
        len(json.loads(f.read_text(encoding="utf-8")))
        for f in (FIXTURES / "sop").glob("*.json")
        if not f.name.startswith("katalog")
    )


def test_export_import_xlsx_bolak_balik(tmp_path):
    f = tmp_path / "sop.xlsx"
    call_command("sop_export", "--all", "--format", "xlsx", "-o", str(f), stderr=StringIO())
    assert f"tidak berubah {_jumlah_sop_fixture()}" in jalankan("sop_import", str(f))


def test_import_galat_semua_atau_tidak(tmp_path):
    data = json.loads(jalankan("sop_export", "JATIM-5.4.6"))
    data[0]["nama"] = "Diubah"
    baru = {
        "kode": "BARU-1",
        "nama": "SOP baru",
        "pelaksana": [{"kode": "staf", "nama": "Staf"}],
        "langkah": [
            {
                "nomor": 1,
                "kode": "satu",
                "kegiatan": "x",
                "pelaksana": ["kabid"],
                "cabang": {"ya": "dua", "tidak": ""},
            }
        ],
    }
    f = tmp_path / "sop.json"
    f.write_text(json.dumps([data[0], baru]))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("sop_import", str(f), stdout=StringIO(), stderr=err)
    pesan = err.getvalue()
    assert "SOP BARU-1, langkah 1: pelaksana “kabid” tidak ada" in pesan
    assert "SOP BARU-1, langkah 1: cabang “ya” menuju langkah “dua” yang tidak ada" in pesan
    assert not Sop.objects.filter(kode="BARU-1").exists()
    assert Sop.objects.get(kode="JATIM-5.4.6").nama != "Diubah"  # nothing written


def test_import_dry_run(tmp_path):
    data = json.loads(jalankan("sop_export", "JATIM-5.4.6"))
    data[0]["kode"] = "JATIM-SALINAN"
    f = tmp_path / "sop.json"
    f.write_text(json.dumps(data))
    assert "Uji coba" in jalankan("sop_import", str(f), "--dry-run")
    assert not Sop.objects.filter(kode="JATIM-SALINAN").exists()
    jalankan("sop_import", str(f))
    assert Langkah.objects.filter(sop__kode="JATIM-SALINAN").count() == 13


def test_sop_pdf(tmp_path):
    f = tmp_path / "jatim.pdf"
    call_command("sop_pdf", "JATIM-5.4.6", "-o", str(f), stderr=StringIO())
    teks = "".join(p.extract_text() for p in PdfReader(str(f)).pages)
    assert "Penguatan Manajemen Perlindungan Usaha KUKM" in teks
    assert "Menandatangani" in teks


def test_riwayat_perubahan(pengguna):
    from sop.engine import GagalTransisi, simpan_perubahan

    p = mulai(pengguna)
    kabid = pengguna("jatim.kabid")
    assert simpan_perubahan(
        p, user=kabid, data={"judul": "Judul baru", "pemohon_nama": ""}, now=SENIN
    ) == ["judul"]
    r = RiwayatPerubahan.objects.get(**milik(p))
    assert (r.field, r.baru, r.user) == ("judul", "Judul baru", kabid)
    with pytest.raises(GagalTransisi):
        simpan_perubahan(p, user=kabid, data={"status": "selesai"})


def test_setup_portal_idempoten():
    """The first run here adds the demo records that run SOPs (absent from the test base data);
    a second run adds nothing at all."""
    from sop.models import Jejak, LangkahBerjalan, Unit, Wilayah

    awal = (Wilayah.objects.count(), Unit.objects.count(), Sop.objects.count())
    n = _jumlah_sop_fixture()
    assert f"SOP: {{'dibuat': 0, 'revisi_baru': 0, 'sama': {n}}}" in jalankan(
        "setup_portal", "--demo"
    )
    assert (Wilayah.objects.count(), Unit.objects.count(), Sop.objects.count()) == awal
    jejak = {
        ct: Jejak.objects.filter(content_type__app_label=ct).count()
        for ct in ("bpum", "danabergulir", "perizinan")
    }
    assert all(jejak.values()), jejak  # every module's demo records ran through the engine
    rekaman = (Jejak.objects.count(), LangkahBerjalan.objects.count())
    jalankan("setup_portal", "--demo")
    assert (Jejak.objects.count(), LangkahBerjalan.objects.count()) == rekaman
    assert Wilayah.objects.filter(induk_id="14.04").count() == 20
    assert Wilayah.objects.filter(kode__startswith="14.04.", tingkat=4).count() == 236
    assert Unit.objects.filter(jenis="desa", wilayah__kode__startswith="14.04.").count() == 236


def test_load_wilayah():
    from sop.models import Wilayah

    assert "wilayah baru" in jalankan("load_wilayah", "52.01")
    assert Wilayah.objects.filter(kode__startswith="52.01.").count() > 100
    assert Wilayah.objects.filter(kode="52").exists()
    with pytest.raises(CommandError):
        jalankan("load_wilayah", "99.99")
