"""Proposals through SOP 17-20: registration, check, book, survey, SK, agreement, disbursement.

Each step is completed through the engine (``sop.engine.jalankan``, or ``jalankan_massal`` for
the lines of one SK) by the step's performer; the service first records what the step produces
(the book number, the survey, the agreement, the realisation) in the same transaction, so a
refused step leaves nothing behind. When a run ends, the next SOP's run starts (17 -> 18 -> 19
-> 20 for an approved proposal); the realisation creates the active loan with its schedule fixed
from the bank's date.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sop import engine
from sop.engine import GagalTransisi
from sop.idempoten import ikat_token, klaim_token
from sop.massal import jalankan_massal, mulai_proses_massal
from sop.models import Sop, Unit
from sop.models.definisi import sop_siap
from sop.models.permohonan import SELESAI
from sop.penomoran import register_baru
from sop.unggah import DOKUMEN, BerkasDitolak, terima_unggahan

from .. import izin
from ..hitung.jadwal import tambah_bulan
from ..models import (
    Debitur,
    FotoSurvei,
    JalanProposal,
    Jaminan,
    KeputusanProposal,
    Pinjaman,
    Produk,
    Proposal,
    SkPenetapan,
    Survei,
)
from ..models.proposal import SOP_PROPOSAL
from .buku import pinjaman_buat
from .penagihan import tanggal_lokal

BERIKUT = dict(zip(SOP_PROPOSAL, SOP_PROPOSAL[1:], strict=False))
MAKS_FOTO = 10


# ------------------------------------------------------------------ reads used by the rules
def jalan_terbuka(proposal: Proposal) -> JalanProposal | None:
    """The proposal's run still in progress (at most one: runs follow each other)."""
    return (
        JalanProposal.objects.filter(proposal=proposal)
        .exclude(status__in=JalanProposal.STATUS_SELESAI)
        .select_related("sop", "unit")
        .order_by("-dibuat", "-pk")
        .first()
    )


def produk_unit(unit: Unit) -> Produk | None:
    return Produk.objects.filter(unit=unit, aktif=True).select_related("profil").first()


# ------------------------------------------------------------------ conditions of the steps
def _kelengkapan_data(p: Proposal) -> list[str]:
    kurang = []
    if not p.berkas:
        kurang.append(_("the proposal document is not uploaded"))
    if p.jenis == Debitur.Jenis.KOPERASI:
        if not p.nomor_badan_hukum:
            kurang.append(_("the cooperative's legal entity number is missing"))
        if not p.pengurus:
            kurang.append(_("the cooperative's board is missing"))
    elif not (p.nib or p.sku):
        kurang.append(_("a micro business needs its NIB or its business certificate (SKU)"))
    produk = produk_unit(p.unit)
    if produk and not (produk.plafon_min <= p.jumlah_diminta <= produk.plafon_maks):
        kurang.append(_("the amount requested is outside the product's minimum and maximum"))
    return kurang


def syarat_langkah_proposal(run: JalanProposal, langkah) -> list[str]:
    """What a step of a proposal run still needs (messages for the officer)."""
    p = run.proposal
    kode = langkah.kode
    if kode == "terima-teliti-proposal":
        return _kelengkapan_data(p)
    if kode == "catat-buku-proposal" and not p.nomor_buku:
        return [_("record the proposal in the proposal book (its number is given then)")]
    if kode == "tugaskan-verifikasi" and not p.petugas_survei_id:
        return [_("choose the officer who surveys the applicant")]
    if kode == "verifikasi-lapangan":
        s = Survei.objects.filter(proposal=p).first()
        if s is None:
            return [_("fill in the survey worksheet")]
        kurang = []
        if not s.foto.exists():
            kurang.append(_("add at least one survey photo"))
        if s.plafon_rekomendasi > p.jumlah_diminta:
            kurang.append(_("the recommended amount is above the amount requested"))
        return kurang
    if kode == "rapat-penentuan":
        k = KeputusanProposal.objects.filter(proposal=p).select_related("sk").first()
        if k is None or k.sk.status != SkPenetapan.Status.DITETAPKAN:
            return [_("the proposal must be listed in a decree signed by the Kepala UPT")]
    if kode == "sampaikan-undangan" and not (p.tanggal_undangan and p.jadwal_perjanjian):
        return [_("record the invitation (date and signing appointment)")]
    if kode == "laksanakan-perjanjian":
        kurang = []
        if not (p.nama_bank and p.nomor_rekening):
            kurang.append(_("the recipient's bank account is missing"))
        if not Jaminan.objects.filter(proposal=p).exists():
            kurang.append(_("register the collateral first"))
        if not p.nomor_perjanjian:
            kurang.append(_("sign the credit agreement (its number is given then)"))
        return kurang
    if kode == "realisasi-kredit" and not Pinjaman.objects.filter(proposal=p).exists():
        return [_("record the bank's realisation date")]
    return []


