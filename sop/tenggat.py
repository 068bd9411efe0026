"""Due-time arithmetic on a working calendar (jam kerja ASN), pure Python.

A `JadwalKerja` gives, per weekday, the working intervals in local time of an IANA zone (breaks
are the gaps), date-range overlays that replace those hours (Ramadan), and holidays (libur
nasional + cuti bersama). `hitung_tenggat` turns a start instant and a `Batas` into a due instant:

* ``menit``: that many *working* minutes after the start (breaks, weekends and holidays are
  skipped); the due time is the earliest instant at which they have elapsed, so it can be the
  end of an interval but never a later opening.
* ``hari`` N: close of business of the Nth working day after the start's local date.
* ``minggu`` / ``bulan`` N: calendar weeks/months from the start's local date (month ends are
  clamped: 31 Jan + 1 bulan = 28/29 Feb), at close of business, rolled forward to the next
  working day when that date is not one.

All loops step over days, never minutes. A calendar without any working time for
`BATAS_HARI_KOSONG` consecutive days raises ValueError instead of looping forever.
"""

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sop.waktu import Batas

BATAS_HARI_KOSONG = 3 * 366  # consecutive days without working time before giving up

_SATU_HARI = timedelta(days=1)
_SATU_MENIT = timedelta(minutes=1)
_NOL = timedelta(0)


@dataclass(frozen=True, slots=True)
class Interval:
    """A working interval [mulai, selesai) in local wall-clock time."""

    mulai: time
    selesai: time

    def __post_init__(self) -> None:
        if not isinstance(self.mulai, time) or not isinstance(self.selesai, time):
            raise TypeError("Interval membutuhkan datetime.time")
        if self.mulai.tzinfo is not None or self.selesai.tzinfo is not None:
            raise ValueError("Jam interval harus tanpa zona waktu (waktu lokal)")
        if not self.mulai < self.selesai:
            raise ValueError(f"Interval tidak valid: {self.mulai} - {self.selesai}")


Mingguan = Mapping[int, tuple[Interval, ...]]


def _normalisasi_mingguan(mingguan: Mapping[int, Iterable[Interval]]) -> Mingguan:
    """Validate weekday keys and sort/check intervals; return a read-only mapping."""
    hasil: dict[int, tuple[Interval, ...]] = {}
    for hari, intervals in mingguan.items():
        if not isinstance(hari, int) or not 0 <= hari <= 6:
            raise ValueError(f"Hari dalam minggu harus 0 (Senin) .. 6 (Minggu): {hari!r}")
        urut = tuple(sorted(intervals, key=lambda i: (i.mulai, i.selesai)))
        for a, b in zip(urut, urut[1:], strict=False):
            if b.mulai < a.selesai:
                raise ValueError(f"Interval tumpang tindih pada hari {hari}: {a} dan {b}")
        if urut:
            hasil[hari] = urut
    return MappingProxyType(hasil)


def _hash_mingguan(m: Mingguan) -> int:
    return hash(tuple(sorted(m.items())))


@dataclass(frozen=True, slots=True)
class Overlay:
    """Replaces the weekly hours on dates in [mulai, selesai] (inclusive), e.g. Ramadan.

    A weekday missing from ``mingguan`` is a day off while the overlay applies.
    """

    mulai: date
    selesai: date
    mingguan: Mingguan

    def __post_init__(self) -> None:
        if self.selesai < self.mulai:
            raise ValueError("Overlay: tanggal selesai sebelum tanggal mulai")
        object.__setattr__(self, "mingguan", _normalisasi_mingguan(self.mingguan))

    def __hash__(self) -> int:
        return hash((self.mulai, self.selesai, _hash_mingguan(self.mingguan)))


@dataclass(frozen=True, slots=True)
class JadwalKerja:
    """Working calendar: zone, weekly hours (0=Mon..6=Sun), overlays and holidays.

    When several overlays cover a date, the last one in ``overlay`` wins. Holidays are local
    dates of ``zona``.
    """

    zona: str
    mingguan: Mingguan
    overlay: tuple[Overlay, ...] = ()
    libur: frozenset[date] = frozenset()
    _tz: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            tz = ZoneInfo(self.zona)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"Zona waktu tidak dikenal: {self.zona!r}") from e
        object.__setattr__(self, "_tz", tz)
        object.__setattr__(self, "mingguan", _normalisasi_mingguan(self.mingguan))
        object.__setattr__(self, "overlay", tuple(self.overlay))
        libur = frozenset(self.libur)
        if any(isinstance(d, datetime) or not isinstance(d, date) for d in libur):
            raise ValueError("Libur harus berisi datetime.date")
        object.__setattr__(self, "libur", libur)

    def __hash__(self) -> int:
        return hash((self.zona, _hash_mingguan(self.mingguan), self.overlay, self.libur))

    @property
    def tz(self) -> ZoneInfo:
        """The calendar's zone as a ZoneInfo."""
        return self._tz


