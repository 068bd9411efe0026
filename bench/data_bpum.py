"""Realistic BPUM data: N proposals (usulan) in every state, built through the engine.

Over the last ``--hari`` working days (110 by default, about five months) of Kabupaten Indragiri
Hilir (20 districts, 236 villages, one officer per village and district office, the agency's
``dinas.inhil``), every event goes through the code an officer's click runs:

* village sessions: a village office receives a handful of files at once
  (``sop.massal.sisip_massal`` + ``sop.massal.mulai_proses_massal`` as the district import does,
  then ``bpum.services.tandai_duplikat``); later it marks them complete (``tandai_lengkap``), or
  returns some to the applicant (``kembalikan_berkas``, clock paused, reasons recorded) and takes
  them back (``lengkapi_berkas``) days later: ``sop.massal.jalankan_massal`` per session;
* district batches every 6-10 working days (``rekap_terbuka``, ``rekap_tambah``, ``rekap_kirim``);
  the agency accepts them 1-6 days later (``rekap_terima``) or returns a few
  (``rekap_kembalikan``) that are sent again;
* duplicate NIKs (1.5 % of the files reuse an earlier NIK) decided by the agency
  (``duplikat_putuskan``: keep one and drop the others, or "not a duplicate"), some left open;
* regency batches every 12 working days (``rekap_kabupaten_susun``, ``rekap_kirim``), forwarded
  by the province 3-8 days later (``rekap_terima``) or returned and sent again;
* the ministry's answer 8-20 working days after forwarding, 88 % accepted, in one or two parts
  (``jalankan_massal`` ``terima_kementerian`` / ``tolak_kementerian`` as the answer import does);
* the SLA sweep ``sop.sla.sapu(now=...)`` at 16:45 every working day: 75 % warnings, breaches,
  their notifications.

PAIS-UMI's source gives no time limits (every step untracked), so the generator loads a revision
of it with limits (``BATAS``): desa 3 hari, kecamatan 5 hari, dinas 10 hari, provinsi 5 hari,
kementerian 1 bulan. Files received in the last weeks are still in progress when the data set
ends, so every state is present. Same ``--seed``, same data.

    .venv/bin/python bench/data_bpum.py --usulan 20000          # throwaway PostgreSQL cluster
    DATABASE_URL=postgres://... .venv/bin/python bench/data_bpum.py --usulan 100000 --simpan

``--jalur mesin`` uses the engine's bulk paths exactly as they are; ``--jalur cepat`` (default on
PostgreSQL) swaps two generic write helpers for set-based ones (``bench/data_umum.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from data_umum import (  # noqa: E402
    MENIT_KERJA,
    Linimasa,
    analisa,
    buat_petugas,
    hari_kerja,
    hitung_baris,
    jalur_cepat,
    pada,
)

KABUPATEN = "14.04"
PERIODE = "BPUM-2021"
BATAS = {
    "desa-proses-berkas": "3 hari",
    "kecamatan-rekap": "5 hari",
    "dinas-himpun-kirim": "10 hari",
    "provinsi-koordinir": "5 hari",
    "validasi-deputi": "1 bulan",
}
# Demo officers keep their offices; every other office gets a bench officer.
PETUGAS_DEMO = {
    "14.04.04.1001": "desa.tembilahan-kota",
    "14.04.04.1004": "desa.sungaiperak",
    "14.04.01.1001": "desa.pulaukijang",
    "14.04.04": "kecamatan.tembilahan",
    "14.04.01": "kecamatan.reteh",
}
DINAS = "dinas.inhil"
ALFABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

NAMA_DEPAN = [
    "Siti",
    "Ahmad",
    "Nur",
    "Dewi",
    "Budi",
    "Sri",
    "Agus",
    "Rina",
    "Andi",
    "Yusuf",
    "Fitri",
    "Hendra",
    "Lestari",
    "Rahmat",
    "Wati",
    "Joko",
    "Ani",
    "Dedi",
    "Ratna",
    "Bambang",
    "Yanti",
    "Eko",
    "Putri",
    "Hasan",
    "Indah",
    "Rudi",
    "Sari",
    "Fauzi",
    "Mega",
    "Zulkifli",
]
NAMA_BELAKANG = [
    "Aminah",
    "Hidayat",
    "Rahayu",
    "Santoso",
    "Wahyuni",
    "Saputra",
    "Lubis",
    "Siregar",
    "Nasution",
    "Harahap",
    "Kurniawan",
    "Permata",
    "Gunawan",
    "Pratama",
    "Hasibuan",
    "Simanjuntak",
    "Daulay",
    "Syahputra",
    "Ramadhan",
    "Handayani",
    "Setiawan",
]
BIDANG = (
    "Warung makan",
    "Toko kelontong",
    "Kue basah",
    "Jahit pakaian",
    "Pangkas rambut",
    "Bengkel sepeda motor",
    "Ikan asin",
    "Kerupuk",
    "Sayur dan buah",
    "Pulsa dan aksesori",
)
ALASAN_TOLAK = (
    "NIK tidak padan dengan data Dukcapil",
    "Sedang menerima KUR",
    "Terdaftar sebagai ASN/TNI/Polri",
    "Usaha tidak terverifikasi",
)


def nik(i: int, kec: str) -> str:
    """The i-th NIK of district ``kec`` (14.04.04 -> 140404...), unique for i < 10,080 * 9,999."""
    hari = 1 + i % 28 + (40 if i % 2 else 0)
    bulan = 1 + (i // 28) % 12
    tahun = 60 + (i // 336) % 30
    return f"{kec.replace('.', '')}{hari:02d}{bulan:02d}{tahun:02d}{1 + (i // 10080) % 9999:04d}"


def nomor(i: int, seed: int) -> str:
    """A registration number like ``nomor_acak``'s: 40 bits, a bijection of ``i`` (unique)."""
    v = ((i + 1) * 0x9E3779B97F + seed * 0x5851F42D) % (1 << 40)
    return "BPUM-" + "".join(ALFABET[(v >> (5 * k)) & 31] for k in range(8))


