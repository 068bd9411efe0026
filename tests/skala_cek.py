"""Checks shared by the scale tests (issue 11): compliance, dashboard counts and list totals
computed the plain way in Python from the rows themselves, compared with what the pages use
(SQL aggregates, or the summary rows the PostgreSQL triggers keep, ADR 0019); and the summary
rows recomputed in Python from their sources."""

from __future__ import annotations

import math
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType

from bpum import selectors as sel
from bpum.models import Periode, Rekap, RingkasLangkahUsulan, RingkasRekap, RingkasUsulan, Usulan
from sop import laporan
from sop.models import Jejak, Langkah, LangkahBerjalan, RingkasJam, RingkasKepatuhan
from sop.selectors import (
    jumlah_lewat,
    jumlah_tugas,
    langkah_dalam_lingkup,
    langkah_terbuka_untuk,
)


def persentil(nilai: list[float], p: float) -> float | None:
    """percentile_cont, by the textbook: linear interpolation between order statistics."""
    if not nilai:
        return None
    v = sorted(nilai)
    k = (len(v) - 1) * p
    f = math.floor(k)
    c = min(f + 1, len(v) - 1)
    return v[f] + (v[c] - v[f]) * (k - f)


def dekat(a, b, tol) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol + 1e-9


def referensi(jejak, kunci) -> dict:
    """{key: (on time, late, median, p90)} of tracked finished steps, in Python."""
    tepat, lewat, persen = defaultdict(int), defaultdict(int), defaultdict(list)
    for j in jejak:
        if j.terlambat is None:
            continue
        k = kunci(j)
        if j.terlambat:
            lewat[k] += 1
        else:
            tepat[k] += 1
        if j.menit_batas:
            persen[k].append(100.0 * (j.menit_kerja or 0) / j.menit_batas)
    return {
        k: (tepat[k], lewat[k], persentil(persen[k], 0.5), persentil(persen[k], 0.9))
        for k in set(tepat) | set(lewat)
    }


KUNCI = {
    "sop": lambda j: j.sop.kode,
    "langkah": lambda j: str(j.langkah_id),
    "unit": lambda j: j.unit.kode if j.unit_id else None,
    "petugas": lambda j: j.user.username if j.user_id else None,
}


def bandingkan(baris, ref, tol):
    hasil = {b.kunci: b for b in baris}
    assert set(hasil) == {str(k) for k in ref if k is not None}
    for k, (tepat, lewat, med, p90) in ref.items():
        if k is None:
            continue
        b = hasil[str(k)]
        assert (b.tepat, b.lewat) == (tepat, lewat), k
        assert dekat(b.median_persen, med, tol), (k, b.median_persen, med)
        assert dekat(b.p90_persen, p90, tol), (k, b.p90_persen, p90)


def _persen10(j) -> int:
    if not j.menit_batas:
        return -1
    return (2000 * (j.menit_kerja or 0) + j.menit_batas) // (2 * j.menit_batas)


def ringkasan_dari_sumber() -> dict[str, dict]:
    """The summary tables as Python computes them from the step log, the proposals and the
    open clocks."""
    kepatuhan = defaultdict(int)
    for j in Jejak.objects.filter(terlambat__isnull=False):
        kunci = (j.sop_id or 0, j.langkah_id or 0, j.unit_id or 0, j.user_id or 0)
        kepatuhan[(*kunci, j.terlambat, _persen10(j))] += 1
    usulan = {u.pk: u for u in Usulan.objects.all()}
    per_desa = defaultdict(int)
    for u in usulan.values():
        per_desa[(u.periode_id, u.wilayah_id, u.status, u.duplikat)] += 1
    ct = ContentType.objects.get_for_model(Usulan)
    langkah = defaultdict(int)
    for j in Jejak.objects.filter(content_type=ct, langkah__isnull=False):
        u = usulan.get(int(j.object_id))
        if u is None:
            continue
        t = -1 if j.terlambat is None else int(j.terlambat)
        langkah[(u.periode_id, u.wilayah_id, j.langkah_id, t, _persen10(j))] += 1
    rekap = defaultdict(int)
    for u in usulan.values():
        for r in (u.rekap_kecamatan_id, u.rekap_kabupaten_id):
            if r is not None:
                rekap[(r, u.wilayah_id)] += 1
    jam = defaultdict(int)
    for c in LangkahBerjalan.objects.terbuka():
        jam[(c.content_type_id, c.wilayah_id or "", c.langkah_id, c.dilanggar is not None)] += 1
    return {
        "kepatuhan": dict(kepatuhan),
        "usulan": dict(per_desa),
        "langkah": dict(langkah),
        "jam": dict(jam),
        "rekap": dict(rekap),
    }


def ringkasan_tersimpan() -> dict[str, dict]:
    """The summary tables as the triggers kept them (rows netted to zero left out)."""
    return {
        "kepatuhan": {
            (r.sop_id, r.langkah_id, r.unit_id, r.user_id, r.terlambat, r.persen10): r.n
            for r in RingkasKepatuhan.objects.all()
            if r.n
        },
        "usulan": {
            (r.periode_id, r.wilayah_id, r.status, r.duplikat): r.n
            for r in RingkasUsulan.objects.all()
            if r.n
        },
        "langkah": {
            (r.periode_id, r.wilayah_id, r.langkah_id, r.terlambat, r.persen10): r.n
            for r in RingkasLangkahUsulan.objects.all()
            if r.n
        },
        "jam": {
            (r.content_type_id, r.wilayah_id, r.langkah_id, r.dilanggar): r.n
            for r in RingkasJam.objects.all()
            if r.n
        },
        "rekap": {(r.rekap_id, r.wilayah_id): r.n for r in RingkasRekap.objects.all() if r.n},
    }


