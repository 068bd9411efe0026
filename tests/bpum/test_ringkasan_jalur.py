"""The summary rows behind the dashboard, the list totals and the compliance report (ADR 0019)
stay exact whichever way the data is written: the engine's single path (a click), its bulk path
(a batch: ``jalankan_massal`` with ``perbarui_massal``'s ``UPDATE ... FROM (VALUES ...)``),
``perbarui_massal`` and ``QuerySet.update`` directly, both imports (district rekap: rows
inserted one by one and their clocks started in bulk; ministry answers: a bulk transition), the
SLA sweep (breaches, and a timed transition fired by the system) and deletes.

After every step the pages' figures equal a plain Python computation over the rows: on
PostgreSQL they come from the trigger-kept rows (which must also equal the rows recomputed from
their sources), on SQLite from the rows themselves (no triggers: the fallback)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from bpum import impor as imp
from bpum import services
from bpum.models import AlasanPengembalian, ImporRekap, Rekap, Usulan
from sop import massal
from sop.models import Wilayah
from sop.sla import sapu
from tests.skala_cek import semua_sesuai

from .conftest import DESA_PK, DESA_SP, SENIN, baris_rekap, xlsx_rekap

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

pytestmark = pytest.mark.django_db
S = Usulan.Status
JAM = dt.timedelta(hours=1)
HARI = dt.timedelta(days=1)


def test_ringkasan_tetap_tepat_di_setiap_jalur_tulis(pengguna, periode, buat):
    from data_bpum import siapkan_sop

    siapkan_sop()  # the PAIS-UMI revision with time limits: finished steps are tracked
    t0 = SENIN
    desa_tk = pengguna("desa.tembilahan-kota")
    kec = pengguna("kecamatan.tembilahan")
    dinas = pengguna("dinas.inhil")

    # single path: created at the village office (engine.mulai_proses), one click at a time
    us = [buat(i) for i in range(5)] + [buat(5, desa=DESA_SP), buat(6, desa=DESA_PK)]
    semua_sesuai()
    for u in us[:3]:
        services.usulan_transisi(user=desa_tk, usulan=u, nama="tandai_lengkap", now=t0 + JAM)
    alasan = AlasanPengembalian.objects.filter(aktif=True).values_list("pk", flat=True)
    us[3] = services.usulan_transisi(
        user=desa_tk, usulan=us[3], nama="kembalikan_berkas", alasan_ids=alasan[:1], now=t0 + JAM
    )
    us[3] = services.usulan_transisi(
        user=desa_tk, usulan=us[3], nama="lengkapi_berkas", now=t0 + 2 * HARI
    )
    for u in us[3:5]:  # late: the village step's limit is 3 working days
        services.usulan_transisi(user=desa_tk, usulan=u, nama="tandai_lengkap", now=t0 + 9 * HARI)
    semua_sesuai()

    # bulk path: a district batch sent and accepted (jalankan_massal, perbarui_massal)
    rekap = services.rekap_terbuka(
        user=kec,
        periode=periode,
        wilayah=Wilayah.objects.get(kode="14.04.04"),
        tingkat=Rekap.Tingkat.KECAMATAN,
        now=t0 + 10 * HARI,
    )
    services.rekap_tambah(user=kec, rekap=rekap, usulan_ids=None)
    services.rekap_kirim(user=kec, rekap=rekap, now=t0 + 10 * HARI)
    services.rekap_terima(user=dinas, rekap=rekap, now=t0 + 21 * HARI)
    assert Usulan.objects.filter(status=S.DIVERIFIKASI).count() == 5
    semua_sesuai()

    # perbarui_massal and QuerySet.update on the counted columns, directly
    objs = list(Usulan.objects.filter(pk__in=[us[5].pk, us[6].pk]))
    for o in objs:
        o.duplikat = True
    assert massal.perbarui_massal(Usulan, objs, ["duplikat"]) == 2
    semua_sesuai()
    Usulan.objects.filter(pk=us[6].pk).update(duplikat=False)
    semua_sesuai()

    # district import: rows inserted, clocks started in bulk, then an update of a name only
    def impor_rekap(rows, nama):
        impor = imp.impor_validasi(
            imp.impor_buat(
                user=kec,
                jenis="rekap",
                periode=periode,
                wilayah=Wilayah.objects.get(kode="14.04.04"),
                raw=xlsx_rekap(rows),
                nama_berkas=nama,
            )
        )
        assert impor.status == ImporRekap.Status.VALID, impor.errors
        return imp.impor_terapkan(impor, user=kec, now=t0 + 22 * HARI)

    impor_rekap([baris_rekap(100), baris_rekap(101, desa="SUNGAI PERAK"), baris_rekap(102)], "a")
    assert Usulan.objects.count() == 10
    semua_sesuai()
    impor_rekap(
        [baris_rekap(100, nama="Nama Dibetulkan"), baris_rekap(101, desa="SUNGAI PERAK")], "b"
    )
    semua_sesuai()

    # the regency batch to the province and the ministry's answers (bulk transitions)
    rk, n, _ditahan = services.rekap_kabupaten_susun(
        user=dinas, periode=periode, now=t0 + 23 * HARI
    )
    assert n == 5
    services.rekap_kirim(user=dinas, rekap=rk, now=t0 + 23 * HARI)
    riau = pengguna("petugas.riau")  # bpum10: the province works in the portal in this round
    services.rekap_terima(user=riau, rekap=rk, now=t0 + 40 * HARI)
    diteruskan = list(Usulan.objects.filter(status=S.DITERUSKAN).order_by("pk"))
    assert len(diteruskan) == 5
    jawaban = imp.impor_validasi(
        imp.impor_buat(
            user=riau,
            jenis="jawaban",
            periode=periode,
            wilayah=periode.wilayah,
            raw=xlsx_rekap(
                [[u.nik, "DITERIMA", ""] for u in diteruskan[:3]]
                + [[u.nik, "DITOLAK", "Sedang menerima KUR"] for u in diteruskan[3:]],
                judul=("NIK", "Status", "Keterangan"),
                sheet="Hasil Validasi",
            ),
            nama_berkas="hasil.xlsx",
        )
    )
    assert jawaban.status == ImporRekap.Status.VALID, jawaban.errors
    imp.impor_terapkan(jawaban, user=riau, now=t0 + 41 * HARI)
    assert Usulan.objects.filter(status__in=[S.DITERIMA, S.DITOLAK]).count() == 5
    semua_sesuai()

    # the SLA sweep: open clocks breached, then finished late by a click
    hasil = sapu(now=t0 + 60 * HARI)
    assert hasil["dilanggar"] >= 1
    semua_sesuai()
    u = services.usulan_transisi(
        user=pengguna("desa.sungaiperak"), usulan=us[5], nama="tandai_lengkap", now=t0 + 61 * HARI
    )
    assert u.status == S.LENGKAP
    semua_sesuai()

    # a timed transition the sweep fires as the system (a run of another module)
    from tests.contoh_engine.models import Berkas
    from tests.sop.test_engine_jalan import sampai_jendela, tagihan

    b = Berkas.objects.create(nomor="RJ-001", tunggakan=10)
    t1 = t0 + 61 * HARI
    t = tagihan(b, now=t1, tanggal_surat=t1 - 200 * HARI)  # the window began with the letter
    t = sampai_jendela(t, pengguna, t1)
    hasil = sapu(now=t1 + HARI)
    assert hasil["transisi"] == 1, hasil
    assert type(t).objects.get(pk=t.pk).status == "selesai"
    semua_sesuai()

    # deletes
    Usulan.objects.filter(pk=us[6].pk).delete()
    semua_sesuai()
