"""A living demo round for ``setup_portal --demo``: a few hundred proposals of BPUM-2021 in six
villages (counter intake) and six more (district spreadsheets) of two districts of Indragiri
Hilir, in every state, over the last five weeks.

Everything goes through the engine's own paths with past ``now=`` values, so clocks, breaches,
the Lewat Tenggat board and compliance show what such a round looks like: rows are created in
bulk and started with ``sop.massal.mulai_proses_massal`` (like an import), moved with
``sop.massal.jalankan_massal`` or the module's services (batches, row-by-row verification, the
physical check, the province, duplicates, the ministry's answer), then ``sop.sla.sapu`` stamps
what is late. Fast (bulk writes, a few seconds) and idempotent (a round that already has
proposals is left alone). Documents are four small files shared by the counter proposals.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from sop import massal
from sop.models import Unit, Wilayah

from . import services, verifikasi
from .alasan import simpan_alasan
from .models import (
    DOKUMEN_FIELD,
    AlasanPengembalian,
    DuplikatKeputusan,
    Periode,
    Rekap,
    Usulan,
)

log = logging.getLogger(__name__)
S = Usulan.Status
WIB = ZoneInfo("Asia/Jakarta")

KODE_PERIODE, KABUPATEN = "BPUM-2021", "14.04"
KEC_TEMBILAHAN, KEC_RETEH = "14.04.04", "14.04.01"
# village -> its demo officer (counter intake)
LOKET = {
    "14.04.04.1001": "desa.tembilahan-kota",
    "14.04.04.1004": "desa.sungaiperak",
    "14.04.04.1002": "desa.tembilahan-hilir",
    "14.04.04.1006": "desa.pekan-arba",
    "14.04.01.1001": "desa.pulaukijang",
    "14.04.01.1017": "desa.metro",
}
# villages whose proposals reach the district on paper (district spreadsheet)
IMPOR = {
    KEC_TEMBILAHAN: ["14.04.04.1003", "14.04.04.1005", "14.04.04.1007"],
    KEC_RETEH: ["14.04.01.2002", "14.04.01.2003", "14.04.01.1018"],
}
PETUGAS_KEC = {KEC_TEMBILAHAN: "kecamatan.tembilahan", KEC_RETEH: "kecamatan.reteh"}

NAMA_DEPAN = [
    "Siti",
    "Ahmad",
    "Nurhayati",
    "Rahmat",
    "Dewi",
    "Hendra",
    "Yusnani",
    "Syafrizal",
    "Fitriani",
    "Zulkifli",
    "Rosmawati",
    "Bambang",
    "Asmah",
    "Darmawan",
    "Lestari",
    "Irwan",
    "Mardiana",
    "Sofyan",
    "Wahyuni",
    "Rudi",
    "Hasanah",
    "Ramli",
    "Erni",
    "Junaidi",
]
NAMA_BELAKANG = [
    "Aminah",
    "Saputra",
    "Harahap",
    "Lubis",
    "Siregar",
    "Nasution",
    "Hasibuan",
    "Pohan",
    "Ritonga",
    "Daulay",
    "Tanjung",
    "Sembiring",
    "Simatupang",
    "Panjaitan",
    "Rangkuti",
    "Batubara",
    "Matondang",
    "Pulungan",
]
USAHA = [
    "Warung sembako",
    "Kue basah",
    "Jahit pakaian",
    "Bengkel sepeda motor",
    "Kedai kopi",
    "Jual ikan asin",
    "Kerajinan anyaman pandan",
    "Pangkas rambut",
    "Gorengan",
    "Tambal ban",
    "Sayur keliling",
    "Laundry",
]

# A 4x4 grey PNG and a one-page PDF: the counter proposals' shared documents.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAAAAACMmsGiAAAAEUlEQVR4nGNgYPj/nwGKGRgAAEPRBP1xv2YAAAAASUVORK5CYII="
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def hari_kerja_lalu(sekarang: dt.datetime, n: int, jam: int = 9, menit: int = 0) -> dt.datetime:
    """``n`` working days (Monday-Friday) before ``sekarang``'s date, at ``jam:menit`` WIB."""
    d = timezone.localtime(sekarang, WIB).date()
    while n > 0:
        d -= dt.timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return dt.datetime.combine(d, dt.time(jam, menit), tzinfo=WIB)


