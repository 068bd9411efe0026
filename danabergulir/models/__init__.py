from .impor import ImporBerkas
from .keputusan import HapusBuku, Restrukturisasi
from .pembayaran import Alokasi, Pembalikan, Pembayaran
from .penagihan import SOP_PENAGIHAN, JalanPenagihan
from .pinjaman import Angsuran, Debitur, JadwalVersi, Jaminan, Pinjaman, normal_nomor
from .produk import KelasKolektibilitas, MetodeJasa, Produk, ProfilKolektibilitas, RekeningDana
from .proposal import (
    SOP_PROPOSAL,
    FotoSurvei,
    JalanProposal,
    KeputusanProposal,
    Proposal,
    SkPenetapan,
    Survei,
)
from .siklus import SOP_SIKLUS, SiklusBulanan

__all__ = [
    "SOP_PENAGIHAN",
    "SOP_PROPOSAL",
    "SOP_SIKLUS",
    "Alokasi",
    "Angsuran",
    "Debitur",
    "FotoSurvei",
    "HapusBuku",
    "ImporBerkas",
    "JadwalVersi",
    "JalanPenagihan",
    "JalanProposal",
    "Jaminan",
    "KelasKolektibilitas",
    "KeputusanProposal",
    "MetodeJasa",
    "Pembalikan",
    "Pembayaran",
    "Pinjaman",
    "Produk",
    "ProfilKolektibilitas",
    "Proposal",
    "RekeningDana",
    "Restrukturisasi",
    "SiklusBulanan",
    "SkPenetapan",
    "Survei",
    "normal_nomor",
]
