from bpum.models import ImporRekap
from bpum.perintah import ImporCommand, cari_wilayah
from sop.models import Wilayah


class Command(ImporCommand):
    help = (
        "Impor rekap kecamatan (xlsx) ke periode BPUM: validasi semua baris lalu simpan semua atau "
        "tidak sama sekali. Exit 0 tersimpan, 1 berkas berisi kesalahan, 2 salah pemakaian."
    )
    jenis = ImporRekap.Jenis.REKAP

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--kecamatan", required=True, help="kode kecamatan, mis. 14.04.04")
        parser.add_argument(
            "--desa",
            help="kode desa/kelurahan untuk berkas satu desa tanpa kolom Desa/Kelurahan, "
            "mis. 14.04.04.1001",
        )

    def wilayah(self, opts):
        return cari_wilayah(opts["kecamatan"], Wilayah.Tingkat.KECAMATAN)
