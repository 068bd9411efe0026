"""The province as a tier (issue 10): its officer accepts or returns each regency batch, exports
the province rekap across regencies (command and page) and imports the ministry's answer for
all its regencies; a round whose province stays outside the portal keeps the agency recording."""

import io

import openpyxl
import pytest
import xlsxwriter
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from bpum import ekspor as eks
from bpum import impor as imp
from bpum import services
from bpum.models import ImporRekap, Periode, Rekap, Usulan
from sop import massal
from sop.engine import TidakBerwenang
from sop.models import Jejak, Unit, Wilayah
from sop.penomoran import kode_acak

from .conftest import nik

pytestmark = pytest.mark.django_db
S = Usulan.Status


@pytest.fixture
def pelalawan(pengguna, periode):
    """pelalawan(n, status) -> proposals of Kabupaten Pelalawan's BPUM-2021 (another regency
    of Riau) in ``status``, created in bulk with their step log and clocks."""
    p = Periode.objects.create(
        kode="BPUM-2021",
        nama="BPUM 2021 Kabupaten Pelalawan",
        wilayah_id="14.05",
        dibuka=periode.dibuka,
        provinsi_portal=True,
        batas_desa=3,
    )
    desa = Wilayah.objects.filter(kode__startswith="14.05.", tingkat=Wilayah.Tingkat.DESA).first()
    unit = Unit.objects.create(
        kode="kantor-desa-pelalawan-uji",
        nama=f"Kantor Desa {desa.nama}",
        jenis=Unit.Jenis.DESA,
        wilayah=desa,
        layanan=["bpum"],
    )

    def _buat(n, status=S.DITERUSKAN, mulai=8000):
        objs = [
            Usulan(
                sop=services.sop_berlaku(),
                periode=p,
                wilayah=desa,
                kecamatan_id=desa.induk_id,
                unit=unit,
                nomor=kode_acak("BPUM"),
                nik=nik(mulai + i, kec="140501"),
                no_kk=f"1405{mulai + i:012d}",
                nama=f"Pelalawan {i}",
                alamat="Jl. Lintas Timur",
                status=status,
                bukan_pegawai=True,
                tidak_menerima_kur=True,
                dibuat_oleh=pengguna("dinas.inhil"),
            )
            for i in range(n)
        ]
        Usulan.objects.bulk_create(objs)
        massal.mulai_proses_massal(objs, user=pengguna("dinas.inhil"), now=timezone.now())
        return objs

    return p, _buat


def _jawaban(rows) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Hasil")
    for j, t in enumerate(("NIK", "Status", "Keterangan")):
        ws.write_string(0, j, t)
    for i, r in enumerate(rows, 1):
        for j, v in enumerate(r):
            ws.write_string(i, j, v)
    wb.close()
    return buf.getvalue()


def test_province_accepts_the_regency_batch(pengguna, periode, sampai):
    us = sampai("dikirim_provinsi", 2)
    rk = Rekap.objects.get(tingkat=Rekap.Tingkat.KABUPATEN)
    with pytest.raises(TidakBerwenang, match="bekerja di portal"):
        services.rekap_terima(user=pengguna("dinas.inhil"), rekap=rk)
    riau = pengguna("petugas.riau")
    rk = services.rekap_terima(user=riau, rekap=rk)
    assert rk.status == Rekap.Status.DITERIMA and rk.diputus_oleh == riau
    ct = ContentType.objects.get_for_model(Usulan)
    j = Jejak.objects.filter(content_type=ct, object_id=str(us[0].pk)).latest("pk")
    assert (j.transisi, j.peran.kode, j.user) == ("teruskan_kementerian", "petugas_provinsi", riau)
    # the ministry's answer per proposal: the province, not the agency
    u = Usulan.objects.get(pk=us[0].pk)
    with pytest.raises(TidakBerwenang, match="bekerja di portal"):
        services.usulan_transisi(user=pengguna("dinas.inhil"), usulan=u, nama="terima_kementerian")
    u = services.usulan_transisi(user=riau, usulan=u, nama="terima_kementerian")
    assert u.status == S.DITERIMA


