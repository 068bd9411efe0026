from django.urls import path

from . import views

app_name = "danabergulir"
urlpatterns = [
    path("", views.beranda, name="beranda"),
]
