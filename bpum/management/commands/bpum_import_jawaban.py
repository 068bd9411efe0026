from bpum.models import ImporRekap
from bpum.perintah import ImporCommand, cari_wilayah
from sop.models import Wilayah


class Command(ImporCommand):
    help = (
        "Impor jawaban kementerian (xlsx: NIK, Status DITERIMA/DITOLAK, Keterangan) untuk satu "
        "kabupaten. Exit 0 tersimpan, 1 berkas berisi kesalahan, 2 salah pemakaian."
    )
    jenis = ImporRekap.Jenis.JAWABAN

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--kabupaten", required=True, help="kode kabupaten, mis. 14.04")

    def wilayah(self, opts):
        return cari_wilayah(opts["kabupaten"], Wilayah.Tingkat.KABUPATEN)
