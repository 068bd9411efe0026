from .layanan import JenisLayanan, KeluaranLayanan, Persyaratan
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
from .pengaduan import Pengaduan
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
