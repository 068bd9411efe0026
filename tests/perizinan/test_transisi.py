"""Transition tables: which demo officer sees which action in each state of each service."""

import pytest

from perizinan.models import KEMBALI, SIAP, Permohonan
from sop.engine import transisi_tersedia

pytestmark = pytest.mark.django_db

PENGGUNA = [
    "fo.pelalawan",
    "bo.pelalawan",
    "kadis.pelalawan",
    "staf.pacitan",
    "perbantuan.pacitan",
    "verifikator.pacitan",
    "kadis.pacitan",
    "upt.pacitan",
]
K = {"selesaikan", "kembalikan_berkas", "batalkan"}  # an office step, worked by the counter
E = {"selesaikan", "batalkan"}  # an outside step the counter records
D = {"putuskan_ya", "putuskan_tidak", "kembalikan_berkas"}  # a decision step

# service -> state -> {username: actions}; every user not listed sees nothing.
TABEL = {
    "iumk-pelalawan": {
        "registrasi-oss": {"fo.pelalawan": E},
        "ajukan-perbantuan": {"fo.pelalawan": E},
        "layanan-perbantuan": {"fo.pelalawan": K},
        "terbit-iumk": {"fo.pelalawan": K},
        KEMBALI + "layanan-perbantuan": {"fo.pelalawan": {"lengkapi_berkas", "batalkan"}},
        SIAP: {"fo.pelalawan": {"serahkan", "batalkan"}},
        "diserahkan": {},
        "dibatalkan": {},
    },
    "nib-pacitan": {
        "registrasi-oss": {"perbantuan.pacitan": E},
        "layanan-perbantuan": {"perbantuan.pacitan": K},
        "terbit-nib": {"perbantuan.pacitan": K},
        SIAP: {"perbantuan.pacitan": {"serahkan", "batalkan"}},
    },
    "nik-koperasi-pacitan": {
        "siapkan-form": {"staf.pacitan": K},
        "isi-form": {"staf.pacitan": E},
        "verifikasi-form": {"staf.pacitan": K},
        "verifikasi-cetak": {"staf.pacitan": E},
        "kirim-sertifikat": {"staf.pacitan": E},
        "terima-sertifikat": {"staf.pacitan": E},
        SIAP: {"staf.pacitan": {"serahkan", "batalkan"}},
    },
    "rekomtek-iui-pacitan": {
        "ajukan-permohonan-oss": {"verifikator.pacitan": E},
        "terima-permintaan-verifikasi": {"verifikator.pacitan": D | {"batalkan"}},
        "pemeriksaan-lapangan": {"verifikator.pacitan": K},
        "lapor-hasil-verifikasi": {"verifikator.pacitan": D | {"batalkan"}, "kadis.pacitan": D},
        "buat-bap": {"verifikator.pacitan": K},
        "iui-efektif": {"verifikator.pacitan": E},
        SIAP: {"verifikator.pacitan": {"serahkan", "batalkan"}},
    },
}


def _kasus():
    for kode, states in TABEL.items():
        for status, harap in states.items():
            for u in PENGGUNA:
                yield pytest.param(kode, status, u, harap.get(u, set()), id=f"{kode}-{status}-{u}")


@pytest.mark.parametrize(("kode", "status", "username", "harap"), list(_kasus()))
def test_tabel_transisi(kode, status, username, harap, layanan, pengguna):
    j = layanan(kode)
    p = Permohonan(
        sop=j.sop_berlaku(),
        jenis=j,
        unit=j.unit,
        wilayah_id=j.unit.wilayah_id,
        status=status,
        nomor=f"T/{kode}/{status}",
        tahun=1999,
        urut=1,
        diterima_oleh=pengguna("admin"),
    )
    p.save()
    assert {t.nama for t in transisi_tersedia(p, pengguna(username))} == harap
