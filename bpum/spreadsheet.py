"""Inti spreadsheet BPUM: membaca rekap calon penerima, anotasi kesalahan, template, dan ekspor.

Modul ini murni (tanpa model Django) supaya bisa diuji dan di-benchmark sendiri.

Membaca (``baca_rekap``)
------------------------
* Nilai sel dibaca dengan **python-calamine** (Rust, cepat): sel angka datang sebagai ``float``,
  sel teks sebagai ``str``. Karena itu NIK / No KK yang diketik sebagai angka bisa dikenali dan
  ditolak: Excel hanya menyimpan 15 digit bermakna, jadi digit ke-16 sudah hilang.
* Baris judul kolom dicari menurut namanya (``normalisasi_nama``: casefold, buang semua yang bukan
  huruf/angka, isi dalam kurung diabaikan) di 30 baris pertama, jadi baris judul laporan boleh ada
  di atasnya. Nomor baris di pesan kesalahan = nomor baris Excel (1-based, termasuk baris judul).
* **Deteksi rumus.** python-calamine 0.9.1 tidak punya API rumus (``CalamineSheet`` hanya punya
  ``to_python`` / ``iter_rows``, yang memberi nilai *cache* sel rumus, atau ``""`` bila cache kosong
  atau berisi galat), dan openpyxl ``read_only`` (``cell.data_type == 'f'``) ~3x lebih lambat dari
  seluruh ``baca_rekap`` untuk 100 ribu baris (lihat ``bench/spreadsheet_core.py``). Maka XML lembar
  kerja di dalam zip dipindai **sekali secara streaming** (potongan 1 MiB, dipotong di awal tag
  ``<row`` terakhir; karena ``<`` tidak boleh mentah di teks XML, potongan tak pernah membelah sel
  dan isi sel tidak bisa menipu pencarian tag):

  - jalur cepat (berkas Excel/LibreOffice/openpyxl/xlsxwriter biasa: tanpa awalan namespace,
    atribut ``r`` di depan, kolom A-Z): hanya ``bytes.count``/``find`` dan satu regex atas tag
    ``<row``; rumus dicari dengan ``find(b"<f")`` lalu sel pembungkusnya dengan ``rfind(b"<c ")``.
    Sekitar 0,3 detik untuk 100 ribu baris;
  - jalur tepat (potongan yang tidak memenuhi syarat di atas, mis. ``<x:c>``): regex per sel;
  - jalur lambat tapi benar bila ada sel tanpa atribut ``r`` (dibolehkan spesifikasi, jarang):
    ``xml.etree.ElementTree.iterparse`` dengan penghitungan posisi.

  Rumus array (``<f t="array" ref="F2:F9">``, juga tumpahan dynamic array) ditandai di seluruh
  rentangnya. Sel rumus ditolak hanya pada kolom template yang dibaca; rumus di kolom lain (mis.
  kolom "No" berisi ``=ROW()-1``) dibiarkan.
* **Pengaman memori.** calamine menyimpan lembar sebagai larik padat (tinggi x lebar x 32 byte) dan
  *abort* (bukan exception) bila alokasi gagal: berkas 5 KB berisi ``A1`` dan ``XFD20000`` sudah
  mematikan proses. Pemindaian di atas mengukur lembar lebih dulu (jalur cepat memberi batas atas;
  sebelum menolak, lembar dipindai ulang dengan jalur tepat yang hanya menghitung sel berisi nilai)
  dan menolak lembar yang berisi sampai lewat baris ``max_rows + 1000`` atau lebih dari
  ``(max_rows + 1000) * 30`` sel, serta berkas yang isinya (tak terkompresi) melebihi
  ``32 MiB + max_rows * 4 KiB``.
* Baris kosong (semua kolom template kosong) dilewati; sel rumus yang nilainya kosong (mis. rumus
  yang ditarik ke baris yang belum diisi) dianggap kosong juga. Teks di-*trim*; nama, alamat dan
  bidang usaha juga dirapikan spasinya. Sel gabungan vertikal di kolom Desa/Kelurahan diisi ke
  bawah.
* Baris yang punya kesalahan tidak masuk ``HasilBaca.rows``; semua kesalahan ada di ``errors``.

Menulis
-------
* ``tulis_anotasi``: salinan berkas unggahan (openpyxl) + kolom "Keterangan Kesalahan".
* ``template_rekap``: template unduhan (xlsxwriter), kolom NIK / No KK / No HP berformat Teks.
* ``tulis_rekap``: ekspor streaming xlsxwriter ``constant_memory`` (memori tidak tumbuh dengan
  jumlah baris: tiap baris ditulis ke berkas sementara lalu dibuang, string ditulis inline).
  **Netralisasi rumus (CSV/formula injection):** teks selalu ditulis dengan ``write_string``
  (jadi di xlsx tetap teks, tidak pernah rumus; angka/tanggal tetap bertipe angka/tanggal), dan
  mengikuti rekomendasi OWASP, teks yang diawali
  ``= + - @``, tab, CR atau LF (juga versi fullwidth-nya) diberi awalan satu tanda petik ``'`` di
  dalam nilainya, agar tetap aman bila berkas disimpan ulang sebagai CSV atau disalin. Pengecualian:
  teks yang seluruhnya angka polos (mis. ``+6281234567890``, ``-5``) tidak diubah karena tidak bisa
  menjadi rumus yang berbahaya.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import io
import os
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree import ElementTree as ET

import python_calamine
import xlsxwriter
from lokal.phone import parse_phone

from sop.teks import karakter_terlarang, pesan_karakter, teks_angka
from sop.teks import rapikan as _rapikan_teks

from .validasi import cek_nik

__all__ = [
    "KOLOM_REKAP",
    "KOLOM_RINGKASAN",
    "BarisRekap",
    "BerkasTidakValid",
    "HasilBaca",
    "Kolom",
    "RowError",
    "baca_rekap",
    "huruf_kolom",
    "netralkan_teks",
    "normalisasi_nama",
    "template_rekap",
    "tulis_anotasi",
    "tulis_rekap",
]


# --------------------------------------------------------------------------------------------
# Spesifikasi kolom
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kolom:
    """Satu kolom template rekap.

    ``required``: kolom harus ada di baris judul dan selnya wajib diisi.
    ``teks``: kolom berformat Teks ('@') di template dan ekspor (nomor yang tidak boleh jadi angka).
    """

    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool
    teks: bool = False


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
        required=True,
        teks=True,
    ),
    Kolom(
        "no_kk",
        "No KK",
        (
            "Nomor KK",
            "KK",
            "NKK",
            "No Kartu Keluarga",
            "Nomor Kartu Keluarga",
        ),
        required=True,
        teks=True,
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
        required=True,
    ),
    Kolom(
        "alamat",
        "Alamat Sesuai KTP",
        ("Alamat KTP", "Alamat", "Alamat Lengkap", "Alamat Lengkap Sesuai KTP"),
        required=True,
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
        required=True,
    ),
    Kolom(
        "bidang_usaha",
        "Bidang Usaha",
        ("Jenis Usaha", "Sektor Usaha", "Usaha", "Bidang/Jenis Usaha", "Jenis/Bidang Usaha"),
        required=False,
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
    ),
)

#: Judul kolom lembar "Ringkasan" pada ekspor (baris ``ringkasan`` mengikuti urutan ini).
KOLOM_RINGKASAN: tuple[str, ...] = ("Kecamatan", "Desa/Kelurahan", "Jumlah Penerima")

#: Baris judul kolom dicari di sekian baris pertama lembar.
MAKS_BARIS_JUDUL = 30
#: Judul kolom keterangan pada berkas anotasi.
JUDUL_KETERANGAN = "Keterangan Kesalahan"
_WARNA_SALAH = "FFC7CE"  # merah muda: sel yang salah di berkas anotasi

_MAKS_BARIS_EXCEL = 1_048_576
_LEBAR_SEL_PER_BARIS = 30  # anggaran sel (tinggi x lebar) per baris yang diizinkan
_SLACK_BARIS = 1_000
_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)


# --------------------------------------------------------------------------------------------
# Tipe hasil
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class RowError:
    """Kesalahan pada satu sel/baris.

    ``row``: nomor baris Excel (1-based, termasuk baris judul). ``column``: teks judul kolom seperti
    di berkas (atau huruf kolom). ``col``: nomor kolom Excel 1-based bila diketahui (dipakai
    ``tulis_anotasi`` untuk mewarnai sel).
    """

    row: int
    column: str
    message: str
    col: int | None = None


@dataclass(slots=True)
class BarisRekap:
    """Satu baris rekap yang lolos validasi. Kolom opsional yang kosong berisi ``""``."""

    row: int
    nik: str
    no_kk: str
    nama: str
    alamat: str
    desa_kode: str
    desa_nama: str
    bidang_usaha: str
    no_hp: str


@dataclass(slots=True)
class HasilBaca:
    """Hasil ``baca_rekap``.

    ``rows`` hanya baris tanpa kesalahan; ``total_rows`` = jumlah baris data tidak kosong (valid
    maupun tidak); ``header_row`` = nomor baris Excel baris judul kolom; ``kolom`` = key kolom ->
    teks judul kolom di berkas.
    """

    rows: list[BarisRekap]
    errors: list[RowError]
    header_row: int
    sheet: str
    total_rows: int
    kolom: dict[str, str] = field(default_factory=dict)


class BerkasTidakValid(Exception):
    """Berkas tidak bisa diproses sama sekali; ``str(exc)`` berisi pesan untuk pengguna."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------------------------
