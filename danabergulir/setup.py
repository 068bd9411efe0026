"""What ``manage.py setup_portal`` loads for the loan book (idempotent).

Always: the POJK 40/POJK.03/2019 kolektibilitas profile and the default product of UPT Dana
Bergulir Pacitan. With ``demo``: the fund account and a Pacitan loan book of a few dozen loans
in every kolektibilitas class (dates relative to today), payments posted from a demo bank
statement (with unmatched lines in the suspense list), one restructured loan and collateral.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sop.models import Unit, Wilayah

from .hitung import Buku, jadwal
from .hitung.jadwal import tambah_bulan
from .models import (
    Debitur,
    Jaminan,
    KelasKolektibilitas,
    Pinjaman,
    Produk,
    ProfilKolektibilitas,
    RekeningDana,
)

UNIT_UPT = "upt-dana-bergulir-pacitan"
KABUPATEN = "35.01"
PROFIL_BAWAAN = "pojk-40-2019"
PRODUK_BAWAAN = "dana-bergulir-pacitan"

KELAS_POJK = [
    (1, "Lancar", 0, 0, False),
    (2, "Dalam Perhatian Khusus", 1, 90, False),
    (3, "Kurang Lancar", 91, 120, True),
    (4, "Diragukan", 121, 180, True),
    (5, "Macet", 181, None, True),
]


def muat_profil() -> ProfilKolektibilitas:
    profil, dibuat = ProfilKolektibilitas.objects.get_or_create(
        kode=PROFIL_BAWAAN,
        defaults={
            "nama": "POJK 40/POJK.03/2019",
            "keterangan": "Kolektibilitas menurut hari tunggakan (POJK 40/POJK.03/2019).",
        },
    )
    if dibuat or not profil.kelas.exists():
        KelasKolektibilitas.objects.bulk_create(
            KelasKolektibilitas(profil=profil, urutan=u, nama=n, dpd_min=a, dpd_maks=z, npl=npl)
            for u, n, a, z, npl in KELAS_POJK
        )
    return profil


def muat_produk(profil: ProfilKolektibilitas) -> Produk | None:
    unit = Unit.objects.filter(kode=UNIT_UPT).first()
    if unit is None:
        return None
    produk, _ = Produk.objects.get_or_create(
        kode=PRODUK_BAWAAN,
        defaults={
            "nama": "Pinjaman Dana Bergulir Koperasi dan Usaha Mikro",
            "unit": unit,
            "plafon_min": 1_000_000,
            "plafon_maks": 100_000_000,
            "jasa_persen": Decimal("6"),
            "metode": "flat",
            "tenor": 24,
            "masa_tenggang": 0,
            "denda_persen_harian": Decimal("0.1"),
            "profil": profil,
        },
    )
    return produk


# ------------------------------------------------------------------ demo
NAMA_UMKM = [
    "Suparmi",
    "Sutrisno",
    "Wahyuni",
    "Slamet Riyadi",
    "Endang Lestari",
    "Mujiono",
    "Sri Rahayu",
    "Bambang Sugiarto",
    "Tumini",
    "Agus Salim",
    "Siti Aminah",
    "Joko Santoso",
    "Rini Astuti",
    "Sukarno",
    "Yuliani",
    "Heri Purnomo",
    "Lilik Handayani",
    "Darmanto",
    "Sumarni",
    "Teguh Widodo",
    "Ninik Suryani",
    "Paijo",
    "Kasiyem",
    "Wagiman",
    "Murni Lestari",
    "Rudi Hartono",
    "Tukiyem",
    "Supriyadi",
    "Dwi Ratnasari",
    "Samijan",
]
NAMA_KOPERASI = [
    "KSP Sido Makmur",
    "Koperasi Serba Usaha Tunas Harapan",
    "KSU Maju Bersama",
    "Koperasi Wanita Mawar",
    "KSP Karya Mandiri",
    "Koperasi Nelayan Samudra Pacitan",
    "KSU Batik Tulis Pacitan",
    "Koperasi Tani Ngudi Rejeki",
]
USAHA = [
    "warung kelontong",
    "batik tulis",
    "olahan ikan",
    "kerajinan batu akik",
    "tahu tempe",
    "keripik singkong",
    "bengkel motor",
    "penjahit",
    "gula kelapa",
    "ternak kambing",
]

# (target days past due on today, count): 0 = Lancar, -1 = paid off
SEBARAN = [
    (-1, 3),
    (0, 16),
    (20, 4),
    (45, 3),
    (75, 2),
    (100, 2),
    (135, 2),
    (210, 1),
    (320, 1),
    (480, 1),
    (640, 1),
]


@dataclass
class _Rencana:
    nomor: str
    debitur: Debitur
    plafon: int
    tenor: int
    metode: str
    jasa: Decimal
    pencairan: dt.date
    pertama: dt.date
    bayar: list[tuple[dt.date, int]]
    target: int = 0


class _Baris:
    def __init__(self, tanggal, jumlah, keterangan, referensi, row):
        self.tanggal, self.jumlah, self.keterangan = tanggal, Decimal(jumlah), keterangan
        self.referensi, self.saldo, self.row, self.sumber = referensi, None, row, "demo"


def _nik(rng: random.Random, kec: str, perempuan: bool) -> str:
    hari = rng.randint(1, 28) + (40 if perempuan else 0)
    return f"3501{kec[-2:]}{hari:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}"


def _rencana_bayar(rng, baris, target: int, hari_ini: dt.date, ppm: int):
    """Payments that leave the loan ``target`` days past due today (-1: all paid)."""
    buku = Buku.dari_jadwal(baris, ppm)
    bayar = []
    for i, b in enumerate(baris):
        batas = hari_ini - dt.timedelta(days=target)
        if target >= 0 and (b.jatuh_tempo >= batas if target > 0 else b.jatuh_tempo > batas):
            if target > 0 and i > 0 and rng.random() < 0.4 and b.jatuh_tempo <= hari_ini:
                t = b.jatuh_tempo + dt.timedelta(days=2)  # a partial payment of the oldest
                if t <= hari_ini:
                    bayar.append((t, b.angsuran // 2))
            break
        telat = rng.choice([0, 0, 0, -2, -5, 3])
        t = min(b.jatuh_tempo + dt.timedelta(days=telat), hari_ini)
        if bayar and t < bayar[-1][0]:
            t = bayar[-1][0]
        jumlah = buku.terutang(max(t, b.jatuh_tempo)) if telat > 0 else b.angsuran
        buku.bayar(t, jumlah)
        bayar.append((t, jumlah))
    return bayar


def muat_demo(produk: Produk, hari_ini: dt.date) -> dict:
    if Pinjaman.objects.filter(sumber=Pinjaman.Sumber.DEMO).exists():
        return {"pinjaman": 0}
    from . import services

    User = get_user_model()
    petugas = User.objects.filter(username="upt.pacitan").first()
    kepala = User.objects.filter(username="kaupt.pacitan").first()
    if petugas is None:
        return {"pinjaman": 0}
    unit = produk.unit
    RekeningDana.objects.get_or_create(
        unit=unit,
        defaults={
            "nama": "Rekening Dana Bergulir UPT Pacitan",
            "bank": "Bank Jatim Cabang Pacitan",
            "nomor_rekening": "0011223344",
            "saldo_awal": 1_500_000_000,
            "tanggal_saldo_awal": dt.date(hari_ini.year - 3, 1, 1),
        },
    )
    rng = random.Random(2023)  # noqa: S311 - demo data
    kecamatan = list(Wilayah.objects.filter(induk_id=KABUPATEN).order_by("kode"))
    desa: dict[str, list[Wilayah]] = {}
    for w in Wilayah.objects.filter(induk__induk_id=KABUPATEN).order_by("kode"):
        desa.setdefault(w.induk_id, []).append(w)
    rencana: list[_Rencana] = []
    urut = 0
    for target, n in SEBARAN:
        for _i in range(n):
            urut += 1
            kec = kecamatan[urut % len(kecamatan)]
            ds = rng.choice(desa.get(kec.kode) or [None])
            koperasi = urut % 5 == 0
            nama = NAMA_KOPERASI[urut % len(NAMA_KOPERASI)] if koperasi else NAMA_UMKM[urut % 30]
            debitur, _ = Debitur.objects.get_or_create(
                unit=unit,
                nik=(f"3501{urut:012d}" if koperasi else _nik(rng, kec.kode, urut % 2 == 0)),
                defaults={
                    "jenis": Debitur.Jenis.KOPERASI if koperasi else Debitur.Jenis.UMKM,
                    "nama": nama,
                    "nomor_badan_hukum": f"AHU-00{urut:04d}.AH.01.26.TAHUN 2019"
                    if koperasi
                    else "",
                    "pengurus": [{"nama": NAMA_UMKM[(urut + 7) % 30], "jabatan": "Ketua"}]
                    if koperasi
                    else [],
                    "nib": "" if koperasi or urut % 3 else f"9120{urut:09d}",
                    "sku": "" if koperasi or not urut % 3 else f"510/{urut}/SKU/2024",
                    "alamat": f"RT 0{urut % 5 + 1} RW 0{urut % 3 + 1}",
                    "kecamatan": kec,
                    "desa": ds,
                },
            )
            tenor = rng.choice([12, 18, 24]) if target != -1 else 6
            metode = ["flat", "flat", "anuitas", "menurun"][urut % 4]
            plafon = rng.choice([5, 7, 10, 15, 20, 25, 50]) * 1_000_000
            if target == -1:
                pertama = tambah_bulan(hari_ini, -(tenor + rng.randint(1, 6)), rng.randint(1, 28))
            else:
                lunas = rng.randint(1, 6) if target > 0 else rng.randint(0, tenor - 1)
                acuan = hari_ini - dt.timedelta(days=target)
                if target == 0:
                    acuan = hari_ini + dt.timedelta(days=rng.randint(1, 27))
                pertama = tambah_bulan(acuan, -lunas, min(acuan.day, 28))
            pencairan = tambah_bulan(pertama, -1)
            tahun = pencairan.year
            rencana.append(
                _Rencana(
                    nomor=f"DBP/{tahun}/{urut:04d}",
                    debitur=debitur,
                    plafon=plafon,
                    tenor=tenor,
                    metode=metode,
                    jasa=produk.jasa_persen,
                    pencairan=pencairan,
                    pertama=pertama,
                    bayar=[],
                    target=target,
                )
            )
            baris = jadwal(
                pokok=plafon,
                jasa_persen=produk.jasa_persen,
                tenor=tenor,
                metode=metode,
                jatuh_tempo_pertama=pertama,
            )
            rencana[-1].bayar = _rencana_bayar(rng, baris, target, hari_ini, produk.denda_ppm)
    now = timezone.now()
    pinjaman = []
    for r in rencana:
        p = services.pinjaman_buat(
            user=petugas,
            unit=unit,
            debitur=r.debitur,
            produk=produk,
            nomor=r.nomor,
            plafon=r.plafon,
            jasa_persen=r.jasa,
            metode=r.metode,
            tenor=r.tenor,
            tanggal_pencairan=r.pencairan,
            jatuh_tempo_pertama=r.pertama,
            tujuan=f"Modal kerja {USAHA[len(pinjaman) % len(USAHA)]}",
            sumber=Pinjaman.Sumber.DEMO,
            now=now,
        )
        pinjaman.append(p)
    baris = []
    for r in rencana:
        for t, j in r.bayar:
            baris.append(
                _Baris(t, j, f"SETORAN ANGSURAN {r.nomor} {r.debitur.nama.upper()}", "", 0)
            )
    baris.sort(key=lambda b: b.tanggal)
    kemarin = hari_ini - dt.timedelta(days=3)
    baris += [
        _Baris(kemarin, 850_000, "SETORAN TUNAI SUPARMI ANGSURAN", "TRX-DEMO-1", 0),
        _Baris(kemarin, 1_000_000, "TRF DARI KSP SIDO MAKMUR DBP 2024", "TRX-DEMO-2", 0),
        _Baris(kemarin, 12_345, "BUNGA JASA GIRO", "", 0),
    ]
    for i, b in enumerate(baris, 1):
        b.row = i
    hitung = services.rekening_posting(unit=unit, baris=baris, user=petugas, now=now)
    jaminan = 0
    for i, p in enumerate(pinjaman):
        if i % 3:
            continue
        Jaminan.objects.create(
            pinjaman=p,
            jenis=Jaminan.Jenis.BPKB if i % 2 else Jaminan.Jenis.SERTIFIKAT,
            nomor_dokumen=f"{'M-' if i % 2 else 'SHM No. '}{1000 + i}",
            atas_nama=p.debitur.nama,
            nilai=p.plafon * 3 // 2,
            tempat_penyimpanan="Lemari arsip UPT, rak B",
            tanggal_diterima=p.tanggal_pencairan,
        )
        jaminan += 1
    restruk = 0
    # a Diragukan/Macet loan (not the oldest arrears: that one goes through letters I-III)
    macet = [
        p
        for p, r in zip(pinjaman, rencana, strict=True)
        if r.bayar and p.plafon >= 10**7 and 120 <= r.target <= 330
    ]
    if kepala is not None and macet:
        p = macet[-1]
        tanggal = max(
            hari_ini - dt.timedelta(days=20),
            max(t for t, _j in rencana[pinjaman.index(p)].bayar) + dt.timedelta(days=1),
        )
        try:
            r = services.restrukturisasi_ajukan(
                pinjaman=p,
                user=petugas,
                tanggal=tanggal,
                bentuk="penjadwalan_kembali",
                jasa_persen=p.jasa_persen,
                metode="flat",
                tenor=12,
                jatuh_tempo_pertama=tambah_bulan(tanggal, 1),
                alasan="Usaha terdampak banjir; penjadwalan kembali.",
                now=now,
            )
            services.restrukturisasi_setujui(restrukturisasi=r, user=kepala, now=now)
            restruk = 1
        except Exception:  # noqa: BLE001 - demo data only; the book stays usable
            restruk = 0
    return {"pinjaman": len(pinjaman), "jaminan": jaminan, "restrukturisasi": restruk, **hitung}


def peran_demo() -> None:
    """The demo UPT officer also sits on the survey team (PACITAN-19 step 1: Tim Survey)."""
    from sop.models import Pelaksana, Penugasan

    tim = Pelaksana.objects.filter(kode="tim_survey").first()
    if tim is None:
        return
    for t in Penugasan.objects.filter(user__username="upt.pacitan"):
        t.peran.add(tim)


@transaction.atomic
def setup(*, demo: bool = False, hari_ini: dt.date | None = None) -> dict:
    profil = muat_profil()
    produk = muat_produk(profil)
    hasil = {"produk": produk is not None}
    if demo and produk is not None:
        from . import demo_proses

        peran_demo()
        hari_ini = hari_ini or timezone.localdate()
        hasil["demo"] = muat_demo(produk, hari_ini)
        if getattr(settings, "DEMO_PROSES", True):  # False in the test suite's base data
            hasil["demo_sop"] = demo_proses.muat(produk.unit, hari_ini, timezone.now())
    return hasil