def _iv(a: str, b: str) -> Interval:
    return Interval(time.fromisoformat(a), time.fromisoformat(b))


# Perpres 21/2023: 37.5 hours a week, Monday-Friday.
_SENIN_KAMIS = (_iv("07:30", "12:00"), _iv("13:00", "16:00"))
_JUMAT = (_iv("07:30", "11:30"), _iv("13:00", "16:30"))
MINGGUAN_BAKU: Mingguan = MappingProxyType(
    {0: _SENIN_KAMIS, 1: _SENIN_KAMIS, 2: _SENIN_KAMIS, 3: _SENIN_KAMIS, 4: _JUMAT}
)

# Typical Ramadan hours of the MenPANRB circulars (32.5 hours a week); check each year's letter.
_RAMADAN_SENIN_KAMIS = (_iv("08:00", "12:00"), _iv("12:30", "15:00"))
_RAMADAN_JUMAT = (_iv("08:00", "11:30"), _iv("12:30", "15:30"))
MINGGUAN_RAMADAN: Mingguan = MappingProxyType(
    {
        0: _RAMADAN_SENIN_KAMIS,
        1: _RAMADAN_SENIN_KAMIS,
        2: _RAMADAN_SENIN_KAMIS,
        3: _RAMADAN_SENIN_KAMIS,
        4: _RAMADAN_JUMAT,
    }
)


def jadwal_baku(
    zona: str = "Asia/Jakarta",
    libur: Iterable[date] = frozenset(),
    overlay: Iterable[Overlay] = (),
) -> JadwalKerja:
    """The Perpres 21/2023 calendar in ``zona`` with the given holidays and overlays."""
    return JadwalKerja(
        zona=zona, mingguan=MINGGUAN_BAKU, overlay=tuple(overlay), libur=frozenset(libur)
    )


JADWAL_BAKU = jadwal_baku()


# --- calendar queries ---------------------------------------------------------------------------


def intervals_on(jadwal: JadwalKerja, d: date) -> tuple[Interval, ...]:
    """Working intervals of local date ``d`` (empty on holidays and days off)."""
    if d in jadwal.libur:
        return ()
    mingguan = jadwal.mingguan
    for ov in reversed(jadwal.overlay):
        if ov.mulai <= d <= ov.selesai:
            mingguan = ov.mingguan
            break
    return mingguan.get(d.weekday(), ())


def _rentang(jadwal: JadwalKerja, d: date) -> list[tuple[datetime, datetime]]:
    """Working intervals of ``d`` as UTC instants."""
    tz = jadwal.tz
    hasil = []
    for iv in intervals_on(jadwal, d):
        s = datetime.combine(d, iv.mulai, tzinfo=tz).astimezone(UTC)
        e = datetime.combine(d, iv.selesai, tzinfo=tz).astimezone(UTC)
        if s < e:
            hasil.append((s, e))
    return hasil


def _tanggal_lokal(jadwal: JadwalKerja, t: datetime) -> date:
    return t.astimezone(jadwal.tz).date()


def _wajib_aware(t: datetime, nama: str) -> None:
    if not isinstance(t, datetime):
        raise TypeError(f"{nama} harus datetime")
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"{nama} harus memiliki zona waktu (tz-aware)")


def _gagal_kosong() -> ValueError:
    return ValueError(f"Jadwal kerja tidak memiliki waktu kerja selama {BATAS_HARI_KOSONG} hari")


def hari_kerja(jadwal: JadwalKerja, d: date) -> bool:
    """True when local date ``d`` has working time."""
    return bool(intervals_on(jadwal, d))


def dalam_jam_kerja(t: datetime, jadwal: JadwalKerja) -> bool:
    """True when instant ``t`` lies inside a working interval [mulai, selesai)."""
    _wajib_aware(t, "t")
    tu = t.astimezone(UTC)
    return any(s <= tu < e for s, e in _rentang(jadwal, _tanggal_lokal(jadwal, t)))


def tutup_kantor(jadwal: JadwalKerja, d: date) -> datetime | None:
    """Close of business (end of the last interval) of local date ``d``; None on a day off."""
    intervals = intervals_on(jadwal, d)
    if not intervals:
        return None
    return datetime.combine(d, intervals[-1].selesai, tzinfo=jadwal.tz)


def _hari_kerja_mulai(jadwal: JadwalKerja, d: date) -> date:
    """First working date on or after ``d``."""
    for _ in range(BATAS_HARI_KOSONG + 1):
        if intervals_on(jadwal, d):
            return d
        d += _SATU_HARI
    raise _gagal_kosong()


