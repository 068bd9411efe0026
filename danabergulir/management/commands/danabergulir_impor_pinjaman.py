from danabergulir.models import ImporBerkas
from danabergulir.perintah import ImporCommand, galat_pakai
from sop.models import Unit


class Command(ImporCommand):
    help = (
        "Impor buku pinjaman yang sudah ada (xlsx/csv): validasi semua baris lalu simpan semua "
        "atau tidak sama sekali. Exit 0 tersimpan, 1 berkas berisi kesalahan, 2 salah pemakaian."
    )
    jenis = ImporBerkas.Jenis.PINJAMAN
    kosong = {"created": 0, "updated": 0, "unchanged": 0}

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--unit", required=True, help="kode unit UPT")

    def unit(self, opts, user):
        u = Unit.objects.filter(kode=opts["unit"]).select_related("wilayah").first()
        if u is None:
            raise galat_pakai(f"Unit “{opts['unit']}” tidak dikenal.")
        return u
