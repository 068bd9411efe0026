"""What ``manage.py setup_portal`` loads for BPUM (idempotent, a handful of queries).

Always: the catalogue of reasons a village office returns a file. With ``demo``: the open round
BPUM-2021 for Kabupaten Indragiri Hilir (14.04).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sop.models import Wilayah

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
    ("lainnya", "Lainnya (lihat catatan)"),
]

DEMO_PERIODE = {
    "kode": "BPUM-2021",
    "wilayah": "14.04",
    "nama": "Banpres Produktif Usaha Mikro 2021 Kabupaten Indragiri Hilir",
    "dibuka": dt.date(2021, 3, 1),
}


def muat_alasan() -> int:
    ada = set(AlasanPengembalian.objects.values_list("kode", flat=True))
    baru = [
        AlasanPengembalian(kode=k, teks=t, urutan=i)
        for i, (k, t) in enumerate(ALASAN, 1)
        if k not in ada
    ]
    AlasanPengembalian.objects.bulk_create(baru)
    return len(baru)


def muat_periode_demo() -> bool:
    d = DEMO_PERIODE
    if not Wilayah.objects.filter(kode=d["wilayah"]).exists():
        return False
    _p, dibuat = Periode.objects.get_or_create(
        kode=d["kode"],
        wilayah_id=d["wilayah"],
        defaults={
            "nama": d["nama"],
            "dibuka": d["dibuka"],
            "dokumen_wajib": dokumen_bawaan(),
            "keterangan": "Dibuat oleh setup_portal --demo.",
        },
    )
    return dibuat


@transaction.atomic
def setup(demo: bool = False) -> dict:
    hasil = {"alasan_pengembalian": muat_alasan()}
    if demo:
        hasil["periode_demo"] = muat_periode_demo()
    return hasil
