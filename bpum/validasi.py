"""Field checks of one proposal typed at the village counter (Indonesian messages).

The spreadsheet import has its own row checks in ``bpum.spreadsheet``; both use lokal-id's
``parse_nik`` / ``parse_phone`` so a NIK valid in one path is valid in the other.
"""

from __future__ import annotations

import re

from lokal.nik import parse_nik
from lokal.phone import parse_phone

from sop.teks import rapikan as _rapikan_teks
from sop.teks import teks_angka
from sop.unggah import DOKUMEN, BerkasDitolak, nama_simpan, periksa_unggahan

_PEMISAH = re.compile(r"[\s.\-]")


def cek_nik(teks: str) -> tuple[str | None, str | None]:
    """(NIK, None) or (None, message): the one NIK check of the counter form and the spreadsheet
    import. Province code, DDMMYY birth date (+40 for women) and a serial other than 0000 are
    checked by lokal-id; the message names each problem. Invisible characters pasted with the
    number (a zero-width space) and full-width digits are normalised first (``sop.teks``)."""
    s = _PEMISAH.sub("", teks_angka(teks))
    if not s:
        return None, "NIK wajib diisi."
    info = parse_nik(s)
    if info.valid and info.nik:
        return info.nik, None
    bagian = []
    for issue in info.errors:
        if issue.code == "format":
            bagian.append(f"harus 16 digit angka (terisi {sum(c.isdigit() for c in s)} digit)")
        elif issue.code == "province":
            bagian.append(f"2 digit pertama ({s[:2]}) bukan kode provinsi yang dikenal")
        elif issue.code == "wilayah":
            bagian.append(
                "kode kabupaten/kota (digit 3-4) dan kecamatan (digit 5-6) tidak boleh 00"
            )
        elif issue.code == "birth_date":
            bagian.append(
                f"digit 7-12 ({s[6:12]}) bukan tanggal lahir DDMMYY yang valid "
                "(untuk perempuan tanggal ditambah 40)"
            )
        elif issue.code == "serial":
            bagian.append("nomor urut (4 digit terakhir) tidak boleh 0000")
        else:
            bagian.append(issue.message.rstrip("."))
    return None, "NIK tidak valid: " + "; ".join(bagian) + "."


def cek_no_kk(teks: str) -> tuple[str | None, str | None]:
    s = _PEMISAH.sub("", teks_angka(teks))
    if not s:
        return None, "No KK wajib diisi."
    if not (len(s) == 16 and s.isascii() and s.isdigit()):
        return None, f"No KK harus 16 digit angka (terisi {sum(c.isdigit() for c in s)} digit)."
    if s == "0" * 16:
        return None, "No KK tidak valid (semua digit 0)."
    return s, None


def cek_no_hp(teks: str) -> tuple[str, str | None]:
    """('' , None) for an empty number; the E.164 form (+62...) of a valid mobile number."""
    s = teks_angka(teks)
    if not s:
        return "", None
    info = parse_phone(s)
    if not info.valid or not info.e164:
        return "", f"Nomor HP “{s}” tidak valid."
    if info.type != "mobile":
        return "", f"Nomor HP “{s}” bukan nomor seluler (harus diawali 08, 628, atau +628)."
    return info.e164, None


def rapikan(teks: str | None) -> str:
    """``sop.teks.rapikan``: NFC, invisible characters removed, whitespace collapsed."""
    return _rapikan_teks(teks)


# --------------------------------------------------------------------------- uploads
def cek_berkas_dokumen(berkas, *, label=None) -> str | None:
    """Message when an uploaded document is not a PDF or photo (JPEG/PNG/WebP) within the
    portal's upload limit, judged by its content (``sop.unggah``); None when it is fine. The
    upload keeps its name here (a form shows it); store it under ``nama_simpan_dokumen``."""
    try:
        periksa_unggahan(berkas, boleh=DOKUMEN, label=label or "Dokumen")
    except BerkasDitolak as e:
        return e.message
    return None


def nama_simpan_dokumen(berkas) -> str:
    """The server-chosen storage name of a checked document: random, with the extension of
    the type detected from its content (never the client's)."""
    return nama_simpan(periksa_unggahan(berkas, boleh=DOKUMEN))
