"""Table tests for `sop.waktu.parse_waktu` over every "waktu" spelling found in the seed SOPs.

Pure Python: no Django needed (runs with ``-p no:django``).
"""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sop.waktu import (
    JENIS_DILACAK,
    Batas,
    WaktuTidakDikenali,
    format_batas,
    parse_waktu,
    saran_waktu,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path("/work/shared/seeds")
FIXTURES = ROOT / "fixtures" / "sop"

M, H, W, B = "menit", "hari", "minggu", "bulan"
TD, P = "tidak_dilacak", "periodik"

# (text as written, jenis, jumlah, bawah). Every distinct waktu cell of /work/shared/seeds/*.txt.
SEED_WAKTU: list[tuple[str | None, str, int | None, int | None]] = [
    # minutes (001 Pacitan, 003 Jatim, 004 Pelalawan)
    ("5 menit", M, 5, None),
    ("10 menit", M, 10, None),
    ("10 Menit", M, 10, None),
    ("15 menit", M, 15, None),
    ("15 Menit", M, 15, None),
    ("20 Menit", M, 20, None),
    ("30 menit", M, 30, None),
    ("30 Menit", M, 30, None),
    ("40 Menit", M, 40, None),
    ("60 menit", M, 60, None),
    ("60 Menit", M, 60, None),
    ("120 menit", M, 120, None),
    ("240 menit", M, 240, None),
    ("2 Jam", M, 120, None),
    # working days
    ("1 hari", H, 1, None),
    ("1 Hari", H, 1, None),
    ("Maksimal 1 hari", H, 1, None),
    ("2 hari", H, 2, None),
    ("3 hari", H, 3, None),
    ("3 Hari", H, 3, None),
    ("5 hari", H, 5, None),
    ("6 hari", H, 6, None),
    ("14 hari", H, 14, None),
    ("2-4 hari", H, 4, 2),
    ("2-7 hari", H, 7, 2),
    # calendar weeks / months
    ("2 Minggu", W, 2, None),
    ("1 bulan", B, 1, None),
    ("5 Bulan", B, 5, None),
    ("6 bulan", B, 6, None),
    # deliberately untracked
    ("Menyesuaikan", TD, None, None),
    ("N/A", TD, None, None),
    ("-", TD, None, None),
    ("", TD, None, None),
    # schedules (002 NTB catalogue)
    ("2 Bulan Sekali", P, None, None),
    ("1 Tahun sekali", P, None, None),
    ("Rutin", P, None, None),
    # 002 NTB row 4: two services' cells merged by OCR; a transcription must split it.
    ("5 hari 6 hari", TD, None, None),
]

# Further spellings the portal must accept (variants of the above, other SOPs).
VARIAN_WAKTU: list[tuple[str | None, str, int | None, int | None]] = [
    (None, TD, None, None),
    ("   ", TD, None, None),
    ("—", TD, None, None),
    ("n/a", TD, None, None),
    ("Sesuai jadwal", TD, None, None),
    ("menyesuaikan jadwal narasumber", TD, None, None),
    ("120 Menit", M, 120, None),
    ("  15   MENIT ", M, 15, None),
    ("1 jam", M, 60, None),
    ("1,5 jam", M, 90, None),
    ("1 jam 30 menit", M, 90, None),
    ("setengah jam", M, 30, None),
    ("lima belas menit", M, 15, None),
    ("dua puluh lima menit", M, 25, None),
    ("Max. 3 hari kerja", H, 3, None),
    ("Maks 3 hari kerja", H, 3, None),
    ("paling lama 5 hari kerja", H, 5, None),
    ("3 (tiga) hari kerja", H, 3, None),
    ("tiga hari", H, 3, None),
    ("sehari", H, 1, None),
    ("1 x 24 jam", H, 1, None),
    ("3x24 jam", H, 3, None),
    ("2 - 7 Hari", H, 7, 2),
    ("2 – 4 hari", H, 4, 2),
    ("2 s/d 4 hari", H, 4, 2),
    ("2 hari sampai 4 hari", H, 4, 2),
    ("14 Hari Kerja", H, 14, None),
    ("dua minggu", W, 2, None),
    ("1 pekan", W, 1, None),
    ("1-2 minggu", W, 2, 1),
    ("1 tahun", B, 12, None),
    ("Setiap bulan", P, None, None),
    ("tiap minggu", P, None, None),
    ("sebulan sekali", P, None, None),
    ("2x sebulan", P, None, None),
    ("6 kali setahun", P, None, None),
    ("Berkala", P, None, None),
    ("per tahun", P, None, None),
]

# Unrecognised text: falls back to tidak_dilacak, and ketat=True rejects it.
TIDAK_DIKENALI = ["WAKT 1 hari N/A", "0 hari", "1.5 hari", "3 hari kalender", "lama", "abc 5"]


@pytest.mark.parametrize(("teks", "jenis", "jumlah", "bawah"), SEED_WAKTU + VARIAN_WAKTU)
def test_parse_waktu(teks: str | None, jenis: str, jumlah: int | None, bawah: int | None) -> None:
    b = parse_waktu(teks)
    assert (b.jenis, b.jumlah, b.bawah) == (jenis, jumlah, bawah)
    assert b.teks == ("" if teks is None else teks)
    assert b.dilacak == (jenis in JENIS_DILACAK)


@pytest.mark.parametrize(("teks", "jenis", "jumlah", "bawah"), SEED_WAKTU + VARIAN_WAKTU)
def test_dikenali_dalam_mode_ketat(
    teks: str | None, jenis: str, jumlah: int | None, bawah: int | None
) -> None:
    if teks == "5 hari 6 hari":
        with pytest.raises(ValueError, match="tidak dikenali"):
            parse_waktu(teks, ketat=True)
    else:
        assert parse_waktu(teks, ketat=True) == parse_waktu(teks)


@pytest.mark.parametrize("teks", TIDAK_DIKENALI)
def test_tidak_dikenali(teks: str) -> None:
    assert parse_waktu(teks) == Batas("tidak_dilacak", teks=teks)
    with pytest.raises(ValueError, match="tidak dikenali"):
        parse_waktu(teks, ketat=True)


_SEL_WAKTU = re.compile(
    r"^(?:(?:maksimal|max\.?)\s*)?\d+\s*(?:-\s*\d+\s*)?(?:menit|jam|hari|minggu|bulan|tahun)"
    r"(?:\s+kerja)?(?:\s+sekali)?$|^(?:menyesuaikan|n/a|rutin)$",
    re.IGNORECASE,
)


def test_tabel_mencakup_semua_sel_waktu_seed() -> None:
    """Every waktu-looking cell of the seed step tables is in SEED_WAKTU."""
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip("seed texts not available")
    dikenal = {t for t, *_ in SEED_WAKTU}
    sel = {
        c.strip()
        for f in files
        for baris in f.read_text(encoding="utf-8").splitlines()
        for c in baris.split("\t")
    }
    hilang = sorted(c for c in sel if _SEL_WAKTU.match(c) and c not in dikenal)
    assert not hilang, f"waktu cells missing from SEED_WAKTU: {hilang}"


def _kumpulkan_waktu(obj: object, jalur: str) -> list[tuple[str, object, object]]:
    """All (path, waktu, batas-or-None) found anywhere in a fixture's JSON."""
    hasil: list[tuple[str, object, object]] = []
    if isinstance(obj, dict):
        if "waktu" in obj:
            hasil.append((jalur, obj["waktu"], obj.get("batas")))
        for k, v in obj.items():
            hasil.extend(_kumpulkan_waktu(v, f"{jalur}.{k}"))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            hasil.extend(_kumpulkan_waktu(v, f"{jalur}[{i}]"))
    return hasil


def test_waktu_di_fixture_dikenali() -> None:
    """Every step "waktu" in fixtures/sop/*.json is a limit, a schedule or a known 'no limit' text.

    The service catalogue (katalog_*.json) keeps its waktu cells as written, several sub-rows joined
    ("6 hari; -"): it is a catalogue, not a step limit, so it is not parsed.
    """
    files = sorted(f for f in FIXTURES.glob("*.json") if not f.name.startswith("katalog"))
    if not files:
        pytest.skip("no fixtures/sop/*.json yet")
    masalah: list[str] = []
    jumlah_sel = 0
    for f in files:
        data = json.loads(f.read_text(encoding="utf-8"))
        for jalur, waktu, batas in _kumpulkan_waktu(data, f.name):
            jumlah_sel += 1
            if waktu is not None and not isinstance(waktu, str):
                masalah.append(f"{jalur}: waktu is not a string: {waktu!r}")
                continue
            try:
                b = parse_waktu(waktu, ketat=True)
            except ValueError:
                masalah.append(f"{jalur}: unrecognised waktu {waktu!r}")
                continue
            if isinstance(batas, dict) and Batas.from_dict(batas).as_dict() != b.as_dict():
                masalah.append(f"{jalur}: batas {batas!r} != parse {b.as_dict()!r}")
    if not jumlah_sel:
        pytest.skip("fixtures contain no waktu fields")
    assert not masalah, "\n".join(masalah)


# --- Batas ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("batas", "label"),
    [
        (Batas("menit", 15), "15 menit kerja"),
        (Batas("menit", 120), "120 menit kerja"),
        (Batas("hari", 1), "1 hari kerja"),
        (Batas("hari", 4, 2), "2-4 hari kerja"),
        (Batas("minggu", 2), "2 minggu"),
        (Batas("bulan", 6), "6 bulan"),
        (Batas("tidak_dilacak"), "tidak dilacak"),
        (Batas("periodik"), "periodik"),
    ],
)
def test_format_batas(batas: Batas, label: str) -> None:
    assert format_batas(batas) == label


