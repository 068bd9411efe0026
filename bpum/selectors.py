"""Reads of the BPUM module. Every list, detail, export and service starts from
``sop.selectors.filter_lingkup(qs, user, "bpum")``: a village officer sees the village, a
district officer its villages, the agency the regency, the province all of Riau (read only)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.utils.functional import cached_property
from django.utils.translation import gettext

from sop.lacak import LangkahPublik, RingkasanPublik, inisial
from sop.laporan import PERSENTIL, persen_jejak, persentil_histogram, ringkasan_tersedia
from sop.models import Jejak, Langkah, LangkahBerjalan, Wilayah
from sop.penomoran import normalkan_kode
from sop.selectors import dalam_lingkup, filter_lingkup, memuat, wilayah_lingkup

from .models import (
    PREFIX_NOMOR,
    DuplikatKeputusan,
    EksporRekap,
    ImporRekap,
    Periode,
    Rekap,
    RingkasLangkahUsulan,
    RingkasRekap,
    RingkasUsulan,
    Usulan,
)

LAYANAN = Usulan.LAYANAN


def peran_bpum(user) -> dict:
    """Which tiers ``user`` acts in (menu, tiles, links; the services still check): desa,
    kecamatan, dinas (the agency's verification step), pimpinan (head of the agency), provinsi
    (a province officer), baca (read-only oversight). Remembered on the user for the request."""
    ingat = getattr(user, "_peran_bpum", None)
    if ingat is not None:
        return ingat
    from sop.models import Pelaksana, Sop
    from sop.selectors import penugasan_aktif

    from .models import LANGKAH_DESA, LANGKAH_DINAS, LANGKAH_KECAMATAN

    tugas = [t for t in penugasan_aktif(user) if LAYANAN in t.layanan]
    aktif = [t for t in tugas if not t.hanya_baca]
    hasil = {
        "desa": False,
        "kecamatan": False,
        "dinas": False,
        "pimpinan": False,
        "provinsi": False,
        "baca": bool(tugas) and not aktif,
    }
    sop = Sop.objects.berlaku().filter(kode=Usulan.SOP_KODE).first() if aktif else None
    if sop is not None:
        langkah = sop.langkah_per_kode()
        for key, kode in (
            ("desa", LANGKAH_DESA),
            ("kecamatan", LANGKAH_KECAMATAN),
            ("dinas", LANGKAH_DINAS),
        ):
            lk = langkah.get(kode)
            # the step's own performers (an external step's recorder is not its tier)
            peran = {p.pk for p in lk.pelaksana.all() if not p.eksternal} if lk else set()
            hasil[key] = any(t.peran_ids & peran for t in aktif)
    kode = dict(
        Pelaksana.objects.filter(kode__in=("kepala_dinas", "petugas_provinsi")).values_list(
            "kode", "pk"
        )
    )
    hasil["pimpinan"] = any(kode.get("kepala_dinas") in t.peran_ids for t in aktif)
    hasil["provinsi"] = any(
        kode.get("petugas_provinsi") in t.peran_ids and t.wilayah_kode.count(".") == 0
        for t in aktif
    )
    hasil["menu"] = {
        "usulan": True,
        "rekap": any(hasil[k] for k in ("kecamatan", "dinas", "pimpinan", "provinsi", "baca")),
        "impor": hasil["kecamatan"] or hasil["dinas"] or hasil["provinsi"],
        "ekspor": True,
        "duplikat": any(hasil[k] for k in ("dinas", "pimpinan", "provinsi", "baca")),
        "dasbor": any(hasil[k] for k in ("kecamatan", "dinas", "pimpinan", "provinsi", "baca")),
        "periode": hasil["dinas"] or hasil["pimpinan"],
    }
    if getattr(user, "is_superuser", False):
        hasil["menu"] = dict.fromkeys(hasil["menu"], True)
    user._peran_bpum = hasil
    return hasil


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


# --------------------------------------------------------------------------- batch members
class PaginatorAnggotaRekap(Paginator):
    """The proposals of a batch in the order of the rekap sheet: district name, village name,
    applicant name. The villages are the segments: their sizes come from one GROUP BY on the
    batch's index, their order from the region names (a few dozen rows), and a page's keys from
    one query over the villages it spans (row number within each village, on the index
    (batch, village, name, id)): no join of regions x members, no OFFSET over the batch."""

    def __init__(self, rekap: Rekap, per_page: int):
        self.field = (
            "rekap_kecamatan" if rekap.tingkat == Rekap.Tingkat.KECAMATAN else "rekap_kabupaten"
        )
        self.anggota = Usulan.objects.filter(**{self.field: rekap})
        if ringkasan_tersedia():  # the sizes the triggers keep (ADR 0019): constant per page
            per_desa = dict(
                RingkasRekap.objects.filter(rekap=rekap, n__gt=0).values_list("wilayah_id", "n")
            )
        else:
            per_desa = dict(
                self.anggota.order_by().values_list("wilayah_id").annotate(n=Count("id"))
            )
        urut = Wilayah.objects.filter(kode__in=list(per_desa)).values_list(
            "kode", "nama", "induk__nama"
        )
        self.segmen = [
            (kode, per_desa[kode])
            for kode, _n, _k in sorted(urut, key=lambda w: (w[2] or "", w[1], w[0]))
        ]
        super().__init__(self.anggota, per_page)

    @cached_property
    def count(self) -> int:
        return sum(n for _k, n in self.segmen)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        q = Q()
        mulai = 0
        urutan_desa = {}
        for kode, n in self.segmen:
            a, b = max(bottom - mulai, 0), min(top - mulai, n)
            if a < b:  # rows a+1 .. b of this village (1-based row numbers)
                q |= Q(wilayah_id=kode, _rn__gt=a, _rn__lte=b)
                urutan_desa[kode] = len(urutan_desa)
            mulai += n
        rows = []
        if urutan_desa:
            kunci = (
                self.anggota.filter(wilayah_id__in=list(urutan_desa))
                .annotate(
                    _rn=Window(RowNumber(), partition_by=[F("wilayah_id")], order_by=["nama", "pk"])
                )
                .filter(q)
                .values_list("pk", "wilayah_id", "nama")
            )
            urut = sorted(kunci, key=lambda r: (urutan_desa[r[1]], r[2], r[0]))
            posisi = {r[0]: i for i, r in enumerate(urut)}
            rows = sorted(
                Usulan.objects.filter(pk__in=list(posisi)).select_related(
                    "wilayah", "kecamatan", "pemeriksaan"
                ),
                key=lambda o: posisi[o.pk],
            )
        return self._get_page(rows, number, self)


# --------------------------------------------------------------------------- dashboard
def _sumber_hitungan(user, periode: Periode | None, *, kecamatan: str, **filter_) -> QuerySet:
    """The summary rows (PostgreSQL) or the proposals (elsewhere) in the user's scope."""
    if ringkasan_tersedia():
        qs = filter_lingkup(RingkasUsulan.objects.all(), user, LAYANAN)
        if kecamatan:
            qs = qs.filter(wilayah__kode__startswith=kecamatan + ".")
    else:
        qs = usulan_lingkup(user)
        if kecamatan:
            qs = qs.filter(kecamatan_id=kecamatan)
    if periode is not None:
        qs = qs.filter(periode=periode)
    return qs.filter(**filter_).order_by()


def hitungan_per_desa(user, periode: Periode | None, *, kecamatan: str = "", **filter_) -> QuerySet:
    """Rows (wilayah_id, status, n): proposals per village and state in the user's scope, from
    the summary rows on PostgreSQL (``RingkasUsulan``, kept by triggers: a few hundred rows
    whatever the number of proposals), else one GROUP BY over the proposals. ``filter_``:
    ``status`` and/or ``duplikat``."""
    qs = _sumber_hitungan(user, periode, kecamatan=kecamatan, **filter_)
    n = Sum("n") if ringkasan_tersedia() else Count("id")
    return qs.values_list("wilayah_id", "status").annotate(n=n)


def jumlah_usulan(user, periode: Periode | None, *, kecamatan: str = "", **filter_) -> int:
    """How many proposals a list with these filters has (the paginator's count), in constant
    time on PostgreSQL (summary rows), summed in SQL."""
    qs = _sumber_hitungan(user, periode, kecamatan=kecamatan, **filter_)
    if ringkasan_tersedia():
        return int(qs.aggregate(n=Sum("n"))["n"] or 0)
    return qs.count()


def hitungan_status(user, periode: Periode | None, *, kecamatan: str = "") -> list[dict]:
    """Counts per state per district (or, with ``kecamatan``, per village of that district):
    village rows from ``hitungan_per_desa`` summed into their district (the district code is the
    village code's first three parts) and named with one more query."""
    per = "desa" if kecamatan else "kecamatan"
    hitung: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for desa, status, n in hitungan_per_desa(user, periode, kecamatan=kecamatan):
        if not n:
            continue
        kode = desa.rsplit(".", 1)[0] if per == "kecamatan" else desa
        hitung[kode][status] += int(n)
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


def _kepatuhan_per_kode(user, periode: Periode | None) -> dict[str, dict]:
    """step code -> {selesai, tepat, lewat, median}: every step-log row of the user's proposals
    with a step, revisions merged by step code; in SQL (summary rows on PostgreSQL)."""
    langkah = dict(Langkah.objects.filter(sop__kode=Usulan.SOP_KODE).values_list("pk", "kode"))
    kodes = sorted(set(langkah.values()))
    nomor = {k: i for i, k in enumerate(kodes)}
    grup = Case(
        *[
            When(
                **{"langkah_id__in": [p for p, k in langkah.items() if k == kd]},
                then=Value(nomor[kd]),
            )
            for kd in kodes
        ],
        default=Value(-1),
        output_field=IntegerField(),
    )
    if ringkasan_tersedia():
        qs = filter_lingkup(RingkasLangkahUsulan.objects.all(), user, LAYANAN)
        if periode is not None:
            qs = qs.filter(periode=periode)
        qs = qs.annotate(_g=grup)
        hitung = (
            qs.order_by()
            .values("_g")
            .annotate(
                selesai=Sum("n"),
                tepat=Coalesce(Sum("n", filter=Q(terlambat=0)), 0),
                lewat=Coalesce(Sum("n", filter=Q(terlambat=1)), 0),
            )
        )
        median = persentil_histogram(
            qs.filter(terlambat__gte=0, persen10__gte=0)
            .annotate(_v=F("persen10"))
            .values("_g", "_v")
            .annotate(_k=Sum("n")),
            grup="_g",
            nilai="_v",
            jumlah="_k",
            ps=[PERSENTIL[0]],
        )
        skala = 10.0
    else:
        ct = ContentType.objects.get_for_model(Usulan)
        usulan = usulan_lingkup(user)
        if periode is not None:
            usulan = usulan.filter(periode=periode)
        qs = Jejak.objects.filter(
            content_type=ct,
            langkah__isnull=False,
            object_id__in=usulan.annotate(s=Cast("pk", CharField())).values("s"),
        ).annotate(_g=grup)
        hitung = (
            qs.order_by()
            .values("_g")
            .annotate(
                selesai=Count("id"),
                tepat=Count("id", filter=Q(terlambat=False)),
                lewat=Count("id", filter=Q(terlambat=True)),
            )
        )
        median = persentil_histogram(
            qs.filter(terlambat__isnull=False, menit_batas__gt=0)
            .annotate(_v=persen_jejak())
            .values("_g", "_v")
            .annotate(_k=Count("id")),
            grup="_g",
            nilai="_v",
            jumlah="_k",
            ps=[PERSENTIL[0]],
        )
        skala = 1.0
    hasil = {}
    for r in hitung:
        if r["_g"] < 0:
            continue
        m = median.get(r["_g"], [None])[0]
        hasil[kodes[r["_g"]]] = {
            "selesai": int(r["selesai"]),
            "tepat": int(r["tepat"]),
            "lewat": int(r["lewat"]),
            "median": None if m is None else round(m / skala, 1),
        }
    return hasil


def kepatuhan_langkah(user, periode: Periode | None) -> list[dict]:
    """SLA compliance of each PAIS-UMI step (each tier) over the step log of the proposals the
    user may see: finished count, met, breached, compliance and the median share of the limit
    used (all revisions of a step together). Steps without a tracked time limit are listed as
    not tracked."""
    from sop.engine import langkah_eksternal

    per_kode = _kepatuhan_per_kode(user, periode)
    kosong = {"selesai": 0, "tepat": 0, "lewat": 0, "median": None}
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
        d = per_kode.get(lk.kode, kosong)
        total = d["tepat"] + d["lewat"]
        dilacak = (lk.batas or {}).get("jenis", "tidak_dilacak") != "tidak_dilacak"
        hari = periode.hari_batas(lk.kode) if periode is not None and not dilacak else None
        hasil.append(
            {
                "langkah": lk,
                # the round's limit where the SOP has none (Usulan.batas_langkah)
                "waktu": lk.waktu
                or (gettext("%(n)s working days (round)") % {"n": hari} if hari else "-"),
                "dilacak": dilacak or bool(hari),
                # performed outside the office (the SOP's external column): a window, never a
                # breach against an officer (ADR 0009)
                "eksternal": langkah_eksternal(lk),
                "selesai": d["selesai"],
                "tepat": d["tepat"],
                "lewat": d["lewat"],
                "kepatuhan": round(100 * d["tepat"] / total, 1) if total else None,
                "median": d["median"],
            }
        )
    return hasil


# --------------------------------------------------------------------------- completeness
def q_kurang(periode: Periode) -> Q:
    """Proposals the agency would verify without complete files (``Usulan.kurang_verifikasi``
    in SQL): a required document neither attached nor covered by the district's physical check,
    or the declarations neither ticked nor checked. One query for the round's certificates
    (one per district action) turns "covered" into ``pemeriksaan_id IN (...)``."""
    from .models import DOKUMEN_FIELD, PERNYATAAN, PemeriksaanBerkas

    sertifikat = list(
        PemeriksaanBerkas.objects.filter(periode=periode).values_list("pk", "dokumen")
    )

    def mencakup(kode: str) -> list[int]:
        return [pk for pk, dok in sertifikat if kode in (dok or [])]

    q = Q(pk__in=[])
    for kode in periode.dokumen_wajib or []:
        field = DOKUMEN_FIELD.get(kode)
        if field is None:
            continue
        q |= (Q(**{field: ""}) | Q(**{f"{field}__isnull": True})) & ~Q(
            pemeriksaan_id__in=mencakup(kode)
        )
    q |= (Q(bukan_pegawai=False) | Q(tidak_menerima_kur=False)) & ~Q(
        pemeriksaan_id__in=mencakup(PERNYATAAN)
    )
    return q


def jam_usulan(u: Usulan):
    """The open step clock of one proposal (None when finished)."""
    ct = ContentType.objects.get_for_model(Usulan)
    return (
        LangkahBerjalan.objects.terbuka()
        .filter(content_type=ct, object_id=str(u.pk))
        .select_related("langkah")
        .first()
    )


def ringkasan_kirim(rekap: Rekap) -> dict:
    """What sending a batch sends (the confirmation page): the proposals that move, per village
    (district batch) or per district (regency batch), those without complete files, duplicates
    and dropped ones that stay behind. Grouped in SQL."""
    kec = rekap.tingkat == Rekap.Tingkat.KECAMATAN
    f = "rekap_kecamatan" if kec else "rekap_kabupaten"
    qs = Usulan.objects.filter(**{f: rekap})
    kelompok = "wilayah__nama" if kec else "kecamatan__nama"
    per = list(
        qs.exclude(status=Usulan.Status.GUGUR)
        .order_by()
        .values_list(kelompok)
        .annotate(n=Count("id"))
        .order_by(kelompok)
    )
    return {
        "per": per,
        "jumlah": sum(n for _k, n in per),
        "kurang": qs.filter(q_kurang(rekap.periode)).count() if kec else 0,
        "ganda": qs.filter(duplikat=True).count(),
        "gugur": qs.filter(status=Usulan.Status.GUGUR).count(),
        "kelompok": "desa" if kec else "kecamatan",
    }


def provinsi_ekspor(user) -> list[tuple[Wilayah, list[str]]]:
    """Provinces whose rekap across regencies ``user`` may download (a scope covering the whole
    province: its officers and its read-only oversight), each with its round codes."""
    kodes = [k for k in wilayah_lingkup(user, LAYANAN) if "." not in k]
    if getattr(user, "is_superuser", False):
        kodes = sorted(
            {k.split(".")[0] for k in Periode.objects.values_list("wilayah_id", flat=True)}
        )
    hasil = []
    for w in Wilayah.objects.filter(kode__in=kodes, tingkat=Wilayah.Tingkat.PROVINSI).order_by(
        "kode"
    ):
        periode = sorted(
            set(
                Periode.objects.filter(wilayah__kode__startswith=w.kode + ".").values_list(
                    "kode", flat=True
                )
            ),
            reverse=True,
        )
        if periode:
            hasil.append((w, periode))
    return hasil
