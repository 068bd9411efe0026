from django.conf import settings

from .modul import modul_untuk
from .selectors import penugasan_aktif


def portal(request):
    user = getattr(request, "user", None)
    belum_dibaca = 0
    modul = []
    if user is not None and user.is_authenticated:
        belum_dibaca = user.notifikasi.filter(dibaca__isnull=True).count()
        layanan = {lay for t in penugasan_aktif(user) for lay in t.layanan}
        modul = modul_untuk(layanan, semua=user.is_superuser)
    return {
        "PORTAL_NAMA": settings.PORTAL_NAMA,
        "notifikasi_baru": belum_dibaca,
        "modul_saya": modul,
    }
