from django.urls import path

from . import views, views_berkas

app_name = "bpum"
urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("usulan/", views.usulan_daftar, name="usulan_daftar"),
    path("usulan/baru/", views.usulan_baru, name="usulan_baru"),
    path("usulan/<int:pk>/", views.usulan_detail, name="usulan_detail"),
    path("usulan/<int:pk>/transisi/<str:nama>/", views.usulan_transisi, name="usulan_transisi"),
    path("usulan/<int:pk>/unggah/", views.usulan_unggah, name="usulan_unggah"),
    path("usulan/<int:pk>/pernyataan/", views.usulan_pernyataan, name="usulan_pernyataan"),
    path("usulan/<int:pk>/ubah/", views.usulan_ubah, name="usulan_ubah"),
    path("usulan/<int:pk>/dokumen/<str:jenis>/", views.usulan_dokumen, name="usulan_dokumen"),
    path("usulan/<int:pk>/tanda-terima.pdf", views.usulan_tanda_terima, name="usulan_tanda_terima"),
    path("rekap/", views.rekap_daftar, name="rekap_daftar"),
    path("rekap/susun/", views.rekap_susun, name="rekap_susun"),
    path("rekap/kabupaten/", views.rekap_kabupaten_susun, name="rekap_kabupaten_susun"),
    path("rekap/<int:pk>/", views.rekap_detail, name="rekap_detail"),
    path("rekap/<int:pk>/unduh.xlsx", views_berkas.rekap_unduh, name="rekap_unduh"),
    path("rekap/<int:pk>/<str:aksi>/", views.rekap_aksi, name="rekap_aksi"),
    path("duplikat/", views.duplikat_daftar, name="duplikat_daftar"),
    path("duplikat/<int:pk>/", views.duplikat_detail, name="duplikat_detail"),
    path("duplikat/<int:pk>/putuskan/", views.duplikat_putuskan, name="duplikat_putuskan"),
    path("dasbor/", views.dasbor, name="dasbor"),
    path("impor/", views_berkas.impor_daftar, name="impor_daftar"),
    path("impor/unggah/", views_berkas.impor_unggah, name="impor_unggah"),
    path("impor/template.xlsx", views_berkas.impor_template, name="impor_template"),
    path("impor/<int:pk>/", views_berkas.impor_detail, name="impor_detail"),
    path("impor/<int:pk>/simpan/", views_berkas.impor_terapkan, name="impor_terapkan"),
    path("impor/<int:pk>/ulang/", views_berkas.impor_ulang, name="impor_ulang"),
    path("impor/<int:pk>/kesalahan.xlsx", views_berkas.impor_anotasi, name="impor_anotasi"),
    path("ekspor/", views_berkas.ekspor_form, name="ekspor"),
    path("ekspor/buat/", views_berkas.ekspor_buat, name="ekspor_buat"),
    path("ekspor/<int:pk>/", views_berkas.ekspor_detail, name="ekspor_detail"),
    path("ekspor/<int:pk>/unduh/", views_berkas.ekspor_unduh, name="ekspor_unduh"),
    path("status/", views.publik_status, name="publik_status"),
]
