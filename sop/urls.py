from django.urls import path

from . import views

app_name = "sop"
urlpatterns = [
    path("tugas/", views.tugas_saya, name="tugas"),
    path("notifikasi/", views.notifikasi, name="notifikasi"),
    path("notifikasi/baca/", views.notifikasi_baca, name="notifikasi_baca"),
    path("lewat-tenggat/", views.lewat_tenggat, name="lewat_tenggat"),
    path("kepatuhan/", views.kepatuhan, name="kepatuhan"),
    path("kepatuhan.xlsx", views.kepatuhan_xlsx, name="kepatuhan_xlsx"),
    path("definisi/", views.sop_daftar, name="daftar"),
    path("definisi/<int:pk>/", views.sop_detail, name="detail"),
    path("definisi/<int:pk>/pdf/", views.sop_pdf, name="pdf"),
    path("permohonan/", views.permohonan_daftar, name="permohonan_daftar"),
    path("permohonan/baru/", views.permohonan_baru, name="permohonan_baru"),
    path("permohonan/<int:pk>/", views.permohonan_detail, name="permohonan_detail"),
    path(
        "permohonan/<int:pk>/transisi/<str:nama>/",
        views.permohonan_transisi,
        name="permohonan_transisi",
    ),
    path("permohonan/<int:pk>/lampiran/", views.permohonan_lampiran, name="permohonan_lampiran"),
    path(
        "permohonan/<int:pk>/tanda-terima/",
        views.permohonan_tanda_terima,
        name="permohonan_tanda_terima",
    ),
    path("permohonan/<int:pk>/hasil/", views.permohonan_hasil, name="permohonan_hasil"),
    path(
        "permohonan/<int:pk>/hasil/unduh/",
        views.permohonan_hasil_unduh,
        name="permohonan_hasil_unduh",
    ),
    path(
        "permohonan/<int:pk>/lampiran/<int:lampiran_id>/",
        views.permohonan_lampiran_unduh,
        name="permohonan_lampiran_unduh",
    ),
]
