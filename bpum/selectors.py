"""Reads of the BPUM module. Every list, detail, export and service starts from
``sop.selectors.filter_lingkup(qs, user, "bpum")``: a village officer sees the village, a
district officer its villages, the agency the regency, the province all of Riau (read only)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext

from sop.lacak import LangkahPublik, RingkasanPublik, inisial
from sop.laporan import kepatuhan
from sop.models import Jejak, Langkah, LangkahBerjalan, Wilayah
from sop.penomoran import normalkan_kode
from sop.selectors import dalam_lingkup, filter_lingkup, memuat, wilayah_lingkup

from .models import PREFIX_NOMOR, DuplikatKeputusan, EksporRekap, ImporRekap, Periode, Rekap, Usulan

LAYANAN = Usulan.LAYANAN


def usulan_lingkup(user) -> QuerySet:
    return filter_lingkup(Usulan.objects.all(), user, LAYANAN)


def rekap_lingkup(user) -> QuerySet:
    return filter_lingkup(Rekap.objects.all(), user, LAYANAN)


def impor_lingkup(user) -> QuerySet:
    return filter_lingkup(ImporRekap.objects.all(), user, LAYANAN)


def ekspor_lingkup(user) -> QuerySet:
    """Exports of regions in the user's scope, and the user's own (whose rows were taken from
    the user's scope, ``bpum.ekspor.usulan_ekspor_latar``, whatever region was chosen)."""
    dalam = filter_lingkup(EksporRekap.objects.all(), user, LAYANAN)
    if getattr(user, "is_superuser", False) or not getattr(user, "pk", None):
        return dalam
    return EksporRekap.objects.filter(Q(pk__in=dalam.values("pk")) | Q(dibuat_oleh=user))


def periode_lingkup(user) -> QuerySet:
    """Rounds of the regencies the user's offices lie in or cover."""
    if getattr(user, "is_superuser", False):
        return Periode.objects.select_related("wilayah")
    q = Q()
    kodes = wilayah_lingkup(user, LAYANAN)
    if not kodes:
        return Periode.objects.none()
    for k in kodes:
        q |= Q(wilayah_id=k[:5]) | Q(wilayah__kode__startswith=k + ".")
    return Periode.objects.filter(q).select_related("wilayah")


def periode_dipilih(user, pk) -> Periode | None:
    qs = periode_lingkup(user)
    if pk and str(pk).isdigit():
        p = qs.filter(pk=pk).first()
        if p is not None:
            return p
    return qs.order_by("-dibuka", "-pk").first()


def kecamatan_lingkup(user, periode: Periode | None) -> list[Wilayah]:
    """Districts of the round's regency the user may see (filters, export, dashboard)."""
    if periode is None:
        return []
    qs = Wilayah.objects.filter(induk_id=periode.wilayah_id, tingkat=Wilayah.Tingkat.KECAMATAN)
    return [w for w in qs.order_by("nama") if _lihat(user, w.kode)]


def desa_lingkup(user, kecamatan: list[Wilayah], kecamatan_dipilih: str = "") -> list[Wilayah]:
    """Villages for the list filter: those of the chosen district, or of the only district the
    user sees (a regency officer picks a district first: 236 options help nobody on a phone)."""
    kodes = [kecamatan_dipilih] if kecamatan_dipilih else [w.kode for w in kecamatan]
    if len(kodes) != 1 or not any(w.kode == kodes[0] for w in kecamatan):
        return []
    qs = Wilayah.objects.filter(induk_id=kodes[0], tingkat=Wilayah.Tingkat.DESA).order_by("nama")
    return [w for w in qs if _lihat(user, w.kode)]


def _lihat_semua(user, kode: str) -> bool:
    """The user's scope covers all of region ``kode``."""
    return dalam_lingkup(user, LAYANAN, kode)


def _lihat(user, kode: str) -> bool:
    """The user's scope covers region ``kode`` or a part of it."""
    if getattr(user, "is_superuser", False):
        return True
    return any(memuat(k, kode) or memuat(kode, k) for k in wilayah_lingkup(user, LAYANAN))


def lampirkan_jam(objs) -> None:
    """``obj.jam``: the open step clock of each proposal (one query per page)."""
    objs = list(objs)
    if not objs:
        return
    ct = ContentType.objects.get_for_model(Usulan)
    jam = {
        j.object_id: j
        for j in LangkahBerjalan.objects.terbuka().filter(
            content_type=ct, object_id__in=[str(o.pk) for o in objs]
        )
    }
    for o in objs:
        o.jam = jam.get(str(o.pk))


def keputusan_duplikat(user, usulan: Usulan) -> list[DuplikatKeputusan]:
    """The agency's decisions on this NIK in this round, as ``user`` may see them: the kept
    proposal's number only when it lies in the user's scope (``k.dipertahankan_terlihat``).
    A village officer must not learn another village's registration number: with the NIK's
    last four digits it opens that proposal on the public status page."""
    daftar = list(
        DuplikatKeputusan.objects.filter(periode_id=usulan.periode_id, nik=usulan.nik)
        .select_related("user", "dipertahankan")
        .order_by("-waktu", "-pk")
    )
    ids = {k.dipertahankan_id for k in daftar if k.dipertahankan_id}
    terlihat = set(usulan_lingkup(user).filter(pk__in=ids).values_list("pk", flat=True))
    for k in daftar:
        k.dipertahankan_terlihat = k.dipertahankan if k.dipertahankan_id in terlihat else None
    return daftar


def cari_publik(nomor: str, nik4: str) -> Usulan | None:
    """The proposal with this registration number (any case, spaces, "BPUM-" optional) whose
    NIK ends in ``nik4``: BPUM's second factor, the receipt carries no PIN."""
    nomor = normalkan_kode(nomor, PREFIX_NOMOR)
    nik4 = (nik4 or "").strip()
    if not nomor or len(nik4) != 4 or not nik4.isdigit():
        return None
    return Usulan.objects.filter(nomor=nomor, nik__endswith=nik4).select_related("periode").first()


# Labels the applicant sees (no names, no NIK): what happened, not who did it.
LABEL_PUBLIK = {
    "diajukan": "Usulan diterima di kantor desa/kelurahan",
    "dikembalikan": "Berkas dikembalikan: mohon lengkapi berkas di kantor desa/kelurahan",
    "lengkap": "Berkas lengkap, direkap kecamatan",
    "direkap": "Dikirim kecamatan ke Dinas Koperasi dan UKM kabupaten",
    "diverifikasi": "Diverifikasi Dinas Koperasi dan UKM kabupaten",
    "dikirim_provinsi": "Dikirim ke dinas provinsi",
    "diteruskan": "Diteruskan ke Kementerian Koperasi dan UKM",
    "diterima": "Diterima sebagai penerima BPUM",
    "ditolak": "Tidak diterima",
    "gugur": "Tidak diproses: data ganda (NIK sudah diusulkan)",
}


def linimasa_publik(u: Usulan) -> list[LangkahPublik]:
    """Each public state change once, oldest first (one query)."""
    ct = ContentType.objects.get_for_model(Usulan)
    rows = (
        Jejak.objects.filter(content_type=ct, object_id=str(u.pk), publik=True)
        .order_by("selesai", "pk")
        .values_list("ke", "selesai")
    )
    hasil: list[LangkahPublik] = []
    sebelum = None
    for ke, waktu in rows:
        label = LABEL_PUBLIK.get(ke)
        if label and ke != sebelum:
            hasil.append(LangkahPublik(label, selesai=waktu))
            sebelum = ke
    return hasil


def pesan_publik(u: Usulan) -> list[str]:
    """What the applicant must act on, or the ministry's stated reason for a refusal."""
    if u.status == Usulan.Status.DIKEMBALIKAN:
        alasan = [a.teks for a in u.alasan_pengembalian.all()]
        if alasan:
            return [gettext("Please complete: %(a)s") % {"a": "; ".join(alasan)}]
    if u.status == Usulan.Status.DITOLAK and u.keterangan_kementerian.strip():
        return [
            gettext("Reason given by the ministry: %(a)s") % {"a": u.keterangan_kementerian.strip()}
        ]
    return []


def ringkasan_publik(u: Usulan) -> RingkasanPublik:
    """What the public status page shows: labels, dates, the applicant's initials."""
    return RingkasanPublik(
        kode=u.nomor,
        layanan=u.periode.nama,
        status=LABEL_PUBLIK.get(u.status, ""),
        inisial=inisial(u.nama),
        diterima=u.dibuat,
        selesai=u.status in Usulan.STATUS_SELESAI,
        pesan=pesan_publik(u),
        linimasa=linimasa_publik(u),
    )


# --------------------------------------------------------------------------- dashboard
def hitungan_status(qs: QuerySet, *, per: str = "kecamatan") -> list[dict]:
    """Counts per state per district (or village): one GROUP BY (village, state) query that the
    (wilayah, status) index answers without a join; villages are summed into their district
    (the district code is the village code's first three parts) and named with one more query."""
    rows = qs.order_by().values_list("wilayah_id", "status").annotate(n=Count("id"))
    hitung: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for desa, status, n in rows:
        kode = desa.rsplit(".", 1)[0] if per == "kecamatan" else desa
        hitung[kode][status] += n
    nama = dict(Wilayah.objects.filter(kode__in=list(hitung)).values_list("kode", "nama"))
    tabel: dict[str, dict] = {}
    for kode, per_status in hitung.items():
        tabel[kode] = {
            "kode": kode,
            "nama": nama.get(kode, kode),
            "per_status": per_status,
            "total": sum(per_status.values()),
        }
    hasil = sorted(tabel.values(), key=lambda t: t["nama"])
    maks = max((t["total"] for t in hasil), default=0)
    urutan = [s for s, _ in Usulan.Status.choices]
    for t in hasil:
        t["sel"] = [(s, t["per_status"].get(s, 0)) for s in urutan]
        x = 0.0
        t["batang"] = []
        for s, n in t["sel"]:
            if n:
                w = 100.0 * n / maks
                t["batang"].append({"status": s, "x": round(x, 2), "w": round(w, 2), "n": n})
                x += w
    return hasil


def kepatuhan_langkah(user, periode: Periode | None) -> list[dict]:
    """SLA compliance of each PAIS-UMI step (each tier), from the step log of the proposals the
    user may see (``sop.laporan.kepatuhan`` per step, revisions merged by step code). Steps
    without a tracked time limit are listed as not tracked."""
    ct = ContentType.objects.get_for_model(Usulan)
    usulan = usulan_lingkup(user)
    if periode is not None:
        usulan = usulan.filter(periode=periode)
    jejak = Jejak.objects.filter(
        content_type=ct,
        sop__kode=Usulan.SOP_KODE,
        object_id__in=usulan.annotate(s=Cast("pk", CharField())).values("s"),
    )
    per_kode: dict[str, dict] = defaultdict(
        lambda: {"tepat": 0, "lewat": 0, "median": None, "_n": 0, "selesai": 0}
    )
    baris = kepatuhan(jejak, dimensi="langkah")
    kode_langkah = dict(
        Langkah.objects.filter(
            pk__in=[int(b.kunci) for b in baris if b.kunci.isdigit()]
        ).values_list("pk", "kode")
    )
    for b in baris:
        d = per_kode[kode_langkah.get(int(b.kunci), b.kunci) if b.kunci.isdigit() else b.kunci]
        d["tepat"] += b.tepat
        d["lewat"] += b.lewat
        if b.total > d["_n"]:
            d["median"], d["_n"] = b.median_persen, b.total
    for kode, n in (
        jejak.filter(langkah__isnull=False)
        .order_by()
        .values_list("langkah__kode")
        .annotate(n=Count("id"))
    ):
        per_kode[kode]["selesai"] += n
    hasil = []
    langkah = (
        Langkah.objects.filter(
            sop__kode=Usulan.SOP_KODE,
            sop__status="berlaku",
            kode__in=set(Usulan.LANGKAH_PER_STATUS.values()),
        )
        .order_by("nomor")
        .prefetch_related("pelaksana")
    )
    for lk in langkah:
        d = per_kode[lk.kode]
        total = d["tepat"] + d["lewat"]
        hasil.append(
            {
                "langkah": lk,
                "waktu": lk.waktu or "-",
                "dilacak": (lk.batas or {}).get("jenis", "tidak_dilacak") != "tidak_dilacak",
                "selesai": d["selesai"],
                "tepat": d["tepat"],
                "lewat": d["lewat"],
                "kepatuhan": round(100 * d["tepat"] / total, 1) if total else None,
                "median": d["median"],
            }
        )
    return hasil
