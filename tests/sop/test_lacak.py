"""Public tracking: code + PIN, labels and dates only, failed lookups limited per address in
the database (successful ones never), on the generic runner's requests (Terlacak)."""

import datetime as dt
import io
import re
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from sop import engine, lacak, penomoran, services
from sop.models import GagalLacak, Permohonan, Sop, Terlacak, Unit

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
SENIN = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
URL = reverse("publik:lacak")


def buat(pengguna, now=SENIN, pemohon="Siti Aminah binti Ahmad") -> Permohonan:
    return services.permohonan_mulai(
        user=pengguna("jatim.kabid"),
        sop=Sop.objects.berlaku().get(kode="JATIM-5.4.6"),
        unit=Unit.objects.get(kode="dinas-koperasi-ukm-prov-jatim"),
        judul="Pelatihan perlindungan usaha 2026",
        pemohon_nama=pemohon,
        pemohon_kontak="0812-3456-7890",
        now=now,
    )


@pytest.fixture
def p_pin(pengguna):
    p = buat(pengguna)
    p, pin = services.permohonan_pin_baru(user=pengguna("jatim.kabid"), permohonan=p)
    return p, pin


def cari(client, kode, pin, **kw):
    return client.post(URL, {"kode": kode, "pin": pin}, **kw)


# --------------------------------------------------------------------------- Terlacak


def test_kode_lacak_dan_pin(p_pin, pengguna):
    p, pin = p_pin
    assert Permohonan in lacak.model_terlacak() and issubclass(Permohonan, Terlacak)
    assert p.kode_lacak == p.nomor and p.kode_lacak.startswith("PMH-")
    assert re.fullmatch(r"\d{6}", pin) and pin not in p.pin_hash and len(p.pin_hash) == 64
    assert p.cek_pin(pin) and p.cek_pin(f" {pin[:3]} {pin[3:]} ")
    assert not p.cek_pin("000000" if pin != "000000" else "111111")
    assert lacak.cari(p.nomor.lower(), pin) == p
    assert lacak.cari(p.nomor.removeprefix("PMH-"), pin) == p  # prefix optional
    # a new PIN replaces the old one
    _p, pin2 = services.permohonan_pin_baru(user=pengguna("jatim.kabid"), permohonan=p)
    p = Permohonan.objects.get(pk=p.pk)
    assert p.cek_pin(pin2) and (pin2 == pin or not p.cek_pin(pin))


def test_pin_hanya_petugas_kantornya(p_pin, pengguna):
    from django.core.exceptions import PermissionDenied

    p, _pin = p_pin
    with pytest.raises(PermissionDenied):
        services.permohonan_pin_baru(user=pengguna("dinas.inhil"), permohonan=p)


def test_rekaman_tanpa_pin_tidak_bisa_dilacak(pengguna):
    p = buat(pengguna)
    assert p.pin_hash == "" and lacak.cari(p.kode_lacak, "000000") is None


# --------------------------------------------------------------------------- the page


def test_halaman_tanpa_login_dan_kode_dari_qr(client, p_pin):
    p, _pin = p_pin
    assert client.get(URL).status_code == 200
    resp = client.get(p.url_lacak())
    isi = resp.content.decode()
    assert resp.status_code == 200 and f'value="{p.kode_lacak}"' in isi
    assert 'data-testid="hasil-lacak"' not in isi  # nothing is looked up on GET
    assert resp["Cache-Control"].startswith("max-age=0") or "no-cache" in resp["Cache-Control"]


