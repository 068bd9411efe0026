"""Public numbers: random codes, gap-free register numbers per office/kind/year, PINs."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, connections, transaction
from django.db.transaction import TransactionManagementError
from hypothesis import given
from hypothesis import strategies as st

from sop import penomoran as pn
from sop.models import Kalender, NomorRegister, Permohonan, Unit

# --------------------------------------------------------------------------- random codes


def test_alfabet_32_tanda_tanpa_yang_mirip():
    assert len(pn.ALFABET) == 32 == len(set(pn.ALFABET))
    assert not set("0O1I") & set(pn.ALFABET)


def test_kode_acak_bentuk():
    k = pn.kode_acak("BPUM")
    assert k.startswith("BPUM-") and len(k) == 13 and set(k[5:]) <= set(pn.ALFABET)
    assert len(pn.kode_acak()) == 8 and "-" not in pn.kode_acak()
    assert len({pn.kode_acak() for _ in range(2000)}) == 2000  # 40 bits: no clash expected


@given(st.text(alphabet=pn.ALFABET, min_size=8, max_size=8), st.sampled_from(["", "-", " "]))
def test_normalkan_kode_menerima_ketikan_orang(badan, pemisah):
    kode = f"BPUM-{badan}"
    for ketik in (
        kode,
        kode.lower(),
        badan,
        badan.lower(),
        f" bpum{pemisah}{badan[:4]} {badan[4:]} ",
        f"BPUM{pemisah}{badan}",
    ):
        assert pn.normalkan_kode(ketik, "BPUM") == kode, ketik
    assert pn.normalkan_kode(badan.lower()) == badan


@pytest.mark.parametrize(
    "teks", ["", "BPUM-", "BPUM-K7QW2M9", "BPUM-K7QW2M9XX", "BPUM-K7QW2M90", "X-K7QW2M9X1"]
)
def test_normalkan_kode_menolak_yang_bukan_kode(teks):
    assert pn.normalkan_kode(teks, "BPUM") == ""


def test_kode_unik_mengulang_sampai_tidak_dipakai():
    dipakai: set[str] = set()
    panggilan = []

    def ada(calon):
        panggilan.append(list(calon))
        # first round: everything is "taken"; afterwards nothing is
        return set(calon) if len(panggilan) == 1 else dipakai

    hasil = pn.kode_unik("PMH", ada=ada, jumlah=5)
    assert len(hasil) == 5 == len(set(hasil)) and len(panggilan) == 2
    assert not set(hasil) & set(panggilan[0])


@pytest.mark.django_db
def test_kode_unik_model_melewati_yang_sudah_ada(django_assert_num_queries):
    with django_assert_num_queries(1):
        kode = pn.kode_unik_model(Permohonan, "nomor", "PMH", jumlah=3)
    assert len(set(kode)) == 3 and all(k.startswith("PMH-") for k in kode)


# --------------------------------------------------------------------------- register numbers


def test_format_register():
    assert pn.format_register(1, "TT", "DPMPTSP", tahun=2026) == "0001/TT/DPMPTSP/2026"
    assert pn.format_register(12345, "TT", tahun=2026) == "12345/TT/2026"
    assert pn.format_register(7, tahun=2026, lebar=3) == "007/2026"
    with pytest.raises(ValueError):
        pn.format_register(0, tahun=2026)


@pytest.fixture
def unit(db):
    return Unit.objects.order_by("pk").first()


@pytest.fixture
def unit_lain(db):
    return Unit.objects.order_by("-pk").first()


def test_nomor_berurutan_dan_seri_terpisah(unit, unit_lain):
    ambil = lambda **kw: pn.nomor_register(**{"unit": unit, "jenis": "TT", "tahun": 2026, **kw})  # noqa: E731
    assert [ambil() for _ in range(3)] == [1, 2, 3]
    assert ambil(tahun=2027) == 1  # a new year starts again at 1
    assert ambil(unit=unit_lain) == 1  # each office has its own series
    assert ambil(jenis="REG") == 1  # and each kind
    assert ambil() == 4 and ambil(tahun=2027) == 2
    assert NomorRegister.objects.get(unit=unit, jenis="TT", tahun=2026).terakhir == 4


def test_transaksi_batal_tidak_meninggalkan_celah(unit):
    assert pn.nomor_register(unit=unit, jenis="TT", tahun=2026) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert pn.nomor_register(unit=unit, jenis="TT", tahun=2026) == 2
        raise RuntimeError("the intake failed after the number was taken")
    assert pn.nomor_register(unit=unit, jenis="TT", tahun=2026) == 2


def test_register_baru_memformat_dengan_tahun_zona_kantor(unit):
    wita = Kalender.objects.create(kode="wita-uji", nama="WITA", zona=Kalender.Zona.WITA)
    unit.kalender = wita
    unit.save(update_fields=["kalender"])
    # 16:30 UTC on 31 Dec is 00:30 WITA on 1 Jan: the receipt belongs to the new year
    now = datetime(2025, 12, 31, 16, 30, tzinfo=UTC)
    r = pn.register_baru(unit=unit, jenis="TT", bagian=("TT", "DPMPTSP"), now=now)
    assert r == pn.Register(1, 2026, "0001/TT/DPMPTSP/2026")
    assert pn.register_baru(unit=unit, jenis="TT", bagian=("TT",), tahun=2026).teks == (
        "0002/TT/2026"
    )


@pytest.mark.django_db(transaction=True)
def test_di_luar_transaksi_ditolak():
    unit = Unit.objects.order_by("pk").first()
    with pytest.raises(TransactionManagementError):
        pn.nomor_register(unit=unit, jenis="TT", tahun=2026)
    assert not NomorRegister.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_50_utas_koneksi_terpisah_nomor_berurutan_postgresql():
    """50 intakes at once, each on its own PostgreSQL connection: 50 distinct consecutive
    numbers; 10 of them roll back after taking a number, and still no gap is left."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL; SQLite serialises every write")
    unit_id = Unit.objects.order_by("pk").values_list("pk", flat=True).first()
    n = 50
    mulai = threading.Barrier(n)
    jadi: list[int] = []
    batal: list[int] = []
    galat: list[BaseException] = []
    kunci = threading.Lock()

    def loket(i: int) -> None:
        try:
            mulai.wait(timeout=60)
            with transaction.atomic():
                nomor = pn.nomor_register(unit=unit_id, jenis="TT", tahun=2026)
                if i % 5 == 0:
                    raise RuntimeError(nomor)
            with kunci:
                jadi.append(nomor)
        except RuntimeError as e:
            with kunci:
                batal.append(e.args[0])
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            galat.append(e)
        finally:
            connections.close_all()

    utas = [threading.Thread(target=loket, args=(i,)) for i in range(n)]
    for t in utas:
        t.start()
    for t in utas:
        t.join(timeout=120)
    assert not galat, galat
    assert len(batal) == 10
    assert sorted(jadi) == list(range(1, 41)), sorted(jadi)
    assert NomorRegister.objects.get(unit_id=unit_id, jenis="TT", tahun=2026).terakhir == 40


