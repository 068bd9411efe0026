"""The PDFs of the flows, generated from the data: the credit agreement (SOP 20), the decree
(SOP 19) and the demand letters (SOP 21-23). Figures print as "Rp10.600.000,00" with the words
beside them; texts are in Bahasa Indonesia (they are legal documents).

Each document is rendered on request from data frozen when it was issued (the letter's arrears
snapshot and pay-by date, the agreement's terms, the decree's lines, the signatory's name), so
the same document comes out every time without storing a file per document (ADR
docs/adr/0022-dagulir-jalan-sop.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

from sop.models import Pelaksana, Penugasan
from sop.pdf import html_ke_pdf, tanggal_indonesia
from sop.tanda_terima import kop_unit

from .hitung import jadwal, terbilang_rupiah
from .hitung.jadwal import tambah_bulan
from .models import JalanPenagihan, Jaminan, KeputusanProposal, MetodeJasa, Proposal, SkPenetapan
from .services.proposal import produk_unit


def nama_orang(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def pemegang_peran(unit, kode: str) -> str:
    """The name of the first officer holding role ``kode`` in ``unit`` (the signatory)."""
    p = (
        Penugasan.objects.aktif()
        .filter(unit=unit, peran__in=Pelaksana.objects.filter(kode=kode))
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return nama_orang(p.user) if p else ""


def _tempat(unit) -> str:
    return kop_unit(unit).pemerintah.replace("PEMERINTAH KABUPATEN", "").strip().title()


@dataclass(frozen=True)
class Syarat:
    """The agreement's terms: frozen at signing, else (a draft) the product's today."""

    jasa_persen: Decimal
    metode: str
    masa_tenggang: int
    denda_persen_harian: Decimal

    def get_metode_display(self) -> str:
        return str(dict(MetodeJasa.choices).get(self.metode, self.metode))


def syarat_perjanjian(p: Proposal) -> Syarat:
    if p.jasa_persen is not None:
        return Syarat(
            p.jasa_persen, p.metode, p.masa_tenggang or 0, Decimal(p.denda_ppm or 0) / 10_000
        )
    produk = produk_unit(p.unit)
    return Syarat(
        produk.jasa_persen, produk.metode, produk.masa_tenggang, produk.denda_persen_harian
    )


def perjanjian_html(p: Proposal) -> str:
    k = KeputusanProposal.objects.select_related("sk").get(proposal=p)
    produk = syarat_perjanjian(p)
    rencana = p.tanggal_perjanjian or dt.date.today()
    baris = jadwal(
        pokok=k.plafon,
        jasa_persen=produk.jasa_persen,
        tenor=k.tenor,
        metode=produk.metode,
        jatuh_tempo_pertama=tambah_bulan(rencana, 1),
        masa_tenggang=produk.masa_tenggang,
    )
    return render_to_string(
        "danabergulir/pdf/perjanjian.html",
        {
            "p": p,
            "k": k,
            "produk": produk,
            "kop": kop_unit(p.unit),
            "tempat": _tempat(p.unit),
            "tanggal": tanggal_indonesia(p.tanggal_perjanjian),
            "kepala": p.penandatangan_perjanjian or pemegang_peran(p.unit, "kepala_upt"),
            "plafon_terbilang": terbilang_rupiah(k.plafon),
            "baris": baris,
            "jumlah_jasa": sum(b.jasa for b in baris),
            "jumlah_angsuran": sum(b.angsuran for b in baris),
            "jaminan": list(Jaminan.objects.filter(proposal=p).order_by("pk")),
            "denda_persen": produk.denda_persen_harian,
        },
    )


def perjanjian_pdf(p: Proposal) -> bytes:
    return html_ke_pdf(perjanjian_html(p))


def sk_html(sk: SkPenetapan) -> str:
    baris = list(sk.keputusan.select_related("proposal", "proposal__kecamatan").order_by("pk"))
    setuju = [k for k in baris if k.disetujui]
    return render_to_string(
        "danabergulir/pdf/sk.html",
        {
            "sk": sk,
            "kop": kop_unit(sk.unit),
            "tempat": _tempat(sk.unit),
            "tanggal": tanggal_indonesia(sk.tanggal),
            "setuju": setuju,
            "tolak": [k for k in baris if not k.disetujui],
            "jumlah": sum(k.plafon for k in setuju),
            "jumlah_terbilang": terbilang_rupiah(sum(k.plafon for k in setuju)),
            "kepala": sk.penandatangan or pemegang_peran(sk.unit, "kepala_upt"),
        },
    )


def sk_pdf(sk: SkPenetapan) -> bytes:
    return html_ke_pdf(sk_html(sk))


def surat_tagihan_html(run: JalanPenagihan) -> str:
    p = run.pinjaman
    return render_to_string(
        "danabergulir/pdf/surat_tagihan.html",
        {
            "run": run,
            "p": p,
            "d": p.debitur,
            "kop": kop_unit(run.unit),
            "tempat": _tempat(run.unit),
            "tanggal": tanggal_indonesia(run.tanggal_surat),
            "bayar": tanggal_indonesia(run.bayar_paling_lambat),
            "pencairan": tanggal_indonesia(p.tanggal_pencairan),
            "romawi": run.label_tingkat,
            "terbilang": {
                "pokok": terbilang_rupiah(run.tunggakan_pokok),
                "jasa": terbilang_rupiah(run.tunggakan_jasa),
                "denda": terbilang_rupiah(run.denda),
                "jumlah": terbilang_rupiah(run.tunggakan),
            },
            "kepala": run.penandatangan,
            "petugas": run.disiapkan_oleh,
        },
    )


def surat_tagihan_pdf(run: JalanPenagihan) -> bytes:
    return html_ke_pdf(surat_tagihan_html(run))
