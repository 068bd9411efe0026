"""Journey: the Jawa Timur SOP 5.4.6, defined only as data, walked start to finish in the browser
by its three officers (Kepala Bidang, Staf, Kepala Dinas) through the generic runner."""

import re

import pytest
from playwright.sync_api import expect

from sop.models import Jejak, Permohonan
from tests.rekaman import milik

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PETUGAS = {"kepala_bidang": "jatim.kabid", "staf": "jatim.staf", "kepala_dinas": "jatim.kadis"}


def test_sop_jatim_dari_awal_sampai_selesai(
    halaman, masuk_browser, simpan_layar, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    page = halaman
    masuk_browser(page, "jatim.kabid")
    page.goto("/sop/permohonan/")
    page.click("[data-testid=mulai-permohonan]")
    sop_id = page.locator("#id_sop option", has_text="JATIM-5.4.6").get_attribute("value")
    page.select_option("#id_sop", value=sop_id)
    page.fill("#id_judul", "Pendampingan perlindungan usaha KUKM 2026")
    page.fill("#id_pemohon_nama", "Bidang PRU")
    simpan_layar(page, "10-runner-mulai")
    page.click("form[data-testid=form-permohonan] button[type=submit]")
    expect(page.locator("[data-testid=langkah-aktif]")).to_contain_text("pembentukan panitia")
    p = Permohonan.objects.get(judul__startswith="Pendampingan perlindungan")
    url = f"/sop/permohonan/{p.pk}/"
    siapa = "jatim.kabid"
    langkah_ke = 0
    while True:
        p = Permohonan.objects.get(pk=p.pk)
        if p.status == "selesai":
            break
        lk = p.langkah_aktif()
        pelaku = PETUGAS[sorted(r.kode for r in lk.pelaksana.all())[0]]
        if pelaku != siapa:
            masuk_browser(page, pelaku)
            siapa = pelaku
            page.goto("/sop/tugas/")  # the step is waiting in the officer's Tugas Saya
            expect(page.locator("[data-testid=daftar-tugas]")).to_contain_text(p.nomor)
            page.get_by_role("link", name=re.compile(p.nomor)).first.click()
        else:
            page.goto(url)
        expect(page.locator("[data-testid=langkah-aktif]")).to_contain_text(lk.kegiatan[:30])
        if page.locator("[data-testid=form-hasil]").count():
            berkas = tmp_path / "laporan-kegiatan.pdf"
            berkas.write_bytes(b"%PDF-1.4 laporan pertanggungjawaban")
            page.set_input_files("[data-testid=form-hasil] input[type=file]", str(berkas))
            page.click("[data-testid=form-hasil] button")
            expect(page.locator(".msg.success")).to_be_visible()
        if langkah_ke in (0, 2):
            simpan_layar(page, f"1{langkah_ke + 1}-runner-langkah-{lk.nomor}")
        page.fill("form.transisi input[name=catatan]", f"selesai langkah {lk.nomor}")
        page.click("[data-testid=transisi-selesaikan]")
        expect(page.locator(".msg.success")).to_be_visible()
        langkah_ke += 1
    expect(page.locator("[data-testid=status-selesai]")).to_be_visible()
    simpan_layar(page, "19-runner-selesai")
    assert langkah_ke == 13
    pengguna = set(
        Jejak.objects.filter(**milik(p))
        .exclude(transisi="mulai")
        .values_list("user__username", flat=True)
    )
    assert pengguna == {"jatim.kabid", "jatim.staf", "jatim.kadis"}