def syarat_sk(sk: SkPenetapan) -> list[str]:
    """A decree can be signed when it lists at least one proposal, every line is consistent
    and every listed proposal waits in the meeting step."""
    baris = list(sk.keputusan.select_related("proposal"))
    kurang = []
    if not baris:
        kurang.append(_("the decree lists no proposal"))
    produk = produk_unit(sk.unit)
    for k in baris:
        p = k.proposal
        if k.disetujui and k.plafon > p.jumlah_diminta:
            kurang.append(
                _("%(n)s: the approved amount is above the amount requested") % {"n": p.nama}
            )
        if k.disetujui and produk and not (produk.plafon_min <= k.plafon <= produk.plafon_maks):
            kurang.append(
                _("%(n)s: the approved amount is outside the product's limits") % {"n": p.nama}
            )
        if not k.disetujui and not k.alasan.strip():
            kurang.append(_("%(n)s: a refusal needs its reason") % {"n": p.nama})
    ids = [k.proposal_id for k in baris]
    di_rapat = set(
        JalanProposal.objects.filter(proposal_id__in=ids, status="rapat-penentuan").values_list(
            "proposal_id", flat=True
        )
    )
    for k in baris:
        if k.proposal_id not in di_rapat:
            kurang.append(
                _("%(n)s: the proposal is not waiting for the meeting") % {"n": k.proposal.nama}
            )
    return kurang


# ------------------------------------------------------------------ runs
def sop_berlaku(kode: str):
    """The revision in force of SOP ``kode``, loaded once per process (``sop_siap``), and the
    code of its first step."""
    sop = sop_siap(Sop.objects.berlaku().filter(kode=kode).values_list("pk", flat=True).get())
    pertama = min(sop.langkah_per_kode().values(), key=lambda lk: lk.nomor)
    return sop, pertama.kode


def _jalan_baru(proposals: list[Proposal], kode: str, *, user, now, catatan="") -> list:
    sop, pertama = sop_berlaku(kode)
    runs = JalanProposal.objects.bulk_create(
        JalanProposal(
            sop=sop,
            wilayah_id=p.wilayah_id,
            unit_id=p.unit_id,
            proposal=p,
            status=pertama,
            dibuat=now,
        )
        for p in proposals
    )
    mulai_proses_massal(runs, user=user, now=now, catatan=catatan)
    return runs


def _lanjutkan(runs: list[JalanProposal], *, user, now) -> None:
    """Start the next SOP for the runs that just finished (an approved proposal after SOP 19)."""
    per_sop: dict[str, list[Proposal]] = {}
    for r in runs:
        if r.status != SELESAI:
            continue
        kode = r.sop.kode
        if kode == "PACITAN-19":
            k = KeputusanProposal.objects.filter(proposal_id=r.proposal_id).first()
            if not (k and k.disetujui):
                continue
        if kode in BERIKUT:
            per_sop.setdefault(BERIKUT[kode], []).append(r.proposal)
    for kode, proposals in per_sop.items():
        _jalan_baru(proposals, kode, user=user, now=now)


def _terkunci(run: JalanProposal) -> JalanProposal:
    return (
        JalanProposal.objects.select_for_update(of=("self",))
        .select_related("proposal", "unit", "sop")
        .get(pk=run.pk)
    )


