"""Screens of SOP 21-23 and the loan's decisions: the collection board (who is in arrears,
which letter, when its window ends), a letter's step actions and its PDF, restructuring and
write-off proposals and decisions (on the loan page).

Thin views over ``services`` (every change through the engine); refusals re-render the loan
page with the engine's message and its HTTP status.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sop import engine
from sop.engine import GagalTransisi
from sop.unduh import unduh_data
from sop.unggah import PDF

from . import izin, services
from . import selectors as sel
from .forms_proses import HapusBukuForm, LangkahForm, PutusForm, RestrukturisasiForm, TanggalForm
from .models import HapusBuku, JalanPenagihan, Pinjaman, Restrukturisasi
from .services.keputusan import jendela_iii_lewat
from .views import _pinjaman, detail_konteks, halaman, lingkup, tanggal_per


def _form_surat(run, data=None, *, user):
    initial = {"status_terlihat": run.status}
    if run.status == "tagih":
        initial["tanggal"] = timezone.localdate()
        return TanggalForm(
            data, pengguna=user, label=_("Letter date"), initial=initial, auto_id=f"id_t{run.pk}_%s"
        )
    return LangkahForm(data, pengguna=user, initial=initial, auto_id=f"id_t{run.pk}_%s")


def konteks_penagihan(request, p: Pinjaman, **extra) -> dict:
    """The loan page's collection and decision sections: its letters with their step, clock,
    action form; restructurings and write-offs; the log and clocks of all its runs."""
    user = request.user
    runs = list(
        JalanPenagihan.objects.filter(pinjaman=p)
        .select_related("sop")
        .order_by("-siklus", "-tingkat")
    )
    jam = sel.jam_per_jalan(runs)
    for r in runs:
        r.jam = jam.get(r.pk)
        r.langkah = r.langkah_untuk(None)
        r.boleh = bool(r.langkah and engine.cari_izin(r, user, r.langkah))
        r.kurang = r.syarat_langkah(r.langkah) if r.langkah else []
        r.form = extra.get(f"form_{r.pk}") or (_form_surat(r, user=user) if r.boleh else None)
    restruk = list(
        Restrukturisasi.objects.filter(pinjaman=p).select_related("diajukan_oleh", "versi")
    )
    hapus = list(
        HapusBuku.objects.filter(pinjaman=p).select_related(
            "diajukan_oleh", "disetujui_1_oleh", "disetujui_2_oleh"
        )
    )
    for awalan, xs in (("r", restruk), ("h", hapus)):
        for x in xs:
            x.tombol = engine.transisi_tersedia(x, user)
            x.form = PutusForm(auto_id=f"id_{awalan}{x.pk}_%s") if x.tombol else None
    petugas = izin.boleh(user, p.wilayah_id, izin.PERAN_PETUGAS)
    now = timezone.now()
    aktif = p.status in (Pinjaman.Status.AKTIF, Pinjaman.Status.MENUNGGU_KEPUTUSAN)
    return {
        "tagihan": runs,
        "restruk": restruk,
        "hapus": hapus,
        "form_restruk": extra.get("form_restruk")
        or RestrukturisasiForm(
            initial={
                "tanggal": timezone.localdate(),
                "jasa_persen": p.jasa_persen,
                "metode": p.metode,
                "tenor": 12,
                "masa_tenggang": 0,
            },
            auto_id="id_rs_%s",
        ),
        "boleh_restruk": petugas
        and aktif
        and not any(x.status == Restrukturisasi.Status.DIAJUKAN for x in restruk),
        "form_hapus": extra.get("form_hapus")
        or HapusBukuForm(initial={"tanggal_sk": timezone.localdate()}, auto_id="id_hb_%s"),
        "boleh_hapus": petugas
        and p.status == Pinjaman.Status.MENUNGGU_KEPUTUSAN
        and jendela_iii_lewat(p, now)
        and not any(x.status in ("diajukan", "disetujui_kaupt") for x in hapus),
        "jejak": sel.jejak_rekaman(p, p.proposal),
        "jam_semua": sel.jam_rekaman(p, p.proposal),
    }


def tampil_pinjaman(request, p: Pinjaman, status: int = 200, **extra):
    ctx = detail_konteks(request, p, **extra)
    return render(request, "danabergulir/pinjaman_detail.html", ctx, status=status)


# ------------------------------------------------------------------ the collection board
@require_GET
def papan(request):
    qs = lingkup(request)
    per = tanggal_per(request)
    rows = sel.papan_penagihan(per, qs)
    page = halaman(request, rows)
    ids = [r.id for r in page]
    surat = sel.surat_terakhir(ids)
    jam = sel.jam_per_jalan(surat.values())
    info = {
        x["pk"]: x
        for x in Pinjaman.objects.filter(pk__in=ids).values(
            "pk", "status", "debitur__nama", "kecamatan__nama"
        )
    }
    baris = []
    for r in page:
        s = surat.get(r.id)
        baris.append(
            {
                "pos": r,
                "info": info.get(r.id, {}),
                "surat": s,
                "jam": jam.get(s.pk) if s else None,
                "langkah": s.langkah_untuk(None) if s else None,
            }
        )
    menunggu = (
        qs.filter(status=Pinjaman.Status.MENUNGGU_KEPUTUSAN)
        .select_related("debitur")
        .order_by("nomor")
    )
    return render(
        request,
        "danabergulir/penagihan.html",
        {
            "per": per,
            "page": page,
            "baris": baris,
            "menunggu": menunggu[:50],
            "jumlah_menunggu": menunggu.count(),
            "status_menunggu": Pinjaman.Status.MENUNGGU_KEPUTUSAN,
            "now_": timezone.now(),
        },
    )


# ------------------------------------------------------------------ a letter's steps
def _run(request, pk) -> JalanPenagihan:
    lingkup(request)
    return get_object_or_404(
        JalanPenagihan.objects.filter(
            pinjaman__in=sel.pinjaman_lingkup(request.user)
        ).select_related("pinjaman", "unit", "sop"),
        pk=pk,
    )


@require_POST
def penagihan_langkah(request, pk):
    run = _run(request, pk)
    p = _pinjaman(request, run.pinjaman_id)
    form = _form_surat(run, request.POST, user=request.user)
    if not form.is_valid():
        return tampil_pinjaman(request, p, status=400, **{f"form_{run.pk}": form})
    d = form.cleaned_data
    umum = {"run": run, "user": request.user, "status_terlihat": d.get("status_terlihat") or None}
    try:
        if run.status == "tugaskan-penagihan":
            services.penagihan_tugaskan(**umum)
        elif run.status == "tagih":
            services.penagihan_terbitkan_surat(**umum, tanggal=d["tanggal"])
        elif run.status == "catat-lapor-angsuran":
            services.penagihan_catat(**umum)
        else:
            services.penagihan_selesaikan(**umum, catatan=d["catatan"])
    except GagalTransisi as e:
        form.galat_umum(str(e))
        return tampil_pinjaman(request, p, status=e.status_http, **{f"form_{run.pk}": form})
    messages.success(request, _("Saved."))
    return redirect(run.get_absolute_url())


@require_GET
def surat_pdf(request, pk):
    run = _run(request, pk)
    from .dokumen import surat_tagihan_pdf

    if not run.nomor_surat:
        raise Http404
    return unduh_data(
        surat_tagihan_pdf(run), nama=f"surat-tagihan-{run.label_tingkat}-{run.pk}.pdf", jenis=PDF
    )


# ------------------------------------------------------------------ decisions on the loan
@require_POST
def restrukturisasi_ajukan(request, pk):
    p = _pinjaman(request, pk)
    form = RestrukturisasiForm(request.POST, auto_id="id_rs_%s")
    if form.is_valid():
        try:
            services.restrukturisasi_ajukan(pinjaman=p, user=request.user, **form.cleaned_data)
        except GagalTransisi as e:
            form.galat_umum(str(e))
            return tampil_pinjaman(request, p, status=e.status_http, form_restruk=form)
        messages.success(request, _("The restructuring waits for the Kepala UPT's approval."))
        return redirect(p.get_absolute_url() + "#keputusan")
    return tampil_pinjaman(request, p, status=400, form_restruk=form)


@require_POST
def hapus_buku_ajukan(request, pk):
    p = _pinjaman(request, pk)
    form = HapusBukuForm(request.POST, auto_id="id_hb_%s")
    if form.is_valid():
        try:
            services.hapus_buku_ajukan(pinjaman=p, user=request.user, **form.cleaned_data)
        except GagalTransisi as e:
            form.galat_umum(str(e))
            return tampil_pinjaman(request, p, status=e.status_http, form_hapus=form)
        messages.success(request, _("The write-off waits for the Kepala UPT's approval."))
        return redirect(p.get_absolute_url() + "#keputusan")
    return tampil_pinjaman(request, p, status=400, form_hapus=form)


@require_POST
def keputusan_putus(request, pk, jenis: str, keputusan_pk: int):
    """Approve or refuse a restructuring or a write-off (the engine checks the role)."""
    p = _pinjaman(request, pk)
    model = {"restrukturisasi": Restrukturisasi, "hapus-buku": HapusBuku}.get(jenis)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=keputusan_pk, pinjaman=p)
    form = PutusForm(request.POST, auto_id="id_pt_%s")
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
        return redirect(p.get_absolute_url() + "#keputusan")
    setuju = form.cleaned_data["keputusan"] == "setujui"
    catatan = form.cleaned_data["catatan"]
    try:
        if model is Restrukturisasi and setuju:
            services.restrukturisasi_setujui(
                restrukturisasi=obj, user=request.user, catatan=catatan
            )
        elif model is Restrukturisasi:
            services.restrukturisasi_tolak(restrukturisasi=obj, user=request.user, alasan=catatan)
        elif setuju:
            services.hapus_buku_setujui(hapus_buku=obj, user=request.user, catatan=catatan)
        else:
            services.hapus_buku_tolak(hapus_buku=obj, user=request.user, alasan=catatan)
    except GagalTransisi as e:
        messages.error(request, str(e))
        return tampil_pinjaman(request, p, status=e.status_http)
    messages.success(request, _("Saved."))
    return redirect(p.get_absolute_url() + "#keputusan")
