"""The generic runner as officers see it: only their office's SOPs, due date and time, the
responsible office, decision branches, and labels and names instead of codes."""

import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sop import services
from sop.models import Permohonan, Sop, Unit
from sop.selectors import sop_ditawarkan

pytestmark = pytest.mark.django_db


def _ditawarkan(pengguna, username, unit_kode):
    return {s.kode for s in sop_ditawarkan(pengguna(username), Unit.objects.get(kode=unit_kode))}


def _varian_lokal(kode_asal: str, kode: str, admin) -> Sop:
    """An admin's local SOP (a copy of a seed SOP under its own code): run in the generic runner
    because no module owns its code."""
    from sop.pertukaran import simpan_sop, sop_ke_dict

    d = sop_ke_dict(Sop.objects.berlaku().get(kode=kode_asal), dengan_batas=False)
    d["kode"] = kode
    return simpan_sop(d, 1, admin)


def test_hanya_sop_kantor_sendiri_yang_ditawarkan(pengguna):
    # the UPT's own SOPs (17-24) run on the loan book's screens, never as bare requests
    assert _ditawarkan(pengguna, "upt.pacitan", "upt-dana-bergulir-pacitan") == set()
    assert _ditawarkan(pengguna, "jatim.kabid", "dinas-koperasi-ukm-prov-jatim") == {"JATIM-5.4.6"}
    kadis = _ditawarkan(pengguna, "kadis.pacitan", "dinas-kukmp-pacitan")
    assert kadis and all(k.startswith("PACITAN-") for k in kadis)
    assert "JATIM-5.4.6" not in kadis and "PAIS-UMI" not in kadis
    # licensing SOPs (01, 11, 14) run in perizinan
    assert not kadis & {"PACITAN-01", "PACITAN-11", "PACITAN-14", "PACITAN-17"}
    _varian_lokal("PACITAN-17", "PACITAN-17-LOKAL", pengguna("admin"))
    upt = _ditawarkan(pengguna, "upt.pacitan", "upt-dana-bergulir-pacitan")
    assert upt == {"PACITAN-17-LOKAL"}
    # the BPUM SOP runs in its module, never as a bare request
    assert _ditawarkan(pengguna, "dinas.inhil", "dinas-koperasi-ukm-inhil") == set()


def test_halaman_mulai_dan_daftar_sesuai_kantor(masuk):
    c = masuk("kadis.pacitan")
    isi = c.get(reverse("sop:permohonan_baru")).content.decode()
    kode = set(re.findall(r">(\w+-[\w.]+) · ", isi))
    assert kode and all(k.startswith("PACITAN-") for k in kode)
    c = masuk("dinas.inhil")
    assert c.get(reverse("sop:permohonan_baru")).status_code == 403
    assert b"mulai-permohonan" not in c.get(reverse("sop:permohonan_daftar")).content


def test_layanan_menolak_sop_kantor_lain(pengguna):
    upt = pengguna("upt.pacitan")
    with pytest.raises(ValidationError, match="tidak dijalankan kantor Anda"):
        services.permohonan_mulai(
            user=upt,
            sop=Sop.objects.berlaku().get(kode="JATIM-5.4.6"),
            unit=Unit.objects.get(kode="upt-dana-bergulir-pacitan"),
            judul="Salah kantor",
        )


def test_form_mulai_gagal_menandai_field(masuk):
    c = masuk("jatim.kabid")
    resp = c.post(reverse("sop:permohonan_baru"), {"sop": "", "judul": ""})
    assert resp.status_code == 400
    isi = resp.content.decode()
    assert 'aria-invalid="true"' in isi and 'href="#id_judul"' in isi
    assert "Perihal wajib diisi." in isi and not Permohonan.objects.exists()


def _mulai(pengguna, username, unit_kode, sop_kode, judul="Uji"):
    return services.permohonan_mulai(
        user=pengguna(username),
        sop=Sop.objects.berlaku().get(kode=sop_kode),
        unit=Unit.objects.get(kode=unit_kode),
        judul=judul,
    )


def test_langkah_menampilkan_tenggat_kantor_dan_cabang(masuk, pengguna):
    _varian_lokal("PACITAN-17", "PACITAN-17-LOKAL", pengguna("admin"))
    p = _mulai(pengguna, "upt.pacitan", "upt-dana-bergulir-pacitan", "PACITAN-17-LOKAL")
    upt = pengguna("upt.pacitan")
    c = masuk("upt.pacitan")
    isi = c.get(reverse("sop:permohonan_detail", args=[p.pk])).content.decode()
    tenggat = re.search(r'data-testid="tenggat-langkah">(.*?)</dd>', isi, re.S).group(1)
    # a date with the time, not only "1 hari"
    assert re.search(r"\d{4}, \d{2}:\d{2}", tenggat), tenggat
    kantor = re.search(r'data-testid="kantor-langkah">(.*?)</dd>', isi).group(1)
    assert kantor == "UPT Pengelolaan Dana Bergulir Kabupaten Pacitan"
    services.permohonan_transisi(user=upt, permohonan=p, nama="selesaikan")
    isi = c.get(reverse("sop:permohonan_detail", args=[p.pk])).content.decode()
    cabang = re.search(r'data-testid="cabang-keputusan">(.*?)</div>', isi, re.S).group(1)
    assert "menerima dan meneliti" in cabang  # the question
    assert re.search(r"Ya</strong> → 3\. Kepala Dinas mendisposisikan", cabang)
    assert re.search(r"Tidak</strong> → 1\. Koperasi", cabang)


def test_riwayat_dan_daftar_tanpa_kode(masuk, pengguna):
    p = _mulai(pengguna, "jatim.kabid", "dinas-koperasi-ukm-prov-jatim", "JATIM-5.4.6")
    kabid = pengguna("jatim.kabid")
    services.permohonan_transisi(user=kabid, permohonan=p, nama="selesaikan", catatan="ok")
    p = Permohonan.objects.get(pk=p.pk)
    c = masuk("jatim.kabid")
    detail = c.get(reverse("sop:permohonan_detail", args=[p.pk])).content.decode()
    jejak = re.search(r'data-testid="jejak">(.*?)</ol>', detail, re.S).group(1)
    assert "Kepala Bidang PRU Jatim" in jejak  # the person's name
    assert "jatim.kabid" not in detail
    for lk in p.sop.langkah.all():
        assert f">{lk.kode}<" not in detail and f" {lk.kode} " not in jejak
    daftar = c.get(reverse("sop:permohonan_daftar")).content.decode()
    assert p.status not in daftar and "2. " in daftar


def test_403_dicatat_tanpa_traceback(masuk, caplog):
    c = masuk("dinas.inhil")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert c.get(reverse("sop:permohonan_baru")).status_code == 403
    rec = [r for r in caplog.records if r.name == "django.request"]
    assert rec and all(r.exc_info is None and r.exc_text is None for r in rec)
    assert "Forbidden" in rec[0].getMessage()
