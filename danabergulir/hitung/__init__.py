"""Loan arithmetic of the revolving fund: pure functions on whole rupiah (no Django).

- ``jadwal``: repayment schedules (flat, anuitas, menurun), grace months, due dates.
- ``alokasi``: payment allocation (oldest installment first; denda -> jasa -> pokok), denda
  accrual, days past due, replay and reversal.
- ``kolektibilitas``: the editable class profile (default POJK 40/POJK.03/2019), NPL, aging.
- ``uang``: rounding, rupiah text, terbilang, amounts read from bank statements.
"""

from .alokasi import Angsuran, Bagian, Buku, HasilAlokasi, Pembayaran, Posisi, putar_ulang
from .jadwal import Baris, JadwalTidakValid, Metode, jadwal, tanggal_jatuh_tempo
from .kolektibilitas import (
    KELOMPOK_UMUR,
    PROFIL_POJK,
    Kelas,
    cek_profil,
    kelas_untuk,
    kelompok_umur,
    npl_persen,
)
from .uang import baca_jumlah, bulat, persen_ke_ppm, rupiah, terbilang_rupiah

__all__ = [
    "KELOMPOK_UMUR",
    "PROFIL_POJK",
    "Angsuran",
    "Bagian",
    "Baris",
    "Buku",
    "HasilAlokasi",
    "JadwalTidakValid",
    "Kelas",
    "Metode",
    "Pembayaran",
    "Posisi",
    "baca_jumlah",
    "bulat",
    "cek_profil",
    "jadwal",
    "kelas_untuk",
    "kelompok_umur",
    "npl_persen",
    "persen_ke_ppm",
    "putar_ulang",
    "rupiah",
    "tanggal_jatuh_tempo",
    "terbilang_rupiah",
]
