"""One upload check for every uploaded file: size bounded, type detected from the content.

The client's file name, extension and Content-Type are never trusted. ``periksa_unggahan``
reads the first bytes (and, for zip-based formats, the archive's directory) and returns the
detected ``JenisBerkas``; the caller stores the file under ``nama_simpan(jenis)``, a name the
server chooses with the detected type's extension (``terima_unggahan`` does both). Downloads
(``sop.unduh``) serve it with that type. A file whose content is not one of the kinds a field
accepts, a program, a web page or a document with macros is refused with a message naming the
field. Spreadsheets are read afterwards by the guarded reader (``sop.lembar``), which bounds
what the archive holds; this check only looks at what kind of file it is.

    jenis = terima_unggahan(request.FILES["berkas"], boleh=DOKUMEN, label="Foto KTP")
    instance.berkas.save(berkas.name, berkas)   # berkas.name is now e.g. "q3X...Zk.pdf"
"""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .lembar.arsip import pesan_bukan_xlsx, pesan_kosong, pesan_xls
from .lembar.baca import dekode_teks
from .lembar.galat import mib


@dataclass(frozen=True, slots=True)
class JenisBerkas:
    """A file type the portal accepts. ``inline``: shown in the browser (PDF, images) rather
    than downloaded."""

    kode: str
    ekstensi: str
    mime: str
    label: Any
    inline: bool = False

    def __str__(self) -> str:
        return str(self.label)


PDF = JenisBerkas("pdf", ".pdf", "application/pdf", "PDF", inline=True)
JPEG = JenisBerkas("jpeg", ".jpg", "image/jpeg", "JPEG", inline=True)
PNG = JenisBerkas("png", ".png", "image/png", "PNG", inline=True)
WEBP = JenisBerkas("webp", ".webp", "image/webp", "WebP", inline=True)
XLSX = JenisBerkas(
    "xlsx",
    ".xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel (.xlsx)",
)
DOCX = JenisBerkas(
    "docx",
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (.docx)",
)
ODT = JenisBerkas("odt", ".odt", "application/vnd.oasis.opendocument.text", "OpenDocument (.odt)")
ODS = JenisBerkas(
    "ods", ".ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument (.ods)"
)
CSV = JenisBerkas("csv", ".csv", "text/csv", "CSV")
TEKS = JenisBerkas("teks", ".txt", "text/plain", gettext_lazy("plain text"))

SEMUA: tuple[JenisBerkas, ...] = (PDF, JPEG, PNG, WEBP, XLSX, DOCX, ODT, ODS, CSV, TEKS)
#: Photos and scans (KTP, KK, business photos).
DOKUMEN: tuple[JenisBerkas, ...] = (PDF, JPEG, PNG, WEBP)
#: Attachments and outputs of a request: documents plus office files.
KANTOR: tuple[JenisBerkas, ...] = (*DOKUMEN, XLSX, DOCX, ODT, ODS)
#: Spreadsheet imports; bank statements also come as CSV or plain text.
TABEL: tuple[JenisBerkas, ...] = (XLSX,)
REKENING: tuple[JenisBerkas, ...] = (XLSX, CSV, TEKS)

_PER_EKSTENSI = {j.ekstensi: j for j in SEMUA} | {".jpeg": JPEG, ".txt": TEKS}

_KEPALA = 8192
_PROGRAM = (
    b"MZ",  # Windows PE (.exe, .dll, .scr)
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O fat binary / Java class
    b"\x00asm",  # WebAssembly
    b"#!",  # scripts with an interpreter line
    b"L\x00\x00\x00\x01\x14\x02\x00",  # Windows shortcut (.lnk)
)
_HTML = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<svg",
    b"<?xml",
    b"<iframe",
    b"<meta",
    b"<object",
    b"<embed",
    b"<a ",
    b"<img",
    b"<div",
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class BerkasDitolak(Exception):
    """The upload is refused; ``message`` names the field and says why (Indonesian)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


class _Tolak(Exception):
    """A kind of file no field accepts (programs, web pages, macros, old Office)."""

    def __init__(self, sebab: str) -> None:
        self.sebab = sebab


def _zip(f: IO[bytes]) -> JenisBerkas | None:
    """Office Open XML or OpenDocument from the archive's directory; None for other zips."""
    try:
        with zipfile.ZipFile(f) as zf:
            nama = set(zf.namelist())
            if any(n.lower().endswith("vbaproject.bin") for n in nama) or any(
                n.startswith(("Basic/", "Scripts/")) for n in nama
            ):
                raise _Tolak("makro")
            if "[Content_Types].xml" in nama:
                if "xl/workbook.xml" in nama:
                    return XLSX
                if "word/document.xml" in nama:
                    return DOCX
                return None
            if "mimetype" in nama:
                with zf.open("mimetype") as fh:
                    mime = fh.read(100).strip()
                return {ODT.mime.encode(): ODT, ODS.mime.encode(): ODS}.get(mime)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return None
    return None


def deteksi(kepala: bytes, berkas: IO[bytes] | None = None) -> JenisBerkas | None:
    """The type of a file from its first bytes (``kepala``; at least 8 KB when the file is
    that long) and, for zip-based formats, from ``berkas`` (seekable). None: not a type the
    portal knows. Raises ``_Tolak`` for programs, web pages, macro documents, old Office."""
    if not kepala:
        return None
    if kepala.startswith(_PROGRAM):
        raise _Tolak("program")
    if kepala.startswith(b"%PDF-"):
        return PDF
    if kepala.startswith(b"\xff\xd8\xff"):
        return JPEG
    if kepala.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if kepala[:4] == b"RIFF" and kepala[8:12] == b"WEBP":
        return WEBP
    if kepala.startswith(_OLE):
        raise _Tolak("ole")
    if kepala.startswith(b"PK\x03\x04"):
        if berkas is None:
            return None
        return _zip(berkas)
    teks = dekode_teks(kepala) if b"\x00" not in kepala else None
    if teks is None:
        return None
    awal = teks.lstrip("\ufeff \t\r\n").lower().encode("utf-8", "replace")
    if awal.startswith(_HTML) or b"<script" in kepala.lower():
        raise _Tolak("html")
    baris = teks.lstrip("\ufeff").split("\n", 1)[0]
    return CSV if any(p in baris for p in (",", ";", "\t")) else TEKS


