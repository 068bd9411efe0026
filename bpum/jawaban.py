"""Reading the ministry's answer file: one row per NIK with DITERIMA / DITOLAK and a remark.

Pure (no models). openpyxl in read-only streaming mode, at most ``MAKS_KOLOM`` columns read per
row, so a sparse sheet with a far-away cell cannot blow up memory. Errors are ``RowError`` of
``bpum.spreadsheet`` (Excel row number, column title as in the file, message) so the same
annotated-workbook writer serves both imports.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass, field

from .spreadsheet import KOLOM_REKAP, BerkasTidakValid, RowError, normalisasi_nama

MAKS_KOLOM = 40
MAKS_BARIS_JUDUL = 30

_NIK = {normalisasi_nama(n) for n in (KOLOM_REKAP[0].label, *KOLOM_REKAP[0].aliases)}
_STATUS = {
    normalisasi_nama(n)
    for n in (
        "Status",
        "Hasil",
        "Hasil Validasi",
        "Status Validasi",
        "Keputusan",
        "Status Usulan",
    )
}
_KET = {normalisasi_nama(n) for n in ("Keterangan", "Alasan", "Catatan", "Ket", "Alasan Ditolak")}
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


def _teks(v) -> str:
    if v is None:
        return ""
    return " ".join(str(v).split())


def baca_jawaban(raw: bytes, *, max_rows: int = 200_000) -> HasilJawaban:
    import openpyxl

    if not raw:
        raise BerkasTidakValid("Berkas kosong (0 byte).")
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise BerkasTidakValid(
            "Berkas bukan file Excel .xlsx yang valid. Simpan berkas dari Excel sebagai "
            '"Excel Workbook (*.xlsx)" lalu unggah lagi.'
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise BerkasTidakValid("Berkas bukan file Excel .xlsx yang valid atau rusak.") from exc
    try:
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            hasil = _baca_lembar(ws, max_rows)
            if hasil is not None:
                return hasil
    finally:
        wb.close()
    raise BerkasTidakValid(
        f"Baris judul kolom tidak ditemukan di {MAKS_BARIS_JUDUL} baris pertama. Berkas jawaban "
        "kementerian harus punya kolom NIK, Status (DITERIMA/DITOLAK) dan Keterangan."
    )


def _baca_lembar(ws, max_rows: int) -> HasilJawaban | None:
    it = ws.iter_rows(max_col=MAKS_KOLOM, values_only=True)
    kolom: dict[str, int] = {}
    judul: dict[str, str] = {}
    header = 0
    for i, baris in enumerate(it, start=1):
        if i > MAKS_BARIS_JUDUL:
            return None
        temu = {}
        for j, v in enumerate(baris):
            n = normalisasi_nama(v) if isinstance(v, str) else ""
            for key, nama in (("nik", _NIK), ("status", _STATUS), ("keterangan", _KET)):
                if n in nama and key not in temu:
                    temu[key] = j
        if "nik" in temu and "status" in temu:
            kolom = temu
            judul = {k: _teks(baris[j]) for k, j in temu.items()}
            header = i
            break
    if not header:
        return None
    rows: list[BarisJawaban] = []
    errors: list[RowError] = []
    pertama: dict[str, int] = {}
    total = 0
    jk = kolom.get("keterangan")
    for i, baris in enumerate(it, start=header + 1):
        nilai = [baris[j] if j < len(baris) else None for j in kolom.values()]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in nilai):
            continue
        total += 1
        if total > max_rows:
            raise BerkasTidakValid(
                f'Lembar "{ws.title}" berisi lebih dari {max_rows:,} baris data.'.replace(",", ".")
            )
        err: list[RowError] = []

        def salah(key: str, pesan: str, i=i, err=err) -> None:
            err.append(RowError(i, judul[key], pesan, kolom[key] + 1))

        v_nik = baris[kolom["nik"]] if kolom["nik"] < len(baris) else None
        v_st = baris[kolom["status"]] if kolom["status"] < len(baris) else None
        v_ket = baris[jk] if jk is not None and jk < len(baris) else None
        for key, v in (("nik", v_nik), ("status", v_st), ("keterangan", v_ket)):
            if isinstance(v, str) and v.startswith("=") and key in kolom:
                salah(key, "Sel berisi rumus (formula). Ganti dengan nilainya.")
        nik = None
        if isinstance(v_nik, int | float) and not isinstance(v_nik, bool):
            salah(
                "nik",
                "NIK diketik sebagai angka: Excel hanya menyimpan 15 digit, digit ke-16 "
                "sudah hilang. Format kolom NIK sebagai Teks lalu ketik ulang.",
            )
        else:
            s = _teks(v_nik).lstrip("'").replace(" ", "")
            if not s:
                salah("nik", "NIK wajib diisi.")
            elif not (len(s) == 16 and s.isascii() and s.isdigit()):
                salah(
                    "nik", f"NIK harus 16 digit angka (terisi {sum(c.isdigit() for c in s)} digit)."
                )
            elif s in pertama:
                salah(
                    "nik",
                    f"NIK {s} sama dengan baris {pertama[s]}; satu NIK hanya boleh muncul sekali.",
                )
            else:
                nik = s
                pertama[s] = i
        status = NILAI.get(normalisasi_nama(v_st) if isinstance(v_st, str) else "")
        if status is None:
            salah("status", f"Status “{_teks(v_st)}” tidak dikenal: isi DITERIMA atau DITOLAK.")
        ket = "" if (isinstance(v_ket, str) and v_ket.startswith("=")) else _teks(v_ket)
        if status == "ditolak" and not ket:
            if jk is None:
                err.append(
                    RowError(
                        i,
                        "Keterangan",
                        "Alasan penolakan wajib diisi (kolom Keterangan tidak ada).",
                    )
                )
            else:
                salah("keterangan", "Alasan penolakan wajib diisi.")
        if err:
            errors.extend(err)
        elif nik and status:
            rows.append(BarisJawaban(i, nik, status, ket[:1000]))
    errors.sort(key=lambda e: (e.row, e.col or 0))
    return HasilJawaban(rows, errors, header, ws.title, total, judul)
