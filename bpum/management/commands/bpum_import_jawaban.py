from bpum.models import ImporRekap
from bpum.perintah import ImporCommand, cari_wilayah
from sop.models import Wilayah


class Command(ImporCommand):
    help = (
        "Impor jawaban kementerian (xlsx: NIK, Status DITERIMA/DITOLAK, Keterangan) untuk satu "
        "kabupaten, atau --provinsi untuk semua kabupaten provinsi yang bekerja di portal. "
        "Exit 0 tersimpan, 1 berkas berisi kesalahan, 2 salah pemakaian."
    )
    jenis = ImporRekap.Jenis.JAWABAN

    def add_arguments(self, parser):
        super().add_arguments(parser)
        wilayah = parser.add_mutually_exclusive_group(required=True)
        wilayah.add_argument("--kabupaten", help="kode kabupaten, mis. 14.04")
        wilayah.add_argument("--provinsi", help="kode provinsi, mis. 14")

    def wilayah(self, opts):
        if opts.get("provinsi"):
            return cari_wilayah(opts["provinsi"], Wilayah.Tingkat.PROVINSI)
        return cari_wilayah(opts["kabupaten"], Wilayah.Tingkat.KABUPATEN)