def _label(label: Any) -> str:
    return str(label) if label else _("File")


def _daftar(boleh: tuple[JenisBerkas, ...]) -> str:
    return ", ".join(str(j) for j in boleh)


def _pesan_xlsx(sebab: str) -> str:
    """With Excel as the only accepted kind, the reader's own words (one reader, one check)."""
    return {"kosong": pesan_kosong, "ole": pesan_xls}.get(sebab, pesan_bukan_xlsx)()


def periksa_unggahan(
    berkas: Any,
    *,
    boleh: tuple[JenisBerkas, ...] = KANTOR,
    maks: int | None = None,
    label: Any = None,
) -> JenisBerkas:
    """Check one upload (a Django ``UploadedFile``/``File`` or bytes) and return its type.

    ``boleh``: the kinds the field accepts; ``maks``: bytes (default the setting
    ``PORTAL_MAKS_UNGGAH``, 10 MB); ``label``: the field's name for messages. Raises
    ``BerkasDitolak``. The file is rewound afterwards.
    """
    nama = _label(label)
    maks = maks or settings.PORTAL_MAKS_UNGGAH
    hanya_xlsx = boleh == (XLSX,)
    if isinstance(berkas, bytes | bytearray | memoryview):
        f: IO[bytes] = io.BytesIO(bytes(berkas))
        ukuran = len(berkas)
    else:
        f = berkas
        ukuran = getattr(berkas, "size", None)
        if ukuran is None:
            f.seek(0, io.SEEK_END)
            ukuran = f.tell()
    if not ukuran:
        if hanya_xlsx:
            raise BerkasDitolak(_pesan_xlsx("kosong"))
        raise BerkasDitolak(_("%(field)s: the file is empty.") % {"field": nama})
    if ukuran > maks:
        raise BerkasDitolak(
            _("%(field)s: the file is %(size)s; the limit is %(limit)s.")
            % {"field": nama, "size": mib(ukuran), "limit": mib(maks)}
        )
    try:
        f.seek(0)
        kepala = f.read(_KEPALA)
        f.seek(0)
        try:
            jenis = deteksi(kepala, f)
        finally:
            f.seek(0)
    except _Tolak as t:
        if t.sebab == "program":
            pesan = _("%(field)s: programs cannot be uploaded (this file is an executable).")
        elif t.sebab == "html":
            pesan = _("%(field)s: web pages and scripts cannot be uploaded.")
        elif t.sebab == "makro":
            pesan = _(
                "%(field)s: documents with macros cannot be uploaded; save it without macros "
                "(.xlsx, .docx) or as PDF."
            )
        elif hanya_xlsx:
            raise BerkasDitolak(_pesan_xlsx("ole")) from t
        else:
            pesan = _(
                "%(field)s: old Office files (.doc, .xls) are not accepted; save it as .docx, "
                ".xlsx or PDF."
            )
        raise BerkasDitolak(pesan % {"field": nama}) from t
    if jenis in boleh:
        return jenis
    if hanya_xlsx:
        raise BerkasDitolak(_pesan_xlsx("lain"))
    if jenis is None:
        raise BerkasDitolak(
            _("%(field)s: must be %(allowed)s; the type of this file is not recognised.")
            % {"field": nama, "allowed": _daftar(boleh)}
        )
    raise BerkasDitolak(
        _("%(field)s: must be %(allowed)s; this file is %(detected)s.")
        % {"field": nama, "allowed": _daftar(boleh), "detected": str(jenis)}
    )


def nama_simpan(jenis: JenisBerkas) -> str:
    """A storage name the server chooses: random, with the detected type's extension."""
    return secrets.token_urlsafe(16) + jenis.ekstensi


def terima_unggahan(
    berkas: Any,
    *,
    boleh: tuple[JenisBerkas, ...] = KANTOR,
    maks: int | None = None,
    label: Any = None,
) -> JenisBerkas:
    """``periksa_unggahan``, then rename the upload to ``nama_simpan(jenis)`` so whatever
    stores it (``FieldFile.save``, a model ``create``) uses the server's name."""
    jenis = periksa_unggahan(berkas, boleh=boleh, maks=maks, label=label)
    berkas.name = nama_simpan(jenis)
    return jenis


def jenis_tersimpan(nama: str, kepala: bytes) -> JenisBerkas | None:
    """The type of a stored file, for serving it: the first bytes decide (PDF, images, text);
    zip-based formats, which need the whole archive to tell apart, take the stored name's
    extension, which the server chose from the detected type. None: serve as opaque bytes."""
    ext = "." + nama.rsplit(".", 1)[-1].lower() if "." in nama else ""
    try:
        jenis = deteksi(kepala)
    except _Tolak:
        return None
    if jenis is not None:
        if jenis in (CSV, TEKS):
            return _PER_EKSTENSI.get(ext) if _PER_EKSTENSI.get(ext) in (CSV, TEKS) else TEKS
        return jenis
    if kepala.startswith(b"PK\x03\x04"):
        menurut_nama = _PER_EKSTENSI.get(ext)
        return menurut_nama if menurut_nama in (XLSX, DOCX, ODT, ODS) else None
    return None