def test_hasil_hanya_label_tanggal_dan_inisial(client, p_pin, pengguna):
    p, pin = p_pin
    kabid = pengguna("jatim.kabid")
    p = engine.jalankan(
        p.selesaikan, user=kabid, now=SENIN + dt.timedelta(minutes=10), catatan="Catatan Pak Budi"
    )
    resp = cari(client, p.kode_lacak, pin)
    isi = resp.content.decode()
    assert resp.status_code == 200 and 'data-testid="hasil-lacak"' in isi
    assert "Permohonan diterima" in isi and "S. A. B." in isi
    assert p.sop.nama in isi and "Sedang diproses" in isi
    langkah1 = p.sop.langkah.get(nomor=1)
    r = p.ringkasan_publik()
    assert [x.label for x in r.linimasa][:2] == [
        "Permohonan diterima",
        Terlacak.label_langkah_publik(p, langkah1),
    ]
    assert r.linimasa[1].janji == dt.datetime(2026, 11, 23, 9, 15, tzinfo=WIB)  # "15 Menit"
    assert r.berjalan and r.berjalan[0].janji is not None
    for pribadi in (
        "Siti",
        "Aminah",
        "0812-3456-7890",
        "Pelatihan perlindungan usaha",  # the subject stays internal
        "Catatan Pak Budi",
        kabid.username,
        kabid.get_full_name(),
        pin,
    ):
        assert pribadi not in isi, pribadi


def test_pin_salah_sama_dengan_kode_salah(client, p_pin):
    p, pin = p_pin
    salah = "000000" if pin != "000000" else "111111"
    for kode, pn in ((p.kode_lacak, salah), ("PMH-XXXXXXXX", pin)):
        isi = cari(client, kode, pn).content.decode()
        assert 'data-testid="tidak-ditemukan"' in isi and 'data-testid="hasil-lacak"' not in isi


def test_masukan_tak_berbentuk_400_tanpa_dihitung(client, p_pin):
    p, pin = p_pin
    for _ in range(20):
        resp = cari(client, "PMH-12", "12ab")
        isi = resp.content.decode()
        assert resp.status_code == 400 and isi.count('aria-invalid="true"') == 2
        assert "PIN terdiri atas 6 angka" in isi
    assert not GagalLacak.objects.exists()
    assert cari(client, p.kode_lacak, pin).status_code == 200


def test_alamat_terkunci_setelah_10_gagal(client, p_pin, settings):
    settings.PORTAL_LACAK_BATAS = 10
    p, pin = p_pin
    salah = "000000" if pin != "000000" else "111111"
    for _ in range(10):
        assert cari(client, p.kode_lacak, salah).status_code == 200
    resp = cari(client, p.kode_lacak, pin)  # even the right PIN waits out the block
    isi = resp.content.decode()
    assert resp.status_code == 429 and 540 <= int(resp["Retry-After"]) <= 600
    assert "Terlalu banyak percobaan yang gagal dari jaringan Anda" in isi
    assert re.search(r"coba lagi setelah pukul \d\d\.\d\d \(sekitar 10 menit lagi\)", isi)
    assert 'data-testid="hasil-lacak"' not in isi
    lain = cari(client, p.kode_lacak, pin, REMOTE_ADDR="10.1.2.3")
    assert lain.status_code == 200 and 'data-testid="hasil-lacak"' in lain.content.decode()


def test_pencarian_berhasil_tidak_pernah_mengunci(client, p_pin, settings):
    settings.PORTAL_LACAK_BATAS = 3
    p, pin = p_pin
    for _ in range(30):
        assert cari(client, p.kode_lacak, pin).status_code == 200
    assert GagalLacak.objects.get().gagal == 0


def test_jendela_berakhir_alamat_boleh_lagi(settings):
    settings.PORTAL_LACAK_BATAS, settings.PORTAL_LACAK_JENDELA = 2, 600
    req = RequestFactory().post(URL, REMOTE_ADDR="198.51.100.7")
    t0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
    dipanggil = []

    def gagal():
        dipanggil.append(1)
        return None

    for _ in range(2):
        assert lacak.coba(req, gagal, now=t0).tahanan is None
    ditahan = lacak.coba(req, gagal, now=t0 + dt.timedelta(minutes=9))
    assert ditahan.tahanan.sampai == t0 + dt.timedelta(minutes=10) and len(dipanggil) == 2
    assert lacak.tahanan_untuk(req, now=t0 + dt.timedelta(minutes=5)) is not None
    lagi = lacak.coba(req, lambda: "ketemu", now=t0 + dt.timedelta(minutes=10, seconds=1))
    assert lagi.hasil == "ketemu" and lagi.tahanan is None
    assert lacak.tahanan_untuk(req, now=t0 + dt.timedelta(minutes=11)) is None


