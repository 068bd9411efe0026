"""The staging row of an upload: create, validate every row, commit all or nothing.

Every file, whatever its size, is validated and committed by background tasks
(``danabergulir.tasks``), never inside the web request (issue 12: even a small file can be
expensive to read); the page polls the ``progres`` field. A commit takes the office's import
lock before it plans, so two staging copies of one file committed at once import it once.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sop.engine import GagalTransisi
from sop.kunci import kunci_transaksi
from sop.lembar import BerkasTidakValid, baca_tabel, tulis_anotasi
from sop.models import Unit
from sop.unggah import REKENING, TABEL, XLSX, BerkasDitolak, periksa_unggahan

from .. import izin
from ..models import ImporBerkas
from ..services import rekening_posting
from .kolom import KOLOM_PINJAMAN, KOLOM_REKENING
from .pinjaman import rencanakan_pinjaman, terapkan_pinjaman
from .rekening import rencanakan_rekening

log = logging.getLogger(__name__)
J = ImporBerkas.Jenis
St = ImporBerkas.Status

BATAS_LATAR = 2_000
MAKS_BARIS = 100_000
MAKS_BERKAS = 25 * 1024 * 1024
MAKS_GALAT_DISIMPAN = 5_000


def perkiraan_baris(raw: bytes) -> int:
    """A cheap row estimate that decides whether work goes to the background: lines of a CSV,
    about 40 bytes of compressed xlsx per statement row."""
    if raw[:4] == b"PK\x03\x04":
        return len(raw) // 40
    return raw.count(b"\n")


def rencanakan(raw: bytes, *, jenis: str, unit: Unit):
    """Read ``raw`` through the safe reader and plan the import (nothing written)."""
    if jenis == J.PINJAMAN:
        return rencanakan_pinjaman(baca_tabel(raw, KOLOM_PINJAMAN, max_rows=MAKS_BARIS), unit)
    return rencanakan_rekening(baca_tabel(raw, KOLOM_REKENING, max_rows=MAKS_BARIS), unit.pk)


def terapkan(r, *, jenis: str, unit: Unit, user, impor=None) -> dict[str, int]:
    if jenis == J.PINJAMAN:
        return terapkan_pinjaman(r, unit=unit, user=user)
    return rekening_posting(unit=unit, baris=r.baris, user=user, impor=impor)


def impor_buat(*, user, unit: Unit, jenis: str, raw: bytes, nama_berkas: str) -> ImporBerkas:
    """Store the upload (under a server-chosen name) as a staging row; nothing is read yet."""
    if jenis not in J.values:
        raise GagalTransisi(_("Unknown import kind."))
    izin.wajib(user, unit.wilayah_id, izin.PERAN_PETUGAS, _("Importing a spreadsheet"))
    try:
        # the one upload check: the kind of file from its content, never its name
        jenis_berkas = periksa_unggahan(
            raw,
            boleh=TABEL if jenis == J.PINJAMAN else REKENING,
            maks=MAKS_BERKAS,
            label=_("File"),
        )
    except BerkasDitolak as e:
        raise BerkasTidakValid(e.message) from e
    ext = "xlsx" if jenis_berkas == XLSX else "csv"
    impor = ImporBerkas(
        jenis=jenis,
        unit=unit,
        nama_berkas=(nama_berkas or f"berkas.{ext}").replace("/", "_").replace("\\", "_")[-200:],
        sha256=hashlib.sha256(raw).hexdigest(),
        dibuat_oleh=user,
    )
    impor.berkas.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(raw), save=False)
    impor.save()
    return impor


def _baca(impor: ImporBerkas) -> bytes:
    with impor.berkas.open("rb") as f:
        return f.read(MAKS_BERKAS + 1)


def _simpan_galat(impor: ImporBerkas, raw: bytes, r) -> None:
    impor.errors = [e.as_dict() for e in r.errors[:MAKS_GALAT_DISIMPAN]]
    impor.jumlah_galat = len({e.row for e in r.errors})
    try:
        hasil = baca_tabel(
            raw,
            KOLOM_PINJAMAN if impor.jenis == J.PINJAMAN else KOLOM_REKENING,
            max_rows=MAKS_BARIS,
        )
        anotasi = tulis_anotasi(raw, r.errors, hasil.header_row, hasil.sheet)
        impor.berkas_anotasi.save(
            f"{uuid.uuid4().hex}-kesalahan.xlsx", ContentFile(anotasi), save=False
        )
    except BerkasTidakValid:  # pragma: no cover - the file was readable a moment ago
        log.warning("annotated copy of import %s failed", impor.pk)


def impor_validasi(impor: ImporBerkas) -> ImporBerkas:
    """Validate every row and store the preview and errors (status valid | galat)."""
    ImporBerkas.objects.filter(pk=impor.pk).update(status=St.MEMVALIDASI, progres=10)
    raw = _baca(impor)
    try:
        r = rencanakan(raw, jenis=impor.jenis, unit=impor.unit)
    except BerkasTidakValid as e:
        impor.status, impor.pesan, impor.progres = St.GALAT, e.message, 100
        impor.errors = [{"row": 0, "column": "", "message": e.message}]
        impor.jumlah_galat = 1
        impor.save()
        return impor
    impor.total_baris = r.total_baris
    impor.hitungan = r.hitungan()
    impor.pratinjau = r.pratinjau
    impor.progres = 100
    if r.errors:
        _simpan_galat(impor, raw, r)
        impor.status = St.GALAT
        impor.pesan = _(
            "%(n)s rows have errors: nothing was saved. Correct the file and upload it again."
        ) % {"n": impor.jumlah_galat}
    else:
        impor.errors, impor.jumlah_galat, impor.status, impor.pesan = [], 0, St.VALID, ""
    impor.save()
    return impor


def impor_klaim(impor: ImporBerkas, *, user) -> None:
    """Move a valid import to "saving" once (a second click or worker finds it taken)."""
    izin.wajib(user, impor.unit.wilayah_id, izin.PERAN_PETUGAS, _("Importing a spreadsheet"))
    n = ImporBerkas.objects.filter(pk=impor.pk, status=St.VALID).update(
        status=St.MENYIMPAN, progres=0
    )
    if not n:
        raise GagalTransisi(_("This import is not ready to be saved (or is being saved)."))


def impor_terapkan(impor: ImporBerkas, *, user, diklaim: bool = False) -> ImporBerkas:
    """Commit all rows or nothing; the plan is made again against the book as it is now."""
    if not diklaim:
        impor_klaim(impor, user=user)
    impor = ImporBerkas.objects.select_related("unit").get(pk=impor.pk)
    raw = _baca(impor)
    try:
        with transaction.atomic():
            # the lock first, then the checks: a second commit of the same file (another staging
            # copy, another host) waits here and then plans against what the first wrote
            # (the plan matches rows by their natural keys: loan numbers, statement-line keys)
            kunci_transaksi("dagulir-impor", str(impor.unit_id))
            r = rencanakan(raw, jenis=impor.jenis, unit=impor.unit)
            if r.errors:
                raise _AdaGalat(r)
            ImporBerkas.objects.filter(pk=impor.pk).update(progres=50)
            hitungan = terapkan(r, jenis=impor.jenis, unit=impor.unit, user=user, impor=impor)
    except _AdaGalat as e:
        _simpan_galat(impor, raw, e.r)
        impor.status, impor.progres = St.GALAT, 100
        impor.pesan = _(
            "The book changed since validation; rows now have errors. Nothing was saved."
        )
        impor.save()
        return impor
    except (BerkasTidakValid, GagalTransisi) as e:
        impor.status, impor.progres = St.GAGAL, 100
        impor.pesan = getattr(e, "message", None) or str(e)
        impor.save()
        return impor
    except IntegrityError:  # a uniqueness rule held against a concurrent writer: nothing saved
        log.warning("import %s refused by a uniqueness rule", impor.pk, exc_info=True)
        impor.status, impor.progres = St.GAGAL, 100
        impor.pesan = _("The book changed while saving; nothing was saved. Upload the file again.")
        impor.save()
        return impor
    impor.status, impor.progres, impor.hitungan = St.SELESAI, 100, hitungan
    impor.selesai_pada = timezone.now()
    impor.pesan = ""
    impor.save()
    return impor


class _AdaGalat(Exception):
    def __init__(self, r):
        super().__init__("rows have errors")
        self.r = r
