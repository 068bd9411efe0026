"""The monthly report as files: an xlsx workbook (one sheet per table) and a PDF for the BKD.

Text cells are written as strings (never formulas) and text that a spreadsheet could read as
a formula once saved as CSV (= + - @, tab, CR, LF) gets a leading apostrophe.
"""

from __future__ import annotations

import io

import xlsxwriter
from django.template.loader import render_to_string

from sop.models import Pelaksana, Penugasan
from sop.pdf import BULAN, html_ke_pdf, tanggal_indonesia

from .hitung import KELOMPOK_UMUR, terbilang_rupiah
from .laporan import Laporan

_AWAL_RUMUS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def aman(s: object) -> str:
    """Text safe in a spreadsheet cell (OWASP CSV injection rule)."""
    t = "" if s is None else str(s)
    return "'" + t if t.startswith(_AWAL_RUMUS) else t


def nama_bulan(lap: Laporan) -> str:
    return f"{BULAN[lap.bulan - 1]} {lap.tahun}"


def kepala_upt(lap: Laporan) -> str:
    """The name of the Kepala UPT who signs the report (first active assignment)."""
    peran = Pelaksana.objects.filter(kode="kepala_upt").first()
    p = (
        Penugasan.objects.aktif()
        .filter(unit=lap.unit, peran=peran)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return (p.user.get_full_name() or p.user.username) if p else ""


class _Buku:
    def __init__(self):
        self.buf = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buf, {"in_memory": True})
        self.judul = self.wb.add_format({"bold": True, "font_size": 13})
        self.kepala = self.wb.add_format(
            {"bold": True, "bg_color": "#E8E8E8", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.teks = self.wb.add_format({"border": 1})
        self.uang = self.wb.add_format({"border": 1, "num_format": "#,##0"})
        self.angka = self.wb.add_format({"border": 1, "num_format": "0"})
        self.persen = self.wb.add_format({"border": 1, "num_format": "0.00"})
        self.tanggal = self.wb.add_format({"border": 1, "num_format": "dd-mm-yyyy"})
        self.tebal_uang = self.wb.add_format({"bold": True, "border": 1, "num_format": "#,##0"})
        self.tebal = self.wb.add_format({"bold": True, "border": 1})

    def lembar(self, nama, judul, sub, kolom, baris, jenis, total=None):
        ws = self.wb.add_worksheet(nama)
        ws.write_string(0, 0, aman(judul), self.judul)
        ws.write_string(1, 0, aman(sub))
        for j, (k, lebar) in enumerate(kolom):
            ws.write_string(3, j, k, self.kepala)
            ws.set_column(j, j, lebar)
        i = 4
        for r in baris:
            for j, (v, t) in enumerate(zip(r, jenis, strict=True)):
                self._tulis(ws, i, j, v, t)
            i += 1
        if total is not None:
            for j, (v, t) in enumerate(zip(total, jenis, strict=True)):
                if v is None:
                    ws.write_blank(i, j, None, self.tebal)
                elif t in ("uang", "angka"):
                    ws.write_number(i, j, v, self.tebal_uang)
                else:
                    ws.write_string(i, j, aman(v), self.tebal)
        ws.freeze_panes(4, 0)
        return ws

    def _tulis(self, ws, i, j, v, t):
        if v is None:
            ws.write_blank(i, j, None, self.teks)
        elif t == "uang":
            ws.write_number(i, j, v, self.uang)
        elif t == "angka":
            ws.write_number(i, j, v, self.angka)
        elif t == "persen":
            ws.write_number(i, j, float(v), self.persen)
        elif t == "tanggal":
            ws.write_datetime(i, j, v, self.tanggal)
        else:
            ws.write_string(i, j, aman(v), self.teks)

    def selesai(self) -> bytes:
        self.wb.close()
        return self.buf.getvalue()


def _jumlah(rows, idx):
    return (
        [sum(r[i] for r in rows) if i in idx else None for i in range(len(rows[0]))]
        if rows
        else None
    )


def tulis_xlsx(lap: Laporan) -> bytes:
    """The workbook: Ringkasan, Posisi Debitur, Per Kecamatan, Per Produk, Tagihan vs
    Realisasi, Umur Tunggakan, Kolektibilitas."""
    b = _Buku()
    sub = f"{lap.unit.nama} · posisi {tanggal_indonesia(lap.per)}"
    d = lap.dana
    ringkas = [
        ("Saldo awal dana bulan ini", d.saldo_awal),
        ("Penyaluran pinjaman", d.disalurkan),
        ("Pengembalian pokok", d.pokok),
        ("Penerimaan jasa", d.jasa),
        ("Penerimaan denda", d.denda),
        ("Saldo akhir dana", d.saldo_akhir),
        ("Penerimaan belum teridentifikasi (suspense, di luar saldo)", d.suspense),
        ("Outstanding pokok", lap.ringkasan["outstanding"]),
        ("Tagihan bulan ini (pokok + jasa jatuh tempo)", lap.tagihan["tagihan"]),
        ("Realisasi bulan ini (pokok + jasa diterima)", lap.tagihan["realisasi"]),
    ]
    ws = b.lembar(
        "Ringkasan",
        f"Laporan Keuangan Dana Bergulir {nama_bulan(lap)}",
        sub,
        [("Uraian", 58), ("Jumlah (Rp)", 20)],
        ringkas,
        ["teks", "uang"],
    )
    ws.write_string(len(ringkas) + 4, 0, "NPL (%)", b.teks)
    ws.write_number(len(ringkas) + 4, 1, float(lap.ringkasan["npl_persen"]), b.persen)
    rows = []
    for r in lap.baris:
        i = lap.info[r.id]
        rows.append(
            [
                r.nomor,
                i["debitur__nama"],
                "Koperasi" if i["debitur__jenis"] == "koperasi" else "Usaha mikro",
                i["kecamatan__nama"],
                i["wilayah__nama"],
                i["produk__nama"],
                r.plafon,
                i["tanggal_pencairan"],
                r.sisa_pokok,
                r.tunggakan_pokok,
                r.tunggakan_jasa,
                r.denda,
                r.dpd,
                r.kolektibilitas,
            ]
        )
    b.lembar(
        "Posisi Debitur",
        f"Posisi Pinjaman per Debitur {nama_bulan(lap)}",
        sub,
        [
            ("No Pinjaman", 18),
            ("Debitur", 32),
            ("Jenis", 12),
            ("Kecamatan", 16),
            ("Desa/Kelurahan", 16),
            ("Produk", 28),
            ("Plafon", 15),
            ("Tanggal Pencairan", 12),
            ("Sisa Pokok", 15),
            ("Tunggakan Pokok", 15),
            ("Tunggakan Jasa", 14),
            ("Denda", 13),
            ("Hari Tunggakan", 9),
            ("Kolektibilitas", 22),
        ],
        rows,
        ["teks"] * 6 + ["uang", "tanggal", "uang", "uang", "uang", "uang", "angka", "teks"],
        total=["Jumlah", *[None] * 5, *_jumlah(rows, {6, 8, 9, 10, 11})[6:12], None, None]
        if rows
        else None,
    )
    kol_kelompok = [
        ("Nama", 30),
        ("Jumlah Pinjaman", 10),
        ("Plafon", 16),
        ("Sisa Pokok", 16),
        ("Tunggakan Pokok", 16),
        ("Tunggakan Jasa", 15),
        ("Denda", 14),
        ("Outstanding NPL", 16),
    ]
    jenis_kelompok = ["teks", "angka", "uang", "uang", "uang", "uang", "uang", "uang"]
    for nama, data in (("Per Kecamatan", lap.per_kecamatan), ("Per Produk", lap.per_produk)):
        rows = [
            [
                g["nama"],
                g["jumlah"],
                g["plafon"],
                g["sisa_pokok"],
                g["tunggakan_pokok"],
                g["tunggakan_jasa"],
                g["denda"],
                g["npl"],
            ]
            for g in data
        ]
        b.lembar(
            nama,
            f"Posisi Pinjaman {nama} {nama_bulan(lap)}",
            sub,
            kol_kelompok,
            rows,
            jenis_kelompok,
            total=["Jumlah", *_jumlah(rows, set(range(1, 8)))[1:]] if rows else None,
        )
    rows = [
        [
            t["nama"],
            t["tagihan"],
            t["pokok"],
            t["jasa"],
            t["realisasi"],
            t["denda"],
            t["persen"] if t["persen"] is not None else None,
        ]
        for t in lap.tagihan_kecamatan
    ]
    t = lap.tagihan
    b.lembar(
        "Tagihan vs Realisasi",
        f"Tagihan dan Realisasi Angsuran {nama_bulan(lap)}",
        sub,
        [
            ("Kecamatan", 24),
            ("Tagihan (pokok + jasa)", 18),
            ("Pokok diterima", 16),
            ("Jasa diterima", 15),
            ("Realisasi (pokok + jasa)", 18),
            ("Denda diterima", 14),
            ("Realisasi (%)", 11),
        ],
        rows,
        ["teks", "uang", "uang", "uang", "uang", "uang", "persen"],
        total=["Jumlah", t["tagihan"], t["pokok"], t["jasa"], t["realisasi"], t["denda"], None],
    )
    p = lap.portofolio
    rows = [
        [
            u["label"] + " hari",
            u["jumlah"],
            u["sisa_pokok"],
            u["tunggakan_pokok"],
            u["tunggakan_jasa"],
        ]
        for u in p.umur
    ]
    b.lembar(
        "Umur Tunggakan",
        f"Umur Tunggakan {nama_bulan(lap)}",
        sub,
        [
            ("Hari tunggakan", 16),
            ("Jumlah Pinjaman", 12),
            ("Sisa Pokok", 16),
            ("Tunggakan Pokok", 16),
            ("Tunggakan Jasa", 15),
        ],
        rows,
        ["teks", "angka", "uang", "uang", "uang"],
        total=["Jumlah", *_jumlah(rows, {1, 2, 3, 4})[1:]],
    )
    rows = [
        [k["nama"], k["jumlah"], k["sisa_pokok"], k["persen"], "Ya" if k["npl"] else "Tidak"]
        for k in p.kelas
    ]
    ws = b.lembar(
        "Kolektibilitas",
        f"Kolektibilitas Pinjaman {nama_bulan(lap)}",
        sub,
        [
            ("Kolektibilitas", 26),
            ("Jumlah Pinjaman", 12),
            ("Sisa Pokok", 16),
            ("% Outstanding", 12),
            ("NPL", 8),
        ],
        rows,
        ["teks", "angka", "uang", "persen", "teks"],
    )
    ws.write_string(len(rows) + 5, 0, "NPL (%)", b.tebal)
    ws.write_number(len(rows) + 5, 1, float(p.npl_persen), b.persen)
    return b.selesai()


def html_laporan(lap: Laporan, *, disahkan: tuple | None = None) -> str:
    """``disahkan``: (user, when) of the Kepala UPT's sign-off (SOP 24 step 6)."""
    oleh, pada = disahkan if disahkan else (None, None)
    return render_to_string(
        "danabergulir/pdf/laporan.html",
        {
            "lap": lap,
            "baris": [(r, lap.info[r.id]) for r in lap.baris],
            "bulan": nama_bulan(lap),
            "per": tanggal_indonesia(lap.per),
            "kepala": (oleh.get_full_name() or oleh.username) if oleh else kepala_upt(lap),
            "disahkan_pada": tanggal_indonesia(pada) if pada else "",
            "umur_label": [label for label, _a, _b in KELOMPOK_UMUR],
            "saldo_akhir_terbilang": terbilang_rupiah(max(lap.dana.saldo_akhir, 0)),
        },
    )


def tulis_pdf(lap: Laporan, *, disahkan: tuple | None = None) -> bytes:
    return html_ke_pdf(html_laporan(lap, disahkan=disahkan))
