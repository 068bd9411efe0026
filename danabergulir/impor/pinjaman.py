"""The existing loan book import: validate rows, match them to loans already in the book, and
write new loans (with their schedules) in bulk.

Natural key: the loan number (case and spacing ignored). A row equal to the loan in the book is
"unchanged"; a row that differs updates the debtor's data, and its terms only while the loan
has no posting (a new schedule version "koreksi"; the old one is kept). Terms of a loan that
already has postings change only by restructuring: such a row is an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sop.engine import GagalTransisi
from sop.lembar import HasilBaca, RowError
from sop.models import Unit, Wilayah

from .. import izin
from ..hitung import Metode, persen_ke_ppm
from ..models import Angsuran, Debitur, JadwalVersi, Pembayaran, Pinjaman, Produk, normal_nomor
from ..services import _angsuran_versi, cek_syarat, versi_buat

JENIS = {
    "koperasi": Debitur.Jenis.KOPERASI,
    "kop": Debitur.Jenis.KOPERASI,
    "ksp": Debitur.Jenis.KOPERASI,
    "ksu": Debitur.Jenis.KOPERASI,
    "kspps": Debitur.Jenis.KOPERASI,
    "umkm": Debitur.Jenis.UMKM,
    "ukm": Debitur.Jenis.UMKM,
    "um": Debitur.Jenis.UMKM,
    "usahamikro": Debitur.Jenis.UMKM,
    "usahamikrokecilmenengah": Debitur.Jenis.UMKM,
    "perorangan": Debitur.Jenis.UMKM,
}
METODE = {
    "flat": Metode.FLAT,
    "tetap": Metode.FLAT,
    "anuitas": Metode.ANUITAS,
    "annuitas": Metode.ANUITAS,
    "anuity": Metode.ANUITAS,
    "annuity": Metode.ANUITAS,
    "menurun": Metode.MENURUN,
    "efektifmenurun": Metode.MENURUN,
    "sliding": Metode.MENURUN,
    "slidingrate": Metode.MENURUN,
}
SYARAT = ("plafon", "jasa_persen", "metode", "tenor", "tanggal_pencairan", "jatuh_tempo_pertama")


def _kunci(s: str) -> str:
    return "".join(ch for ch in s.casefold() if ch.isalnum())


@dataclass
class BarisPinjaman:
    row: int
    nomor: str
    nama: str
    jenis: str
    nik: str
    kecamatan: Wilayah
    desa: Wilayah | None
    plafon: int
    jasa_persen: Decimal
    metode: str
    tenor: int
    tanggal_pencairan: dt.date
    jatuh_tempo_pertama: dt.date

    def syarat(self) -> tuple:
        return tuple(getattr(self, f) for f in SYARAT)


@dataclass
class RencanaPinjaman:
    total_baris: int = 0
    errors: list[RowError] = field(default_factory=list)
    baru: list[BarisPinjaman] = field(default_factory=list)
    ubah: list[tuple[int, BarisPinjaman, bool]] = field(default_factory=list)  # pk, row, terms
    sama: list[int] = field(default_factory=list)
    pratinjau: list[dict] = field(default_factory=list)

    def hitungan(self) -> dict[str, int]:
        return {"created": len(self.baru), "updated": len(self.ubah), "unchanged": len(self.sama)}


def _wilayah(unit: Unit):
    kec = {
        _kunci(w.nama): w
        for w in Wilayah.objects.filter(
            induk_id=unit.wilayah_id[:5], tingkat=Wilayah.Tingkat.KECAMATAN
        )
    }
    desa: dict[tuple[str, str], Wilayah] = {}
    for w in Wilayah.objects.filter(
        induk__induk_id=unit.wilayah_id[:5], tingkat=Wilayah.Tingkat.DESA
    ):
        desa[(w.induk_id, _kunci(w.nama))] = w
    return kec, desa


def rencanakan_pinjaman(hasil: HasilBaca, unit: Unit) -> RencanaPinjaman:
    """Check every row (types came from the reader) and match it against the book."""
    r = RencanaPinjaman(total_baris=hasil.total_rows, errors=list(hasil.errors))
    kol = hasil.kolom
    pos = hasil.posisi
    kec, desa = _wilayah(unit)

    def salah(row, key, pesan):
        r.errors.append(RowError(row, kol.get(key, key), pesan, pos.get(key)))

    dilihat: dict[str, int] = {}
    calon: list[BarisPinjaman] = []
    for b in hasil.rows:
        n0 = len(r.errors)
        nomor = b["nomor"].strip()
        kunci = normal_nomor(nomor)
        if kunci in dilihat:
            salah(
                b.row,
                "nomor",
                _("Loan number %(n)s appears again (first in row %(r)s).")
                % {"n": nomor, "r": dilihat[kunci]},
            )
        dilihat.setdefault(kunci, b.row)
        jenis = JENIS.get(_kunci(b["jenis"]))
        if jenis is None:
            salah(
                b.row,
                "jenis",
                _('Kind "%(v)s" is not known: write Koperasi or UMKM.') % {"v": b["jenis"]},
            )
        k = kec.get(_kunci(b["kecamatan"]))
        if k is None:
            salah(
                b.row,
                "kecamatan",
                _('District "%(v)s" is not in %(kab)s.')
                % {"v": b["kecamatan"], "kab": unit.wilayah.nama},
            )
        d = None
        if b.get("desa") and k is not None:
            d = desa.get((k.kode, _kunci(b["desa"])))
            if d is None:
                salah(
                    b.row,
                    "desa",
                    _('Village "%(v)s" is not in district %(k)s.') % {"v": b["desa"], "k": k.nama},
                )
        plafon = b["plafon"]
        if plafon != plafon.to_integral_value() or plafon < 1:
            salah(b.row, "plafon", _("The amount must be whole rupiah of at least Rp1."))
        persen = (b["jasa"] * 100).normalize()
        if persen != persen.quantize(Decimal("0.01")) or not (0 <= persen <= 100):
            salah(
                b.row,
                "jasa",
                _("The service fee must be 0-100 %% per year with at most 2 decimals."),
            )
        metode = METODE.get(_kunci(b["metode"]))
        if metode is None:
            salah(
                b.row,
                "metode",
                _('Method "%(v)s" is not known: write flat, anuitas or menurun.')
                % {"v": b["metode"]},
            )
        tenor = b["tenor"]
        if tenor != tenor.to_integral_value() or not (1 <= tenor <= 600):
            salah(b.row, "tenor", _("The tenor must be a whole number of months from 1 to 600."))
        if len(r.errors) > n0:
            continue
        for f, pesan in cek_syarat(
            plafon=int(plafon),
            jasa_persen=persen,
            tenor=int(tenor),
            masa_tenggang=0,
            tanggal_pencairan=b["pencairan"],
            jatuh_tempo_pertama=b["pertama"],
        ):
            salah(b.row, {"jatuh_tempo_pertama": "pertama"}.get(f, f), pesan)
        if len(r.errors) > n0:
            continue
        calon.append(
            BarisPinjaman(
                b.row,
                nomor,
                b["nama"],
                jenis,
                b["nik"],
                k,
                d,
                int(plafon),
                persen.quantize(Decimal("0.01")),
                metode.value,
                int(tenor),
                b["pencairan"],
                b["pertama"],
            )
        )
    ada = {
        p.nomor_normal: p
        for p in Pinjaman.objects.filter(
            nomor_normal__in=[normal_nomor(c.nomor) for c in calon]
        ).select_related("debitur")
    }
    dibayar = set(
        Pembayaran.objects.filter(pinjaman__in=[p.pk for p in ada.values()])
        .values_list("pinjaman_id", flat=True)
        .distinct()
    )
    nik_ada = dict(
        Debitur.objects.filter(unit=unit, nik__in=[c.nik for c in calon]).values_list(
            "nik", "jenis"
        )
    )
    for c in calon:
        p = ada.get(normal_nomor(c.nomor))
        if p is not None and p.unit_id != unit.pk:
            salah(
                c.row,
                "nomor",
                _("Loan number %(n)s belongs to another office's book.") % {"n": c.nomor},
            )
            continue
        if nik_ada.get(c.nik, c.jenis) != c.jenis:
            salah(
                c.row,
                "jenis",
                _("NIK %(nik)s is already registered as another kind of debtor.") % {"nik": c.nik},
            )
            continue
        if p is None:
            r.baru.append(c)
            aksi = _("new")
        else:
            lama = (
                p.plafon,
                p.jasa_persen,
                p.metode,
                p.tenor,
                p.tanggal_pencairan,
                p.jatuh_tempo_pertama,
            )
            debitur_beda = (
                p.debitur.nik != c.nik
                or p.debitur.nama != c.nama
                or p.debitur.kecamatan_id != c.kecamatan.kode
                or p.debitur.desa_id != (c.desa.kode if c.desa else None)
            )
            syarat_beda = lama != c.syarat()
            if p.debitur.nik != c.nik:
                salah(
                    c.row,
                    "nik",
                    _("Loan %(n)s belongs to another debtor (NIK differs).") % {"n": c.nomor},
                )
                continue
            if syarat_beda and p.pk in dibayar:
                salah(
                    c.row,
                    "plafon",
                    _("Loan %(n)s already has payments: its terms change only by restructuring.")
                    % {"n": c.nomor},
                )
                continue
            if syarat_beda or debitur_beda:
                r.ubah.append((p.pk, c, syarat_beda))
                aksi = _("update")
            else:
                r.sama.append(p.pk)
                aksi = _("unchanged")
        if len(r.pratinjau) < 20:
            r.pratinjau.append(
                {
                    "row": c.row,
                    "nomor": c.nomor,
                    "nama": c.nama,
                    "plafon": c.plafon,
                    "aksi": str(aksi),
                }
            )
    r.errors.sort(key=lambda e: (e.row, e.col or 0))
    return r


@transaction.atomic
def terapkan_pinjaman(r: RencanaPinjaman, *, unit: Unit, user, now=None) -> dict[str, int]:
    """Write the plan: debtors, loans, schedule version 1 and installments in bulk."""
    izin.wajib(user, unit.wilayah_id, izin.PERAN_PETUGAS, _("Importing the loan book"))
    now = now or timezone.now()
    produk = Produk.objects.filter(unit=unit, aktif=True).order_by("pk").first()
    if produk is None:
        raise GagalTransisi(_("This office has no active loan product: set one up first."))
    semua = [*r.baru, *(c for _pk, c, _s in r.ubah)]
    debitur = {d.nik: d for d in Debitur.objects.filter(unit=unit, nik__in=[c.nik for c in semua])}
    baru_d = []
    for c in semua:
        d = debitur.get(c.nik)
        if d is None:
            d = Debitur(
                unit=unit, jenis=c.jenis, nik=c.nik, nama=c.nama, kecamatan=c.kecamatan, desa=c.desa
            )
            debitur[c.nik] = d
            baru_d.append(d)
        else:
            d.nama, d.kecamatan, d.desa = c.nama, c.kecamatan, c.desa
    Debitur.objects.bulk_create(baru_d, batch_size=1000)
    Debitur.objects.bulk_update(
        [d for d in debitur.values() if d not in baru_d],
        ["nama", "kecamatan", "desa"],
        batch_size=1000,
    )
    ppm = persen_ke_ppm(produk.denda_persen_harian)
    pinjaman = []
    for c in r.baru:
        d = debitur[c.nik]
        pinjaman.append(
            Pinjaman(
                nomor=c.nomor,
                nomor_normal=normal_nomor(c.nomor),
                unit=unit,
                wilayah_id=d.wilayah_id,
                kecamatan_id=d.kecamatan_id,
                debitur=d,
                produk=produk,
                plafon=c.plafon,
                jasa_persen=c.jasa_persen,
                metode=c.metode,
                tenor=c.tenor,
                denda_ppm=ppm,
                tanggal_pencairan=c.tanggal_pencairan,
                hari_pencairan=c.tanggal_pencairan.toordinal(),
                jatuh_tempo_pertama=c.jatuh_tempo_pertama,
                sumber=Pinjaman.Sumber.IMPOR,
                dibuat=now,
                dibuat_oleh=user,
            )
        )
    Pinjaman.objects.bulk_create(pinjaman, batch_size=1000)
    versi = [
        JadwalVersi(
            pinjaman=p,
            nomor=1,
            jenis=JadwalVersi.Jenis.AWAL,
            berlaku_mulai=p.tanggal_pencairan,
            hari_mulai=p.hari_pencairan,
            pokok=p.plafon,
            jasa_persen=p.jasa_persen,
            metode=p.metode,
            tenor=p.tenor,
            masa_tenggang=0,
            jatuh_tempo_pertama=p.jatuh_tempo_pertama,
            dibuat=now,
            dibuat_oleh=user,
        )
        for p in pinjaman
    ]
    JadwalVersi.objects.bulk_create(versi, batch_size=1000)
    angsuran = []
    for v in versi:
        angsuran.extend(_angsuran_versi(v))
        if len(angsuran) >= 5000:
            Angsuran.objects.bulk_create(angsuran)
            angsuran = []
    Angsuran.objects.bulk_create(angsuran)
    for pk, c, syarat in r.ubah:
        p = Pinjaman.objects.select_for_update().get(pk=pk)
        d = debitur[c.nik]
        p.wilayah_id, p.kecamatan_id = d.wilayah_id, d.kecamatan_id
        if not syarat:
            p.save(update_fields=["wilayah", "kecamatan"])
            continue
        if Pembayaran.objects.filter(pinjaman=p).exists():
            raise GagalTransisi(
                _("Loan %(n)s received a payment meanwhile: import again.") % {"n": p.nomor}
            )
        for f in SYARAT:
            setattr(p, f, getattr(c, f))
        p.save()
        versi_buat(
            pinjaman=p,
            user=user,
            jenis=JadwalVersi.Jenis.KOREKSI,
            mulai=p.tanggal_pencairan,
            pokok=p.plafon,
            jasa_persen=p.jasa_persen,
            metode=p.metode,
            tenor=p.tenor,
            masa_tenggang=0,
            jatuh_tempo_pertama=p.jatuh_tempo_pertama,
            alasan=_("Corrected by a loan book import."),
            now=now,
        )
    return r.hitungan()
