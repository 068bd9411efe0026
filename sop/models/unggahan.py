"""Uploads kept while a form is corrected (staged files): see ``sop.unggahan``."""

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

EKSTENSI_AMAN = {".pdf", ".jpg", ".jpeg", ".png", ".xlsx", ".xls", ".docx", ".doc", ".odt", ".ods"}


def nama_simpan(instance, filename: str) -> str:
    """A server-chosen name: random, with the (lower-case, known) extension or none."""
    ext = PurePosixPath(filename or "").suffix.lower()
    return f"sementara/{secrets.token_hex(16)}{ext if ext in EKSTENSI_AMAN else ''}"


class BerkasSementara(models.Model):
    """An accepted upload of a form that has not been saved yet, owned by the uploader and
    removed when the form is saved or when it expires (``manage.py sop_bersihkan_unggahan``)."""

    pemilik = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    berkas = models.FileField(_("file"), upload_to=nama_simpan)
    nama = models.CharField(_("file name (as uploaded)"), max_length=200)
    ukuran = models.PositiveBigIntegerField(_("size"))
    dibuat = models.DateTimeField(_("uploaded"))
    kedaluwarsa = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("staged upload")
        verbose_name_plural = _("staged uploads")

    def __str__(self):
        return self.nama
