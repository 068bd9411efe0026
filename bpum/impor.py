"""Staged spreadsheet imports: upload -> validate every row -> preview -> commit all or nothing.

One code path for the UI, the background tasks and the management commands:

    impor = impor_buat(user=..., jenis="rekap", periode=..., wilayah=kecamatan, raw=..., nama_berkas=...)
    impor_validasi(impor)            # status valid | galat, errors with Excel row/column/message
    impor_terapkan(impor, user=...)  # all or nothing; re-checks against the database first

Natural key: NIK + round. A row equal to a proposal already registered in the same village
changes nothing ("unchanged"); a changed row updates a proposal the district still holds; the
same NIK elsewhere in the round creates a new proposal flagged as a possible duplicate for the
agency to decide. The same file (sha256) committed twice is refused: "sudah pernah diimpor".
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from sop import massal
from sop.engine import GagalTransisi
from sop.kunci import kunci_transaksi
from sop.models import RiwayatPerubahan, Unit, Wilayah
from sop.unggah import TABEL, BerkasDitolak, periksa_unggahan

from . import services
from .jawaban import baca_jawaban
from .models import (
    LANGKAH_KECAMATAN,
    LANGKAH_KEMENTERIAN,
    ImporRekap,
    Periode,
    Rekap,
    Usulan,
)
from .spreadsheet import BarisRekap, BerkasTidakValid, RowError, baca_rekap, tulis_anotasi

log = logging.getLogger(__name__)
S = Usulan.Status

MAKS_BARIS = 200_000
MAKS_BERKAS = settings.PORTAL_MAKS_IMPOR
#: A claimed import (validating, saving) without a heartbeat for this long was left by a killed
#: worker; a waiting one this long was never picked up. Both become "gagal" and may be retried.
BASI = timedelta(minutes=10)
BASI_MENUNGGU = timedelta(minutes=60)
MAKS_GALAT_DISIMPAN = 10_000
PRATINJAU = 20
FIELD_BANDING = ("no_kk", "nama", "alamat", "bidang_usaha", "no_hp")


class SudahDiimpor(GagalTransisi):
    def __init__(self, lama: ImporRekap):
        super().__init__(
            f"Berkas ini sudah pernah diimpor pada {timezone.localtime(lama.selesai_pada or lama.dibuat):%d-%m-%Y %H:%M} "
            f"({lama.jumlah_dibuat} dibuat, {lama.jumlah_diperbarui} diperbarui): tidak ada yang "
            "diimpor dua kali."
        )
        self.lama = lama


# --------------------------------------------------------------------------- plans
@dataclass
class Rencana:
    total_baris: int = 0
    errors: list[RowError] = field(default_factory=list)
    baru: list[BarisRekap] = field(default_factory=list)
    ubah: list[tuple[int, BarisRekap, dict]] = field(default_factory=list)
    sama: list[int] = field(default_factory=list)
    duplikat: int = 0
    header_row: int = 0
    sheet: str = ""
    pratinjau: list[dict] = field(default_factory=list)
    # ministry answers: (usulan pk, keterangan)
    terima: list[tuple[int, str]] = field(default_factory=list)
    tolak: list[tuple[int, str]] = field(default_factory=list)

    @property
    def jumlah_galat(self) -> int:
        return len({e.row for e in self.errors})

    def hitungan(self) -> dict:
        return {
            "created": len(self.baru),
            "updated": len(self.ubah) + len(self.terima) + len(self.tolak),
            "unchanged": len(self.sama),
        }


def _potong(xs, n=massal.POTONGAN):
    xs = list(xs)
    for i in range(0, len(xs), n):
        yield xs[i : i + n]


def _terlalu_panjang(b: BarisRekap, kolom: dict[str, str]) -> list[RowError]:
    """Texts longer than their column in the database, refused with row and column: storing a
    cut value would make every later import of the same row look "changed" (on PostgreSQL an
    UPDATE casts to varchar(n) and cuts silently) and write a field-history row each time."""
    hasil = []
    for f in FIELD_BANDING:
        maks = Usulan._meta.get_field(f).max_length
        v = getattr(b, f)
        if maks and len(v) > maks:
            hasil.append(
                RowError(
                    b.row,
                    kolom.get(f, f),
                    gettext("Text too long: %(n)s characters, at most %(maks)s.")
                    % {"n": len(v), "maks": maks},
                )
            )
    return hasil


def rencanakan_rekap(
    raw: bytes, *, periode: Periode, kecamatan: Wilayah, max_rows: int | None = None
) -> Rencana:
    """Read and validate a district rekap, then match each row against the round."""
    desa = dict(
        Wilayah.objects.filter(induk=kecamatan, tingkat=Wilayah.Tingkat.DESA).values_list(
            "kode", "nama"
        )
    )
    hasil = baca_rekap(raw, desa=desa, max_rows=max_rows or MAKS_BARIS)
    r = Rencana(
        total_baris=hasil.total_rows,
        errors=list(hasil.errors),
        header_row=hasil.header_row,
        sheet=hasil.sheet,
    )
    kolom_nik = hasil.kolom.get("nik", "NIK")
    per_nik: dict[str, list[dict]] = {}
    nilai = (
        "pk",
        "nik",
        "nomor",
        "wilayah_id",
        "status",
        "rekap_kecamatan__status",
        "rekap_kecamatan_id",
        *FIELD_BANDING,
    )
    for potong in _potong({b.nik for b in hasil.rows}):
        for d in Usulan.objects.filter(periode=periode, nik__in=potong).values(*nilai):
            per_nik.setdefault(d["nik"], []).append(d)
    label = dict(S.choices)
    for b in hasil.rows:
        panjang = _terlalu_panjang(b, hasil.kolom)
        if panjang:
            r.errors.extend(panjang)
            continue
        ada = per_nik.get(b.nik, [])
        di_desa = [d for d in ada if d["wilayah_id"] == b.desa_kode]
        aksi = "baru"
        if di_desa:
            sama = next(
                (d for d in di_desa if all(d[f] == getattr(b, f) for f in FIELD_BANDING)), None
            )
            if sama is not None:
                r.sama.append(sama["pk"])
                aksi = "sama"
            else:
                d = next(
                    (
                        d
                        for d in di_desa
                        if d["status"] == S.LENGKAP
                        and (
                            d["rekap_kecamatan_id"] is None
                            or d["rekap_kecamatan__status"] in Rekap.TERBUKA
                        )
                    ),
                    None,
                )
                if d is None:
                    d = di_desa[0]
                    r.errors.append(
                        RowError(
                            b.row,
                            kolom_nik,
                            f"NIK {b.nik} sudah terdaftar di desa ini (nomor {d['nomor']}, status "
                            f"“{label.get(d['status'], d['status'])}”) dengan data berbeda; "
                            "perubahan tidak dapat diimpor pada tahap ini.",
                        )
                    )
                    continue
                ubah = {f: (d[f], getattr(b, f)) for f in FIELD_BANDING if d[f] != getattr(b, f)}
                r.ubah.append((d["pk"], b, ubah))
                aksi = "ubah"
        else:
            r.baru.append(b)
            if any(d["status"] != S.GUGUR for d in ada):
                r.duplikat += 1
                aksi = "baru (NIK ganda)"
        if len(r.pratinjau) < PRATINJAU:
            r.pratinjau.append(
                {"row": b.row, "nik": b.nik, "nama": b.nama, "desa": b.desa_nama, "aksi": aksi}
            )
    r.errors.sort(key=lambda e: (e.row, e.col or 0))
    return r


def rencanakan_jawaban(
    raw: bytes, *, periode: Periode, kabupaten: Wilayah, max_rows: int | None = None
) -> Rencana:
    """Read the ministry's answers and match each NIK to a forwarded proposal of the round."""
    hasil = baca_jawaban(raw, max_rows=max_rows or MAKS_BARIS)
    r = Rencana(
        total_baris=hasil.total_rows,
        errors=list(hasil.errors),
        header_row=hasil.header_row,
        sheet=hasil.sheet,
    )
    kolom_nik = hasil.kolom.get("nik", "NIK")
    per_nik: dict[str, list[dict]] = {}
    for potong in _potong({b.nik for b in hasil.rows}):
        qs = (
            Usulan.objects.filter(
                periode=periode, nik__in=potong, wilayah__kode__startswith=kabupaten.kode + "."
            )
            .exclude(status=S.GUGUR)
            .values("pk", "nik", "nomor", "status", "nama")
        )
        for d in qs:
            per_nik.setdefault(d["nik"], []).append(d)
    label = dict(S.choices)
    for b in hasil.rows:
        ada = per_nik.get(b.nik, [])
        if not ada:
            r.errors.append(
                RowError(
                    b.row, kolom_nik, f"NIK {b.nik} tidak ada di periode ini untuk kabupaten ini."
                )
            )
            continue
        if len(ada) > 1:
            r.errors.append(
                RowError(
                    b.row,
                    kolom_nik,
                    f"NIK {b.nik} ganda di periode ini dan "
                    "belum diputus dinas; putuskan data ganda dulu.",
                )
            )
            continue
        d = ada[0]
        if d["status"] == b.status:
            r.sama.append(d["pk"])
            aksi = "sama"
        elif d["status"] in (S.DITERIMA, S.DITOLAK):
            r.errors.append(
                RowError(
                    b.row,
                    kolom_nik,
                    f"Usulan {d['nomor']} sudah dicatat "
                    f"“{label[d['status']]}”; jawaban berbeda tidak diubah.",
                )
            )
            continue
        elif d["status"] != S.DITERUSKAN:
            r.errors.append(
                RowError(
                    b.row,
                    kolom_nik,
                    f"Usulan {d['nomor']} belum diteruskan ke kementerian (status "
                    f"“{label.get(d['status'], d['status'])}”).",
                )
            )
            continue
        else:
            (r.terima if b.status == "diterima" else r.tolak).append((d["pk"], b.keterangan))
            aksi = b.status
        if len(r.pratinjau) < PRATINJAU:
            r.pratinjau.append(
                {"row": b.row, "nik": b.nik, "nama": d["nama"], "desa": "", "aksi": aksi}
            )
    r.errors.sort(key=lambda e: (e.row, e.col or 0))
    return r


