"""BPUM's spreadsheets on top of the project's safe reader (``sop.lembar``).

* ``baca_rekap``: a district's list of applicants. ``KOLOM_REKAP`` is the column spec; BPUM's own
  row checks run on top of the generic ones: NIK through lokal-id (``bpum.validasi.cek_nik``),
  one NIK per file, the village matched by name or code among the district's villages (merged
  cells in the village column fill down), mobile numbers normalised to E.164.
* ``template_rekap`` / ``tulis_rekap`` / ``tulis_anotasi``: the template, the export (one sheet
  per district after a summary sheet) and the annotated copy of an upload.

Reading, guards and formula/format rules are those of ``sop.lembar`` (see its docstring and the
ADR "one safe reader and one upload check"); the figures are in ``bench/spreadsheet_core.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from lokal.phone import parse_phone

from sop.lembar import (
    JUDUL_KETERANGAN,
    Baris,
    BerkasTidakValid,
    HasilBaca,
    Jenis,
    Kolom,
    RowError,
    baca_tabel,
    huruf_kolom,
    netralkan_teks,
    normalisasi_nama,
    template_tabel,
    tulis_anotasi,
    tulis_tabel,
)
from sop.lembar.kolom import angka_teks

from .validasi import cek_nik

__all__ = [
    "JUDUL_KETERANGAN",
    "KOLOM_REKAP",
    "KOLOM_RINGKASAN",
    "BarisRekap",
    "BerkasTidakValid",
    "HasilBaca",
    "RowError",
    "baca_rekap",
    "huruf_kolom",
    "netralkan_teks",
    "normalisasi_nama",
    "template_rekap",
    "tulis_anotasi",
    "tulis_rekap",
]


def _cek_no_hp(s: str) -> tuple[str, str | None]:
    s = angka_teks(s).lstrip("'")
    if not s:
        return "", None
    info = parse_phone(s)
    if not info.valid or not info.e164:
        alasan = info.errors[0].message if info.errors else "format tidak dikenal."
        return "", f'No HP "{s}" tidak valid: {alasan[:1].lower()}{alasan[1:]}'
    if info.type != "mobile":
        return "", f'No HP "{s}" bukan nomor seluler (harus diawali 08, 628, atau +628).'
    return info.e164, None


KOLOM_REKAP: tuple[Kolom, ...] = (
    Kolom(
        "nik",
        "NIK",
        (
            "No NIK",
            "Nomor NIK",
            "NIK KTP",
            "No KTP",
            "Nomor KTP",
            "No Induk Kependudukan",
            "Nomor Induk Kependudukan",
            "NIK Pemohon",
            "NIK Penerima",
        ),
        jenis=Jenis.NIK,
        teks=True,
        cek=cek_nik,
        lebar=20,
        catatan="NIK 16 digit, ketik sebagai TEKS (kolom ini sudah berformat Teks). Jangan ubah "
        "format menjadi Number/General: Excel akan memotong digit ke-16.",
    ),
    Kolom(
        "no_kk",
        "No KK",
        ("Nomor KK", "KK", "NKK", "No Kartu Keluarga", "Nomor Kartu Keluarga"),
        jenis=Jenis.NIK,
        teks=True,
        lebar=20,
        catatan="No KK 16 digit, ketik sebagai TEKS seperti NIK.",
    ),
    Kolom(
        "nama",
        "Nama Lengkap",
        (
            "Nama",
            "Nama Pemohon",
            "Nama Penerima",
            "Nama Sesuai KTP",
            "Nama Lengkap Sesuai KTP",
            "Nama Pelaku Usaha",
        ),
        max_len=200,
        sebutan="Nama",
        lebar=30,
    ),
    Kolom(
        "alamat",
        "Alamat Sesuai KTP",
        ("Alamat KTP", "Alamat", "Alamat Lengkap", "Alamat Lengkap Sesuai KTP"),
        max_len=300,
        sebutan="Alamat",
        lebar=40,
    ),
    Kolom(
        "desa",
        "Desa/Kelurahan",
        (
            "Desa",
            "Kelurahan",
            "Kelurahan/Desa",
            "Kel/Desa",
            "Desa/Kel",
            "Nama Desa",
            "Nama Desa/Kelurahan",
            "Nama Kelurahan",
        ),
        gabungan=True,
        max_len=200,
        lebar=22,
        catatan="Tulis nama desa/kelurahan di kecamatan Anda (huruf besar/kecil dan spasi bebas).",
    ),
    Kolom(
        "bidang_usaha",
        "Bidang Usaha",
        ("Jenis Usaha", "Sektor Usaha", "Usaha", "Bidang/Jenis Usaha", "Jenis/Bidang Usaha"),
        required=False,
        max_len=120,
        lebar=24,
    ),
    Kolom(
        "no_hp",
        "No HP",
        (
            "Nomor HP",
            "HP",
            "No Handphone",
            "Nomor Handphone",
            "No HP/WA",
            "No WA",
            "Nomor WA",
            "No Telp",
            "No Telepon",
            "Nomor Telepon",
            "No Telp/HP",
            "Telepon",
        ),
        required=False,
        teks=True,
        rapikan=False,
        max_len=40,
        cek=_cek_no_hp,
        lebar=18,
    ),
)

#: Headers of the export's "Ringkasan" sheet (its rows follow this order).
KOLOM_RINGKASAN: tuple[str, ...] = ("Kecamatan", "Desa/Kelurahan", "Jumlah Penerima")


@dataclass(slots=True)
class BarisRekap:
    """A rekap row without errors. Empty optional columns hold ``""``."""

    row: int
    nik: str
    no_kk: str
    nama: str
    alamat: str
    desa_kode: str
    desa_nama: str
    bidang_usaha: str
    no_hp: str


# ---------------------------------------------------------------------------- villages
_AWALAN_DESA = ("kelurahan", "desa", "kel", "ds")


def _tanpa_awalan(n: str) -> str:
    for awalan in _AWALAN_DESA:
        if n.startswith(awalan) and len(n) > len(awalan):
            return n[len(awalan) :]
    return n


class _IndeksDesa:
    def __init__(self, desa: dict[str, str]) -> None:
        self.desa = {str(k).strip(): str(v).strip() for k, v in desa.items()}
        self.indeks: dict[str, set[str]] = {}
        for kode, nama in self.desa.items():
            n = normalisasi_nama(nama)
            for kunci in {n, _tanpa_awalan(n), normalisasi_nama(kode)}:
                if kunci:
                    self.indeks.setdefault(kunci, set()).add(kode)
        nama_urut = sorted(self.desa.values(), key=str.casefold)
        daftar = ", ".join(nama_urut[:25])
        if len(nama_urut) > 25:
            daftar += f", ... ({len(nama_urut)} desa/kelurahan)"
        self.daftar = daftar
        self._cache: dict[str, tuple[str | None, str | None]] = {}

    def cari(self, s: str) -> tuple[str | None, str | None]:
        hasil = self._cache.get(s)
        if hasil is None:
            hasil = self._cache[s] = self._cari(s)
        return hasil

    def _cari(self, s: str) -> tuple[str | None, str | None]:
        if s in self.desa:
            return s, None
        n = normalisasi_nama(s)
        kode = self.indeks.get(n) or self.indeks.get(_tanpa_awalan(n))
        if not kode:
            pilihan = f" Pilihan: {self.daftar}." if self.daftar else ""
            return None, f'Desa/kelurahan "{s}" tidak ada di kecamatan ini.{pilihan}'
        if len(kode) > 1:
            kodes = ", ".join(sorted(kode))
            return None, f'Nama desa/kelurahan "{s}" ganda ({kodes}); tulis kode wilayahnya.'
        return next(iter(kode)), None


# ---------------------------------------------------------------------------- reading
def baca_rekap(
    data: bytes | str | os.PathLike | IO[bytes],
    *,
    desa: dict[str, str],
    max_rows: int = 200_000,
    sheet: str | None = None,
) -> HasilBaca:
    """Read and check a district's rekap (xlsx only).

    ``desa``: code -> name of the district's villages; the village column matches a name
    (``normalisasi_nama``, "Desa"/"Kelurahan" prefixes ignored) or a code. ``max_rows``: data
    rows accepted. ``sheet``: None = the first visible sheet with the header row. ``rows`` of
    the result are ``BarisRekap``. Raises ``BerkasTidakValid`` for a file that cannot be read.
    """
    indeks_desa = _IndeksDesa(desa)
    cari_desa = indeks_desa.cari
    nama_desa = indeks_desa.desa
    nik_pertama: dict[str, int] = {}

    def periksa(b: Baris, salah) -> BarisRekap | None:
        n = b.nilai
        nik = n["nik"]
        if nik is not None:
            pertama = nik_pertama.setdefault(nik, b.row)
            if pertama != b.row:
                salah(
                    "nik",
                    f"NIK {nik} sama dengan baris {pertama}; satu NIK hanya boleh muncul sekali.",
                )
        s = n["desa"]
        if s is None:
            return None
        kode, pesan = cari_desa(s)
        if pesan:
            salah("desa", pesan)
            return None
        return BarisRekap(
            b.row,
            nik,
            n["no_kk"],
            n["nama"],
            n["alamat"],
            kode,
            nama_desa[kode],
            n["bidang_usaha"] or "",
            n["no_hp"] or "",
        )

    return baca_tabel(
        data, KOLOM_REKAP, max_rows=max_rows, sheet=sheet, periksa=periksa, format=("xlsx",)
    )


# ---------------------------------------------------------------------------- writing
def template_rekap() -> bytes:
    """The rekap template (xlsx) districts download.

    Row 1 title, row 2 a note (NIK/No KK must be text), row 3 the headers. NIK, No KK and No HP
    are formatted as Text ('@') for the whole column; the NIK and No KK headers carry a comment.
    """
    return template_tabel(
        KOLOM_REKAP,
        judul="REKAP CALON PENERIMA BPUM",
        catatan="Petunjuk: kolom NIK, No KK dan No HP sudah berformat Teks. Biarkan tetap Teks: "
        "bila NIK diketik sebagai angka, Excel memotong digit ke-16 dan baris akan ditolak. "
        "Jangan memakai rumus; satu baris untuk satu penerima.",
        nama_lembar="Rekap BPUM",
        petunjuk=(
            "Petunjuk pengisian rekap BPUM",
            "1. Isi data mulai baris di bawah judul kolom di lembar 'Rekap BPUM'. "
            "Baris kosong dilewati.",
            "2. NIK: 16 digit, berformat Teks. Digit 1-2 kode provinsi, digit 7-12 tanggal lahir "
            "(DDMMYY, perempuan +40), 4 digit terakhir bukan 0000.",
            "3. No KK: 16 digit, berformat Teks.",
            "4. Nama Lengkap (maks. 200 huruf) dan Alamat Sesuai KTP (maks. 300 huruf) wajib "
            "diisi.",
            "5. Desa/Kelurahan harus desa/kelurahan di kecamatan pengunggah.",
            "6. No HP nomor seluler, mis. 0812-3456-7890 (akan disimpan sebagai +6281234567890).",
            "7. Jangan memakai rumus (formula); tempel sebagai nilai (Paste Special > Values).",
            "8. Satu NIK hanya boleh muncul sekali dalam satu berkas.",
        ),
    )


def tulis_rekap(
    path_or_buffer: str | os.PathLike | IO[bytes],
    kelompok: Iterable[tuple[str, Iterable[Sequence[Any]]]],
    ringkasan: Sequence[Sequence[Any]],
    kolom: Sequence[str],
    *,
    kolom_ringkasan: Sequence[str] = KOLOM_RINGKASAN,
) -> list[str]:
    """Streaming export: a "Ringkasan" sheet, then one sheet per district.

    ``kelompok``: (district name, rows) pairs; rows may be iterators in ``kolom`` order.
    ``ringkasan``: the summary rows in ``kolom_ringkasan`` order. Columns headed NIK, No KK or
    No HP (``KOLOM_REKAP``) are always text. Returns the sheet names written, in order.
    """
    lembar = [("Ringkasan", kolom_ringkasan, ringkasan)]
    lembar_kec = ((nama, kolom, rows) for nama, rows in kelompok)
    return tulis_tabel(path_or_buffer, _berantai(lembar, lembar_kec), kolom=KOLOM_REKAP)


def _berantai(*bagian):
    for b in bagian:
        yield from b
