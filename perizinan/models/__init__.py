from .layanan import JenisLayanan, KeluaranLayanan, Persyaratan
from .pengaduan import Pengaduan
from .permohonan import (
    DIBATALKAN,
    DISERAHKAN,
    KEMBALI,
    LOKET,
    SIAP,
    BerkasSyarat,
    DokumenHasil,
    Permohonan,
)
from .skm import ImporSkm, ResponSkm

__all__ = [
    "DIBATALKAN",
    "DISERAHKAN",
    "KEMBALI",
    "LOKET",
    "SIAP",
    "BerkasSyarat",
    "DokumenHasil",
    "ImporSkm",
    "JenisLayanan",
    "KeluaranLayanan",
    "Pengaduan",
    "Permohonan",
    "Persyaratan",
    "ResponSkm",
]
