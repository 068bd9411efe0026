"""Reads of the SOP runs on the screens: the proposal queue, the collection board, the bank's
list, and a record's step log and clocks across all its runs (one query per record)."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet

from sop.lembar import Jenis, Kolom, tulis_tabel
from sop.models import LangkahBerjalan
from sop.models.definisi import sop_siap
from sop.selectors import filter_lingkup, jam_induk, jejak_induk

from ..izin import LAYANAN
from ..models import JalanPenagihan, JalanProposal, KeputusanProposal, Proposal, SkPenetapan

# ------------------------------------------------------------------ SOP 20: the bank's list
KOLOM_DAFTAR_BANK = (
    Kolom("no", "No", jenis=Jenis.ANGKA, lebar=5),
    Kolom("nama", "Nama Penerima", lebar=32),
    Kolom("nik", "NIK", jenis=Jenis.NIK, lebar=20),
    Kolom("rekening", "No Rekening", teks=True, lebar=20),
    Kolom("bank", "Bank", lebar=20),
    Kolom("jumlah", "Jumlah", jenis=Jenis.UANG, lebar=16),
    Kolom("perjanjian", "No Perjanjian", teks=True, lebar=24),
)


def daftar_bank(sk) -> list[tuple]:
    """The recipients of a decree for the bank: name, NIK, account, bank, amount, agreement."""
    rows = (
        KeputusanProposal.objects.filter(sk=sk, disetujui=True)
        .select_related("proposal")
        .order_by("pk")
    )
    return [
        (
            i,
            k.proposal.nama,
            k.proposal.nik,
            k.proposal.nomor_rekening,
            k.proposal.nama_bank,
            k.plafon,
            k.proposal.nomor_perjanjian,
        )
        for i, k in enumerate(rows, 1)
    ]


def daftar_bank_xlsx(sk) -> bytes:
    """The list as an xlsx through the shared safe writer (text never becomes a formula; NIK
    and account numbers stay text)."""
    buf = io.BytesIO()
    tulis_tabel(
        buf,
        [("Daftar Penerima", [k.label for k in KOLOM_DAFTAR_BANK], daftar_bank(sk))],
        kolom=KOLOM_DAFTAR_BANK,
    )
    return buf.getvalue()


# ------------------------------------------------------------------ SOP runs on the screens
def proposal_lingkup(user) -> QuerySet:
    """Proposals in the regions of the user's offices that run the loan book."""
    return filter_lingkup(Proposal.objects.all(), user, LAYANAN, field="wilayah")


def sk_lingkup(user) -> QuerySet:
    return filter_lingkup(SkPenetapan.objects.all(), user, LAYANAN, field="wilayah")


def jam_per_jalan(runs) -> dict[int, LangkahBerjalan]:
    """The open clock of each run (one query for a page of runs of one model)."""
    runs = list(runs)
    if not runs:
        return {}
    ct = ContentType.objects.get_for_model(type(runs[0]))
    rows = (
        LangkahBerjalan.objects.terbuka()
        .filter(content_type=ct, object_id__in=[str(r.pk) for r in runs])
        .select_related("langkah")
    )
    return {int(j.object_id): j for j in rows}


def antrean_proposal(user, *, sop: str = "", langkah: str = "") -> QuerySet:
    """Open proposal runs in the user's scope (the queue by step), most urgent first."""
    qs = (
        JalanProposal.objects.filter(proposal__in=proposal_lingkup(user))
        .exclude(status__in=JalanProposal.STATUS_SELESAI)
        .select_related("proposal", "proposal__kecamatan", "sop")
    )
    if sop:
        qs = qs.filter(sop__kode=sop)
    if langkah:
        qs = qs.filter(status=langkah)
    return qs.order_by("dibuat", "pk")


def hitung_per_langkah(user) -> list[dict]:
    """How many proposals wait in each step (SQL GROUP BY), in SOP and step order."""
    rows = (
        JalanProposal.objects.filter(proposal__in=proposal_lingkup(user))
        .exclude(status__in=JalanProposal.STATUS_SELESAI)
        .values("sop_id", "sop__kode", "status")
        .annotate(n=Count("pk"))
    )
    hasil = []
    for r in rows:
        lk = sop_siap(r["sop_id"]).langkah_per_kode().get(r["status"])
        hasil.append(
            {
                "sop": r["sop__kode"],
                "kode": r["status"],
                "nomor": lk.nomor if lk else 0,
                "kegiatan": lk.kegiatan if lk else r["status"],
                "n": r["n"],
            }
        )
    return sorted(hasil, key=lambda x: (x["sop"], x["nomor"]))


def surat_terakhir(pinjaman_ids) -> dict[int, JalanPenagihan]:
    """The latest letter of each loan's open collection cycle (one query)."""
    hasil: dict[int, JalanPenagihan] = {}
    for r in (
        JalanPenagihan.objects.filter(
            pinjaman_id__in=list(pinjaman_ids), siklus_ditutup__isnull=True
        )
        .select_related("sop")
        .order_by("pinjaman_id", "tingkat")
    ):
        hasil[r.pinjaman_id] = r
    return hasil


def papan_penagihan(per: dt.date, lingkup: QuerySet) -> list:
    """Loans in arrears on ``per`` (one query), worst first."""
    from . import posisi

    rows = [r for r in posisi(per, lingkup, urut=False) if r.dpd > 0]
    return sorted(rows, key=lambda r: (-r.dpd, r.nomor))


def _label_model(model) -> tuple[dict, dict]:
    field = model._meta.get_field(getattr(model, "STATUS_FIELD", "status"))
    transisi = {
        t.name: str(t.custom.get("label") or "")
        for t in getattr(field, "get_all_transitions", lambda m: [])(model)
        if t.custom.get("label")
    }
    status = {str(k): str(v) for k, v in (field.choices or [])}
    return transisi, status


def jejak_rekaman(*rekaman) -> list:
    """The step log of records and all their runs (``sop.selectors.jejak_induk``: one query
    per record), merged in time order, with labels: what happened, from/to by name, who, and
    the SOP it belongs to."""
    from django.utils.translation import gettext as _

    from sop.label import STATUS_UMUM, TRANSISI_UMUM, label_langkah, nama_orang

    rows = sorted(
        (j for r in rekaman if r is not None for j in jejak_induk(r)),
        key=lambda j: (j.selesai, j.pk),
    )
    umum_t = {k: str(v) for k, v in TRANSISI_UMUM.items()}
    umum_s = {k: str(v) for k, v in STATUS_UMUM.items()}
    per_model: dict[int, tuple[dict, dict]] = {}
    for j in rows:
        if j.content_type_id not in per_model:
            model = ContentType.objects.get_for_id(j.content_type_id).model_class()
            per_model[j.content_type_id] = _label_model(model)
        transisi, status = per_model[j.content_type_id]
        langkah = sop_siap(j.sop_id).langkah_per_kode() if j.sop_id else {}
        j.label = transisi.get(j.transisi) or umum_t.get(j.transisi) or _("Step completed")
        for attr in ("dari", "ke"):
            kode = getattr(j, attr)
            lk = langkah.get(kode)
            setattr(
                j,
                f"{attr}_label",
                umum_s.get(kode) or status.get(kode) or (label_langkah(lk) if lk else kode),
            )
        j.nama_user = nama_orang(j.user)
    return rows


def jam_rekaman(*rekaman) -> list:
    """Open clocks of records and all their runs (one query per record), earliest due first."""
    rows = [j for r in rekaman if r is not None for j in jam_induk(r)]
    return sorted(rows, key=lambda j: (j.tenggat is None, j.tenggat or j.mulai))
