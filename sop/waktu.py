"""Parse the "waktu" (time limit) column of an SOP step into a structured `Batas`.

The SOP documents write limits as free text ("15 menit", "Maksimal 1 hari", "2-4 hari",
"2 Bulan Sekali", "N/A", ...). `parse_waktu` turns such text into a `Batas`:

* ``menit`` / ``hari`` / ``minggu`` / ``bulan``: a tracked per-request limit; ``jumlah`` is the
  upper bound, ``bawah`` the lower bound of a range ("2-4 hari" -> bawah 2, jumlah 4). Hours are
  converted to minutes ("2 Jam" -> 120 menit), years to months ("1 tahun" -> 12 bulan).
* ``periodik``: a schedule ("2 Bulan Sekali", "Rutin", "Setiap bulan"), not a per-request limit.
* ``tidak_dilacak``: no usable limit ("Menyesuaikan", "N/A", "-", "", unparseable text).

Everything here is pure Python (no Django).
"""

import difflib
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

Jenis = Literal["menit", "hari", "minggu", "bulan", "tidak_dilacak", "periodik"]

JENIS: tuple[str, ...] = ("menit", "hari", "minggu", "bulan", "tidak_dilacak", "periodik")
JENIS_DILACAK: frozenset[str] = frozenset({"menit", "hari", "minggu", "bulan"})


