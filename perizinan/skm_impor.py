"""SKM workbooks (paper questionnaires typed into Excel): read, check, compute, import.

Read only through the project's safe reader (``sop.lembar``). The header row is found by its
names: the nine unsur as ``U1``..``U9`` or by their names (Persyaratan, Prosedur, Waktu, ...);
every other column (No, Tanggal, Jenis Layanan, Jenis Kelamin, Pendidikan, Pekerjaan, ...) is
kept as the respondent's profile. A score must be a whole number 1-4; a missing unsur column or
a bad score is reported by Excel row and column and nothing is computed or saved.

    hasil = periksa_skm(raw)               # upload check + baca_skm: rows, errors (never raises)
    ikm.hitung(hasil.skor())               # perizinan_ikm
    impor = skm_impor_buat(...)            # staged: valid | galat, nothing written yet
    skm_impor_terapkan(impor, user=...)    # all or nothing; the same file twice creates nothing
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sop.lembar import (
    BerkasTidakValid,
    Jenis,
    Kolom,
    baca_lembar_mentah,
    baca_tabel,
    normalisasi_nama,
    teks_sel,
)
from sop.unggah import TABEL, XLSX, BerkasDitolak, nama_simpan, periksa_unggahan

from .models import JenisLayanan
from .models.skm import ImporSkm, ResponSkm

MAKS_BARIS = 20_000

# key, header, aliases: U1..U9 or the unsur's names as questionnaires and reports write them
UNSUR_KOLOM = (
    (
        "u1",
        "U1",
        ("Unsur 1", "U 1", "Persyaratan", "Persyaratan Pelayanan", "Kesesuaian Persyaratan"),
    ),
    (
        "u2",
        "U2",
        (
            "Unsur 2",
            "U 2",
            "Prosedur",
            "Sistem Mekanisme dan Prosedur",
            "Sistem, Mekanisme, dan Prosedur",
            "Kemudahan Prosedur",
        ),
    ),
    (
        "u3",
        "U3",
        ("Unsur 3", "U 3", "Waktu", "Waktu Penyelesaian", "Waktu Pelayanan", "Kecepatan Waktu"),
    ),
    ("u4", "U4", ("Unsur 4", "U 4", "Biaya", "Biaya/Tarif", "Tarif", "Kewajaran Biaya")),
    (
        "u5",
        "U5",
        (
            "Unsur 5",
            "U 5",
            "Produk",
            "Produk Layanan",
            "Produk Spesifikasi Jenis Pelayanan",
            "Kesesuaian Produk",
        ),
    ),
    ("u6", "U6", ("Unsur 6", "U 6", "Kompetensi", "Kompetensi Pelaksana", "Kompetensi Petugas")),
    (
        "u7",
        "U7",
        (
            "Unsur 7",
            "U 7",
            "Perilaku",
            "Perilaku Pelaksana",
            "Perilaku Petugas",
            "Kesopanan dan Keramahan",
        ),
    ),
    (
        "u8",
        "U8",
        (
            "Unsur 8",
            "U 8",
            "Sarana",
            "Sarana dan Prasarana",
            "Sarpras",
            "Kualitas Sarana dan Prasarana",
        ),
    ),
    (
        "u9",
        "U9",
        (
            "Unsur 9",
            "U 9",
            "Pengaduan",
            "Penanganan Pengaduan",
            "Penanganan Pengaduan, Saran dan Masukan",
            "Penanganan Pengaduan Saran dan Masukan",
        ),
    ),
)
PROFIL_KOLOM = (
    Kolom("no", "No", ("Nomor", "No.", "No Urut", "No Responden"), required=False),
    Kolom(
        "tanggal",
        "Tanggal",
        ("Tgl", "Tanggal Survei", "Tanggal Pengisian"),
        jenis=Jenis.TANGGAL,
        required=False,
    ),
    Kolom(
        "jenis_layanan",
        "Jenis Layanan",
        ("Layanan", "Jenis Pelayanan", "Nama Layanan"),
        required=False,
        max_len=300,
    ),
    Kolom("jenis_kelamin", "Jenis Kelamin", ("JK", "L/P", "Kelamin"), required=False, max_len=20),
    Kolom("umur", "Umur", ("Usia",), required=False, max_len=20),
    Kolom("pendidikan", "Pendidikan", ("Pendidikan Terakhir",), required=False, max_len=100),
    Kolom("pekerjaan", "Pekerjaan", ("Pekerjaan Utama",), required=False, max_len=100),
    Kolom(
        "saran",
        "Saran",
        ("Saran dan Masukan", "Kritik dan Saran", "Masukan"),
        required=False,
        max_len=2000,
    ),
)


def _kolom() -> tuple[Kolom, ...]:
    unsur = tuple(
        Kolom(key, label, aliases, jenis=Jenis.ANGKA, required=False)
        for key, label, aliases in UNSUR_KOLOM
    )
    return unsur + PROFIL_KOLOM


def skm_templat() -> bytes:
    """A blank workbook for typing paper questionnaires: the profile columns, then U1..U9 (each
    header's comment names its unsur and the 1-4 scale), then the suggestion. ``baca_skm``
    reads it back as it is."""
    from dataclasses import replace

    from sop.lembar import template_tabel

    from .ikm import UNSUR

    nama = dict(UNSUR)
    profil = {k.key: k for k in PROFIL_KOLOM}
    unsur = tuple(
        Kolom(key, label, catatan=f"{nama[key]}: 1, 2, 3 atau 4", lebar=6)
        for key, label, _a in UNSUR_KOLOM
    )
    kolom = (
        *(profil[k] for k in ("no", "tanggal", "jenis_layanan", "jenis_kelamin", "umur")),
        *(profil[k] for k in ("pendidikan", "pekerjaan")),
        *unsur,
        replace(profil["saran"], lebar=40),
    )
    return template_tabel(
        kolom,
        judul="SURVEI KEPUASAN MASYARAKAT (Permenpan RB 14/2017)",
        catatan=(
            "Satu baris per responden. U1-U9: nilai 1 (tidak baik) sampai 4 (sangat baik). "
            "Jenis Kelamin L/P. Kolom lain boleh ditambah; disimpan sebagai profil responden."
        ),
        nama_lembar="SKM",
        petunjuk=(
            "Petunjuk pengisian",
            *(f"{key.upper()}: {nama[key]}" for key, _l, _a in UNSUR_KOLOM),
        ),
    )


@dataclass
class BarisSkm:
    row: int
    skor: list[int]
    profil: dict
    tanggal: dt.date | None = None
    jenis_layanan: str = ""
    saran: str = ""


@dataclass
class HasilSkm:
    rows: list[BarisSkm] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    header_row: int = 0
    sheet: str = ""
    total_rows: int = 0
    bukan_xlsx: bool = False  # refused by the upload check: not a workbook at all

    def skor(self) -> list[list[int]]:
        return [b.skor for b in self.rows]


def _galat(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def _jenis_kelamin(v: str) -> str:
    s = normalisasi_nama(v)
    if s in ("l", "lakilaki", "pria", "lk"):
        return "L"
    if s in ("p", "perempuan", "wanita", "pr"):
        return "P"
    return v


def baca_skm(raw: bytes, *, max_rows: int = MAKS_BARIS) -> HasilSkm:
    """Read and check an SKM workbook. Raises ``BerkasTidakValid`` for a file that cannot be
    read at all; every other problem is an error with its Excel row and column."""
    kolom = _kolom()

    def periksa(baris, salah):
        for key, label, _a in UNSUR_KOLOM:
            v = baris.nilai.get(key)
            if v is None:
                salah(key, _("%(u)s is empty: fill in a score 1-4.") % {"u": label})
            elif not (isinstance(v, Decimal) and v == v.to_integral_value() and 1 <= v <= 4):
                teks = format(v.normalize(), "f") if isinstance(v, Decimal) else v
                salah(
                    key,
                    _("%(u)s must be a whole number 1-4, not “%(v)s”.") % {"u": label, "v": teks},
                )

    hasil = baca_tabel(raw, kolom, max_rows=max_rows, periksa=periksa, format=("xlsx",))
    out = HasilSkm(header_row=hasil.header_row, sheet=hasil.sheet, total_rows=hasil.total_rows)
    kurang = [(key, label) for key, label, _a in UNSUR_KOLOM if key not in hasil.kolom]
    if kurang:
        out.errors = [
            _galat(
                hasil.header_row,
                label,
                _("Column %(u)s (%(n)s) is missing from the header row.")
                % {"u": label, "n": _nama_unsur(key)},
            )
            for key, label in kurang
        ]
        return out
    out.errors = [_galat(e.row, e.column, e.message) for e in hasil.errors]
    if out.errors:
        return out
    # the other columns, kept as the profile: the same sheet read raw through the same guard
    lain = {}
    mentah = baca_lembar_mentah(raw, [hasil.sheet], max_rows=max_rows).get(hasil.sheet) or []
    if len(mentah) >= hasil.header_row:
        judul = mentah[hasil.header_row - 1]
        dipakai = {p - 1 for p in hasil.posisi.values()}
        for j, t in enumerate(judul):
            teks = teks_sel(t) if t not in (None, "") else ""
            if j not in dipakai and teks:
                lain[j] = teks[:60]
    for b in hasil.rows:
        profil = {
            k: str(b.nilai[k]).strip()
            for k in ("no", "umur", "pendidikan", "pekerjaan")
            if b.nilai.get(k) not in (None, "")
        }
        if b.nilai.get("jenis_kelamin"):
            profil["jenis_kelamin"] = _jenis_kelamin(str(b.nilai["jenis_kelamin"]))
        baris_mentah = mentah[b.row - 1] if len(mentah) >= b.row else []
        for j, nama in lain.items():
            if j < len(baris_mentah) and baris_mentah[j] not in (None, ""):
                profil[nama] = teks_sel(baris_mentah[j])[:300]
        if b.nilai.get("jenis_layanan"):
            profil["jenis_layanan"] = str(b.nilai["jenis_layanan"])
        out.rows.append(
            BarisSkm(
                row=b.row,
                skor=[int(b.nilai[f"u{i}"]) for i in range(1, 10)],
                profil=profil,
                tanggal=b.nilai.get("tanggal"),
                jenis_layanan=str(b.nilai.get("jenis_layanan") or ""),
                saran=str(b.nilai.get("saran") or ""),
            )
        )
    if not out.rows and not out.errors:
        out.errors = [
            _galat(hasil.header_row + 1, "", _("The workbook has no answers below its header row."))
        ]
    return out


def periksa_skm(raw: bytes) -> HasilSkm:
    """The upload check (``sop.unggah``: an Excel workbook by its content, the portal's size
    limit), then ``baca_skm``. A file refused as a whole gives one error on row 0; nothing
    raises. The commands, the screen and the staged import all read through this."""
    try:
        periksa_unggahan(raw, boleh=TABEL, label=_("SKM workbook"))
    except BerkasDitolak as e:
        return HasilSkm(errors=[_galat(0, "", e.message)], bukan_xlsx=True)
    try:
        return baca_skm(raw)
    except BerkasTidakValid as e:
        return HasilSkm(errors=[_galat(0, "", e.message)])


def _nama_unsur(key: str) -> str:
    from .ikm import UNSUR

    return dict(UNSUR)[key]


# --------------------------------------------------------------------------- staged import
class SudahDiimpor(Exception):
    def __init__(self, lama: ImporSkm):
        super().__init__(
            _("This file was already imported on %(t)s (%(n)s answers): nothing is imported twice.")
            % {
                "t": timezone.localtime(lama.selesai_pada).strftime("%d-%m-%Y %H:%M"),
                "n": lama.jumlah_dibuat,
            }
        )
        self.lama = lama


def _cocok_layanan(unit) -> dict[str, JenisLayanan]:
    peta = {}
    for j in JenisLayanan.objects.filter(unit=unit):
        peta[normalisasi_nama(j.nama)] = j
        peta[normalisasi_nama(j.kode)] = j
    return peta


def _sudah(unit_id, sha: str) -> None:
    lama = ImporSkm.objects.filter(
        unit_id=unit_id, sha256=sha, status=ImporSkm.Status.SELESAI
    ).first()
    if lama is not None:
        raise SudahDiimpor(lama)


@transaction.atomic
def skm_impor_terima(
    *, user, unit, berkas, nama_berkas: str, now: datetime | None = None
) -> ImporSkm:
    """Stage an upload for the background check without parsing it: hash it, refuse a file
    already committed (``SudahDiimpor``), store it under a server-chosen name, status
    ``menunggu``. ``berkas`` is an uploaded file already through ``periksa_unggahan``."""
    now = now or timezone.now()
    h = hashlib.sha256()
    for chunk in berkas.chunks():
        h.update(chunk)
    sha = h.hexdigest()
    _sudah(unit.pk, sha)
    berkas.seek(0)
    impor = ImporSkm(
        unit=unit,
        nama_berkas=(nama_berkas or "skm.xlsx")[:255],
        sha256=sha,
        status=ImporSkm.Status.MENUNGGU,
        dibuat=now,
        dibuat_oleh=user,
    )
    impor.berkas.save(nama_simpan(XLSX), berkas, save=False)
    impor.save()
    return impor


def skm_impor_validasi(impor: ImporSkm) -> ImporSkm:
    """Background step: claim a ``menunggu`` row (``memvalidasi``), read the stored file through
    the FieldFile (works on any storage), then ``valid`` or ``galat`` with the errors."""
    n = ImporSkm.objects.filter(pk=impor.pk, status=ImporSkm.Status.MENUNGGU).update(
        status=ImporSkm.Status.MEMVALIDASI
    )
    impor = ImporSkm.objects.get(pk=impor.pk)
    if not n:  # claimed by another worker or already done
        return impor
    try:
        with impor.berkas.open("rb") as f:
            raw = f.read()
        hasil = periksa_skm(raw)
    except Exception as e:  # noqa: BLE001 - any failure lands on the row
        return _gagal(impor, _("The workbook could not be checked: %(e)s") % {"e": e})
    impor.status = ImporSkm.Status.GALAT if hasil.errors else ImporSkm.Status.VALID
    impor.errors = hasil.errors[:5000]
    impor.total_baris = hasil.total_rows
    impor.header_row = hasil.header_row
    impor.sheet = hasil.sheet[:100]
    impor.save(update_fields=["status", "errors", "total_baris", "header_row", "sheet"])
    return impor


def _gagal(impor: ImporSkm, pesan: str) -> ImporSkm:
    ImporSkm.objects.filter(pk=impor.pk).update(
        status=ImporSkm.Status.GAGAL, errors=[_galat(0, "", pesan)]
    )
    return ImporSkm.objects.get(pk=impor.pk)


def skm_impor_antre_simpan(impor: ImporSkm) -> bool:
    """The commit button: a ``valid`` row becomes ``menyimpan`` (True), once only."""
    return bool(
        ImporSkm.objects.filter(pk=impor.pk, status=ImporSkm.Status.VALID).update(
            status=ImporSkm.Status.MENYIMPAN
        )
    )


def skm_impor_simpan_latar(impor: ImporSkm, *, user, now: datetime | None = None) -> ImporSkm:
    """Background commit of a ``menyimpan`` row: all or nothing; "already imported", a
    conflicting commit (IntegrityError) or any failure ends as ``gagal`` with the reason."""
    try:
        return skm_impor_terapkan(impor, user=user, now=now, boleh=ImporSkm.Status.MENYIMPAN)
    except SudahDiimpor as e:
        return _gagal(impor, str(e))
    except IntegrityError:
        return _gagal(
            impor,
            _("The same file was saved at the same time by another import: nothing was saved."),
        )
    except Exception as e:  # noqa: BLE001 - any failure lands on the row
        return _gagal(impor, _("Saving failed, nothing was saved: %(e)s") % {"e": e})


@transaction.atomic
def skm_impor_buat(
    *, user, unit, raw: bytes, nama_berkas: str, now: datetime | None = None
) -> ImporSkm:
    """Stage an upload synchronously (the commands): read and check every row (nothing is saved
    but the staging row and the file). The same file already committed raises ``SudahDiimpor``."""
    now = now or timezone.now()
    sha = hashlib.sha256(raw).hexdigest()
    _sudah(unit.pk, sha)
    hasil = periksa_skm(raw)
    errors = hasil.errors
    impor = ImporSkm(
        unit=unit,
        nama_berkas=(nama_berkas or "skm.xlsx")[:255],
        sha256=sha,
        status=ImporSkm.Status.GALAT if errors else ImporSkm.Status.VALID,
        total_baris=hasil.total_rows,
        errors=errors[:5000],
        header_row=hasil.header_row,
        sheet=hasil.sheet[:100],
        dibuat=now,
        dibuat_oleh=user,
    )
    if not hasil.bukan_xlsx:  # not a workbook at all: the reason, no file kept
        impor.berkas.save(nama_simpan(XLSX), ContentFile(raw), save=False)
    impor.save()
    return impor


@transaction.atomic
def skm_impor_terapkan(
    impor: ImporSkm, *, user, now: datetime | None = None, boleh: str = ImporSkm.Status.VALID
) -> ImporSkm:
    """Commit a staged import in status ``boleh``: takes the row lock first, re-checks "already
    imported" inside it, then every answer or none (re-read from the stored file)."""
    now = now or timezone.now()
    impor = ImporSkm.objects.select_for_update().get(pk=impor.pk)
    if impor.status != boleh:
        return impor
    _sudah(impor.unit_id, impor.sha256)
    with impor.berkas.open("rb") as f:
        raw = f.read()
    hasil = periksa_skm(raw)
    if hasil.errors:
        impor.status, impor.errors = ImporSkm.Status.GALAT, hasil.errors[:5000]
        impor.save(update_fields=["status", "errors"])
        return impor
    peta = _cocok_layanan(impor.unit)
    hari = timezone.localdate(now)
    objs = [
        ResponSkm(
            unit_id=impor.unit_id,
            jenis=peta.get(normalisasi_nama(b.jenis_layanan)) if b.jenis_layanan else None,
            tanggal=b.tanggal or hari,
            profil=b.profil,
            saran=b.saran[:2000],
            sumber=ResponSkm.Sumber.IMPOR,
            impor=impor,
            baris=b.row,
            **{f"u{i}": s for i, s in enumerate(b.skor, 1)},
        )
        for b in hasil.rows
    ]
    ResponSkm.objects.bulk_create(objs, batch_size=1000)
    impor.status, impor.jumlah_dibuat, impor.selesai_pada = ImporSkm.Status.SELESAI, len(objs), now
    try:
        with transaction.atomic():
            impor.save(update_fields=["status", "jumlah_dibuat", "selesai_pada"])
    except IntegrityError as e:  # the same file committed concurrently
        raise SudahDiimpor(
            ImporSkm.objects.get(
                unit_id=impor.unit_id, sha256=impor.sha256, status=ImporSkm.Status.SELESAI
            )
        ) from e
    return impor
