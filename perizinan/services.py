"""Writes of the perizinan module. Every state change of a request goes through
``sop.engine.jalankan``; views, commands and the demo setup call only these functions.

    p = permohonan_terima(user=fo, jenis=iumk, data={...}, berkas={syarat_id: file}, ...)
    p = permohonan_transisi(user=fo, permohonan=p, nama="selesaikan")
    dokumen_hasil_catat(user=fo, permohonan=p, keluaran=k, nomor="1234567890123", ...)
    p = permohonan_transisi(user=fo, permohonan=p, nama="serahkan", penerima_nama="...")
"""

from __future__ import annotations

import datetime as dt
import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sop.engine import (
    GagalTransisi,
    TidakBerwenang,
    cari_izin,
    jalankan,
    langkah_eksternal,
    mulai_proses,
    nama_peran,
    peran_boleh,
)
from sop.idempoten import ikat_token, klaim_token
from sop.jadwal import jadwal_unit
from sop.models import Jejak
from sop.penomoran import register_baru
from sop.selectors import penugasan_aktif, tugas_untuk
from sop.unggah import BerkasDitolak, JenisBerkas, nama_simpan

from . import standar
from .models import (
    DISERAHKAN,
    LOKET,
    SIAP,
    BerkasSyarat,
    DokumenHasil,
    JenisLayanan,
    KeluaranLayanan,
    Permohonan,
    Persyaratan,
)
from .sop_info import kode_loket, tahap_sop
from .unggah import periksa_dokumen
from .validasi import cek_nib, rapikan, validasi_pemohon

TRANSISI = {
    "selesaikan",
    "putuskan_ya",
    "putuskan_tidak",
    "kembalikan_berkas",
    "lengkapi_berkas",
    "serahkan",
    "batalkan",
}
CATATAN_LOKET = "Dicatat di loket saat berkas diterima."


# --------------------------------------------------------------------------- who may do what
def izin_loket(user, jenis: JenisLayanan, sop=None):
    """(Tugas, role id) letting ``user`` work the counter of ``jenis``, or None."""
    sop = sop or jenis.sop_berlaku()
    if sop is None or not getattr(user, "is_authenticated", False):
        return None
    lk = sop.langkah_per_kode().get(kode_loket(sop) or "")
    if lk is None:
        return None
    return tugas_untuk(user, Permohonan.LAYANAN, jenis.unit.wilayah_id, peran_boleh(lk))


def layanan_loket(user) -> list[JenisLayanan]:
    """Active services whose counter ``user`` works (for the intake form's service choice)."""
    if not any(Permohonan.LAYANAN in t.layanan for t in penugasan_aktif(user)):
        return []
    from sop.models import Sop

    layanan = list(JenisLayanan.objects.aktif().select_related("unit__wilayah"))
    berlaku = dict(
        Sop.objects.berlaku()
        .filter(kode__in={j.sop_kode for j in layanan})
        .values_list("kode", "pk")
    )
    for j in layanan:
        j.isi_sop(berlaku.get(j.sop_kode))
    return [j for j in layanan if izin_loket(user, j) is not None]


def _sop_siap(jenis: JenisLayanan):
    sop = jenis.sop_berlaku()
    if sop is None or sop.tanpa_langkah or not sop.langkah_per_kode():
        raise GagalTransisi(
            _("The SOP of this service (%(k)s) is not in force or has no steps.")
            % {"k": jenis.sop_kode}
        )
    return sop


# --------------------------------------------------------------------------- intake
def singkatan(unit) -> str:
    """The office's part of a receipt number: its code in capitals (DPMPTSP-PELALAWAN)."""
    return unit.kode.upper()


def _periksa_unggahan(
    persyaratan: dict[int, Persyaratan], berkas: dict, galat: dict
) -> dict[int, JenisBerkas]:
    """The detected type of each checklist upload; refusals go to ``galat`` by field."""
    jenis = {}
    for sid, f in berkas.items():
        if sid not in persyaratan:
            galat[f"berkas_{sid}"] = _("Unknown checklist item.")
            continue
        try:
            jenis[sid] = periksa_dokumen(f, label=persyaratan[sid].nama)
        except BerkasDitolak as e:
            galat[f"berkas_{sid}"] = e.message
    return jenis


