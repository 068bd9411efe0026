"""Receipts (tanda terima) as PDF: one base for every module, on A4, A5 or a receipt printer.

A domain app fills a ``TandaTerima`` (register number, time received, items, promised
completion, tracking code + PIN, the tracking page's address) and renders it with
``render_pdf``. The template ``pdf/tanda_terima/base.html`` lays it out; an app that needs more
extends that template and fills its blocks (see the template's header comment), passing
``template=`` and ``ekstra=`` (more context).

Paper sizes (``UKURAN``): ``a4``, ``a5`` (portrait) and the thermal receipt rolls ``58mm`` and
``80mm``. A roll has no fixed page height: the receipt is laid out once on a very long page,
measured, and laid out again on a page exactly as long as its content, so the printer cuts
right below the last line.

The QR code (segno) points at the tracking page and is embedded as a PNG data URI: nothing is
fetched from the network (``sop.pdf.html_ke_pdf`` allows only ``file:`` and ``data:``). Only the
tracking code is in the QR, never the PIN: a photographed receipt QR alone opens nothing.

Official documents are in Bahasa Indonesia, like the other PDF templates (``pdf/sop.html``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import segno
from django.template.loader import render_to_string

from .pdf import BULAN, html_ke_pdf

TEMPLATE = "pdf/tanda_terima/base.html"

MM_PER_PX = 25.4 / 96  # WeasyPrint lays out in CSS pixels


@dataclass(frozen=True)
class Ukuran:
    """One paper format: ``halaman`` is the CSS ``@page size`` (``None``: a roll, measured)."""

    kode: str
    lebar_mm: float
    halaman: str | None
    margin_mm: tuple[float, float, float, float]  # top right bottom left
    qr_mm: float
    sempit: bool


UKURAN: dict[str, Ukuran] = {
    "a4": Ukuran("a4", 210, "A4 portrait", (16, 18, 16, 18), 34, False),
    "a5": Ukuran("a5", 148, "A5 portrait", (10, 11, 10, 11), 30, False),
    "80mm": Ukuran("80mm", 80, None, (3, 4, 5, 4), 34, True),
    "58mm": Ukuran("58mm", 58, None, (2, 3, 4, 3), 30, True),
}
GULUNGAN_AWAL_MM = 2000  # first pass of a roll: long enough for any receipt

ZONA_SINGKAT = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@dataclass(frozen=True)
class Kop:
    """The letterhead: ``PEMERINTAH KABUPATEN PELALAWAN`` / the office / address line."""

    pemerintah: str
    instansi: str
    alamat: str = ""


@dataclass(frozen=True)
class Butir:
    """One item received: a document, a form, an object. ``keterangan``: "Asli", "2 lembar"."""

    nama: str
    keterangan: str = ""
    ada: bool | None = None  # None: just listed; True/False: "Ada" / "Belum ada"


@dataclass
class TandaTerima:
    """What every receipt shows. Times are aware datetimes; they are printed in ``zona``."""

    nomor: str
    waktu: dt.datetime
    kop: Kop
    judul: str = "TANDA TERIMA BERKAS"
    layanan: str = ""
    pemohon: str = ""  # printed on the applicant's own copy only; never on public pages
    butir: list[Butir] = field(default_factory=list)
    janji: dt.datetime | None = None  # promised completion (office hours already applied)
    janji_teks: str = ""  # how the promise was stated, e.g. "135 menit kerja", "3 hari kerja"
    kode_lacak: str = ""
    pin: str = ""  # the clear PIN, printed once; never stored
    url_lacak: str = ""  # absolute URL of the tracking page for this code (goes into the QR)
    petugas: str = ""  # the officer's name (not username)
    catatan: list[str] = field(default_factory=list)
    zona: str = "Asia/Jakarta"


def kop_unit(unit, alamat: str = "") -> Kop:
    """Letterhead of an office: the government it belongs to (its regency or province) and
    its name. One query when the office sits below the regency (a village or district office).
    """
    from .models import Wilayah

    w = unit.wilayah
    if w.tingkat > Wilayah.Tingkat.KABUPATEN:
        w = Wilayah.objects.filter(kode=w.kode[:5]).first() or w
    nama = w.nama.strip()
    if w.tingkat == Wilayah.Tingkat.PROVINSI and not nama.lower().startswith("provinsi"):
        nama = f"Provinsi {nama}"
    return Kop(pemerintah=f"PEMERINTAH {nama.upper()}", instansi=unit.nama.upper(), alamat=alamat)


def zona_unit(unit) -> str:
    """The IANA zone of the office's working calendar."""
    from .jadwal import jadwal_unit

    return jadwal_unit(unit).zona


