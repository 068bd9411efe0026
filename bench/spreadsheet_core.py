"""Benchmark inti spreadsheet BPUM: baca_rekap vs openpyxl read_only, dan ekspor tulis_rekap.

Jalankan: ``.venv/bin/python bench/spreadsheet_core.py [jumlah_baris]`` (bawaan 100.000).
Tidak dijalankan oleh test suite. ``baca_rekap`` membaca lewat pembaca aman ``sop.lembar``
(pengaman ukuran sebelum calamine); berkas kedua memakai shared strings (seperti berkas Excel
sungguhan) sehingga pemindaian tabel teks bersama ikut terukur.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import openpyxl
import python_calamine
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bpum.spreadsheet import KOLOM_REKAP, baca_rekap, tulis_rekap  # noqa: E402

DESA = {
    "14.04.04.1001": "Sungai Apit",
    "14.04.04.1004": "Sungaiperak",
    "14.04.04.2001": "Teluk Lanus",
}
NAMA_DESA = ["SUNGAI PERAK", "Sungai Apit", "teluk  lanus"]


def nik(i: int) -> str:
    # 140404 + DDMMYY (hari 01..28, bulan 01..12, tahun 80..99) + serial 0001..9999
    hari = 1 + i % 28
    bulan = 1 + (i // 28) % 12
    tahun = 80 + (i // 336) % 20
    serial = 1 + (i // 6720) % 9999
    return f"140404{hari:02d}{bulan:02d}{tahun:02d}{serial:04d}"


def buat_berkas(n: int, *, teks_bersama: bool = False) -> bytes:
    """``teks_bersama=False``: inline strings (constant_memory); True: shared strings."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {} if teks_bersama else {"constant_memory": True})
    ws = wb.add_worksheet("Rekap")
    ws.write_string(0, 0, "REKAP BPUM KECAMATAN SUNGAI APIT")
    ws.write_string(1, 0, "Tahun 2026")
    for j, k in enumerate(KOLOM_REKAP):
        ws.write_string(3, j, k.label)
    for i in range(n):
        r = 4 + i
        ws.write_string(r, 0, nik(i))
        ws.write_string(r, 1, f"1404041203{i:06d}")
        ws.write_string(r, 2, f"Penerima Nomor {i}")
        ws.write_string(r, 3, f"Jl. Lintas Timur No. {i % 500}, RT 0{i % 9 + 1}")
        ws.write_string(r, 4, NAMA_DESA[i % 3])
        ws.write_string(r, 5, "Perdagangan")
        ws.write_string(r, 6, f"0812{i:08d}")
    wb.close()
    return out.getvalue()


def waktu(label: str, fn):
    """CPU seconds of this process (stable on a busy shared machine, unlike wall time)."""
    t0 = time.process_time()
    hasil = fn()
    dt = time.process_time() - t0
    print(f"{label:<45} {dt:8.2f} s")
    return dt, hasil


def openpyxl_read_only(data: bytes) -> int:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    n = 0
    for row in wb.active.iter_rows(values_only=True):
        n += 1 if any(v is not None for v in row) else 0
    wb.close()
    return n


def openpyxl_read_only_formula(data: bytes) -> int:
    """openpyxl read_only tanpa data_only: cek data_type == 'f' per sel (cara lambat)."""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    n = 0
    for row in wb.active.iter_rows():
        for c in row:
            if getattr(c, "data_type", None) == "f":
                n += 1
    wb.close()
    return n


def calamine_saja(data: bytes) -> int:
    cw = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(cw.get_sheet_by_index(0).to_python(skip_empty_area=False))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    _, data = waktu(f"buat berkas {n} baris (xlsxwriter)", lambda: buat_berkas(n))
    print(f"ukuran berkas: {len(data) / 1e6:.1f} MB")
    t_cal, _ = waktu("python-calamine to_python saja", lambda: calamine_saja(data))
    t_baca, hasil = waktu("baca_rekap (validasi penuh)", lambda: baca_rekap(data, desa=DESA))
    print(f"  baris valid={len(hasil.rows)} kesalahan={len(hasil.errors)}")
    data_sst = buat_berkas(n, teks_bersama=True)
    t_sst, hasil = waktu(
        "baca_rekap, berkas shared strings", lambda: baca_rekap(data_sst, desa=DESA)
    )
    print(f"  baris valid={len(hasil.rows)} kesalahan={len(hasil.errors)}")
    t_ro, _ = waktu("openpyxl read_only iter (nilai saja)", lambda: openpyxl_read_only(data))
    t_rof, _ = waktu(
        "openpyxl read_only cek data_type=='f'", lambda: openpyxl_read_only_formula(data)
    )
    print(f"rasio openpyxl read_only / baca_rekap        : {t_ro / t_baca:5.2f}x")
    print(f"rasio openpyxl cek rumus / baca_rekap        : {t_rof / t_baca:5.2f}x")
    print(f"overhead baca_rekap / calamine saja          : {t_baca / t_cal:5.2f}x")
    print(f"baca_rekap shared strings / inline strings   : {t_sst / t_baca:5.2f}x")

    kolom = [k.label for k in KOLOM_REKAP]

    def ekspor(jumlah: int, tujuan) -> None:
        baris = (
            (nik(i), f"1404041203{i:06d}", f"Penerima {i}", "Jl. X", "Sungaiperak", "=1+1", "+62")
            for i in range(jumlah)
        )
        tulis_rekap(tujuan, [("Sungai Apit", baris)], [("Sungai Apit", "Sungaiperak", n)], kolom)

    with tempfile.TemporaryDirectory() as tmp:
        waktu(f"tulis_rekap {n} baris (constant_memory)", lambda: ekspor(n, Path(tmp) / "a.xlsx"))
        # tracemalloc memperlambat beberapa kali lipat: ukur puncak memori pada dua ukuran kecil.
        for jumlah in (n // 20, n // 4):
            tracemalloc.start()
            ekspor(jumlah, Path(tmp) / f"m{jumlah}.xlsx")
            _, puncak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"puncak memori Python tulis_rekap {jumlah:>7} baris: {puncak / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
