"""Public tracking: find a record by its public code and a second secret, limit failed tries.

Pieces (each usable alone; the BPUM status page uses the limiter and the client address with
its own second factor, the last 4 NIK digits):

* ``alamat_klien(request)``: the client's address behind ``PORTAL_PROXY_TEPERCAYA`` trusted
  proxies (X-Forwarded-For read from the right; what the client adds on the left is ignored).
* ``coba(request, cari)``: runs one lookup under the **failed-lookup limit**. Only failures
  count: a village counter or a mobile network shares one address, and its successful lookups
  must never lock it out. Each attempt first takes one of the address's ``PORTAL_LACAK_BATAS``
  slots with one atomic upsert on ``GagalLacak`` (shared by every worker and host through the
  database), then looks up; a failure keeps its slot, a success gives it back. Taking the slot
  *before* looking up keeps 60 simultaneous wrong guesses to at most ``PORTAL_LACAK_BATAS``
  real checks (counting afterwards would let all 60 through). When every slot is taken the
  attempt is refused only if *failures* fill them; slots held by lookups still in flight are
  waited for (milliseconds), so parallel successful lookups are never refused either. A
  blocked address waits until its window (``PORTAL_LACAK_JENDELA`` seconds from its first
  attempt) ends and is told when, in Bahasa Indonesia, with a 429 and Retry-After.
* ``cari(kode, pin)``: the generic lookup over every concrete model inheriting
  ``sop.models.Terlacak`` (the code's prefix picks the model), PIN compared in constant time.

No cache table is involved: a missing cache can no longer turn lookups into errors.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import connections, router
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext

from . import klien, penomoran
from .models import GagalLacak, Terlacak
from .models.publik import LangkahPublik, RingkasanPublik, inisial

BATAS_BAWAAN = 10  # failed lookups per address per window
JENDELA_BAWAAN = 600  # seconds


def batas() -> int:
    return int(getattr(settings, "PORTAL_LACAK_BATAS", BATAS_BAWAAN))


def jendela() -> int:
    return int(getattr(settings, "PORTAL_LACAK_JENDELA", JENDELA_BAWAAN))


# --------------------------------------------------------------------------- client address
def alamat_klien(request) -> str:
    """The client's address behind the trusted proxies (``sop.klien.alamat_klien``, the one
    rule the login lockouts use too), "-" when none is known."""
    return klien.alamat_klien(request) or "-"


def kunci_alamat(alamat: str) -> str:
    """The key failures are counted under: an IPv4 address as is, an IPv6 address by its /64
    network (one subscriber gets a whole /64 and could otherwise rotate through it)."""
    try:
        ip = ipaddress.ip_address(alamat.strip())
    except ValueError:
        return (alamat or "-")[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


# --------------------------------------------------------------------------- failed-lookup limit
@dataclass(frozen=True)
class Tahanan:
    """An address past the limit: it may try again at ``sampai``."""

    sampai: datetime

    def detik(self, now: datetime | None = None) -> int:
        return max(int((self.sampai - (now or timezone.now())).total_seconds()), 1)

    def pesan(self, now: datetime | None = None) -> str:
        menit = max((self.detik(now) + 59) // 60, 1)
        jam = timezone.localtime(self.sampai).strftime("%H.%M")
        return ngettext(
            "Too many failed attempts from your network. Please try again after %(jam)s "
            "(in about %(menit)s minute).",
            "Too many failed attempts from your network. Please try again after %(jam)s "
            "(in about %(menit)s minutes).",
            menit,
        ) % {"jam": jam, "menit": menit}


@dataclass(frozen=True)
class Percobaan[T]:
    """The outcome of ``coba``: the record found (or None), or the block when refused."""

    hasil: T | None
    tahanan: Tahanan | None = None


# Take a slot: start a new window (expired or no row), or count one more attempt while fewer
# than ``batas`` are taken. When the limit is reached the WHERE leaves the row alone and
# nothing is returned: no slot.
_AMBIL = (
    "INSERT INTO {t} (alamat, mulai, gagal, berjalan) VALUES (%s, %s, 1, 1) "  # noqa: S608
    "ON CONFLICT (alamat) DO UPDATE SET "
    "gagal = CASE WHEN {t}.mulai <= %s THEN 1 ELSE {t}.gagal + 1 END, "
    "berjalan = CASE WHEN {t}.mulai <= %s THEN 1 ELSE {t}.berjalan + 1 END, "
    "mulai = CASE WHEN {t}.mulai <= %s THEN excluded.mulai ELSE {t}.mulai END "
    "WHERE {t}.mulai <= %s OR {t}.gagal < %s "
    "RETURNING mulai"
)
TUNGGU_DETIK = 0.02  # while other lookups of the address are in flight
TUNGGU_MAKS_DETIK = 3.0


def _detik(now: datetime) -> int:
    return int(now.timestamp())


def ambil_slot(kunci: str, *, now: datetime) -> int | None:
    """Take one of the address's ``batas()`` slots of the current window, atomically (one
    statement, autocommitted, so other connections and hosts see it at once). Returns the
    window's start (Unix seconds), or None when every slot is taken."""
    detik = _detik(now)
    lama = detik - jendela()  # windows that started at or before this have ended
    alias = router.db_for_write(GagalLacak)
    conn = connections[alias]
    if conn.vendor in ("postgresql", "sqlite"):
        sql = _AMBIL.format(t=conn.ops.quote_name(GagalLacak._meta.db_table))
        with conn.cursor() as cur:
            cur.execute(sql, [kunci, detik, lama, lama, lama, lama, batas()])
            baris = cur.fetchone()
        mulai = baris[0] if baris else None
    else:  # other databases: the same through a row lock
        from django.db import transaction

        with transaction.atomic(using=alias):
            b, _baru = GagalLacak.objects.select_for_update().get_or_create(
                alamat=kunci, defaults={"mulai": detik, "gagal": 0, "berjalan": 0}
            )
            if b.mulai <= lama:
                b.mulai, b.gagal, b.berjalan = detik, 0, 0
            mulai = None
            if b.gagal < batas():
                b.gagal, b.berjalan, mulai = b.gagal + 1, b.berjalan + 1, b.mulai
                b.save()
    if mulai == detik:  # a window started now: drop the rows whose windows ended
        GagalLacak.objects.filter(mulai__lte=lama).delete()
    return mulai


