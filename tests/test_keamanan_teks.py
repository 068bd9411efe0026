"""sop.teks: one normalisation for forms and imports (pure functions, hypothesis properties)."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from sop.teks import (
    KONTROL_ARAH,
    TAK_TERLIHAT,
    cek_teks,
    karakter_terlarang,
    rapikan,
    teks_angka,
)

teks_bebas = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(sorted(KONTROL_ARAH | TAK_TERLIHAT) + ["\x00", "\x1b", "\n", "\xa0"]),
    ),
    max_size=60,
)


@given(teks_bebas)
def test_rapikan_idempoten_dan_tanpa_karakter_tak_terlihat(s):
    r = rapikan(s)
    assert rapikan(r) == r
    assert not set(r) & TAK_TERLIHAT
    assert r == r.strip() and "  " not in r
    assert unicodedata.is_normalized("NFC", r)


@given(teks_bebas)
def test_cek_teks_tidak_pernah_meloloskan_kontrol_arah(s):
    bersih, pesan = cek_teks(s, label="Nama")
    if pesan is None:
        assert not set(bersih) & KONTROL_ARAH
        assert karakter_terlarang(bersih) is None
    else:
        assert pesan.startswith("Nama ")


@given(st.text(alphabet="0123456789", min_size=16, max_size=16), st.data())
def test_teks_angka_membuang_karakter_tak_terlihat(digit, data):
    sisip = data.draw(st.lists(st.sampled_from(sorted(TAK_TERLIHAT | KONTROL_ARAH)), max_size=4))
    kotor = list(digit)
    for ch in sisip:
        kotor.insert(data.draw(st.integers(0, len(kotor))), ch)
    assert teks_angka("".join(kotor)) == digit


def test_contoh():
    assert rapikan("  Siti\u200b  Aminah\n") == "Siti Aminah"
    assert rapikan("Jose\u0301") == "Jos\u00e9"  # NFC
    assert teks_angka("\uff11\uff14\u200b04") == "1404"  # full-width digits, zero-width space
    bersih, pesan = cek_teks("Budi\u202eAnaS", label="Nama lengkap")
    assert bersih == "Budi\u202eAnaS" and "Nama lengkap" in pesan and "U+202E" in pesan
    _b, pesan = cek_teks("Jl. A\x00B", label="Alamat")
    assert "U+0000" in pesan
    assert cek_teks("Warung\tmakan", label="x") == ("Warung makan", None)
