"""Helpers that walk a proposal through SOP 17-20, and a loan through letters I-III, with the
demo officers (used by several tests, the browser journeys too): every step through the
services, i.e. through the engine."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from danabergulir import services
from danabergulir.models import (
    Debitur,
    JalanPenagihan,
    JalanProposal,
    Jaminan,
    Pinjaman,
    Produk,
    SkPenetapan,
)
from danabergulir.sapuan import sapu_penagihan
from danabergulir.services.proposal import jalan_terbuka
from sop.models import Unit, Wilayah

WIB = ZoneInfo("Asia/Jakarta")
UPT = "upt-dana-bergulir-pacitan"
KEC = "35.01.01"  # Donorojo
_n = itertools.count(1)


def waktu(y, m, d, h=9, mi=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=WIB)


def orang(username):
    return get_user_model().objects.get(username=username)


def pdf_kecil() -> SimpleUploadedFile:
    isi = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile("proposal.pdf", isi, content_type="application/pdf")


def foto_kecil(nama="usaha.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(buf, "JPEG")
    return SimpleUploadedFile(nama, buf.getvalue(), content_type="image/jpeg")


def data_proposal(**ubah) -> dict:
    n = next(_n)
    d = {
        "jenis": Debitur.Jenis.UMKM,
        "nama": f"Sutini {n}",
        "nik": f"35010141{n:08d}",
        "nib": f"9120{n:09d}",
        "kecamatan": Wilayah.objects.get(kode="35.01.01"),
        "desa": None,
        "alamat": "RT 01 RW 02",
        "jumlah_diminta": 10_000_000,
        "tenor_diminta": 12,
        "tujuan": "Modal kerja warung",
    }
    d.update(ubah)
    return d


def daftar(now, **ubah):
    return services.proposal_daftarkan(
        user=orang("upt.pacitan"),
        unit=Unit.objects.get(kode=UPT),
        data=data_proposal(**ubah),
        berkas=pdf_kecil(),
        now=now,
    )


def jalan(p) -> JalanProposal:
    return jalan_terbuka(p)


def sampai_18(p, now):
    """SOP 17: check (ya), Kadis, Kepala UPT, book."""
    services.proposal_langkah(run=jalan(p), user=orang("upt.pacitan"), nama="putuskan_ya", now=now)
    services.proposal_langkah(run=jalan(p), user=orang("kadis.pacitan"), now=now)
    services.proposal_langkah(run=jalan(p), user=orang("kaupt.pacitan"), now=now)
    services.proposal_catat_buku(run=jalan(p), user=orang("upt.pacitan"), now=now)
    return jalan(p)


def survei(p, now, plafon=8_000_000):
    services.survei_simpan(
        proposal=p,
        user=orang("upt.pacitan"),
        data={
            "tanggal": now.date(),
            "usaha": "Warung kelontong, 6 tahun",
            "omzet_bulanan": 9_000_000,
            "aset": 25_000_000,
            "jaminan_ditawarkan": "BPKB sepeda motor",
            "nilai_jaminan": 12_000_000,
            "plafon_rekomendasi": plafon,
        },
        foto=[foto_kecil()],
        keterangan="Tampak depan",
        now=now,
    )


def sampai_19(p, now):
    """SOP 18: applicant complete, Kepala UPT assigns, survey, team receives."""
    services.proposal_langkah(run=jalan(p), user=orang("upt.pacitan"), now=now)
    services.proposal_tugaskan_survei(
        run=jalan(p), user=orang("kaupt.pacitan"), petugas=orang("upt.pacitan"), now=now
    )
    survei(p, now)
    services.proposal_langkah(run=jalan(p), user=orang("upt.pacitan"), now=now)
    services.proposal_langkah(run=jalan(p), user=orang("kaupt.pacitan"), now=now)
    return jalan(p)


def sampai_rapat(p, now):
    """SOP 19 steps 1-2: the team's recap, the Kepala UPT receives it."""
    services.proposal_langkah(run=jalan(p), user=orang("upt.pacitan"), now=now)
    services.proposal_langkah(run=jalan(p), user=orang("kaupt.pacitan"), now=now)
    return jalan(p)


def sk_untuk(proposals, now, *, nomor=None, plafon=8_000_000, tolak=()):
    """A decree approving ``proposals`` (refusing those in ``tolak``), signed, meeting closed."""
    unit = Unit.objects.get(kode=UPT)
    sk = services.sk_buat(
        user=orang("upt.pacitan"),
        unit=unit,
        nomor=nomor or f"500/{next(_n)}/UPT-DB/2026",
        tanggal=now.date(),
        now=now,
    )
    for p in proposals:
        if p in tolak:
            services.sk_putuskan(
                sk=sk, user=orang("upt.pacitan"), proposal=p, disetujui=False, alasan="Usaha baru"
            )
        else:
            services.sk_putuskan(
                sk=sk, user=orang("upt.pacitan"), proposal=p, disetujui=True, plafon=plafon
            )
    sk = services.sk_tetapkan(sk=sk, user=orang("kaupt.pacitan"), now=now)
    services.sk_tutup_rapat(
        sk=SkPenetapan.objects.get(pk=sk.pk), user=orang("upt.pacitan"), now=now
    )
    return SkPenetapan.objects.get(pk=sk.pk)