# --------------------------------------------------------------------------- staging
def _cek_wilayah(jenis: str, periode: Periode, wilayah: Wilayah) -> None:
    if jenis == ImporRekap.Jenis.REKAP:
        if wilayah.tingkat != Wilayah.Tingkat.KECAMATAN or wilayah.induk_id != periode.wilayah_id:
            raise GagalTransisi("Kecamatan tidak termasuk kabupaten periode ini.")
    elif wilayah.kode != periode.wilayah_id:
        raise GagalTransisi("Jawaban kementerian diimpor untuk kabupaten periode ini.")


def _izin(user, jenis: str, wilayah: Wilayah):
    langkah = LANGKAH_KECAMATAN if jenis == ImporRekap.Jenis.REKAP else LANGKAH_KEMENTERIAN
    tindakan = "Impor rekap" if jenis == ImporRekap.Jenis.REKAP else "Impor jawaban kementerian"
    return services.izin_wilayah(user, wilayah.kode, langkah, tindakan=tindakan)


def impor_buat(
    *, user, jenis: str, periode: Periode, wilayah: Wilayah, raw: bytes, nama_berkas: str
) -> ImporRekap:
    """Store the upload as a staging row, "menunggu" (nothing validated yet: validation is
    expensive and runs in the background task ``bpum.tasks.validasi_impor``). A file that is
    not an Excel workbook by its content gives a row "galat" with the message, and no file."""
    if jenis not in ImporRekap.Jenis.values:
        raise GagalTransisi("Jenis impor tidak dikenal.")
    _cek_wilayah(jenis, periode, wilayah)
    _izin(user, jenis, wilayah)
    if jenis == ImporRekap.Jenis.REKAP and not periode.terbuka():
        raise GagalTransisi(f"Periode {periode.kode} sudah ditutup.")
    if len(raw) > MAKS_BERKAS:
        raise BerkasTidakValid(f"Berkas terlalu besar (maksimal {MAKS_BERKAS // 1024 // 1024} MB).")
    sha = hashlib.sha256(raw).hexdigest()
    lama = (
        ImporRekap.objects.filter(
            jenis=jenis,
            periode=periode,
            wilayah=wilayah,
            sha256=sha,
            status=ImporRekap.Status.SELESAI,
        )
        .order_by("-pk")
        .first()
    )
    if lama is not None:
        raise SudahDiimpor(lama)
    nama = (nama_berkas or "rekap.xlsx").replace("/", "_").replace("\\", "_")[-200:]
    impor = ImporRekap(
        jenis=jenis,
        periode=periode,
        wilayah=wilayah,
        nama_berkas=nama,
        sha256=sha,
        dibuat_oleh=user,
        denyut=timezone.now(),
    )
    try:
        # The one upload check: an Excel workbook by its content, whatever the file is called.
        periksa_unggahan(raw, boleh=TABEL, maks=MAKS_BERKAS)
    except BerkasDitolak as e:
        # Kept (without the file) so the officer sees the refusal in the import history.
        impor.status, impor.pesan, impor.progres = ImporRekap.Status.GALAT, e.message, 100
        impor.save()
        return impor
    impor.berkas.save(f"{sha[:16]}.xlsx", ContentFile(raw), save=False)
    impor.save()
    return impor