def _simpan(field_file, berkas, jenis: JenisBerkas) -> None:
    """Store a checked upload under a server-chosen name with the detected type's extension."""
    field_file.save(nama_simpan(jenis), berkas, save=False)


@transaction.atomic
def permohonan_terima(
    *,
    user,
    jenis: JenisLayanan,
    data: dict,
    berkas: dict | None = None,
    asli: set[int] | frozenset[int] = frozenset(),
    cara: str = Permohonan.Cara.LANGSUNG,
    now: datetime | None = None,
    token: str = "",
) -> Permohonan:
    """Receive a file at the counter: the applicant, the business, the checklist (``berkas``:
    checklist item id -> uploaded file; ``asli``: item ids whose original the officer saw).

    The request gets the next receipt number of the office, starts in the SOP's first step and
    the applicant's own steps before the counter (registering at OSS, filing the request) are
    recorded at once by the counter officer. The promised completion is the office steps'
    limits chained on the office calendar from now. ``token``: the form's idempotency token
    (``sop.idempoten``): the same form sent twice (a double click, a resent POST) returns the
    request the first one created instead of receiving the file twice."""
    now = now or timezone.now()
    klaim, lama = klaim_token(token, user=user)
    if lama is not None:
        return lama
    sop = _sop_siap(jenis)
    if izin_loket(user, jenis, sop) is None:
        lk = sop.langkah_per_kode().get(kode_loket(sop) or "")
        raise TidakBerwenang(
            _("Files for this service are received by %(r)s of %(u)s.")
            % {"r": nama_peran(lk) if lk else "-", "u": jenis.unit.nama}
        )
    bersih, galat = validasi_pemohon(data)
    if cara not in Permohonan.Cara.values:
        galat["cara"] = _("Choose how the file was received.")
    persyaratan = {s.pk: s for s in jenis.persyaratan.all()}
    berkas = {int(k): v for k, v in (berkas or {}).items() if v}
    tipe = _periksa_unggahan(persyaratan, berkas, galat)
    asli = {int(x) for x in asli if int(x) in persyaratan}
    if galat:
        raise ValidationError(galat)

    urutan = sorted(tahap_sop(sop), key=lambda t: (t.nomor, t.kode))
    # the licensing register of the office: its own series, never shared with other modules
    nomor = register_baru(
        unit=jenis.unit, jenis="IZIN", bagian=("TT", singkatan(jenis.unit)), now=now
    )
    p = Permohonan(
        sop=sop,
        jenis=jenis,
        unit=jenis.unit,
        wilayah_id=jenis.unit.wilayah_id,
        status=urutan[0].kode,
        nomor=nomor.teks,
        tahun=nomor.tahun,
        urut=nomor.urut,
        cara=cara,
        diterima_pada=now,
        diterima_oleh=user,
        diubah=now,
        **bersih,
    )
    p.save()
    for sid in sorted(set(berkas) | asli):
        b = BerkasSyarat(
            permohonan=p, persyaratan=persyaratan[sid], diterima_pada=now, diterima_oleh=user
        )
        if sid in berkas:
            f = berkas[sid]
            b.nama_asli = (getattr(f, "name", "") or "")[:200]
            b.ukuran, b.tipe = f.size, tipe[sid].mime
            _simpan(b.berkas, f, tipe[sid])
        b.save()
    mulai_proses(p, user=user, now=now, catatan=_("File received at the counter."))
    # The applicant's own steps before the counter happened before the file came in.
    p = Permohonan.objects.get(pk=p.pk)
    while (lk := p.langkah_aktif()) is not None and langkah_eksternal(lk):
        p = jalankan(p.selesaikan, user=user, now=now, catatan=CATATAN_LOKET)
    jadwal = jadwal_unit(p.unit)
    p.perkiraan_selesai = standar.janji_selesai(now, urutan, jadwal, dari=p.langkah_aktif_kode())
    p.janji_menit = standar.janji_menit(now, urutan, jadwal, dari=p.langkah_aktif_kode())
    p.save(update_fields=["perkiraan_selesai", "janji_menit"])
    ikat_token(klaim, p)
    return p


