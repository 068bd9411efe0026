"""Reading the ministry's answer file: one row per NIK with DITERIMA / DITOLAK and a remark.

Pure (no models), through the project's safe reader (``sop.lembar.baca_tabel``): the same
guards, header detection and ``RowError`` (Excel row, column title as in the file, message) as
the district rekap, so the same annotated-workbook writer serves both imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sop.lembar import Baris, BerkasTidakValid, Jenis, Kolom, RowError, baca_tabel, normalisasi_nama

from .spreadsheet import KOLOM_REKAP

__all__ = ["KOLOM_JAWABAN", "BarisJawaban", "BerkasTidakValid", "HasilJawaban", "baca_jawaban"]

MAKS_KETERANGAN = 1000

KOLOM_JAWABAN: tuple[Kolom, ...] = (
    Kolom("nik", "NIK", KOLOM_REKAP[0].aliases, jenis=Jenis.NIK, teks=True),
    Kolom(
        "status",
        "Status",
        ("Hasil", "Hasil Validasi", "Status Validasi", "Keputusan", "Status Usulan"),
        max_len=100,
    ),
    Kolom(
        "keterangan",
        "Keterangan",
        ("Alasan", "Catatan", "Ket", "Alasan Ditolak"),
        required=False,
        max_len=MAKS_KETERANGAN,
    ),
)
NILAI = {
    "diterima": "diterima",
    "terima": "diterima",
    "lolos": "diterima",
    "ditolak": "ditolak",
    "tolak": "ditolak",
    "tidaklolos": "ditolak",
}


@dataclass(slots=True)
class BarisJawaban:
    row: int
    nik: str
    status: str  # "diterima" | "ditolak"
    keterangan: str


@dataclass(slots=True)
class HasilJawaban:
    rows: list[BarisJawaban]
    errors: list[RowError]
    header_row: int
    sheet: str
    total_rows: int
    kolom: dict[str, str] = field(default_factory=dict)


def baca_jawaban(raw: bytes, *, max_rows: int = 200_000) -> HasilJawaban:
    """Read and check the ministry's answers (xlsx). Raises ``BerkasTidakValid``."""
    pertama: dict[str, int] = {}

    def periksa(b: Baris, salah) -> BarisJawaban | None:
        nik = b.nilai["nik"]
        if nik is not None:
            awal = pertama.setdefault(nik, b.row)
            if awal != b.row:
                salah(
                    "nik",
                    f"NIK {nik} sama dengan baris {awal}; satu NIK hanya boleh muncul sekali.",
                )
        teks_status = b.nilai["status"]
        if teks_status is None:
            return None
        status = NILAI.get(normalisasi_nama(teks_status))
        if status is None:
            salah("status", f"Status “{teks_status}” tidak dikenal: isi DITERIMA atau DITOLAK.")
            return None
        ket = b.nilai["keterangan"] or ""
        if status == "ditolak" and not ket:
            salah("keterangan", "Alasan penolakan wajib diisi.")
        return BarisJawaban(b.row, nik, status, ket)

    hasil = baca_tabel(raw, KOLOM_JAWABAN, max_rows=max_rows, periksa=periksa, format=("xlsx",))
    if "keterangan" not in hasil.kolom:  # the file has no Keterangan column at all
        for e in hasil.errors:
            if e.column == "keterangan":
                e.column = "Keterangan"
                e.message = "Alasan penolakan wajib diisi (kolom Keterangan tidak ada)."
    return HasilJawaban(
        hasil.rows, hasil.errors, hasil.header_row, hasil.sheet, hasil.total_rows, hasil.kolom
    )
