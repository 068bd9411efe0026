from .definisi import KatalogLayanan, KolomPelaksana, Langkah, Sop
from .jejak import (
    Immutable,
    Jejak,
    LangkahBerjalan,
    Notifikasi,
    Pelanggaran,
    Peringatan,
    RiwayatPerubahan,
)
from .kalender import HariLibur, JamKerja, Kalender, Overlay, OverlayJam
from .permohonan import Lampiran, Permohonan
from .ringkasan import RingkasKepatuhan
from .wilayah import Pelaksana, Penugasan, Unit, Wilayah

__all__ = [
    "HariLibur",
    "Immutable",
    "KatalogLayanan",
    "JamKerja",
    "Jejak",
    "Kalender",
    "KolomPelaksana",
    "Lampiran",
    "Langkah",
    "LangkahBerjalan",
    "Notifikasi",
    "Overlay",
    "OverlayJam",
    "Pelaksana",
    "Pelanggaran",
    "Peringatan",
    "Penugasan",
    "Permohonan",
    "RingkasKepatuhan",
    "RiwayatPerubahan",
    "Sop",
    "Unit",
    "Wilayah",
]
