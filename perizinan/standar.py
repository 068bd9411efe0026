"""The time components of a Standar Pelayanan computed from its SOP, pure Python.

An SOP's steps are given as ``Tahap`` (code, number, parsed limit, whether only outside parties
perform it, decision branches). From them:

* ``jalur_utama``: the steps of the expected path (decisions take their "Ya" branch);
* ``jangka_waktu``: the jangka waktu the public page shows: the sum of the limits of the
  office's own steps on that path. Steps performed only by the applicant or outside systems
  (OSS, the ministry) are left out, and so are untracked limits ("N/A", blank);
* ``janji_selesai``: the promised completion instant for a request received at ``mulai``: the
  office steps' limits chained on the office calendar (breaks, Fridays, holidays skipped);
* ``berikut``: the step after ``kode`` (next by number, or a decision branch).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sop.tenggat import JadwalKerja, hitung_tenggat, menit_kerja_antara
from sop.waktu import Batas

SELESAI = ""  # what ``berikut`` returns after the last step


@dataclass(frozen=True, slots=True)
class Tahap:
    """One SOP step as far as timing is concerned."""

    kode: str
    nomor: int
    batas: Batas
    eksternal: bool = False
    ya: str = ""
    tidak: str = ""

    @property
    def keputusan(self) -> bool:
        return bool(self.ya or self.tidak)


@dataclass(frozen=True, slots=True)
class JangkaWaktu:
    """The office's own time on the expected path, by unit of the limits written in the SOP."""

    menit: int = 0
    hari: int = 0
    minggu: int = 0
    bulan: int = 0
    kantor_tanpa_batas: int = 0  # office steps without a usable limit
    luar: tuple[str, ...] = field(default_factory=tuple)  # outside steps on the path

    @property
    def hanya_menit(self) -> bool:
        return not (self.hari or self.minggu or self.bulan)

    def teks(self) -> str:
        """'2 jam 15 menit kerja', '1 hari kerja + 45 menit kerja', or '-' (Bahasa Indonesia)."""
        bagian = []
        if self.bulan:
            bagian.append(f"{self.bulan} bulan")
        if self.minggu:
            bagian.append(f"{self.minggu} minggu")
        if self.hari:
            bagian.append(f"{self.hari} hari kerja")
        if self.menit:
            jam, menit = divmod(self.menit, 60)
            if jam and menit:
                bagian.append(f"{jam} jam {menit} menit kerja")
            elif jam:
                bagian.append(f"{jam} jam kerja")
            else:
                bagian.append(f"{menit} menit kerja")
        return " + ".join(bagian) or "-"


def urut(tahap: Sequence[Tahap]) -> list[Tahap]:
    return sorted(tahap, key=lambda t: (t.nomor, t.kode))


def berikut(tahap: Sequence[Tahap], kode: str, keputusan: bool | None = None) -> str:
    """The code of the step after ``kode``: a decision's branch when ``keputusan`` is given and
    the step has one, else the next step by number; ``SELESAI`` after the last."""
    per_kode = {t.kode: t for t in tahap}
    t = per_kode.get(kode)
    if t is None:
        raise KeyError(kode)
    if keputusan is True and t.ya:
        return t.ya
    if keputusan is False and t.tidak:
        return t.tidak
    daftar = urut(tahap)
    i = next(i for i, x in enumerate(daftar) if x.kode == kode)
    return daftar[i + 1].kode if i + 1 < len(daftar) else SELESAI


def jalur_utama(tahap: Sequence[Tahap]) -> list[Tahap]:
    """The expected path from the first step: decisions take "Ya" (each step at most once)."""
    if not tahap:
        return []
    per_kode = {t.kode: t for t in tahap}
    hasil, dilihat = [], set()
    kode = urut(tahap)[0].kode
    while kode and kode not in dilihat:
        dilihat.add(kode)
        t = per_kode[kode]
        hasil.append(t)
        kode = berikut(tahap, kode, True if t.keputusan else None)
    return hasil


def jangka_waktu(tahap: Sequence[Tahap]) -> JangkaWaktu:
    """Sum of the office's own limits on the expected path (outside steps excluded)."""
    total = {"menit": 0, "hari": 0, "minggu": 0, "bulan": 0}
    tanpa, luar = 0, []
    for t in jalur_utama(tahap):
        if t.eksternal:
            luar.append(t.kode)
            continue
        if t.batas.jenis in total:
            total[t.batas.jenis] += t.batas.jumlah or 0
        else:
            tanpa += 1
    return JangkaWaktu(**total, kantor_tanpa_batas=tanpa, luar=tuple(luar))


def janji_selesai(
    mulai: datetime, tahap: Sequence[Tahap], jadwal: JadwalKerja, *, dari: str | None = None
) -> datetime | None:
    """When the office's own steps end if each takes its full limit, starting at ``mulai`` with
    step ``dari`` (default: the first step). None when no office step has a limit."""
    jalur = jalur_utama(tahap)
    if dari:
        kode = [t.kode for t in jalur]
        jalur = jalur[kode.index(dari) :] if dari in kode else jalur
    t_akhir, ada = mulai, False
    for t in jalur:
        if t.eksternal or not t.batas.dilacak:
            continue
        t_akhir = hitung_tenggat(t_akhir, t.batas, jadwal)
        ada = True
    return t_akhir if ada else None


def janji_menit(
    mulai: datetime, tahap: Sequence[Tahap], jadwal: JadwalKerja, *, dari: str | None = None
) -> int | None:
    """Working minutes from ``mulai`` to ``janji_selesai`` (what 'on time' is measured against)."""
    akhir = janji_selesai(mulai, tahap, jadwal, dari=dari)
    return None if akhir is None else menit_kerja_antara(mulai, akhir, jadwal)