# --------------------------------------------------------------------------- documents
def boleh_ubah_berkas(user, p: Permohonan) -> bool:
    """The counter or the performer of the step the request waits in."""
    if not p.terbuka:
        return False
    if cari_izin(p, user, p.langkah_untuk(LOKET)) is not None:
        return True
    return cari_izin(p, user, p.langkah_aktif()) is not None


@transaction.atomic
def berkas_syarat_simpan(
    *,
    user,
    permohonan: Permohonan,
    persyaratan: Persyaratan,
    berkas=None,
    asli: bool = False,
    now: datetime | None = None,
) -> BerkasSyarat:
    """Add (or replace) a checklist document of an open request: a scan/photo or the original
    seen at the counter (the applicant completing a returned file, typically)."""
    now = now or timezone.now()
    p = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    if persyaratan.jenis_id != p.jenis_id:
        raise ValidationError({"persyaratan": _("This item is not on this service's checklist.")})
    if not boleh_ubah_berkas(user, p):
        raise TidakBerwenang(
            _("Only the counter or the officer of the current step may add documents.")
        )
    if berkas is None and not asli:
        raise ValidationError({"berkas": _("Attach a file or tick “original seen”.")})
    jenis = None
    if berkas is not None:
        try:
            jenis = periksa_dokumen(berkas, label=persyaratan.nama)
        except BerkasDitolak as e:
            raise ValidationError({"berkas": e.message}) from e
    b = BerkasSyarat.objects.filter(permohonan=p, persyaratan=persyaratan).first()
    lama = b.berkas.name if b and b.berkas else ""
    b = b or BerkasSyarat(permohonan=p, persyaratan=persyaratan)
    b.diterima_pada, b.diterima_oleh = now, user
    if berkas is not None:
        b.nama_asli = (getattr(berkas, "name", "") or "")[:200]
        b.ukuran, b.tipe = berkas.size, jenis.mime
        _simpan(b.berkas, berkas, jenis)
    b.save()
    if lama and lama != b.berkas.name:
        transaction.on_commit(lambda: b.berkas.storage.delete(lama))
    return b


@transaction.atomic
def dokumen_hasil_catat(
    *,
    user,
    permohonan: Permohonan,
    keluaran: KeluaranLayanan,
    nomor: str,
    tanggal: dt.date,
    berkas=None,
    now: datetime | None = None,
) -> DokumenHasil:
    """Record an output document (number, date, file) at the step it belongs to. Only while the
    request waits in that step, by whoever may perform it."""
    now = now or timezone.now()
    p = Permohonan.objects.select_for_update().select_related("sop").get(pk=permohonan.pk)
    if keluaran.jenis_id != p.jenis_id:
        raise ValidationError({"keluaran": _("This document is not an output of this service.")})
    if p.langkah_aktif_kode() != keluaran.langkah_kode or p.dijeda:
        lk = p.langkah_sop().get(keluaran.langkah_kode)
        raise GagalTransisi(
            _("“%(d)s” is recorded at step %(n)s, while the request waits in that step.")
            % {"d": keluaran.nama, "n": lk.nomor if lk else keluaran.langkah_kode}
        )
    lk = p.langkah_aktif()
    if cari_izin(p, user, lk) is None:
        raise TidakBerwenang(
            _("“%(d)s” may only be recorded by %(r)s.") % {"d": keluaran.nama, "r": nama_peran(lk)}
        )
    galat = {}
    nomor = rapikan(nomor)
    if keluaran.pola_nomor == KeluaranLayanan.Pola.NIB:
        nomor, pesan = cek_nib(nomor, wajib=True)
        if pesan:
            galat["nomor"] = pesan
    elif not nomor:
        galat["nomor"] = _("The document number is required.")
    elif len(nomor) > 100:
        galat["nomor"] = _("The document number is at most 100 characters.")
    if tanggal is None:
        galat["tanggal"] = _("The document date is required.")
    elif tanggal > timezone.localdate(now):
        galat["tanggal"] = _("The document date cannot be in the future.")
    jenis = None
    if berkas is not None:
        try:
            jenis = periksa_dokumen(berkas, label=keluaran.nama)
        except BerkasDitolak as e:
            galat["berkas"] = e.message
    if galat:
        raise ValidationError(galat)
    d = DokumenHasil.objects.filter(permohonan=p, keluaran=keluaran).first()
    lama = d.berkas.name if d and d.berkas else ""
    d = d or DokumenHasil(permohonan=p, keluaran=keluaran)
    d.nomor, d.tanggal, d.dicatat_pada, d.dicatat_oleh = nomor, tanggal, now, user
    if berkas is not None:
        d.tipe = jenis.mime
        _simpan(d.berkas, berkas, jenis)
    d.save()
    if lama and lama != d.berkas.name:
        transaction.on_commit(lambda: d.berkas.storage.delete(lama))
    return d