class Pembuat:
    """Builds the round step by step; every write goes through the engine or the services."""

    def __init__(self, periode: Periode, sekarang: dt.datetime):
        self.periode = periode
        self.sekarang = sekarang
        self.sop = services.sop_berlaku()
        self.nomor = 0
        User = get_user_model()
        nama = {*LOKET.values(), *PETUGAS_KEC.values(), "dinas.inhil", "petugas.riau"}
        self.user = {u.username: u for u in User.objects.filter(username__in=nama)}
        self.unit = dict(
            Unit.objects.filter(
                jenis=Unit.Jenis.DESA, wilayah__induk__induk_id=KABUPATEN
            ).values_list("wilayah_id", "pk")
        )
        self.wilayah = {w.kode: w for w in Wilayah.objects.filter(kode__startswith=KABUPATEN)}
        self.alasan = {a.kode: a for a in AlasanPengembalian.objects.all()}
        self.berkas = self._berkas_contoh()

    def t(self, n: int, jam: int = 9, menit: int = 0) -> dt.datetime:
        return hari_kerja_lalu(self.sekarang, n, jam, menit)

    def _berkas_contoh(self) -> dict[str, str]:
        hasil = {}
        for jenis, isi, ext in (("ktp", PNG, "png"), ("kk", PDF, "pdf"), ("usaha", PDF, "pdf")):
            hasil[jenis] = self._simpan(f"bpum/demo/contoh-{jenis}.{ext}", isi)
        hasil["foto"] = self._simpan("bpum/demo/contoh-foto.png", PNG)
        return hasil

    @staticmethod
    def _simpan(nama: str, isi: bytes) -> str:
        if default_storage.exists(nama):
            return nama
        return default_storage.save(nama, ContentFile(isi))

    # ------------------------------------------------------------------ people and rows
    def _data(self) -> dict:
        i = self.nomor
        self.nomor += 1
        return {
            "nama": f"{NAMA_DEPAN[i % len(NAMA_DEPAN)]} {NAMA_BELAKANG[(i // 3) % len(NAMA_BELAKANG)]}",
            "alamat": f"Jl. {('Swarna Karya', 'Sudirman', 'H. Said', 'Baharuddin Yusuf')[i % 4]} "
            f"No. {1 + i % 97}, RT {1 + i % 9:02d}",
            "bidang_usaha": USAHA[i % len(USAHA)],
            "no_hp": f"+62812{7000000 + i * 37:07d}",
            "no_kk": f"1404{50000000 + i:012d}",
            "urut": i,
        }

    @staticmethod
    def nik_untuk(desa_kode: str, i: int) -> str:
        """A valid NIK of the village's district: DDMMYY (+40 for women), serial from 5000."""
        kec = desa_kode.split(".")[2]
        perempuan = i % 2 == 0
        hari = 1 + i % 28 + (40 if perempuan else 0)
        bulan = 1 + (i // 28) % 12
        tahun = 60 + (i // 7) % 40
        return f"1404{kec}{hari:02d}{bulan:02d}{tahun:02d}{5000 + i:04d}"

    def usulan(
        self,
        desa_kode: str,
        n: int,
        *,
        t: dt.datetime,
        impor: bool = False,
        nik: str | None = None,
    ) -> list[Usulan]:
        """``n`` proposals received at ``t``: at the village counter (documents and declarations,
        state ``diajukan``) or from a district spreadsheet (no scans, state ``lengkap``)."""
        kec = desa_kode.rsplit(".", 1)[0]
        user = self.user[PETUGAS_KEC[kec] if impor else LOKET[desa_kode]]
        nomor = Usulan.nomor_baru(n)
        objs = []
        for k in range(n):
            d = self._data()
            urut = d.pop("urut")
            u = Usulan(
                sop=self.sop,
                periode=self.periode,
                wilayah_id=desa_kode,
                kecamatan_id=kec,
                unit_id=self.unit[desa_kode],
                nomor=nomor[k],
                nik=nik or self.nik_untuk(desa_kode, urut),
                status=S.LENGKAP if impor else S.DIAJUKAN,
                sumber=Usulan.Sumber.IMPOR if impor else Usulan.Sumber.LOKET,
                bukan_pegawai=not impor,
                tidak_menerima_kur=not impor,
                dibuat=t,
                diubah=t,
                dibuat_oleh=user,
                **d,
            )
            if not impor:
                for jenis, field in DOKUMEN_FIELD.items():
                    setattr(u, field, self.berkas[jenis])
            objs.append(u)
        Usulan.objects.bulk_create(objs)
        massal.mulai_proses_massal(
            objs,
            user=user,
            now=t,
            transisi="impor" if impor else "mulai",
            catatan="Diimpor dari rekap kecamatan (data demo)."
            if impor
            else "Usulan diterima di kantor desa/kelurahan.",
        )
        return objs

    def jalan(self, objs: list[Usulan], nama: str, t: dt.datetime, **kw) -> list[Usulan]:
        """Transition ``nama`` on ``objs`` at ``t`` through ``sop.massal.jalankan_massal``,
        grouped by village so each group runs as the village's own officer."""
        per_desa: dict[str, list[int]] = {}
        for o in objs:
            per_desa.setdefault(o.wilayah_id, []).append(o.pk)
        hasil = []
        for desa, pks in per_desa.items():
            kunci = list(
                Usulan.objects.select_for_update(of=("self",))
                .select_related("periode", "pemeriksaan")
                .filter(pk__in=pks)
                .order_by("pk")
            )
            massal.jalankan_massal(kunci, nama, user=self.user[LOKET[desa]], now=t, **kw)
            hasil.extend(kunci)
        return hasil

    def lengkap(self, objs, t):
        return self.jalan(objs, "tandai_lengkap", t)

    # ------------------------------------------------------------------ batches
    def rekap(self, kec: str, objs, t: dt.datetime) -> Rekap:
        petugas = self.user[PETUGAS_KEC[kec]]
        rekap = services.rekap_terbuka(
            user=petugas,
            periode=self.periode,
            wilayah=self.wilayah[kec],
            tingkat=Rekap.Tingkat.KECAMATAN,
            now=t,
        )
        services.rekap_tambah(user=petugas, rekap=rekap, usulan_ids=[o.pk for o in objs])
        return rekap

    def kirim(self, rekap: Rekap, t: dt.datetime) -> Rekap:
        user = (
            self.user[PETUGAS_KEC[rekap.wilayah_id]]
            if rekap.tingkat == Rekap.Tingkat.KECAMATAN
            else self.user["dinas.inhil"]
        )
        return services.rekap_kirim(user=user, rekap=rekap, now=t)

    def periksa_fisik(self, kec: str, objs, t: dt.datetime, dokumen=None) -> None:
        verifikasi.usulan_periksa_fisik(
            user=self.user[PETUGAS_KEC[kec]],
            periode=self.periode,
            kecamatan=self.wilayah[kec],
            usulan_ids=[o.pk for o in objs],
            pemeriksa=self.user[PETUGAS_KEC[kec]].get_full_name() or PETUGAS_KEC[kec],
            tanggal=timezone.localtime(t, WIB).date(),
            dokumen=dokumen or ["ktp", "kk", "usaha", "foto", "pernyataan"],
            catatan="Berkas fisik diperiksa di kantor camat.",
            now=t,
        )

    def verifikasi(self, rekap, objs, keputusan, t, *, alasan=(), catatan=""):
        return verifikasi.rekap_verifikasi_baris(
            user=self.user["dinas.inhil"],
            rekap=rekap,
            usulan_ids=[o.pk for o in objs],
            keputusan=keputusan,
            alasan_ids=[self.alasan[k].pk for k in alasan],
            catatan=catatan,
            now=t,
        )

    def alasan_ids(self, *kode):
        return [self.alasan[k].pk for k in kode]


def isi_demo(*, sekarang: dt.datetime | None = None, paksa: bool = False) -> int:
    """Fill the demo round (returns the proposals created; 0 when it already has some or when
    ``settings.BPUM_DEMO_USULAN`` is False, as in the test suite's base data)."""
    if not paksa and not getattr(settings, "BPUM_DEMO_USULAN", True):
        return 0
    periode = Periode.objects.filter(kode=KODE_PERIODE, wilayah_id=KABUPATEN).first()
    if periode is None or Usulan.objects.filter(periode=periode).exists():
        return 0
    b = Pembuat(periode, sekarang or timezone.now())
    if len(b.user) < len({*LOKET.values(), *PETUGAS_KEC.values()}) + 2:
        log.warning("demo BPUM: demo officers missing, no proposals created")
        return 0
    _bangun(b)
    from sop.sla import sapu

    sapu(now=b.sekarang)
    return Usulan.objects.filter(periode=periode).count()


def _bangun(b: Pembuat) -> None:
    """The round's timeline, oldest first (``t(n)``: n working days ago)."""
    t = b.t
    dinas, riau = b.user["dinas.inhil"], b.user["petugas.riau"]
    tk, sp, th, pa = "14.04.04.1001", "14.04.04.1004", "14.04.04.1002", "14.04.04.1006"
    pk, mt = "14.04.01.1001", "14.04.01.1017"

    # --- week 1-2: the first district batches -----------------------------------------------
    # Tembilahan: 40 rows from its spreadsheet (34 certified after a physical check) and 12
    # from the counters, one batch; the agency verifies it row by row.
    imp_t = [
        o
        for d in IMPOR[KEC_TEMBILAHAN]
        for o in b.usulan(d, 14 if d.endswith("3") else 13, t=t(26, 10), impor=True)
    ]
    loket_t = [o for d in (tk, sp, th, pa) for o in b.usulan(d, 3, t=t(28, 9, 30))]
    # a duplicate pair the agency settles: the same NIK received at Tembilahan Kota and Sungaiperak
    ganda_lama = b.nik_untuk(tk, 900)
    dua = b.usulan(tk, 1, t=t(28, 10), nik=ganda_lama) + b.usulan(
        sp, 1, t=t(27, 10), nik=ganda_lama
    )
    services.tandai_duplikat(b.periode.pk, [ganda_lama])
    b.lengkap(loket_t + dua, t(27, 14))
    b.periksa_fisik(KEC_TEMBILAHAN, imp_t[:34], t(25, 11))
    r_t1 = b.rekap(KEC_TEMBILAHAN, imp_t + loket_t + dua, t(25, 13))
    b.kirim(r_t1, t(24, 10))
    anggota = imp_t + loket_t + dua
    kembali = imp_t[34:36] + loket_t[:1]  # two uncertified imports, one counter row
    b.verifikasi(
        r_t1, kembali, "kembalikan", t(21, 10), alasan=("belum-diperiksa", "data-tidak-sesuai")
    )
    b.verifikasi(
        r_t1,
        [o for o in anggota if o not in kembali],
        "terima",
        t(20, 15),
        catatan="Berkas fisik 4 usulan sudah dilihat langsung oleh tim verifikasi dinas.",
    )
    tetap, _gugur = Usulan.objects.filter(nik=ganda_lama).order_by("pk")
    services.duplikat_putuskan(
        user=dinas,
        usulan=tetap,
        keputusan=DuplikatKeputusan.Keputusan.PERTAHANKAN,
        alasan="Pemohon yang sama; dipertahankan usulan di desa domisili.",
        dipertahankan_id=tetap.pk,
        now=t(19, 9),
    )

    # Reteh: 25 certified rows accepted whole.
    imp_r0 = [
        o
        for d in IMPOR[KEC_RETEH]
        for o in b.usulan(d, 9 if d.endswith("2") else 8, t=t(25, 9), impor=True)
    ]
    b.periksa_fisik(KEC_RETEH, imp_r0, t(24, 9))
    r_r0 = b.rekap(KEC_RETEH, imp_r0, t(24, 10))
    b.kirim(r_r0, t(23, 11))
    services.rekap_terima(user=dinas, rekap=r_r0, now=t(21, 14))

    # Tembilahan, a second batch from the counters, accepted whole; a new duplicate pair in it
    loket_t2 = [o for d in (tk, sp, th, pa) for o in b.usulan(d, 3, t=t(22, 9))]
    ganda = b.nik_untuk(sp, 901)
    dua_baru = b.usulan(th, 1, t=t(22, 10), nik=ganda) + b.usulan(pa, 1, t=t(22, 11), nik=ganda)
    services.tandai_duplikat(b.periode.pk, [ganda])
    b.lengkap(loket_t2 + dua_baru, t(20, 10))
    r_t2 = b.rekap(KEC_TEMBILAHAN, loket_t2 + dua_baru, t(19, 10))
    b.kirim(r_t2, t(18, 10))
    services.rekap_terima(user=dinas, rekap=r_t2, now=t(16, 10))

    # Tembilahan: four uncertified imported rows, every one returned: the batch closes
    imp_t0 = b.usulan(IMPOR[KEC_TEMBILAHAN][1], 4, t=t(18, 13), impor=True)
    r_t0 = b.rekap(KEC_TEMBILAHAN, imp_t0, t(18, 14))
    b.kirim(r_t0, t(17, 9))
    b.verifikasi(r_t0, imp_t0, "kembalikan", t(15, 10), alasan=("belum-diperiksa",))

    # Reteh: a batch of 30 imports and 8 counter rows returned whole; not sent again yet
    imp_r1 = [o for d in IMPOR[KEC_RETEH] for o in b.usulan(d, 15, t=t(20, 9), impor=True)]
    loket_r1 = [o for d in (pk, mt) for o in b.usulan(d, 4, t=t(21, 9))]
    b.lengkap(loket_r1, t(19, 10))
    r_r1 = b.rekap(KEC_RETEH, imp_r1 + loket_r1, t(19, 14))
    b.kirim(r_r1, t(18, 9))
    services.rekap_kembalikan(
        user=dinas,
        rekap=r_r1,
        alasan_ids=b.alasan_ids("belum-diperiksa", "lainnya"),
        catatan="45 usulan hasil impor belum disertifikasi pemeriksaan fisiknya.",
        now=t(16, 15),
    )

    # --- week 3: the regency batch to the province, returned once, then accepted -------------
    k1, _n, _ditahan = services.rekap_kabupaten_susun(user=dinas, periode=b.periode, now=t(14, 9))
    b.kirim(k1, t(14, 10))
    services.rekap_kembalikan(
        user=riau,
        rekap=k1,
        alasan_ids=b.alasan_ids("rekap-tidak-lengkap", "lainnya"),
        catatan="Nomor HP belum lengkap untuk sebagian usulan; mohon dilengkapi lalu dikirim ulang.",
        now=t(12, 10),
    )
    b.kirim(k1, t(10, 14))
    services.rekap_terima(user=riau, rekap=k1, now=t(8, 10))

    # --- week 4: later batches at every stage --------------------------------------------
    loket_t3 = [o for d in (tk, sp, th) for o in b.usulan(d, 4, t=t(12, 9))]
    b.lengkap(loket_t3, t(9, 10))
    r_t3 = b.rekap(KEC_TEMBILAHAN, loket_t3, t(8, 9))
    b.kirim(r_t3, t(7, 10))
    b.verifikasi(r_t3, loket_t3[:2], "kembalikan", t(5, 9), alasan=("data-tidak-sesuai",))
    b.verifikasi(r_t3, loket_t3[2:], "terima", t(5, 11))
    k2, _n, _ditahan = services.rekap_kabupaten_susun(user=dinas, periode=b.periode, now=t(3, 9))
    b.kirim(k2, t(3, 10))

    loket_t4 = [o for d in (tk, sp, th, pa) for o in b.usulan(d, 6, t=t(8, 9))]
    b.lengkap(loket_t4, t(6, 9))
    r_t4 = b.rekap(KEC_TEMBILAHAN, loket_t4, t(5, 10))
    b.kirim(r_t4, t(4, 10))
    b.verifikasi(r_t4, loket_t4[:6], "terima", t(1, 10))
    services.rekap_kabupaten_susun(user=dinas, periode=b.periode, now=t(1, 14))

    # the ministry's answer for most of the forwarded proposals, recorded by the province
    diteruskan = list(
        Usulan.objects.select_for_update()
        .filter(periode=b.periode, status=S.DITERUSKAN)
        .order_by("pk")
    )
    tolak = diteruskan[:8]
    terima = diteruskan[8:58]
    alasan_tolak = (
        "Sudah menerima KUR dari bank penyalur.",
        "NIK tidak terdaftar di data kependudukan Dukcapil.",
    )
    massal.jalankan_massal(
        tolak,
        "tolak_kementerian",
        user=riau,
        fields=["keterangan_kementerian"],
        kwargs_per={o.pk: {"keterangan": alasan_tolak[i % 2]} for i, o in enumerate(tolak)},
        catatan_per={o.pk: alasan_tolak[i % 2] for i, o in enumerate(tolak)},
        now=t(2, 10),
        beritahu=False,
    )
    massal.jalankan_massal(
        terima,
        "terima_kementerian",
        user=riau,
        fields=["keterangan_kementerian"],
        kwargs_per={
            o.pk: {"keterangan": "Lolos validasi Deputi Bidang Usaha Mikro"} for o in terima
        },
        catatan="Jawaban kementerian (data demo)",
        now=t(2, 11),
        beritahu=False,
    )

    # --- the villages and districts today --------------------------------------------------
    for d in (tk, sp, th, pa, pk, mt):
        b.usulan(d, 5, t=t(1, 10))  # received yesterday: within the 3-day limit
        b.usulan(d, 3, t=t(6, 10))  # received a week ago: late at the village
    kembali = [o for d in (tk, sp, pk, mt, th, pa) for o in b.usulan(d, 1, t=t(4, 11))]
    b.jalan(
        kembali,
        "kembalikan_berkas",
        t(3, 10),
        catatan="Fotokopi/foto KTP tidak ada; KK belum dibawa",
    )
    simpan_alasan([o.pk for o in kembali], [b.alasan["ktp-tidak-ada"], b.alasan["kk-tidak-ada"]])
    # a NIK typed wrong at the counter: withdrawn, then entered again with the right NIK
    salah = b.usulan(tk, 1, t=t(5, 9)) + b.usulan(pk, 1, t=t(4, 9))
    for o in salah:
        services.usulan_transisi(
            user=b.user[LOKET[o.wilayah_id]],
            usulan=Usulan.objects.get(pk=o.pk),
            nama="tarik",
            catatan="NIK salah ketik; usulan dimasukkan ulang dengan NIK yang benar.",
            now=t(4, 14),
        )
    # complete files waiting at the district: on time, late, and two returned to the village
    segar = [o for d in (tk, sp, pk) for o in b.usulan(d, 2, t=t(4, 9))]
    b.lengkap(segar, t(2, 10))
    lama = [o for d in (th, pa, mt) for o in b.usulan(d, 2, t=t(13, 9))]
    b.lengkap(lama, t(10, 10))
    balik = lama[:2]
    for o in balik:
        services.usulan_transisi(
            user=b.user[PETUGAS_KEC[o.kecamatan_id]],
            usulan=Usulan.objects.get(pk=o.pk),
            nama="kembalikan_ke_desa",
            alasan_ids=b.alasan_ids("alamat-luar-desa"),
            now=t(2, 14),
        )
    # Tembilahan's batch being compiled
    terbuka = [o for d in (tk, th) for o in b.usulan(d, 3, t=t(5, 9))]
    b.lengkap(terbuka, t(3, 9))
    b.rekap(KEC_TEMBILAHAN, terbuka, t(2, 9))
