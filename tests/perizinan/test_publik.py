"""The applicant's side: tracking by code + PIN (labels and dates only, failed lookups limited),
the anonymous survey opened from the handover receipt, complaints followed by the same code."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from perizinan import pengaduan as aduan
from perizinan import services
from perizinan.models import DISERAHKAN, Pengaduan, Permohonan, ResponSkm
from sop.models import Notifikasi

pytestmark = pytest.mark.django_db


@pytest.fixture
def dengan_pin(terima, pengguna):
    def _buat(i=1, **kw):
        p = terima("iumk-pelalawan", i, **kw)
        p, pin = services.permohonan_pin_baru(user=pengguna("fo.pelalawan"), permohonan=p)
        return p, pin

    return _buat


def _lacak(client, kode, pin, ip="10.0.0.1"):
    return client.post(reverse("publik:lacak"), {"kode": kode, "pin": pin}, REMOTE_ADDR=ip)


def test_lacak_hanya_label_tanggal_dan_inisial(client, dengan_pin):
    p, pin = dengan_pin(21)
    resp = _lacak(client, p.kode_lacak.lower().replace("-", " "), pin)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Perbantuan Penerbitan NIB dan IUMK melalui OSS" in html
    assert "S. P." in html  # Siti Pemohon 21 -> initials only
    for pribadi in (
        p.pemohon_nama,
        p.pemohon_nik,
        p.usaha_nama,
        p.pemohon_alamat,
        "+62812",
        p.nomor,
    ):
        assert pribadi not in html, pribadi
    assert "Petugas Front Office/petugas perbantuan" in html  # the step waiting now, its label


def test_lacak_pin_salah_dan_batas_hanya_untuk_kegagalan(client, dengan_pin, settings):
    settings.PORTAL_LACAK_BATAS = 3
    p, pin = dengan_pin(22)
    salah = "000000" if pin != "000000" else "111111"
    for _ in range(20):  # successful lookups from one counter's address never count
        assert _lacak(client, p.kode_lacak, pin, ip="10.9.9.9").status_code == 200
    for _ in range(3):
        resp = _lacak(client, p.kode_lacak, salah, ip="10.9.9.9")
        assert resp.status_code == 200 and resp.context["tidak_ditemukan"]
    resp = _lacak(client, p.kode_lacak, pin, ip="10.9.9.9")
    assert resp.status_code == 429 and "Retry-After" in resp
    # another network is not affected
    assert _lacak(client, p.kode_lacak, pin, ip="10.9.9.10").status_code == 200


def test_berkas_dikembalikan_terlihat_apa_yang_kurang(client, dengan_pin, jalan):
    p, pin = dengan_pin(23)
    jalan(p, "kembalikan_berkas", "fo.pelalawan", kekurangan=["NPWP valid KSWP"])
    html = _lacak(client, p.kode_lacak, pin).content.decode()
    assert "Returned" in html or "Dikembalikan" in html
    assert "NPWP valid KSWP" in html


def _serahkan(p, pengguna, jalan):
    fo = pengguna("fo.pelalawan")
    for k in p.jenis.keluaran.all():
        services.dokumen_hasil_catat(
            user=fo,
            permohonan=Permohonan.objects.get(pk=p.pk),
            keluaran=k,
            nomor="1234567890123" if k.pola_nomor == "nib" else "IUMK/1",
            tanggal=timezone.localdate(),
        )
        p = jalan(p, "selesaikan", "fo.pelalawan")
    return jalan(p, "serahkan", "fo.pelalawan")


def test_survei_sekali_per_tanda_serah_dan_anonim(client, dengan_pin, pengguna, jalan):
    p, _pin = dengan_pin(24)
    p = _serahkan(p, pengguna, jalan)
    assert p.status == DISERAHKAN
    url = reverse("perizinan:publik_survei", args=[p.survei_token])
    assert client.get(url).status_code == 200
    resp = client.post(url, {"u1": "4"})
    assert resp.status_code == 400
    n = ResponSkm.objects.count()
    data = {f"u{i}": "3" for i in range(1, 10)} | {
        "jenis_kelamin": "P",
        "pendidikan": "SMA",
        "umur": "34",
    }
    resp = client.post(url, data)
    assert resp.status_code == 200 and "survei-terima-kasih" in resp.content.decode()
    r = ResponSkm.objects.latest("pk")
    assert ResponSkm.objects.count() == n + 1
    assert r.skor() == [3] * 9 and r.jenis_id == p.jenis_id and r.profil["pendidikan"] == "SMA"
    assert not hasattr(r, "permohonan_id")  # nothing points back to the request or the person
    assert client.post(url, data).status_code == 404  # the token opens the survey once
    assert ResponSkm.objects.count() == n + 1


def test_pengaduan_tentang_permohonan_dengan_kode_yang_sama(client, dengan_pin, masuk):
    p, pin = dengan_pin(25)
    url = reverse("perizinan:publik_pengaduan")
    resp = client.post(
        url,
        {
            "tentang": "permohonan",
            "kode": p.kode_lacak,
            "pin": "999999",
            "isi": "Antrean lama sekali di loket.",
        },
    )
    assert resp.status_code == 400 and resp.context["galat"]["kode"]
    resp = client.post(
        url,
        {
            "tentang": "permohonan",
            "kode": p.kode_lacak,
            "pin": pin,
            "isi": "Antrean lama sekali di loket.",
        },
    )
    assert resp.status_code == 200
    a = Pengaduan.objects.get(permohonan=p)
    assert a.tenggat is not None and a.tenggat > a.diterima_pada
    c = masuk("fo.pelalawan")
    assert c.get(reverse("perizinan:pengaduan_detail", args=[a.pk])).status_code == 200
    assert (
        c.post(reverse("perizinan:pengaduan_jawab", args=[a.pk]), {"jawaban": ""}).status_code
        == 400
    )
    resp = c.post(
        reverse("perizinan:pengaduan_jawab", args=[a.pk]),
        {"jawaban": "Loket kedua dibuka mulai besok."},
    )
    assert resp.status_code == 302
    a = Pengaduan.objects.get(pk=a.pk)
    assert a.status == Pengaduan.Status.DIJAWAB and a.dijawab_oleh.username == "fo.pelalawan"
    # the complainant reads the answer with the request's own code and PIN
    html = _lacak(client, p.kode_lacak, pin).content.decode()
    assert "Loket kedua dibuka mulai besok." in html
    # another office cannot answer or see it
    assert (
        masuk("staf.pacitan").get(reverse("perizinan:pengaduan_detail", args=[a.pk])).status_code
        == 404
    )


def test_pengaduan_tentang_layanan_dapat_kode_dan_pin_sendiri(client):
    resp = client.post(
        reverse("perizinan:publik_pengaduan"),
        {
            "tentang": "layanan",
            "layanan": "nik-koperasi-pacitan",
            "isi": "Formulir sulit didapat di loket.",
        },
    )
    assert resp.status_code == 200
    a, pin = resp.context["a"], resp.context["pin"]
    assert a.kode_lacak.startswith("ADU-") and len(pin) == 6
    html = _lacak(client, a.kode_lacak, pin).content.decode()
    assert "Pengajuan Sertifikat Nomor Induk Koperasi (NIK)" in html
    resp = client.post(
        reverse("perizinan:publik_pengaduan"), {"tentang": "layanan", "layanan": "", "isi": "x"}
    )
    assert resp.status_code == 400 and {"isi", "layanan"} <= set(resp.context["galat"])


def test_pengingat_pengaduan_lewat_waktu_sekali(pengguna):
    from perizinan.models import JenisLayanan

    j = JenisLayanan.objects.get(kode="iumk-pelalawan")
    lalu = timezone.now() - dt.timedelta(days=30)
    a, _pin = aduan.pengaduan_ajukan(isi="Tidak ada jawaban sampai sekarang.", jenis=j, now=lalu)
    now = timezone.now()
    hasil = aduan.sapu_pengaduan(now)
    assert hasil["pengaduan_lewat"] >= 1
    assert Notifikasi.objects.filter(
        user=pengguna("fo.pelalawan"), kunci=f"aduan:lewat:{now.isoformat()}"
    ).exists()
    assert aduan.sapu_pengaduan(now + dt.timedelta(minutes=5)) == {"pengaduan_lewat": 0}


def test_sapuan_pengaduan_terdaftar_di_sop_sla(pengguna):
    """The complaint sweep runs from the one scheduled command (``Modul.sapuan``)."""
    import json
    from io import StringIO

    from django.core.management import call_command

    from perizinan.models import JenisLayanan

    j = JenisLayanan.objects.get(kode="nik-koperasi-pacitan")
    lalu = timezone.now() - dt.timedelta(days=30)
    a, _pin = aduan.pengaduan_ajukan(isi="Sertifikat belum juga terbit.", jenis=j, now=lalu)
    out = StringIO()
    call_command("sop_sla", "--json", stdout=out)
    hasil = json.loads(out.getvalue())["sapuan"]["perizinan.pengaduan.sapu_pengaduan"]
    assert hasil["pengaduan_lewat"] >= 1
    a.refresh_from_db()
    assert a.diingatkan is not None
    assert Notifikasi.objects.filter(
        user=pengguna("staf.pacitan"), kunci__startswith="aduan:lewat:"
    ).exists()
    out = StringIO()
    call_command("sop_sla", "--json", stdout=out)  # once: the reminder is stamped
    assert json.loads(out.getvalue())["sapuan"]["perizinan.pengaduan.sapu_pengaduan"] == {
        "pengaduan_lewat": 0
    }
