from django.urls import path

from . import views, views_bayar, views_berkas, views_penagihan, views_proposal, views_siklus

app_name = "danabergulir"
urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("pinjaman/", views.pinjaman_daftar, name="pinjaman_daftar"),
    path("pinjaman/<int:pk>/", views.pinjaman_detail, name="pinjaman_detail"),
    path(
        "pinjaman/<int:pk>/bayar/<int:bayar_pk>/balik/",
        views_bayar.pembayaran_balik,
        name="pembayaran_balik",
    ),
    path("pinjaman/<int:pk>/jaminan/", views_bayar.jaminan_tambah, name="jaminan_tambah"),
    path(
        "pinjaman/<int:pk>/jaminan/<int:jaminan_pk>/kembali/",
        views_bayar.jaminan_kembalikan,
        name="jaminan_kembalikan",
    ),
    path("suspense/", views.suspense_daftar, name="suspense"),
    path("suspense/<int:pk>/cocokkan/", views_bayar.suspense_cocokkan, name="suspense_cocokkan"),
    path("suspense/<int:pk>/abaikan/", views_bayar.suspense_abaikan, name="suspense_abaikan"),
    path("dasbor/", views.dasbor, name="dasbor"),
    path("laporan/", views.laporan, name="laporan"),
    path(
        "laporan/<str:bulan>/unduh.<str:format>",
        views.laporan_unduh,
        name="laporan_unduh",
    ),
    path("impor/", views_berkas.impor_daftar, name="impor_daftar"),
    path("impor/unggah/", views_berkas.impor_unggah, name="impor_unggah"),
    path("impor/template-<str:jenis>.xlsx", views_berkas.impor_template, name="impor_template"),
    path("impor/<int:pk>/", views_berkas.impor_detail, name="impor_detail"),
    path("impor/<int:pk>/simpan/", views_berkas.impor_terapkan, name="impor_terapkan"),
    path("impor/<int:pk>/kesalahan.xlsx", views_berkas.impor_anotasi, name="impor_anotasi"),
    # SOP 17-20
    path("proposal/", views_proposal.proposal_daftar, name="proposal_daftar"),
    path("proposal/baru/", views_proposal.proposal_baru, name="proposal_baru"),
    path("proposal/simpan/", views_proposal.proposal_simpan, name="proposal_simpan"),
    path("proposal/<int:pk>/", views_proposal.proposal_detail, name="proposal_detail"),
    path("proposal/<int:pk>/langkah/", views_proposal.proposal_langkah, name="proposal_langkah"),
    path("proposal/<int:pk>/survei/", views_proposal.survei_simpan, name="survei_simpan"),
    path("proposal/<int:pk>/rekening/", views_proposal.rekening_simpan, name="rekening_simpan"),
    path("proposal/<int:pk>/jaminan/", views_proposal.jaminan_simpan, name="proposal_jaminan"),
    path(
        "proposal/<int:pk>/berkas/<str:jenis>/",
        views_proposal.proposal_berkas,
        name="proposal_berkas",
    ),
    path(
        "proposal/<int:pk>/berkas/<str:jenis>/<int:nomor>/",
        views_proposal.proposal_berkas,
        name="proposal_berkas_n",
    ),
    path("sk/", views_proposal.sk_daftar, name="sk_daftar"),
    path("sk/baru/", views_proposal.sk_buat, name="sk_buat"),
    path("sk/<int:pk>/", views_proposal.sk_detail, name="sk_detail"),
    path("sk/<int:pk>/putuskan/", views_proposal.sk_putuskan, name="sk_putuskan"),
    path("sk/<int:pk>/aksi/<str:aksi>/", views_proposal.sk_aksi, name="sk_aksi"),
    path("sk/<int:pk>/<str:jenis>", views_proposal.sk_berkas, name="sk_berkas"),
    # SOP 21-23 and the loan's decisions
    path("penagihan/", views_penagihan.papan, name="penagihan"),
    path(
        "penagihan/<int:pk>/langkah/", views_penagihan.penagihan_langkah, name="penagihan_langkah"
    ),
    path("penagihan/<int:pk>/surat.pdf", views_penagihan.surat_pdf, name="surat_pdf"),
    path(
        "pinjaman/<int:pk>/restrukturisasi/",
        views_penagihan.restrukturisasi_ajukan,
        name="restrukturisasi_ajukan",
    ),
    path(
        "pinjaman/<int:pk>/hapus-buku/",
        views_penagihan.hapus_buku_ajukan,
        name="hapus_buku_ajukan",
    ),
    path(
        "pinjaman/<int:pk>/<str:jenis>/<int:keputusan_pk>/putus/",
        views_penagihan.keputusan_putus,
        name="keputusan_putus",
    ),
    # SOP 24
    path("siklus/<int:pk>/langkah/", views_siklus.siklus_langkah, name="siklus_langkah"),
    path("siklus/<int:pk>/berkas.<str:jenis>", views_siklus.siklus_berkas, name="siklus_berkas"),
]
