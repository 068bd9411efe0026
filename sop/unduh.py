"""One download response for stored files and generated spreadsheets.

* Stored files are streamed from ``FieldFile.open("rb")`` (the storage API: local disk or S3,
  never ``.path``), only after the calling view checked the record's scope.
* ``Content-Type`` is the type detected from the file's first bytes (``sop.unggah``); the
  download name takes that type's extension.
* PDF and images are shown inline, everything else is an attachment.
* Every response carries ``X-Content-Type-Options: nosniff`` and a sandboxing
  ``Content-Security-Policy: sandbox; default-src 'none'``: even a file that is HTML in disguise
  runs no script, loads nothing and cannot navigate the reader away.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from .unggah import XLSX, JenisBerkas, jenis_tersimpan

CSP_UNDUHAN = "sandbox; default-src 'none'"
OKTET = "application/octet-stream"


def pasang_header_aman(resp: HttpResponse) -> HttpResponse:
    """The headers every download carries (see the module docstring)."""
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = CSP_UNDUHAN
    resp["Cache-Control"] = "private, no-cache"
    return resp


def _nama_unduhan(nama: str, jenis: JenisBerkas | None) -> str:
    dasar = nama.rsplit("/", 1)[-1] or "berkas"
    if jenis is None:
        return dasar
    if "." in dasar:
        dasar = dasar.rsplit(".", 1)[0]
    return dasar + jenis.ekstensi


def unduh_berkas(berkas, *, nama: str | None = None) -> FileResponse:
    """Stream a stored file (a ``FieldFile``) with the safe headers; 404 when there is none.

    ``nama``: the download's file name (its extension is replaced by the detected type's).
    """
    if not berkas:
        raise Http404
    try:
        f = berkas.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    kepala = f.read(8192)
    f.seek(0)
    jenis = jenis_tersimpan(berkas.name, kepala)
    resp = FileResponse(
        f,
        as_attachment=not (jenis and jenis.inline),
        filename=_nama_unduhan(nama or berkas.name, jenis),
        content_type=jenis.mime if jenis else OKTET,
    )
    return pasang_header_aman(resp)


def unduh_data(data: bytes, *, nama: str, jenis: JenisBerkas = XLSX) -> HttpResponse:
    """A file the server just generated (a template, a small export) as an attachment."""
    resp = HttpResponse(data, content_type=jenis.mime)
    resp["Content-Disposition"] = content_disposition_header(True, _nama_unduhan(nama, jenis))
    return pasang_header_aman(resp)