# --------------------------------------------------------------------------- transitions
def _ringkas_kinerja(p: Permohonan) -> None:
    """Office minutes used (the office's own steps only, pauses excluded) and on-time flag,
    stored once when the office's work ends (one aggregate over this request's step log)."""
    dalam = [lk.pk for lk in p.langkah_sop().values() if not langkah_eksternal(lk)]
    from django.contrib.contenttypes.models import ContentType

    total = Jejak.objects.filter(
        content_type=ContentType.objects.get_for_model(Permohonan),
        object_id=str(p.pk),
        langkah_id__in=dalam,
    ).aggregate(n=Sum("menit_kerja"))["n"]
    p.menit_kantor = total or 0
    p.tepat_waktu = None if p.janji_menit is None else p.menit_kantor <= p.janji_menit
    p.save(update_fields=["menit_kantor", "tepat_waktu"])


def token_survei() -> str:
    """A random token for the survey link of one handed-over request (the answers never point
    back to the request: the token only marks that its survey was answered)."""
    return secrets.token_urlsafe(18)


@transaction.atomic
def permohonan_transisi(
    *,
    user,
    permohonan: Permohonan,
    nama: str,
    catatan: str = "",
    status_terlihat: str | None = None,
    kekurangan: list[str] | None = None,
    penerima_nama: str = "",
    penerima_keterangan: str = "",
    now: datetime | None = None,
) -> Permohonan:
    """Perform transition ``nama`` through the engine (role, region, lock, jejak, clocks)."""
    if nama not in TRANSISI:
        raise GagalTransisi(_("Unknown action."))
    catatan = (catatan or "").strip()
    kekurangan = [rapikan(k) for k in (kekurangan or []) if rapikan(k)]
    kwargs = {}
    if nama in ("kembalikan_berkas", "putuskan_tidak"):
        if not catatan and kekurangan:
            catatan = "; ".join(kekurangan)
        if nama == "kembalikan_berkas" and not kekurangan:
            raise ValidationError({"kekurangan": _("List what the applicant must complete.")})
        kwargs["kekurangan"] = kekurangan
    if nama == "serahkan":
        kwargs = {
            "penerima_nama": rapikan(penerima_nama)[:200],
            "penerima_keterangan": rapikan(penerima_keterangan)[:200],
        }
    p = jalankan(
        getattr(permohonan, nama),
        user=user,
        catatan=catatan,
        now=now,
        status_terlihat=status_terlihat,
        kwargs=kwargs,
    )
    if p.status in (SIAP, DISERAHKAN) and p.menit_kantor is None:
        _ringkas_kinerja(p)
    if nama == "serahkan":
        p.diserahkan_oleh, p.survei_token = user, token_survei()
        p.save(update_fields=["diserahkan_oleh", "survei_token"])
    return p


@transaction.atomic
def permohonan_pin_baru(*, user, permohonan: Permohonan) -> tuple[Permohonan, str]:
    """A new tracking PIN printed on a (re)printed receipt; the previous PIN stops working.
    Only the counter of the request's service issues it. Returns the row and the clear PIN."""
    p = (
        Permohonan.objects.select_for_update()
        .select_related("sop", "unit", "jenis")
        .get(pk=permohonan.pk)
    )
    if cari_izin(p, user, p.langkah_untuk(LOKET)) is None:
        raise TidakBerwenang(_("Only the counter of this service prints its receipts."))
    pin = p.set_pin()
    p.save(update_fields=["kode_lacak", "pin_hash"])
    return p, pin
