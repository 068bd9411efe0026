"""Field checks of the counter's intake form: NIK, phone, NIB, KBLI (messages through gettext)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from lokal.nik import parse_nik
from lokal.phone import parse_phone

_PEMISAH = re.compile(r"[\s.\-]")


def rapikan(teks: str | None) -> str:
    return " ".join((teks or "").split())


def cek_nik(teks: str) -> tuple[str, str | None]:
    """(NIK, None) or ("", message). Province code, birth date and serial are checked by
    lokal-id; the message names each problem."""
    s = _PEMISAH.sub("", (teks or "").strip())
    if not s:
        return "", _("NIK is required.")
    info = parse_nik(s)
    if info.valid and info.nik:
        return info.nik, None
    bagian = []
    for issue in info.errors:
        if issue.code == "format":
            bagian.append(
                _("it must be 16 digits (%(n)s given)") % {"n": sum(c.isdigit() for c in s)}
            )
        elif issue.code == "province":
            bagian.append(_("the first 2 digits (%(k)s) are not a province code") % {"k": s[:2]})
        elif issue.code == "birth_date":
            bagian.append(
                _("digits 7-12 (%(d)s) are not a DDMMYY birth date (women: day + 40)")
                % {"d": s[6:12]}
            )
        elif issue.code == "serial":
            bagian.append(_("the last 4 digits must not be 0000"))
        else:
            bagian.append(_("regency and district codes must not be 00"))
    return "", _("The NIK is not valid: %(p)s.") % {"p": "; ".join(bagian)}


def cek_hp(teks: str) -> tuple[str, str | None]:
    """(E.164 number, None) or ("", message); a mobile number is required (the office calls or
    messages the applicant when the output is ready)."""
    s = (teks or "").strip()
    if not s:
        return "", _("A mobile number is required.")
    info = parse_phone(s)
    if not info.valid or not info.e164:
        return "", _("The mobile number “%(n)s” is not valid.") % {"n": s}
    if info.type != "mobile":
        return "", _("“%(n)s” is not a mobile number (it must start with 08, 628 or +628).") % {
            "n": s
        }
    return info.e164, None


def cek_nib(teks: str, *, wajib: bool = False) -> tuple[str, str | None]:
    """An NIB (Nomor Induk Berusaha from OSS RBA) is 13 digits."""
    s = _PEMISAH.sub("", (teks or "").strip())
    if not s:
        return "", (_("The NIB is required.") if wajib else None)
    if not (len(s) == 13 and s.isascii() and s.isdigit()):
        return "", _("An NIB has 13 digits (%(n)s given).") % {"n": sum(c.isdigit() for c in s)}
    return s, None


def cek_kbli(teks: str) -> tuple[str, str | None]:
    """KBLI 2020 codes have 5 digits."""
    s = _PEMISAH.sub("", (teks or "").strip())
    if not s:
        return "", None
    if not (len(s) == 5 and s.isascii() and s.isdigit()):
        return "", _("A KBLI code has 5 digits, e.g. 47111.")
    return s, None


def validasi_pemohon(data: dict) -> tuple[dict, dict]:
    """Cleaned applicant/business fields and {field: message} for the intake form."""
    bersih, galat = {}, {}
    bersih["pemohon_nik"], pesan = cek_nik(data.get("pemohon_nik", ""))
    if pesan:
        galat["pemohon_nik"] = pesan
    bersih["pemohon_hp"], pesan = cek_hp(data.get("pemohon_hp", ""))
    if pesan:
        galat["pemohon_hp"] = pesan
    for f, label, maks in (
        ("pemohon_nama", _("The applicant's name"), 200),
        ("pemohon_alamat", _("The applicant's address"), 300),
        ("usaha_nama", _("The business name"), 200),
        ("usaha_alamat", _("The business address"), 300),
    ):
        v = rapikan(data.get(f))
        if not v:
            galat[f] = _("%(f)s is required.") % {"f": label}
        elif len(v) > maks:
            galat[f] = _("%(f)s is at most %(n)s characters.") % {"f": label, "n": maks}
        bersih[f] = v[:maks]
    bersih["usaha_nib"], pesan = cek_nib(data.get("usaha_nib", ""))
    if pesan:
        galat["usaha_nib"] = pesan
    bersih["usaha_kbli"], pesan = cek_kbli(data.get("usaha_kbli", ""))
    if pesan:
        galat["usaha_kbli"] = pesan
    return bersih, galat