def test_galat_sistem_tidak_dihitung_sebagai_gagal(settings):
    settings.PORTAL_LACAK_BATAS = 1
    req = RequestFactory().post(URL, REMOTE_ADDR="198.51.100.8")

    def rusak():
        raise RuntimeError("database hiccup")

    with pytest.raises(RuntimeError):
        lacak.coba(req, rusak)
    assert lacak.coba(req, lambda: "ok").hasil == "ok"


def test_ipv6_dihitung_per_64():
    assert lacak.kunci_alamat("2001:db8:1:2::1") == lacak.kunci_alamat("2001:db8:1:2:ffff::9")
    assert lacak.kunci_alamat("2001:db8:1:2::1") != lacak.kunci_alamat("2001:db8:1:3::1")
    assert lacak.kunci_alamat("::ffff:203.0.113.9") == "203.0.113.9"
    assert lacak.kunci_alamat("203.0.113.9") == "203.0.113.9"
    assert lacak.kunci_alamat("bukan alamat") == "bukan alamat"


def test_alamat_klien_di_belakang_proksi(settings):
    rf = RequestFactory()
    settings.PORTAL_PROXY_TEPERCAYA = 0
    r = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert lacak.alamat_klien(r) == "127.0.0.1"
    settings.PORTAL_PROXY_TEPERCAYA = 1
    assert lacak.alamat_klien(r) == "203.0.113.5"  # the forged left-hand address is ignored
    settings.PORTAL_PROXY_TEPERCAYA = 2
    assert lacak.alamat_klien(r) == "6.6.6.6"
    assert lacak.alamat_klien(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


def test_jumlah_kueri_tetap(client, p_pin, pengguna):
    """The lookup costs the same number of queries after 1 step as after 4."""
    from django.test.utils import CaptureQueriesContext

    pelaksana = {
        "kepala_bidang": "jatim.kabid",
        "staf": "jatim.staf",
        "kepala_dinas": "jatim.kadis",
    }
    p, pin = p_pin
    assert cari(client, p.kode_lacak, pin).status_code == 200  # warm per-process caches
    now, jumlah = SENIN, []
    for langkah in range(4):
        now += dt.timedelta(minutes=5)
        kode = sorted(r.kode for r in p.langkah_aktif().pelaksana.all())[0]
        p = engine.jalankan(p.selesaikan, user=pengguna(pelaksana[kode]), now=now)
        if langkah in (0, 3):
            with CaptureQueriesContext(connection) as q:
                assert cari(client, p.kode_lacak, pin).status_code == 200
            # the limiter's own rows: 2-3 statements depending on whether a new window starts
            # in this second (its cleanup); the per-record cost is what must stay constant
            jumlah.append(sum("sop_gagallacak" not in x["sql"] for x in q.captured_queries))
            assert len(q) - jumlah[-1] <= 3
    assert jumlah[0] == jumlah[1] <= 9, jumlah


# --------------------------------------------------------------------------- the receipt


def test_tanda_terima_runner_memuat_pin_yang_berlaku(masuk, pengguna):
    p = buat(pengguna)
    c = masuk("jatim.kabid")
    resp = c.post(reverse("sop:permohonan_tanda_terima", args=[p.pk]), {"ukuran": "58mm"})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    teks = " ".join(pg.extract_text() for pg in PdfReader(io.BytesIO(resp.content)).pages)
    pin = re.search(r"PIN: (\d{6})", teks).group(1)
    assert p.nomor in teks and "Siti Aminah binti Ahmad" in teks
    p = Permohonan.objects.get(pk=p.pk)
    assert p.cek_pin(pin)
    # anyone else (another office, a GET) gets no receipt and no PIN
    assert masuk("dinas.inhil").post(
        reverse("sop:permohonan_tanda_terima", args=[p.pk])
    ).status_code in (403, 404)
    assert c.get(reverse("sop:permohonan_tanda_terima", args=[p.pk])).status_code == 405


# --------------------------------------------------------------------------- PostgreSQL, parallel


def _paralel(n, fungsi):
    mulai = threading.Barrier(n)
    hasil, galat = [], []
    kunci = threading.Lock()

    def kerja(i):
        try:
            mulai.wait(timeout=60)
            r = fungsi(i)
            with kunci:
                hasil.append(r)
        except BaseException as e:  # noqa: BLE001 - reported by the caller's assertion
            galat.append(e)
        finally:
            connections.close_all()

    utas = [threading.Thread(target=kerja, args=(i,)) for i in range(n)]
    for t in utas:
        t.start()
    for t in utas:
        t.join(timeout=180)
    return hasil, galat


@pytest.mark.django_db(transaction=True)
def test_60_gagal_paralel_paling_banyak_10_lolos_postgresql(pengguna, settings):
    """60 wrong PINs at once from one address, each on its own PostgreSQL connection: at most
    10 (the limit) are actually checked; the other 50 are told to wait."""
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections need PostgreSQL; SQLite serialises every write")
    settings.PORTAL_LACAK_BATAS = 10
    p = buat(pengguna)
    p, pin = services.permohonan_pin_baru(user=pengguna("jatim.kabid"), permohonan=p)
    salah = "000000" if pin != "000000" else "111111"
    hasil, galat = _paralel(60, lambda i: cari(Client(), p.kode_lacak, salah).status_code)
    assert not galat, galat
    assert sorted(hasil).count(200) == 10 and hasil.count(429) == 50, sorted(hasil)
    baris = GagalLacak.objects.get()
    assert (baris.gagal, baris.berjalan) == (10, 0)


@pytest.mark.django_db(transaction=True)
def test_60_berhasil_paralel_tidak_pernah_ditolak_postgresql(pengguna, settings):
    """60 right PINs at once from one address (a village counter, a mobile network): all
    answered, none refused, even with a limit of 3."""
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections need PostgreSQL; SQLite serialises every write")
    settings.PORTAL_LACAK_BATAS = 3
    p = buat(pengguna)
    p, pin = services.permohonan_pin_baru(user=pengguna("jatim.kabid"), permohonan=p)
    hasil, galat = _paralel(60, lambda i: cari(Client(), p.kode_lacak, pin).status_code)
    assert not galat, galat
    assert hasil == [200] * 60
    baris = GagalLacak.objects.get()
    assert (baris.gagal, baris.berjalan) == (0, 0)


def test_penomoran_pin_terikat_kode():
    """The stored hash binds the PIN to the record's code (sanity for the lookup)."""
    h = penomoran.hash_pin("PMH-AAAAAAAA", "123456")
    assert penomoran.cocok_pin("PMH-AAAAAAAA", "123456", h)
    assert not penomoran.cocok_pin("PMH-AAAAAAAB", "123456", h)


def test_linimasa_membaca_jalan_milik_rekaman_dan_menyembunyikan_yang_internal(p_pin):
    """A record owning runs (docs/adr/0009): the runs' public step log rows carry the record's
    key and appear on its timeline; rows marked not public never do."""
    from django.contrib.contenttypes.models import ContentType

    from sop.models import Jejak

    p, _pin = p_pin
    ct_p = ContentType.objects.get_for_model(Permohonan)
    ct_run = ContentType.objects.get_for_model(Unit)  # stands in for a run model
    langkah = p.sop.langkah.order_by("nomor")
    waktu = SENIN + dt.timedelta(hours=1)
    for lk, publik in ((langkah[1], True), (langkah[2], False)):
        Jejak.objects.create(
            content_type=ct_run,
            object_id="99",
            induk_ct=ct_p,
            induk_id=str(p.pk),
            langkah=lk,
            transisi="selesaikan",
            dari=lk.kode,
            ke="x",
            selesai=waktu,
            publik=publik,
        )
    label = [x.label for x in p.linimasa_publik()]
    assert Terlacak.label_langkah_publik(p, langkah[1]) in label
    assert Terlacak.label_langkah_publik(p, langkah[2]) not in label


def test_label_lacak_dan_inisial():
    from sop.models.publik import inisial, ringkas

    assert inisial("Siti Aminah binti Ahmad") == "S. A. B."
    assert inisial("H. Muhammad 2") == "H. M."
    assert inisial("") == ""
    assert ringkas("a " * 100, 20).endswith("…") and len(ringkas("a " * 100, 20)) <= 20
