from django.urls import path

from . import views, views_bayar, views_berkas

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
]