def siapkan_sop():
    """The PAIS-UMI revision with time limits (imported as a new revision once)."""
    from bpum.services import sop_berlaku
    from sop.pertukaran import impor, sop_ke_dict

    sop = sop_berlaku()
    langkah = sop.langkah_per_kode()
    if all(langkah[k].waktu == w for k, w in BATAS.items() if k in langkah):
        return sop
    d = sop_ke_dict(sop, dengan_batas=False)
    for lk in d["langkah"]:
        if lk["kode"] in BATAS:
            lk["waktu"] = BATAS[lk["kode"]]
    d.pop("revisi", None)
    impor([d])
    return sop_berlaku()


class DataBpum:
    """Schedules and runs the BPUM events of ``n`` proposals on a ``Linimasa``."""

    def __init__(
        self,
        n: int,
        *,
        seed: int = 2021,
        hari: int = 110,
        sampai: date | None = None,
        kohort: int | None = None,
        lapor=None,
    ):
        self.n = n
        self.seed = seed
        self.rng = random.Random(seed)
        self.jumlah_hari = hari
        self.sampai = sampai
        # files per village session: 40, more from 200,000 proposals on (at most 5,000 sessions:
        # each is a few engine calls, whose fixed cost would otherwise dominate)
        self.kohort = kohort or max(40, n // 5000)
        self.lapor = lapor or (lambda s: None)
        self.linimasa = Linimasa()
        self.nik_semua: list[str] = []
        self.desa_nik: dict[str, set[str]] = {}

    # ------------------------------------------------------------------ setup
    def siapkan(self) -> None:
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from bpum.models import AlasanPengembalian, Periode, Usulan
        from sop.jadwal import jadwal_unit
        from sop.models import Unit, Wilayah

        self.Usulan = Usulan
        self.sop = siapkan_sop()
        self.periode = Periode.objects.get(kode=PERIODE, wilayah_id=KABUPATEN)
        self.jadwal = jadwal_unit(None)
        sampai = self.sampai or (timezone.localdate() - timedelta(days=1))
        self.hari = hari_kerja(self.jadwal, sampai, self.jumlah_hari)
        self.akhir = pada(self.jadwal, self.hari[-1], 16 * 60 + 50)
        self.desa = list(
            Wilayah.objects.filter(
                induk__induk_id=KABUPATEN, tingkat=Wilayah.Tingkat.DESA
            ).order_by("kode")
        )
        self.kecamatan = sorted({w.induk_id for w in self.desa})
        unit = {
            u.wilayah_id: u.pk
            for u in Unit.objects.filter(
                wilayah_id__in=[w.kode for w in self.desa] + self.kecamatan,
                jenis__in=[Unit.Jenis.DESA, Unit.Jenis.KECAMATAN],
            )
        }
        self.unit = unit
        daftar = []
        for kode in [w.kode for w in self.desa] + self.kecamatan:
            username = PETUGAS_DEMO.get(kode) or f"bench.{kode}"
            desa = kode.count(".") == 3
            daftar.append(
                (
                    username,
                    f"Petugas {'Desa' if desa else 'Kecamatan'} {kode}",
                    unit[kode],
                    ["petugas_desa" if desa else "petugas_kecamatan"],
                )
            )
        ids = buat_petugas(daftar)
        User = get_user_model()
        users = User.objects.in_bulk(list(ids.values()))
        self.petugas = {
            kode: users[ids[d[0]]]
            for kode, d in zip([w.kode for w in self.desa] + self.kecamatan, daftar, strict=True)
        }
        self.dinas = User.objects.get(username=DINAS)
        # the tier that accepts or returns the regency batch and records the ministry's answer:
        # the province's desk when the round says the province works in the portal (bpum10)
        self.pencatat = self.dinas
        if self.periode.provinsi_portal:
            from bpum.setup import UNIT_PROVINSI, muat_unit_provinsi

            unit_prov = muat_unit_provinsi()
            nama_prov = "bench.provinsi"
            ids_prov = buat_petugas(
                [(nama_prov, "Petugas BPUM Provinsi", unit_prov.pk, ["petugas_provinsi"])]
            )
            assert unit_prov.kode == UNIT_PROVINSI["kode"]
            self.pencatat = User.objects.get(pk=ids_prov[nama_prov])
        self.alasan = list(AlasanPengembalian.objects.filter(aktif=True).order_by("urutan"))

    # ------------------------------------------------------------------ helpers
    def _menit(self) -> int:
        return self.rng.choice(MENIT_KERJA)

    def _nanti(self, t: datetime, hari: int, *, menit: int | None = None) -> datetime:
        """``hari`` working days after ``t`` (0: later the same day) at a random office minute."""
        lokal = t.astimezone(self.jadwal.tz)
        try:
            i = self.hari.index(lokal.date())
        except ValueError:
            i = 0
        j = i + hari
        if j >= len(self.hari):
            return self.akhir + timedelta(days=1)  # after the end: never happens
        m = menit if menit is not None else self._menit()
        hasil = pada(self.jadwal, self.hari[j], m)
        if hasil <= t:
            hasil = t + timedelta(minutes=self.rng.randint(20, 90))
        return hasil

    def _kunci(self, ids):
        return list(self.Usulan.objects.select_for_update().filter(pk__in=ids).order_by("pk"))

    # ------------------------------------------------------------------ schedule
    def jadwalkan(self) -> None:
        rng = self.rng
        n_sesi = max(1, round(self.n / self.kohort))
        bobot_desa = [rng.lognormvariate(0, 0.5) for _ in self.desa]
        hari_masuk = self.hari[: max(1, len(self.hari) - 2)]
        bobot_hari = [1.0 - 0.6 * i / len(hari_masuk) for i in range(len(hari_masuk))]
        # every village gets at least one session (the demo officers' pages are never empty)
        desa_sesi = list(range(len(self.desa)))[:n_sesi]
        desa_sesi += rng.choices(
            range(len(self.desa)), weights=bobot_desa, k=n_sesi - len(desa_sesi)
        )
        hari_sesi = rng.choices(range(len(hari_masuk)), weights=bobot_hari, k=n_sesi)
        ukuran = Counter(rng.choices(range(n_sesi), k=self.n))
        sesi = sorted(
            (hari_sesi[s], self._menit(), desa_sesi[s], ukuran[s])
            for s in range(n_sesi)
            if ukuran[s]
        )
        mulai = 0
        for h, m, d, k in sesi:
            t = pada(self.jadwal, hari_masuk[h], m)
            self.linimasa.jadwalkan(t, self._acara_terima(d, mulai, k), "desa_terima")
            mulai += k
        # district batches
        for kec in self.kecamatan:
            j = rng.randint(3, 8)
            while j < len(self.hari):
                t = pada(self.jadwal, self.hari[j], rng.randint(9 * 60, 14 * 60))
                terakhir = j + 10 >= len(self.hari)
                self.linimasa.jadwalkan(t, self._acara_rekap_kecamatan(kec, terakhir), "kec_rekap")
                j += rng.randint(6, 10)
        # regency batches (duplicates decided first)
        # counted back from the end, so the last one is still with the province when it ends
        for j in range(len(self.hari) - 3, 14, -12):
            t = pada(self.jadwal, self.hari[j], 10 * 60)
            self.linimasa.jadwalkan(
                t - timedelta(minutes=60), self._acara_duplikat, "dinas_duplikat"
            )
            self.linimasa.jadwalkan(t, self._acara_rekap_kabupaten, "kab_rekap")

    def sapuan(self) -> list[datetime]:
        return [pada(self.jadwal, h, 16 * 60 + 45) for h in self.hari]

    # ------------------------------------------------------------------ village
    def _acara_terima(self, d: int, mulai: int, k: int):
        def acara(now):
            from bpum.services import tandai_duplikat
            from sop import massal

            Usulan = self.Usulan
            rng = self.rng
            w = self.desa[d]
            user = self.petugas[w.kode]
            rows = []
            for i in range(mulai, mulai + k):
                n_ = nik(i, w.induk_id)
                if self.nik_semua and rng.random() < 0.015:
                    # another village's NIK: a round holds one active file per NIK and village
                    # (constraint bpum_usulan_nik_desa_unik), duplicates are across villages
                    lain = rng.choice(self.nik_semua)
                    if w.kode not in self.desa_nik.setdefault(lain, set()):
                        n_ = lain
                self.nik_semua.append(n_)
                self.desa_nik.setdefault(n_, set()).add(w.kode)
                rows.append(
                    {
                        "sop_id": self.sop.pk,
                        "periode_id": self.periode.pk,
                        "wilayah_id": w.kode,
                        "kecamatan_id": w.induk_id,
                        "unit_id": self.unit[w.kode],
                        "nomor": nomor(i, self.seed),
                        "nik": n_,
                        "no_kk": f"{w.induk_id.replace('.', '')}{i:010d}",
                        "nama": f"{rng.choice(NAMA_DEPAN)} {rng.choice(NAMA_BELAKANG)}",
                        "alamat": f"Jl. {rng.choice(NAMA_BELAKANG)} No. {rng.randint(1, 200)}, "
                        f"RT {rng.randint(1, 20):03d}",
                        "bidang_usaha": rng.choice(BIDANG),
                        "no_hp": f"+62812{rng.randint(0, 99_999_999):08d}",
                        "berkas_ktp": "bpum/dokumen/bench/ktp.png",
                        "berkas_kk": "bpum/dokumen/bench/kk.pdf",
                        "berkas_usaha": "bpum/dokumen/bench/sku.pdf",
                        "berkas_foto": "bpum/dokumen/bench/foto.png",
                        "bukan_pegawai": True,
                        "tidak_menerima_kur": True,
                        "status": Usulan.Status.DIAJUKAN,
                        "sumber": Usulan.Sumber.LOKET,
                        "dibuat": now,
                        "diubah": now,
                        "dibuat_oleh_id": user.pk,
                    }
                )
            massal.sisip_massal(Usulan, rows)
            objs = [
                Usulan(
                    pk=pk,
                    sop_id=self.sop.pk,
                    wilayah_id=w.kode,
                    kecamatan_id=w.induk_id,
                    unit_id=self.unit[w.kode],
                    status=Usulan.Status.DIAJUKAN,
                )
                for pk in Usulan.objects.filter(nomor__in=[r["nomor"] for r in rows])
                .order_by("pk")
                .values_list("pk", flat=True)
            ]
            massal.mulai_proses_massal(
                objs, user=user, now=now, catatan="Usulan diterima di kantor desa/kelurahan."
            )
            tandai_duplikat(self.periode.pk, [r["nik"] for r in rows])
            ids = [o.pk for o in objs]
            kembali = []
            if len(ids) > 2 and rng.random() < 0.3:
                kembali = rng.sample(ids, max(1, len(ids) * 3 // 10))
            lanjut = sorted(set(ids) - set(kembali))
            hari = rng.choice((0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6))
            self.linimasa.jadwalkan(
                self._nanti(now, hari),
                self._acara_desa(w.kode, lanjut, "tandai_lengkap"),
                "desa_lengkap",
            )
            if kembali:
                kembali.sort()
                t = self._nanti(now, rng.choice((0, 1)))
                self.linimasa.jadwalkan(
                    t, self._acara_desa(w.kode, kembali, "kembalikan_berkas"), "desa_kembalikan"
                )
                if rng.random() < 0.3:  # the applicant withdraws a returned file (bpum10)
                    self.linimasa.jadwalkan(
                        self._nanti(t, 0),
                        self._acara_desa(w.kode, [kembali[0]], "tarik"),
                        "desa_tarik",
                    )
                t2 = self._nanti(t, rng.randint(1, 7))
                self.linimasa.jadwalkan(
                    t2, self._acara_desa(w.kode, kembali, "lengkapi_berkas"), "desa_lengkapi"
                )
                self.linimasa.jadwalkan(
                    self._nanti(t2, rng.choice((0, 0, 1, 2))),
                    self._acara_desa(w.kode, kembali, "tandai_lengkap"),
                    "desa_lengkap",
                )

        return acara

    def _acara_desa(self, desa: str, ids: list[int], nama: str):
        def acara(now):
            from sop import massal

            Usulan = self.Usulan
            if not ids:
                return
            meta = getattr(Usulan, nama)._django_fsm
            objs = [o for o in self._kunci(ids) if meta.get_transition(o.status) is not None]
            if not objs:
                return
            for o in objs:
                o.periode = self.periode
            catatan = ""
            alasan = []
            if nama == "kembalikan_berkas":
                alasan = self.rng.sample(self.alasan, self.rng.choice((1, 1, 2)))
                catatan = "; ".join(a.teks for a in alasan)
            elif nama == "tarik":
                catatan = "Pemohon menarik usulan: sudah menerima bantuan lain."
            massal.jalankan_massal(objs, nama, user=self.petugas[desa], catatan=catatan, now=now)
            Antara = Usulan.alasan_pengembalian.through
            if nama == "kembalikan_berkas":
                Antara.objects.bulk_create(
                    [
                        Antara(usulan_id=o.pk, alasanpengembalian_id=a.pk)
                        for o in objs
                        for a in alasan
                    ]
                )
            elif nama == "tandai_lengkap":
                Antara.objects.filter(usulan_id__in=[o.pk for o in objs]).delete()

        return acara

    # ------------------------------------------------------------------ district
    def _acara_rekap_kecamatan(self, kec: str, terakhir: bool):
        def acara(now):
            from bpum import services
            from bpum.models import Rekap
            from sop.models import Wilayah

            user = self.petugas[kec]
            wilayah = Wilayah.objects.get(kode=kec)
            rekap = services.rekap_terbuka(
                user=user,
                periode=self.periode,
                wilayah=wilayah,
                tingkat=Rekap.Tingkat.KECAMATAN,
                now=now,
            )
            services.rekap_tambah(user=user, rekap=rekap, usulan_ids=None)
            rekap.refresh_from_db()
            if not rekap.jumlah or (terakhir and self.rng.random() < 0.5):
                return  # stays open (being compiled) at the end of the data set
            self.linimasa.jadwalkan(
                now + timedelta(minutes=self.rng.randint(30, 90)),
                self._acara_kirim(rekap.pk, user, ulang=False),
                "kec_kirim",
            )

        return acara

    def _acara_kirim(self, rekap_id: int, user, *, ulang: bool):
        def acara(now):
            from bpum import services
            from bpum.models import Rekap

            rekap = Rekap.objects.get(pk=rekap_id)
            if not rekap.terbuka:
                return
            kec = rekap.tingkat == Rekap.Tingkat.KECAMATAN
            if not kec:  # a file flagged after it joined the batch waits for the next one
                ganda = list(
                    rekap.usulan_kabupaten.filter(duplikat=True).values_list("pk", flat=True)
                )
                if ganda:
                    services.rekap_keluarkan(user=user, rekap=rekap, usulan_ids=ganda)
            try:
                services.rekap_kirim(user=user, rekap=rekap, now=now)
            except services.GagalTransisi as e:
                self.lapor(f"  ! {rekap.nomor}: {e}")
                return
            rng = self.rng
            hari = rng.randint(1, 6) if kec else rng.randint(3, 8)
            t = self._nanti(now, hari)
            kembali = not ulang and rng.random() < (0.06 if kec else 0.08)
            self.linimasa.jadwalkan(
                t,
                self._acara_putus(rekap_id, user, kembali),
                "dinas_putus" if kec else "prov_putus",
            )

        return acara

    def _acara_putus(self, rekap_id: int, pengirim, kembali: bool):
        def acara(now):
            from bpum import services
            from bpum.models import Rekap

            rekap = Rekap.objects.get(pk=rekap_id)
            if rekap.status != Rekap.Status.DIKIRIM:
                return
            kec = rekap.tingkat == Rekap.Tingkat.KECAMATAN
            pemutus = self.dinas if kec else self.pencatat
            if kembali:
                services.rekap_kembalikan(
                    user=pemutus,
                    rekap=rekap,
                    catatan="Data belum sesuai format, mohon diperiksa kembali."
                    if kec
                    else "Dikembalikan dinas provinsi: lengkapi rekapitulasi.",
                    now=now,
                )
                self.linimasa.jadwalkan(
                    self._nanti(now, self.rng.randint(2, 3)),
                    self._acara_kirim(rekap_id, pengirim, ulang=True),
                    "kec_kirim" if kec else "kab_kirim",
                )
                return
            if kec and self.rng.random() < 0.2:
                self._verifikasi_baris(rekap, now)
                rekap.refresh_from_db()
                if rekap.status != Rekap.Status.DIKIRIM:
                    return
            services.rekap_terima(user=pemutus, rekap=rekap, now=now)
            if not kec:
                ids = list(
                    rekap.usulan_kabupaten.filter(status=self.Usulan.Status.DITERUSKAN)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
                bagian = (
                    [ids]
                    if self.rng.random() < 0.5
                    else [ids[: len(ids) // 2], ids[len(ids) // 2 :]]
                )
                t = now
                for b in bagian:
                    t = self._nanti(
                        t, self.rng.randint(8, 20) if t == now else self.rng.randint(2, 6)
                    )
                    self.linimasa.jadwalkan(t, self._acara_jawab(b), "kementerian_jawab")

        return acara

    def _verifikasi_baris(self, rekap, now) -> None:
        """The agency checks a sent district batch row by row (bpum10): a few rows accepted
        first, one returned with a catalogue reason; the rest is accepted with the batch."""
        from bpum import verifikasi

        S = self.Usulan.Status
        ids = list(
            rekap.usulan.filter(status=S.DIREKAP).order_by("pk").values_list("pk", flat=True)
        )
        if len(ids) < 3:
            return
        k = max(1, len(ids) // 4)
        verifikasi.rekap_verifikasi_baris(
            user=self.dinas, rekap=rekap, usulan_ids=ids[:k], keputusan=verifikasi.TERIMA, now=now
        )
        alasan = [a for a in self.alasan if not a.perlu_catatan][:1]
        verifikasi.rekap_verifikasi_baris(
            user=self.dinas,
            rekap=rekap,
            usulan_ids=ids[k : k + 1],
            keputusan=verifikasi.KEMBALIKAN,
            alasan_ids=[a.pk for a in alasan],
            catatan="" if alasan else "Data tidak sesuai KTP.",
            now=now + timedelta(minutes=5),
        )

    # ------------------------------------------------------------------ agency
    def _acara_duplikat(self, now):
        from django.db.models import Count

        from bpum import services
        from bpum.models import DuplikatKeputusan

        Usulan = self.Usulan
        S = Usulan.Status
        niks = list(
            Usulan.objects.filter(periode=self.periode, duplikat=True)
            .values("nik")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .order_by("nik")
            .values_list("nik", flat=True)
        )
        for n_ in niks:
            # the group as the agency's decision sees it (withdrawn and dropped rows left out)
            anggota = list(
                Usulan.objects.filter(periode=self.periode, nik=n_)
                .exclude(status__in=Usulan.STATUS_LEPAS)
                .order_by("pk")
            )
            if len(anggota) < 2 or any(u.tingkat < 3 for u in anggota) or self.rng.random() > 0.7:
                continue
            anggota.sort(key=lambda u: (-u.tingkat, u.pk))
            simpan = anggota[0]
            lain = anggota[1:]
            if self.rng.random() < 0.2 or any(
                u.status not in (S.DIREKAP, S.DIVERIFIKASI) for u in lain
            ):
                keputusan, alasan = (
                    DuplikatKeputusan.Keputusan.BUKAN_DUPLIKAT,
                    "Orang berbeda (NIK salah ketik di KK).",
                )
            else:
                keputusan, alasan = (
                    DuplikatKeputusan.Keputusan.PERTAHANKAN,
                    "Usulan ganda: dipertahankan yang pertama.",
                )
            services.duplikat_putuskan(
                user=self.dinas,
                usulan=simpan,
                keputusan=keputusan,
                alasan=alasan,
                dipertahankan_id=simpan.pk,
                now=now,
            )

    def _acara_rekap_kabupaten(self, now):
        from bpum import services

        rekap, n, _ditahan = services.rekap_kabupaten_susun(
            user=self.dinas, periode=self.periode, now=now
        )
        if rekap.jumlah:
            self.linimasa.jadwalkan(
                now + timedelta(minutes=60),
                self._acara_kirim(rekap.pk, self.dinas, ulang=False),
                "kab_kirim",
            )

    def _acara_jawab(self, ids: list[int]):
        def acara(now):
            from sop import massal

            S = self.Usulan.Status
            rng = self.rng
            for i in range(0, len(ids), massal.POTONGAN):
                objs = [
                    o for o in self._kunci(ids[i : i + massal.POTONGAN]) if o.status == S.DITERUSKAN
                ]
                terima = [o for o in objs if rng.random() < 0.88]
                tolak = [o for o in objs if o not in set(terima)]
                for nama, daftar in (("terima_kementerian", terima), ("tolak_kementerian", tolak)):
                    if not daftar:
                        continue
                    ket = {
                        o.pk: (
                            "Lolos verifikasi"
                            if nama == "terima_kementerian"
                            else rng.choice(ALASAN_TOLAK)
                        )
                        for o in daftar
                    }
                    massal.jalankan_massal(
                        daftar,
                        nama,
                        user=self.pencatat,
                        fields=["keterangan_kementerian"],
                        now=now,
                        kwargs_per={pk: {"keterangan": k} for pk, k in ket.items()},
                        catatan_per=ket,
                        catatan="Jawaban kementerian (berkas jawaban-bench.xlsx)",
                        beritahu=False,
                    )

        return acara

    # ------------------------------------------------------------------ run
    def bangun(self, *, cepat: bool = True) -> dict:
        t0 = time.perf_counter()
        self.siapkan()
        self.jadwalkan()
        with jalur_cepat(cepat) as aktif:
            n = self.linimasa.jalankan(self.akhir, sapuan=self.sapuan(), lapor=self.lapor)
        detik = time.perf_counter() - t0
        from django.db.models import Count

        status = dict(self.Usulan.objects.order_by().values_list("status").annotate(n=Count("id")))
        return {
            "usulan": self.n,
            "detik": round(detik, 1),
            "jalur_cepat": aktif,
            "acara": n,
            "dari": self.hari[0].isoformat(),
            "sampai": self.hari[-1].isoformat(),
            "status": status,
            "baris": hitung_baris(),
            "waktu_per_acara": {
                k: [self.linimasa.jumlah_per_jenis[k], round(v, 1)]
                for k, v in sorted(self.linimasa.waktu_per_jenis.items(), key=lambda kv: -kv[1])
            },
        }


# --------------------------------------------------------------------------- copies
SQL_NOMOR = (  # nomor(id - 1): the same bijection, in SQL (template ids are 1..n)
    "'BPUM-' || "
    + " || ".join(
        f"substr('{ALFABET}', ((((({{id}}) * {0x9E3779B97F} + {{geser}}) "
        f"% {1 << 40}) >> {5 * k}) & 31)::int + 1, 1)"
        for k in range(8)
    )
)
SQL_NIK = "overlay(nik placing lpad((right(nik, 4)::int + {tambah})::text, 4, '0') from 13)"


def _kolom(model, ganti: dict[str, str], *, tanpa_id: bool = False) -> tuple[str, str]:
    """(column list, SELECT list) of the model's concrete columns, some replaced by expressions."""
    kolom = [f.column for f in model._meta.concrete_fields if not (tanpa_id and f.primary_key)]
    return ", ".join(kolom), ", ".join(ganti.get(c, c) for c in kolom)


def gandakan(kali: int, *, seed: int = 2021, lapor=None) -> dict:
    """Make the data set ``kali`` times larger: ``kali - 1`` copies of every proposal with its
    step log, clocks, warnings, breaches, return reasons and duplicate decisions, each copy with
    its own applicants (registration number, NIK, family card number) in the same villages, on
    the same days and in the same batches (which then hold ``kali`` times as many proposals).
    The rows are the engine's rows, key-shifted, copied in SQL (PostgreSQL only); notifications
    are not copied (their keys name a batch). Returns timings."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from bpum.models import DuplikatKeputusan, Usulan
    from sop.models import Jejak, LangkahBerjalan, Pelanggaran, Peringatan

    lapor = lapor or (lambda s: None)
    t0 = time.perf_counter()
    ct = ContentType.objects.get_for_model(Usulan).pk
    with connection.cursor() as c:
        c.execute("SELECT max(id), count(*) FROM bpum_usulan")
        du, n = c.fetchone()
        c.execute("SELECT coalesce(max(id), 0) FROM sop_langkahberjalan")
        dl = c.fetchone()[0]
    antara = Usulan.alasan_pengembalian.through._meta.db_table
    milik_usulan = f"content_type_id = {ct} AND id <= {dl}"
    waktu = {}
    with jalur_cepat(), transaction.atomic(), connection.cursor() as c:
        for k in range(1, kali):
            t = time.perf_counter()
            gu, gl = k * du, k * dl
            obj = f"(object_id::bigint + {gu})::text"
            nik_k = SQL_NIK.format(tambah=100 * k)
            kol, pilih = _kolom(
                Usulan,
                {
                    "id": f"id + {gu}",
                    "nomor": SQL_NOMOR.format(id=f"id + {gu}", geser=seed * 0x5851F42D),
                    "nik": nik_k,
                    "no_kk": f"overlay(no_kk placing lpad(({k} * 100000000 + "
                    "right(no_kk, 10)::bigint)::text, 10, '0') from 7)",
                },
            )
            c.execute(
                f"INSERT INTO bpum_usulan ({kol}) SELECT {pilih} FROM bpum_usulan WHERE id <= {du}"
            )  # noqa: S608
            c.execute(
                f"INSERT INTO {antara} (usulan_id, alasanpengembalian_id) "  # noqa: S608
                f"SELECT usulan_id + {gu}, alasanpengembalian_id FROM {antara} WHERE usulan_id <= {du}"
            )
            kol, pilih = _kolom(LangkahBerjalan, {"id": f"id + {gl}", "object_id": obj})
            c.execute(
                f"INSERT INTO sop_langkahberjalan ({kol}) SELECT {pilih} "  # noqa: S608
                f"FROM sop_langkahberjalan WHERE {milik_usulan}"
            )
            for model in (Peringatan, Pelanggaran):
                t_ = model._meta.db_table
                kol, pilih = _kolom(
                    model, {"langkah_berjalan_id": f"langkah_berjalan_id + {gl}"}, tanpa_id=True
                )
                c.execute(
                    f"INSERT INTO {t_} ({kol}) SELECT {pilih} FROM {t_} WHERE "  # noqa: S608
                    f"langkah_berjalan_id IN (SELECT id FROM sop_langkahberjalan WHERE {milik_usulan})"
                )
            kol, pilih = _kolom(Jejak, {"object_id": obj}, tanpa_id=True)
            c.execute(
                f"INSERT INTO sop_jejak ({kol}) SELECT {pilih} FROM sop_jejak "  # noqa: S608
                f"WHERE content_type_id = {ct} AND "
                f"(CASE WHEN content_type_id = {ct} THEN object_id::bigint END) <= {du}"
            )
            kol, pilih = _kolom(
                DuplikatKeputusan,
                {
                    "nik": nik_k,
                    "dipertahankan_id": f"dipertahankan_id + {gu}",
                    "usulan_ids": f"(SELECT jsonb_agg(x::bigint + {gu}) FROM "
                    "jsonb_array_elements_text(usulan_ids) x)",
                },
                tanpa_id=True,
            )
            c.execute(
                f"INSERT INTO bpum_duplikatkeputusan ({kol}) SELECT {pilih} "  # noqa: S608
                f"FROM bpum_duplikatkeputusan WHERE (usulan_ids->>0)::bigint <= {du}"
            )
            waktu[k] = round(time.perf_counter() - t, 1)
            lapor(f"  copy {k}/{kali - 1}: {waktu[k]} s")
        c.execute(f"UPDATE bpum_rekap SET jumlah = jumlah * {kali}")
        for tabel in ("bpum_usulan", "sop_langkahberjalan"):
            c.execute(
                f"SELECT setval(pg_get_serial_sequence('{tabel}', 'id'), (SELECT max(id) FROM {tabel}))"
            )
    return {"usulan": n * kali, "detik": round(time.perf_counter() - t0, 1), "per_salinan": waktu}


def bangun(
    n: int, *, seed: int = 2021, sampai: date | None = None, cepat: bool = True, lapor=None, **kw
) -> dict:
    """Generate ``n`` proposals into the configured database (base data already loaded)."""
    return DataBpum(n, seed=seed, sampai=sampai, lapor=lapor, **kw).bangun(cepat=cepat)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--usulan", type=int, default=20_000, help="number of proposals (20,000)")
    p.add_argument("--seed", type=int, default=2021)
    p.add_argument("--hari", type=int, default=110, help="working days covered (110)")
    p.add_argument("--sampai", type=date.fromisoformat, help="last day (default: yesterday)")
    p.add_argument("--jalur", choices=("cepat", "mesin"), default="cepat")
    p.add_argument("--simpan", action="store_true", help="keep the data (with DATABASE_URL)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = p.parse_args(argv)

    from _pg import database_url

    os.environ.setdefault("DEBUG", "0")
    with database_url(quiet=args.json) as url:
        os.environ["DATABASE_URL"] = url
        import io

        import django

        django.setup()
        from django.core.management import call_command

        from bpum.models import Usulan

        call_command("migrate", verbosity=0)
        call_command("setup_portal", "--demo", stdout=io.StringIO())
        if Usulan.objects.exists():
            print("bpum_usulan is not empty: use a fresh database.", file=sys.stderr)
            return 2
        hasil = bangun(
            args.usulan,
            seed=args.seed,
            sampai=args.sampai,
            cepat=args.jalur == "cepat",
            hari=args.hari,
            lapor=lambda s: print(s, file=sys.stderr, flush=True),
        )
        t = time.perf_counter()
        analisa()
        hasil["detik_analyze"] = round(time.perf_counter() - t, 1)
        if args.json:
            print(json.dumps(hasil, indent=1, default=str))
        else:
            print(f"{hasil['usulan']:,} usulan in {hasil['detik']} s ({hasil['acara']:,} events)")
            for k, v in hasil.items():
                if k not in ("usulan", "detik", "acara"):
                    print(f"  {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
