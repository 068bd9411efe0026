from .impor import ImporBerkas
from .pembayaran import Alokasi, Pembalikan, Pembayaran
from .pinjaman import Angsuran, Debitur, JadwalVersi, Jaminan, Pinjaman, normal_nomor
from .produk import KelasKolektibilitas, MetodeJasa, Produk, ProfilKolektibilitas, RekeningDana

__all__ = [
    "Alokasi",
    "Angsuran",
    "Debitur",
    "ImporBerkas",
    "JadwalVersi",
    "Jaminan",
    "KelasKolektibilitas",
    "MetodeJasa",
    "Pembalikan",
    "Pembayaran",
    "Pinjaman",
    "Produk",
    "ProfilKolektibilitas",
    "RekeningDana",
    "normal_nomor",
]