# --------------------------------------------------------------------------- PINs


def test_pin_enam_digit_dan_hash(settings):
    pins = {pn.pin_baru() for _ in range(300)}
    assert all(len(p) == 6 and p.isdigit() for p in pins) and len(pins) > 250
    h = pn.hash_pin("IZN-K7QW2M9X", "042917")
    assert len(h) == 64 and "042917" not in h
    assert pn.cocok_pin("IZN-K7QW2M9X", "042917", h)
    assert not pn.cocok_pin("IZN-K7QW2M9X", "042918", h)
    assert not pn.cocok_pin("IZN-AAAAAAAA", "042917", h)  # bound to the record's code
    assert pn.hash_pin("IZN-AAAAAAAA", "042917") != h  # equal PINs, different hashes
    # a key rotation keeps PINs already printed on receipts valid through the fallbacks
    lama = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "kunci-baru-" + "x" * 50, [lama]
    assert pn.cocok_pin("IZN-K7QW2M9X", "042917", h)
    settings.SECRET_KEY_FALLBACKS = []
    assert not pn.cocok_pin("IZN-K7QW2M9X", "042917", h)


@pytest.mark.parametrize(
    ("teks", "hasil"),
    [("042917", "042917"), (" 042 917 ", "042917"), ("42917", ""), ("٠٤٢٩١٧", "")],
)
def test_pin_valid(teks, hasil):
    assert pn.pin_valid(teks) == hasil
