"""SOP 17-20 end to end through the engine: registration, check, book, survey, decree,
agreement, bank list, realisation -> an active loan with its schedule from the bank's date."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from pypdf import PdfReader

from danabergulir import services
from danabergulir.dokumen import perjanjian_pdf, sk_pdf
from danabergulir.models import JalanProposal, KeputusanProposal, Pinjaman, Proposal
from sop import engine
from sop.models import Jejak
from sop.selectors import jam_induk, jejak_induk

from .alur import (
    daftar,
    jalan,
    orang,
    sampai_18,
    sampai_19,
    sampai_perjanjian,
    sampai_rapat,
    sk_untuk,
    survei,
    waktu,
)

pytestmark = pytest.mark.django_db
SENIN = waktu(2026, 10, 5)


def teks_pdf(data: bytes) -> str:
    halaman = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join((h.extract_text() or "") for h in halaman).split())


def test_pendaftaran_dan_pemeriksaan():
    p = daftar(SENIN)
    r = jalan(p)
    assert (r.sop.kode, r.status) == ("PACITAN-17", "terima-teliti-proposal")
    # step 1 was recorded by the officer for the applicant; the check's clock runs (1 hari)
    assert [j.transisi for j in jejak_induk(p)] == ["mulai", "selesaikan"]
    (jam,) = jam_induk(p)
    assert jam.langkah.kode == "terima-teliti-proposal" and not jam.eksternal
    assert jam.tenggat == waktu(2026, 10, 6, 16, 0)
    # "tidak": returned to the applicant with reasons (required)
    with pytest.raises(engine.AlasanWajib):
        services.proposal_langkah(run=r, user=orang("upt.pacitan"), nama="putuskan_tidak")
    r = services.proposal_langkah(
        run=r,
        user=orang("upt.pacitan"),
        nama="putuskan_tidak",
        catatan="SKU kedaluwarsa",
        now=SENIN,
    )
    assert r.status == "ajukan-proposal"
    (jam,) = jam_induk(p)
    assert jam.eksternal  # waiting on the applicant: a window, not an officer's breach
    r = services.proposal_ajukan_ulang(run=r, user=orang("upt.pacitan"), now=SENIN)
    assert r.status == "terima-teliti-proposal"
    r = sampai_18(p, SENIN)
    p.refresh_from_db()
    assert re.fullmatch(r"\d{4}/PROP/UPT-DB/2026", p.nomor_buku)
    assert (r.sop.kode, r.status) == ("PACITAN-18", "proposal-lengkap")
    # the SOP 17 run ended, its log stays on the proposal
    assert JalanProposal.objects.get(proposal=p, sop__kode="PACITAN-17").status == "selesai"


def test_nomor_buku_per_tahun():
    a, b = daftar(SENIN), daftar(SENIN)
    sampai_18(a, SENIN)
    sampai_18(b, SENIN)
    c = daftar(waktu(2027, 1, 4))
    sampai_18(c, waktu(2027, 1, 4))
    nomor = [
        x.nomor_buku for x in Proposal.objects.filter(pk__in=[a.pk, b.pk, c.pk]).order_by("pk")
    ]
    urut = [int(n.split("/")[0]) for n in nomor]
    assert [n.split("/", 1)[1] for n in nomor] == ["PROP/UPT-DB/2026"] * 2 + ["PROP/UPT-DB/2027"]
    assert urut[1] == urut[0] + 1  # gap-free within a year
    assert (
        urut[2]
        == 1 + Proposal.objects.filter(nomor_buku__endswith="/2027").exclude(pk=c.pk).count()
    )


def test_data_kurang_menahan_pemeriksaan():
    p = daftar(SENIN, nib="", sku="")
    r = jalan(p)
    tombol = [t.nama for t in engine.transisi_tersedia(r, orang("upt.pacitan"))]
    assert tombol == ["putuskan_tidak"]  # "ya" is offered only when the data is complete
    with pytest.raises(engine.StatusTidakMengizinkan) as e:
        services.proposal_langkah(run=r, user=orang("upt.pacitan"), nama="putuskan_ya")
    assert "NIB" in str(e.value)


def test_survei_14_hari_dan_syaratnya():
    p = daftar(SENIN)
    sampai_18(p, SENIN)
    services.proposal_langkah(run=jalan(p), user=orang("upt.pacitan"), now=SENIN)
    with pytest.raises(engine.StatusTidakMengizinkan):  # no officer chosen yet
        services.proposal_langkah(run=jalan(p), user=orang("kaupt.pacitan"), now=SENIN)
    services.proposal_tugaskan_survei(
        run=jalan(p), user=orang("kaupt.pacitan"), petugas=orang("upt.pacitan"), now=SENIN
    )
    r = jalan(p)
    assert r.status == "verifikasi-lapangan"
    jam = engine.jam_terbuka(r)
    # 14 working days from Monday 5 Oct 2026: Friday 23 Oct, close of business (16:30)
    assert jam.tenggat == waktu(2026, 10, 23, 16, 30)
    with pytest.raises(engine.StatusTidakMengizinkan) as e:
        services.proposal_langkah(run=r, user=orang("upt.pacitan"), now=SENIN)
    assert "survei" in str(e.value).lower()
    with pytest.raises(engine.GagalTransisi):  # above the amount requested
        survei(p, SENIN, plafon=11_000_000)
    survei(p, SENIN)
    assert p.survei.foto.count() == 1
    services.proposal_langkah(run=r, user=orang("upt.pacitan"), now=SENIN)
    r = services.proposal_langkah(run=jalan(p), user=orang("kaupt.pacitan"), now=SENIN)
    assert jalan(p).sop.kode == "PACITAN-19"


def test_foto_survei_lewat_pemeriksa_unggahan():
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = daftar(SENIN)
    sampai_18(p, SENIN)
    services.proposal_langkah(run=jalan(p), user=orang("upt.pacitan"), now=SENIN)
    services.proposal_tugaskan_survei(
        run=jalan(p), user=orang("kaupt.pacitan"), petugas=orang("upt.pacitan"), now=SENIN
    )
    palsu = SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script></html>")
    with pytest.raises(engine.GagalTransisi) as e:
        services.survei_simpan(
            proposal=p,
            user=orang("upt.pacitan"),
            data={
                "tanggal": SENIN.date(),
                "usaha": "x",
                "omzet_bulanan": 1,
                "aset": 1,
                "jaminan_ditawarkan": "x",
                "nilai_jaminan": 0,
                "plafon_rekomendasi": 1_000_000,
            },
            foto=[palsu],
        )
    assert "Foto" in str(e.value) or "foto" in str(e.value)


def test_sk_penetapan_plafon_dan_alasan():
    a, b = daftar(SENIN, jumlah_diminta=10_000_000), daftar(SENIN)
    for p in (a, b):
        sampai_18(p, SENIN)
        sampai_19(p, SENIN)
        sampai_rapat(p, SENIN)
    assert jalan(a).status == "rapat-penentuan"
    sk = services.sk_buat(
        user=orang("upt.pacitan"),
        unit=a.unit,
        nomor="500/12/UPT-DB/2026",
        tanggal=SENIN.date(),
        now=SENIN,
    )
    with pytest.raises(engine.GagalTransisi):  # never above the amount requested
        services.sk_putuskan(
            sk=sk, user=orang("upt.pacitan"), proposal=a, disetujui=True, plafon=10_000_001
        )
    with pytest.raises(engine.GagalTransisi):  # a refusal needs its reason
        services.sk_putuskan(sk=sk, user=orang("upt.pacitan"), proposal=b, disetujui=False)
    services.sk_putuskan(
        sk=sk, user=orang("upt.pacitan"), proposal=a, disetujui=True, plafon=7_500_000
    )
    services.sk_putuskan(
        sk=sk, user=orang("upt.pacitan"), proposal=b, disetujui=False, alasan="Usaha belum berjalan"
    )
    # the meeting step waits for the signed decree
    with pytest.raises(engine.StatusTidakMengizinkan):
        services.proposal_langkah(run=jalan(a), user=orang("upt.pacitan"), now=SENIN)
    with pytest.raises(engine.TidakBerwenang):  # only the Kepala UPT signs
        services.sk_tetapkan(sk=sk, user=orang("upt.pacitan"), now=SENIN)
    sk = services.sk_tetapkan(sk=sk, user=orang("kaupt.pacitan"), now=SENIN)
    teks = teks_pdf(sk_pdf(sk))
    assert "500/12/UPT-DB/2026" in teks and "Rp7.500.000,00" in teks
    assert "tujuh juta lima ratus ribu rupiah" in teks and "Usaha belum berjalan" in teks
    with pytest.raises(engine.GagalTransisi):  # a signed decree is final
        services.sk_putuskan(
            sk=sk, user=orang("upt.pacitan"), proposal=a, disetujui=True, plafon=1_000_000
        )
    services.sk_tutup_rapat(sk=sk, user=orang("upt.pacitan"), now=SENIN)
    assert jalan(a).sop.kode == "PACITAN-20"
    assert jalan(b) is None  # refused: no SOP 20
    assert JalanProposal.objects.get(proposal=b, sop__kode="PACITAN-19").status == "selesai"


def test_perjanjian_daftar_bank_dan_realisasi(tmp_path):
    p = daftar(SENIN, jumlah_diminta=10_600_000)
    sampai_18(p, SENIN)
    sampai_19(p, SENIN)
    sampai_rapat(p, SENIN)
    sk = sk_untuk([p], SENIN, plafon=10_600_000)
    r = sampai_perjanjian(p, SENIN)
    assert r.status == "serahkan-daftar-bank"
    p.refresh_from_db()
    teks = teks_pdf(perjanjian_pdf(p))
    for bagian in (
        p.nomor_perjanjian,
        p.nama,
        "Rp10.600.000,00",
        "sepuluh juta enam ratus ribu rupiah",
        "Pasal 4",
        "0,1",
        "M-778899",
        "0123456789",
    ):
        assert bagian.replace("0,1", "0.1") in teks or bagian in teks, bagian
    assert teks.count("Rp883.333,00") >= 11  # flat 10.600.000 / 12: the full schedule printed
    # the list for the bank (xlsx through the shared safe writer)
    from danabergulir.selectors import daftar_bank_xlsx

    wb = openpyxl.load_workbook(io.BytesIO(daftar_bank_xlsx(sk)))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("No", "Nama Penerima", "NIK", "No Rekening")
    assert rows[1][1] == p.nama and rows[1][3] == "0123456789" and rows[1][5] == 10_600_000
    assert ws.cell(2, 4).data_type == "s"  # the account number stays text
    services.penyaluran_serahkan_bank(sk=sk, user=orang("kaupt.pacitan"), now=SENIN)
    r = jalan(p)
    assert r.status == "realisasi-kredit" and engine.jam_terbuka(r).eksternal
    with pytest.raises(engine.GagalTransisi):  # not before the agreement
        services.penyaluran_realisasi(
            run=r, user=orang("upt.pacitan"), tanggal=SENIN.date() - dt.timedelta(days=1), now=SENIN
        )
    cair = waktu(2026, 10, 9)
    pj = services.penyaluran_realisasi(
        run=r, user=orang("upt.pacitan"), tanggal=cair.date(), now=cair
    )
    assert pj.status == Pinjaman.Status.AKTIF and pj.proposal_id == p.pk
    assert (pj.plafon, pj.tanggal_pencairan, pj.jatuh_tempo_pertama) == (
        10_600_000,
        dt.date(2026, 10, 9),
        dt.date(2026, 11, 9),
    )
    assert re.fullmatch(r"\d{4}/PDB/2026", pj.nomor)
    v = pj.versi.get()
    assert (
        v.angsuran.count() == 12 and sum(v.angsuran.values_list("pokok", flat=True)) == 10_600_000
    )
    assert list(pj.jaminan.values_list("nomor_dokumen", flat=True)) == ["M-778899"]
    assert jalan(p) is None
    # all four runs logged on the proposal, no clock left open
    kode = [j.sop.kode for j in jejak_induk(p) if j.sop]
    assert set(kode) == {"PACITAN-17", "PACITAN-18", "PACITAN-19", "PACITAN-20"}
    assert not jam_induk(p).exists()
    assert KeputusanProposal.objects.get(proposal=p).plafon == 10_600_000


def test_setiap_langkah_lewat_engine_dengan_pelaksana_seed():
    """Every Jejak row of a full proposal names the step's performer role from the seed."""
    p = daftar(SENIN)
    sampai_18(p, SENIN)
    sampai_19(p, SENIN)
    sampai_rapat(p, SENIN)
    sk_untuk([p], SENIN)
    sampai_perjanjian(p, SENIN)
    rows = list(
        Jejak.objects.filter(induk_id=str(p.pk), transisi__in=["selesaikan", "putuskan_ya"])
        .select_related("langkah", "peran")
        .order_by("pk")
    )
    for j in rows:
        boleh = {x.kode for x in j.langkah.pelaksana.all()}
        boleh |= {x.dicatat_oleh.kode for x in j.langkah.pelaksana.all() if x.dicatat_oleh}
        boleh |= (
            {"petugas_upt"}
            if j.langkah.sop.kolom.filter(dicatat_oleh__kode="petugas_upt").exists()
            else set()
        )
        assert j.peran.kode in boleh, (j.langkah.kode, j.peran.kode)
    assert jam_induk(p).count() == 1
