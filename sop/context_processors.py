from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    belum_dibaca = 0
    if user is not None and user.is_authenticated:
        belum_dibaca = user.notifikasi.filter(dibaca__isnull=True).count()
    return {"PORTAL_NAMA": settings.PORTAL_NAMA, "notifikasi_baru": belum_dibaca}
