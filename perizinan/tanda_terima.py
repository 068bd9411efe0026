"""The counter's documents on the shared receipt base (``sop.tanda_terima``): the receipt of
the file (with a new tracking PIN and a QR to the tracking page) and the signed receipt of the
handover (with a QR to the satisfaction survey)."""

from __future__ import annotations

from django.urls import reverse

from sop.tanda_terima import Butir, TandaTerima, kop_unit, qr_data_uri, render_pdf, zona_unit

from .models import Permohonan
from .sop_info import jangka_waktu_sop


def _nama(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def tanda_terima_berkas(p: Permohonan, *, pin: str, petugas, url_dasar: str, ukuran: str) -> bytes:
    """PDF of the file receipt: documents received (and missing), promised completion in office
    hours, tracking code + the new PIN, QR to the tracking page."""
    ada = {b.persyaratan_id: b for b in p.berkas.all()}
    butir = []
    for s in p.jenis.persyaratan.all():
        b = ada.get(s.pk)
        ket = ""
        if b is not None:
            ket = "salinan/pindaian" if b.berkas else "asli diperiksa"
        elif not s.wajib:
            ket = "tidak wajib"
        butir.append(Butir(s.nama, ket, ada=b is not None))
    jw = jangka_waktu_sop(p.sop)
    catatan = [
        f"Biaya layanan: Rp{int(p.jenis.biaya):,}".replace(",", ".")
        + (f" ({p.jenis.biaya_keterangan})" if p.jenis.biaya_keterangan else "")
        + ".",
        f"Produk layanan: {p.jenis.produk}.",
    ]
    if jw.luar:
        catatan.append(
            "Perkiraan selesai dihitung dari waktu kerja kantor; langkah pemohon dan pihak luar "
            "(OSS, Kementerian) tidak termasuk."
        )
    kurang = [s.nama for s in p.syarat_kurang()]
    if kurang:
        catatan.append("Berkas belum lengkap: " + "; ".join(kurang) + ".")
    tt = TandaTerima(
        nomor=p.nomor,
        waktu=p.diterima_pada,
        kop=kop_unit(p.unit),
        judul="TANDA TERIMA BERKAS PERMOHONAN",
        layanan=p.jenis.nama,
        pemohon=p.pemohon_nama,
        butir=butir,
        janji=p.perkiraan_selesai,
        janji_teks=jw.teks() if jw else "",
        kode_lacak=p.kode_lacak,
        pin=pin,
        url_lacak=url_dasar + p.url_lacak(),
        petugas=_nama(petugas),
        catatan=catatan,
        zona=zona_unit(p.unit),
    )
    return render_pdf(
        tt, ukuran=ukuran, template="perizinan/pdf/tanda_terima.html", ekstra={"p": p}
    )


def tanda_serah(p: Permohonan, *, petugas, url_dasar: str, ukuran: str) -> bytes:
    """PDF of the handover: the output documents with their numbers, signature spaces for the
    officer and the receiver, and a QR to the anonymous satisfaction survey."""
    dokumen = {d.keluaran_id: d for d in p.dokumen_hasil.all()}
    butir = [
        Butir(k.nama, f"No. {dokumen[k.pk].nomor}", ada=True)
        for k in p.jenis.keluaran.all()
        if k.diserahkan and k.pk in dokumen
    ]
    url_survei = url_dasar + reverse("perizinan:publik_survei", args=[p.survei_token])
    tt = TandaTerima(
        nomor=p.nomor,
        waktu=p.diserahkan_pada,
        kop=kop_unit(p.unit),
        judul="TANDA TERIMA PENYERAHAN DOKUMEN",
        layanan=p.jenis.nama,
        pemohon=p.pemohon_nama,
        butir=butir,
        petugas=_nama(p.diserahkan_oleh or petugas),
        catatan=[],
        zona=zona_unit(p.unit),
    )
    return render_pdf(
        tt,
        ukuran=ukuran,
        template="perizinan/pdf/tanda_serah.html",
        ekstra={
            "p": p,
            "url_survei": url_survei,
            "qr_survei": qr_data_uri(url_survei) if not p.survei_diisi else "",
        },
    )
