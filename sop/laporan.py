"""Compliance: met / (met + breached) and duration percentiles against the limit, from the jejak."""

from __future__ import annotations

import io
import statistics
from collections import defaultdict
from dataclasses import dataclass

from .models import Jejak

DIMENSI = {
    "sop": ("sop__kode", "sop__nama"),
    "langkah": ("langkah_id", "langkah__kegiatan"),
    "unit": ("unit__kode", "unit__nama"),
    "petugas": ("user__username", "user__first_name"),
}


@dataclass
class Baris:
    kunci: str
    label: str
    tepat: int = 0
    lewat: int = 0
    median_persen: float | None = None
    p90_persen: float | None = None

    @property
    def total(self) -> int:
        return self.tepat + self.lewat

    @property
    def kepatuhan(self) -> float | None:
        return round(100 * self.tepat / self.total, 1) if self.total else None


def _persentil(vals: list[float], p: float) -> float:
    vals = sorted(vals)
    if len(vals) == 1:
        return vals[0]
    k = (len(vals) - 1) * p
    f = int(k)
    c = min(f + 1, len(vals) - 1)
    return vals[f] + (vals[c] - vals[f]) * (k - f)


def kepatuhan(qs=None, *, dimensi: str = "sop") -> list[Baris]:
    """Tracked, finished steps only (untracked limits stay out of the figures)."""
    kunci_f, label_f = DIMENSI[dimensi]
    qs = (qs if qs is not None else Jejak.objects.all()).filter(terlambat__isnull=False)
    rows: dict[str, Baris] = {}
    persen: dict[str, list[float]] = defaultdict(list)
    for k, label, telat, mk, mb in qs.values_list(
        kunci_f, label_f, "terlambat", "menit_kerja", "menit_batas"
    ).iterator():
        k = str(k)
        b = rows.get(k)
        if b is None:
            b = rows[k] = Baris(k, (label or k)[:120])
        if telat:
            b.lewat += 1
        else:
            b.tepat += 1
        if mb:
            persen[k].append(100.0 * (mk or 0) / mb)
    for k, b in rows.items():
        if persen[k]:
            b.median_persen = round(statistics.median(persen[k]), 1)
            b.p90_persen = round(_persentil(persen[k], 0.9), 1)
    return sorted(
        rows.values(), key=lambda b: (b.kepatuhan if b.kepatuhan is not None else 101, b.label)
    )


def kepatuhan_xlsx(tabel: dict[str, list[Baris]]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    judul = {
        "sop": "Per SOP",
        "langkah": "Per langkah",
        "unit": "Per kantor",
        "petugas": "Per petugas",
    }
    for dim, rows in tabel.items():
        ws = wb.add_worksheet(judul.get(dim, dim))
        ws.write_row(
            0,
            0,
            [
                "Kode",
                "Nama",
                "Tepat waktu",
                "Lewat tenggat",
                "Kepatuhan (%)",
                "Median waktu (% batas)",
                "Persentil 90 (% batas)",
            ],
            bold,
        )
        for i, b in enumerate(rows, start=1):
            ws.write_string(i, 0, b.kunci)
            ws.write_string(i, 1, b.label)
            ws.write_row(i, 2, [b.tepat, b.lewat])
            for c, v in ((4, b.kepatuhan), (5, b.median_persen), (6, b.p90_persen)):
                if v is not None:
                    ws.write_number(i, c, v)
        ws.set_column(0, 1, 30)
        ws.set_column(2, 6, 16)
    wb.close()
    return buf.getvalue()