def test_province_screens(masuk, sampai):
    (u,) = sampai("dikirim_provinsi")
    rk = Rekap.objects.get(tingkat=Rekap.Tingkat.KABUPATEN)
    isi = masuk("petugas.riau").get(rk.get_absolute_url()).content.decode()
    assert "Terima dan teruskan ke kementerian" in isi and 'data-testid="kembalikan-rekap"' in isi
    d = masuk("dinas.inhil").get(rk.get_absolute_url()).content.decode()
    assert 'data-testid="terima-rekap"' not in d  # the province decides in this round
    p = masuk("provinsi.riau").get(rk.get_absolute_url()).content.decode()
    assert 'data-testid="terima-rekap"' not in p  # read-only stays read-only
    antrean = masuk("petugas.riau").get(
        reverse("bpum:rekap_daftar") + "?status=dikirim&tingkat=kabupaten"
    )
    assert rk.nomor in antrean.content.decode()


def test_province_rekap_command_and_page(tmp_path, pengguna, periode, sampai, pelalawan, masuk):
    sampai("diteruskan", 2)
    sampai("diverifikasi", 1, mulai=30)  # not yet at the province: left out by default
    p2, buat = pelalawan
    buat(3)
    buat(1, status=S.DIVERIFIKASI, mulai=8100)
    Usulan.objects.filter(periode=p2).filter(nama="Pelalawan 0").update(nama="=HYPERLINK(1)")
    out = tmp_path / "prov.xlsx"
    call_command(
        "bpum_export_rekap",
        "--provinsi",
        "14",
        "--periode",
        "BPUM-2021",
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Ringkasan", "Kabupaten Indragiri Hilir", "Kabupaten Pelalawan"]
    ring = [[c.value for c in r] for r in wb["Ringkasan"].iter_rows()]
    assert ring[0] == ["Kabupaten/Kota", "Kecamatan", "Jumlah Usulan"]
    assert ["Kabupaten Indragiri Hilir", "Tembilahan", 2] in ring
    assert sum(r[2] for r in ring[1:]) == 5
    ws = wb["Kabupaten Pelalawan"]
    assert [c.value for c in ws[1]] == eks.KOLOM_EKSPOR
    nama = [r[2].value for r in ws.iter_rows(min_row=2)]
    assert "'=HYPERLINK(1)" in nama  # neutralised, never a formula
    for r in ws.iter_rows(min_row=2):
        assert (
            r[0].data_type == "s" and len(r[0].value) == 16 and r[6].value == "Kabupaten Pelalawan"
        )
    # every status on request
    call_command(
        "bpum_export_rekap",
        "--provinsi",
        "14",
        "--periode",
        "BPUM-2021",
        "--semua-status",
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    assert (
        sum(r[2].value for r in openpyxl.load_workbook(out)["Ringkasan"].iter_rows(min_row=2)) == 7
    )
    with pytest.raises(CommandError) as e:
        call_command(
            "bpum_export_rekap", "--provinsi", "99", "--periode", "BPUM-2021", "-o", str(out)
        )
    assert e.value.returncode == 2
    # the same download on the export page, for the province's officers only
    c = masuk("petugas.riau")
    isi = c.get(reverse("bpum:ekspor")).content.decode()
    assert 'data-testid="form-ekspor-provinsi"' in isi
    resp = c.post(reverse("bpum:ekspor_provinsi"), {"provinsi": "14", "periode_kode": "BPUM-2021"})
    assert resp.status_code == 200
    assert resp["Content-Disposition"] == 'attachment; filename="rekap-provinsi-BPUM-2021-14.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["Ringkasan", "Kabupaten Indragiri Hilir", "Kabupaten Pelalawan"]
    baca = masuk("provinsi.riau").post(
        reverse("bpum:ekspor_provinsi"), {"provinsi": "14", "periode_kode": "BPUM-2021"}
    )
    assert baca.status_code == 200  # read-only oversight may read
    dinas = masuk("dinas.inhil")
    assert (
        'data-testid="form-ekspor-provinsi"'
        not in dinas.get(reverse("bpum:ekspor")).content.decode()
    )
    assert (
        dinas.post(
            reverse("bpum:ekspor_provinsi"), {"provinsi": "14", "periode_kode": "BPUM-2021"}
        ).status_code
        == 403
    )


def test_province_imports_the_answer_for_every_regency(pengguna, periode, sampai, pelalawan):
    us = sampai("diteruskan", 2)
    p2, buat = pelalawan
    pel = buat(2)
    riau = pengguna("petugas.riau")
    prov = Wilayah.objects.get(kode="14")
    raw = _jawaban(
        [
            [us[0].nik, "DITERIMA", ""],
            [us[1].nik, "DITOLAK", "Sudah menerima KUR"],
            [pel[0].nik, "DITERIMA", ""],
            [pel[1].nik, "DITOLAK", "Usaha belum berjalan"],
        ]
    )
    # the agency may not import when the province works in the portal
    with pytest.raises(TidakBerwenang, match="bekerja di portal"):
        imp.impor_buat(
            user=pengguna("dinas.inhil"),
            jenis="jawaban",
            periode=periode,
            wilayah=periode.wilayah,
            raw=raw,
            nama_berkas="j.xlsx",
        )
    impor = imp.impor_validasi(
        imp.impor_buat(
            user=riau, jenis="jawaban", periode=periode, wilayah=prov, raw=raw, nama_berkas="j.xlsx"
        )
    )
    assert impor.status == ImporRekap.Status.VALID, impor.errors
    impor = imp.impor_terapkan(impor, user=riau)
    assert impor.status == ImporRekap.Status.SELESAI and impor.jumlah_diperbarui == 4
    st = dict(Usulan.objects.values_list("nik", "status"))
    assert [st[u.nik] for u in (*us, *pel)] == [S.DITERIMA, S.DITOLAK, S.DITERIMA, S.DITOLAK]
    # a regency whose province stays outside the portal is not covered
    p2.provinsi_portal = False
    p2.save()
    lain = buat(1, mulai=8200)
    impor = imp.impor_validasi(
        imp.impor_buat(
            user=riau,
            jenis="jawaban",
            periode=periode,
            wilayah=prov,
            raw=_jawaban([[lain[0].nik, "DITERIMA", ""]]),
            nama_berkas="k.xlsx",
        )
    )
    assert impor.status == ImporRekap.Status.GALAT
    assert "tidak ada di periode ini untuk provinsi ini" in impor.errors[0]["message"]


def test_province_answer_command(tmp_path, pengguna, periode, sampai):
    (u,) = sampai("diteruskan")
    f = tmp_path / "jawaban.xlsx"
    f.write_bytes(_jawaban([[u.nik, "DITERIMA", "ok"]]))
    args = ("bpum_import_jawaban", str(f), "--periode", "BPUM-2021", "--json")
    with pytest.raises(CommandError) as e:
        call_command(*args, "--kabupaten", "14.04", "--oleh", "dinas.inhil", stdout=io.StringIO())
    assert e.value.returncode == 2 and "bekerja di portal" in str(e.value)
    out = io.StringIO()
    call_command(*args, "--provinsi", "14", "--oleh", "petugas.riau", stdout=out)
    assert '"updated": 1' in out.getvalue()
    assert Usulan.objects.get(pk=u.pk).status == S.DITERIMA


def test_province_answer_page(masuk, sampai):
    (u,) = sampai("diteruskan")
    c = masuk("petugas.riau")
    isi = c.get(reverse("bpum:impor_daftar")).content.decode()
    assert 'data-testid="form-impor-jawaban"' in isi and 'name="tingkat" value="provinsi"' in isi
    assert 'data-testid="form-impor-rekap"' not in isi
    d = masuk("dinas.inhil").get(reverse("bpum:impor_daftar")).content.decode()
    assert 'data-testid="form-impor-jawaban"' not in d