def _hari_kerja_ke(jadwal: JadwalKerja, d: date, n: int) -> date:
    """The nth working date strictly after ``d``."""
    for _ in range(n):
        d = _hari_kerja_mulai(jadwal, d + _SATU_HARI)
    return d


def _tambah_bulan(d: date, n: int) -> date:
    tahun, bulan0 = divmod(d.month - 1 + n, 12)
    tahun += d.year
    bulan = bulan0 + 1
    return date(tahun, bulan, min(d.day, calendar.monthrange(tahun, bulan)[1]))


# --- working-time arithmetic ----------------------------------------------------------------------


def geser_menit_kerja(mulai: datetime, menit: int, jadwal: JadwalKerja) -> datetime:
    """Earliest instant at which ``menit`` working minutes have elapsed since ``mulai``.

    A start outside working time counts from the next opening; minutes that run out exactly at
    the end of an interval give that end. ``menit == 0`` returns ``mulai`` (in the calendar zone).
    """
    _wajib_aware(mulai, "mulai")
    if menit < 0:
        raise ValueError("menit tidak boleh negatif")
    tz = jadwal.tz
    sisa = timedelta(minutes=menit)
    if not sisa:
        return mulai.astimezone(tz)
    kursor = mulai.astimezone(UTC)
    d = _tanggal_lokal(jadwal, mulai)
    kosong = 0
    while True:
        rentang = _rentang(jadwal, d)
        for s, e in rentang:
            if e <= kursor:
                continue
            s = max(s, kursor)
            tersedia = e - s
            if sisa <= tersedia:
                return (s + sisa).astimezone(tz)
            sisa -= tersedia
        kosong = 0 if rentang else kosong + 1
        if kosong > BATAS_HARI_KOSONG:
            raise _gagal_kosong()
        d += _SATU_HARI


def waktu_kerja_antara(a: datetime, b: datetime, jadwal: JadwalKerja) -> timedelta:
    """Exact working time between two instants; negative when ``b`` is before ``a``."""
    _wajib_aware(a, "a")
    _wajib_aware(b, "b")
    if b < a:
        return -waktu_kerja_antara(b, a, jadwal)
    au, bu = a.astimezone(UTC), b.astimezone(UTC)
    d, akhir = _tanggal_lokal(jadwal, a), _tanggal_lokal(jadwal, b)
    total = _NOL
    while d <= akhir:
        for s, e in _rentang(jadwal, d):
            lo, hi = max(s, au), min(e, bu)
            if hi > lo:
                total += hi - lo
        d += _SATU_HARI
    return total


def menit_kerja_antara(a: datetime, b: datetime, jadwal: JadwalKerja) -> int:
    """Whole working minutes between ``a`` and ``b`` (truncated; negative when b < a)."""
    td = waktu_kerja_antara(a, b, jadwal)
    menit = abs(td) // _SATU_MENIT
    return -menit if td < _NOL else menit


def hitung_tenggat(mulai: datetime, batas: Batas, jadwal: JadwalKerja) -> datetime | None:
    """Due instant (aware, in the calendar zone) of a step started at ``mulai``.

    None for limits that are not tracked (``tidak_dilacak``, ``periodik``).
    """
    if not batas.dilacak:
        return None
    _wajib_aware(mulai, "mulai")
    n = batas.jumlah
    assert n is not None  # guaranteed by Batas for tracked kinds
    if batas.jenis == "menit":
        return geser_menit_kerja(mulai, n, jadwal)
    d0 = _tanggal_lokal(jadwal, mulai)
    if batas.jenis == "hari":
        d = _hari_kerja_ke(jadwal, d0, n)
    elif batas.jenis == "minggu":
        d = _hari_kerja_mulai(jadwal, d0 + timedelta(weeks=n))
    else:
        d = _hari_kerja_mulai(jadwal, _tambah_bulan(d0, n))
    tutup = tutup_kantor(jadwal, d)
    assert tutup is not None  # d is a working day
    return tutup


def persen_terpakai(
    mulai: datetime, tenggat: datetime, sekarang: datetime, jadwal: JadwalKerja
) -> float:
    """Share of the limit used: working time mulai..sekarang / working time mulai..tenggat.

    0.0 before the start; above 1.0 once working time past the due time has elapsed (it stays at
    1.0 outside office hours right after the due time, so test overdue by comparing instants).
    """
    total = waktu_kerja_antara(mulai, tenggat, jadwal)
    if total <= _NOL:
        return 1.0 if sekarang >= tenggat else 0.0
    return max(0.0, waktu_kerja_antara(mulai, sekarang, jadwal) / total)
