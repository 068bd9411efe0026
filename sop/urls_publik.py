"""Public pages (no login): application tracking. Mounted at /lacak/ in config/urls.py."""

from django.urls import path

from . import views_publik

app_name = "publik"
urlpatterns = [
    path("", views_publik.lacak, name="lacak"),
    path("<str:kode>/", views_publik.lacak, name="lacak_kode"),
]
