"""50 counters receiving files at the same instant, each on its own PostgreSQL connection:
50 distinct, consecutive receipt numbers (the register is a legal record: no gap, no repeat)."""

import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from perizinan import services
from perizinan.models import JenisLayanan, Permohonan

from .conftest import data_pemohon, pdf

N = 50


@pytest.mark.django_db(transaction=True)
def test_50_penerimaan_bersamaan_nomor_berurutan_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL; SQLite serialises every write")
    j = JenisLayanan.objects.get(kode="iumk-pelalawan")
    fo = get_user_model().objects.get(username="fo.pelalawan")
    syarat = list(j.persyaratan.all())
    sebelum = set(Permohonan.objects.filter(unit=j.unit).values_list("urut", flat=True))
    mulai = threading.Barrier(N)
    galat: list[BaseException] = []
    kunci = threading.Lock()
    nomor: list[str] = []

    def loket(i: int) -> None:
        try:
            berkas = {s.pk: pdf(f"s{s.pk}.pdf") for s in syarat if s.unggah}
            asli = {s.pk for s in syarat if not s.unggah}
            mulai.wait(timeout=60)
            p = services.permohonan_terima(
                user=fo, jenis=j, data=data_pemohon(1000 + i), berkas=berkas, asli=asli
            )
            with kunci:
                nomor.append(p.nomor)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            with kunci:
                galat.append(e)
        finally:
            connections.close_all()

    utas = [threading.Thread(target=loket, args=(i,)) for i in range(N)]
    for t in utas:
        t.start()
    for t in utas:
        t.join(timeout=300)
    assert not galat, galat[:3]
    assert len(set(nomor)) == N
    urut = sorted(int(re.match(r"(\d+)/", n).group(1)) for n in nomor)
    awal = max(sebelum, default=0) + 1
    assert urut == list(range(awal, awal + N))
    assert Permohonan.objects.filter(unit=j.unit).count() == len(sebelum) + N