@dataclass(frozen=True, slots=True)
class Batas:
    """A parsed time limit of an SOP step."""

    jenis: Jenis
    jumlah: int | None = None
    bawah: int | None = None
    teks: str = ""

    def __post_init__(self) -> None:
        if self.jenis not in JENIS:
            raise ValueError(f"Jenis batas waktu tidak dikenal: {self.jenis!r}")
        if self.jenis in JENIS_DILACAK:
            if not _is_int(self.jumlah) or self.jumlah < 1:
                raise ValueError(f"Jumlah batas waktu harus bilangan bulat >= 1: {self.jumlah!r}")
            if self.bawah is not None and (
                not _is_int(self.bawah) or not 0 <= self.bawah <= self.jumlah
            ):
                raise ValueError(
                    f"Batas bawah harus bilangan bulat antara 0 dan {self.jumlah}: {self.bawah!r}"
                )
        elif self.jumlah is not None or self.bawah is not None:
            raise ValueError(f"Batas jenis {self.jenis!r} tidak boleh memiliki jumlah")

    @property
    def dilacak(self) -> bool:
        """True when this is a per-request limit with a computable due time."""
        return self.jenis in JENIS_DILACAK

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form: ``{"jenis", "jumlah", "bawah"}`` (without the original text)."""
        return {"jenis": self.jenis, "jumlah": self.jumlah, "bawah": self.bawah}

    @classmethod
    def from_dict(cls, d: dict[str, Any], teks: str = "") -> "Batas":
        """Inverse of `as_dict`; ``teks`` restores the original text."""
        return cls(jenis=d["jenis"], jumlah=d.get("jumlah"), bawah=d.get("bawah"), teks=teks)


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


# --- normalisation ------------------------------------------------------------------------------

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u00a0": " "})  # fmt: skip

# Spellings that mean "no tracked limit" on purpose (compared after normalisation).
TEKS_TIDAK_DILACAK: frozenset[str] = frozenset(
    {
        "",
        "n/a",
        "n.a",
        "n.a.",
        "na",
        "menyesuaikan",
        "disesuaikan",
        "sesuai jadwal",
        "sesuai kebutuhan",
        "sesuai kondisi",
        "tentatif",
        "tidak ada",
        "tidak tentu",
        "tidak terbatas",
        "tidak ditentukan",
        "insidentil",
        "insidental",
        "kondisional",
        "situasional",
        "setiap saat",
        "kapan saja",
    }
)
_RE_TIDAK_DILACAK = re.compile(
    r"^(?:[-_.\s/]*|(?:menyesuaikan|disesuaikan|sesuai|tergantung|bergantung)\b.*)$"
)

_D = "satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan"
_NILAI_KATA = {w: i for i, w in enumerate(_D.split("|"), start=1)}
_RE_KATA_BILANGAN = re.compile(
    rf"\b(?:(?P<pl>{_D})\s+puluh(?:\s+(?P<pls>{_D}))?|(?P<bl>{_D})\s+belas"
    rf"|(?P<x>sepuluh|sebelas|{_D}))\b"
)
_RE_KURUNG_ANGKA = re.compile(r"(\d+)\s*\(\s*(\d+)\s*\)")
_RE_SE_SATUAN = re.compile(r"\bse(jam|hari|minggu|pekan|bulan|tahun)\b")
_RE_SETENGAH_JAM = re.compile(r"\bsetengah\s+jam\b")
_RE_KALI_24_JAM = re.compile(r"^(\d+)\s*(?:x|×|kali)\s*24\s*jam(?:\s+kerja)?$")
_RE_PERIODIK = re.compile(
    r"\b(?:rutin|berkala|periodik|setiap|tiap|sekali|kali|bulanan|mingguan|tahunan|harian"
    r"|triwulan(?:an)?|semesteran)\b"
    r"|\bper\s*(?:hari|minggu|pekan|bulan|tahun|triwulan|semester)\b"
    r"|/\s*(?:hari|minggu|pekan|bulan|tahun)\b"
    r"|\b\d+\s*x\b"
)
_RE_PEMISAH_RENTANG = re.compile(
    r"\s*(?<!\w)(?:s\s*/\s*d|s\.\s*d\.?|sampai\s+dengan|sampai|hingga|sd)(?!\w)\.?\s*"
)
_RE_AWALAN = re.compile(
    r"^(?:(?:maksimal|maksimum|maks|max|paling\s+lama|paling\s+lambat|selambat-lambatnya"
    r"|selama|dalam|kurang\s+dari|kurang\s+lebih|lebih\s+kurang|sekitar|estimasi|kira-kira"
    r"|±|\+/-|<=|≤|<)\s*[.:]?\s*)+"
)
_RE_AKHIRAN = re.compile(r"(?:\s+(?:kerja|efektif))+$")

_SATUAN: dict[str, tuple[str, int]] = {
    "menit": ("menit", 1),
    "mnt": ("menit", 1),
    "min": ("menit", 1),
    "jam": ("menit", 60),
    "hari": ("hari", 1),
    "hr": ("hari", 1),
    "hk": ("hari", 1),
    "minggu": ("minggu", 1),
    "pekan": ("minggu", 1),
    "mgg": ("minggu", 1),
    "bulan": ("bulan", 1),
    "bln": ("bulan", 1),
    "tahun": ("bulan", 12),
    "thn": ("bulan", 12),
}
_ANGKA = r"\d+(?:[.,]\d+)?"
_SAT = "|".join(sorted(_SATUAN, key=len, reverse=True))
_RE_KOMPONEN = re.compile(rf"({_ANGKA})(?:\s*-\s*({_ANGKA}))?\s*({_SAT})\b\.?")
_RE_RENTANG_DUA_SATUAN = re.compile(rf"({_ANGKA})\s*({_SAT})\s*-\s*({_ANGKA})\s*\2\b")


def _normalisasi(teks: str) -> str:
    s = teks.translate(_DASHES).lower()
    s = " ".join(s.split())
    return s.strip(" .,;:")


def _ganti_kata_bilangan(s: str) -> str:
    def ganti(m: re.Match[str]) -> str:
        if m["pl"]:
            return str(_NILAI_KATA[m["pl"]] * 10 + (_NILAI_KATA[m["pls"]] if m["pls"] else 0))
        if m["bl"]:
            return str(10 + _NILAI_KATA[m["bl"]])
        x = m["x"]
        return "10" if x == "sepuluh" else "11" if x == "sebelas" else str(_NILAI_KATA[x])

    s = _RE_KATA_BILANGAN.sub(ganti, s)
    # "3 (tiga) hari" -> "3 (3) hari" -> "3 hari"; mismatching numbers stay (unparseable).
    return _RE_KURUNG_ANGKA.sub(lambda m: m[1] if int(m[1]) == int(m[2]) else m[0], s)


def _angka(s: str) -> Fraction:
    return Fraction(s.replace(",", "."))


def _parse_dilacak(s: str, teks: str) -> Batas | None:
    """Parse "<prefix> N[-M] unit [N unit...] [kerja]"; None when the text does not fit."""
    s = _RE_SETENGAH_JAM.sub("30 menit", s)
    s = _RE_SE_SATUAN.sub(r"1 \1", s)
    s = _RE_PEMISAH_RENTANG.sub("-", s)
    s = _RE_AWALAN.sub("", s)
    s = _RE_AKHIRAN.sub("", s)
    s = _RE_RENTANG_DUA_SATUAN.sub(r"\1-\3 \2", s)

    jenis: str | None = None
    total_hi = total_lo = Fraction(0)
    ada_rentang = False
    pos = 0
    n_komponen = 0
    faktor_sebelum = 10**9
    while pos < len(s):
        m = _RE_KOMPONEN.match(s, pos)
        if m is None:
            return None
        j, faktor = _SATUAN[m[3]]
        if (jenis is not None and j != jenis) or faktor >= faktor_sebelum:
            return None  # "1 jam 30 menit" is fine; "5 hari 6 hari" or "1 bulan 2 minggu" is not
        jenis, faktor_sebelum = j, faktor
        hi = _angka(m[2] or m[1]) * faktor
        lo = _angka(m[1]) * faktor
        if m[2] is not None:
            if ada_rentang or n_komponen or lo >= hi:
                return None
            ada_rentang = True
        total_hi += hi
        total_lo += lo
        n_komponen += 1
        pos = m.end()
        while pos < len(s) and s[pos] in " ,":
            pos += 1
        if ada_rentang and pos < len(s):
            return None  # a range must be the only component
    if jenis is None or total_hi.denominator != 1 or total_lo.denominator != 1 or total_hi < 1:
        return None
    return Batas(
        jenis,  # type: ignore[arg-type]
        int(total_hi),
        int(total_lo) if ada_rentang else None,
        teks,
    )


class WaktuTidakDikenali(ValueError):
    """Raised by ``parse_waktu(..., ketat=True)``; ``saran`` holds readable spellings close to it."""

    def __init__(self, teks: str):
        super().__init__(f"Waktu tidak dikenali: {teks!r}")
        self.teks = teks

    @property
    def saran(self) -> list[str]:
        return saran_waktu(self.teks)


def parse_waktu(teks: str | None, *, ketat: bool = False) -> Batas:
    """Parse a "waktu" cell; unrecognised text gives ``tidak_dilacak``.

    With ``ketat=True`` unrecognised text (anything that is neither a limit, a schedule nor a
    known "no limit" spelling such as "N/A" or "Menyesuaikan") raises `WaktuTidakDikenali` (a
    ValueError) instead.
    """
    asli = "" if teks is None else str(teks)
    s = _normalisasi(asli)
    if s in TEKS_TIDAK_DILACAK or _RE_TIDAK_DILACAK.match(s):
        return Batas("tidak_dilacak", teks=asli)
    s = _ganti_kata_bilangan(s)
    if m := _RE_KALI_24_JAM.match(s):
        n = int(m[1])
        if n >= 1:
            return Batas("hari", n, teks=asli)
    if _RE_PERIODIK.search(s):
        return Batas("periodik", teks=asli)
    hasil = _parse_dilacak(s, asli)
    if hasil is not None:
        return hasil
    if ketat:
        raise WaktuTidakDikenali(asli)
    return Batas("tidak_dilacak", teks=asli)


# --- suggestions for unreadable text --------------------------------------------------------------

# Unit spellings a suggestion may use (the parser's own keys, written out in full).
_SATUAN_BAKU: dict[str, str] = {
    "menit": "menit", "mnt": "menit", "min": "menit", "jam": "jam", "hari": "hari", "hr": "hari",
    "hk": "hari", "minggu": "minggu", "pekan": "minggu", "mgg": "minggu", "bulan": "bulan",
    "bln": "bulan", "tahun": "tahun", "thn": "tahun",
}  # fmt: skip
_PANJANG = ("menit", "jam", "hari", "minggu", "pekan", "bulan", "tahun")
_RE_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[a-z]+|-")
_RE_ANGKA = re.compile(r"\d+(?:[.,]\d+)?")
_RE_SETENGAH = re.compile(r"(?:(\d+)\s+)?setengah\b")


def _satuan_terdekat(kata: str) -> str | None:
    """The unit a word most likely means ("jm" -> "jam", "menitan" -> "menit"), or None."""
    if kata in _SATUAN_BAKU:
        return _SATUAN_BAKU[kata]
    for akhiran in ("an", "nya"):  # "menitan", "harinya"
        if kata.endswith(akhiran) and kata[: -len(akhiran)] in _SATUAN_BAKU:
            return _SATUAN_BAKU[kata[: -len(akhiran)]]
    if len(kata) < 2:
        return None
    dekat = difflib.get_close_matches(kata, _PANJANG, n=1, cutoff=0.75)
    return _SATUAN_BAKU[dekat[0]] if dekat else None


def _terbaca(teks: str) -> bool:
    try:
        return parse_waktu(teks, ketat=True).jenis != "tidak_dilacak" or bool(teks.strip())
    except ValueError:
        return False


def _bulatkan_ke_atas(teks: str) -> str:
    """'1.5 hari' -> '2 hari': a fraction the parser cannot count in whole units, rounded up."""
    return _RE_ANGKA.sub(lambda m: str(math.ceil(_angka(m[0]))), teks)


def saran_waktu(teks: str | None, *, maks: int = 3) -> list[str]:
    """Readable spellings close to an unreadable "waktu" text, best first.

    "2 jm" -> ["2 jam"]; "sekitar lima belas menitan" -> ["15 menit"]; "menyesuikan" ->
    ["Menyesuaikan"]. Empty when the text is already readable (``parse_waktu(ketat=True)``
    accepts it) or nothing close is found. Every suggestion is itself readable.
    """
    asli = "" if teks is None else str(teks)
    try:
        parse_waktu(asli, ketat=True)
        return []
    except ValueError:
        pass
    s = _ganti_kata_bilangan(_normalisasi(asli))
    s = _RE_SETENGAH.sub(lambda m: f"{m[1]},5" if m[1] else "0,5", s)  # "satu setengah" -> 1,5
    kandidat: list[str] = []
    # 1. Keep numbers and unit words (typos corrected), drop every other word.
    bersih: list[str] = []
    pasangan: list[str] = []
    angka_terakhir: str | None = None
    for tok in _RE_TOKEN.findall(s):
        if tok == "-" or tok[0].isdigit():
            bersih.append(tok)
            angka_terakhir = tok if tok[0].isdigit() else angka_terakhir
        elif (u := _satuan_terdekat(tok)) is not None:
            bersih.append(u)
            if angka_terakhir is not None:
                pasangan.append(f"{angka_terakhir} {u}")
                angka_terakhir = None
    if bersih:
        utuh = " ".join(bersih).replace(" - ", "-").strip("- ")
        kandidat += [utuh, _bulatkan_ke_atas(utuh)]
    # 2. Each "number unit" pair on its own ("5 hari 6 hari" -> "5 hari", "6 hari").
    if not any(_terbaca(k) for k in kandidat):
        kandidat += [_bulatkan_ke_atas(p) for p in pasangan]
    # 3. A misspelt "no limit" phrase ("menyesuikan" -> "Menyesuaikan").
    frasa = sorted(t for t in TEKS_TIDAK_DILACAK if len(t) > 3)
    kandidat += [f.capitalize() for f in difflib.get_close_matches(s, frasa, n=1, cutoff=0.8)]
    hasil: list[str] = []
    for k in kandidat:
        if k and k not in hasil and _terbaca(k):
            hasil.append(k)
    return hasil[:maks]


_LABEL_SATUAN = {"menit": "menit kerja", "hari": "hari kerja", "minggu": "minggu", "bulan": "bulan"}


def format_batas(b: Batas) -> str:
    """Short Indonesian label, e.g. "15 menit kerja", "2-4 hari kerja", "tidak dilacak"."""
    if b.jenis == "tidak_dilacak":
        return "tidak dilacak"
    if b.jenis == "periodik":
        return "periodik"
    angka = (
        f"{b.bawah}-{b.jumlah}" if b.bawah is not None and b.bawah != b.jumlah else f"{b.jumlah}"
    )
    return f"{angka} {_LABEL_SATUAN[b.jenis]}"
