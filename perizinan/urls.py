from django.urls import path

from .views import aduan, antrean, laporan, loket, publik, skm

app_name = "perizinan"
urlpatterns = [
    path("", loket.beranda, name="beranda"),
    path("terima/", loket.terima, name="terima"),
    path("antrean/", antrean.antrean, name="antrean"),
    path("permohonan/", loket.daftar, name="daftar"),
    path("permohonan/<int:pk>/", loket.detail, name="detail"),
    path("permohonan/<int:pk>/aksi/<str:nama>/", loket.transisi, name="transisi"),
    path("permohonan/<int:pk>/berkas/", loket.berkas_simpan, name="berkas"),
    path("permohonan/<int:pk>/hasil/", loket.hasil_catat, name="hasil"),
    path("permohonan/<int:pk>/berkas/<int:berkas_id>/", loket.unduh_berkas, name="unduh_berkas"),
    path("permohonan/<int:pk>/hasil/<int:hasil_id>/", loket.unduh_hasil, name="unduh_hasil"),
    path("permohonan/<int:pk>/tanda-terima/", loket.tanda_terima, name="tanda_terima"),
    path("permohonan/<int:pk>/tanda-serah/", loket.tanda_serah, name="tanda_serah"),
    path("register/", laporan.register, name="register"),
    path("register/unduh.xlsx", laporan.register_xlsx, name="register_xlsx"),
    path("kinerja/", laporan.dasbor, name="dasbor"),
    path("pengaduan/", aduan.pengaduan_daftar, name="pengaduan_daftar"),
    path("pengaduan/<int:pk>/", aduan.pengaduan_detail, name="pengaduan_detail"),
    path("pengaduan/<int:pk>/jawab/", aduan.pengaduan_jawab, name="pengaduan_jawab"),
    path("skm/", skm.skm, name="skm"),
    path("skm/unggah/", skm.skm_unggah, name="skm_unggah"),
    path("skm/impor/<int:pk>/", skm.skm_impor_detail, name="skm_impor"),
    path("skm/impor/<int:pk>/simpan/", skm.skm_impor_terapkan, name="skm_impor_terapkan"),
    path("skm/laporan.xlsx", skm.skm_xlsx, name="skm_xlsx"),
    path("skm/laporan.pdf", skm.skm_pdf, name="skm_pdf"),
    path("skm/templat.xlsx", skm.skm_templat, name="skm_templat"),
    # public pages (no login)
    path("layanan/", publik.layanan_daftar, name="publik_layanan_daftar"),
    path("layanan/<slug:kode>/", publik.layanan, name="publik_layanan"),
    path("survei/<str:token>/", publik.survei, name="publik_survei"),
    path("pengaduan/baru/", publik.pengaduan, name="publik_pengaduan"),
]
