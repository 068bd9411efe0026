from danabergulir.izin import LAYANAN
from danabergulir.models import ImporBerkas
from danabergulir.perintah import ImporCommand, galat_pakai
from sop.selectors import penugasan_aktif


class Command(ImporCommand):
    help = (
        "Impor rekening koran (xlsx/csv) ke buku pinjaman unit UPT pengguna: kredit yang memuat "
        "nomor pinjaman diposting, sisanya masuk daftar belum cocok. Exit 0 tersimpan, 1 berkas "
        "berisi kesalahan, 2 salah pemakaian."
    )
    jenis = ImporBerkas.Jenis.REKENING
    kosong = {"posted": 0, "duplicate": 0, "unmatched": 0}

    def unit(self, opts, user):
        units = {
            t.unit.pk: t.unit
            for t in penugasan_aktif(user)
            if LAYANAN in t.layanan and t.unit.jenis == "upt" and not t.hanya_baca
        }
        if len(units) != 1:
            raise galat_pakai(
                "Pengguna harus bertugas di tepat satu UPT dana bergulir untuk mengimpor rekening koran."
            )
        return next(iter(units.values()))
