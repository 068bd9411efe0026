import time

from django.core.management.base import BaseCommand

from bpum.ekspor import (
    STATUS_EKSPOR_BAWAAN,
    STATUS_EKSPOR_PROVINSI,
    tulis_ekspor,
    tulis_ekspor_provinsi,
    usulan_ekspor,
    usulan_ekspor_provinsi,
)
from bpum.models import Periode, Usulan
from bpum.perintah import cari_periode, cari_wilayah, galat_pakai
from sop.models import Wilayah


class Command(BaseCommand):
    help = (
        "Ekspor rekap BPUM ke xlsx dalam urutan kolom kementerian (NIK dan No KK sebagai teks). "
        "--kabupaten: satu lembar per kecamatan dan lembar Ringkasan. --provinsi: rekap provinsi "
        "lintas kabupaten, satu lembar per kabupaten dan Ringkasan per kabupaten dan kecamatan. "
        "Tanpa --status: kabupaten tanpa usulan yang masih di desa, ditarik dan digugurkan; "
        "provinsi: dikirim ke provinsi, diteruskan, diterima, ditolak. Exit 2 untuk salah pemakaian."
    )

    def add_arguments(self, parser):
        wilayah = parser.add_mutually_exclusive_group(required=True)
        wilayah.add_argument("--kabupaten", help="kode kabupaten, mis. 14.04")
        wilayah.add_argument("--provinsi", help="kode provinsi, mis. 14 (rekap lintas kabupaten)")
        parser.add_argument("--periode", required=True, help="kode periode, mis. BPUM-2021")
        parser.add_argument("--kecamatan", help="hanya satu kecamatan, mis. 14.04.04")
        parser.add_argument(
            "--status",
            action="append",
            default=[],
            help="status (boleh diulang atau dipisah koma): " + ", ".join(Usulan.Status.values),
        )
        parser.add_argument(
            "--semua-status", action="store_true", help="semua status, juga yang masih di desa"
        )
        parser.add_argument("-o", "--output", required=True, help="berkas .xlsx tujuan")

    def _status(self, opts, bawaan: list[str]) -> list[str]:
        status = [s.strip() for v in opts["status"] for s in v.split(",") if s.strip()]
        salah = [s for s in status if s not in Usulan.Status.values]
        if salah:
            raise galat_pakai(
                f"Status tidak dikenal: {', '.join(salah)}. Pilihan: "
                + ", ".join(Usulan.Status.values)
            )
        if opts["semua_status"]:
            return list(Usulan.Status.values)
        return status or list(bawaan)

    def handle(self, *args, **opts):
        t0 = time.perf_counter()
        if opts["provinsi"]:
            prov = cari_wilayah(opts["provinsi"], Wilayah.Tingkat.PROVINSI)
            if opts["kecamatan"]:
                raise galat_pakai("--kecamatan hanya untuk ekspor --kabupaten.")
            if not Periode.objects.filter(
                kode=opts["periode"], wilayah__kode__startswith=prov.kode + "."
            ).exists():
                raise galat_pakai(f"Periode “{opts['periode']}” tidak ada di provinsi {prov.kode}.")
            qs = usulan_ekspor_provinsi(
                Usulan.objects.all(),
                provinsi_kode=prov.kode,
                kode_periode=opts["periode"],
                status=self._status(opts, STATUS_EKSPOR_PROVINSI),
            )
            tulis, kw = tulis_ekspor_provinsi, {}
        else:
            kab = cari_wilayah(opts["kabupaten"], Wilayah.Tingkat.KABUPATEN)
            periode = cari_periode(opts["periode"], kab.kode)
            wilayah_kode = kab.kode
            if opts["kecamatan"]:
                kec = cari_wilayah(opts["kecamatan"], Wilayah.Tingkat.KECAMATAN)
                if kec.induk_id != kab.kode:
                    raise galat_pakai(f"Kecamatan {kec.kode} bukan bagian dari {kab.kode}.")
                wilayah_kode = kec.kode
            qs = usulan_ekspor(
                Usulan.objects.all(),
                periode=periode,
                wilayah_kode=wilayah_kode,
                status=self._status(opts, STATUS_EKSPOR_BAWAAN),
            )
            tulis, kw = tulis_ekspor, {"kabupaten_nama": kab.nama}
        try:
            n = tulis(opts["output"], qs, **kw)
        except OSError as e:
            raise galat_pakai(f"Tidak dapat menulis {opts['output']}: {e}") from e
        self.stdout.write(
            f"{n} baris ditulis ke {opts['output']} dalam {time.perf_counter() - t0:.1f} s"
        )
