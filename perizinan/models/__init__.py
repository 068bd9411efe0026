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

__all__ = [
    "DIBATALKAN",
    "DISERAHKAN",
    "KEMBALI",
    "LOKET",
    "SIAP",
    "BerkasSyarat",
    "DokumenHasil",
    "JenisLayanan",
    "KeluaranLayanan",
    "Permohonan",
    "Persyaratan",
]