def kepatuhan_sesuai(user) -> None:
    """The compliance tables ``user`` sees (every dimension) equal Python over the step log of
    the offices in the user's regions."""
    units = laporan.unit_lingkup(user)
    qs = Jejak.objects.select_related("sop", "unit", "user")
    jejak = list(qs if units is None else qs.filter(unit_id__in=units))
    tol = 0.1 if laporan.ringkasan_tersedia() else 0.05
    for dimensi, kunci in KUNCI.items():
        bandingkan(laporan.kepatuhan_lingkup(user, dimensi=dimensi), referensi(jejak, kunci), tol)


def dasbor_sesuai(user) -> None:
    """Dashboard counts, list totals and compliance per step of ``user`` against Python."""
    periode = Periode.objects.get(kode="BPUM-2021")
    usulan = list(sel.usulan_lingkup(user).filter(periode=periode))
    assert usulan
    # counts per district and state
    ref = defaultdict(lambda: defaultdict(int))
    for u in usulan:
        ref[u.kecamatan_id][u.status] += 1
    baris = sel.hitungan_status(user, periode)
    assert {b["kode"]: dict(b["per_status"]) for b in baris} == {k: dict(v) for k, v in ref.items()}
    kec = usulan[0].kecamatan_id
    desa = defaultdict(lambda: defaultdict(int))
    for u in usulan:
        if u.kecamatan_id == kec:
            desa[u.wilayah_id][u.status] += 1
    baris = sel.hitungan_status(user, periode, kecamatan=kec)
    assert {b["kode"]: dict(b["per_status"]) for b in baris} == {
        k: dict(v) for k, v in desa.items()
    }
    # list totals
    qs = sel.usulan_lingkup(user).filter(periode=periode)
    assert sel.jumlah_usulan(user, periode) == len(usulan)
    for status in {u.status for u in usulan} | {"diterima"}:
        assert sel.jumlah_usulan(user, periode, status=status) == sum(
            1 for u in usulan if u.status == status
        )
    assert sel.jumlah_usulan(user, periode, duplikat=True) == sum(1 for u in usulan if u.duplikat)
    assert sel.jumlah_usulan(user, periode, kecamatan=kec) == qs.filter(kecamatan_id=kec).count()
    # compliance per step
    ct = ContentType.objects.get_for_model(Usulan)
    ids = {str(u.pk) for u in usulan}
    kode = dict(Langkah.objects.values_list("pk", "kode"))
    rows = [
        j
        for j in Jejak.objects.filter(content_type=ct, langkah__isnull=False)
        if j.object_id in ids
    ]
    selesai = defaultdict(int)
    for j in rows:
        selesai[kode[j.langkah_id]] += 1
    ref = referensi(rows, lambda j: kode[j.langkah_id])
    hasil = {d["langkah"].kode: d for d in sel.kepatuhan_langkah(user, periode)}
    tol = 0.1 if laporan.ringkasan_tersedia() else 0.05
    for k, d in hasil.items():
        tepat, lewat, med, _p90 = ref.get(k, (0, 0, None, None))
        assert (d["selesai"], d["tepat"], d["lewat"]) == (selesai.get(k, 0), tepat, lewat), k
        assert dekat(d["median"], med, tol), (k, d["median"], med)
    assert set(selesai) <= set(hasil)


def jam_sesuai(user) -> None:
    """The totals of Tugas Saya and Lewat Tenggat equal the clocks their lists show."""
    assert jumlah_tugas(user) == langkah_terbuka_untuk(user).count()
    assert jumlah_lewat(user) == langkah_dalam_lingkup(user).filter(dilanggar__isnull=False).count()


def rekap_sesuai() -> None:
    """Every batch's member list (its segments per village, a page) equals the plain ordering."""
    from django.core.paginator import Paginator

    for rekap in Rekap.objects.all():
        p = sel.PaginatorAnggotaRekap(rekap, 7)
        kolom = "rekap_kecamatan" if rekap.tingkat == Rekap.Tingkat.KECAMATAN else "rekap_kabupaten"
        qs = Usulan.objects.filter(**{kolom: rekap}).order_by(
            "kecamatan__nama", "wilayah__nama", "nama", "pk"
        )
        assert p.count == qs.count()
        if p.count:
            for nomor in {1, p.num_pages}:
                harapan = [o.pk for o in Paginator(qs, 7).page(nomor).object_list]
                assert [o.pk for o in p.page(nomor).object_list] == harapan


def semua_sesuai(
    usernames=("dinas.inhil", "kecamatan.tembilahan", "provinsi.riau", "desa.tembilahan-kota"),
) -> None:
    """Everything above for the given officers; on PostgreSQL also the stored summary rows."""
    from django.contrib.auth import get_user_model

    if laporan.ringkasan_tersedia():
        assert ringkasan_tersimpan() == ringkasan_dari_sumber()
    else:  # SQLite: no triggers, the pages read the rows themselves
        assert not RingkasKepatuhan.objects.exists() and not RingkasUsulan.objects.exists()
        assert not RingkasJam.objects.exists()
    for username in usernames:
        user = get_user_model().objects.get(username=username)
        dasbor_sesuai(user)
        kepatuhan_sesuai(user)
        jam_sesuai(user)
    rekap_sesuai()
