"""Public pages (no login, phone-first): the services' standards, tracking, survey, complaints."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sop.engine import langkah_eksternal

from ..models import JenisLayanan
from ..sop_info import jangka_waktu_sop


@login_not_required
@require_GET
def layanan_daftar(request):
    qs = JenisLayanan.objects.publik().select_related("unit")
    return render(request, "perizinan/publik/layanan_daftar.html", {"layanan": qs})


@login_not_required
@require_GET
def layanan(request, kode):
    j = get_object_or_404(
        JenisLayanan.objects.publik()
        .select_related("unit")
        .prefetch_related("persyaratan", "keluaran"),
        kode=kode,
    )
    sop = j.sop_berlaku()
    langkah = []
    if sop is not None:
        kolom = sop.kolom_per_peran()
        for lk in sorted(sop.langkah_per_kode().values(), key=lambda x: x.nomor):
            pelaku = [
                (kolom[p.pk].nama if p.pk in kolom and kolom[p.pk].nama else p.nama)
                for p in lk.pelaksana.all()
            ]
            langkah.append(
                {
                    "nomor": lk.nomor,
                    "kegiatan": lk.kegiatan.splitlines()[0],
                    "pelaku": ", ".join(pelaku),
                    "waktu": lk.waktu if lk.batas_obj.dilacak else "",
                    "luar": langkah_eksternal(lk),
                    "ya": lk.cabang_ya,
                    "tidak": lk.cabang_tidak,
                }
            )
    return render(
        request,
        "perizinan/publik/layanan.html",
        {"j": j, "sop": sop, "langkah": langkah, "jangka": jangka_waktu_sop(sop) if sop else None},
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survei(request, token):
    """The SKM form opened from the QR on the handover receipt (one answer per token)."""
    from .. import skm
    from ..forms import SurveiForm

    p = skm.permohonan_survei(token)
    if p is None:
        return render(request, "perizinan/publik/survei_tutup.html", status=404)
    form = SurveiForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                skm.survei_simpan(
                    token=token,
                    skor=form.skor(),
                    profil=form.profil(),
                    saran=form.cleaned_data["saran"],
                )
            except ValidationError as e:
                form.add_error(None, " ".join(e.messages))
            else:
                return render(request, "perizinan/publik/survei_terima_kasih.html", {"j": p.jenis})
        return render(
            request, "perizinan/publik/survei.html", {"form": form, "j": p.jenis}, status=400
        )
    return render(request, "perizinan/publik/survei.html", {"form": form, "j": p.jenis})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def pengaduan(request):
    """File a complaint: about my request (its tracking code + PIN, under the failed-lookup
    limit) or about a service (anonymous; a complaint code + PIN is given to follow it)."""
    from sop import lacak

    from .. import pengaduan as aduan
    from ..models import Permohonan

    layanan = list(JenisLayanan.objects.publik().select_related("unit"))
    ctx = {
        "layanan": layanan,
        "data": {"layanan": request.GET.get("layanan", ""), "tentang": "layanan"},
        "galat": {},
    }
    if request.method == "POST":
        d = {
            k: request.POST.get(k, "")
            for k in ("tentang", "kode", "pin", "layanan", "isi", "nama", "kontak")
        }
        ctx["data"] = d
        permohonan = jenis = None
        if d["tentang"] == "permohonan":
            hasil = lacak.coba(request, lambda: lacak.cari(d["kode"], d["pin"]))
            if hasil.tahanan:
                return lacak.render_tahanan(
                    request, "perizinan/publik/pengaduan.html", ctx, hasil.tahanan
                )
            if not isinstance(hasil.hasil, Permohonan):
                ctx["galat"]["kode"] = _("No licensing request matches this code and PIN.")
            permohonan = hasil.hasil if isinstance(hasil.hasil, Permohonan) else None
        else:
            jenis = next((j for j in layanan if j.kode == d["layanan"]), None)
        if not ctx["galat"]:
            try:
                a, pin = aduan.pengaduan_ajukan(
                    isi=d["isi"],
                    jenis=jenis,
                    permohonan=permohonan,
                    nama=d["nama"],
                    kontak=d["kontak"],
                )
            except ValidationError as e:
                ctx["galat"].update({k: " ".join(v) for k, v in e.message_dict.items()})
            else:
                return render(
                    request,
                    "perizinan/publik/pengaduan_diterima.html",
                    {"a": a, "pin": pin, "permohonan": permohonan},
                )
        return render(request, "perizinan/publik/pengaduan.html", ctx, status=400)
    return render(request, "perizinan/publik/pengaduan.html", ctx)
