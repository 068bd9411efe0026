"""What `manage.py setup_portal` loads: regions, calendar + holidays, roles, units, SOPs, demo."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import (
    HariLibur,
    JamKerja,
    Kalender,
    KatalogLayanan,
    Pelaksana,
    Penugasan,
    Unit,
    Wilayah,
)
from .pertukaran import impor
from .wilayah_data import muat_wilayah

KABUPATEN_BAWAAN = ["14.04", "14.05", "35.01"]  # Indragiri Hilir, Pelalawan, Pacitan
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "demo-portal-2026"

# kode, nama, atasan
PERAN_SISTEM = [
    ("kepala_dinas", "Kepala Dinas", None),
    ("kepala_bidang", "Kepala Bidang", "kepala_dinas"),
    ("staf", "Staf", "kepala_bidang"),
    ("kepala_desa", "Kepala Desa/Lurah", None),
    ("petugas_desa", "Petugas Desa/Kelurahan", "kepala_desa"),
    ("camat", "Camat", None),
    ("petugas_kecamatan", "Petugas Kecamatan", "camat"),
    ("staf_dinas", "Staf Dinas Koperasi UKM", "kepala_bidang"),
    ("petugas_provinsi", "Petugas Dinas Provinsi", None),
    ("pengawas_provinsi", "Pengawas Provinsi (baca saja)", None),
    ("kepala_upt", "Kepala UPT", "kepala_dinas"),
    ("petugas_upt", "Petugas UPT Pengelola Dana Bergulir", "kepala_upt"),
    ("front_office", "Front Office", "back_office"),
    ("back_office", "Back Office", "kepala_dinas"),
]

# Working hours per Perpres 21/2023 (37.5 h/week).
JAM_BAKU = {
    0: [("07:30", "12:00"), ("13:00", "16:00")],
    1: [("07:30", "12:00"), ("13:00", "16:00")],
    2: [("07:30", "12:00"), ("13:00", "16:00")],
    3: [("07:30", "12:00"), ("13:00", "16:00")],
    4: [("07:30", "11:30"), ("13:00", "16:30")],
}


def muat_kalender() -> Kalender:
    kal, created = Kalender.objects.get_or_create(
        kode="baku-wib",
        defaults={
            "nama": "Jam kerja baku (Perpres 21/2023)",
            "zona": "Asia/Jakarta",
            "bawaan": True,
        },
    )
    if created or not kal.jam.exists():
        JamKerja.objects.bulk_create(
            JamKerja(
                kalender=kal,
                hari=h,
                mulai=dt.time.fromisoformat(a),
                selesai=dt.time.fromisoformat(b),
            )
            for h, iv in JAM_BAKU.items()
            for a, b in iv
        )
    return kal


def muat_libur(tahun=range(2020, 2028)) -> int:
    """Libur nasional and cuti bersama: lokal-id's SKB data where it has the year, else holidays."""
    import holidays as pyholidays
    from lokal.holidays import HOLIDAY_YEARS, get_holidays

    ada = set(HariLibur.objects.filter(kalender__isnull=True).values_list("tanggal", "jenis"))
    baru = []
    for th in tahun:
        if th in HOLIDAY_YEARS:
            hy = get_holidays(th)
            rows = [
                (dt.date.fromisoformat(h.date), h.name, h.type, f"{hy.decree} ({hy.source})")
                for h in hy.holidays
            ]
        else:
            rows = []
            for cat, jenis in (("public", "libur_nasional"), ("government", "cuti_bersama")):
                for d, n in pyholidays.Indonesia(
                    years=th, categories=(cat,), language="id"
                ).items():
                    rows.append(
                        (
                            d,
                            n,
                            jenis,
                            f"python-holidays {pyholidays.__version__} (Indonesia, {cat})",
                        )
                    )
        for d, n, jenis, sumber in rows:
            if (d, jenis) in ada:
                continue
            ada.add((d, jenis))
            baru.append(HariLibur(tanggal=d, nama=n[:200], jenis=jenis, sumber=sumber[:300]))
    HariLibur.objects.bulk_create(baru)
    return len(baru)


def muat_peran() -> None:
    for kode, nama, _atasan in PERAN_SISTEM:
        Pelaksana.objects.get_or_create(kode=kode, defaults={"nama": nama})
    for kode, _nama, atasan in PERAN_SISTEM:
        if atasan:
            Pelaksana.objects.filter(kode=kode, atasan__isnull=True).update(
                atasan=Pelaksana.objects.get(kode=atasan)
            )


