"""Numbers given to the public: random codes, gap-free register numbers and tracking PINs.

Two kinds of number, never mixed (ADR 0009-publik-penomoran):

* **Random public codes** (``BPUM-K7QW2M9X``, a tracking code): 8 signs of a 32-sign alphabet
  without 0/O and 1/I (40 random bits). They say nothing about volume or order and cannot be
  guessed from a neighbour's code, so a code may serve as the first half of a public lookup.
* **Register numbers** (``0001/TT/DPMPTSP/2026``): consecutive per office, kind and year, as a
  legal register (buku register, tanda terima) must be: never reused and without gaps. The
  counter row is incremented *inside the caller's transaction* with one
  ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement (PostgreSQL and SQLite), so the
  row stays locked until the caller commits: a concurrent caller waits, and a caller that rolls
  back takes its number back with it (no gap). The lock lives in the database, so it holds
  across worker processes and web hosts.

PINs: 6 random digits, stored only as HMAC-SHA256 keyed by ``SECRET_KEY`` (the record's code
is part of the message, so equal PINs give different hashes) and compared in constant time;
``SECRET_KEY_FALLBACKS`` keep PINs issued before a key rotation valid.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections, router, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

ALFABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 signs: no 0/O, 1/I
PANJANG_KODE = 8  # 40 bits
PANJANG_PIN = 6


# --------------------------------------------------------------------------- random codes
def kode_acak(prefix: str = "", n: int = PANJANG_KODE) -> str:
    """``"BPUM"`` -> ``"BPUM-K7QW2M9X"``; no prefix -> ``"K7QW2M9X"``. 5 random bits a sign."""
    badan = "".join(secrets.choice(ALFABET) for _ in range(n))
    return f"{prefix}-{badan}" if prefix else badan


def kode_unik(
    prefix: str = "",
    *,
    ada: Callable[[list[str]], Iterable[str]],
    jumlah: int = 1,
    n: int = PANJANG_KODE,
) -> list[str]:
    """``jumlah`` fresh codes, distinct among themselves and absent according to ``ada``
    (given candidates, returns those already taken; called once per round, usually one query).

    With 40-bit codes a clash with a million existing rows has a chance of 1 in a million per
    code; the retry makes it a non-event rather than an IntegrityError in a national round.
    Keep the column's unique constraint: two writers drawing the same new code at the same
    instant is still caught there."""
    hasil: list[str] = []
    terlihat: set[str] = set()
    while len(hasil) < jumlah:
        calon = []
        for _ in range(jumlah - len(hasil)):
            k = kode_acak(prefix, n)
            if k not in terlihat:
                terlihat.add(k)
                calon.append(k)
        dipakai = set(ada(calon))
        hasil.extend(c for c in calon if c not in dipakai)
    return hasil


def kode_unik_model(model, field: str, prefix: str = "", *, jumlah: int = 1) -> list[str]:
    """``kode_unik`` against ``model.field`` (one query per round, in chunks of 500)."""

    def ada(calon: list[str]) -> set[str]:
        dipakai: set[str] = set()
        for i in range(0, len(calon), 500):
            potong = calon[i : i + 500]
            dipakai |= set(
                model._default_manager.filter(**{f"{field}__in": potong}).values_list(
                    field, flat=True
                )
            )
        return dipakai

    return kode_unik(prefix, ada=ada, jumlah=jumlah)


_BUKAN_KODE = re.compile(r"[\s\-_./]+")


def normalkan_kode(teks: str, prefix: str = "", n: int = PANJANG_KODE) -> str:
    """What a person typed -> the stored form, or ``""`` when it cannot be a code.

    Any case, spaces, dashes and dots are accepted, the prefix may be left out:
    ``" bpum k7qw 2m9x"``, ``"K7QW2M9X"``, ``"bpum-k7qw2m9x"`` -> ``"BPUM-K7QW2M9X"``.
    Signs outside the alphabet (0, O, 1, I) never occur in a code, so such input is refused
    here rather than looked up."""
    polos = _BUKAN_KODE.sub("", teks or "").upper()
    pre = prefix.upper()
    if pre and len(polos) == len(pre) + n and polos.startswith(pre):
        polos = polos[len(pre) :]
    if len(polos) != n or any(c not in ALFABET for c in polos):
        return ""
    return f"{pre}-{polos}" if pre else polos


# --------------------------------------------------------------------------- register numbers
# One statement: creates the series at 1 or increments it, and returns the number taken. The
# conflicting row is locked until the caller's transaction ends (PostgreSQL row lock; SQLite
# holds the database write lock for the whole transaction).
_UPSERT = (
    "INSERT INTO {t} (unit_id, jenis, tahun, terakhir) VALUES (%s, %s, %s, 1) "  # noqa: S608
    "ON CONFLICT (unit_id, jenis, tahun) DO UPDATE SET terakhir = {t}.terakhir + 1 "
    "RETURNING terakhir"
)


class Register(NamedTuple):
    urut: int
    tahun: int
    teks: str


def format_register(urut: int, *bagian: str, tahun: int, lebar: int = 4) -> str:
    """``format_register(1, "TT", "DPMPTSP", tahun=2026)`` -> ``"0001/TT/DPMPTSP/2026"``.

    The sequence is zero-padded to ``lebar`` digits and simply grows past it (``10000/...``)."""
    if urut < 1:
        raise ValueError("Nomor urut dimulai dari 1.")
    return "/".join([f"{urut:0{lebar}d}", *(b for b in bagian if b), str(tahun)])


def tahun_unit(unit, now: datetime | None = None) -> int:
    """The year at ``now`` in the office's own time zone (WIB/WITA/WIT): a receipt issued at
    00:30 WITA on 1 January belongs to the new year even though it is still 31 December in
    Jakarta."""
    from .jadwal import jadwal_unit

    now = now or timezone.now()
    return now.astimezone(ZoneInfo(jadwal_unit(unit).zona)).year


def nomor_register(*, unit, jenis: str, tahun: int, using: str | None = None) -> int:
    """Take the next number of the (office, kind, year) series: 1, 2, 3, ...

    Must be called inside the caller's ``transaction.atomic()`` (it raises otherwise): the
    counter row stays locked until the caller commits, and rolls back with it."""
    from .models import NomorRegister

    alias = using or router.db_for_write(NomorRegister)
    conn = connections[alias]
    if not conn.in_atomic_block:
        raise TransactionManagementError(
            "nomor_register() must run inside the transaction that records the number."
        )
    if not jenis or len(jenis) > 30:
        raise ValueError("jenis: 1-30 characters")
    unit_id = getattr(unit, "pk", unit)
    if conn.vendor in ("postgresql", "sqlite"):
        sql = _UPSERT.format(t=conn.ops.quote_name(NomorRegister._meta.db_table))
        with conn.cursor() as cur:
            cur.execute(sql, [unit_id, jenis, tahun])
            return cur.fetchone()[0]
    # Other databases: the same semantics through a row lock.
    with transaction.atomic(using=alias):
        baris, baru = (
            NomorRegister.objects.using(alias)
            .select_for_update()
            .get_or_create(unit_id=unit_id, jenis=jenis, tahun=tahun, defaults={"terakhir": 1})
        )
        if not baru:
            baris.terakhir += 1
            baris.save(update_fields=["terakhir"])
        return baris.terakhir


def register_baru(
    *,
    unit,
    jenis: str,
    bagian: Iterable[str] = (),
    tahun: int | None = None,
    now: datetime | None = None,
    lebar: int = 4,
) -> Register:
    """Take and format the next register number: ``register_baru(unit=u, jenis="TT",
    bagian=("TT", "DPMPTSP"))`` -> ``Register(1, 2026, "0001/TT/DPMPTSP/2026")``.
    Same transaction rule as ``nomor_register``."""
    if tahun is None:
        tahun = tahun_unit(unit, now)
    urut = nomor_register(unit=unit, jenis=jenis, tahun=tahun)
    return Register(urut, tahun, format_register(urut, *bagian, tahun=tahun, lebar=lebar))


# --------------------------------------------------------------------------- PINs
def pin_baru() -> str:
    """Six random digits, leading zeros kept: ``"042917"``."""
    return f"{secrets.randbelow(10**PANJANG_PIN):0{PANJANG_PIN}d}"


def _hmac(kunci: str, kode: str, pin: str) -> str:
    pesan = f"sop.pin:{kode}:{pin}".encode()
    return hmac.new(kunci.encode(), pesan, hashlib.sha256).hexdigest()


def hash_pin(kode: str, pin: str) -> str:
    """HMAC-SHA256 of the PIN, keyed by ``SECRET_KEY`` and bound to the record's code."""
    return _hmac(settings.SECRET_KEY, kode, pin)


def pin_valid(teks: str) -> str:
    """The PIN as typed (spaces removed) when it has the PIN's shape, else ``""``."""
    pin = re.sub(r"\s+", "", teks or "")
    return pin if len(pin) == PANJANG_PIN and pin.isascii() and pin.isdigit() else ""


def cocok_pin(kode: str, pin: str, tersimpan: str) -> bool:
    """Constant-time check of ``pin`` against a stored hash (current key, then fallbacks)."""
    if not tersimpan or not pin:
        return False
    cocok = False
    for kunci in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        # no early exit: the time taken does not tell which key matched
        cocok |= hmac.compare_digest(_hmac(kunci, kode, pin), tersimpan)
    return cocok