def _cek(run: JalanProposal, kode: str, status_terlihat: str | None) -> None:
    if status_terlihat is not None and run.status != status_terlihat:
        raise engine.Konflik(
            _(
                "This record was just changed by another officer (status is now “%(s)s”). "
                "Reload the page and check again."
            )
            % {"s": run.label_status()}
        )
    if run.status != kode:
        raise engine.StatusTidakMengizinkan(
            _("This action is not possible while the status is “%(s)s”.")
            % {"s": run.label_status()}
        )


def _wajib(run, user, tindakan: str) -> None:
    from .penagihan import wajib_pelaksana

    wajib_pelaksana(run, user, tindakan)


@transaction.atomic
def proposal_langkah(
    *,
    run: JalanProposal,
    user,
    nama: str = "selesaikan",
    catatan: str = "",
    now: dt.datetime | None = None,
    status_terlihat: str | None = None,
) -> JalanProposal:
    """Complete the run's current step (``selesaikan``), or decide it (``putuskan_ya`` /
    ``putuskan_tidak`` with the reason), through the engine; a finished run starts the next
    SOP's run."""
    if nama not in ("selesaikan", "putuskan_ya", "putuskan_tidak"):
        raise GagalTransisi(_("Unknown action."))
    now = now or timezone.now()
    run = engine.jalankan(
        getattr(run, nama), user=user, catatan=catatan, now=now, status_terlihat=status_terlihat
    )
    _lanjutkan([run], user=user, now=now)
    return run


# ------------------------------------------------------------------ SOP 17
@transaction.atomic
def proposal_daftarkan(
    *,
    user,
    unit: Unit,
    data: dict,
    berkas,
    now: dt.datetime | None = None,
    token: str = "",
) -> Proposal:
    """Register a proposal the applicant brought (SOP 17 step 1, recorded by the officer):
    its run on PACITAN-17 starts and its first step is recorded at once; the officer's check
    (step 2) comes next. ``token``: the form's idempotency token (``sop.idempoten``): the same
    form sent twice returns the proposal the first one registered."""
    now = now or timezone.now()
    wilayah = data.get("desa") or data["kecamatan"]
    izin.wajib(user, wilayah.kode, izin.PERAN_PETUGAS, _("Registering a proposal"))
    klaim, lama = klaim_token(token, user=user)
    if lama is not None:
        return lama
    try:
        terima_unggahan(berkas, boleh=DOKUMEN, label=_("Proposal document"))
    except BerkasDitolak as e:
        raise GagalTransisi(e.message) from e
    p = Proposal(
        unit=unit,
        wilayah=wilayah,
        kecamatan=data["kecamatan"],
        desa=data.get("desa"),
        jenis=data["jenis"],
        nama=data["nama"],
        nik=data["nik"],
        nomor_badan_hukum=data.get("nomor_badan_hukum", ""),
        pengurus=data.get("pengurus") or [],
        nib=data.get("nib", ""),
        sku=data.get("sku", ""),
        alamat=data.get("alamat", ""),
        no_hp=data.get("no_hp", ""),
        jumlah_diminta=data["jumlah_diminta"],
        tenor_diminta=data["tenor_diminta"],
        tujuan=data["tujuan"],
        dibuat=now,
        dibuat_oleh=user,
    )
    p.berkas.save(berkas.name, berkas, save=False)
    p.save()
    (run,) = _jalan_baru([p], "PACITAN-17", user=user, now=now)
    engine.jalankan(run.selesaikan, user=user, now=now, catatan=_("Proposal received."))
    ikat_token(klaim, p)
    return p


@transaction.atomic
def proposal_ajukan_ulang(
    *, run: JalanProposal, user, berkas=None, catatan: str = "", now=None, status_terlihat=None
) -> JalanProposal:
    """A returned proposal comes back (step 1 again), with a corrected document if given."""
    now = now or timezone.now()
    run = _terkunci(run)
    _cek(run, "ajukan-proposal", status_terlihat)
    _wajib(run, user, _("Record the resubmitted proposal"))
    if berkas is not None:
        try:
            terima_unggahan(berkas, boleh=DOKUMEN, label=_("Proposal document"))
        except BerkasDitolak as e:
            raise GagalTransisi(e.message) from e
        p = run.proposal
        p.berkas.save(berkas.name, berkas, save=False)
        Proposal.objects.filter(pk=p.pk).update(berkas=p.berkas.name)
    return engine.jalankan(run.selesaikan, user=user, catatan=catatan, now=now)