def muat_sop() -> dict:
    data = []
    for f in sorted((FIXTURES / "sop").glob("*.json")):
        if f.name.startswith("katalog"):
            continue
        data.extend(json.loads(f.read_text(encoding="utf-8")))
    hasil = impor(data, fixture=True)
    for f in sorted((FIXTURES / "sop").glob("katalog*.json")):
        for k in json.loads(f.read_text(encoding="utf-8")):
            KatalogLayanan.objects.update_or_create(
                kode=k["kode"],
                defaults={
                    "jenis_pelayanan": k.get("jenis_pelayanan", "")[:300],
                    "persyaratan": k.get("persyaratan") or [],
                    "biaya": (k.get("biaya") or "")[:200],
                    "waktu": (k.get("waktu") or "")[:120],
                    "produk": (k.get("produk") or "")[:300],
                    "keterangan": k.get("keterangan") or "",
                    "sumber": (k.get("sumber") or "")[:300],
                },
            )
    ringkas = {
        "dibuat": len(hasil.dibuat),
        "revisi_baru": len(hasil.revisi_baru),
        "sama": len(hasil.sama),
    }
    if hasil.draf:  # changed fixtures of SOPs an admin has revised: kept as drafts to review
        ringkas["draf"] = len(hasil.draf)
    return ringkas


def _unit(kode, nama, jenis, wilayah, layanan, induk=None, hanya_baca=False, sop_kode=()) -> Unit:
    unit, created = Unit.objects.get_or_create(
        kode=kode,
        defaults={
            "nama": nama,
            "jenis": jenis,
            "wilayah_id": wilayah,
            "layanan": layanan,
            "induk": induk,
            "hanya_baca": hanya_baca,
            "sop_kode": list(sop_kode),
        },
    )
    if not created and sop_kode and not unit.sop_kode:  # offices set up before the field existed
        unit.sop_kode = list(sop_kode)
        unit.save(update_fields=["sop_kode"])
    return unit


def muat_unit() -> None:
    """Default offices: Indragiri Hilir (BPUM chain), Pacitan (dinas + UPT), Pelalawan (DPMPTSP)."""
    prov_riau = _unit(
        "dinas-koperasi-ukm-prov-riau",
        "Dinas Koperasi dan UKM Provinsi Riau",
        Unit.Jenis.DINAS_PROVINSI,
        "14",
        ["bpum"],
        hanya_baca=True,
    )
    dinas = _unit(
        "dinas-koperasi-ukm-inhil",
        "Dinas Koperasi dan UKM Kabupaten Indragiri Hilir",
        Unit.Jenis.DINAS_KABUPATEN,
        "14.04",
        ["bpum", "sop"],
        induk=prov_riau,
    )
    kec = {w.kode: w for w in Wilayah.objects.filter(induk_id="14.04")}
    camat = {}
    for k, w in kec.items():
        camat[k] = _unit(
            f"kantor-camat-{w.kode.replace('.', '-')}",
            f"Kantor Camat {w.nama}",
            Unit.Jenis.KECAMATAN,
            k,
            ["bpum"],
            induk=dinas,
        )
    ada = set(
        Unit.objects.filter(jenis=Unit.Jenis.DESA, wilayah__induk__induk_id="14.04").values_list(
            "wilayah_id", flat=True
        )
    )
    Unit.objects.bulk_create(
        Unit(
            kode=f"kantor-desa-{w.kode.replace('.', '-')}",
            nama=f"Kantor {'Kelurahan' if w.jenis == 'kelurahan' else 'Desa'} {w.nama}",
            jenis=Unit.Jenis.DESA,
            wilayah=w,
            layanan=["bpum"],
            induk=camat.get(w.induk_id),
        )
        for w in Wilayah.objects.filter(induk__induk_id="14.04").exclude(kode__in=ada)
    )
    pacitan = _unit(
        "dinas-kukmp-pacitan",
        "Dinas Koperasi, Usaha Mikro dan Perindustrian Kabupaten Pacitan",
        Unit.Jenis.DINAS_KABUPATEN,
        "35.01",
        ["sop", "danabergulir"],
        sop_kode=["PACITAN-*"],
    )
    _unit(
        "upt-dana-bergulir-pacitan",
        "UPT Pengelolaan Dana Bergulir Kabupaten Pacitan",
        Unit.Jenis.UPT,
        "35.01",
        ["danabergulir", "sop"],
        induk=pacitan,
        sop_kode=["PACITAN-*"],
    )
    _unit(
        "dpmptsp-pelalawan",
        "DPMPTSP Kabupaten Pelalawan",
        Unit.Jenis.DPMPTSP,
        "14.05",
        ["perizinan", "sop"],
        sop_kode=["PELALAWAN-*"],
    )
    _unit(
        "dinas-koperasi-ukm-prov-jatim",
        "Dinas Koperasi dan UKM Provinsi Jawa Timur",
        Unit.Jenis.DINAS_PROVINSI,
        "35",
        ["sop"],
        sop_kode=["JATIM-*"],
    )


