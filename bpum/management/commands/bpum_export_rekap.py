import time

from django.core.management.base import BaseCommand

from bpum.ekspor import tulis_ekspor, usulan_ekspor
from bpum.models import Usulan
from bpum.perintah import cari_periode, cari_wilayah, galat_pakai
from sop.models import Wilayah


class Command(BaseCommand):
    help = (
        "Ekspor rekap BPUM ke xlsx dalam urutan kolom kementerian (NIK dan No KK sebagai teks): "
        "satu lembar per kecamatan dan lembar Ringkasan. Exit 2 untuk salah pemakaian."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kabupaten", required=True, help="kode kabupaten, mis. 14.04")
        parser.add_argument("--periode", required=True, help="kode periode, mis. BPUM-2021")
        parser.add_argument("--kecamatan", help="hanya satu kecamatan, mis. 14.04.04")
        parser.add_argument(
            "--status",
            action="append",
            default=[],
            help="status (boleh diulang atau dipisah koma): " + ", ".join(Usulan.Status.values),
        )
        parser.add_argument("-o", "--output", required=True, help="berkas .xlsx tujuan")

    def handle(self, *args, **opts):
        kab = cari_wilayah(opts["kabupaten"], Wilayah.Tingkat.KABUPATEN)
        periode = cari_periode(opts["periode"], kab.kode)
        wilayah_kode = kab.kode
        if opts["kecamatan"]:
            kec = cari_wilayah(opts["kecamatan"], Wilayah.Tingkat.KECAMATAN)
            if kec.induk_id != kab.kode:
                raise galat_pakai(f"Kecamatan {kec.kode} bukan bagian dari {kab.kode}.")
            wilayah_kode = kec.kode
        status = [s.strip() for v in opts["status"] for s in v.split(",") if s.strip()]
        salah = [s for s in status if s not in Usulan.Status.values]
        if salah:
            raise galat_pakai(
                f"Status tidak dikenal: {', '.join(salah)}. Pilihan: "
                + ", ".join(Usulan.Status.values)
            )
        qs = usulan_ekspor(
            Usulan.objects.all(), periode=periode, wilayah_kode=wilayah_kode, status=status
        )
        t0 = time.perf_counter()
        try:
            n = tulis_ekspor(opts["output"], qs, kabupaten_nama=kab.nama)
        except OSError as e:
            raise galat_pakai(f"Tidak dapat menulis {opts['output']}: {e}") from e
        self.stdout.write(
            f"{n} baris ditulis ke {opts['output']} dalam {time.perf_counter() - t0:.1f} s"
        )
