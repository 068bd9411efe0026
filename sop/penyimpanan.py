"""Where stored files live: the storage API only, so any host and any worker can read them.

Every uploaded or generated file (documents, staged uploads, imports and their annotated
workbooks, exports) is a ``FileField`` on the default storage (``STORAGES["default"]``): the
local disk under ``MEDIA_ROOT`` by default, an S3-compatible bucket when
``AWS_STORAGE_BUCKET_NAME`` is set (``config.settings``, docs/adr/0016-penyimpanan-objek.md).
Code reads and writes them through the storage API only: ``field.save(name, content)``,
``field.open("rb")``, ``field.delete()``; never ``field.path``, a path joined onto the media root
or a temporary file handed from the web process to a worker (the worker may run on another
host: it gets the row's id and opens the file from storage).

Downloads are answered by the scoped views after their region check (``sop.unduh``): streamed
from storage, or, with ``PORTAL_UNDUH_TAUTAN`` on a bucket, a redirect to a pre-signed URL that
lives ``AWS_QUERYSTRING_EXPIRE`` seconds (``tautan_unduh``). The bucket itself is never public.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.utils.http import content_disposition_header


def di_bucket(storage: Storage | None = None) -> bool:
    """True when ``storage`` (default: the default storage) is an S3-compatible bucket."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return False
    # the default storage is a lazy object; isinstance sees through it
    return isinstance(storage if storage is not None else default_storage, S3Storage)


def tautan_aktif(berkas) -> bool:
    """True when downloads of ``berkas`` may be answered with a pre-signed link: the file lives
    in a bucket and ``PORTAL_UNDUH_TAUTAN`` is on."""
    return (
        bool(berkas)
        and getattr(settings, "PORTAL_UNDUH_TAUTAN", False)
        and di_bucket(berkas.storage)
    )


def kepala(berkas, n: int = 8192) -> bytes:
    """The first ``n`` bytes of a stored file, to detect its type. From a bucket this is one
    ranged GET (the object is not downloaded); ``FileNotFoundError`` when it is missing."""
    if di_bucket(berkas.storage):
        f = berkas.storage.open(berkas.name, "rb")  # a HEAD request: missing -> FileNotFoundError
        return f.obj.get(Range=f"bytes=0-{n - 1}")["Body"].read()
    with berkas.storage.open(berkas.name, "rb") as f:
        return f.read(n)


def tautan_unduh(
    berkas, *, nama: str, mime: str, lampiran: bool = True, detik: int | None = None
) -> str | None:
    """A short-lived pre-signed GET URL for the stored file ``berkas`` (a ``FieldFile``), or
    ``None`` when the download should be streamed instead.

    Called by ``sop.unduh.unduh_berkas`` after the view checked the record's scope. A URL is
    issued when ``tautan_aktif(berkas)`` and the file is an attachment (``lampiran``): files
    shown in the browser (PDF, images) are always streamed, because only the portal's response
    carries the sandboxing headers. The URL fixes the response's ``Content-Type`` and
    ``Content-Disposition`` (``nama``, ``mime``) and expires after ``detik`` seconds (default
    ``AWS_QUERYSTRING_EXPIRE``, 60).
    """
    if not lampiran or not tautan_aktif(berkas):
        return None
    return berkas.storage.url(
        berkas.name,
        parameters={
            "ResponseContentType": mime,
            "ResponseContentDisposition": content_disposition_header(True, nama),
            "ResponseCacheControl": "private, no-cache",
        },
        expire=detik,
    )


__all__ = ["di_bucket", "kepala", "tautan_aktif", "tautan_unduh"]