# Utilitas
# --------------------------------------------------------------------------------------------

_KURUNG = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def normalisasi_nama(s: object) -> str:
    """Casefold lalu buang semua yang bukan huruf/angka: ``"Desa / Kel."`` -> ``"desakel"``.

    Dipakai untuk membandingkan judul kolom dan nama desa ("SUNGAI PERAK" == "Sungaiperak").
    """
    if s is None:
        return ""
    teks = unicodedata.normalize("NFKC", str(s)).casefold()
    return "".join(ch for ch in teks if ch.isalnum())


def huruf_kolom(n: int) -> str:
    """Nomor kolom 1-based -> huruf Excel (1 -> A, 27 -> AA)."""
    huruf = ""
    while n > 0:
        n, sisa = divmod(n - 1, 26)
        huruf = chr(65 + sisa) + huruf
    return huruf


def _nomor_kolom(huruf: str) -> int:
    n = 0
    for ch in huruf.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def _rapikan(s: str) -> str:
    """``sop.teks.rapikan``: NFC, karakter tak terlihat dibuang, spasi berurutan (termasuk baris
    baru dan NBSP) disatukan, di-trim."""
    return _rapikan_teks(s)


def _teks_sel(v: Any) -> str:
    """Nilai sel calamine -> teks yang sudah di-trim (tanpa kehilangan digit angka bulat)."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    return str(v).strip()


def _angka_tampil(v: float | int) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e18:
        return str(int(v))
    return str(v)


def _is_angka(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


_ALIAS: dict[str, tuple[str, int]] = {}
for _k in KOLOM_REKAP:
    for _prio, _nama in enumerate((_k.label, *_k.aliases)):
        _ALIAS.setdefault(normalisasi_nama(_nama), (_k.key, _prio))
_KOLOM_BY_KEY = {k.key: k for k in KOLOM_REKAP}


def _cocokkan_judul(teks: str) -> tuple[str, int] | None:
    n = normalisasi_nama(teks)
    if not n:
        return None
    hit = _ALIAS.get(n)
    if hit is None:
        tanpa_kurung = normalisasi_nama(_KURUNG.sub("", teks))
        if tanpa_kurung:
            hit = _ALIAS.get(tanpa_kurung)
    return hit


# --------------------------------------------------------------------------------------------
# Membuka berkas
# --------------------------------------------------------------------------------------------

_PESAN_BUKAN_XLSX = (
    "Berkas bukan file Excel .xlsx yang valid. Simpan berkas dari Excel sebagai "
    '"Excel Workbook (*.xlsx)" lalu unggah lagi.'
)


def _ambil_bytes(data: bytes | bytearray | memoryview | str | os.PathLike | IO[bytes]) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if isinstance(data, str | os.PathLike):
        try:
            with open(data, "rb") as fh:
                return fh.read()
        except OSError as exc:
            raise BerkasTidakValid(f"Berkas tidak dapat dibuka: {exc.strerror or exc}.") from exc
    if hasattr(data, "read"):
        if hasattr(data, "seek"):
            with contextlib.suppress(OSError, ValueError):
                data.seek(0)
        isi = data.read()
        if isinstance(isi, str):
            raise BerkasTidakValid(_PESAN_BUKAN_XLSX)
        return bytes(isi)
    raise TypeError(f"Jenis data tidak didukung: {type(data).__name__}")


def _buka_zip(raw: bytes) -> zipfile.ZipFile:
    if not raw:
        raise BerkasTidakValid("Berkas kosong (0 byte).")
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise BerkasTidakValid(
            "Berkas berformat Excel lama (.xls) atau dilindungi kata sandi. Buka di Excel, hapus "
            'kata sandinya bila ada, lalu simpan sebagai "Excel Workbook (*.xlsx)".'
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except Exception as exc:  # BadZipFile, NotImplementedError, ... : apa pun = bukan xlsx
        raise BerkasTidakValid(_PESAN_BUKAN_XLSX) from exc
    nama = set(zf.namelist())
    if "xl/workbook.xml" not in nama:
        zf.close()
        if "xl/workbook.bin" in nama:
            raise BerkasTidakValid(
                'Berkas berformat Excel Binary (.xlsb). Simpan sebagai "Excel Workbook (*.xlsx)".'
            )
        raise BerkasTidakValid(_PESAN_BUKAN_XLSX)
    return zf


@dataclass(slots=True)
class _Lembar:
    nama: str
    path: str | None  # path XML di zip; None bila bukan worksheet (chartsheet, dll.)
    terlihat: bool


def _nama_lokal(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_xml_kecil(zf: zipfile.ZipFile, path: str) -> ET.Element:
    # workbook.xml dan .rels berukuran kecil. xml.etree tidak mengambil entitas eksternal dan expat
    # >= 2.4.1 membatasi ledakan entitas (billion laughs).
    if zf.getinfo(path).file_size > 16 * 1024 * 1024:
        raise BerkasTidakValid(_PESAN_BUKAN_XLSX)
    return ET.fromstring(zf.read(path))  # noqa: S314


def _daftar_lembar(zf: zipfile.ZipFile) -> list[_Lembar]:
    try:
        wb = _parse_xml_kecil(zf, "xl/workbook.xml")
        target: dict[str, str] = {}
        if "xl/_rels/workbook.xml.rels" in zf.namelist():
            rels = _parse_xml_kecil(zf, "xl/_rels/workbook.xml.rels")
            for rel in rels:
                if _nama_lokal(rel.tag) != "Relationship":
                    continue
                tipe = rel.get("Type", "")
                if not tipe.endswith("/worksheet"):
                    continue
                t = rel.get("Target", "")
                path = t.lstrip("/") if t.startswith("/") else posixpath.normpath("xl/" + t)
                target[rel.get("Id", "")] = path
    except BerkasTidakValid:
        raise
    except Exception as exc:  # XML rusak, zlib.error, entri terenkripsi, ...
        raise BerkasTidakValid(_PESAN_BUKAN_XLSX) from exc
    hasil: list[_Lembar] = []
    for el in wb.iter():
        if _nama_lokal(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _nama_lokal(k) == "id"), "")
        path = target.get(rid)
        if path is not None and path not in zf.namelist():
            path = None
        hasil.append(_Lembar(el.get("name", ""), path, el.get("state", "visible") == "visible"))
    return hasil


# --------------------------------------------------------------------------------------------
# Pemindaian XML lembar: batas sel berisi + sel rumus (lihat docstring modul)
# --------------------------------------------------------------------------------------------

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # awalan namespace opsional (mis. "x:")
_REF = rb'"([A-Za-z]+)([0-9]+)"'
_RE_SEL_BERISI = re.compile(rb"<" + _P + rb"c\s[^>]*?\br=" + _REF + rb"[^>]*(?<!/)>")
_RE_SEL_ISI = re.compile(rb"<" + _P + rb"c(\s[^>]*?)?(?<!/)>(.*?)</" + _P + rb"c>", re.DOTALL)
_RE_SEL_R_SAH = re.compile(rb"<" + _P + rb'c\s[^>]*?\br="[A-Za-z]+[0-9]+"')
_RE_SEL_SEMUA = re.compile(rb"<" + _P + rb"c[\s/>]")
_RE_R_GANDA = re.compile(rb"<" + _P + rb"c(?=\s)[^>]*?[\s:]r\s*=[^>]*?[\s:\"']r\s*=")
_RE_F = re.compile(rb"<" + _P + rb"f[\s/>]")
_RE_F_TAG = re.compile(rb"<" + _P + rb"f(\s[^>]*)?>")
_RE_ATTR_R = re.compile(rb"\br=" + _REF)
_RE_ATTR_T = re.compile(rb'\bt=["\'](\w+)["\']')
_RE_ATTR_REF = re.compile(
    rb'\bref=["\']\$?([A-Za-z]+)\$?([0-9]+)(?::\$?([A-Za-z]+)\$?([0-9]+))?["\']'
)
# Jalur cepat.
_RE_AWALAN = re.compile(rb":(?:c[\s>]|row|f[\s/>])")
_RE_ROW_R = re.compile(rb'<row r="([0-9]+)"')
# Tag sel yang tidak persis berbentuk <c r="X123" s=".." t=".." cm=".." vm=".." ph="..">: r bukan
# satu huruf besar + angka, atribut lain/ganda (XML tidak sah, tetapi calamine menerimanya dan
# memakai r yang terakhir: cara menyelundupkan baris raksasa), tanpa spasi, kutip tunggal, dst.
_RE_SEL_TIDAK_BIASA = re.compile(
    rb'<c r="(?![A-Z][0-9]+"(?:[ \t\r\n]+(?:s|t|cm|vm|ph)="[^"<>]*")*[ \t\r\n]*/?>)'
)
_SPASI_XML = frozenset(b" \t\r\n/>")


@dataclass(slots=True)
class _Pindai:
    baris_max: int = 0  # 1-based; 0 = tidak ada sel
    kolom_max: int = 0
    tepat: bool = True  # False: baris_max/kolom_max hanya perkiraan (batas atas kolom = 26)
    rumus: set[tuple[int, int]] = field(default_factory=set)  # (baris, kolom) 1-based
    rentang_rumus: list[tuple[int, int, int, int]] = field(default_factory=list)

    def catat(self, baris: int, kolom: int) -> None:
        self.baris_max = max(self.baris_max, baris)
        self.kolom_max = max(self.kolom_max, kolom)

    def catat_rumus(self, baris: int, kolom: int, atribut_f: bytes) -> None:
        self.rumus.add((baris, kolom))
        # Rumus array / tabel data: sel lain di rentang ``ref`` hanya berisi nilai tanpa <f>.
        t = _RE_ATTR_T.search(atribut_f)
        m = _RE_ATTR_REF.search(atribut_f)
        if t and t.group(1) in (b"array", b"dataTable") and m and m.group(3):
            c1, r1 = _nomor_kolom(m.group(1).decode()), int(m.group(2))
            c2, r2 = _nomor_kolom(m.group(3).decode()), int(m.group(4))
            self.rentang_rumus.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))


class _PerluJalurLambat(Exception):
    pass


def _titik_potong(buf: bytes) -> int:
    """Indeks awal tag ``<row`` terakhir (batas aman: tidak pernah di dalam sel)."""
    i = buf.rfind(b"<row")
    j = buf.rfind(b":row")
    if j > i:
        k = buf.rfind(b"<", 0, j)
        if k > i:
            i = k
    return i


def _proses_cepat(p: bytes, hasil: _Pindai, re_baris_panjang: re.Pattern[bytes]) -> bool:
    """Jalur cepat; False (tanpa mengubah ``hasil``) bila potongan ini tidak memenuhi syaratnya.

    Syarat: tanpa awalan namespace, setiap sel ``<c r="X123"`` (r di depan, satu huruf besar),
    setiap ``<row r="..."``. Batas baris = maksimum nomor di tag row dan di referensi sel yang
    digitnya sebanyak batas baris atau lebih (referensi dengan digit lebih sedikit pasti di bawah
    batas); lebar paling banyak 26 kolom.
    """
    if _RE_AWALAN.search(p):
        return False
    if b"<c>" in p or b"<c\n" in p or b"<c\t" in p or b"<c\r" in p:
        return False
    if p.count(b"<c ") != p.count(b'<c r="') or _RE_SEL_TIDAK_BIASA.search(p):
        return False
    nomor = _RE_ROW_R.findall(p)
    if len(nomor) != p.count(b"<row"):
        return False
    if b"<c " in p:
        baris = max(map(int, nomor), default=0)
        for m in re_baris_panjang.finditer(p):
            baris = max(baris, int(m.group(1)))
        hasil.catat(baris, 26)
        hasil.tepat = False
    pos = p.find(b"<f")
    while pos != -1:
        if pos + 2 < len(p) and p[pos + 2] in _SPASI_XML:
            awal = p.rfind(b"<c ", 0, pos)
            r = _RE_ATTR_R.search(p, awal, p.find(b">", awal)) if awal != -1 else None
            if r is None:
                raise _PerluJalurLambat
            akhir_f = p.find(b">", pos)
            hasil.catat_rumus(
                int(r.group(2)), _nomor_kolom(r.group(1).decode()), p[pos + 2 : akhir_f]
            )
        pos = p.find(b"<f", pos + 2)
    return True


def _proses_tepat(p: bytes, hasil: _Pindai) -> None:
    if _RE_R_GANDA.search(p):
        raise BerkasTidakValid("Berkas rusak: ada sel dengan atribut posisi (r) ganda.")
    # Sel tanpa atribut r (posisinya tersirat), atau r bertanda kutip tunggal / tidak lazim:
    # regex tidak bisa memastikan posisinya -> jalur lambat.
    if len(_RE_SEL_SEMUA.findall(p)) != len(_RE_SEL_R_SAH.findall(p)):
        raise _PerluJalurLambat
    ditemukan = _RE_SEL_BERISI.findall(p)
    if ditemukan:
        baris = max(map(int, {b for _, b in ditemukan}))
        kolom = max(_nomor_kolom(k.decode()) for k in {k for k, _ in ditemukan})
        hasil.catat(baris, kolom)
    if not _RE_F.search(p):
        return
    for m in _RE_SEL_ISI.finditer(p):
        ftag = _RE_F_TAG.search(m.group(2))
        if ftag is None:
            continue
        r = _RE_ATTR_R.search(m.group(1) or b"")
        if r is None:  # pragma: no cover - sudah ditangani pemeriksaan jumlah di atas
            raise _PerluJalurLambat
        hasil.catat_rumus(int(r.group(2)), _nomor_kolom(r.group(1).decode()), ftag.group(1) or b"")


def _pindai_regex(zf: zipfile.ZipFile, path: str, tepat: bool, batas_baris: int) -> _Pindai:
    digit = len(str(max(batas_baris, 1)))
    re_baris_panjang = re.compile(rb'<c r="[A-Z]([0-9]{%d,})"' % digit)
    hasil = _Pindai()

    def proses(p: bytes) -> None:
        if tepat or not _proses_cepat(p, hasil, re_baris_panjang):
            _proses_tepat(p, hasil)

    sisa = b""
    with zf.open(path) as fh:
        while True:
            blok = fh.read(1 << 20)
            if not blok:
                break
            buf = sisa + blok
            potong = _titik_potong(buf)
            if potong <= 0:
                sisa = buf
                continue
            proses(buf[:potong])
            sisa = buf[potong:]
    proses(sisa)
    return hasil


def _pindai_lambat(zf: zipfile.ZipFile, path: str) -> _Pindai:
    """Jalur lambat tapi lengkap: iterparse dengan penghitungan posisi (sel tanpa atribut r)."""
    hasil = _Pindai()
    baris = 0
    kolom = 0
    berisi = False
    with zf.open(path) as fh:
        for event, el in ET.iterparse(fh, events=("start", "end")):  # noqa: S314
            nama = _nama_lokal(el.tag)
            if event == "start":
                if nama == "row":
                    r = el.get("r")
                    baris = int(r) if r and r.isascii() and r.isdigit() else baris + 1
                    kolom = 0
                elif nama == "c":
                    r = el.get("r")
                    if r is None:
                        kolom += 1
                    else:
                        m = re.fullmatch(r"([A-Za-z]+)([0-9]+)", r)
                        if m is None:
                            raise BerkasTidakValid(
                                f'Berkas rusak: referensi sel "{r[:20]}" tidak valid.'
                            )
                        kolom = _nomor_kolom(m.group(1))
                        baris = int(m.group(2))
                    berisi = False
                elif nama == "f":
                    atribut = "".join(f' {_nama_lokal(k)}="{v}"' for k, v in el.attrib.items())
                    hasil.catat_rumus(baris, kolom, atribut.encode())
                elif nama in ("v", "is"):
                    berisi = True
            elif nama == "c":
                if berisi or (baris, kolom) in hasil.rumus:
                    hasil.catat(baris, kolom)
            elif nama == "row":
                el.clear()
    return hasil


def _pindai_lembar(
    zf: zipfile.ZipFile, path: str, batas_baris: int, *, tepat: bool = False
) -> _Pindai:
    """Pindai XML lembar. ``tepat=False`` boleh memberi perkiraan (batas atas) ukuran lembar."""
    try:
        try:
            return _pindai_regex(zf, path, tepat, batas_baris)
        except _PerluJalurLambat:
            return _pindai_lambat(zf, path)
    except BerkasTidakValid:
        raise
    except Exception as exc:  # XML rusak, zlib.error, entri terenkripsi, metode kompresi asing
        raise BerkasTidakValid(f"Berkas rusak, lembar kerja tidak dapat dibaca ({exc}).") from exc


# --------------------------------------------------------------------------------------------
# Membaca rekap
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Judul:
    indeks: int  # indeks baris 0-based
    kolom: dict[str, int]  # key -> indeks kolom 0-based
    teks: dict[str, str]  # key -> teks judul di berkas


def _cari_judul(grid: list[list[Any]]) -> _Judul | None:
    terbaik: _Judul | None = None
    for i, baris in enumerate(grid[:MAKS_BARIS_JUDUL]):
        kolom: dict[str, tuple[int, int]] = {}
        teks: dict[str, str] = {}
        for j, v in enumerate(baris):
            if not isinstance(v, str) or not v.strip():
                continue
            hit = _cocokkan_judul(v)
            if hit is None:
                continue
            key, prio = hit
            if key not in kolom or prio < kolom[key][1]:
                kolom[key] = (j, prio)
                teks[key] = _rapikan(v)
        if len(kolom) >= 2 and (terbaik is None or len(kolom) > len(terbaik.kolom)):
            terbaik = _Judul(i, {k: j for k, (j, _) in kolom.items()}, teks)
            if len(kolom) == len(KOLOM_REKAP):
                break
    return terbaik


def _kurang_wajib(judul: _Judul) -> list[str]:
    return [k.label for k in KOLOM_REKAP if k.required and k.key not in judul.kolom]


_PESAN_FORMAT_TEKS = (
    "Excel hanya menyimpan 15 digit angka, jadi digit ke-16 sudah terpotong dan tidak bisa "
    "dipulihkan. Format kolom {kolom} sebagai Teks (Format Cells > Text), lalu ketik ulang."
)
_RE_NOTASI_ILMIAH = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+")
_RE_PEMISAH_NOMOR = re.compile(r"[\s.\-]")


def _pesan_angka(label: str, kolom: str, v: Any) -> str:
    tampil = _angka_tampil(v) if _is_angka(v) else str(v)
    return f"{label} diketik sebagai angka ({tampil}). " + _PESAN_FORMAT_TEKS.format(kolom=kolom)


def _cek_nik(v: Any, kolom: str) -> tuple[str | None, str | None]:
    if _is_angka(v):
        return None, _pesan_angka("NIK", kolom, v)
    s = teks_angka(_teks_sel(v)).lstrip("'")
    if not s:
        return None, "NIK wajib diisi."
    if _RE_NOTASI_ILMIAH.fullmatch(s):
        return None, _pesan_angka("NIK", kolom, s)
    return cek_nik(s)


def _cek_no_kk(v: Any, kolom: str) -> tuple[str | None, str | None]:
    if _is_angka(v):
        return None, _pesan_angka("No KK", kolom, v)
    s = teks_angka(_teks_sel(v)).lstrip("'")
    if not s:
        return None, "No KK wajib diisi."
    if _RE_NOTASI_ILMIAH.fullmatch(s):
        return None, _pesan_angka("No KK", kolom, s)
    digit = _RE_PEMISAH_NOMOR.sub("", s)
    if not (len(digit) == 16 and digit.isascii() and digit.isdigit()):
        n = sum(ch.isdigit() for ch in s)
        return None, f"No KK harus 16 digit angka (terisi {n} digit)."
    if digit == "0" * 16:
        return None, "No KK tidak valid (semua digit 0)."
    return digit, None


def _cek_no_hp(v: Any) -> tuple[str, str | None]:
    s = teks_angka(_teks_sel(v)).lstrip("'")
    if not s:
        return "", None
    info = parse_phone(s)
    if not info.valid or not info.e164:
        alasan = info.errors[0].message if info.errors else "format tidak dikenal."
        return "", f'No HP "{s}" tidak valid: {alasan[:1].lower()}{alasan[1:]}'
    if info.type != "mobile":
        return "", f'No HP "{s}" bukan nomor seluler (harus diawali 08, 628, atau +628).'
    return info.e164, None


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


def _sel_rumus_per_baris(
    pindai: _Pindai, kolom_dipakai: Iterable[int], baris_awal: int
) -> dict[int, set[int]]:
    """{baris Excel: {kolom Excel}} sel rumus pada kolom template (rentang array digabung)."""
    kolom_set = set(kolom_dipakai)
    hasil: dict[int, set[int]] = {}
    for b, k in pindai.rumus:
        if k in kolom_set and b >= baris_awal:
            hasil.setdefault(b, set()).add(k)
    if pindai.rentang_rumus:
        batas = pindai.baris_max
        for k in kolom_set:
            interval = sorted(
                (max(r1, baris_awal), min(r2, batas))
                for r1, c1, r2, c2 in pindai.rentang_rumus
                if c1 <= k <= c2
            )
            terakhir = 0
            for a, z in interval:
                for b in range(max(a, terakhir + 1), z + 1):
                    hasil.setdefault(b, set()).add(k)
                terakhir = max(terakhir, z)
    return hasil


def _isi_gabungan(grid: list[list[Any]], merged: Any, kolom: int, mulai: int) -> None:
    """Sel gabungan vertikal di ``kolom`` (0-based): salin nilai sel kiri-atas ke bawah."""
    if not merged:
        return
    for (r1, c1), (r2, c2) in merged:
        if not (c1 <= kolom <= c2) or r2 <= r1 or r1 < mulai or r1 >= len(grid):
            continue
        atas = grid[r1][kolom] if kolom < len(grid[r1]) else ""
        for r in range(r1 + 1, min(r2, len(grid) - 1) + 1):
            baris = grid[r]
            if kolom < len(baris) and baris[kolom] in ("", None):
                baris[kolom] = atas


def baca_rekap(
    data: bytes | str | os.PathLike | IO[bytes],
    *,
    desa: dict[str, str],
    max_rows: int = 200_000,
    sheet: str | None = None,
) -> HasilBaca:
    """Baca dan validasi rekap calon penerima BPUM.

    ``data``: isi berkas (bytes), path, atau objek file. ``desa``: kode -> nama desa/kelurahan di
    kecamatan ini; kolom Desa/Kelurahan dicocokkan dengan nama (``normalisasi_nama``) atau kode.
    ``max_rows``: batas baris data (tidak kosong). ``sheet``: nama lembar; ``None`` = lembar
    terlihat pertama yang punya baris judul kolom.

    Raises ``BerkasTidakValid`` untuk berkas yang tidak bisa diproses sama sekali.
    """
    raw = _ambil_bytes(data)
    with _buka_zip(raw) as zf:
        batas_xml = 32 * 1024 * 1024 + max_rows * 4096
        if sum(info.file_size for info in zf.infolist()) > batas_xml:
            raise BerkasTidakValid(
                f"Berkas terlalu besar untuk diproses (batas {_ribuan(max_rows)} baris data)."
            )
        lembar = _daftar_lembar(zf)
        kerja = [lb for lb in lembar if lb.path is not None]
        if sheet is not None:
            dipilih = [lb for lb in kerja if lb.nama == sheet]
            if not dipilih:
                tersedia = ", ".join(f'"{lb.nama}"' for lb in kerja) or "-"
                raise BerkasTidakValid(
                    f'Lembar "{sheet}" tidak ada di berkas. Lembar yang tersedia: {tersedia}.'
                )
            kandidat = dipilih
        else:
            kandidat = [lb for lb in kerja if lb.terlihat] or kerja
        if not kandidat:
            raise BerkasTidakValid("Berkas Excel tidak berisi lembar kerja.")
        try:
            cw = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        except _FATAL:
            raise
        except BaseException as exc:  # termasuk PanicException pyo3 (turunan BaseException)
            raise BerkasTidakValid(_PESAN_BUKAN_XLSX) from exc
        with cw:
            terbaik: tuple[_Lembar, _Judul] | None = None
            terlalu_besar: BerkasTidakValid | None = None
            semua_kosong = True
            for lb in kandidat:
                assert lb.path is not None
                pindai = _pindai_lembar(zf, lb.path, max_rows + _SLACK_BARIS)
                if pindai.baris_max == 0:
                    continue
                try:
                    pindai = _cek_ukuran(zf, lb, pindai, max_rows)
                except BerkasTidakValid as exc:
                    # Lembar lain (bila tidak dipilih) mungkin lembar rekapnya.
                    semua_kosong = False
                    terlalu_besar = terlalu_besar or exc
                    continue
                try:
                    lembar_cal = cw.get_sheet_by_name(lb.nama)
                    grid = lembar_cal.to_python(skip_empty_area=False)
                    merged = lembar_cal.merged_cell_ranges
                except _FATAL:
                    raise
                except BaseException as exc:  # termasuk PanicException pyo3
                    raise BerkasTidakValid(
                        f'Lembar "{lb.nama}" tidak dapat dibaca: berkas rusak ({exc}).'
                    ) from exc
                if not any(v not in ("", None) for baris in grid for v in baris):
                    continue
                semua_kosong = False
                judul = _cari_judul(grid)
                if judul is None:
                    continue
                if not _kurang_wajib(judul):
                    return _validasi(grid, merged, judul, pindai, lb.nama, desa, max_rows)
                if terbaik is None or len(judul.kolom) > len(terbaik[1].kolom):
                    terbaik = (lb, judul)
    if terbaik is not None:
        lb, judul = terbaik
        kurang = ", ".join(_kurang_wajib(judul))
        raise BerkasTidakValid(
            f'Baris judul kolom di lembar "{lb.nama}" baris {judul.indeks + 1} tidak lengkap: '
            f"kolom {kurang} tidak ditemukan."
        )
    if terlalu_besar is not None:
        raise terlalu_besar
    if semua_kosong:
        if sheet is not None:
            raise BerkasTidakValid(f'Lembar "{sheet}" kosong.')
        raise BerkasTidakValid("Berkas Excel kosong: tidak ada data di lembar kerja mana pun.")
    harapan = ", ".join(k.label for k in KOLOM_REKAP)
    tempat = f'lembar "{sheet}"' if sheet is not None else "lembar kerja mana pun"
    raise BerkasTidakValid(
        f"Baris judul kolom tidak ditemukan di {MAKS_BARIS_JUDUL} baris pertama {tempat}. "
        f"Pastikan ada baris berisi judul kolom: {harapan}."
    )


def _ribuan(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _pesan_terlalu_banyak(nama: str, max_rows: int) -> str:
    return (
        f'Lembar "{nama}" berisi lebih dari {_ribuan(max_rows)} baris data; batasnya '
        f"{_ribuan(max_rows)} baris per unggahan. Pecah berkas menjadi beberapa unggahan."
    )


def _cek_ukuran(zf: zipfile.ZipFile, lb: _Lembar, pindai: _Pindai, max_rows: int) -> _Pindai:
    """Tolak lembar yang terlalu besar sebelum calamine memuatnya (calamine abort bila OOM)."""
    batas_baris = max_rows + _SLACK_BARIS
    batas_sel = batas_baris * _LEBAR_SEL_PER_BARIS

    def terlalu_besar(p: _Pindai) -> bool:
        return p.baris_max > batas_baris or p.baris_max * p.kolom_max > batas_sel

    if terlalu_besar(pindai) and not pindai.tepat:
        assert lb.path is not None
        pindai = _pindai_lembar(zf, lb.path, batas_baris, tepat=True)
    if pindai.baris_max > batas_baris:
        raise BerkasTidakValid(
            f'Lembar "{lb.nama}" berisi data sampai baris {_ribuan(pindai.baris_max)}; batasnya '
            f"{_ribuan(max_rows)} baris data per unggahan. Pecah berkas menjadi beberapa unggahan."
        )
    if pindai.baris_max * pindai.kolom_max > batas_sel:
        raise BerkasTidakValid(
            f'Lembar "{lb.nama}" terlalu besar: ada isi sampai sel '
            f"{huruf_kolom(pindai.kolom_max)}{pindai.baris_max}. Hapus isi di luar tabel rekap "
            "lalu unggah lagi."
        )
    return pindai


def _baris_kosong(nilai: Iterable[Any]) -> bool:
    for v in nilai:
        if v is None or v == "":
            continue
        if isinstance(v, str) and v.isspace():
            continue
        return False
    return True


_PESAN_RUMUS = (
    "Sel berisi rumus (formula). Ganti dengan nilainya: salin, lalu Paste Special > Values."
)


def _validasi(
    grid: list[list[Any]],
    merged: Any,
    judul: _Judul,
    pindai: _Pindai,
    nama_lembar: str,
    desa: dict[str, str],
    max_rows: int,
) -> HasilBaca:
    kolom = judul.kolom
    teks = judul.teks
    indeks_desa = _IndeksDesa(desa)
    mulai = judul.indeks + 1
    if "desa" in kolom:
        _isi_gabungan(grid, merged, kolom["desa"], mulai)
    rumus = _sel_rumus_per_baris(pindai, (j + 1 for j in kolom.values()), mulai + 1)
    urutan = [(k.key, kolom[k.key]) for k in KOLOM_REKAP if k.key in kolom]
    lebar = max(kolom.values()) + 1
    teks_nik, teks_kk = teks["nik"], teks["no_kk"]
    j_nik, j_kk, j_nama, j_alamat, j_desa = (
        kolom["nik"],
        kolom["no_kk"],
        kolom["nama"],
        kolom["alamat"],
        kolom["desa"],
    )
    j_bidang = kolom.get("bidang_usaha")
    j_hp = kolom.get("no_hp")

    rows: list[BarisRekap] = []
    errors: list[RowError] = []
    nik_pertama: dict[str, int] = {}
    total = 0

    for i in range(mulai, len(grid)):
        baris = grid[i]
        if len(baris) < lebar:
            baris = [*baris, *([""] * (lebar - len(baris)))]
        if _baris_kosong([baris[j] for _, j in urutan]):
            continue
        total += 1
        if total > max_rows:
            raise BerkasTidakValid(_pesan_terlalu_banyak(nama_lembar, max_rows))
        nomor = i + 1
        err: list[RowError] = []

        kolom_rumus = rumus.get(nomor)
        if kolom_rumus:
            for key, j in urutan:
                if j + 1 in kolom_rumus:
                    err.append(RowError(nomor, teks[key], _PESAN_RUMUS, j + 1))
                    # Nilai cache rumus tidak dipakai: sel dianggap sudah bermasalah.
                    baris = list(baris)
                    baris[j] = _RUMUS

        def salah(j: int, key: str, pesan: str, nomor: int = nomor, err: list = err) -> None:
            err.append(RowError(nomor, teks[key], pesan, j + 1))

        nik = no_kk = None
        v = baris[j_nik]
        if v is not _RUMUS:
            nik, pesan = _cek_nik(v, teks_nik)
            if pesan:
                salah(j_nik, "nik", pesan)
        if nik is not None:
            pertama = nik_pertama.setdefault(nik, nomor)
            if pertama != nomor:
                salah(
                    j_nik,
                    "nik",
                    f"NIK {nik} sama dengan baris {pertama}; satu NIK hanya boleh muncul sekali.",
                )

        v = baris[j_kk]
        if v is not _RUMUS:
            no_kk, pesan = _cek_no_kk(v, teks_kk)
            if pesan:
                salah(j_kk, "no_kk", pesan)

        nama = _rapikan(_teks_sel(baris[j_nama])) if baris[j_nama] is not _RUMUS else None
        if nama == "":
            salah(j_nama, "nama", "Nama wajib diisi.")
        alamat = _rapikan(_teks_sel(baris[j_alamat])) if baris[j_alamat] is not _RUMUS else None
        if alamat == "":
            salah(j_alamat, "alamat", "Alamat wajib diisi.")

        desa_kode = None
        v = baris[j_desa]
        if v is not _RUMUS:
            s = _rapikan(_teks_sel(v))
            if not s:
                salah(j_desa, "desa", "Desa/Kelurahan wajib diisi.")
            else:
                desa_kode, pesan = indeks_desa.cari(s)
                if pesan:
                    salah(j_desa, "desa", pesan)

        bidang = ""
        if j_bidang is not None and baris[j_bidang] is not _RUMUS:
            bidang = _rapikan(_teks_sel(baris[j_bidang]))

        # reading-direction and control characters are refused, never repaired (sop.teks)
        for key, j, nilai in (
            ("nama", j_nama, nama),
            ("alamat", j_alamat, alamat),
            ("bidang_usaha", j_bidang, bidang),
        ):
            ch = karakter_terlarang(nilai) if nilai else None
            if ch is not None:
                salah(j, key, pesan_karakter(teks[key], ch))

        no_hp = ""
        if j_hp is not None and baris[j_hp] is not _RUMUS:
            no_hp, pesan = _cek_no_hp(baris[j_hp])
            if pesan:
                salah(j_hp, "no_hp", pesan)

        if err:
            errors.extend(err)
            continue
        assert nik is not None and no_kk is not None and nama and alamat and desa_kode
        rows.append(
            BarisRekap(
                row=nomor,
                nik=nik,
                no_kk=no_kk,
                nama=nama,
                alamat=alamat,
                desa_kode=desa_kode,
                desa_nama=indeks_desa.desa[desa_kode],
                bidang_usaha=bidang,
                no_hp=no_hp,
            )
        )

    errors.sort(key=lambda e: (e.row, e.col or 0))
    return HasilBaca(
        rows=rows,
        errors=errors,
        header_row=judul.indeks + 1,
        sheet=nama_lembar,
        total_rows=total,
        kolom=dict(teks),
    )


_RUMUS = object()  # penanda sel rumus di baris yang sedang divalidasi


# --------------------------------------------------------------------------------------------
# Anotasi kesalahan
# --------------------------------------------------------------------------------------------


def tulis_anotasi(
    data: bytes | str | os.PathLike | IO[bytes],
    errors: Sequence[RowError],
    header_row: int,
    sheet: str,
) -> bytes:
    """Salinan berkas unggahan dengan kolom "Keterangan Kesalahan" dan sel salah diwarnai merah.

    Kolom keterangan ditambahkan di kanan kolom terakhir (atau dipakai ulang bila berkas sudah
    punya kolom itu di baris judul, mis. berkas anotasi yang diunggah ulang).
    """
    import warnings

    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    raw = _ambil_bytes(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(raw))
    except Exception as exc:
        raise BerkasTidakValid(_PESAN_BUKAN_XLSX) from exc
    if sheet not in wb.sheetnames:
        raise BerkasTidakValid(f'Lembar "{sheet}" tidak ada di berkas.')
    ws = wb[sheet]

    judul_per_kolom: dict[int, str] = {}
    kolom_ket: int | None = None
    for sel in ws[header_row] if header_row >= 1 else ():
        if isinstance(sel.value, str) and sel.value.strip():
            judul_per_kolom[sel.column] = sel.value
            if normalisasi_nama(sel.value) == normalisasi_nama(JUDUL_KETERANGAN):
                kolom_ket = sel.column
    tanpa_isi = PatternFill(fill_type=None)
    if kolom_ket is None:
        kolom_ket = max(ws.max_column, max(judul_per_kolom, default=0)) + 1
    else:
        # Berkas anotasi yang diunggah ulang: hapus keterangan dan warna anotasi yang lama.
        for row in ws.iter_rows(min_row=header_row + 1):
            for sel in row:
                if sel.column == kolom_ket:
                    sel.value = None
                    sel.fill = tanpa_isi
                elif sel.fill is not None and str(sel.fill.fgColor.rgb).endswith(_WARNA_SALAH):
                    sel.fill = tanpa_isi

    def cari_kolom(err: RowError) -> int | None:
        if err.col:
            return err.col
        for c, t in judul_per_kolom.items():
            if _rapikan(t) == err.column:
                return c
        n = normalisasi_nama(err.column)
        for c, t in judul_per_kolom.items():
            if normalisasi_nama(t) == n:
                return c
        if re.fullmatch(r"[A-Z]{1,3}", err.column):
            return _nomor_kolom(err.column)
        return None

    merah = PatternFill("solid", fgColor=_WARNA_SALAH)
    kuning = PatternFill("solid", fgColor="FFEB9C")
    bungkus = Alignment(wrap_text=True, vertical="top")

    kepala = ws.cell(row=max(header_row, 1), column=kolom_ket, value=JUDUL_KETERANGAN)
    kepala.font = Font(bold=True, color="9C0006")
    kepala.fill = merah
    ws.column_dimensions[huruf_kolom(kolom_ket)].width = 60

    per_baris: dict[int, list[str]] = {}
    for err in errors:
        per_baris.setdefault(err.row, []).append(f"{err.column}: {err.message}")
        c = cari_kolom(err)
        if c is not None and c != kolom_ket:
            ws.cell(row=err.row, column=c).fill = merah
    for baris, pesan in per_baris.items():
        sel = ws.cell(row=baris, column=kolom_ket, value=netralkan_teks("\n".join(pesan)))
        sel.alignment = bungkus
        sel.fill = kuning

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Template dan ekspor
# --------------------------------------------------------------------------------------------

_LEBAR = {
    "nik": 20,
    "no_kk": 20,
    "nama": 30,
    "alamat": 40,
    "desa": 22,
    "bidang_usaha": 24,
    "no_hp": 18,
}


def template_rekap() -> bytes:
    """Template rekap (xlsx) untuk diunduh kecamatan.

    Baris 1 judul, baris 2 petunjuk (NIK/No KK harus teks), baris 3 judul kolom. Kolom NIK, No KK
    dan No HP berformat Teks ('@') untuk seluruh kolom; judul NIK/No KK diberi komentar.
    """
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    f_judul = wb.add_format({"bold": True, "font_size": 14})
    f_catatan = wb.add_format({"italic": True, "font_color": "#9C0006", "text_wrap": True})
    f_kepala = wb.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "valign": "vcenter"}
    )
    f_teks = wb.add_format({"num_format": "@"})

    ws = wb.add_worksheet("Rekap BPUM")
    ws.write_string(0, 0, "REKAP CALON PENERIMA BPUM", f_judul)
    ws.merge_range(
        1,
        0,
        1,
        len(KOLOM_REKAP) - 1,
        "Petunjuk: kolom NIK, No KK dan No HP sudah berformat Teks. Biarkan tetap Teks: bila "
        "NIK diketik sebagai angka, Excel memotong digit ke-16 dan baris akan ditolak. "
        "Jangan memakai rumus; satu baris untuk satu penerima.",
        f_catatan,
    )
    ws.set_row(1, 45)
    baris_judul = 2
    for j, k in enumerate(KOLOM_REKAP):
        ws.set_column(j, j, _LEBAR.get(k.key, 18), f_teks if k.teks else None)
        ws.write_string(baris_judul, j, k.label, f_kepala)
    idx = {k.key: j for j, k in enumerate(KOLOM_REKAP)}
    ws.write_comment(
        baris_judul,
        idx["nik"],
        "NIK 16 digit, ketik sebagai TEKS (kolom ini sudah berformat Teks). Jangan ubah format "
        "menjadi Number/General: Excel akan memotong digit ke-16.",
        {"x_scale": 2, "y_scale": 1.5},
    )
    ws.write_comment(
        baris_judul,
        idx["no_kk"],
        "No KK 16 digit, ketik sebagai TEKS seperti NIK.",
        {"x_scale": 2},
    )
    ws.write_comment(
        baris_judul,
        idx["desa"],
        "Tulis nama desa/kelurahan di kecamatan Anda (huruf besar/kecil dan spasi bebas).",
        {"x_scale": 2},
    )
    ws.freeze_panes(baris_judul + 1, 0)

    pj = wb.add_worksheet("Petunjuk")
    pj.set_column(0, 0, 110)
    petunjuk = [
        "Petunjuk pengisian rekap BPUM",
        "1. Isi data mulai baris di bawah judul kolom di lembar 'Rekap BPUM'. "
        "Baris kosong dilewati.",
        "2. NIK: 16 digit, berformat Teks. Digit 1-2 kode provinsi, digit 7-12 tanggal lahir "
        "(DDMMYY, perempuan +40), 4 digit terakhir bukan 0000.",
        "3. No KK: 16 digit, berformat Teks.",
        "4. Nama Lengkap dan Alamat Sesuai KTP wajib diisi.",
        "5. Desa/Kelurahan harus desa/kelurahan di kecamatan pengunggah.",
        "6. No HP nomor seluler, mis. 0812-3456-7890 (akan disimpan sebagai +6281234567890).",
        "7. Jangan memakai rumus (formula); tempel sebagai nilai (Paste Special > Values).",
        "8. Satu NIK hanya boleh muncul sekali dalam satu berkas.",
    ]
    for i, teks in enumerate(petunjuk):
        pj.write_string(i, 0, teks, f_judul if i == 0 else None)
    wb.close()
    return out.getvalue()


_AWAL_BERBAHAYA = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_RE_ANGKA_POLOS = re.compile(r"[+\-]?[0-9][0-9 .,]*")


def netralkan_teks(s: str) -> str:
    """Cegah formula/CSV injection (OWASP): awali dengan ``'`` bila teks diawali = + - @ tab CR LF.

    Teks yang seluruhnya angka polos (``+6281234567890``, ``-5``, ``-1.5``) tidak diubah.
    """
    if s and s[0] in _AWAL_BERBAHAYA and not _RE_ANGKA_POLOS.fullmatch(s):
        return "'" + s
    return s


_KARAKTER_TERLARANG_SHEET = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def _nama_sheet(nama: str, dipakai: set[str]) -> str:
    """Nama lembar sesuai aturan Excel: tanpa []:*?/\\, bukan diawali/diakhiri ', maks 31, unik."""
    dasar = _KARAKTER_TERLARANG_SHEET.sub("-", str(nama or ""))
    dasar = _rapikan(dasar).strip("'").strip()[:31].strip().strip("'")
    if not dasar or dasar.casefold() == "history":
        dasar = "Kecamatan" if not dasar else dasar + " (1)"
    calon = dasar
    n = 2
    while calon.casefold() in dipakai:
        akhiran = f" ({n})"
        calon = dasar[: 31 - len(akhiran)].rstrip().rstrip("'") + akhiran
        n += 1
    dipakai.add(calon.casefold())
    return calon