@transaction.atomic
def proposal_catat_buku(
    *, run: JalanProposal, user, now: dt.datetime | None = None, status_terlihat=None
) -> JalanProposal:
    """SOP 17 step 5: the proposal gets the next number of this year's proposal book."""
    now = now or timezone.now()
    run = _terkunci(run)
    _cek(run, "catat-buku-proposal", status_terlihat)
    _wajib(run, user, _("Record in the proposal book"))
    reg = register_baru(unit=run.unit, jenis="DAGULIR-PROPOSAL", bagian=("PROP", "UPT-DB"), now=now)
    Proposal.objects.filter(pk=run.proposal_id).update(nomor_buku=reg.teks)
    return proposal_langkah(run=run, user=user, now=now)


# ------------------------------------------------------------------ SOP 18
@transaction.atomic
def proposal_tugaskan_survei(
    *, run: JalanProposal, user, petugas, now=None, status_terlihat=None
) -> JalanProposal:
    """SOP 18 step 2: the Kepala UPT sends an officer of the UPT to the field."""
    now = now or timezone.now()
    run = _terkunci(run)
    _cek(run, "tugaskan-verifikasi", status_terlihat)
    _wajib(run, user, _("Assign the field survey"))
    if not izin.boleh(petugas, run.wilayah_id, izin.PERAN_PETUGAS):
        raise GagalTransisi(_("The chosen officer does not work for this UPT."))
    Proposal.objects.filter(pk=run.proposal_id).update(petugas_survei=petugas)
    return proposal_langkah(run=run, user=user, now=now)


@transaction.atomic
def survei_simpan(
    *, proposal: Proposal, user, data: dict, foto=(), keterangan: str = "", now=None
) -> Survei:
    """The kertas kerja survei (SOP 18 step 3), while the survey step is open; photos go
    through the one upload check. The recommended amount may not exceed the amount requested."""
    now = now or timezone.now()
    run = jalan_terbuka(proposal)
    if run is None or run.status != "verifikasi-lapangan":
        raise GagalTransisi(
            _("The survey worksheet can only be filled in during the field survey.")
        )
    _wajib(run, user, _("Fill in the survey worksheet"))
    if data["plafon_rekomendasi"] > proposal.jumlah_diminta:
        raise GagalTransisi(_("The recommended amount is above the amount requested."))
    s, _baru = Survei.objects.update_or_create(
        proposal=proposal, defaults={**data, "diisi_oleh": user, "diisi_pada": now}
    )
    if len(foto) + s.foto.count() > MAKS_FOTO:
        raise GagalTransisi(_("At most %(n)s photos per survey.") % {"n": MAKS_FOTO})
    for f in foto:
        try:
            terima_unggahan(f, boleh=DOKUMEN, label=_("Survey photo"))
        except BerkasDitolak as e:
            raise GagalTransisi(e.message) from e
        fs = FotoSurvei(survei=s, keterangan=keterangan[:200], diunggah=now)
        fs.berkas.save(f.name, f, save=False)
        fs.save()
    return s


# ------------------------------------------------------------------ SOP 19: the decree
@transaction.atomic
def sk_buat(*, user, unit: Unit, nomor: str, tanggal: dt.date, now=None) -> SkPenetapan:
    """A draft decree the fund managers fill at the meeting."""
    izin.wajib(user, unit.wilayah_id, izin.PERAN_PETUGAS, _("Drafting a decree"))
    nomor = (nomor or "").strip()
    if not nomor:
        raise GagalTransisi(_("Write the decree number."))
    if SkPenetapan.objects.filter(unit=unit, nomor=nomor).exists():
        raise GagalTransisi(_("A decree with this number already exists."))
    sk = SkPenetapan.objects.create(
        unit=unit,
        wilayah_id=unit.wilayah_id,
        nomor=nomor,
        tanggal=tanggal,
        dibuat=now or timezone.now(),
        dibuat_oleh=user,
    )
    engine.mulai_proses(sk, user=user, now=now)
    return sk