# username, nama, unit kode, roles
DEMO_USERS = [
    (
        "desa.tembilahan-kota",
        "Petugas Kel. Tembilahan Kota",
        "kantor-desa-14-04-04-1001",
        ["petugas_desa"],
    ),
    ("desa.sungaiperak", "Petugas Kel. Sungaiperak", "kantor-desa-14-04-04-1004", ["petugas_desa"]),
    (
        "desa.pulaukijang",
        "Petugas Kel. Pulaukijang (Reteh)",
        "kantor-desa-14-04-01-1001",
        ["petugas_desa"],
    ),
    (
        "kecamatan.tembilahan",
        "Petugas Kecamatan Tembilahan",
        "kantor-camat-14-04-04",
        ["petugas_kecamatan"],
    ),
    ("kecamatan.reteh", "Petugas Kecamatan Reteh", "kantor-camat-14-04-01", ["petugas_kecamatan"]),
    (
        "dinas.inhil",
        "Staf Dinas Koperasi UKM Inhil",
        "dinas-koperasi-ukm-inhil",
        ["staf_dinas", "staf"],
    ),
    (
        "kadis.inhil",
        "Kepala Dinas Koperasi UKM Inhil",
        "dinas-koperasi-ukm-inhil",
        ["kepala_dinas"],
    ),
    (
        "provinsi.riau",
        "Pengawas Dinas Koperasi UKM Riau",
        "dinas-koperasi-ukm-prov-riau",
        ["pengawas_provinsi"],
    ),
    (
        "upt.pacitan",
        "Staf UPT Dana Bergulir Pacitan",
        "upt-dana-bergulir-pacitan",
        ["petugas_upt", "pengelola_dana_bergulir"],
    ),
    (
        "kaupt.pacitan",
        "Kepala UPT Dana Bergulir Pacitan",
        "upt-dana-bergulir-pacitan",
        ["kepala_upt"],
    ),
    ("kadis.pacitan", "Kepala Dinas KUMP Pacitan", "dinas-kukmp-pacitan", ["kepala_dinas"]),
    ("fo.pelalawan", "Front Office DPMPTSP Pelalawan", "dpmptsp-pelalawan", ["front_office"]),
    ("bo.pelalawan", "Back Office DPMPTSP Pelalawan", "dpmptsp-pelalawan", ["back_office"]),
    ("kadis.pelalawan", "Kepala DPMPTSP Pelalawan", "dpmptsp-pelalawan", ["kepala_dinas"]),
    (
        "jatim.kadis",
        "Kepala Dinas Koperasi UKM Jatim",
        "dinas-koperasi-ukm-prov-jatim",
        ["kepala_dinas"],
    ),
    ("jatim.kabid", "Kepala Bidang PRU Jatim", "dinas-koperasi-ukm-prov-jatim", ["kepala_bidang"]),
    ("jatim.staf", "Staf Bidang PRU Jatim", "dinas-koperasi-ukm-prov-jatim", ["staf"]),
]


def buat_demo() -> list[tuple[str, str]]:
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    sandi = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 per user would take seconds
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(
            "admin", "admin@example.org", DEMO_PASSWORD, first_name="Administrator"
        )
    dibuat = [("admin", "Administrator portal")]
    units = {u.kode: u for u in Unit.objects.filter(kode__in=[d[2] for d in DEMO_USERS])}
    peran = {p.kode: p for p in Pelaksana.objects.all()}
    for username, nama, unit_kode, roles in DEMO_USERS:
        unit = units.get(unit_kode)
        if unit is None:
            continue
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": nama})
        if created:
            user.password = sandi
            user.save(update_fields=["password"])
        if not Penugasan.objects.filter(user=user, unit=unit).exists():
            p = Penugasan.objects.create(user=user, unit=unit)
            p.peran.set([peran[r] for r in roles if r in peran])
        dibuat.append((username, nama))
    return dibuat


@transaction.atomic
def setup(*, demo: bool = False, stdout=None) -> dict:
    hasil = {"wilayah": muat_wilayah(KABUPATEN_BAWAAN)}
    muat_kalender()
    hasil["libur"] = muat_libur()
    muat_peran()
    hasil["sop"] = muat_sop()
    muat_unit()
    if demo:
        hasil["demo"] = buat_demo()
    return hasil