def _progres(impor: ImporRekap, progres: int, status: str | None = None) -> None:
    """Progress for the polling page, and the heartbeat that tells a live worker from a
    killed one (``impor_kedaluwarsa``)."""
    impor.progres, impor.denyut = progres, timezone.now()
    data = {"progres": progres, "denyut": impor.denyut}
    if status:
        impor.status = data["status"] = status
    ImporRekap.objects.filter(pk=impor.pk).update(**data)


def _baca(impor: ImporRekap) -> bytes:
    with impor.berkas.open("rb") as fh:
        return fh.read()


def _rencanakan(impor: ImporRekap, raw: bytes) -> Rencana:
    if impor.jenis == ImporRekap.Jenis.REKAP:
        return rencanakan_rekap(raw, periode=impor.periode, kecamatan=impor.wilayah)
    return rencanakan_jawaban(raw, periode=impor.periode, kabupaten=impor.wilayah)


def _simpan_rencana(impor: ImporRekap, r: Rencana, raw: bytes) -> None:
    impor.total_baris = r.total_baris
    impor.jumlah_galat = r.jumlah_galat
    impor.jumlah_valid = max(0, r.total_baris - r.jumlah_galat)
    h = r.hitungan()
    impor.jumlah_dibuat, impor.jumlah_diperbarui, impor.jumlah_sama = (
        h["created"],
        h["updated"],
        h["unchanged"],
    )
    impor.jumlah_duplikat = r.duplikat
    impor.errors = [
        {"row": e.row, "column": e.column, "message": e.message}
        for e in r.errors[:MAKS_GALAT_DISIMPAN]
    ]
    impor.pratinjau = r.pratinjau
    impor.header_row, impor.sheet = r.header_row, r.sheet
    if r.errors:
        try:
            anotasi = tulis_anotasi(raw, r.errors, r.header_row, r.sheet)
            impor.berkas_anotasi.save(
                f"anotasi-{impor.sha256[:16]}.xlsx", ContentFile(anotasi), save=False
            )
        except BerkasTidakValid:
            log.warning("anotasi gagal untuk impor %s", impor.pk)


