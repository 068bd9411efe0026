"""Demo requests for ``setup_portal --demo``: every service has requests at every step, some
late, some returned to the applicant, some handed over with survey answers, and complaints.
Everything is created through the services (the engine), with times in the past so the clocks,
the dashboard and the register have something to show. Idempotent: nothing is added when the
demo services already have requests."""

from __future__ import annotations

import datetime as dt
import random
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from sop.engine import langkah_eksternal
from sop.jadwal import jadwal_unit
from sop.tenggat import geser_menit_kerja

from . import services
from .models import SIAP, JenisLayanan, Permohonan
from .sop_info import kode_periksa, tahap_sop
from .standar import jalur_utama

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PETUGAS = {
    "iumk-pelalawan": "fo.pelalawan",
    "nib-pacitan": "perbantuan.pacitan",
    "nik-koperasi-pacitan": "staf.pacitan",
    "rekomtek-iui-pacitan": "verifikator.pacitan",
}
PEMUTUS = {"lapor-hasil-verifikasi": "kadis.pacitan"}  # the Kepala Dinas approves step 8

NAMA = [
    "Siti Aminah",
    "Budi Santoso",
    "Dewi Lestari",
    "Ahmad Fauzi",
    "Rina Marlina",
    "Joko Susilo",
    "Nur Hidayah",
    "Agus Salim",
    "Wahyuni",
    "Hendra Gunawan",
    "Yuliana",
    "Rahmat Hidayat",
]
USAHA = [
    "Keripik Nanas",
    "Warung Makan",
    "Kopi Bubuk",
    "Tenun Songket",
    "Batik Tulis",
    "Bengkel Motor",
    "Toko Kelontong",
    "Sablon Kaos",
    "Kerupuk Ikan",
    "Madu Hutan",
]
KABUPATEN_NIK = {"14.05": "140501", "35.01": "350101"}


def _nik(kab: str, i: int) -> str:
    hari = 1 + i % 28 + (40 if i % 2 else 0)
    return (
        f"{KABUPATEN_NIK.get(kab, '140501')}{hari:02d}{1 + i % 12:02d}{80 + i % 15:02d}{1 + i:04d}"
    )


def _data(j: JenisLayanan, i: int) -> dict:
    kota = "Pangkalan Kerinci" if j.unit.wilayah_id.startswith("14.05") else "Pacitan"
    nama = NAMA[i % len(NAMA)]
    usaha = f"{USAHA[i % len(USAHA)]} {nama.split()[0]}"
    if j.kode == "nik-koperasi-pacitan":
        usaha = (
            f"Koperasi Serba Usaha {['Maju Bersama', 'Sejahtera', 'Makmur', 'Mandiri'][i % 4]} {i}"
        )
    return {
        "pemohon_nik": _nik(j.unit.wilayah_id[:5], i),
        "pemohon_nama": nama,
        "pemohon_hp": f"0812{3000000 + i * 7919:07d}"[:12],
        "pemohon_alamat": f"Jl. Merdeka No. {i + 1}, {kota}",
        "usaha_nama": usaha,
        "usaha_nib": "",
        "usaha_kbli": ["10793", "56101", "47111", "13121", "95220"][i % 5],
        "usaha_alamat": f"Jl. Pasar No. {i + 3}, {kota}",
    }


def _berkas(j: JenisLayanan, lengkap: bool) -> tuple[dict, set]:
    berkas, asli = {}, set()
    for n, s in enumerate(j.persyaratan.all()):
        if not lengkap and s.wajib and n == 0:
            continue  # the first required document is missing
        if s.unggah:
            berkas[s.pk] = ContentFile(PDF, name=f"syarat-{s.pk}.pdf")
        else:
            asli.add(s.pk)
    return berkas, asli


class Demo:
    def __init__(self, j: JenisLayanan, users: dict):
        self.j = j
        self.users = users
        self.jadwal = jadwal_unit(j.unit)
        self.sop = j.sop_berlaku()
        self.jalur = [t.kode for t in jalur_utama(tahap_sop(self.sop))] if self.sop else []
        self.keluaran = {k.langkah_kode: k for k in j.keluaran.all()}
        self.n = 0

    def user(self, kode: str | None = None):
        return self.users[PEMUTUS.get(kode or "", PETUGAS[self.j.kode])]

    def maju(self, t: datetime, menit: int) -> datetime:
        return geser_menit_kerja(t, menit, self.jadwal)

    def terima(self, t: datetime, *, lengkap: bool = True) -> Permohonan:
        berkas, asli = _berkas(self.j, lengkap)
        self.n += 1
        return services.permohonan_terima(
            user=self.user(),
            jenis=self.j,
            data=_data(self.j, self.n + 17 * self.j.pk),
            berkas=berkas,
            asli=asli,
            now=t,
        )

    def langkah(self, p: Permohonan, t: datetime) -> Permohonan:
        """Complete the step the request waits in (recording its output first)."""
        kode = p.langkah_aktif_kode()
        k = self.keluaran.get(kode)
        if k is not None:
            nomor = (
                f"{p.urut:013d}"
                if k.pola_nomor == "nib"
                else f"{p.urut:03d}/{k.nama[:3].upper()}/{t:%Y}"
            )
            services.dokumen_hasil_catat(
                user=self.user(kode),
                permohonan=p,
                keluaran=k,
                nomor=nomor,
                tanggal=timezone.localdate(t),
                berkas=ContentFile(PDF, name="hasil.pdf"),
                now=t,
            )
        lk = p.langkah_aktif()
        nama = "putuskan_ya" if lk.keputusan else "selesaikan"
        return services.permohonan_transisi(user=self.user(kode), permohonan=p, nama=nama, now=t)

    def sampai(
        self, p: Permohonan, kode: str, t: datetime, menit: int
    ) -> tuple[Permohonan, datetime]:
        """Advance ``p`` until it waits in ``kode`` (or is ready for handover: SIAP)."""
        while p.status != kode and p.status != SIAP:
            lk = p.langkah_aktif()
            t = self.maju(t, 1 if langkah_eksternal(lk) else menit)
            p = self.langkah(p, t)
        return p, t


