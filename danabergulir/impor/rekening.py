"""Bank statement (rekening koran) import: credit lines out of the reader's rows.

A row with a Kredit amount is a credit line (it needs a date); a row with only Debet is a
withdrawal and is skipped, as are rows without amounts (opening balance) and undated rows
whose description starts with a total ("Total", "Jumlah", "Saldo", "Mutasi"). The credit lines
then go through ``services.rencanakan_posting`` / ``rekening_posting`` (idempotency keys,
loan-number matching, suspense).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from sop.lembar import HasilBaca, RowError

from ..services import RencanaPosting, rencanakan_posting

_RINGKASAN = re.compile(r"^\s*(total|jumlah|saldo|mutasi|sub\s*total)\b", re.IGNORECASE)


@dataclass
class BarisRekening:
    row: int
    tanggal: dt.date
    jumlah: Decimal
    keterangan: str
    referensi: str
    saldo: Decimal | None


@dataclass
class RencanaRekening:
    total_baris: int = 0
    errors: list[RowError] = field(default_factory=list)
    baris: list[BarisRekening] = field(default_factory=list)
    posting: RencanaPosting | None = None
    pratinjau: list[dict] = field(default_factory=list)

    def hitungan(self) -> dict[str, int]:
        if self.posting is None:
            return {"posted": 0, "duplicate": 0, "unmatched": 0}
        return self.posting.hitungan()


def baca_kredit(hasil: HasilBaca) -> tuple[list[BarisRekening], list[RowError]]:
    kol, pos = hasil.kolom, hasil.posisi
    errors = list(hasil.errors)
    if "kredit" not in kol:
        errors.append(
            RowError(
                hasil.header_row,
                "Kredit",
                _('The statement has no "Kredit" (credit) column: the payments cannot be found.'),
            )
        )
    if "tanggal" not in kol:
        errors.append(
            RowError(
                hasil.header_row, "Tanggal", _('The statement has no "Tanggal" (date) column.')
            )
        )
    if len(errors) > len(hasil.errors):
        return [], errors
    baris = []
    for b in hasil.rows:
        kredit, debet = b.get("kredit"), b.get("debet")
        ket = b.get("keterangan") or ""
        if b.get("tanggal") is None:
            if not kredit or _RINGKASAN.match(ket) or not ket:
                continue  # a total, an opening balance or a continuation line
            errors.append(
                RowError(
                    b.row,
                    kol["tanggal"],
                    _("Tanggal must be filled in for a credit line."),
                    pos.get("tanggal"),
                )
            )
            continue
        if kredit and debet:
            errors.append(
                RowError(
                    b.row,
                    kol["kredit"],
                    _("A row has both a debit and a credit amount: split it into two rows."),
                    pos.get("kredit"),
                )
            )
            continue
        if not kredit:
            continue
        baris.append(
            BarisRekening(
                b.row, b["tanggal"], kredit, ket, b.get("referensi") or "", b.get("saldo")
            )
        )
    errors.sort(key=lambda e: (e.row, e.col or 0))
    return baris, errors


def rencanakan_rekening(hasil: HasilBaca, unit_id: int) -> RencanaRekening:
    baris, errors = baca_kredit(hasil)
    r = RencanaRekening(total_baris=hasil.total_rows, errors=errors, baris=baris)
    if errors:
        return r
    r.posting = rencanakan_posting(unit_id, baris)
    label = {"": _("post")}
    for b, dup, pid, alasan in zip(
        baris, r.posting.duplikat, r.posting.pinjaman, r.posting.alasan, strict=True
    ):
        if len(r.pratinjau) >= 20:
            break
        aksi = _("already posted") if dup else label[""] if pid else _("unmatched")
        r.pratinjau.append(
            {
                "row": b.row,
                "tanggal": b.tanggal.isoformat(),
                "jumlah": str(b.jumlah),
                "keterangan": b.keterangan[:80],
                "aksi": str(aksi),
                "alasan": alasan,
            }
        )
    return r
