"""Writes of the revolving fund, one module per subject; everything public is re-exported here.

- ``buku``: loans and schedules, postings, reversals, matching, collateral (the loan book);
- ``proposal``: SOP 17-20 (registration to disbursement) and the SK Penetapan;
- ``penagihan``: SOP 21-23 collection runs and their letters;
- ``keputusan``: restructuring and write-off (decisions outside any SOP);
- ``siklus``: the SOP 24 monthly cycle.

Keyword-only functions named ``<thing>_<action>``; every state change goes through the engine
(``sop.engine.jalankan`` / ``sop.massal.jalankan_massal``); failures raise
``sop.engine.GagalTransisi`` subclasses with a message for the officer.
"""

from .buku import (
    RencanaPosting,
    _angsuran_versi,
    cek_syarat,
    jaminan_kembalikan,
    jaminan_tambah,
    pembayaran_abaikan,
    pembayaran_balik,
    pembayaran_cocokkan,
    pinjaman_buat,
    rekening_posting,
    rencanakan_posting,
    versi_buat,
)
from .keputusan import (
    hapus_buku_ajukan,
    hapus_buku_setujui,
    hapus_buku_tolak,
    restrukturisasi_ajukan,
    restrukturisasi_setujui,
    restrukturisasi_tolak,
)
from .penagihan import (
    penagihan_catat,
    penagihan_selesaikan,
    penagihan_terbitkan_surat,
    penagihan_tugaskan,
)
from .proposal import (
    penyaluran_jaminan,
    penyaluran_perjanjian,
    penyaluran_realisasi,
    penyaluran_rekening,
    penyaluran_serahkan_bank,
    penyaluran_undangan,
    proposal_ajukan_ulang,
    proposal_catat_buku,
    proposal_daftarkan,
    proposal_langkah,
    proposal_tugaskan_survei,
    sk_buat,
    sk_keluarkan,
    sk_putuskan,
    sk_tetapkan,
    sk_tutup_rapat,
    survei_simpan,
)
from .siklus import siklus_kirim_bkd, siklus_langkah, siklus_pembukuan, siklus_sahkan

__all__ = [
    "RencanaPosting",
    "_angsuran_versi",
    "cek_syarat",
    "jaminan_kembalikan",
    "jaminan_tambah",
    "pembayaran_abaikan",
    "pembayaran_balik",
    "pembayaran_cocokkan",
    "pinjaman_buat",
    "rekening_posting",
    "rencanakan_posting",
    "versi_buat",
    "hapus_buku_ajukan",
    "hapus_buku_setujui",
    "hapus_buku_tolak",
    "restrukturisasi_ajukan",
    "restrukturisasi_setujui",
    "restrukturisasi_tolak",
    "penagihan_catat",
    "penagihan_selesaikan",
    "penagihan_terbitkan_surat",
    "penagihan_tugaskan",
    "penyaluran_jaminan",
    "penyaluran_perjanjian",
    "penyaluran_realisasi",
    "penyaluran_rekening",
    "penyaluran_serahkan_bank",
    "penyaluran_undangan",
    "proposal_ajukan_ulang",
    "proposal_catat_buku",
    "proposal_daftarkan",
    "proposal_langkah",
    "proposal_tugaskan_survei",
    "sk_buat",
    "sk_keluarkan",
    "sk_putuskan",
    "sk_tetapkan",
    "sk_tutup_rapat",
    "survei_simpan",
    "siklus_kirim_bkd",
    "siklus_langkah",
    "siklus_pembukuan",
    "siklus_sahkan",
]
