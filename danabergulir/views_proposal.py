"""Screens of SOP 17-20: the proposal queue by step, registration, the proposal page (its
current step's form, survey, decision, agreement, documents, clocks and step log), and the
decrees (SK Penetapan) with the bank's list.

Thin views: reads through ``selectors``, writes through ``services`` (every step through the
engine); a refused action re-renders the page with the engine's message and its HTTP status.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from sop import engine
from sop.engine import GagalTransisi
from sop.idempoten import token_baru, token_sah
from sop.unduh import unduh_berkas, unduh_data
from sop.unggah import PDF

from . import izin, services
from . import selectors as sel
from .forms import JaminanForm
from .forms_proses import (
    AjukanUlangForm,
    KeputusanForm,
    LangkahForm,
    ProposalForm,
    RekeningForm,
    SkForm,
    SurveiForm,
    TanggalForm,
    TugaskanSurveiForm,
    UndanganForm,
)
from .models import (
    FotoSurvei,
    JalanProposal,
    Jaminan,
    KeputusanProposal,
    Pinjaman,
    Proposal,
    SkPenetapan,
    Survei,
)
from .services.proposal import jalan_terbuka
from .views import halaman, lingkup, unit_kerja

SOP_LABEL = {
    "PACITAN-17": _l("Proposal submission"),
    "PACITAN-18": _l("Field survey"),
    "PACITAN-19": _l("Decision"),
    "PACITAN-20": _l("Disbursement"),
}

# the current step -> (form class, service, extra form kwargs); "umum": complete / decide
FORM_LANGKAH = {
    "ajukan-proposal": AjukanUlangForm,
    "catat-buku-proposal": LangkahForm,
    "tugaskan-verifikasi": TugaskanSurveiForm,
    "sampaikan-undangan": UndanganForm,
    "laksanakan-perjanjian": TanggalForm,
    "realisasi-kredit": TanggalForm,
}
LEWAT_SK = ("rapat-penentuan", "serahkan-daftar-bank")


def _proposal(request, pk) -> Proposal:
    lingkup(request)
    return get_object_or_404(
        sel.proposal_lingkup(request.user).select_related(
            "unit", "kecamatan", "desa", "petugas_survei", "dibuat_oleh"
        ),
        pk=pk,
    )


def _form_langkah(run, data=None, files=None, *, user):
    kode = run.status
    kelas = FORM_LANGKAH.get(kode, LangkahForm)
    kw: dict = {"pengguna": user, "initial": {"status_terlihat": kode}, "auto_id": "id_langkah_%s"}
    if kelas is TugaskanSurveiForm:
        kw["unit"] = run.unit
    if kelas is TanggalForm:
        kw["label"] = (
            _("Agreement date") if kode == "laksanakan-perjanjian" else _("Realisation date")
        )
        kw["initial"]["tanggal"] = timezone.localdate()
    if kelas is UndanganForm:
        kw["initial"]["tanggal"] = timezone.localdate()
    return kelas(data, files, **kw)


def _konteks(request, p: Proposal, **extra) -> dict:
    run = jalan_terbuka(p)
    user = request.user
    langkah = run.langkah_untuk(None) if run else None
    boleh = bool(run and langkah and engine.cari_izin(run, user, langkah))
    survei = Survei.objects.filter(proposal=p).first()
    keputusan = KeputusanProposal.objects.filter(proposal=p).select_related("sk").first()
    petugas = izin.boleh(user, p.wilayah_id)
    sebelum_pk = bool(
        run
        and run.sop.kode == "PACITAN-20"
        and run.status
        in (
            "tugaskan-agenda-perjanjian",
            "tugaskan-persiapan-berkas",
            "sampaikan-undangan",
            "terima-undangan",
            "laksanakan-perjanjian",
        )
    )
    ctx = {
        "p": p,
        "run": run,
        "langkah": langkah,
        "sop_label": SOP_LABEL.get(run.sop.kode, "") if run else "",
        "jam": sel.jam_per_jalan([run]).get(run.pk) if run else None,
        "kurang": run.syarat_langkah(langkah) if run and langkah else [],
        "boleh": boleh,
        "tombol": engine.transisi_tersedia(run, user) if boleh else [],
        "khusus": run.status in FORM_LANGKAH if run else False,
        "lewat_sk": run.status in LEWAT_SK if run else False,
        "form_langkah": _form_langkah(run, user=user) if boleh else None,
        "survei": survei,
        "foto": list(survei.foto.all()) if survei else [],
        "form_survei": SurveiForm(
            pengguna=user, auto_id="id_survei_%s", initial=_awal_survei(survei)
        )
        if boleh and run.status == "verifikasi-lapangan"
        else None,
        "keputusan": keputusan,
        "jaminan": list(Jaminan.objects.filter(proposal=p).order_by("pk")),
        "ubah_perjanjian": sebelum_pk and petugas,
        "form_rekening": RekeningForm(
            initial={"nama_bank": p.nama_bank, "nomor_rekening": p.nomor_rekening},
            auto_id="id_rek_%s",
        ),
        "form_jaminan": JaminanForm(
            initial={"atas_nama": p.nama, "tanggal_diterima": timezone.localdate()},
            auto_id="id_jam_%s",
        ),
        "pinjaman": Pinjaman.objects.filter(proposal=p).first(),
        "jejak": sel.jejak_rekaman(p),
        "jam_semua": sel.jam_rekaman(p),
    }
    ctx.update(extra)
    return ctx


def _awal_survei(s: Survei | None) -> dict:
    if s is None:
        return {"tanggal": timezone.localdate()}
    return {
        f: getattr(s, f)
        for f in (
            "tanggal",
            "usaha",
            "omzet_bulanan",
            "aset",
            "jaminan_ditawarkan",
            "nilai_jaminan",
            "plafon_rekomendasi",
            "catatan",
        )
    }


def _tampil(request, p: Proposal, status: int = 200, **extra):
    return render(
        request, "danabergulir/proposal_detail.html", _konteks(request, p, **extra), status=status
    )


# ------------------------------------------------------------------ queue and registration
@require_GET
def proposal_daftar(request):
    lingkup(request)
    f = {k: request.GET.get(k, "").strip() for k in ("sop", "langkah")}
    qs = sel.antrean_proposal(request.user, sop=f["sop"], langkah=f["langkah"])
    page = halaman(request, qs)
    jam = sel.jam_per_jalan(page.object_list)
    for r in page:
        r.jam = jam.get(r.pk)
        lk = r.langkah_untuk(None)
        r.langkah_label = f"{lk.nomor}. {lk.kegiatan}" if lk else r.label_status()
        r.sop_label = SOP_LABEL.get(r.sop.kode, r.sop.nama)
    unit = unit_kerja(request)
    return render(
        request,
        "danabergulir/proposal_daftar.html",
        {
            "page": page,
            "f": f,
            "per_langkah": sel.hitung_per_langkah(request.user),
            "sop_label": SOP_LABEL,
            "boleh_daftar": unit is not None and izin.boleh(request.user, unit.wilayah_id),
        },
    )


def _form_proposal(request, data=None, files=None):
    unit = unit_kerja(request)
    return ProposalForm(
        data,
        files,
        pengguna=request.user,
        kabupaten=unit.wilayah_id if unit else "",
        initial={"tenor_diminta": 12},
    )


@require_GET
def proposal_baru(request):
    lingkup(request)
    unit = unit_kerja(request)
    if unit is None or not izin.boleh(request.user, unit.wilayah_id):
        raise PermissionDenied
    return render(
        request,
        "danabergulir/proposal_baru.html",
        {"form": _form_proposal(request), "token": token_baru()},
    )


@require_POST
def proposal_simpan(request):
    lingkup(request)
    unit = unit_kerja(request)
    if unit is None:
        raise PermissionDenied
    form = _form_proposal(request, request.POST, request.FILES)
    # the form's idempotency token: kept across a re-rendered form, fresh for a new one
    token = request.POST.get("token", "")
    if not token_sah(token):
        token = token_baru()
    ctx = {"form": form, "token": token}
    if form.is_valid():
        d = dict(form.cleaned_data)
        berkas = d.pop("berkas")
        try:
            p = services.proposal_daftarkan(
                user=request.user, unit=unit, data=d, berkas=berkas, token=token
            )
        except GagalTransisi as e:
            form.galat_umum(str(e))
            return render(request, "danabergulir/proposal_baru.html", ctx, status=e.status_http)
        form.hapus_berkas_sementara()
        messages.success(request, _("The proposal was registered; its check is next."))
        return redirect(p)
    return render(request, "danabergulir/proposal_baru.html", ctx, status=400)


# ------------------------------------------------------------------ the proposal page
@require_GET
def proposal_detail(request, pk):
    return _tampil(request, _proposal(request, pk))


@require_POST
def proposal_langkah(request, pk):
    """The current step's action: its own form (book, survey assignment, invitation,
    agreement, realisation, resubmission) or complete / decide with a note."""
    p = _proposal(request, pk)
    run = jalan_terbuka(p)
    if run is None:
        raise Http404
    form = _form_langkah(run, request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _tampil(request, p, status=400, form_langkah=form)
    d = form.cleaned_data
    umum = {"run": run, "user": request.user, "status_terlihat": d.get("status_terlihat") or None}
    aksi = request.POST.get("aksi", "selesaikan")
    try:
        kode = run.status
        if kode == "ajukan-proposal":
            services.proposal_ajukan_ulang(**umum, berkas=d.get("berkas"), catatan=d["catatan"])
        elif kode == "catat-buku-proposal":
            services.proposal_catat_buku(**umum)
        elif kode == "tugaskan-verifikasi":
            services.proposal_tugaskan_survei(**umum, petugas=d["petugas"])
        elif kode == "sampaikan-undangan":
            services.penyaluran_undangan(
                **umum, tanggal=d["tanggal"], jadwal=d["jadwal"], tempat=d["tempat"]
            )
        elif kode == "laksanakan-perjanjian":
            services.penyaluran_perjanjian(**umum, tanggal=d["tanggal"])
        elif kode == "realisasi-kredit":
            pj = services.penyaluran_realisasi(**umum, tanggal=d["tanggal"])
            messages.success(
                request,
                _("Loan %(n)s is active; its schedule runs from the realisation date.")
                % {"n": pj.nomor},
            )
        else:
            services.proposal_langkah(**umum, nama=aksi, catatan=d["catatan"])
    except GagalTransisi as e:
        form.galat_umum(str(e))
        return _tampil(request, p, status=e.status_http, form_langkah=form)
    if hasattr(form, "hapus_berkas_sementara"):
        form.hapus_berkas_sementara()
    messages.success(request, _("Saved."))
    return redirect(p)


@require_POST
def survei_simpan(request, pk):
    p = _proposal(request, pk)
    form = SurveiForm(request.POST, request.FILES, pengguna=request.user, auto_id="id_survei_%s")
    if not form.is_valid():
        return _tampil(request, p, status=400, form_survei=form)
    d = dict(form.cleaned_data)
    foto = d.pop("foto")
    ket = d.pop("keterangan_foto")
    try:
        services.survei_simpan(
            proposal=p, user=request.user, data=d, foto=[foto] if foto else [], keterangan=ket
        )
    except GagalTransisi as e:
        form.galat_umum(str(e))
        return _tampil(request, p, status=e.status_http, form_survei=form)
    form.hapus_berkas_sementara()
    messages.success(request, _("The survey worksheet was saved."))
    return redirect(p)


@require_POST
def rekening_simpan(request, pk):
    p = _proposal(request, pk)
    form = RekeningForm(request.POST, auto_id="id_rek_%s")
    if form.is_valid():
        try:
            services.penyaluran_rekening(proposal=p, user=request.user, **form.cleaned_data)
        except GagalTransisi as e:
            form.galat_umum(str(e))
            return _tampil(request, p, status=e.status_http, form_rekening=form)
        return redirect(p)
    return _tampil(request, p, status=400, form_rekening=form)


@require_POST
def jaminan_simpan(request, pk):
    p = _proposal(request, pk)
    form = JaminanForm(request.POST, instance=Jaminan(proposal=p), auto_id="id_jam_%s")
    if form.is_valid():
        try:
            services.penyaluran_jaminan(proposal=p, user=request.user, **form.cleaned_data)
        except GagalTransisi as e:
            form.add_error(None, str(e))
            return _tampil(request, p, status=e.status_http, form_jaminan=form)
        return redirect(p)
    return _tampil(request, p, status=400, form_jaminan=form)


@require_GET
def proposal_berkas(request, pk, jenis: str, nomor: int = 0):
    """The proposal's documents (scope checked first): the proposal, a survey photo, the
    signed agreement, or a draft of the agreement generated from the data."""
    from .dokumen import perjanjian_pdf

    p = _proposal(request, pk)
    if jenis == "proposal":
        return unduh_berkas(p.berkas, nama=f"proposal-{p.pk}")
    if jenis == "foto":
        f = get_object_or_404(FotoSurvei, survei__proposal=p, pk=nomor)
        return unduh_berkas(f.berkas, nama=f"survei-{p.pk}-{f.pk}")
    if jenis == "perjanjian":
        if not KeputusanProposal.objects.filter(proposal=p, disetujui=True).exists():
            raise Http404
        nama = f"perjanjian-{p.pk}.pdf" if p.nomor_perjanjian else f"draf-perjanjian-{p.pk}.pdf"
        return unduh_data(perjanjian_pdf(p), nama=nama, jenis=PDF)
    raise Http404


# ------------------------------------------------------------------ decrees
def _sk(request, pk) -> SkPenetapan:
    lingkup(request)
    return get_object_or_404(sel.sk_lingkup(request.user).select_related("unit"), pk=pk)


@require_GET
def sk_daftar(request):
    lingkup(request)
    unit = unit_kerja(request)
    return render(
        request,
        "danabergulir/sk_daftar.html",
        {
            "page": halaman(request, sel.sk_lingkup(request.user).order_by("-tanggal", "-pk")),
            "form": SkForm(initial={"tanggal": timezone.localdate()}),
            "boleh": unit is not None and izin.boleh(request.user, unit.wilayah_id),
        },
    )


@require_POST
def sk_buat(request):
    lingkup(request)
    unit = unit_kerja(request)
    form = SkForm(request.POST)
    if unit is not None and form.is_valid():
        try:
            sk = services.sk_buat(user=request.user, unit=unit, **form.cleaned_data)
        except GagalTransisi as e:
            messages.error(request, str(e))
            return redirect("danabergulir:sk_daftar")
        return redirect(sk)
    messages.error(request, _("Write the decree number and date."))
    return redirect("danabergulir:sk_daftar")


def _menunggu_rapat(request, sk):
    return (
        sel.proposal_lingkup(request.user)
        .filter(unit=sk.unit, jalan__status="rapat-penentuan", keputusan__isnull=True)
        .distinct()
        .order_by("nomor_buku", "pk")
    )


def _sk_konteks(request, sk, **extra) -> dict:
    baris = list(sk.keputusan.select_related("proposal", "proposal__kecamatan").order_by("pk"))
    ctx = {
        "sk": sk,
        "baris": baris,
        "jumlah": sum(k.plafon or 0 for k in baris if k.disetujui),
        "petugas": izin.boleh(request.user, sk.wilayah_id),
        "tombol": engine.transisi_tersedia(sk, request.user),
        "kurang": sk.syarat_transisi("tetapkan", None) if sk.status == "draf" else [],
        "form": KeputusanForm(proposal_qs=_menunggu_rapat(request, sk), auto_id="id_kep_%s"),
        "di_rapat": JalanProposal.objects.filter(
            proposal__keputusan__sk=sk, status="rapat-penentuan"
        ).count(),
        "ke_bank": JalanProposal.objects.filter(
            proposal__keputusan__sk=sk, status="serahkan-daftar-bank"
        ).count(),
        "bank": sel.daftar_bank(sk),
        "jejak": sel.jejak_rekaman(sk),
    }
    ctx.update(extra)
    return ctx


@require_GET
def sk_detail(request, pk):
    sk = _sk(request, pk)
    return render(request, "danabergulir/sk_detail.html", _sk_konteks(request, sk))


@require_POST
def sk_putuskan(request, pk):
    sk = _sk(request, pk)
    form = KeputusanForm(
        request.POST, proposal_qs=_menunggu_rapat(request, sk), auto_id="id_kep_%s"
    )
    if form.is_valid():
        try:
            services.sk_putuskan(sk=sk, user=request.user, **form.cleaned_data)
        except GagalTransisi as e:
            form.galat_umum(str(e))
            return render(
                request,
                "danabergulir/sk_detail.html",
                _sk_konteks(request, sk, form=form),
                status=e.status_http,
            )
        return redirect(sk)
    return render(
        request, "danabergulir/sk_detail.html", _sk_konteks(request, sk, form=form), status=400
    )


@require_POST
def sk_aksi(request, pk, aksi: str):
    """Take a proposal off the draft, sign, close the meeting, hand the list to the bank."""
    sk = _sk(request, pk)
    try:
        if aksi == "keluarkan":
            p = get_object_or_404(Proposal, pk=request.POST.get("proposal"), keputusan__sk=sk)
            services.sk_keluarkan(sk=sk, user=request.user, proposal=p)
        elif aksi == "tetapkan":
            services.sk_tetapkan(sk=sk, user=request.user)
            messages.success(request, _("The decree is signed."))
        elif aksi == "tutup-rapat":
            n = len(services.sk_tutup_rapat(sk=sk, user=request.user))
            messages.success(request, _("The meeting step of %(n)s proposals is done.") % {"n": n})
        elif aksi == "serahkan-bank":
            n = len(services.penyaluran_serahkan_bank(sk=sk, user=request.user))
            messages.success(request, _("%(n)s recipients were handed to the bank.") % {"n": n})
        else:
            raise Http404
    except GagalTransisi as e:
        messages.error(request, str(e))
        return render(
            request, "danabergulir/sk_detail.html", _sk_konteks(request, sk), status=e.status_http
        )
    return redirect(sk)


@require_GET
def sk_berkas(request, pk, jenis: str):
    from .dokumen import sk_pdf

    sk = _sk(request, pk)
    if jenis == "sk.pdf":
        nama = (
            f"sk-{sk.pk}.pdf"
            if sk.status == SkPenetapan.Status.DITETAPKAN
            else f"draf-sk-{sk.pk}.pdf"
        )
        return unduh_data(sk_pdf(sk), nama=nama, jenis=PDF)
    if jenis == "daftar-bank.xlsx":
        if sk.status != SkPenetapan.Status.DITETAPKAN:
            raise Http404
        return unduh_data(sel.daftar_bank_xlsx(sk), nama=f"daftar-penerima-{sk.pk}.xlsx")
    raise Http404
