"""Admin: the round and the reason catalogue are edited here; proposals, batches and imports are
read-only (states change only through bpum.services and the engine)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from sop.admin import HanyaBacaAdmin, ImporEksporPortal
from sop.models import Wilayah
from sop.sumber_impor import DaftarTeksWidget, KodeWidget, ResourcePortal, TanggalWidget, kolom

from . import models as m


class PeriodeResource(ResourcePortal):
    """BPUM rounds by code and regency (Kemendagri code); documents as codes "ktp, kk, usaha"."""

    kode = kolom("kode")
    nama = kolom("nama")
    wilayah = kolom("wilayah", KodeWidget(Wilayah, "kode", "wilayah", gettext_lazy("region")))
    dibuka = kolom("dibuka", TanggalWidget("dibuka"))
    ditutup = kolom("ditutup", TanggalWidget("ditutup"))
    dokumen_wajib = kolom(
        "dokumen_wajib", DaftarTeksWidget("dokumen_wajib", boleh=m.Dokumen.values)
    )
    keterangan = kolom("keterangan")

    class Meta(ResourcePortal.Meta):
        model = m.Periode
        import_id_fields = ["kode", "wilayah"]
        fields = ["kode", "nama", "wilayah", "dibuka", "ditutup", "dokumen_wajib", "keterangan"]


@admin.register(m.Periode)
class PeriodeAdmin(ImporEksporPortal):
    resource_classes = [PeriodeResource]
    list_display = ["kode", "nama", "wilayah", "dibuka", "ditutup"]
    list_select_related = ["wilayah"]
    search_fields = ["kode", "nama"]
    autocomplete_fields = ["wilayah"]


@admin.register(m.AlasanPengembalian)
class AlasanPengembalianAdmin(admin.ModelAdmin):
    list_display = ["teks", "kode", "aktif", "urutan"]
    list_editable = ["aktif", "urutan"]
    search_fields = ["teks", "kode"]


@admin.register(m.Usulan)
class UsulanAdmin(HanyaBacaAdmin):
    list_display = ["nomor", "nama", "wilayah", "status", "duplikat", "dibuat"]
    list_filter = ["status", "duplikat", "sumber"]
    list_select_related = ["wilayah"]
    search_fields = ["=nomor", "=nik", "nama"]
    show_full_result_count = False
    date_hierarchy = "dibuat"


@admin.register(m.Rekap)
class RekapAdmin(HanyaBacaAdmin):
    list_display = ["nomor", "tingkat", "wilayah", "status", "jumlah", "dikirim_pada"]
    list_filter = ["tingkat", "status"]
    list_select_related = ["wilayah"]
    search_fields = ["nomor"]


@admin.register(m.DuplikatKeputusan)
class DuplikatKeputusanAdmin(HanyaBacaAdmin):
    list_display = ["nik", "keputusan", "dipertahankan", "user", "waktu"]
    list_select_related = ["dipertahankan", "user"]
    search_fields = ["=nik"]


@admin.register(m.ImporRekap)
class ImporRekapAdmin(HanyaBacaAdmin):
    list_display = [
        "nama_berkas",
        "jenis",
        "wilayah",
        "status",
        "total_baris",
        "jumlah_galat",
        "dibuat_oleh",
        "dibuat",
    ]
    list_filter = ["jenis", "status"]
    list_select_related = ["wilayah", "dibuat_oleh"]
    exclude = ["errors", "pratinjau"]


@admin.register(m.EksporRekap)
class EksporRekapAdmin(HanyaBacaAdmin):
    list_display = ["wilayah", "status", "jumlah", "dibuat_oleh", "dibuat"]
    list_select_related = ["wilayah", "dibuat_oleh"]