@pytest.mark.parametrize(("teks", "jenis", "jumlah", "bawah"), SEED_WAKTU + VARIAN_WAKTU)
def test_as_dict_from_dict(
    teks: str | None, jenis: str, jumlah: int | None, bawah: int | None
) -> None:
    b = parse_waktu(teks)
    d = b.as_dict()
    assert d == {"jenis": jenis, "jumlah": jumlah, "bawah": bawah}
    assert json.loads(json.dumps(d)) == d
    assert Batas.from_dict(d, teks=b.teks) == b


@pytest.mark.parametrize(
    "kwargs",
    [
        {"jenis": "detik", "jumlah": 1},
        {"jenis": "menit"},
        {"jenis": "menit", "jumlah": 0},
        {"jenis": "hari", "jumlah": True},
        {"jenis": "hari", "jumlah": 2, "bawah": 3},
        {"jenis": "hari", "jumlah": 2, "bawah": -1},
        {"jenis": "tidak_dilacak", "jumlah": 1},
        {"jenis": "periodik", "jumlah": 2},
    ],
)
def test_batas_tidak_valid(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        Batas(**kwargs)


def test_batas_frozen() -> None:
    b = parse_waktu("1 hari")
    with pytest.raises(AttributeError):
        b.jumlah = 2  # type: ignore[misc]


# --- properties ---------------------------------------------------------------------------------

_SATUAN = {"menit": ("menit", 1), "Menit": ("menit", 1), "jam": ("menit", 60), "Jam": ("menit", 60),
           "hari": ("hari", 1), "Hari": ("hari", 1), "hari kerja": ("hari", 1),
           "minggu": ("minggu", 1), "Minggu": ("minggu", 1), "bulan": ("bulan", 1),
           "Bulan": ("bulan", 1)}  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_parse_tidak_pernah_gagal(teks: str) -> None:
    b = parse_waktu(teks)
    assert b.teks == teks
    assert b.jenis in {"menit", "hari", "minggu", "bulan", "tidak_dilacak", "periodik"}


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 500),
    st.integers(0, 500),
    st.sampled_from(sorted(_SATUAN)),
    st.sampled_from(["", "Maksimal ", "Max. ", "maks "]),
    st.booleans(),
)
def test_parse_angka_dan_rentang(a: int, b: int, satuan: str, awalan: str, rentang: bool) -> None:
    jenis, faktor = _SATUAN[satuan]
    if rentang and a != b:
        lo, hi = min(a, b), max(a, b)
        hasil = parse_waktu(f"{awalan}{lo} - {hi} {satuan}")
        assert (hasil.jenis, hasil.jumlah, hasil.bawah) == (jenis, hi * faktor, lo * faktor)
    else:
        hasil = parse_waktu(f"{awalan}{a} {satuan}")
        assert (hasil.jenis, hasil.jumlah, hasil.bawah) == (jenis, a * faktor, None)