@transaction.atomic
def sk_putuskan(
    *,
    sk: SkPenetapan,
    user,
    proposal: Proposal,
    disetujui: bool,
    plafon: int | None = None,
    tenor: int | None = None,
    alasan: str = "",
) -> KeputusanProposal:
    """Put a proposal waiting for the meeting on the draft decree: approved with an amount
    (never above the amount requested, within the product) or refused with a reason."""
    sk = SkPenetapan.objects.select_for_update().get(pk=sk.pk)
    izin.wajib(user, sk.wilayah_id, izin.PERAN_PETUGAS, _("Drafting a decree"))
    if sk.status != SkPenetapan.Status.DRAF:
        raise GagalTransisi(_("A signed decree cannot be changed."))
    if proposal.unit_id != sk.unit_id:
        raise GagalTransisi(_("The proposal belongs to another office."))
    if not JalanProposal.objects.filter(proposal=proposal, status="rapat-penentuan").exists():
        raise GagalTransisi(_("Only a proposal waiting for the meeting can be decided."))
    lain = KeputusanProposal.objects.filter(proposal=proposal).exclude(sk=sk).first()
    if lain is not None:
        raise GagalTransisi(_("The proposal is already on decree %(n)s.") % {"n": lain.sk.nomor})
    if disetujui:
        produk = produk_unit(sk.unit)
        if not plafon or plafon < 1:
            raise GagalTransisi(_("Write the approved amount."))
        if plafon > proposal.jumlah_diminta:
            raise GagalTransisi(_("The approved amount cannot be above the amount requested."))
        if produk and not (produk.plafon_min <= plafon <= produk.plafon_maks):
            raise GagalTransisi(_("The approved amount is outside the product's limits."))
        tenor = tenor or proposal.tenor_diminta
        if produk and not (1 <= tenor <= 600):
            raise GagalTransisi(_("The tenor must be between 1 and 600 months."))
        alasan = alasan.strip()
    else:
        if not alasan.strip():
            raise GagalTransisi(_("Give the reason for the refusal."))
        plafon = tenor = None
    k, _baru = KeputusanProposal.objects.update_or_create(
        proposal=proposal,
        defaults={
            "sk": sk,
            "disetujui": disetujui,
            "plafon": plafon,
            "tenor": tenor,
            "alasan": alasan.strip(),
        },
    )
    return k


@transaction.atomic
def sk_keluarkan(*, sk: SkPenetapan, user, proposal: Proposal) -> None:
    sk = SkPenetapan.objects.select_for_update().get(pk=sk.pk)
    izin.wajib(user, sk.wilayah_id, izin.PERAN_PETUGAS, _("Drafting a decree"))
    if sk.status != SkPenetapan.Status.DRAF:
        raise GagalTransisi(_("A signed decree cannot be changed."))
    KeputusanProposal.objects.filter(sk=sk, proposal=proposal).delete()


@transaction.atomic
def sk_tetapkan(*, sk: SkPenetapan, user, now=None) -> SkPenetapan:
    """The Kepala UPT signs the decree (through the engine); the signatory is recorded (its
    lines are final from now on, the PDF is rendered from them)."""
    from ..dokumen import nama_orang

    now = now or timezone.now()
    sk = engine.jalankan(sk.tetapkan, user=user, now=now)
    SkPenetapan.objects.filter(pk=sk.pk).update(penandatangan=nama_orang(user))
    return SkPenetapan.objects.get(pk=sk.pk)


@transaction.atomic
def sk_tutup_rapat(*, sk: SkPenetapan, user, now=None) -> list[JalanProposal]:
    """The meeting step of every proposal on a signed decree completes (one batch through the
    engine); approved proposals go on to SOP 20, refused ones end here."""
    now = now or timezone.now()
    if sk.status != SkPenetapan.Status.DITETAPKAN:
        raise GagalTransisi(_("The decree must be signed by the Kepala UPT first."))
    runs = list(
        JalanProposal.objects.select_for_update(of=("self",))
        .filter(proposal__keputusan__sk=sk, status="rapat-penentuan")
        .select_related("proposal", "unit", "sop")
        .order_by("pk")
    )
    if not runs:
        raise GagalTransisi(_("No proposal of this decree waits for the meeting."))
    jalankan_massal(runs, "selesaikan", user=user, now=now, catatan=f"SK {sk.nomor}")
    _lanjutkan(runs, user=user, now=now)
    return runs