def sampai_perjanjian(p, now):
    """SOP 20 steps 1-5: Kadis, Kepala UPT, invitation, applicant receives, agreement signed."""
    services.proposal_langkah(run=jalan(p), user=orang("kadis.pacitan"), now=now)
    services.proposal_langkah(run=jalan(p), user=orang("kaupt.pacitan"), now=now)
    services.penyaluran_undangan(
        run=jalan(p),
        user=orang("upt.pacitan"),
        tanggal=now.date(),
        jadwal=now + dt.timedelta(days=2),
        tempat="Aula UPT",
        now=now,
    )
    services.proposal_langkah(run=jalan(p), user=orang("upt.pacitan"), now=now)
    services.penyaluran_rekening(
        proposal=p, user=orang("upt.pacitan"), nama_bank="Bank Jatim", nomor_rekening="0123456789"
    )
    services.penyaluran_jaminan(
        proposal=p,
        user=orang("upt.pacitan"),
        jenis=Jaminan.Jenis.BPKB,
        nomor_dokumen="M-778899",
        atas_nama=p.nama,
        nilai=12_000_000,
        tempat_penyimpanan="Lemari arsip UPT",
        tanggal_diterima=now.date(),
    )
    services.penyaluran_perjanjian(
        run=jalan(p), user=orang("kaupt.pacitan"), tanggal=now.date(), now=now
    )
    return jalan(p)


# ------------------------------------------------------------------ loans and their letters
def debitur_baru(nama="Suparmi", jenis=Debitur.Jenis.UMKM, kec=KEC) -> Debitur:
    n = next(_n)
    return Debitur.objects.create(
        unit=Unit.objects.get(kode=UPT),
        jenis=jenis,
        nama=f"{nama} {n}",
        nik=f"99{n:014d}",
        kecamatan=Wilayah.objects.get(kode=kec),
    )


def pinjaman_baru(
    nomor=None,
    *,
    plafon=1_000_000,
    jasa=12,
    tenor=3,
    metode="flat",
    pertama=dt.date(2024, 1, 15),
    pencairan=None,
    debitur=None,
) -> Pinjaman:
    """A loan booked by the UPT officer: flat 1.000.000 over 3 months = 343.333/343.333/343.334
    by default, disbursed a month before the first due date."""
    return services.pinjaman_buat(
        user=orang("upt.pacitan"),
        unit=Unit.objects.get(kode=UPT),
        debitur=debitur or debitur_baru(),
        produk=Produk.objects.get(kode="dana-bergulir-pacitan"),
        nomor=nomor or f"TST-{next(_n):05d}",
        plafon=plafon,
        jasa_persen=Decimal(jasa),
        metode=metode,
        tenor=tenor,
        tanggal_pencairan=pencairan or (pertama - dt.timedelta(days=30)),
        jatuh_tempo_pertama=pertama,
    )


def runs(p) -> list[JalanPenagihan]:
    return list(JalanPenagihan.objects.filter(pinjaman=p).order_by("siklus", "tingkat"))


def terbit(run, tanggal, now=None):
    """Kepala UPT assigns, the officer issues the letter dated ``tanggal``."""
    now = now or waktu(tanggal.year, tanggal.month, tanggal.day, 10)
    run = services.penagihan_tugaskan(run=run, user=orang("kaupt.pacitan"), now=now)
    return services.penagihan_terbitkan_surat(
        run=run, user=orang("upt.pacitan"), tanggal=tanggal, now=now
    )


def antre_keputusan(p: Pinjaman) -> tuple[Pinjaman, dt.datetime]:
    """A loan nothing was paid on, through letters I-III (each issued the day after it opens)
    until the sweep queues it for a decision (Macet by then); with the moment it was queued."""
    from sop.sla import sapu

    hari = p.jatuh_tempo_pertama + dt.timedelta(days=1)  # the first day in arrears
    sapu_penagihan(waktu(hari.year, hari.month, hari.day, 6))
    r = terbit(runs(p)[-1], hari)
    sapu(now=r.jendela_berakhir + dt.timedelta(hours=16))
    r = terbit(runs(p)[-1], (r.jendela_berakhir + dt.timedelta(days=1)).date())
    sapu(now=r.jendela_berakhir + dt.timedelta(hours=16))
    r = terbit(runs(p)[-1], (r.jendela_berakhir + dt.timedelta(days=1)).date())
    ujung = r.jendela_berakhir + dt.timedelta(hours=16)
    sapu(now=ujung)
    p = Pinjaman.objects.get(pk=p.pk)
    assert p.status == Pinjaman.Status.MENUNGGU_KEPUTUSAN
    return p, ujung


# ------------------------------------------------------------------ bank statement lines
@dataclass
class Baris:
    """A credit line of a bank statement as the importer produces it."""

    tanggal: dt.date
    jumlah: Decimal
    keterangan: str
    referensi: str = ""
    saldo: Decimal | None = None
    row: int = 0


def baris(tanggal, jumlah, keterangan, referensi="", saldo=None) -> Baris:
    return Baris(
        tanggal, Decimal(jumlah), keterangan, referensi, None if saldo is None else Decimal(saldo)
    )