class _Penulis:
    """Penulis sel untuk ekspor: tipe dipertahankan, teks dinetralkan."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.f_kepala = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.f_teks = wb.add_format({"num_format": "@"})
        self.f_tanggal = wb.add_format({"num_format": "dd/mm/yyyy"})
        self.f_waktu = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})

    def kepala(self, ws: Any, judul: Sequence[str], kolom_teks: set[int]) -> None:
        for j, t in enumerate(judul):
            kunci = _ALIAS.get(normalisasi_nama(t), ("", 0))[0]
            lebar = _LEBAR.get(kunci, max(12, min(40, len(str(t)) + 4)))
            ws.set_column(j, j, lebar, self.f_teks if j in kolom_teks else None)
            ws.write_string(0, j, netralkan_teks(str(t)), self.f_kepala)
        ws.freeze_panes(1, 0)

    def baris(self, ws: Any, i: int, nilai: Sequence[Any], kolom_teks: set[int]) -> None:
        for j, v in enumerate(nilai):
            if v is None:
                continue
            if j in kolom_teks:
                ws.write_string(i, j, netralkan_teks(_teks_ekspor(v)), self.f_teks)
            elif isinstance(v, bool):
                ws.write_boolean(i, j, v)
            elif isinstance(v, int) and abs(v) >= 10**15:
                # Lebih dari 15 digit: sebagai angka Excel digit belakangnya hilang.
                ws.write_string(i, j, str(v), self.f_teks)
            elif isinstance(v, int | float | decimal.Decimal):
                ws.write_number(i, j, float(v))
            elif isinstance(v, dt.datetime):
                ws.write_datetime(i, j, v, self.f_waktu)
            elif isinstance(v, dt.date):
                ws.write_datetime(i, j, v, self.f_tanggal)
            else:
                ws.write_string(i, j, netralkan_teks(str(v)))


def _teks_ekspor(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _kolom_teks(kolom: Sequence[str]) -> set[int]:
    teks = {k.key for k in KOLOM_REKAP if k.teks}
    return {j for j, t in enumerate(kolom) if _ALIAS.get(normalisasi_nama(t), ("", 0))[0] in teks}


def tulis_rekap(
    path_or_buffer: str | os.PathLike | IO[bytes],
    kelompok: Iterable[tuple[str, Iterable[Sequence[Any]]]],
    ringkasan: Sequence[Sequence[Any]],
    kolom: Sequence[str],
    *,
    kolom_ringkasan: Sequence[str] = KOLOM_RINGKASAN,
) -> list[str]:
    """Ekspor streaming: lembar "Ringkasan" lalu satu lembar per kecamatan.

    ``kelompok``: pasangan (nama kecamatan, baris) - baris boleh generator/iterator (mis.
    ``queryset.values_list(...).iterator()``), urut sesuai ``kolom``. ``ringkasan``: baris lembar
    Ringkasan (mis. kecamatan, desa, jumlah) sesuai ``kolom_ringkasan``. Kolom yang judulnya NIK,
    No KK atau No HP (menurut ``KOLOM_REKAP``) selalu ditulis sebagai teks. Memakai
    ``constant_memory``: memori tidak tumbuh dengan jumlah baris. Datetime ber-zona waktu ditulis
    tanpa zona (ubah ke waktu lokal dulu). Mengembalikan nama lembar yang ditulis, berurutan.
    """
    wb = xlsxwriter.Workbook(
        path_or_buffer,
        {
            "constant_memory": True,
            "remove_timezone": True,
            "strings_to_formulas": False,
            "nan_inf_to_errors": True,
        },
    )
    penulis = _Penulis(wb)
    dipakai: set[str] = set()
    nama_lembar: list[str] = []
    try:
        ws = wb.add_worksheet(_nama_sheet("Ringkasan", dipakai))
        nama_lembar.append(ws.name)
        kt_ringkas = _kolom_teks(kolom_ringkasan)
        penulis.kepala(ws, kolom_ringkasan, kt_ringkas)
        for i, r in enumerate(ringkasan, start=1):
            penulis.baris(ws, i, r, kt_ringkas)

        kt = _kolom_teks(kolom)
        for nama_kec, baris_iter in kelompok:
            ws = wb.add_worksheet(_nama_sheet(nama_kec, dipakai))
            nama_lembar.append(ws.name)
            penulis.kepala(ws, kolom, kt)
            i = 0
            for i, r in enumerate(baris_iter, start=1):  # noqa: B007
                if i >= _MAKS_BARIS_EXCEL:
                    raise ValueError(
                        f"Kecamatan {nama_kec} melebihi batas baris Excel ({_MAKS_BARIS_EXCEL})."
                    )
                penulis.baris(ws, i, r, kt)
            if kolom:
                ws.autofilter(0, 0, max(i, 1), len(kolom) - 1)
    finally:
        wb.close()
    return nama_lembar
