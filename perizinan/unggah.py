"""Upload checks of the counter: scans or phone photos, checked by content and size.

The size is checked before anything is read; the type is taken from the file's first bytes, never
from its name or the browser's claim. Files are stored under a server-chosen name
(``perizinan.models.permohonan._unggah``) and served only through scoped views.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

MAKS_BYTE = 5 * 1024 * 1024
_TANDA = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def periksa_berkas(berkas) -> tuple[str, str | None]:
    """(content type, None) or ("", message) for an uploaded document."""
    ukuran = getattr(berkas, "size", None)
    if ukuran is None or ukuran <= 0:
        return "", _("The file is empty.")
    if ukuran > MAKS_BYTE:
        return "", _("The file is larger than 5 MB.")
    berkas.seek(0)
    kepala = berkas.read(16)
    berkas.seek(0)
    for tanda, tipe in _TANDA:
        if kepala.startswith(tanda):
            return tipe, None
    return "", _("The file must be a photo (JPG/PNG) or a PDF.")