# --- suggestions for unreadable text ----------------------------------------------------------

SARAN: list[tuple[str, str]] = [
    ("2 jm", "2 jam"),
    ("sekitar lima belas menitan", "15 menit"),
    ("2 hri", "2 hari"),
    ("1 mingu", "1 minggu"),
    ("Maksimal 1 har", "1 hari"),
    ("2 - 4 hri", "2-4 hari"),
    ("1 jm 30 mnit", "1 jam 30 menit"),
    ("1.5 hari", "2 hari"),  # whole working days: rounded up
    ("satu setengah hari", "2 hari"),
    ("3 hari kalender", "3 hari"),
    ("WAKT 1 hari N/A", "1 hari"),  # OCR residue of a merged row
    ("menyesuikan", "Menyesuaikan"),
]


@pytest.mark.parametrize(("teks", "saran"), SARAN)
def test_saran_waktu(teks: str, saran: str) -> None:
    with pytest.raises(WaktuTidakDikenali) as e:
        parse_waktu(teks, ketat=True)
    assert saran_waktu(teks)[0] == saran
    assert e.value.saran == saran_waktu(teks)


def test_saran_dua_sel_tergabung() -> None:
    """Two services' cells merged by OCR: each limit is offered on its own, never a made-up range."""
    assert saran_waktu("5 hari 6 hari") == ["5 hari", "6 hari"]


