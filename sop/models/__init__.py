from .definisi import KatalogLayanan, KolomPelaksana, Langkah, Sop
from .formulir import TokenFormulir
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
from .permohonan import JalanLangkah, Lampiran, Permohonan
from .publik import GagalLacak, NomorRegister, Terlacak
from .unggahan import BerkasSementara
from .wilayah import Pelaksana, Penugasan, Unit, Wilayah

__all__ = [
    "BerkasSementara",
    "HariLibur",
    "Immutable",
    "KatalogLayanan",
    "JalanLangkah",
    "JamKerja",
    "Jejak",
    "GagalLacak",
    "Kalender",
    "KolomPelaksana",
    "Lampiran",
    "Langkah",
    "LangkahBerjalan",
    "Notifikasi",
    "NomorRegister",
    "Overlay",
    "OverlayJam",
    "Pelaksana",
    "Pelanggaran",
    "Peringatan",
    "Penugasan",
    "Permohonan",
    "RiwayatPerubahan",
    "Sop",
    "Terlacak",
    "TokenFormulir",
    "Unit",
    "Wilayah",
]
