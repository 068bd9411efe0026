"""Verification that matches the work: the agency decides row by row inside a district batch,
and the district certifies the paper files of proposals that arrived without scans.

    rekap_verifikasi_baris(user=dinas, rekap=r, usulan_ids=[...], keputusan="terima", catatan="")
    rekap_verifikasi_baris(user=dinas, rekap=r, usulan_ids=[...], keputusan="kembalikan",
                           alasan_ids=[...], catatan="")
    usulan_periksa_fisik(user=camat, periode=p, kecamatan=k, usulan_ids=[...],
                         pemeriksa="Budi", tanggal=date(...), dokumen=["ktp", "kk"])

Accepted rows move on (``terima_dinas``), returned rows go back to the district and leave the
batch (``kembalikan_ke_kecamatan`` with ``lepas``), both through ``sop.massal.jalankan_massal``
(the engine's guard, clocks and step log for the whole selection at once). When no row of the
batch waits any more, the batch closes: accepted when at least one row moved on, else closed
(every row returned).
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sop import massal
from sop.engine import GagalTransisi, Konflik, jalankan, periksa_dulu
from sop.models import RiwayatPerubahan, Wilayah

from . import services
from .alasan import alasan_dari_katalog, beritahu_pengembalian, simpan_alasan
from .models import (
    LANGKAH_KECAMATAN,
    PemeriksaanBerkas,
    Periode,
    Rekap,
    Usulan,
    pilihan_pemeriksaan,
)

S = Usulan.Status
TERIMA, KEMBALIKAN = "terima", "kembalikan"


def _pilihan(rekap: Rekap, usulan_ids) -> list[Usulan]:
    ids = sorted({int(x) for x in usulan_ids or [] if str(x).isdigit()})
    if not ids:
        raise GagalTransisi(_("Select the proposals first."))
    objs = services._anggota(rekap, pk__in=ids)
    menunggu = [o for o in objs if o.status == S.DIREKAP]
    if len(menunggu) != len(ids):
        lain = next((o for o in objs if o.status != S.DIREKAP), None)
        raise Konflik(
            _(
                "Some selected proposals no longer wait in this batch (e.g. %(n)s: “%(s)s”). "
                "Reload the page."
            )
            % {"n": lain.nomor, "s": lain.label_status()}
            if lain is not None
            else _("Some selected proposals are not in this batch. Reload the page.")
        )
    return menunggu


@transaction.atomic
def rekap_verifikasi_baris(
    *,
    user,
    rekap: Rekap,
    usulan_ids,
    keputusan: str,
    alasan_ids=(),
    catatan: str = "",
    now: datetime | None = None,
) -> dict:
    """The agency accepts or returns the selected proposals of a sent district batch. Returns
    {"diterima": n, "dikembalikan": n, "rekap": the batch's state afterwards}."""
    now = now or timezone.now()
    rekap = services._kunci_rekap(rekap)
    if rekap.tingkat != Rekap.Tingkat.KECAMATAN:
        raise GagalTransisi(_("Row-by-row verification is for district batches."))
    services._periksa_terkirim(rekap, "diperiksa")
    periksa_dulu(rekap.terima, user=user)  # the agency of the batch's region, not read-only
    objs = _pilihan(rekap, usulan_ids)
    hasil = {"diterima": 0, "dikembalikan": 0}
    if keputusan == TERIMA:
        massal.jalankan_massal(
            objs,
            "terima_dinas",
            user=user,
            catatan_per=services.catatan_verifikasi(objs, rekap.nomor, catatan),
            now=now,
        )
        hasil["diterima"] = len(objs)
    elif keputusan == KEMBALIKAN:
        alasan, teks = alasan_dari_katalog(alasan_ids, catatan)
        massal.jalankan_massal(
            objs,
            "kembalikan_ke_kecamatan",
            user=user,
            catatan=_("Returned from batch %(r)s: %(a)s") % {"r": rekap.nomor, "a": teks},
            kwargs_per={o.pk: {"lepas": True} for o in objs},
            fields=["rekap_kecamatan"],
            now=now,
        )
        simpan_alasan([o.pk for o in objs], alasan)
        beritahu_pengembalian(
            objs,
            langkah=services.langkah_sop(rekap.sop, LANGKAH_KECAMATAN),
            dari=_("the regency agency"),
            alasan=teks,
            url=rekap.get_absolute_url(),
            kunci=f"bpum:kembali:baris:{rekap.pk}:{objs[0].pk}:{len(objs)}:{now.isoformat()}",
        )
        hasil["dikembalikan"] = len(objs)
    else:
        raise GagalTransisi(_("Unknown decision."))
    hasil["rekap"] = _tutup_bila_selesai(rekap, user=user, now=now)
    services.hitung_ulang_rekap(rekap)
    return hasil


def _tutup_bila_selesai(rekap: Rekap, *, user, now) -> str:
    """Close the batch once no proposal waits in it: accepted if any moved on, else closed."""
    sisa = Usulan.objects.filter(rekap_kecamatan=rekap)
    if sisa.filter(status=S.DIREKAP).exists():
        return rekap.status
    if sisa.exclude(status=S.GUGUR).exists():
        rekap = jalankan(rekap.terima, user=user, now=now, kwargs={"user": user, "now": now})
    else:
        teks = _("Every proposal of the batch was returned to the district.")
        rekap = jalankan(
            rekap.tutup,
            user=user,
            now=now,
            catatan=teks,
            kwargs={"user": user, "now": now, "catatan": teks},
        )
    return rekap.status


# --------------------------------------------------------------------------- physical check
@transaction.atomic
def usulan_periksa_fisik(
    *,
    user,
    periode: Periode,
    kecamatan: Wilayah,
    usulan_ids,
    pemeriksa: str,
    tanggal: dt.date,
    dokumen: list[str],
    catatan: str = "",
    now: datetime | None = None,
) -> PemeriksaanBerkas:
    """The district certifies, in one action for the selected proposals, that their paper files
    were checked: by whom, on which date, which documents. Only proposals the district holds
    (complete, not in a sent batch). Kept as an immutable certificate; each proposal's field
    history records it."""
    now = now or timezone.now()
    services.izin_wilayah(
        user, kecamatan.kode, LANGKAH_KECAMATAN, tindakan=_("Certifying the physical check")
    )
    pemeriksa = " ".join((pemeriksa or "").split())[:200]
    boleh = {k for k, _l in pilihan_pemeriksaan()}
    dokumen = [d for d in dict.fromkeys(dokumen or []) if d in boleh]
    galat = {}
    if not pemeriksa:
        galat["pemeriksa"] = _("Write the name of the officer who checked the files.")
    if not dokumen:
        galat["dokumen"] = _("Tick the documents that were checked.")
    if tanggal is None or tanggal > timezone.localdate(now):
        galat["tanggal"] = _("The date of the check cannot be in the future.")
    elif tanggal < periode.dibuka:
        galat["tanggal"] = _("The date of the check is before the round opened (%(d)s).") % {
            "d": f"{periode.dibuka:%d-%m-%Y}"
        }
    if galat:
        raise ValidationError(galat)
    ids = sorted({int(x) for x in usulan_ids or [] if str(x).isdigit()})
    if not ids:
        raise GagalTransisi(_("Select the proposals first."))
    objs = list(
        Usulan.objects.select_for_update(of=("self",))
        .select_related("rekap_kecamatan", "pemeriksaan")
        .filter(pk__in=ids, periode=periode, kecamatan=kecamatan)
    )
    salah = [
        o
        for o in objs
        if o.status != S.LENGKAP
        or (o.rekap_kecamatan is not None and o.rekap_kecamatan.status not in Rekap.TERBUKA)
    ]
    if len(objs) != len(ids) or salah:
        raise Konflik(
            _(
                "Only proposals the district holds (complete, not in a sent batch) can be "
                "certified%(c)s. Reload the page."
            )
            % {"c": f" ({salah[0].nomor}: “{salah[0].label_status()}”)" if salah else ""}
        )
    sertifikat = PemeriksaanBerkas.objects.create(
        periode=periode,
        kecamatan=kecamatan,
        pemeriksa=pemeriksa,
        tanggal=tanggal,
        dokumen=dokumen,
        catatan=(catatan or "").strip(),
        jumlah=len(objs),
        user=user,
        waktu=now,
    )
    ct = ContentType.objects.get_for_model(Usulan)
    label = ", ".join(sertifikat.dokumen_label())
    baru = _("%(p)s, %(t)s: %(d)s") % {"p": pemeriksa, "t": f"{tanggal:%d-%m-%Y}", "d": label}
    RiwayatPerubahan.objects.bulk_create(
        [
            RiwayatPerubahan(
                content_type=ct,
                object_id=str(o.pk),
                field="pemeriksaan",
                lama=str(o.pemeriksaan) if o.pemeriksaan_id else "",
                baru=baru,
                user=user,
                waktu=now,
            )
            for o in objs
        ],
        batch_size=2000,
    )
    for potong in massal.potong([o.pk for o in objs]):
        Usulan.objects.filter(pk__in=potong).update(pemeriksaan=sertifikat, diubah=now)
    return sertifikat


def pesan_hasil(hasil: dict) -> str:
    """The officer's message after a row-by-row decision (Indonesian via the catalogue)."""
    bagian = []
    if hasil.get("diterima"):
        bagian.append(
            ngettext("%(n)s proposal verified", "%(n)s proposals verified", hasil["diterima"])
            % {"n": hasil["diterima"]}
        )
    if hasil.get("dikembalikan"):
        bagian.append(
            ngettext(
                "%(n)s proposal returned to the district",
                "%(n)s proposals returned to the district",
                hasil["dikembalikan"],
            )
            % {"n": hasil["dikembalikan"]}
        )
    return "; ".join(bagian) + "."