def waktu_indonesia(nilai: dt.datetime | None, zona: str = "Asia/Jakarta") -> str:
    """``"12 Februari 2026 pukul 09.05 WIB"`` in the office's zone; ``""`` for ``None``."""
    if nilai is None:
        return ""
    lokal = nilai.astimezone(ZoneInfo(zona))
    singkat = ZONA_SINGKAT.get(zona, zona)
    return f"{lokal.day} {BULAN[lokal.month - 1]} {lokal.year} pukul {lokal:%H.%M} {singkat}"


def qr_data_uri(teks: str) -> str:
    """A QR code of ``teks`` as a PNG data URI (error correction M, 4-module quiet zone)."""
    qr = segno.make(teks, error="m", micro=False, boost_error=False)
    return qr.png_data_uri(scale=4, border=4, dark="#000", light="#fff")


def konteks(tt: TandaTerima, *, ukuran: str = "a4", ekstra: dict | None = None) -> dict[str, Any]:
    u = UKURAN[ukuran]
    atas, kanan, bawah, kiri = u.margin_mm
    return {
        "tt": tt,
        "ukuran": u,
        "margin": f"{atas}mm {kanan}mm {bawah}mm {kiri}mm",
        "lebar_isi_mm": f"{u.lebar_mm - kanan - kiri:.1f}",
        "waktu_teks": waktu_indonesia(tt.waktu, tt.zona),
        "janji_teks_waktu": waktu_indonesia(tt.janji, tt.zona),
        "qr": qr_data_uri(tt.url_lacak) if tt.url_lacak else "",
        **(ekstra or {}),
    }


def render_html(
    tt: TandaTerima,
    *,
    ukuran: str = "a4",
    template: str | Any = TEMPLATE,
    ekstra: dict | None = None,
    halaman: str | None = None,
) -> str:
    """HTML of the receipt. ``template``: a template name or a loaded template (anything with
    ``render(context)``) extending ``pdf/tanda_terima/base.html``; ``halaman`` overrides the
    CSS page size (used for rolls)."""
    ctx = konteks(tt, ukuran=ukuran, ekstra=ekstra)
    u = ctx["ukuran"]
    ctx["halaman"] = halaman or u.halaman or f"{u.lebar_mm}mm {GULUNGAN_AWAL_MM}mm"
    if hasattr(template, "render"):
        return template.render(ctx)
    return render_to_string(template, ctx)


def _tinggi_isi_mm(html: str) -> float:
    """Height of the laid-out content of a one-page document, in mm."""
    from weasyprint import HTML

    from .pdf import TEMPLATES_DIR, _pengambil_url

    dok = HTML(string=html, base_url=f"{TEMPLATES_DIR}/", url_fetcher=_pengambil_url()).render()
    if len(dok.pages) != 1:
        raise ValueError("Tanda terima terlalu panjang untuk satu gulungan.")
    akar = dok.pages[0]._page_box.children[0]  # the <html> box
    return akar.margin_height() * MM_PER_PX


def render_pdf(
    tt: TandaTerima,
    *,
    ukuran: str = "a4",
    template: str | Any = TEMPLATE,
    ekstra: dict | None = None,
) -> bytes:
    """The receipt as PDF bytes. Rolls (58/80 mm) get a page exactly as long as the content."""
    if ukuran not in UKURAN:
        raise ValueError(f"Ukuran kertas tidak dikenal: {ukuran}")
    u = UKURAN[ukuran]
    html = render_html(tt, ukuran=ukuran, template=template, ekstra=ekstra)
    if u.halaman is None:
        tinggi = _tinggi_isi_mm(html) + u.margin_mm[0] + u.margin_mm[2] + 1
        html = render_html(
            tt,
            ukuran=ukuran,
            template=template,
            ekstra=ekstra,
            halaman=f"{u.lebar_mm}mm {tinggi:.1f}mm",
        )
    return html_ke_pdf(html)


__all__ = [
    "UKURAN",
    "Butir",
    "Kop",
    "TandaTerima",
    "kop_unit",
    "qr_data_uri",
    "render_html",
    "render_pdf",
    "waktu_indonesia",
    "zona_unit",
]
