"""What ``manage.py setup_portal`` loads for perizinan (idempotent).

Always: the services of the seeds as data (Standar Pelayanan + checklist + output documents),
"perizinan" among the Pacitan dinas's services, the Tim Verifikator's superior role. With
``demo``: the Pacitan dinas officers of SOP 01, 11 and 14 and requests at every step of every
service, created through the engine (``perizinan.demo``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction

from sop.models import Pelaksana, Unit

from .models import JenisLayanan, KeluaranLayanan, Persyaratan

PENGADUAN_PELALAWAN = (
    "Pengaduan, saran dan masukan disampaikan langsung di loket pengaduan DPMPTSP Kabupaten "
    "Pelalawan (Komplek Perkantoran Bhakti Praja, Pangkalan Kerinci; telp. 0761-95991) atau "
    "melalui halaman pengaduan portal ini dengan kode lacak tanda terima. Setiap pengaduan "
    "dicatat, diberi kode, dan dijawab paling lambat 5 hari kerja (keterkaitan SOP A.49: SOP "
    "Penanganan Pengaduan)."
)
PENGADUAN_PACITAN = (
    "Pengaduan, saran dan masukan disampaikan langsung ke Dinas Koperasi, Usaha Mikro dan "
    "Perindustrian Kabupaten Pacitan (Jl. Gajah Mada No. 1 Pacitan; telp./faks. (0357) 883271; "
    "dinkopdanum@pacitankab.go.id) atau melalui halaman pengaduan portal ini dengan kode lacak "
    "tanda terima; dijawab paling lambat 5 hari kerja."
)
SYARAT_OSS = [
    ("KTP pemohon (NIK)", True, True, ""),
    ("NPWP (valid KSWP)", True, True, ""),
    ("Akta pendirian", False, True, "Bagi badan usaha berbadan hukum."),
    ("Alamat e-mail aktif", True, False, "Untuk akun OSS; dicatat petugas, tidak diunggah."),
]

# kode, nama, unit, sop, produk, ringkasan, pengaduan, langkah_periksa, persyaratan, keluaran
LAYANAN = [
    {
        "kode": "iumk-pelalawan",
        "nama": "Perbantuan Penerbitan NIB dan IUMK melalui OSS",
        "unit": "dpmptsp-pelalawan",
        "sop_kode": "PELALAWAN-A.49",
        "produk": "Nomor Induk Berusaha (NIB) dan Izin Usaha Mikro Kecil (IUMK)",
        "ringkasan": (
            "Petugas front office/perbantuan membantu pelaku usaha mikro dan kecil menerbitkan "
            "NIB dan IUMK (tanpa komitmen) di sistem OSS."
        ),
        "pengaduan": PENGADUAN_PELALAWAN,
        "periksa": "layanan-perbantuan",
        "syarat": SYARAT_OSS,
        "keluaran": [
            ("Nomor Induk Berusaha (NIB)", "layanan-perbantuan", KeluaranLayanan.Pola.NIB),
            ("Izin Usaha Mikro Kecil (IUMK)", "terbit-iumk", KeluaranLayanan.Pola.BEBAS),
        ],
        "urutan": 10,
    },
    {
        "kode": "nib-pacitan",
        "nama": "Penerbitan NIB (perbantuan OSS)",
        "unit": "dinas-kukmp-pacitan",
        "sop_kode": "PACITAN-11-NIB",
        "produk": "Nomor Induk Berusaha (NIB)",
        "ringkasan": (
            "Petugas layanan perbantuan Bidang Usaha Mikro membantu pelaku usaha mikro "
            "menerbitkan NIB di sistem OSS. Langkah SOP disusun portal mengikuti SOP A.49 "
            "(SOP 11 dalam seed hanya memuat halaman identitas)."
        ),
        "pengaduan": PENGADUAN_PACITAN,
        "periksa": "layanan-perbantuan",
        "syarat": SYARAT_OSS,
        "keluaran": [
            ("Nomor Induk Berusaha (NIB)", "layanan-perbantuan", KeluaranLayanan.Pola.NIB),
        ],
        "urutan": 20,
    },
    {
        "kode": "nik-koperasi-pacitan",
        "nama": "Pengajuan Sertifikat Nomor Induk Koperasi (NIK)",
        "unit": "dinas-kukmp-pacitan",
        "sop_kode": "PACITAN-01",
        "produk": "Sertifikat Nomor Induk Koperasi (NIK)",
        "ringkasan": (
            "Staf Bidang Koperasi menyiapkan dan memverifikasi formulir profil koperasi lalu "
            "menginput permohonan ke aplikasi ODS; sertifikat diverifikasi, dicetak dan "
            "dikirim oleh Kementerian (waktu Kementerian tidak termasuk jangka waktu dinas)."
        ),
        "pengaduan": PENGADUAN_PACITAN,
        "periksa": "verifikasi-form",
        "syarat": [
            (
                "Formulir Permohonan Pembuatan Sertifikat Nomor Induk Koperasi (Form Profil "
                "Sertifikat NIK)",
                True,
                True,
                "Diisi pengurus koperasi di loket.",
            ),
        ],
        "keluaran": [
            (
                "Sertifikat Nomor Induk Koperasi (NIK)",
                "terima-sertifikat",
                KeluaranLayanan.Pola.BEBAS,
            ),
        ],
        "urutan": 30,
    },
    {
        "kode": "rekomtek-iui-pacitan",
        "nama": "Rekomendasi Teknis Pengaktifan Izin Usaha Industri (IUI)",
        "unit": "dinas-kukmp-pacitan",
        "sop_kode": "PACITAN-14",
        "produk": "Rekomendasi Teknis Pengaktifan Izin Usaha Industri (IUI)",
        "ringkasan": (
            "Tim Verifikator Bidang Perindustrian memverifikasi data perusahaan industri (SIINas), "
            "memeriksa lapangan, membuat Berita Acara Pemeriksaan dan Rekomendasi Teknis, lalu "
            "mengirimnya ke OSS agar IUI berlaku efektif."
        ),
        "pengaduan": PENGADUAN_PACITAN,
        "periksa": "terima-permintaan-verifikasi",
        "syarat": [
            ("KTP/data diri pemohon", True, True, ""),
            ("NIB", True, True, ""),
            (
                "Data perusahaan (alamat kantor, kontak, kapasitas produksi, perizinan)",
                True,
                True,
                "Sesuai data yang diunggah ke SIINas.",
            ),
            ("Dokumen data industri pemohon", True, True, ""),
        ],
        "keluaran": [
            ("Berita Acara Pemeriksaan (BAP)", "buat-bap", KeluaranLayanan.Pola.BEBAS),
            ("Rekomendasi Teknis", "buat-rekomendasi-teknis", KeluaranLayanan.Pola.BEBAS),
        ],
        "urutan": 40,
    },
]

# username, name, unit, roles (demo accounts of the Pacitan dinas for SOP 01, 11 and 14)
PETUGAS_DEMO = [
    ("staf.pacitan", "Staf Bidang Koperasi Pacitan", "dinas-kukmp-pacitan", ["staf"]),
    (
        "perbantuan.pacitan",
        "Petugas Layanan Perbantuan Pacitan",
        "dinas-kukmp-pacitan",
        ["front_office"],
    ),
    (
        "verifikator.pacitan",
        "Tim Verifikator Perindustrian Pacitan",
        "dinas-kukmp-pacitan",
        ["tim_verifikator"],
    ),
]


def tambah_layanan_unit() -> None:
    u = Unit.objects.filter(kode="dinas-kukmp-pacitan").first()
    if u is not None and "perizinan" not in (u.layanan or []):
        u.layanan = [*(u.layanan or []), "perizinan"]
        u.save(update_fields=["layanan"])


def atur_atasan() -> None:
    kadis = Pelaksana.objects.filter(kode="kepala_dinas").first()
    if kadis is not None:
        Pelaksana.objects.filter(kode="tim_verifikator", atasan__isnull=True).update(atasan=kadis)


def muat_layanan() -> int:
    """Create the seed services that are missing; never overwrite what an admin edited."""
    units = {u.kode: u for u in Unit.objects.filter(kode__in={d["unit"] for d in LAYANAN})}
    ada = set(JenisLayanan.objects.values_list("kode", flat=True))
    baru = 0
    for d in LAYANAN:
        if d["kode"] in ada or d["unit"] not in units:
            continue
        j = JenisLayanan.objects.create(
            kode=d["kode"],
            nama=d["nama"],
            unit=units[d["unit"]],
            sop_kode=d["sop_kode"],
            ringkasan=d["ringkasan"],
            biaya=Decimal(0),
            biaya_keterangan="Tidak dipungut biaya.",
            produk=d["produk"],
            penanganan_pengaduan=d["pengaduan"],
            langkah_periksa=d["periksa"],
            urutan=d["urutan"],
        )
        Persyaratan.objects.bulk_create(
            Persyaratan(jenis=j, urutan=i, nama=n, wajib=w, unggah=u, keterangan=k)
            for i, (n, w, u, k) in enumerate(d["syarat"], 1)
        )
        KeluaranLayanan.objects.bulk_create(
            KeluaranLayanan(jenis=j, urutan=i, nama=n, langkah_kode=lk, pola_nomor=pola)
            for i, (n, lk, pola) in enumerate(d["keluaran"], 1)
        )
        baru += 1
    return baru


def buat_petugas_demo() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from sop.models import Penugasan
    from sop.setup import DEMO_PASSWORD

    User = get_user_model()
    peran = {p.kode: p for p in Pelaksana.objects.all()}
    units = {u.kode: u for u in Unit.objects.filter(kode__in={d[2] for d in PETUGAS_DEMO})}
    sandi = None
    dibuat = []
    for username, nama, unit_kode, roles in PETUGAS_DEMO:
        unit = units.get(unit_kode)
        if unit is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            sandi = sandi or make_password(DEMO_PASSWORD)
            user = User.objects.create(username=username, first_name=nama, password=sandi)
            dibuat.append(username)
        if not Penugasan.objects.filter(user=user, unit=unit).exists():
            p = Penugasan.objects.create(user=user, unit=unit)
            p.peran.set([peran[r] for r in roles if r in peran])
    return dibuat


@transaction.atomic
def setup(*, demo: bool = False) -> dict:
    tambah_layanan_unit()
    atur_atasan()
    hasil = {"layanan_baru": muat_layanan()}
    if demo:
        from .demo import buat_demo

        hasil["petugas_demo"] = buat_petugas_demo()
        if getattr(settings, "DEMO_PROSES", True):  # False in the test suite's base data
            hasil["demo"] = buat_demo()
    return hasil
