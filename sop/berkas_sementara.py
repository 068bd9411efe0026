"""Staged uploads: a form that fails validation keeps the files it already accepted.

An upload that passes the upload check is stored at once as a ``BerkasSementara`` owned by the
uploader. The re-rendered form carries a signed token per file instead of the file; when the form
is finally saved the service receives the staged file (``buka``) and the view drops the staged
rows (``hapus``). Staged files expire (``PORTAL_BERKAS_SEMENTARA_MENIT``, default 12 hours) and
``manage.py sop_bersihkan_unggahan`` (also run by ``bersihkan_kedaluwarsa`` on every new stage of
the same user) removes them. Nothing here serves a staged file back to anyone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.utils import timezone

from .models import BerkasSementara

SALT = "sop.berkas_sementara"
MAKS_PER_PENGGUNA = 40  # live staged files per user; the oldest go first


def umur() -> timedelta:
    return timedelta(minutes=getattr(settings, "PORTAL_BERKAS_SEMENTARA_MENIT", 12 * 60))


def simpan(berkas, *, pemilik, now: datetime | None = None) -> BerkasSementara:
    """Store an accepted upload for ``pemilik`` (call only after the upload check passed)."""
    now = now or timezone.now()
    nama = (getattr(berkas, "name", "") or "berkas").replace("\\", "/").rsplit("/", 1)[-1]
    obj = BerkasSementara(
        pemilik=pemilik,
        nama=nama[:200],
        ukuran=berkas.size,
        dibuat=now,
        kedaluwarsa=now + umur(),
    )
    berkas.seek(0)
    obj.berkas.save(nama, berkas, save=False)
    obj.save()
    _rapikan_milik(pemilik, now)
    return obj


def token(obj: BerkasSementara) -> str:
    """The signed reference a re-rendered form carries instead of the file."""
    return signing.dumps(obj.pk, salt=SALT)


def ambil(tanda: str, *, pemilik, now: datetime | None = None) -> BerkasSementara | None:
    """The staged file behind ``tanda`` when it belongs to ``pemilik`` and has not expired."""
    if not tanda or pemilik is None or not getattr(pemilik, "is_authenticated", False):
        return None
    try:
        pk = signing.loads(tanda, salt=SALT, max_age=umur())
    except signing.BadSignature:
        return None
    return BerkasSementara.objects.filter(
        pk=pk, pemilik=pemilik, kedaluwarsa__gt=now or timezone.now()
    ).first()


def buka(obj: BerkasSementara) -> File:
    """The staged file as an upload: its original name, size and content."""
    f = File(obj.berkas.open("rb"), name=obj.nama)
    f.size = obj.ukuran
    return f


def hapus(objs) -> None:
    """Drop staged files (the form was saved, or they expired)."""
    for obj in objs:
        obj.berkas.close()
        obj.berkas.delete(save=False)
        obj.delete()


def bersihkan_kedaluwarsa(now: datetime | None = None, batch: int = 500) -> int:
    """Remove every expired staged file; returns how many."""
    now = now or timezone.now()
    n = 0
    while True:
        rows = list(BerkasSementara.objects.filter(kedaluwarsa__lte=now).order_by("pk")[:batch])
        if not rows:
            return n
        hapus(rows)
        n += len(rows)


def _rapikan_milik(pemilik, now: datetime) -> None:
    qs = BerkasSementara.objects.filter(pemilik=pemilik)
    hapus(qs.filter(kedaluwarsa__lte=now))
    lebih = list(qs.order_by("-dibuat", "-pk")[MAKS_PER_PENGGUNA:])
    hapus(lebih)
