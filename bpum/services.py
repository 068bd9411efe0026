"""Writes of the BPUM module. Every state change of a proposal goes through the engine:
``sop.engine.jalankan`` for one proposal, ``sop.massal.jalankan_massal`` for the proposals of a
rekap (same checks, once per batch). Views, commands and importers call only these functions.

Strict tier order: a level acts only on what the level below has passed on (source states plus
the conditions on ``Usulan``'s transitions: e.g. the agency accepts only proposals in a rekap the
district has sent; the ministry's answer is recorded only for proposals forwarded to it).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from sop import massal
from sop.engine import (
    GagalTransisi,
    TidakBerwenang,
    cari_izin,
    jalankan,
    mulai_proses,
    nama_peran,
    peran_boleh,
    periksa_dulu,
    simpan_perubahan,
)
from sop.idempoten import ikat_token, klaim_token
from sop.kunci import kunci_transaksi
from sop.models import Sop, Unit, Wilayah
from sop.selectors import memuat, penugasan_aktif, tugas_untuk
from sop.teks import cek_teks

from .models import (
    DOKUMEN_FIELD,
    LANGKAH_DESA,
    LANGKAH_DINAS,
    LANGKAH_KECAMATAN,
    AlasanPengembalian,
    Dokumen,
    DuplikatKeputusan,
    Periode,
    Rekap,
    Usulan,
)
from .validasi import cek_berkas_dokumen, cek_nik, cek_no_hp, cek_no_kk, nama_simpan_dokumen

S = Usulan.Status

# Transitions an officer performs on one proposal; the others move a whole rekap.
TRANSISI_TUNGGAL = {
    "tandai_lengkap",
    "kembalikan_berkas",
    "lengkapi_berkas",
    "kembalikan_ke_desa",
    "terima_kementerian",
    "tolak_kementerian",
}


# --------------------------------------------------------------------------- helpers
def sop_berlaku() -> Sop:
    sop = Sop.objects.berlaku().filter(kode=Usulan.SOP_KODE).first()
    if sop is None:
        raise GagalTransisi("SOP PAIS-UMI belum dimuat (jalankan manage.py setup_portal).")
    return sop


def langkah_sop(sop, kode: str | None):
    """Step ``kode`` of SOP revision ``sop`` (the revision's shared step cache)."""
    return sop.langkah_per_kode().get(kode) if kode else None


def hanya_baca(user) -> bool:
    """The user's BPUM assignments are all read-only oversight (e.g. the province)."""
    tugas = [t for t in penugasan_aktif(user) if Usulan.LAYANAN in t.layanan]
    return bool(tugas) and all(t.hanya_baca for t in tugas)


def izin_wilayah(
    user,
    wilayah_kode: str,
    langkah_kode: str,
    *,
    sop: Sop | None = None,
    tindakan: str = "Tindakan ini",
):
    """(Tugas, role id) allowing ``user`` to perform step ``langkah_kode`` in ``wilayah_kode``,
    or TidakBerwenang with an Indonesian message."""
    sop = sop or sop_berlaku()
    langkah = langkah_sop(sop, langkah_kode)
    izin = (
        tugas_untuk(user, Usulan.LAYANAN, wilayah_kode, peran_boleh(langkah))
        if (langkah is not None and getattr(user, "is_authenticated", False))
        else None
    )
    if izin is None:
        if hanya_baca(user):
            raise TidakBerwenang(
                "Kantor Anda bertugas mengawasi (hanya baca): tidak dapat melakukan tindakan."
            )
        raise TidakBerwenang(
            f"{tindakan} hanya dapat dilakukan oleh {nama_peran(langkah) if langkah else '-'} "
            "di kantor yang wilayahnya mencakup data ini."
        )
    return izin


def kantor(wilayah_kode: str, jenis: str) -> Unit | None:
    return Unit.objects.filter(wilayah_id=wilayah_kode, jenis=jenis).order_by("pk").first()


# --------------------------------------------------------------------------- intake
def desa_pilihan(user) -> list[Wilayah]:
    """Villages where ``user`` may receive proposals (role of the village step, in scope)."""
    sop = Sop.objects.berlaku().filter(kode=Usulan.SOP_KODE).first()
    if sop is None:
        return []
    langkah = langkah_sop(sop, LANGKAH_DESA)
    peran = peran_boleh(langkah) if langkah else set()
    q = Q()
    ada = False
    for t in penugasan_aktif(user):
        if t.hanya_baca or Usulan.LAYANAN not in t.layanan or not (t.peran_ids & peran):
            continue
        ada = True
        q |= Q(kode=t.wilayah_kode) | Q(kode__startswith=t.wilayah_kode + ".")
    if not ada:
        return []
    return list(Wilayah.objects.filter(q, tingkat=Wilayah.Tingkat.DESA).order_by("nama"))


def periode_terbuka_untuk(wilayah_kode: str, pada=None) -> list[Periode]:
    hari = pada or timezone.localdate()
    return [
        p
        for p in Periode.objects.filter(wilayah_id=wilayah_kode[:5]).select_related("wilayah")
        if p.terbuka(hari)
    ]


def validasi_data(data: dict) -> tuple[dict, dict]:
    """Cleaned fields and {field: message} of an intake form (Indonesian messages). Text goes
    through ``sop.teks``: invisible characters removed, reading-direction and control
    characters refused with a message naming the field."""
    bersih, galat = {}, {}
    nik, pesan = cek_nik(data.get("nik", ""))
    if pesan:
        galat["nik"] = pesan
    bersih["nik"] = nik
    kk, pesan = cek_no_kk(data.get("no_kk", ""))
    if pesan:
        galat["no_kk"] = pesan
    bersih["no_kk"] = kk
    for f, label, maks in (("nama", "Nama lengkap", 200), ("alamat", "Alamat sesuai KTP", 300)):
        v, pesan = cek_teks(data.get(f), label=label)
        if pesan:
            galat[f] = pesan
        elif not v:
            galat[f] = f"{label} wajib diisi."
        elif len(v) > maks:
            galat[f] = f"{label} maksimal {maks} karakter."
        bersih[f] = v
    v, pesan = cek_teks(data.get("bidang_usaha"), label="Bidang usaha")
    if pesan:
        galat["bidang_usaha"] = pesan
    bersih["bidang_usaha"] = v[:120]
    hp, pesan = cek_no_hp(data.get("no_hp", ""))
    if pesan:
        galat["no_hp"] = pesan
    bersih["no_hp"] = hp
    bersih["bukan_pegawai"] = bool(data.get("bukan_pegawai"))
    bersih["tidak_menerima_kur"] = bool(data.get("tidak_menerima_kur"))
    return bersih, galat


def kunci_nik(periode_id: int, nik: str) -> None:
    """Serialise the writers of one NIK in one round (PostgreSQL advisory locks, see
    ``sop.kunci``): a shared lock on the round (a district import of the round takes it
    exclusively, ``bpum.impor``), then an exclusive lock on the NIK. Taken before the check
    "already registered?" and held until commit, so two simultaneous intakes of one NIK see each
    other: the second finds the first (same village) or flags both (another village)."""
    kunci_transaksi("bpum-periode", str(periode_id), bersama=True)
    kunci_transaksi("bpum-nik", f"{periode_id}:{nik}")


def usulan_terdaftar(periode_id: int, desa_kode: str, nik: str) -> Usulan | None:
    """The proposal of this NIK already registered in this village in this round (not dropped
    as a duplicate). At most one: ``bpum_usulan_nik_desa_unik``."""
    return (
        Usulan.objects.filter(periode_id=periode_id, wilayah_id=desa_kode, nik=nik)
        .exclude(status=S.GUGUR)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def usulan_buat(
    *,
    user,
    desa: Wilayah,
    data: dict,
    berkas: dict | None = None,
    periode: Periode | None = None,
    now: datetime | None = None,
    token: str = "",
) -> Usulan:
    """A village officer receives a proposal (the applicant brought the file): the record starts
    in ``diajukan`` and the village step's clock starts (``sop.engine.mulai_proses``).

    Creates one record per applicant and form, also under concurrency:

    * ``token``: the form's idempotency token (``sop.idempoten``): the same form sent twice (a
      double click, a resent POST) returns the record the first POST created;
    * the same NIK already registered in this village in this round returns that proposal
      instead of a second one (even if the rest of the form has errors);
    * the same NIK in another village (or district) creates the proposal flagged as a possible
      duplicate, together with the earlier ones, for the agency to decide.

    The returned proposal's ``sudah_terdaftar`` says which: "" (created), "formulir" (same
    form) or "nik" (already registered in this village). The check and the write run under the
    NIK's lock (``kunci_nik``), so simultaneous intakes on separate connections see each other.
    """
    now = now or timezone.now()
    if desa.tingkat != Wilayah.Tingkat.DESA:
        raise ValidationError({"desa": "Pilih desa/kelurahan."})
    sop = sop_berlaku()
    izin_wilayah(user, desa.kode, LANGKAH_DESA, sop=sop, tindakan="Penerimaan usulan")
    if periode is None:
        terbuka = periode_terbuka_untuk(desa.kode, timezone.localdate(now))
        if not terbuka:
            raise ValidationError(
                {"periode": "Tidak ada periode BPUM yang dibuka untuk wilayah ini."}
            )
        periode = terbuka[0]
    elif not periode.terbuka(timezone.localdate(now)) or not desa.kode.startswith(
        periode.wilayah_id + "."
    ):
        raise ValidationError({"periode": "Periode BPUM ini tidak dibuka untuk wilayah ini."})
    bersih, galat = validasi_data(data)
    klaim = None
    if bersih["nik"]:
        kunci_nik(periode.pk, bersih["nik"])
        klaim, lama = klaim_token(token, user=user)
        if isinstance(lama, Usulan):
            lama.sudah_terdaftar = "formulir"
            return lama
        ada = usulan_terdaftar(periode.pk, desa.kode, bersih["nik"])
        if ada is not None:
            ikat_token(klaim, ada)
            ada.sudah_terdaftar = "nik"
            return ada
    berkas = {k: v for k, v in (berkas or {}).items() if v}
    for jenis, f in berkas.items():
        if jenis not in DOKUMEN_FIELD:
            galat[jenis] = "Jenis dokumen tidak dikenal."
            continue
        pesan = cek_berkas_dokumen(f, label=Dokumen(jenis).label)
        if pesan:
            galat[DOKUMEN_FIELD[jenis]] = pesan
    if galat:
        raise ValidationError(galat)
    unit = kantor(desa.kode, Unit.Jenis.DESA)
    if unit is None:
        raise ValidationError({"desa": "Kantor desa/kelurahan ini belum terdaftar di portal."})
    u = Usulan(
        sop=sop,
        wilayah=desa,
        unit=unit,
        kecamatan_id=desa.induk_id,
        periode=periode,
        nomor=Usulan.nomor_baru()[0],
        dibuat_oleh=user,
        dibuat=now,
        diubah=now,
        status=S.DIAJUKAN,
        sumber=Usulan.Sumber.LOKET,
        **bersih,
    )
    for jenis, f in berkas.items():
        getattr(u, DOKUMEN_FIELD[jenis]).save(nama_simpan_dokumen(f), f, save=False)
    u.save()
    mulai_proses(u, user=user, now=now, catatan="Usulan diterima di kantor desa/kelurahan.")
    ikat_token(klaim, u)
    tandai_duplikat(periode.pk, [u.nik])
    u.refresh_from_db(fields=["duplikat"])
    u.sudah_terdaftar = ""
    return u


@transaction.atomic
def usulan_unggah_dokumen(*, user, usulan: Usulan, jenis: str, berkas) -> Usulan:
    """Attach a document while the village office holds the file."""
    u = Usulan.objects.select_for_update().select_related("periode").get(pk=usulan.pk)
    if u.status not in (S.DIAJUKAN, S.DIKEMBALIKAN):
        raise GagalTransisi("Dokumen hanya dapat diunggah selama berkas di kantor desa/kelurahan.")
    izin_wilayah(user, u.wilayah_id, LANGKAH_DESA, sop=u.sop, tindakan="Unggah dokumen")
    if jenis not in DOKUMEN_FIELD:
        raise ValidationError({"jenis": "Jenis dokumen tidak dikenal."})
    if not berkas:
        raise ValidationError({"berkas": "Pilih berkas yang akan diunggah."})
    pesan = cek_berkas_dokumen(berkas, label=Dokumen(jenis).label)
    if pesan:
        raise ValidationError({"berkas": pesan})
    getattr(u, DOKUMEN_FIELD[jenis]).save(nama_simpan_dokumen(berkas), berkas, save=False)
    u.diubah = timezone.now()
    u.save(update_fields=[DOKUMEN_FIELD[jenis], "diubah"])
    return u


@transaction.atomic
def usulan_pernyataan(*, user, usulan: Usulan, bukan_pegawai: bool, tidak_menerima_kur: bool):
    u = Usulan.objects.select_for_update().get(pk=usulan.pk)
    if u.status not in (S.DIAJUKAN, S.DIKEMBALIKAN):
        raise GagalTransisi("Pernyataan hanya dapat diubah selama berkas di kantor desa/kelurahan.")
    izin_wilayah(user, u.wilayah_id, LANGKAH_DESA, sop=u.sop, tindakan="Ubah pernyataan")
    simpan_perubahan(
        u,
        user=user,
        data={"bukan_pegawai": bool(bukan_pegawai), "tidak_menerima_kur": bool(tidak_menerima_kur)},
    )
    return u


DATA_BISA_DIUBAH = ("no_kk", "nama", "alamat", "bidang_usaha", "no_hp")


@transaction.atomic
def usulan_ubah_data(*, user, usulan: Usulan, data: dict, now: datetime | None = None) -> list[str]:
    """The village officer corrects the applicant's data while the file is at the village.
    Every changed field is kept in the field history (``sop.engine.simpan_perubahan``). The NIK
    is the proposal's key in the round (duplicates, the ministry's answer): a wrong NIK means a
    new intake, not an edit. Returns the changed fields."""
    u = Usulan.objects.select_for_update().get(pk=usulan.pk)
    if u.status not in (S.DIAJUKAN, S.DIKEMBALIKAN):
        raise GagalTransisi("Data hanya dapat diubah selama berkas di kantor desa/kelurahan.")
    izin_wilayah(user, u.wilayah_id, LANGKAH_DESA, sop=u.sop, tindakan="Ubah data usulan")
    gabung = {f: getattr(u, f) for f in ("nik", *DATA_BISA_DIUBAH)}
    gabung.update({f: data[f] for f in DATA_BISA_DIUBAH if f in data})
    bersih, galat = validasi_data(gabung)
    galat = {f: m for f, m in galat.items() if f in DATA_BISA_DIUBAH}
    if galat:
        raise ValidationError(galat)
    ubah = simpan_perubahan(u, user=user, data={f: bersih[f] for f in DATA_BISA_DIUBAH}, now=now)
    if ubah:
        u.diubah = now or timezone.now()
        u.save(update_fields=["diubah"])
    return ubah


# --------------------------------------------------------------------------- one proposal
def usulan_transisi(
    *,
    user,
    usulan: Usulan,
    nama: str,
    catatan: str = "",
    alasan_ids=(),
    status_terlihat: str | None = None,
    now: datetime | None = None,
) -> Usulan:
    """One proposal, one transition, through ``sop.engine.jalankan``: the engine checks the
    state, the role and region, the reason and the documents (after taking the lock, so a stale
    form gets its conflict message)."""
    if nama not in TRANSISI_TUNGGAL:
        raise GagalTransisi("Tindakan ini dilakukan per rekap, bukan per usulan.")
    catatan = (catatan or "").strip()
    alasan = []
    if nama == "kembalikan_berkas":
        alasan = list(AlasanPengembalian.objects.filter(pk__in=list(alasan_ids or []), aktif=True))
        if not alasan:
            raise GagalTransisi("Pilih minimal satu alasan pengembalian berkas.")
        catatan = "; ".join([a.teks for a in alasan] + ([catatan] if catatan else []))
    kwargs = {"keterangan": catatan} if nama in ("terima_kementerian", "tolak_kementerian") else {}
    with transaction.atomic():
        obj = jalankan(
            getattr(usulan, nama),
            user=user,
            catatan=catatan,
            now=now,
            status_terlihat=status_terlihat,
            kwargs=kwargs,
        )
        if nama == "kembalikan_berkas":
            obj.alasan_pengembalian.set(alasan)
        elif nama == "tandai_lengkap":
            obj.alasan_pengembalian.clear()
    return obj


# --------------------------------------------------------------------------- rekap
def _kunci_periode(periode: Periode) -> Periode:
    return Periode.objects.select_for_update().get(pk=periode.pk)


def _nomor_rekap(periode: Periode, wilayah_kode: str, tingkat: str) -> str:
    n = Rekap.objects.filter(periode=periode, wilayah_id=wilayah_kode).count() + 1
    awal = "RKC" if tingkat == Rekap.Tingkat.KECAMATAN else "RKB"
    return f"{awal}-{periode.kode}-{wilayah_kode}-{n:03d}"


@transaction.atomic
def rekap_terbuka(
    *, user, periode: Periode, wilayah: Wilayah, tingkat: str, now: datetime | None = None
) -> Rekap:
    """The batch being compiled for this district (or regency) and round: created on demand."""
    now = now or timezone.now()
    langkah = LANGKAH_KECAMATAN if tingkat == Rekap.Tingkat.KECAMATAN else LANGKAH_DINAS
    tingkat_wilayah = (
        Wilayah.Tingkat.KECAMATAN
        if tingkat == Rekap.Tingkat.KECAMATAN
        else (Wilayah.Tingkat.KABUPATEN)
    )
    if wilayah.tingkat != tingkat_wilayah or not memuat(periode.wilayah_id, wilayah.kode):
        raise GagalTransisi("Wilayah rekap tidak sesuai dengan periode.")
    izin = izin_wilayah(user, wilayah.kode, langkah, tindakan="Menyusun rekap")
    _kunci_periode(periode)
    ada = Rekap.objects.filter(
        periode=periode, wilayah=wilayah, tingkat=tingkat, status__in=Rekap.TERBUKA
    ).first()
    if ada:
        return ada
    rekap = Rekap.objects.create(
        sop=sop_berlaku(),
        periode=periode,
        tingkat=tingkat,
        wilayah=wilayah,
        unit=izin[0].unit,
        nomor=_nomor_rekap(periode, wilayah.kode, tingkat),
        dibuat=now,
        dibuat_oleh=user,
    )
    mulai_proses(rekap, user=user, now=now, catatan=f"Rekap {rekap.nomor} disusun.")
    return rekap


def _kunci_rekap(rekap: Rekap) -> Rekap:
    return Rekap.objects.select_for_update().select_related("periode", "wilayah").get(pk=rekap.pk)


def hitung_ulang_rekap(rekap: Rekap) -> None:
    f = "rekap_kecamatan" if rekap.tingkat == Rekap.Tingkat.KECAMATAN else "rekap_kabupaten"
    rekap.jumlah = Usulan.objects.filter(**{f: rekap}).count()
    rekap.save(update_fields=["jumlah"])


@transaction.atomic
def rekap_tambah(*, user, rekap: Rekap, usulan_ids=None) -> int:
    """Put complete proposals of the district into its open batch (``usulan_ids=None``: all)."""
    rekap = _kunci_rekap(rekap)
    if rekap.tingkat != Rekap.Tingkat.KECAMATAN:
        raise GagalTransisi("Rekap kabupaten disusun dengan tombol “Susun rekap kabupaten”.")
    if not rekap.terbuka:
        raise GagalTransisi("Rekap ini sudah dikirim dan tidak dapat diubah.")
    izin_wilayah(user, rekap.wilayah_id, LANGKAH_KECAMATAN, tindakan="Menyusun rekap")
    qs = Usulan.objects.filter(
        periode=rekap.periode,
        kecamatan=rekap.wilayah,
        status=S.LENGKAP,
        rekap_kecamatan__isnull=True,
    )
    if usulan_ids is not None:
        qs = qs.filter(pk__in=list(usulan_ids))
    n = qs.update(rekap_kecamatan=rekap, diubah=timezone.now())
    hitung_ulang_rekap(rekap)
    return n


@transaction.atomic
def rekap_keluarkan(*, user, rekap: Rekap, usulan_ids) -> int:
    rekap = _kunci_rekap(rekap)
    if not rekap.terbuka:
        raise GagalTransisi("Rekap ini sudah dikirim dan tidak dapat diubah.")
    langkah = LANGKAH_KECAMATAN if rekap.tingkat == Rekap.Tingkat.KECAMATAN else LANGKAH_DINAS
    izin_wilayah(user, rekap.wilayah_id, langkah, tindakan="Mengubah rekap")
    f = "rekap_kecamatan" if rekap.tingkat == Rekap.Tingkat.KECAMATAN else "rekap_kabupaten"
    n = Usulan.objects.filter(**{f: rekap}, pk__in=list(usulan_ids)).update(
        **{f: None}, diubah=timezone.now()
    )
    hitung_ulang_rekap(rekap)
    return n


def _anggota(rekap: Rekap) -> list[Usulan]:
    f = "rekap_kecamatan" if rekap.tingkat == Rekap.Tingkat.KECAMATAN else "rekap_kabupaten"
    objs = list(Usulan.objects.select_for_update().filter(**{f: rekap}).order_by("pk"))
    for o in objs:  # the conditions read the batch: no query per proposal
        setattr(o, f, rekap)
    return objs


@transaction.atomic
def rekap_kirim(
    *, user, rekap: Rekap, status_terlihat: str | None = None, now: datetime | None = None
) -> Rekap:
    """District -> agency (kecamatan-rekap), or agency -> province (dinas-himpun-kirim). The
    batch and its proposals move in one transaction through the engine, all or nothing."""
    now = now or timezone.now()
    rekap = _kunci_rekap(rekap)  # the current state; ``status_terlihat`` is the form's
    rekap = jalankan(
        rekap.kirim,
        user=user,
        now=now,
        status_terlihat=status_terlihat,
        kwargs={"user": user, "now": now},
    )
    kecamatan = rekap.tingkat == Rekap.Tingkat.KECAMATAN
    semua = _anggota(rekap)
    # proposals dropped as duplicates stay listed in the batch but move no further
    anggota = [u for u in semua if u.status != S.GUGUR]
    if not anggota:
        raise GagalTransisi("Rekap masih kosong.")
    if not kecamatan:
        ganda = [u.nomor for u in anggota if u.duplikat]
        if ganda:
            raise GagalTransisi(
                f"Masih ada {len(ganda)} usulan dengan NIK ganda yang belum diputus "
                f"(mis. {ganda[0]}). Putuskan dulu di halaman Data Ganda."
            )
    massal.jalankan_massal(
        anggota,
        "kirim_ke_dinas" if kecamatan else "kirim_provinsi",
        user=user,
        catatan=f"Rekap {rekap.nomor}",
        now=now,
    )
    rekap.jumlah = len(semua)
    rekap.save(update_fields=["jumlah"])
    return rekap


def _periksa_terkirim(rekap: Rekap, tindakan: str) -> None:
    """A clear message for acting on a batch that was never sent (before the engine's generic
    'not allowed in this state')."""
    if rekap.status in Rekap.TERBUKA:
        raise GagalTransisi(f"Hanya rekap yang sudah dikirim yang dapat {tindakan}.")


@transaction.atomic
def rekap_terima(*, user, rekap: Rekap, now: datetime | None = None) -> Rekap:
    """The agency accepts a district batch, or records that the province forwarded the regency
    batch to the ministry. The batch passes the guard first, its proposals move while it is
    still 'sent' (their transition requires it), then the batch itself moves."""
    now = now or timezone.now()
    rekap = _kunci_rekap(rekap)
    _periksa_terkirim(rekap, "diterima")
    periksa_dulu(rekap.terima, user=user)
    kecamatan = rekap.tingkat == Rekap.Tingkat.KECAMATAN
    anggota = [u for u in _anggota(rekap) if u.status != S.GUGUR]
    massal.jalankan_massal(
        anggota,
        "terima_dinas" if kecamatan else "teruskan_kementerian",
        user=user,
        catatan=f"Rekap {rekap.nomor}",
        now=now,
    )
    return jalankan(rekap.terima, user=user, now=now, kwargs={"user": user, "now": now})


@transaction.atomic
def rekap_kembalikan(*, user, rekap: Rekap, catatan: str, now: datetime | None = None) -> Rekap:
    """The agency returns a district batch (or records that the province returned the regency
    batch): its proposals go back one tier and the batch opens for changes."""
    now = now or timezone.now()
    catatan = (catatan or "").strip()
    rekap = _kunci_rekap(rekap)
    _periksa_terkirim(rekap, "dikembalikan")
    periksa_dulu(rekap.kembalikan, user=user, catatan=catatan)
    kecamatan = rekap.tingkat == Rekap.Tingkat.KECAMATAN
    lanjut = [u for u in _anggota(rekap) if u.status != S.GUGUR]
    if kecamatan and any(u.status != S.DIREKAP for u in lanjut):
        raise GagalTransisi(
            "Sebagian usulan rekap ini sudah diproses dinas; rekap tidak dapat dikembalikan."
        )
    massal.jalankan_massal(
        lanjut,
        "kembalikan_ke_kecamatan" if kecamatan else "kembalikan_dari_provinsi",
        user=user,
        catatan=catatan,
        now=now,
    )
    return jalankan(
        rekap.kembalikan,
        user=user,
        now=now,
        catatan=catatan,
        kwargs={"user": user, "now": now, "catatan": catatan},
    )


@transaction.atomic
def rekap_kabupaten_susun(
    *, user, periode: Periode, now: datetime | None = None
) -> tuple[Rekap, int, int]:
    """Merge every verified proposal of the regency (all districts) into its open batch.
    Proposals flagged as duplicates stay out until the agency decides. Returns (batch, added,
    held back as duplicates)."""
    now = now or timezone.now()
    kab = periode.wilayah
    rekap = rekap_terbuka(
        user=user, periode=periode, wilayah=kab, tingkat=Rekap.Tingkat.KABUPATEN, now=now
    )
    rekap = _kunci_rekap(rekap)
    qs = Usulan.objects.filter(periode=periode, status=S.DIVERIFIKASI, rekap_kabupaten__isnull=True)
    ditahan = qs.filter(duplikat=True).count()
    n = qs.filter(duplikat=False).update(rekap_kabupaten=rekap, diubah=now)
    hitung_ulang_rekap(rekap)
    return rekap, n, ditahan


# --------------------------------------------------------------------------- duplicates
def tandai_duplikat(periode_id: int, niks) -> int:
    """Flag every active proposal whose NIK appears more than once in the round, unless the
    agency already decided "not a duplicate" for exactly those proposals. Returns flags set."""
    niks = sorted(set(niks))
    ganda: dict[str, list[int]] = {}
    for i in range(0, len(niks), massal.POTONGAN):
        potong = niks[i : i + massal.POTONGAN]
        kelompok = (
            Usulan.objects.filter(periode_id=periode_id, nik__in=potong)
            .exclude(status=S.GUGUR)
            .values("nik")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .values_list("nik", flat=True)
        )
        kelompok = list(kelompok)
        if not kelompok:
            continue
        for nik, pk in (
            Usulan.objects.filter(periode_id=periode_id, nik__in=kelompok)
            .exclude(status=S.GUGUR)
            .values_list("nik", "pk")
        ):
            ganda.setdefault(nik, []).append(pk)
    if not ganda:
        return 0
    sudah: dict[str, set[int]] = {}
    for k in DuplikatKeputusan.objects.filter(
        periode_id=periode_id,
        nik__in=list(ganda),
        keputusan=DuplikatKeputusan.Keputusan.BUKAN_DUPLIKAT,
    ).order_by("waktu", "pk"):
        sudah[k.nik] = set(k.usulan_ids)
    tandai = [
        pk for nik, pks in ganda.items() if not set(pks) <= sudah.get(nik, set()) for pk in pks
    ]
    n = 0
    for i in range(0, len(tandai), massal.POTONGAN):
        n += Usulan.objects.filter(pk__in=tandai[i : i + massal.POTONGAN], duplikat=False).update(
            duplikat=True
        )
    return n


def kelompok_duplikat(usulan: Usulan):
    return (
        Usulan.objects.filter(periode_id=usulan.periode_id, nik=usulan.nik)
        .exclude(status=S.GUGUR)
        .select_related("wilayah", "kecamatan")
        .order_by("dibuat", "pk")
    )


@transaction.atomic
def duplikat_putuskan(
    *,
    user,
    usulan: Usulan,
    keputusan: str,
    alasan: str,
    dipertahankan_id: int | None = None,
    now: datetime | None = None,
) -> DuplikatKeputusan:
    """The agency decides on proposals sharing one NIK: keep one (the others are dropped through
    the engine, transition ``gugurkan``) or "not a duplicate" (flags cleared). Logged."""
    now = now or timezone.now()
    alasan = (alasan or "").strip()
    if not alasan:
        raise GagalTransisi("Tuliskan alasan keputusan.")
    if keputusan not in DuplikatKeputusan.Keputusan.values:
        raise GagalTransisi("Keputusan tidak dikenal.")
    kab = usulan.wilayah_id[:5]
    izin_wilayah(user, kab, LANGKAH_DINAS, sop=usulan.sop, tindakan="Memutus data ganda")
    anggota = list(kelompok_duplikat(usulan).select_for_update(of=("self",)))
    if len(anggota) < 2:
        raise GagalTransisi("NIK ini tidak lagi ganda di periode ini.")
    bawah = [u for u in anggota if u.tingkat < 3]
    if bawah:
        raise GagalTransisi(
            f"Usulan {bawah[0].nomor} masih di tingkat desa/kecamatan "
            f"(status “{bawah[0].label_status()}”). Data ganda diputus setelah semua usulan "
            "sampai di dinas."
        )
    ids = [u.pk for u in anggota]
    simpan = None
    if keputusan == DuplikatKeputusan.Keputusan.PERTAHANKAN:
        simpan = next((u for u in anggota if u.pk == dipertahankan_id), None)
        if simpan is None:
            raise GagalTransisi("Pilih usulan yang dipertahankan.")
        gugur = [u for u in anggota if u.pk != simpan.pk]
        salah = [u for u in gugur if u.status not in (S.DIREKAP, S.DIVERIFIKASI)]
        if salah:
            raise GagalTransisi(
                f"Usulan {salah[0].nomor} sudah diteruskan (status “{salah[0].label_status()}”) "
                "dan tidak dapat digugurkan; pertahankan usulan itu."
            )
        massal.jalankan_massal(
            gugur,
            "gugurkan",
            user=user,
            fields=["duplikat"],
            catatan=f"Data ganda NIK: {alasan}",
            now=now,
            beritahu=False,
        )
    Usulan.objects.filter(pk__in=ids).update(duplikat=False)
    return DuplikatKeputusan.objects.create(
        periode_id=usulan.periode_id,
        nik=usulan.nik,
        keputusan=keputusan,
        dipertahankan=simpan,
        usulan_ids=ids,
        alasan=alasan,
        user=user,
        waktu=now,
    )


def label_dokumen(kode: str) -> str:
    return str(dict(Dokumen.choices).get(kode, kode))


def cek_boleh_bertindak(user, usulan: Usulan) -> bool:
    return cari_izin(usulan, user, usulan.langkah_untuk(None)) is not None


__all__ = [
    "PermissionDenied",
    "TRANSISI_TUNGGAL",
    "duplikat_putuskan",
    "rekap_kabupaten_susun",
    "rekap_kembalikan",
    "rekap_kirim",
    "rekap_terima",
    "rekap_tambah",
    "rekap_terbuka",
    "tandai_duplikat",
    "usulan_buat",
    "usulan_transisi",
    "usulan_unggah_dokumen",
]