# ------------------------------------------------------------------ SOP 20
@transaction.atomic
def penyaluran_undangan(
    *,
    run: JalanProposal,
    user,
    tanggal: dt.date,
    jadwal: dt.datetime,
    tempat: str,
    now=None,
    status_terlihat=None,
) -> JalanProposal:
    """SOP 20 step 3: the officer sends the invitation to sign the credit agreement."""
    now = now or timezone.now()
    run = _terkunci(run)
    _cek(run, "sampaikan-undangan", status_terlihat)
    _wajib(run, user, _("Send the invitation"))
    if jadwal.date() < tanggal:
        raise GagalTransisi(_("The signing appointment must be on or after the invitation date."))
    Proposal.objects.filter(pk=run.proposal_id).update(
        tanggal_undangan=tanggal, jadwal_perjanjian=jadwal, tempat_perjanjian=tempat.strip()[:200]
    )
    return proposal_langkah(run=run, user=user, now=now)


def _sebelum_perjanjian(proposal: Proposal) -> JalanProposal:
    run = jalan_terbuka(proposal)
    sebelum = (
        "tugaskan-agenda-perjanjian",
        "tugaskan-persiapan-berkas",
        "sampaikan-undangan",
        "terima-undangan",
        "laksanakan-perjanjian",
    )
    if run is None or run.sop.kode != "PACITAN-20" or run.status not in sebelum:
        raise GagalTransisi(
            _("The agreement's data can only be changed before the agreement is signed.")
        )
    return run


@transaction.atomic
def penyaluran_rekening(*, proposal: Proposal, user, nama_bank: str, nomor_rekening: str):
    """The recipient's bank account the bank pays into (before the agreement is signed)."""
    _sebelum_perjanjian(proposal)
    izin.wajib(user, proposal.wilayah_id, izin.PERAN_PETUGAS, _("Recording the bank account"))
    nomor = "".join((nomor_rekening or "").split())
    if not nomor.isdigit() or not 5 <= len(nomor) <= 30:
        raise GagalTransisi(_("The account number must be 5 to 30 digits."))
    Proposal.objects.filter(pk=proposal.pk).update(
        nama_bank=nama_bank.strip()[:120], nomor_rekening=nomor
    )


@transaction.atomic
def penyaluran_jaminan(*, proposal: Proposal, user, **data) -> Jaminan:
    """Collateral offered at the agreement (the register; it moves to the loan at realisation)."""
    _sebelum_perjanjian(proposal)
    izin.wajib(user, proposal.wilayah_id, izin.PERAN_PETUGAS, _("Registering collateral"))
    j = Jaminan(proposal=proposal, **data)
    j.full_clean()
    j.save()
    return j


@transaction.atomic
def penyaluran_perjanjian(
    *, run: JalanProposal, user, tanggal: dt.date, now=None, status_terlihat=None
) -> JalanProposal:
    """SOP 20 step 5: the Kepala UPT signs the credit agreement with the recipient: it gets its
    number, and its terms (the product's, today) and signatory are frozen on the proposal; the
    PDF is rendered from them and the loan is made on them."""
    from ..dokumen import nama_orang

    now = now or timezone.now()
    run = _terkunci(run)
    _cek(run, "laksanakan-perjanjian", status_terlihat)
    _wajib(run, user, _("Sign the credit agreement"))
    p = run.proposal
    if tanggal > tanggal_lokal(now, run.unit):
        raise GagalTransisi(_("The agreement date cannot be in the future."))
    if not (p.nama_bank and p.nomor_rekening):
        raise GagalTransisi(_("The recipient's bank account is missing."))
    if not Jaminan.objects.filter(proposal=p).exists():
        raise GagalTransisi(_("Register the collateral first."))
    produk = produk_unit(run.unit)
    reg = register_baru(unit=run.unit, jenis="DAGULIR-PK", bagian=("PK", "UPT-DB"), now=now)
    Proposal.objects.filter(pk=p.pk).update(
        nomor_perjanjian=reg.teks,
        tanggal_perjanjian=tanggal,
        penandatangan_perjanjian=nama_orang(user),
        jasa_persen=produk.jasa_persen,
        metode=produk.metode,
        masa_tenggang=produk.masa_tenggang,
        denda_ppm=produk.denda_ppm,
    )
    return proposal_langkah(run=run, user=user, now=now)


