"""What ``manage.py setup_portal`` loads for BPUM (idempotent, a handful of queries).

Always: the catalogue of return reasons, the province's BPUM desk (an office that acts; the
province's oversight office stays read-only). With ``demo``: the open round BPUM-2021 for
Kabupaten Indragiri Hilir (14.04) with per-tier limits 3/5/7/7 working days and the province
working in the portal, the province officer ``petugas.riau``, a few more village officers, and a
living round of a few hundred proposals (``bpum.demo``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sop.models import Pelaksana, Penugasan, Unit, Wilayah

from .models import AlasanPengembalian, Periode, dokumen_bawaan

ALASAN = [
    ("ktp-tidak-ada", "Fotokopi/foto KTP tidak ada"),
    ("ktp-tidak-terbaca", "Foto KTP tidak terbaca"),
    ("kk-tidak-ada", "Kartu Keluarga (KK) tidak ada"),
    ("nik-tidak-sesuai", "NIK pada formulir tidak sesuai dengan KTP"),
    ("sku-tidak-ada", "Surat keterangan usaha (SKU) atau NIB tidak ada"),
    ("sku-kedaluwarsa", "Surat keterangan usaha sudah tidak berlaku"),
    ("foto-usaha-tidak-ada", "Foto tempat usaha tidak ada"),
    ("alamat-luar-desa", "Alamat KTP di luar desa/kelurahan ini"),
    (
        "pernyataan-belum",
        "Surat pernyataan (bukan ASN/TNI/Polri/BUMN/BUMD, tidak menerima KUR) belum ditandatangani",
    ),
    ("data-tidak-sesuai", "Data usulan tidak sesuai dengan berkas"),
    ("belum-diperiksa", "Berkas fisik belum diperiksa/disertifikasi kecamatan"),
    ("data-ganda", "Kemungkinan data ganda (NIK sudah diusulkan)"),
    ("rekap-tidak-lengkap", "Rekap tidak lengkap atau tidak sesuai format"),
    ("lainnya", "Lainnya (tulis di catatan)"),
]
PERLU_CATATAN = {"lainnya"}

DEMO_PERIODE = {
    "kode": "BPUM-2021",
    "wilayah": "14.04",
    "nama": "Banpres Produktif Usaha Mikro 2021 Kabupaten Indragiri Hilir",
    "dibuka": dt.date(2021, 3, 1),
    # per-tier limits in working days (desa / kecamatan / dinas / provinsi)
    "batas": {"batas_desa": 3, "batas_kecamatan": 5, "batas_dinas": 7, "batas_provinsi": 7},
}

UNIT_PROVINSI = {
    "kode": "bidang-um-prov-riau",
    "nama": "Bidang Usaha Mikro, Dinas Koperasi dan UKM Provinsi Riau",
    "wilayah": "14",
    "induk": "dinas-koperasi-ukm-prov-riau",
}

# username, name, office, roles: officers the demo round needs besides sop.setup's
DEMO_USERS = [
    (
        "petugas.riau",
        "Petugas BPUM Dinas Koperasi UKM Riau",
        UNIT_PROVINSI["kode"],
        ["petugas_provinsi"],
    ),
    (
        "desa.tembilahan-hilir",
        "Petugas Kel. Tembilahan Hilir",
        "kantor-desa-14-04-04-1002",
        ["petugas_desa"],
    ),
    ("desa.pekan-arba", "Petugas Kel. Pekan Arba", "kantor-desa-14-04-04-1006", ["petugas_desa"]),
    ("desa.metro", "Petugas Kel. Metro (Reteh)", "kantor-desa-14-04-01-1017", ["petugas_desa"]),
]


def muat_alasan() -> int:
    ada = set(AlasanPengembalian.objects.values_list("kode", flat=True))
    baru = [
        AlasanPengembalian(kode=k, teks=t, urutan=i, perlu_catatan=k in PERLU_CATATAN)
        for i, (k, t) in enumerate(ALASAN, 1)
        if k not in ada
    ]
    AlasanPengembalian.objects.bulk_create(baru)
    return len(baru)


def muat_unit_provinsi() -> Unit | None:
    """The province's BPUM desk: acts in BPUM (accepts or returns regency batches, records the
    ministry's answer) when a round says the province works in the portal."""
    d = UNIT_PROVINSI
    if not Wilayah.objects.filter(kode=d["wilayah"]).exists():
        return None
    unit, _ = Unit.objects.get_or_create(
        kode=d["kode"],
        defaults={
            "nama": d["nama"],
            "jenis": Unit.Jenis.DINAS_PROVINSI,
            "wilayah_id": d["wilayah"],
            "layanan": ["bpum"],
            "induk": Unit.objects.filter(kode=d["induk"]).first(),
        },
    )
    return unit


def buat_pengguna_demo() -> list[tuple[str, str]]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from sop.setup import DEMO_PASSWORD

    User = get_user_model()
    units = {u.kode: u for u in Unit.objects.filter(kode__in=[d[2] for d in DEMO_USERS])}
    peran = {
        p.kode: p for p in Pelaksana.objects.filter(kode__in={r for d in DEMO_USERS for r in d[3]})
    }
    sandi = None
    hasil = []
    for username, nama, unit_kode, roles in DEMO_USERS:
        unit = units.get(unit_kode)
        if unit is None:
            continue
        user, dibuat = User.objects.get_or_create(username=username, defaults={"first_name": nama})
        if dibuat:
            sandi = sandi or make_password(DEMO_PASSWORD)
            user.password = sandi
            user.save(update_fields=["password"])
        if not Penugasan.objects.filter(user=user, unit=unit).exists():
            Penugasan.objects.create(user=user, unit=unit).peran.set(
                [peran[r] for r in roles if r in peran]
            )
        hasil.append((username, nama))
    return hasil


def muat_periode_demo() -> bool:
    d = DEMO_PERIODE
    if not Wilayah.objects.filter(kode=d["wilayah"]).exists():
        return False
    p, dibuat = Periode.objects.get_or_create(
        kode=d["kode"],
        wilayah_id=d["wilayah"],
        defaults={
            "nama": d["nama"],
            "dibuka": d["dibuka"],
            "dokumen_wajib": dokumen_bawaan(),
            "keterangan": "Dibuat oleh setup_portal --demo.",
            "provinsi_portal": True,
            **d["batas"],
        },
    )
    if not dibuat and all(getattr(p, f) is None for f in d["batas"]):
        # a round set up before the limits existed: give it the demo's limits once
        for f, v in d["batas"].items():
            setattr(p, f, v)
        p.provinsi_portal = True
        p.save(update_fields=[*d["batas"], "provinsi_portal"])
    return dibuat


@transaction.atomic
def setup(demo: bool = False) -> dict:
    hasil = {"alasan_pengembalian": muat_alasan()}
    AlasanPengembalian.objects.filter(kode__in=PERLU_CATATAN, perlu_catatan=False).update(
        perlu_catatan=True
    )
    muat_unit_provinsi()
    if demo:
        hasil["periode_demo"] = muat_periode_demo()
        hasil["pengguna_demo"] = buat_pengguna_demo()
        from .demo import isi_demo

        hasil["usulan_demo"] = isi_demo()
    return hasil