def impor_validasi(impor: ImporRekap) -> ImporRekap:
    """Validate every row and match it against the database; nothing is written but the
    staging row (its errors, counts, preview and the annotated workbook). Only a waiting row
    is validated: the claim (menunggu -> memvalidasi) is one conditional UPDATE, so a second
    worker, or a task for a row that expired meanwhile, does nothing."""
    now = timezone.now()
    diklaim = ImporRekap.objects.filter(pk=impor.pk, status=ImporRekap.Status.MENUNGGU).update(
        status=ImporRekap.Status.MEMVALIDASI, progres=5, denyut=now
    )
    impor = ImporRekap.objects.select_related("periode", "wilayah").get(pk=impor.pk)
    if not diklaim:
        return impor
    try:
        raw = _baca(impor)
        _progres(impor, 15)
        r = _rencanakan(impor, raw)
        _progres(impor, 80)
        _simpan_rencana(impor, r, raw)
        impor.status = ImporRekap.Status.GALAT if r.errors else ImporRekap.Status.VALID
        impor.pesan = "" if r.total_baris else "Berkas tidak berisi baris data."
        if not r.total_baris:
            impor.status = ImporRekap.Status.GALAT
    except BerkasTidakValid as e:
        impor.status, impor.pesan = ImporRekap.Status.GALAT, e.message
    except Exception:
        log.exception("validasi impor %s gagal", impor.pk)
        impor.status, impor.pesan = ImporRekap.Status.GAGAL, "Kesalahan sistem saat memvalidasi."
    impor.progres = 100
    impor.save()
    return impor


