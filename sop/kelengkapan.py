"""Documents and equipment among a step's "kelengkapan" (required inputs).

The SOP tables list both in one cell: documents ("Surat permohonan", "Data angsuran") that an
officer may attach, and equipment or facilities ("Komputer", "ATK", "Printer", "Ruang rapat") that
are never uploaded. `Langkah.kelengkapan_alat` names the equipment items; everything else is a
document. `jenis_kelengkapan` is the default classification (data migration, imports of files
written before the distinction existed). Pure Python (no Django).
"""

import re
from typing import Literal

Jenis = Literal["dokumen", "alat"]

# Whole words (or word starts) that mark equipment, facilities, consumables or credentials.
_KATA_ALAT = (
    r"komputer|laptop|laptor|notebook|pc|printer|pencetak|scanner|pemindai|fotokopi\s+mesin"
    r"|atk|alat(?:\s+tulis)?|kamera|proyektor|lcd|telepon|hp|internet|jaringan|wifi|modem"
    r"|aplikasi|perangkat|software|kendaraan|mobil|motor|ruang|ruangan|gedung|sewa|meja|kursi"
    r"|konsumsi|mamin|makan|akomodasi|transportasi|username|password|kata\s+sandi"
)
_RE_ALAT = re.compile(rf"^(?:{_KATA_ALAT})\b", re.IGNORECASE)


def jenis_kelengkapan(nama: str) -> Jenis:
    """'alat' when the item is equipment or a facility (by its first word), else 'dokumen'."""
    return "alat" if _RE_ALAT.match(" ".join(str(nama).split())) else "dokumen"


def alat_bawaan(kelengkapan: list[str]) -> list[str]:
    """The items of ``kelengkapan`` that `jenis_kelengkapan` classifies as equipment."""
    return [k for k in kelengkapan if jenis_kelengkapan(k) == "alat"]


def dokumen_saja(kelengkapan: list[str], alat: list[str]) -> list[str]:
    """``kelengkapan`` without the equipment items, in the order written."""
    a = set(alat)
    return [k for k in kelengkapan if k not in a]