@pytest.mark.parametrize("teks", ["lama", "abc 5", "0 hari", "beberapa waktu", "???"])
def test_tanpa_saran(teks: str) -> None:
    """Nothing close enough: no guess (the admin writes the limit or ticks "tidak dipantau")."""
    assert saran_waktu(teks) == []


@pytest.mark.parametrize(("teks", "jenis", "jumlah", "bawah"), SEED_WAKTU + VARIAN_WAKTU)
def test_teks_terbaca_tanpa_saran(teks, jenis, jumlah, bawah) -> None:
    if teks == "5 hari 6 hari":
        pytest.skip("unreadable on purpose (see test_saran_dua_sel_tergabung)")
    assert saran_waktu(teks) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_saran_selalu_terbaca(teks: str) -> None:
    """Any text: at most 3 suggestions, none repeated, each one readable in strict mode."""
    saran = saran_waktu(teks)
    assert len(saran) <= 3 and len(set(saran)) == len(saran)
    for s in saran:
        parse_waktu(s, ketat=True)
        assert s.strip()


_SALAH_KETIK = {
    "menit": ["mnit", "meni", "menitan", "mennit"],
    "jam": ["jm", "jamm", "jaam"],
    "hari": ["hri", "har", "harii", "harinya"],
    "minggu": ["mingu", "minguu", "miggu"],
    "bulan": ["buln", "bualn", "bulann"],
}


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 500),
    st.sampled_from(sorted(_SALAH_KETIK)),
    st.data(),
    st.sampled_from(["", "sekitar ", "Maksimal ", "kurang lebih "]),
)
def test_saran_memperbaiki_satuan(n: int, satuan: str, data, awalan: str) -> None:
    """'<prefix> N <misspelt unit>' suggests 'N <unit>' first, meaning the same limit."""
    salah = data.draw(st.sampled_from(_SALAH_KETIK[satuan]))
    teks = f"{awalan}{n} {salah}"
    saran = saran_waktu(teks)
    assert saran, teks
    assert saran[0] == f"{n} {satuan}"
    assert parse_waktu(saran[0]) == parse_waktu(f"{n} {satuan}", ketat=True)
