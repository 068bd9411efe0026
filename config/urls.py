from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from sop import views as sop_views
from sop.forms import MasukForm

urlpatterns = [
    path("", sop_views.beranda, name="beranda"),
    path(
        "masuk/",
        login_not_required(
            auth_views.LoginView.as_view(
                redirect_authenticated_user=True, authentication_form=MasukForm
            )
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "akun/kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("sehat/", sop_views.sehat, name="sehat"),
    path("favicon.ico", sop_views.favicon, name="favicon"),
    path("sop/", include("sop.urls")),
    path("lacak/", include("sop.urls_publik")),
    path("bpum/", include("bpum.urls")),
    path("izin/", include("perizinan.urls")),
    path("danabergulir/", include("danabergulir.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "sop.views.galat_403"
handler404 = "sop.views.galat_404"
handler500 = "sop.views.galat_500"
