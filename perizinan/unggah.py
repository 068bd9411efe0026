"""The counter's uploads on the project's one upload check (``sop.unggah``).

Scans and phone photos of the checklist and output documents: PDF, JPEG, PNG or WebP judged by
their content (never the name or the browser's claim), at most ``MAKS_BYTE``. The forms only
check (a failed form keeps the file the officer chose); the services store the file under
``nama_simpan(jenis)``, a name the server chooses with the detected type's extension, and
downloads go through ``sop.unduh``.
"""

from __future__ import annotations

from sop.unggah import DOKUMEN, BerkasDitolak, JenisBerkas, periksa_unggahan

MAKS_BYTE = 5 * 1024 * 1024
BOLEH = DOKUMEN
#: the ``accept`` attribute of the file inputs (a hint for the phone's picker, not a check)
TERIMA = ",".join(j.mime for j in BOLEH)


def periksa_dokumen(berkas, *, label=None) -> JenisBerkas:
    """The detected type of an uploaded scan/photo; raises ``sop.unggah.BerkasDitolak``."""
    return periksa_unggahan(berkas, boleh=BOLEH, maks=MAKS_BYTE, label=label)


def pesan_dokumen(berkas, *, label=None) -> str | None:
    """The refusal message naming the field, or None when the upload is fine (for forms)."""
    try:
        periksa_dokumen(berkas, label=label)
    except BerkasDitolak as e:
        return e.message
    return None
