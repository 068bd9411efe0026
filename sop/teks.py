"""Text typed at a counter or read from a spreadsheet, made safe and comparable (pure functions).

One normalisation for every form and import, so the same name compares equal whichever way it
came in, and nothing invisible can change what an officer reads:

* ``rapikan``: Unicode NFC, invisible formatting characters removed (zero-width space and
  joiners, word joiner, byte-order mark, soft hyphen), whitespace runs (also newlines, tabs and
  no-break spaces) made one space, trimmed;
* ``cek_teks``: ``rapikan`` plus a refusal of characters that change the reading direction
  (U+202E RIGHT-TO-LEFT OVERRIDE and the other bidi embeddings, overrides, isolates and marks:
  "Trojan Source") and of control characters (NUL, ESC, ...), with a message naming the field
  and the character;
* ``teks_angka``: for numbers typed as text (NIK, No KK): NFKC (full-width digits become ASCII)
  and every invisible character dropped, so a zero-width space pasted with a NIK is harmless.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

# Characters that reorder the text around them (Unicode bidi controls and marks).
KONTROL_ARAH = frozenset(
    "\u061c"  # ARABIC LETTER MARK
    "\u200e\u200f"  # LEFT-TO-RIGHT / RIGHT-TO-LEFT MARK
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates
)
# Invisible characters that carry no meaning in the portal's texts: removed, never refused.
TAK_TERLIHAT = frozenset(
    "\u00ad"  # SOFT HYPHEN
    "\u180e"  # MONGOLIAN VOWEL SEPARATOR
    "\u200b\u200c\u200d"  # ZERO WIDTH SPACE / NON-JOINER / JOINER
    "\u2060\u2061\u2062\u2063\u2064"  # WORD JOINER, invisible operators
    "\ufeff"  # ZERO WIDTH NO-BREAK SPACE (byte-order mark)
)
_HAPUS = {ord(c): None for c in TAK_TERLIHAT}


def kode_karakter(ch: str) -> str:
    """``"\\u202e"`` -> ``"U+202E"``."""
    return f"U+{ord(ch):04X}"


def rapikan(teks: str | None) -> str:
    """NFC, invisible formatting characters removed, whitespace runs -> one space, trimmed."""
    if not teks:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(teks)).translate(_HAPUS).split())


def karakter_terlarang(teks: str) -> str | None:
    """The first character of ``teks`` that changes the reading direction or is a control
    character (whitespace excepted), or None."""
    for ch in teks:
        if ch in KONTROL_ARAH:
            return ch
        if unicodedata.category(ch) == "Cc" and not ch.isspace():
            return ch
    return None


def pesan_karakter(label: str, ch: str) -> str:
    """The message refusing ``ch`` in field ``label`` (translated)."""
    if ch in KONTROL_ARAH:
        return _(
            "%(label)s contains an invisible character that changes the reading direction "
            "(%(kode)s). Type the text again instead of pasting it."
        ) % {"label": label, "kode": kode_karakter(ch)}
    return _(
        "%(label)s contains a control character (%(kode)s). Type the text again instead of "
        "pasting it."
    ) % {"label": label, "kode": kode_karakter(ch)}


def cek_teks(teks: str | None, *, label: str) -> tuple[str, str | None]:
    """(clean text, None), or (clean text, message) when the text holds a reading-direction or
    control character: such text is refused, never silently repaired."""
    bersih = rapikan(teks)
    ch = karakter_terlarang(bersih)
    return bersih, (pesan_karakter(label, ch) if ch is not None else None)


def teks_angka(teks: str | None) -> str:
    """A number typed as text: NFKC, every invisible (format) character dropped, trimmed."""
    if not teks:
        return ""
    s = str(teks)
    if s.isascii():  # NFKC leaves ASCII alone and ASCII has no format characters
        return s.strip()
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in s if unicodedata.category(ch) != "Cf").strip()


__all__ = [
    "KONTROL_ARAH",
    "TAK_TERLIHAT",
    "cek_teks",
    "karakter_terlarang",
    "kode_karakter",
    "pesan_karakter",
    "rapikan",
    "teks_angka",
]