def impor_klaim(impor: ImporRekap, *, user) -> None:
    """Claim a validated import for saving (a second click, or a second worker, finds nothing)."""
    impor = ImporRekap.objects.select_related("wilayah").get(pk=impor.pk)
    _izin(user, impor.jenis, impor.wilayah)
    n = ImporRekap.objects.filter(pk=impor.pk, status=ImporRekap.Status.VALID).update(
        status=ImporRekap.Status.MENYIMPAN, progres=5, denyut=timezone.now()
    )
    if not n:
        raise GagalTransisi(
            "Hanya impor yang lolos validasi dan belum disimpan yang dapat disimpan."
        )


PESAN_BASI = (
    "Proses berhenti di tengah jalan (tidak ada kabar dari pemroses selama {menit} menit); "
    "tidak ada yang disimpan. Tekan “Coba lagi” untuk memvalidasi ulang berkas yang sama."
)


def impor_kedaluwarsa(now: datetime | None = None, *, pk: int | None = None) -> int:
    """Expire imports left "memvalidasi"/"menyimpan" by a killed worker (no heartbeat for
    ``BASI``) or "menunggu" longer than ``BASI_MENUNGGU``: they become "gagal" with a message
    and can be retried (``impor_ulang``). Set-based and idempotent; returns rows expired.
    ``pk``: only that import (the detail page checks the one it shows).

    A commit runs in one transaction, so a worker killed while saving left nothing behind.
    """
    now = now or timezone.now()
    S_ = ImporRekap.Status

    def basi(batas: datetime) -> Q:
        return Q(denyut__lt=batas) | Q(denyut__isnull=True, dibuat__lt=batas)

    qs = ImporRekap.objects.all() if pk is None else ImporRekap.objects.filter(pk=pk)
    n = 0
    for status, lama in (
        (S_.MEMVALIDASI, BASI),
        (S_.MENYIMPAN, BASI),
        (S_.MENUNGGU, BASI_MENUNGGU),
    ):
        n += qs.filter(basi(now - lama), status=status).update(
            status=S_.GAGAL,
            progres=0,
            denyut=now,
            pesan=PESAN_BASI.format(menit=int(lama.total_seconds() // 60)),
        )
    return n


def sapuan_impor(now: datetime) -> dict[str, int]:
    """BPUM's domain sweep for ``sop_sla`` (registered on the app's ``Modul``)."""
    return {"impor_kedaluwarsa": impor_kedaluwarsa(now)}


def impor_ulang(impor: ImporRekap, *, user) -> ImporRekap:
    """Retry a failed import ("gagal": a system error or an expired claim) with the file
    already stored: back to "menunggu"; the caller enqueues the validation task."""
    impor = ImporRekap.objects.select_related("wilayah").get(pk=impor.pk)
    _izin(user, impor.jenis, impor.wilayah)
    if not impor.berkas:
        raise GagalTransisi("Berkas impor ini tidak tersimpan; unggah ulang berkasnya.")
    n = ImporRekap.objects.filter(pk=impor.pk, status=ImporRekap.Status.GAGAL).update(
        status=ImporRekap.Status.MENUNGGU, progres=0, pesan="", denyut=timezone.now()
    )
    if not n:
        raise GagalTransisi("Hanya impor yang gagal yang dapat dicoba lagi.")
    impor.refresh_from_db()
    return impor


def kunci_periode_impor(periode_id: int) -> None:
    """The round's import lock (exclusive, PostgreSQL, ``sop.kunci``): one import of a round
    commits at a time, and village intakes of the round (which hold it shared,
    ``bpum.services.kunci_nik``) wait for it and it for them. Held until the commit ends."""
    kunci_transaksi("bpum-periode", str(periode_id))


def _sudah_diimpor(impor: ImporRekap) -> ImporRekap | None:
    """Another staging copy of the same file (sha256) already committed for this district and
    round: checked under the round's lock, so two copies committed at once import once."""
    return (
        ImporRekap.objects.filter(
            jenis=impor.jenis,
            periode_id=impor.periode_id,
            wilayah_id=impor.wilayah_id,
            sha256=impor.sha256,
            status=ImporRekap.Status.SELESAI,
        )
        .exclude(pk=impor.pk)
        .order_by("-pk")
        .first()
    )


class _RencanaBerubah(Exception):
    """The plan made under the lock has row errors (the database changed since the preview)."""

    def __init__(self, rencana: Rencana):
        super().__init__("rencana berubah")
        self.rencana = rencana


def impor_terapkan(
    impor: ImporRekap, *, user, now: datetime | None = None, diklaim: bool = False
) -> ImporRekap:
    """Commit a validated import, all or nothing. ``diklaim``: the caller already ran
    ``impor_klaim`` (the background task).

    In one transaction: the round's lock first (``kunci_periode_impor``), then the checks that
    need it: the same file (sha256) committed by another staging copy meanwhile is refused as
    "sudah pernah diimpor", and every row is planned again against the database (natural key
    NIK + round: a row another commit just wrote is now "unchanged"), then written."""
    now = now or timezone.now()
    if not diklaim:
        impor_klaim(impor, user=user)
    impor = ImporRekap.objects.select_related("periode", "wilayah").get(pk=impor.pk)
    if impor.status != ImporRekap.Status.MENYIMPAN:
        raise GagalTransisi("Impor ini tidak sedang disimpan.")
    _progres(impor, 10)
    raw = b""
    try:
        raw = _baca(impor)
        with transaction.atomic():
            kunci_periode_impor(impor.periode_id)
            lama = _sudah_diimpor(impor)
            if lama is not None:
                raise SudahDiimpor(lama)
            r = _rencanakan(impor, raw)
            if r.errors:
                raise _RencanaBerubah(r)
            _progres(impor, 50)
            if impor.jenis == ImporRekap.Jenis.REKAP:
                _terapkan_rekap(impor, r, user=user, now=now)
            else:
                _terapkan_jawaban(impor, r, user=user, now=now)
            h = r.hitungan()
            impor.jumlah_dibuat, impor.jumlah_diperbarui, impor.jumlah_sama = (
                h["created"],
                h["updated"],
                h["unchanged"],
            )
            # "committed" is written in the same transaction as the rows: a copy of the file
            # waiting on the lock then finds it (``_sudah_diimpor``)
            impor.status, impor.selesai_pada, impor.progres = ImporRekap.Status.SELESAI, now, 100
            impor.save()
        return impor
    except _RencanaBerubah as e:
        _simpan_rencana(impor, e.rencana, raw)
        impor.status = ImporRekap.Status.GALAT
        impor.pesan = "Data berubah sejak pratinjau: periksa kesalahan lalu unggah lagi."
    except GagalTransisi as e:
        impor.status, impor.pesan = ImporRekap.Status.GALAT, str(e)
    except BerkasTidakValid as e:
        impor.status, impor.pesan = ImporRekap.Status.GALAT, e.message
    except Exception:
        log.exception("impor %s gagal disimpan", impor.pk)
        impor.status = ImporRekap.Status.GAGAL
        impor.pesan = "Kesalahan sistem: tidak ada yang disimpan."
    impor.progres = 100
    impor.save()
    return impor


def _terapkan_rekap(impor: ImporRekap, r: Rencana, *, user, now: datetime) -> None:
    periode, kecamatan = impor.periode, impor.wilayah
    izin = _izin(user, impor.jenis, kecamatan)
    sop = services.sop_berlaku()
    rekap = services.rekap_terbuka(
        user=user, periode=periode, wilayah=kecamatan, tingkat=Rekap.Tingkat.KECAMATAN, now=now
    )
    kantor_desa = dict(
        Unit.objects.filter(jenis=Unit.Jenis.DESA, wilayah__induk=kecamatan).values_list(
            "wilayah_id", "pk"
        )
    )
    cadangan = izin[0].unit.pk
    nomor = Usulan.nomor_baru(len(r.baru))
    massal.sisip_massal(
        Usulan,
        (
            {
                "sop_id": sop.pk,
                "periode_id": periode.pk,
                "wilayah_id": b.desa_kode,
                "kecamatan_id": kecamatan.pk,
                "unit_id": kantor_desa.get(b.desa_kode, cadangan),
                "nomor": nomor[i],
                "nik": b.nik,
                "no_kk": b.no_kk,
                "nama": b.nama,
                "alamat": b.alamat,
                "bidang_usaha": b.bidang_usaha,
                "no_hp": b.no_hp,
                "status": S.LENGKAP,
                "sumber": Usulan.Sumber.IMPOR,
                "impor_id": impor.pk,
                "rekap_kecamatan_id": rekap.pk,
                "dibuat": now,
                "diubah": now,
                "dibuat_oleh_id": user.pk,
            }
            for i, b in enumerate(r.baru)
        ),
    )
    objs = [  # unsaved stand-ins carrying what the clock arithmetic reads (no full row fetch)
        Usulan(
            pk=pk,
            sop_id=sop.pk,
            wilayah_id=w,
            kecamatan_id=kecamatan.pk,
            unit_id=unit_id,
            status=S.LENGKAP,
        )
        for pk, w, unit_id in Usulan.objects.filter(impor=impor).values_list(
            "pk", "wilayah_id", "unit_id"
        )
    ]
    _progres(impor, 70)
    massal.mulai_proses_massal(
        objs,
        user=user,
        now=now,
        transisi="impor",
        unit=izin[0].unit,
        catatan=f"Diimpor dari rekap kecamatan (berkas {impor.nama_berkas}).",
    )
    _progres(impor, 85)
    if r.ubah:
        ct = ContentType.objects.get_for_model(Usulan)
        per_pk = {pk: (b, ubah) for pk, b, ubah in r.ubah}
        ubah_objs, riwayat = [], []
        for potong in _potong(per_pk):
            for u in Usulan.objects.select_for_update().filter(pk__in=potong):
                b, ubah = per_pk[u.pk]
                for f, (lama, baru) in ubah.items():
                    setattr(u, f, baru)
                    riwayat.append(
                        RiwayatPerubahan(
                            content_type=ct,
                            object_id=str(u.pk),
                            field=f,
                            lama=lama,
                            baru=baru,
                            user=user,
                            waktu=now,
                        )
                    )
                if u.rekap_kecamatan_id is None:
                    u.rekap_kecamatan = rekap
                u.diubah = now
                ubah_objs.append(u)
        Usulan.objects.bulk_update(
            ubah_objs, [*FIELD_BANDING, "rekap_kecamatan", "diubah"], batch_size=1000
        )
        RiwayatPerubahan.objects.bulk_create(riwayat, batch_size=2000)
    services.tandai_duplikat(periode.pk, [b.nik for b in r.baru])
    services.hitung_ulang_rekap(rekap)
    impor.rekap = rekap


def _terapkan_jawaban(impor: ImporRekap, r: Rencana, *, user, now: datetime) -> None:
    for nama, daftar in (("terima_kementerian", r.terima), ("tolak_kementerian", r.tolak)):
        if not daftar:
            continue
        ket = dict(daftar)
        for potong in _potong(ket):
            objs = list(Usulan.objects.select_for_update().filter(pk__in=potong).order_by("pk"))
            massal.jalankan_massal(
                objs,
                nama,
                user=user,
                fields=["keterangan_kementerian"],
                now=now,
                kwargs_per={pk: {"keterangan": ket[pk]} for pk in potong},
                catatan_per={pk: ket[pk] for pk in potong if ket[pk]},
                catatan=f"Jawaban kementerian (berkas {impor.nama_berkas})",
                beritahu=False,
            )