def lepas_slot(kunci: str, mulai: int, *, gagal: bool) -> None:
    """End an attempt: a failure keeps its slot (it counts), anything else gives it back.
    Only in the window the slot was taken in (a new window has already forgotten it)."""
    qs = GagalLacak.objects.filter(alamat=kunci, mulai=mulai, berjalan__gt=0)
    if gagal:
        qs.update(berjalan=F("berjalan") - 1)
    else:
        qs.filter(gagal__gt=0).update(gagal=F("gagal") - 1, berjalan=F("berjalan") - 1)


def _tahanan(kunci: str, now: datetime) -> Tahanan | None:
    """The block when the window's confirmed failures fill the limit; None when some slots
    are only held by lookups still in flight (they may give them back in a moment)."""
    b = (
        GagalLacak.objects.filter(alamat=kunci, mulai__gt=_detik(now) - jendela())
        .values_list("gagal", "berjalan", "mulai")
        .first()
    )
    if b is None or b[0] - b[1] < batas():
        return None
    return Tahanan(datetime.fromtimestamp(b[2] + jendela(), tz=UTC))


def tahanan_untuk(request, *, now: datetime | None = None) -> Tahanan | None:
    """The block on this client, if any (read only; nothing counted)."""
    return _tahanan(kunci_alamat(alamat_klien(request)), now or timezone.now())


def coba[T](request, cari: Callable[[], T | None], *, now: datetime | None = None) -> Percobaan[T]:
    """Run ``cari`` (one lookup: returns the record or None) under the failed-lookup limit of
    the client's address.

    A slot is taken before the lookup and kept only when it fails, so at most ``batas()``
    lookups per window can fail, however many arrive at once. A lookup that finds every slot
    taken is refused only when failures fill them; when some are held by lookups still in
    flight it waits for them (milliseconds), so successful lookups are never refused."""
    kunci = kunci_alamat(alamat_klien(request))
    mulai = None
    tunggu = 0.0
    while True:
        saat = now or timezone.now()
        mulai = ambil_slot(kunci, now=saat)
        if mulai is not None:
            break
        tahanan = _tahanan(kunci, saat)
        if tahanan is not None:
            return Percobaan(None, tahanan)
        if tunggu >= TUNGGU_MAKS_DETIK:  # in-flight lookups that never ended (a killed worker)
            return Percobaan(None, Tahanan(saat + timedelta(seconds=60)))
        time.sleep(TUNGGU_DETIK)
        tunggu += TUNGGU_DETIK
    try:
        hasil = cari()
    except BaseException:  # the lookup crashed: not the client's failure
        lepas_slot(kunci, mulai, gagal=False)
        raise
    lepas_slot(kunci, mulai, gagal=hasil is None)
    return Percobaan(hasil)


def render_tahanan(request, template: str, ctx: dict, tahanan: Tahanan):
    """The 429 answer for a blocked address: ``template`` with ``tahanan_pesan`` (when to try
    again, in Bahasa Indonesia) and a Retry-After header."""
    from django.shortcuts import render

    ctx["tahanan_pesan"] = tahanan.pesan()
    resp = render(request, template, ctx, status=429)
    resp["Retry-After"] = str(tahanan.detik())
    return resp


# --------------------------------------------------------------------------- generic lookup
def model_terlacak() -> list[type[Terlacak]]:
    """Every concrete model inheriting ``Terlacak`` (the registry: inheriting is registering)."""
    return [m for m in apps.get_models() if issubclass(m, Terlacak) and not m._meta.abstract]


_HASH_KOSONG = penomoran.hash_pin("-", "000000")


def _calon(teks: str) -> list[tuple[type[Terlacak], str]]:
    """(model, normalised code) pairs the typed text may name: the prefix picks the model;
    a code typed without a prefix is tried with each registered prefix."""
    hasil = []
    for m in model_terlacak():
        kode = penomoran.normalkan_kode(teks, m.PREFIX_LACAK)
        if kode:
            hasil.append((m, kode))
    return hasil


def cari_kode(teks: str) -> Terlacak | None:
    """The record with this public code (any case, spaces, prefix optional), or None."""
    for m, kode in _calon(teks):
        obj = m._default_manager.filter(kode_lacak=kode).first()
        if obj is not None:
            return obj
    return None


def cari(kode: str, pin: str) -> Terlacak | None:
    """The record whose code and PIN match, else None (a wrong code and a wrong PIN look the
    same, and cost the same time: the PIN is hashed either way)."""
    pin = penomoran.pin_valid(pin)
    obj = cari_kode(kode) if pin else None
    if obj is None:
        penomoran.cocok_pin("-", pin or "000000", _HASH_KOSONG)
        return None
    return obj if obj.cek_pin(pin) else None


__all__ = [
    "LangkahPublik",
    "Percobaan",
    "RingkasanPublik",
    "Tahanan",
    "alamat_klien",
    "batas",
    "cari",
    "cari_kode",
    "coba",
    "inisial",
    "jendela",
    "kunci_alamat",
    "model_terlacak",
    "render_tahanan",
    "tahanan_untuk",
]