def buat_demo(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    layanan = list(JenisLayanan.objects.filter(kode__in=PETUGAS).select_related("unit"))
    if not layanan or Permohonan.objects.filter(jenis__in=layanan).exists():
        return {"permohonan": 0}
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in={*PETUGAS.values(), *PEMUTUS.values()})
    }
    if len(users) < len({*PETUGAS.values(), *PEMUTUS.values()}):
        return {"permohonan": 0}
    acak = random.Random(2026)
    hasil = {"permohonan": 0, "diserahkan": 0, "survei": 0, "pengaduan": 0}
    diserahkan: list[Permohonan] = []
    for j in layanan:
        d = Demo(j, users)
        if d.sop is None:
            continue
        # 1. history: handed over in the past six months (some late), oldest first
        mulai = now - dt.timedelta(days=180)
        for i in range(6):
            t = d.maju(mulai + dt.timedelta(days=29 * i, hours=acak.randint(0, 5)), 0)
            p = d.terima(t)
            telat = i % 3 == 2
            per_langkah = (acak.randint(40, 90) if telat else acak.randint(3, 12)) if d.jalur else 5
            p, t = d.sampai(p, SIAP, t, per_langkah)
            p = services.permohonan_transisi(
                user=d.user(),
                permohonan=p,
                nama="serahkan",
                now=d.maju(t, 30),
                penerima_nama=p.pemohon_nama,
            )
            diserahkan.append(p)
            hasil["permohonan"] += 1
            hasil["diserahkan"] += 1
        # 2. open requests: one waiting in every step of the path, received this morning
        awal = d.maju(now - dt.timedelta(days=1), 0)
        for n, kode in enumerate(d.jalur):
            t = d.maju(awal, 3 * n)
            p = d.terima(t)
            if p.status != kode and kode in d.jalur[d.jalur.index(p.status) :]:
                p, t = d.sampai(p, kode, t, 10)
            hasil["permohonan"] += 1
        # 3. one late (received two working days ago, still in the first office step)
        p = d.terima(d.maju(now - dt.timedelta(days=3), 0))
        hasil["permohonan"] += 1
        # 4. one returned to the applicant (a required document missing), clock paused
        t = d.maju(now - dt.timedelta(hours=6), 0)
        p = d.terima(t, lengkap=False)
        p, t = d.sampai(p, kode_periksa(j, d.sop), t, 5)
        kurang = [s.nama for s in p.syarat_kurang()] or ["Dokumen pendukung"]
        services.permohonan_transisi(
            user=d.user(p.langkah_aktif_kode()),
            permohonan=p,
            nama="kembalikan_berkas",
            kekurangan=kurang,
            now=d.maju(t, 5),
        )
        hasil["permohonan"] += 1
        # 5. one ready for handover, one cancelled
        t = d.maju(now - dt.timedelta(hours=5), 0)
        p, t = d.sampai(d.terima(t), SIAP, t, 5)
        p = d.terima(d.maju(now - dt.timedelta(hours=4), 0))
        services.permohonan_transisi(
            user=d.user(),
            permohonan=p,
            nama="batalkan",
            catatan="Pemohon menarik permohonan.",
            now=d.maju(now - dt.timedelta(hours=4), 10),
        )
        hasil["permohonan"] += 2
    # 6. survey answers of two thirds of the handed-over requests
    from . import skm

    for i, p in enumerate(diserahkan):
        if i % 3 == 2:
            continue
        baik = 4 if i % 4 == 0 else 3
        skm.survei_simpan(
            token=p.survei_token,
            skor={
                f"u{k}": max(1, min(4, baik - (1 if (i + k) % 7 == 0 else 0))) for k in range(1, 10)
            },
            profil={
                "jenis_kelamin": "P" if i % 2 else "L",
                "pendidikan": ["SMA", "D4/S1", "SMP", "D1-D3"][i % 4],
                "pekerjaan": ["Wirausaha", "Swasta", "Lainnya"][i % 3],
            },
            now=p.diserahkan_pada,
        )
        hasil["survei"] += 1
    # 7. complaints: about a request (answered), about a service (one overdue)
    from . import pengaduan as aduan

    for j in layanan:
        p = next((x for x in diserahkan if x.jenis_id == j.pk), None)
        if p is None:
            continue
        a, _pin = aduan.pengaduan_ajukan(
            isi="Petugas ramah, tetapi antrean di loket terlalu lama pada pagi hari.",
            permohonan=p,
            now=p.diserahkan_pada,
        )
        aduan.pengaduan_jawab(
            user=users[PETUGAS[j.kode]],
            pengaduan=a,
            jawaban="Terima kasih. Mulai bulan ini loket dibuka pukul 07.30 dengan dua petugas.",
            now=geser_menit_kerja(p.diserahkan_pada, 120, jadwal_unit(j.unit)),
        )
        aduan.pengaduan_ajukan(
            isi="Informasi persyaratan di papan pengumuman berbeda dengan yang diminta petugas.",
            jenis=j,
            nama="Warga",
            now=now - dt.timedelta(days=10),
        )
        hasil["pengaduan"] += 2
    return hasil
