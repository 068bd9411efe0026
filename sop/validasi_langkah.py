"""Checks of one SOP step shared by the admin's step editor, `Langkah.clean` and SOP imports.

Each function returns messages (translated) rather than raising, so callers can prefix them with
the SOP and step they concern (imports) or attach them to a form field (admin).
"""

from django.utils.translation import gettext as _

from .waktu import WaktuTidakDikenali, parse_waktu

CONTOH_WAKTU = "“15 menit”, “2 jam”, “3 hari”, “2-4 hari”, “1 bulan”"


def _daftar_atau(saran: list[str]) -> str:
    kutip = [f"“{s}”" for s in saran]
    if len(kutip) == 1:
        return kutip[0]
    return f"{', '.join(kutip[:-1])} {_('or')} {kutip[-1]}"


def galat_waktu(waktu: str, tidak_dipantau: bool, *, petunjuk: str = "") -> str | None:
    """None when the limit is acceptable, else why not, with suggestions.

    Acceptable: "not tracked" chosen explicitly, or a text the parser reads in strict mode (a
    limit, a schedule such as "Rutin", or a deliberate "no limit" spelling such as "Menyesuaikan",
    "-" or blank). ``petunjuk`` says how to choose "not tracked" where the message is shown.
    """
    if tidak_dipantau:
        return None
    try:
        parse_waktu(waktu, ketat=True)
        return None
    except WaktuTidakDikenali as e:
        saran = e.saran
    if saran:
        pesan = _("The time limit “%(teks)s” cannot be read. Did you mean %(saran)s?") % {
            "teks": waktu,
            "saran": _daftar_atau(saran),
        }
    else:
        pesan = _("The time limit “%(teks)s” cannot be read. Write it like %(contoh)s.") % {
            "teks": waktu,
            "contoh": CONTOH_WAKTU,
        }
    return f"{pesan} {petunjuk}".strip()


def galat_kelengkapan(kelengkapan: list, alat: list, wajib: list) -> list[str]:
    """Messages about the inputs: duplicates, equipment or required items not listed, required
    equipment (equipment is never an attachment)."""
    galat: list[str] = []
    kelengkapan, alat, wajib = list(kelengkapan or []), list(alat or []), list(wajib or [])
    terlihat: set[str] = set()
    for k in kelengkapan:
        if not isinstance(k, str) or not k.strip():
            galat.append(_("Every input needs a name."))
        elif k in terlihat:
            galat.append(_("The input “%(nama)s” is listed twice.") % {"nama": k})
        terlihat.add(k)
    for a in alat:
        if a not in terlihat:
            galat.append(_("The equipment “%(nama)s” is not among the inputs.") % {"nama": a})
    for w in wajib:
        if w not in terlihat:
            galat.append(_("The required input “%(nama)s” is not among the inputs.") % {"nama": w})
        elif w in alat:
            galat.append(
                _("“%(nama)s” is equipment: it cannot be required as an attachment.") % {"nama": w}
            )
    return galat