@transaction.atomic
def penyaluran_serahkan_bank(*, sk: SkPenetapan, user, now=None) -> list[JalanProposal]:
    """SOP 20 step 6: the Kepala UPT hands the recipients' list (the xlsx) to the bank: the
    step of every signed agreement of the decree completes in one batch."""
    now = now or timezone.now()
    runs = list(
        JalanProposal.objects.select_for_update(of=("self",))
        .filter(proposal__keputusan__sk=sk, status="serahkan-daftar-bank")
        .select_related("proposal", "unit", "sop")
        .order_by("pk")
    )
    if not runs:
        raise GagalTransisi(_("No signed agreement of this decree waits to go to the bank."))
    jalankan_massal(runs, "selesaikan", user=user, now=now, catatan=f"SK {sk.nomor}")
    return runs


@transaction.atomic
def penyaluran_realisasi(
    *, run: JalanProposal, user, tanggal: dt.date, now=None, status_terlihat=None
) -> Pinjaman:
    """SOP 20 step 7 (the bank's, recorded by the officer): the bank credited the recipient's
    account on ``tanggal``. The loan becomes active with its schedule fixed from that date
    (first installment one month later, the product's grace months), its collateral moves to
    it, and the run ends."""
    now = now or timezone.now()
    run = _terkunci(run)
    _cek(run, "realisasi-kredit", status_terlihat)
    _wajib(run, user, _("Record the realisation"))
    p = run.proposal
    if tanggal > tanggal_lokal(now, run.unit):
        raise GagalTransisi(_("The realisation date cannot be in the future."))
    if p.tanggal_perjanjian and tanggal < p.tanggal_perjanjian:
        raise GagalTransisi(_("The realisation date cannot be before the agreement."))
    k = KeputusanProposal.objects.get(proposal=p)
    produk = produk_unit(run.unit)
    p = Proposal.objects.get(pk=p.pk)
    debitur, _baru = Debitur.objects.get_or_create(
        unit=run.unit,
        nik=p.nik,
        defaults={
            "jenis": p.jenis,
            "nama": p.nama,
            "nomor_badan_hukum": p.nomor_badan_hukum,
            "pengurus": p.pengurus,
            "nib": p.nib,
            "sku": p.sku,
            "alamat": p.alamat,
            "no_hp": p.no_hp,
            "kecamatan_id": p.kecamatan_id,
            "desa_id": p.desa_id,
        },
    )
    reg = register_baru(
        unit=run.unit, jenis="DAGULIR-PINJAMAN", bagian=("PDB",), tahun=tanggal.year
    )
    pinjaman = pinjaman_buat(
        user=user,
        unit=run.unit,
        debitur=debitur,
        produk=produk,
        nomor=reg.teks,
        plafon=k.plafon,
        jasa_persen=p.jasa_persen,
        metode=p.metode,
        tenor=k.tenor,
        masa_tenggang=p.masa_tenggang,
        tanggal_pencairan=tanggal,
        jatuh_tempo_pertama=tambah_bulan(tanggal, 1),
        tujuan=p.tujuan,
        sumber=Pinjaman.Sumber.PENYALURAN,
        now=now,
    )
    Pinjaman.objects.filter(pk=pinjaman.pk).update(proposal=p, denda_ppm=p.denda_ppm)
    Jaminan.objects.filter(proposal=p, pinjaman__isnull=True).update(pinjaman=pinjaman)
    proposal_langkah(run=run, user=user, now=now, catatan=pinjaman.nomor)
    return Pinjaman.objects.get(pk=pinjaman.pk)
