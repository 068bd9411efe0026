"""Races on PostgreSQL (threads on separate connections): a double submit of the intake form and
two staging copies of one file committed at the same moment create each record once, and every
NIK that does end up twice in a round is flagged.

SQLite runs every writing transaction alone (``BEGIN IMMEDIATE``), so these races cannot happen
there: the tests skip with that reason."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from bpum import impor as imp
from bpum import services
from bpum.models import ImporRekap, Usulan
from sop.idempoten import token_baru
from sop.models import Jejak, LangkahBerjalan, Wilayah
from tests.serentak import serentak

from .conftest import DESA_SP, DESA_TK, baris_rekap, data_usulan, nik, xlsx_rekap

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writing transactions (BEGIN IMMEDIATE): no race to test",
    ),
    pytest.mark.django_db(transaction=True),
]
PASANGAN = 25
PETUGAS = {DESA_TK: "desa.tembilahan-kota", DESA_SP: "desa.sungaiperak"}


def _terima(pengguna, periode, i, desa, token):
    from django.contrib.auth import get_user_model

    def f():
        user = get_user_model().objects.get(username=PETUGAS[desa])
        return services.usulan_buat(
            user=user,
            desa=Wilayah.objects.get(kode=desa),
            data=data_usulan(i),
            periode=periode,
            token=token,
        )

    return f


def test_kirim_ganda_formulir_sama_satu_usulan(pengguna, periode):
    """A double click: the same form (one token) posted twice at once -> one record."""
    for i in range(PASANGAN):
        token = token_baru()
        a, b = serentak(
            _terima(pengguna, periode, i, DESA_TK, token),
            _terima(pengguna, periode, i, DESA_TK, token),
        )
        assert isinstance(a, Usulan) and isinstance(b, Usulan), (a, b)
        assert a.pk == b.pk
        assert sorted([a.sudah_terdaftar, b.sudah_terdaftar]) == ["", "formulir"]
    assert Usulan.objects.count() == PASANGAN
    assert Usulan.objects.filter(duplikat=True).count() == 0
    # one receipt jejak and one clock per record, as at the counter
    ct = ContentType.objects.get_for_model(Usulan)  # other modules' setup logs steps too
    assert Jejak.objects.filter(content_type=ct, transisi="mulai").count() == PASANGAN
    assert LangkahBerjalan.objects.filter(content_type=ct).count() == PASANGAN


def test_nik_sama_desa_sama_serentak_satu_usulan(pengguna, periode):
    """Two officers of one village (two tokens) enter the same NIK at once -> one record; the
    second sees the first."""
    for i in range(PASANGAN):
        a, b = serentak(
            _terima(pengguna, periode, i, DESA_TK, token_baru()),
            _terima(pengguna, periode, i, DESA_TK, token_baru()),
        )
        assert isinstance(a, Usulan) and isinstance(b, Usulan), (a, b)
        assert a.pk == b.pk
        assert sorted([a.sudah_terdaftar, b.sudah_terdaftar]) == ["", "nik"]
    assert Usulan.objects.count() == PASANGAN


def test_nik_sama_desa_lain_serentak_keduanya_ditandai(pengguna, periode):
    """The same NIK entered at once in two villages -> two records, both flagged."""
    for i in range(PASANGAN):
        a, b = serentak(
            _terima(pengguna, periode, i, DESA_TK, token_baru()),
            _terima(pengguna, periode, i, DESA_SP, token_baru()),
        )
        assert isinstance(a, Usulan) and isinstance(b, Usulan), (a, b)
        assert a.pk != b.pk
    assert Usulan.objects.count() == 2 * PASANGAN
    assert Usulan.objects.filter(duplikat=False).count() == 0
    for i in range(PASANGAN):
        assert Usulan.objects.filter(nik=nik(i), duplikat=True).count() == 2


def _unggah(pengguna, periode, raw, nama):
    impor = imp.impor_buat(
        user=pengguna("kecamatan.tembilahan"),
        jenis="rekap",
        periode=periode,
        wilayah=Wilayah.objects.get(kode="14.04.04"),
        raw=raw,
        nama_berkas=nama,
    )
    return imp.impor_validasi(impor)


def test_berkas_sama_disimpan_serentak_sekali(pengguna, periode):
    """Two staging copies of one file committed at the same moment: rows imported once, the
    second commit is refused as already imported."""
    from django.contrib.auth import get_user_model

    for putaran in range(5):
        mulai = putaran * 10
        raw = xlsx_rekap([baris_rekap(mulai + i) for i in range(10)], sheet=f"R{putaran}")
        salinan = [_unggah(pengguna, periode, raw, f"rekap-{k}.xlsx") for k in (1, 2)]
        assert all(s.status == ImporRekap.Status.VALID for s in salinan)

        def simpan(impor):
            def f():
                user = get_user_model().objects.get(username="kecamatan.tembilahan")
                return imp.impor_terapkan(impor, user=user)

            return f

        a, b = serentak(*(simpan(s) for s in salinan))
        status = sorted([a.status, b.status])
        assert status == [ImporRekap.Status.GALAT, ImporRekap.Status.SELESAI], (a.pesan, b.pesan)
        kalah = a if a.status == ImporRekap.Status.GALAT else b
        assert "sudah pernah diimpor" in kalah.pesan
        niks = [nik(mulai + i) for i in range(10)]
        assert Usulan.objects.filter(nik__in=niks).count() == 10
    assert Usulan.objects.count() == 50
    assert Usulan.objects.filter(duplikat=True).count() == 0


def test_impor_dan_loket_serentak_nik_sama_ditandai(pengguna, periode):
    """A district import and a village intake of the same NIKs (other villages) at once: both
    copies of every NIK are flagged."""
    from django.contrib.auth import get_user_model

    raw = xlsx_rekap([baris_rekap(i, desa="Sungai Perak") for i in range(10)])
    impor = _unggah(pengguna, periode, raw, "rekap.xlsx")
    assert impor.status == ImporRekap.Status.VALID

    def simpan():
        user = get_user_model().objects.get(username="kecamatan.tembilahan")
        return imp.impor_terapkan(impor, user=user)

    def loket():
        return [_terima(pengguna, periode, i, DESA_TK, token_baru())() for i in range(10)]

    a, b = serentak(simpan, loket)
    assert a.status == ImporRekap.Status.SELESAI, a.pesan
    assert not isinstance(b, Exception), b
    assert Usulan.objects.count() == 20
    assert Usulan.objects.filter(duplikat=False).count() == 0
