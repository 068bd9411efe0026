from django.conf import settings

from .selectors import penugasan_aktif

# service code -> (url name of its home page, label) shown in the menu and on the home page
MODUL = {"bpum": ("bpum:beranda", "BPUM")}


def portal(request):
    user = getattr(request, "user", None)
    belum_dibaca = 0
    modul = []
    if user is not None and user.is_authenticated:
        belum_dibaca = user.notifikasi.filter(dibaca__isnull=True).count()
        layanan = {lay for t in penugasan_aktif(user) for lay in t.layanan}
        modul = [v for k, v in MODUL.items() if k in layanan or user.is_superuser]
    return {
        "PORTAL_NAMA": settings.PORTAL_NAMA,
        "notifikasi_baru": belum_dibaca,
        "modul_saya": modul,
    }
