"""Dokumen PDF resmi SOP dalam format SOP AP (Permenpan RB Nomor 35 Tahun 2012).

Masukannya dict SOP dalam format pertukaran (docs/sop-format.md), bukan model: modul ini
sengaja tidak mengimpor apa pun dari ``sop.models`` sehingga dapat dipakai oleh ``sop_export``,
view unduhan, maupun tes tanpa basis data.

Halaman 1 memuat tabel identitas SOP; halaman berikutnya memuat matriks uraian prosedur dengan
diagram alir (terminator, proses, keputusan) yang digambar sel demi sel: simbol dan panah sebagai
SVG sebaris, garis penghubung yang harus mengikuti tinggi baris sebagai gambar latar sel (SVG
sebaris tidak bisa meregang setinggi sel tabel di WeasyPrint).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import struct
import zlib
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TEMPLATE_SOP = "pdf/sop.html"
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# Lebar kolom matriks (mm). Halaman A4 lanskap 297 mm dikurangi margin kiri/kanan 10 mm.
LEBAR_ISI_MM = 277.0
KOLOM_TETAP_MM = {"no": 8.0, "kelengkapan": 34.0, "waktu": 17.0, "output": 30.0, "keterangan": 22.0}
KEGIATAN_MIN_MM = 44.0
PELAKSANA_MIN_MM = 9.0
PELAKSANA_MAKS_MM = 26.0
PT_PER_MM = 72 / 25.4

# Geometri diagram alir (pt).
GARIS = "#1a1a1a"
TEBAL_GARIS = 0.8
TINGGI_SVG = 30.0  # proses/terminator
TINGGI_SVG_KEPUTUSAN = 48.0
TINGGI_SIMBOL = 18.0
SETENGAH_TINGGI_BELAH_KETUPAT = 11.0
UKURAN_LABEL = 5.8
LEBAR_HURUF_LABEL = 0.56 * UKURAN_LABEL  # perkiraan lebar rata-rata DejaVu Sans Condensed


# --------------------------------------------------------------------------- util teks


def tanggal_indonesia(nilai: Any) -> str:
    """``"2019-12-12"`` (atau ``date``) -> ``"12 Desember 2019"``; kosong -> ``""``."""
    if not nilai:
        return ""
    if isinstance(nilai, dt.datetime):
        nilai = nilai.date()
    if not isinstance(nilai, dt.date):
        try:
            nilai = dt.date.fromisoformat(str(nilai).strip()[:10])
        except ValueError:
            return str(nilai)
    return f"{nilai.day} {BULAN[nilai.month - 1]} {nilai.year}"


def _tanggal(sop: dict, nama: str) -> str:
    teks = (sop.get(f"{nama}_teks") or "").strip()
    return teks or tanggal_indonesia(sop.get(nama)) or "-"


def _daftar(nilai: Any) -> list[str]:
    """Normalkan isian yang bisa berupa list, teks, atau kosong menjadi list teks."""
    if nilai is None:
        return []
    if isinstance(nilai, str):
        return [nilai.strip()] if nilai.strip() else []
    return [str(v).strip() for v in nilai if v is not None and str(v).strip()]


_WILAYAH = re.compile(r"\b(Provinsi|Kabupaten|Kota|Kab\.)\s+(.+)$", re.IGNORECASE)


def nama_pemerintah(sop: dict) -> str:
    """Baris "PEMERINTAH ..." kop identitas, diturunkan dari nama instansi bila tidak diberikan."""
    if sop.get("pemerintah"):
        return str(sop["pemerintah"]).upper()
    cocok = _WILAYAH.search((sop.get("instansi") or "").strip())
    if not cocok:
        return ""
    jenis = "KABUPATEN" if cocok.group(1).lower() == "kab." else cocok.group(1).upper()
    return f"PEMERINTAH {jenis} {cocok.group(2).upper()}"


# --------------------------------------------------------------------------- tata letak kolom


def lebar_kolom(jumlah_pelaksana: int) -> dict[str, Any]:
    """Lebar (mm) tiap kolom matriks; kolom pelaksana menyempit bila pelaksananya banyak."""
    n = max(jumlah_pelaksana, 1)
    sisa = LEBAR_ISI_MM - sum(KOLOM_TETAP_MM.values())
    pelaksana = max(PELAKSANA_MIN_MM, min(PELAKSANA_MAKS_MM, (sisa - KEGIATAN_MIN_MM) / n))
    kegiatan = max(36.0, sisa - pelaksana * jumlah_pelaksana)
    lebar = {**KOLOM_TETAP_MM, "kegiatan": kegiatan, "pelaksana": pelaksana}
    total = sum(KOLOM_TETAP_MM.values()) + kegiatan + pelaksana * jumlah_pelaksana
    if total > LEBAR_ISI_MM:  # terlalu banyak pelaksana: perkecil semua kolom sebanding
        skala = LEBAR_ISI_MM / total
        lebar = {k: v * skala for k, v in lebar.items()}
    lebar["total"] = sum(lebar[k] for k in KOLOM_TETAP_MM) + lebar["kegiatan"]
    lebar["total"] += lebar["pelaksana"] * jumlah_pelaksana
    return {k: round(v, 2) for k, v in lebar.items()}


def _css_mm(lebar: dict[str, float]) -> dict[str, str]:
    # Teks, bukan float: templat dengan bahasa aktif "id" akan menulis 8,5 (koma desimal).
    return {k: f"{v:.2f}" for k, v in lebar.items()}


# --------------------------------------------------------------------------- diagram alir


def _f(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _panah(x: float, y: float, arah: str, warna: str = GARIS) -> str:
    """Mata panah dengan ujung di (x, y) menunjuk ke ``arah`` (bawah/kiri/kanan)."""
    p, s = 4.5, 2.2
    if arah == "bawah":
        titik = [(x - s, y - p), (x + s, y - p), (x, y)]
    elif arah == "kiri":
        titik = [(x + p, y - s), (x + p, y + s), (x, y)]
    else:
        titik = [(x - p, y - s), (x - p, y + s), (x, y)]
    poin = " ".join(f"{_f(a)},{_f(b)}" for a, b in titik)
    return f'<polygon points="{poin}" fill="{warna}" stroke="none"/>'


def _label(teks_baris: list[str], x: float, y: float, anchor: str) -> str:
    hasil = []
    for i, teks in enumerate(teks_baris):
        hasil.append(
            f'<text x="{_f(x)}" y="{_f(y + i * (UKURAN_LABEL + 0.6))}" '
            f'font-family="DejaVu Sans Condensed, DejaVu Sans" font-size="{_f(UKURAN_LABEL)}" '
            f'text-anchor="{anchor}" fill="#000">{escape(teks)}</text>'
        )
    return "".join(hasil)


def _bentuk(bentuk: str, cx: float, cy: float, lebar: float, ringan: bool) -> str:
    if ringan:
        gaya = 'fill="none" stroke="#8a8a8a" stroke-width="0.7" stroke-dasharray="2,1.5"'
    else:
        gaya = f'fill="#fff" stroke="{GARIS}" stroke-width="{_f(TEBAL_GARIS + 0.1)}"'
    if bentuk == "keputusan":
        a, b = lebar / 2, SETENGAH_TINGGI_BELAH_KETUPAT
        sudut = [(cx, cy - b), (cx + a, cy), (cx, cy + b), (cx - a, cy)]
        poin = " ".join(f"{_f(x)},{_f(y)}" for x, y in sudut)
        return f'<polygon points="{poin}" {gaya}/>'
    h = TINGGI_SIMBOL
    rx = h / 2 if bentuk == "terminator" else 0
    return (
        f'<rect x="{_f(cx - lebar / 2)}" y="{_f(cy - h / 2)}" width="{_f(lebar)}" '
        f'height="{_f(h)}" rx="{_f(rx)}" ry="{_f(rx)}" {gaya}/>'
    )


def _muat_satu_baris(teks: str, ruang: float) -> bool:
    return len(teks) * LEBAR_HURUF_LABEL <= ruang


def svg_simbol(
    bentuk: str,
    lebar_sel_pt: float,
    *,
    masuk: bool = False,
    ringan: bool = False,
    keluar: str | None = None,
    lanjut: list[str] | None = None,
    lompat: list[tuple[str, str, str]] | None = None,
) -> SafeString:
    """SVG sebaris untuk satu sel pelaksana.

    ``bentuk``: terminator | proses | keputusan. ``masuk``: ada panah dari atas. ``keluar``:
    arah garis ke langkah berikutnya (bawah/kiri/kanan/None), dipakai untuk menata label.
    ``lanjut``: nama cabang yang mengikuti garis ke langkah berikutnya (mis. ``["Ya"]``).
    ``lompat``: cabang ke langkah lain, ``(nama, tujuan, sisi)`` dengan sisi kiri/kanan.
    """
    w = max(lebar_sel_pt - 2, 16.0)
    cx = w / 2
    if bentuk == "keputusan":
        h = TINGGI_SVG_KEPUTUSAN
        lebar_simbol = 2 * max(min(w / 2 - 7, 20.0), 4.0)
    else:
        h = TINGGI_SVG
        lebar_simbol = max(min(w - 8, 52.0), 10.0)
    cy = h / 2
    isi = [_bentuk(bentuk, cx, cy, lebar_simbol, ringan)]
    tinggi_setengah = SETENGAH_TINGGI_BELAH_KETUPAT if bentuk == "keputusan" else TINGGI_SIMBOL / 2
    if masuk and not ringan:
        isi.append(_panah(cx, cy - tinggi_setengah, "bawah"))
    if bentuk == "keputusan" and not ringan:
        a = lebar_simbol / 2
        y_bawah = cy + tinggi_setengah + 5.5  # baris label di bawah belah ketupat
        sisi_lompat = {sisi for _, _, sisi in lompat or []}
        if lanjut:
            teks = "/".join(lanjut)
            if keluar == "kanan":
                isi.append(_label([teks], w - 1, cy - 4, "end"))
            elif keluar == "kiri":
                isi.append(_label([teks], 1, cy - 4, "start"))
            elif "kanan" in sisi_lompat:
                isi.append(_label([teks], cx - 2, y_bawah, "end"))
            else:
                isi.append(_label([teks], cx + 2, y_bawah, "start"))
        for nama, tujuan, sisi in lompat or []:
            ujung_ruang = w / 2 - a - 1.5
            panjang = max(min(9.0, ujung_ruang), 3.0)
            if sisi == "kanan":
                x0, x1, x_teks, anchor = cx + a, cx + a + panjang, w - 1, "end"
            else:
                x0, x1, x_teks, anchor = cx - a, cx - a - panjang, 1, "start"
            isi.append(
                f'<line x1="{_f(x0)}" y1="{_f(cy)}" x2="{_f(x1)}" y2="{_f(cy)}" '
                f'stroke="{GARIS}" stroke-width="{_f(TEBAL_GARIS)}"/>'
            )
            isi.append(_panah(x1, cy, sisi))
            satu = f"{nama} → {tujuan}"
            baris = [satu] if _muat_satu_baris(satu, w / 2 - 2.5) else [nama, f"→ {tujuan}"]
            isi.append(_label(baris, x_teks, y_bawah, anchor))
    return mark_safe(  # noqa: S308 - hanya angka dan teks yang sudah di-escape
        f'<svg xmlns="http://www.w3.org/2000/svg" class="simbol" width="{_f(w)}pt" '
        f'height="{_f(h)}pt" viewBox="0 0 {_f(w)} {_f(h)}">{"".join(isi)}</svg>'
    )


def _png_satu_piksel(abu: int) -> str:
    """PNG 1x1 abu-abu sebagai data URI, diregangkan menjadi garis penghubung.

    Bukan ``linear-gradient``: WeasyPrint menggambar gradien warna tunggal melewati
    ``background-size`` sehingga seluruh sel menjadi hitam.
    """

    def potongan(jenis: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(jenis + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + jenis + data + struct.pack(">I", crc)

    png = (
        b"\x89PNG\r\n\x1a\n"
        + potongan(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + potongan(b"IDAT", zlib.compress(bytes([0, abu])))
        + potongan(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


GAMBAR_GARIS = _png_satu_piksel(0x1A)

_LAPISAN = {
    "atas": ("50% 0", f"{_f(TEBAL_GARIS)}pt 50%"),
    "bawah": ("50% 100%", f"{_f(TEBAL_GARIS)}pt 50%"),
    "kiri": ("0 50%", f"50% {_f(TEBAL_GARIS)}pt"),
    "kanan": ("100% 50%", f"50% {_f(TEBAL_GARIS)}pt"),
}


def gaya_garis(arah: set[str]) -> str:
    """Garis penghubung sebagai latar sel: setengah garis dari tengah sel ke tepi ``arah``."""
    urutan = [a for a in ("atas", "bawah", "kiri", "kanan") if a in arah]
    if not urutan:
        return ""
    gambar = ", ".join(f"url({GAMBAR_GARIS})" for _ in urutan)
    posisi = ", ".join(_LAPISAN[a][0] for a in urutan)
    ukuran = ", ".join(_LAPISAN[a][1] for a in urutan)
    return (
        f"background-image: {gambar}; background-position: {posisi}; "
        f"background-size: {ukuran}; background-repeat: {', '.join('no-repeat' for _ in urutan)}"
    )


def susun_alur(langkah: list[dict], kode_pelaksana: list[str], lebar_sel_pt: float) -> list[list]:
    """Sel-sel kolom pelaksana tiap langkah: list baris, tiap baris list ``{"gaya", "svg"}``."""
    n = len(langkah)
    indeks = {kode: i for i, kode in enumerate(kode_pelaksana)}
    kolom: list[list[int]] = []
    for step in langkah:
        daftar: list[int] = []
        for kode in step.get("pelaksana") or []:
            if kode in indeks and indeks[kode] not in daftar:
                daftar.append(indeks[kode])
        kolom.append(daftar)
    utama = [k[0] if k else None for k in kolom]
    indeks_langkah = {s.get("kode"): i for i, s in enumerate(langkah) if s.get("kode")}

    def nomor_langkah(j: int) -> str:
        return str(langkah[j].get("nomor") or j + 1)

    # Cabang keputusan: lanjut (ke langkah berikutnya) atau lompat (ke langkah lain).
    # lompat: (nama cabang, label tujuan, indeks langkah tujuan atau None)
    cabang: dict[int, tuple[list[str], list[tuple[str, str, int | None]]]] = {}
    for i, step in enumerate(langkah):
        c = step.get("cabang")
        if not isinstance(c, dict) or not c:
            continue
        berikut = langkah[i + 1].get("kode") if i + 1 < n else None
        lanjut, lompat = [], []
        for kunci, nama in (("ya", "Ya"), ("tidak", "Tidak")):
            if kunci not in c:
                continue
            tujuan = c.get(kunci)
            if (not tujuan and i + 1 < n) or (tujuan and tujuan == berikut):
                lanjut.append(nama)
            elif not tujuan:
                lompat.append((nama, "selesai", None))
            elif tujuan in indeks_langkah:
                j = indeks_langkah[tujuan]
                lompat.append((nama, nomor_langkah(j), j))
            else:
                lompat.append((nama, str(tujuan), None))
        cabang[i] = (lanjut, lompat)

    sambung = []
    for i in range(n):
        ok = i + 1 < n and utama[i] is not None and utama[i + 1] is not None
        if ok and i in cabang and not cabang[i][0]:
            ok = False
        sambung.append(ok)
    # Cabang "lanjut" tanpa garis (langkah berikutnya tanpa kolom) menjadi lompatan bernomor.
    for i, (lanjut, lompat) in cabang.items():
        if lanjut and not sambung[i]:
            if i + 1 < n:
                lompat.extend((nama, nomor_langkah(i + 1), i + 1) for nama in lanjut)
            else:
                lompat.extend((nama, "selesai", None) for nama in lanjut)
            lanjut.clear()

    arah: dict[tuple[int, int], set[str]] = {}
    keluar: list[str | None] = [None] * n
    for i in range(n):
        if not sambung[i]:
            continue
        a, b = utama[i], utama[i + 1]
        arah.setdefault((i + 1, b), set()).add("atas")
        if a == b:
            arah.setdefault((i, a), set()).add("bawah")
            keluar[i] = "bawah"
            continue
        ke_kanan = b > a
        keluar[i] = "kanan" if ke_kanan else "kiri"
        arah.setdefault((i, a), set()).add(keluar[i])
        for c in range(min(a, b) + 1, max(a, b)):
            arah.setdefault((i, c), set()).update({"kiri", "kanan"})
        arah.setdefault((i, b), set()).update({"kiri" if ke_kanan else "kanan", "bawah"})

    hasil = []
    for i, step in enumerate(langkah):
        if step.get("cabang") and i in cabang:
            bentuk = "keputusan"
        elif i == 0 or i == n - 1:
            bentuk = "terminator"
        else:
            bentuk = "proses"
        masuk = i > 0 and sambung[i - 1]
        lompat_sisi: list[tuple[str, str, str]] = []
        if bentuk == "keputusan":
            lanjut, lompat = cabang[i]
            if keluar[i] == "kanan":
                sisi_bebas = ["kiri"]
            elif keluar[i] == "kiri":
                sisi_bebas = ["kanan"]
            elif len(lompat) > 1:
                sisi_bebas = ["kiri", "kanan"]
            else:
                # satu lompatan, garis keluar ke bawah: ke sisi kolom tujuannya
                j = lompat[0][2] if lompat else None
                kol_tujuan = utama[j] if j is not None else None
                ke_kiri = kol_tujuan is not None and utama[i] is not None and kol_tujuan < utama[i]
                sisi_bebas = ["kiri"] if ke_kiri else ["kanan"]
            for idx, (nama, tujuan, _j) in enumerate(lompat):
                lompat_sisi.append((nama, tujuan, sisi_bebas[min(idx, len(sisi_bebas) - 1)]))
        else:
            lanjut = []
        sel = []
        for c in range(len(kode_pelaksana)):
            svg: SafeString | str = ""
            if utama[i] == c:
                svg = svg_simbol(
                    bentuk,
                    lebar_sel_pt,
                    masuk=masuk,
                    keluar=keluar[i],
                    lanjut=lanjut,
                    lompat=lompat_sisi,
                )
            elif c in kolom[i]:
                svg = svg_simbol(bentuk, lebar_sel_pt, ringan=True)
            sel.append({"gaya": gaya_garis(arah.get((i, c), set())), "svg": svg})
        hasil.append(sel)
    return hasil


# --------------------------------------------------------------------------- konteks & render


def konteks_sop(sop: dict) -> dict[str, Any]:
    pelaksana = [p for p in sop.get("pelaksana") or [] if isinstance(p, dict)]
    langkah = list(sop.get("langkah") or [])
    lebar = lebar_kolom(len(pelaksana))
    lebar_sel_pt = lebar["pelaksana"] * PT_PER_MM
    alur = susun_alur(langkah, [p.get("kode") for p in pelaksana], lebar_sel_pt) if langkah else []
    baris = []
    for i, step in enumerate(langkah):
        baris.append(
            {
                "nomor": step.get("nomor") or i + 1,
                "kegiatan": step.get("kegiatan") or "",
                "sel": alur[i],
                "kelengkapan": _daftar(step.get("kelengkapan")),
                "waktu": step.get("waktu") or "",
                "output": step.get("output") or "",
                "keterangan": step.get("keterangan") or "",
            }
        )
    tanpa_langkah = bool(sop.get("tanpa_langkah")) or not langkah
    return {
        "sop": sop,
        "pemerintah": nama_pemerintah(sop),
        "instansi": sop.get("instansi") or "",
        "bagian": sop.get("bagian") or "",
        "kode": sop.get("kode") or "",
        "nomor": sop.get("nomor") or "",
        "nama": sop.get("nama") or "",
        "tanggal_pembuatan": _tanggal(sop, "tanggal_pembuatan"),
        "tanggal_revisi": _tanggal(sop, "tanggal_revisi"),
        "tanggal_efektif": _tanggal(sop, "tanggal_efektif"),
        "disahkan_jabatan": sop.get("disahkan_jabatan") or "",
        "disahkan_nama": sop.get("disahkan_nama") or "",
        "disahkan_nip": sop.get("disahkan_nip") or "",
        "bagian_identitas": [
            (
                ("Dasar Hukum", _daftar(sop.get("dasar_hukum"))),
                ("Kualifikasi Pelaksana", _daftar(sop.get("kualifikasi_pelaksana"))),
            ),
            (
                ("Keterkaitan", _daftar(sop.get("keterkaitan"))),
                ("Peralatan/Perlengkapan", _daftar(sop.get("peralatan"))),
            ),
            (
                ("Peringatan", _daftar(sop.get("peringatan"))),
                ("Pencatatan dan Pendataan", _daftar(sop.get("pencatatan"))),
            ),
        ],
        "pelaksana": pelaksana,
        "lebar": _css_mm(lebar),
        "pelaksana_sempit": lebar["pelaksana"] < 18,
        "baris": baris,
        "tanpa_langkah": tanpa_langkah,
    }


def render_sop_html(sop: dict) -> str:
    """HTML dokumen SOP (template ``pdf/sop.html``) dari dict format pertukaran."""
    return render_to_string(TEMPLATE_SOP, konteks_sop(sop))


def _pengambil_url():
    """Hanya berkas lokal dan data: URI; dokumen SOP tidak boleh mengakses jaringan."""
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols={"file", "data"})


def html_ke_pdf(html: str) -> bytes:
    """Render HTML dokumen PDF (turunan ``pdf/base.html``) menjadi bytes PDF."""
    from weasyprint import HTML

    dokumen = HTML(string=html, base_url=f"{TEMPLATES_DIR}/", url_fetcher=_pengambil_url())
    return dokumen.write_pdf()


def render_sop_pdf(sop: dict) -> bytes:
    """PDF dokumen SOP (A4 lanskap) dari dict format pertukaran."""
    return html_ke_pdf(render_sop_html(sop))


__all__ = ["render_sop_html", "render_sop_pdf", "html_ke_pdf", "tanggal_indonesia"]
