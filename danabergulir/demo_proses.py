"""Demo data for the SOP screens (``setup_portal --demo``): proposals at every step of SOP
17-20 and the loan book's arrears at every collection stage, all made through the services
(the engine) with past ``now`` values, so clocks, badges and logs look lived in.

Documents are rendered on request (nothing is generated here), so this stays fast.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from sop import engine
from sop.models import Unit, Wilayah

from . import services
from .models import Debitur, HapusBuku, JalanPenagihan, Jaminan, Pinjaman, SkPenetapan
from .services.penagihan import penagihan_buka
from .services.proposal import jalan_terbuka

WIB = ZoneInfo("Asia/Jakarta")

# (name, kind, step the proposal is left at): one proposal per step of SOP 17-20, and one
# disbursed; the SOP 19 meeting has a draft decree (one approved, one refused line)
PROPOSAL = [
    ("Sumiyati", "umkm", "terima-teliti-proposal"),
    ("Koperasi Wanita Melati", "koperasi", "ajukan-proposal"),
    ("Parmin", "umkm", "disposisi-kadis"),
    ("Tri Wahyuni", "umkm", "tugaskan-pencatatan"),
    ("KSU Sumber Makmur", "koperasi", "catat-buku-proposal"),
    ("Sugiyem", "umkm", "proposal-lengkap"),
    ("Wagino", "umkm", "tugaskan-verifikasi"),
    ("Endah Purwanti", "umkm", "verifikasi-lapangan"),
    ("Koperasi Nelayan Teleng Ria", "koperasi", "terima-hasil-verifikasi"),
    ("Marsono", "umkm", "rekap-verifikasi"),
    ("Yuli Astuti", "umkm", "terima-rekap"),
    ("Karsini", "umkm", "rapat-penentuan"),
    ("Suroto", "umkm", "rapat-penentuan"),
    ("Lestari Batik", "umkm", "tugaskan-agenda-perjanjian"),
    ("Mulyadi", "umkm", "tugaskan-persiapan-berkas"),
    ("KSP Guyub Rukun", "koperasi", "sampaikan-undangan"),
    ("Sri Mulyani", "umkm", "terima-undangan"),
    ("Bambang Hartono", "umkm", "laksanakan-perjanjian"),
    ("Ngatinah", "umkm", "serahkan-daftar-bank"),
    ("Warsito", "umkm", "realisasi-kredit"),
    ("Dwi Handayani", "umkm", "selesai"),
]
URUTAN = [
    "ajukan-proposal",
    "terima-teliti-proposal",
    "disposisi-kadis",
    "tugaskan-pencatatan",
    "catat-buku-proposal",
    "proposal-lengkap",
    "tugaskan-verifikasi",
    "verifikasi-lapangan",
    "terima-hasil-verifikasi",
    "rekap-verifikasi",
    "terima-rekap",
    "rapat-penentuan",
    "tugaskan-agenda-perjanjian",
    "tugaskan-persiapan-berkas",
    "sampaikan-undangan",
    "terima-undangan",
    "laksanakan-perjanjian",
    "serahkan-daftar-bank",
    "realisasi-kredit",
    "selesai",
]


def _pdf(nama: str) -> SimpleUploadedFile:
    isi = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(nama, isi, content_type="application/pdf")


def _foto() -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (180, 140, 90)).save(buf, "JPEG")
    return SimpleUploadedFile("usaha.jpg", buf.getvalue(), content_type="image/jpeg")


class _Jam:
    """Past instants, one per action, moving forward in office hours."""

    def __init__(self, mulai: dt.datetime):
        self.t = mulai

    def __call__(self, jam: int = 2) -> dt.datetime:
        self.t += dt.timedelta(hours=jam)
        if self.t.hour >= 15:
            self.t = (self.t + dt.timedelta(days=1)).replace(hour=8, minute=0)
        while self.t.weekday() >= 5:
            self.t += dt.timedelta(days=1)
        return self.t


def _sampai(p, tujuan: str, jam: _Jam, orang: dict, sk_kelompok: list) -> None:
    """Walk proposal ``p`` through the services until it waits in ``tujuan`` (or, past the
    meeting, until the meeting: those are decided together on one decree)."""
    petugas, kaupt, kadis = orang["petugas"], orang["kaupt"], orang["kadis"]
    if tujuan == "ajukan-proposal":
        services.proposal_langkah(
            run=jalan_terbuka(p),
            user=petugas,
            nama="putuskan_tidak",
            catatan="Surat Keterangan Usaha kedaluwarsa; lampirkan yang baru.",
            now=jam(),
        )
        return
    berhenti = min(URUTAN.index(tujuan), URUTAN.index("rapat-penentuan"))
    oleh_kaupt = ("tugaskan-pencatatan", "terima-hasil-verifikasi", "terima-rekap")
    run = jalan_terbuka(p)
    while run is not None and URUTAN.index(run.status) < berhenti:
        kode = run.status
        if kode == "terima-teliti-proposal":
            run = services.proposal_langkah(run=run, user=petugas, nama="putuskan_ya", now=jam())
        elif kode == "disposisi-kadis":
            run = services.proposal_langkah(run=run, user=kadis, now=jam(20))
        elif kode == "catat-buku-proposal":
            run = services.proposal_catat_buku(run=run, user=petugas, now=jam())
        elif kode == "tugaskan-verifikasi":
            run = services.proposal_tugaskan_survei(run=run, user=kaupt, petugas=petugas, now=jam())
        elif kode == "verifikasi-lapangan":
            now = jam(48)
            services.survei_simpan(
                proposal=p,
                user=petugas,
                data={
                    "tanggal": now.date(),
                    "usaha": f"{p.tujuan}; usaha berjalan, tempat usaha milik sendiri.",
                    "omzet_bulanan": p.jumlah_diminta // 2,
                    "aset": p.jumlah_diminta * 3,
                    "jaminan_ditawarkan": "BPKB sepeda motor",
                    "nilai_jaminan": p.jumlah_diminta * 3 // 2,
                    "plafon_rekomendasi": p.jumlah_diminta,
                },
                foto=[_foto()],
                keterangan="Tempat usaha",
                now=now,
            )
            run = services.proposal_langkah(run=run, user=petugas, now=jam())
        elif kode in oleh_kaupt:
            run = services.proposal_langkah(run=run, user=kaupt, now=jam())
        else:  # the applicant's steps (recorded by the officer), the survey team's recap
            run = services.proposal_langkah(run=run, user=petugas, now=jam())
        if run.status == "selesai":
            run = jalan_terbuka(p)
    if URUTAN.index(tujuan) > URUTAN.index("rapat-penentuan"):
        sk_kelompok.append(p)


def _lanjut_20(p, tujuan: str, jam: _Jam, orang: dict) -> None:
    petugas, kaupt, kadis = orang["petugas"], orang["kaupt"], orang["kadis"]
    berhenti = URUTAN.index(tujuan)

    def di(kode) -> bool:
        r = jalan_terbuka(p)
        return r is not None and r.status == kode and URUTAN.index(kode) < berhenti

    if di("tugaskan-agenda-perjanjian"):
        services.proposal_langkah(run=jalan_terbuka(p), user=kadis, now=jam())
    if di("tugaskan-persiapan-berkas"):
        services.proposal_langkah(run=jalan_terbuka(p), user=kaupt, now=jam())
    if di("sampaikan-undangan"):
        now = jam()
        services.penyaluran_undangan(
            run=jalan_terbuka(p),
            user=petugas,
            tanggal=now.date(),
            jadwal=now + dt.timedelta(days=3),
            tempat="Aula UPT Dana Bergulir, Jl. Letjen Suprapto, Pacitan",
            now=now,
        )
    if di("terima-undangan"):
        services.proposal_langkah(run=jalan_terbuka(p), user=petugas, now=jam())
    if URUTAN.index("laksanakan-perjanjian") <= berhenti:
        services.penyaluran_rekening(
            proposal=p,
            user=petugas,
            nama_bank="Bank Jatim Cabang Pacitan",
            nomor_rekening=f"00{p.pk:08d}",
        )
        services.penyaluran_jaminan(
            proposal=p,
            user=petugas,
            jenis=Jaminan.Jenis.BPKB,
            nomor_dokumen=f"M-{700000 + p.pk}",
            atas_nama=p.nama,
            nilai=p.jumlah_diminta * 3 // 2,
            tempat_penyimpanan="Lemari arsip UPT, rak C",
            tanggal_diterima=jam.t.date(),
        )


def _tandatangani(p, jam: _Jam, orang: dict) -> None:
    now = jam(72)
    services.penyaluran_perjanjian(
        run=jalan_terbuka(p), user=orang["kaupt"], tanggal=now.date(), now=now
    )


def muat_proposal(unit: Unit, hari_ini: dt.date, orang: dict) -> dict:
    kabupaten = unit.wilayah_id
    kecamatan = list(Wilayah.objects.filter(induk_id=kabupaten).order_by("kode"))
    n = itertools.count(1)
    dibuat = []
    sk_kelompok: list = []
    for nama, jenis, tujuan in PROPOSAL:
        # the further along, the earlier it arrived (SOP 17 proposals in the last days, the
        # ones on the decree about six weeks ago)
        idx = URUTAN.index(tujuan)
        hari = 1 + idx if idx < URUTAN.index("rapat-penentuan") else 45
        jam = _Jam(dt.datetime.combine(hari_ini - dt.timedelta(days=hari), dt.time(7), tzinfo=WIB))
        k = next(n)
        kec = kecamatan[k % len(kecamatan)]
        koperasi = jenis == "koperasi"
        p = services.proposal_daftarkan(
            user=orang["petugas"],
            unit=unit,
            data={
                "jenis": Debitur.Jenis.KOPERASI if koperasi else Debitur.Jenis.UMKM,
                "nama": nama,
                "nik": f"350107{k:02d}{'0' if koperasi else '4'}{k % 9 + 1}8{k:05d}"[:16],
                "nomor_badan_hukum": f"AHU-00{k:04d}.AH.01.26.TAHUN 2021" if koperasi else "",
                "pengurus": [{"nama": "Sutarmi", "jabatan": "Ketua"}] if koperasi else [],
                "nib": "" if koperasi else f"9120{k:09d}",
                "kecamatan": kec,
                "alamat": f"RT 0{k % 4 + 1} RW 0{k % 3 + 1}",
                "jumlah_diminta": [5, 7, 10, 15, 20, 25][k % 6] * 1_000_000,
                "tenor_diminta": 12 if k % 2 else 24,
                "tujuan": "Modal kerja usaha "
                + ["warung", "batik", "olahan ikan", "kerajinan"][k % 4],
            },
            berkas=_pdf(f"proposal-{k}.pdf"),
            now=jam(1),
        )
        dibuat.append((p, tujuan, jam))
        if tujuan != "terima-teliti-proposal":
            _sampai(p, tujuan, jam, orang, sk_kelompok)
    # SOP 19: a draft decree for the two waiting at the meeting, a signed one for the rest
    menunggu = [p for p, t, _j in dibuat if t == "rapat-penentuan"]
    jam_sk = _Jam(dt.datetime.combine(hari_ini - dt.timedelta(days=28), dt.time(9), tzinfo=WIB))
    draf = services.sk_buat(
        user=orang["petugas"],
        unit=unit,
        nomor=f"500/{hari_ini.year}/SK-DB/002",
        tanggal=hari_ini,
        now=jam_sk(),
    )
    services.sk_putuskan(
        sk=draf,
        user=orang["petugas"],
        proposal=menunggu[0],
        disetujui=True,
        plafon=menunggu[0].jumlah_diminta,
    )
    services.sk_putuskan(
        sk=draf,
        user=orang["petugas"],
        proposal=menunggu[1],
        disetujui=False,
        alasan="Usaha belum berjalan enam bulan.",
    )
    if sk_kelompok:
        now = jam_sk()
        sk = services.sk_buat(
            user=orang["petugas"],
            unit=unit,
            nomor=f"500/{now.year}/SK-DB/001",
            tanggal=now.date(),
            now=now,
        )
        for p in sk_kelompok:
            services.sk_putuskan(
                sk=sk,
                user=orang["petugas"],
                proposal=p,
                disetujui=True,
                plafon=p.jumlah_diminta * 4 // 5 // 100_000 * 100_000,
            )
        sk = services.sk_tetapkan(sk=sk, user=orang["kaupt"], now=jam_sk())
        services.sk_tutup_rapat(sk=sk, user=orang["petugas"], now=jam_sk())
        tujuan_per = {p.pk: t for p, t, _j in dibuat}
        akhir = jam_sk.t
        i_pk = URUTAN.index("laksanakan-perjanjian")
        i_bank = URUTAN.index("serahkan-daftar-bank")
        for p in sk_kelompok:  # each recipient on its own timeline from the decree on
            jam_p = _Jam(jam_sk.t)
            _lanjut_20(p, tujuan_per[p.pk], jam_p, orang)
            if URUTAN.index(tujuan_per[p.pk]) > i_bank:
                _tandatangani(p, jam_p, orang)
            akhir = max(akhir, jam_p.t)
        jam_bank = _Jam(akhir)
        lewat_bank = [p for p in sk_kelompok if URUTAN.index(tujuan_per[p.pk]) > i_bank]
        if lewat_bank:
            services.penyaluran_serahkan_bank(
                sk=SkPenetapan.objects.get(pk=sk.pk), user=orang["kaupt"], now=jam_bank()
            )
        for p in sk_kelompok:  # signed after the list went to the bank: waits for the next one
            if URUTAN.index(tujuan_per[p.pk]) == i_bank and i_pk < i_bank:
                _tandatangani(p, jam_bank, orang)
        for p in lewat_bank:
            if tujuan_per[p.pk] == "selesai":
                now = jam_bank(24)
                services.penyaluran_realisasi(
                    run=jalan_terbuka(p), user=orang["petugas"], tanggal=now.date(), now=now
                )
    return {"proposal": len(dibuat)}


# ------------------------------------------------------------------ collection stages
def _riwayat(p: Pinjaman, mulai: dt.date, now_nyata: dt.datetime, orang: dict, berhenti=""):
    """Letters of loan ``p`` since its arrears began on ``mulai``, as the sweep and the officers
    would have made them: each window that lapsed with arrears led to the next letter."""
    t = mulai + dt.timedelta(days=1)
    for tingkat in (1, 2, 3):
        buka = dt.datetime.combine(t, dt.time(6), tzinfo=WIB)
        (run,) = penagihan_buka([(p, tingkat, 1)], now=buka)
        if berhenti == "tugaskan":
            return run
        run = services.penagihan_tugaskan(
            run=run, user=orang["kaupt"], now=buka + dt.timedelta(hours=3)
        )
        if berhenti == "tagih":
            return run
        tgl = t + dt.timedelta(days=2)
        run = services.penagihan_terbitkan_surat(
            run=run,
            user=orang["petugas"],
            tanggal=tgl,
            now=dt.datetime.combine(tgl, dt.time(10), tzinfo=WIB),
        )
        run = JalanPenagihan.objects.get(pk=run.pk)
        if run.jendela_berakhir >= now_nyata:
            return run
        run = engine.jalankan(
            run.jendela_lewat,
            user=None,
            now=run.jendela_berakhir + dt.timedelta(hours=15),
            catatan="Otomatis: batas waktu langkah terlampaui.",
        )
        t = run.jendela_berakhir.astimezone(WIB).date() + dt.timedelta(days=1)
    return run


def muat_penagihan(unit: Unit, hari_ini: dt.date, now: dt.datetime, orang: dict) -> dict:
    from .sapuan import sapu_penagihan
    from .selectors import posisi

    # loans whose letters a sweep already opened (setup re-run on an older demo book) keep them
    ditagih = set(JalanPenagihan.objects.values_list("pinjaman_id", flat=True))
    rows = sorted(
        (
            r
            for r in posisi(hari_ini, Pinjaman.objects.filter(unit=unit), urut=False)
            if r.dpd > 0 and r.id not in ditagih
        ),
        key=lambda r: (r.dpd, r.nomor),
    )
    p_per = {p.pk: p for p in Pinjaman.objects.filter(pk__in=[r.id for r in rows])}
    awal = [r for r in rows if r.dpd < 40]
    hasil = {"riwayat": 0}
    for r in rows:
        p = p_per[r.id]
        berhenti = ""
        if r in awal[:1]:
            berhenti = "tugaskan"
        elif r in awal[1:2]:
            berhenti = "tagih"
        _riwayat(p, hari_ini - dt.timedelta(days=r.dpd), now, orang, berhenti)
        hasil["riwayat"] += 1
    # one debtor paid after letter I: the next sweep closes its cycle; the officer then records
    # the bank's data and the installments, the Kepala UPT evaluates
    bayar = next(
        (
            r
            for r in awal[2:]
            if JalanPenagihan.objects.filter(pinjaman_id=r.id, status="bayar-ke-bank").exists()
        ),
        None,
    )
    if bayar is not None:
        from .selectors import posisi_satu

        kemarin = hari_ini - dt.timedelta(days=1)
        pos = posisi_satu(p_per[bayar.id], kemarin)

        class _B:
            tanggal, referensi, saldo, row, sumber = kemarin, "TRX-DEMO-9", None, 1, "demo"
            keterangan = f"SETORAN TUNGGAKAN {bayar.nomor}"

        from decimal import Decimal

        _B.jumlah = Decimal(pos.tunggakan_pokok + pos.tunggakan_jasa + pos.denda)
        services.rekening_posting(unit=unit, baris=[_B()], user=orang["petugas"], now=now)
    hasil.update(sapu_penagihan(now))
    if bayar is not None:
        run = JalanPenagihan.objects.get(pinjaman_id=bayar.id, status="bank-terima-angsuran")
        run = services.penagihan_selesaikan(run=run, user=orang["petugas"], now=now)
        services.penagihan_catat(run=run, user=orang["petugas"], now=now)
    # the loan queued after letter III: a write-off proposed and approved by the Kepala UPT,
    # waiting for the Kepala Dinas
    antre = Pinjaman.objects.filter(unit=unit, status=Pinjaman.Status.MENUNGGU_KEPUTUSAN).first()
    if antre is not None:
        h = services.hapus_buku_ajukan(
            pinjaman=antre,
            user=orang["petugas"],
            jenis=HapusBuku.Jenis.BERSYARAT,
            nomor_sk=f"900/{hari_ini.year}/HB/001",
            tanggal_sk=hari_ini,
            alasan="Usaha tutup sejak banjir; debitur tidak dapat dihubungi.",
            now=now,
        )
        services.hapus_buku_setujui(hapus_buku=h, user=orang["kaupt"], now=now)
    return hasil


def muat_siklus(now: dt.datetime, orang: dict) -> dict:
    """Last month's SOP 24 cycle, assigned by the Kepala UPT."""
    from .models import SiklusBulanan
    from .sapuan import buka_siklus_bulanan

    hasil = buka_siklus_bulanan(now)
    for s in SiklusBulanan.objects.filter(status="tugaskan-petugas"):
        services.siklus_langkah(siklus=s, user=orang["kaupt"], now=now)
    return hasil


def muat(unit: Unit, hari_ini: dt.date, now: dt.datetime) -> dict:
    """The demo's history. Its ~300 past transitions would each queue a "new task" notice for
    steps that are long done (the immediate task backend runs them inline, ~30 ms each): the
    history is written with the dummy task backend, so no notice is sent for it."""
    from django.test.utils import override_settings

    from .models import Proposal

    if Proposal.objects.filter(unit=unit).exists():
        return {}
    with override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    ):
        return _muat(unit, hari_ini, now)


def _muat(unit: Unit, hari_ini: dt.date, now: dt.datetime) -> dict:
    User = get_user_model()
    orang = {
        "petugas": User.objects.get(username="upt.pacitan"),
        "kaupt": User.objects.get(username="kaupt.pacitan"),
        "kadis": User.objects.get(username="kadis.pacitan"),
    }
    hasil = muat_proposal(unit, hari_ini, orang)
    hasil.update(muat_penagihan(unit, hari_ini, now, orang))
    hasil.update(muat_siklus(now, orang))
    return hasil
