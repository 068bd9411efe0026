"""Benchmark: the staged BPUM rekap import against a default django-import-export import.

The same xlsx file (``--rows`` applicants of Kecamatan Tembilahan, NIK / No KK as text) is
imported on the same database, each run inside a transaction rolled back afterwards, so every
run starts from the same empty round:

(a) baseline: a default django-import-export ``ModelResource`` for ``bpum.Usulan`` (columns
    mapped by title, the village by name through a ``ForeignKeyWidget``, NIK as import id looked
    up within the round so that the (periode, nik) index serves it),
    ``Dataset().load(xlsx)`` + ``import_data(dry_run=False)``: one lookup and one INSERT per row,
    no NIK/phone validation, no step log;
(b) the portal: ``impor_buat`` + ``impor_validasi`` + ``impor_terapkan`` (what the upload page
    and ``manage.py bpum_import_rekap`` run): every row validated (NIK province/date/serial,
    No KK, phone, village, formulas, in-file duplicates), matched against the round, then
    committed all or nothing with the step log (``Jejak``), the step clocks and the batch.
Target: (a) / (b) >= 5.

Run: ``.venv/bin/python bench/bpum_import.py`` (100,000 rows) or ``--rows 5000`` (quick);
``--pg`` for a throwaway PostgreSQL cluster, or set DATABASE_URL.
"""

from __future__ import annotations

import io
import statistics
import sys
import time

from bpum_umum import argumen, basis_data, nik, rupiah_angka

TARGET = 5.0
JUDUL = (
    "NIK",
    "No KK",
    "Nama Lengkap",
    "Alamat Sesuai KTP",
    "Desa/Kelurahan",
    "Bidang Usaha",
    "No HP",
)


def buat_berkas(n: int, desa: list[str]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True})
    ws = wb.add_worksheet("Rekap BPUM")
    teks = wb.add_format({"num_format": "@"})
    ws.write_row(0, 0, JUDUL)
    for i in range(n):
        ws.write_row(
            i + 1,
            0,
            (
                nik(i),
                f"1404{i:012d}",
                f"Pelaku Usaha Mikro {i}",
                f"Jl. Hang Tuah No. {i % 300}",
                desa[i % len(desa)],
                "Warung makan",
                f"0812{i:08d}",
            ),
            teks,
        )
    wb.close()
    return buf.getvalue()


def resource_bawaan(periode, user):
    """A default ModelResource, configured only as far as the file and the model require."""
    from import_export import fields, resources, widgets

    from bpum.models import Usulan
    from bpum.services import sop_berlaku
    from sop.models import Unit, Wilayah
    from sop.penomoran import kode_acak

    sop = sop_berlaku()
    unit = Unit.objects.get(kode="kantor-camat-14-04-04")

    class DesaWidget(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return Wilayah.objects.filter(induk_id="14.04.04")

    class UsulanResource(resources.ModelResource):
        nik = fields.Field(attribute="nik", column_name="NIK")
        no_kk = fields.Field(attribute="no_kk", column_name="No KK")
        nama = fields.Field(attribute="nama", column_name="Nama Lengkap")
        alamat = fields.Field(attribute="alamat", column_name="Alamat Sesuai KTP")
        wilayah = fields.Field(
            attribute="wilayah",
            column_name="Desa/Kelurahan",
            widget=DesaWidget(Wilayah, field="nama"),
        )
        bidang_usaha = fields.Field(attribute="bidang_usaha", column_name="Bidang Usaha")
        no_hp = fields.Field(attribute="no_hp", column_name="No HP")

        class Meta:
            model = Usulan
            import_id_fields = ("nik",)
            fields = ("nik", "no_kk", "nama", "alamat", "wilayah", "bidang_usaha", "no_hp")

        def get_queryset(self):
            # the import id (NIK) is looked up within the round: the (periode, nik) index
            return Usulan.objects.filter(periode=periode)

        def before_save_instance(self, instance, row, **kwargs):
            instance.sop, instance.periode, instance.unit = sop, periode, unit
            instance.kecamatan_id = "14.04.04"
            instance.dibuat_oleh = user
            instance.nomor = kode_acak("BPUM")

    return UsulanResource()


def main(argv=None) -> int:
    args = argumen(__doc__.split("\n\n")[0], 100_000).parse_args(argv)
    with basis_data(args) as db:
        import tablib
        from django.contrib.auth import get_user_model
        from django.db import transaction

        from bpum import impor as imp
        from bpum.models import ImporRekap, Periode, Usulan
        from sop.models import Wilayah

        periode = Periode.objects.get(kode="BPUM-2021", wilayah_id="14.04")
        kec = Wilayah.objects.get(kode="14.04.04")
        desa = list(
            Wilayah.objects.filter(induk=kec).order_by("kode").values_list("nama", flat=True)
        )
        petugas = get_user_model().objects.get(username="kecamatan.tembilahan")
        t0 = time.perf_counter()
        raw = buat_berkas(args.rows, desa)
        print(
            f"# file: {rupiah_angka(args.rows)} rows, {len(raw) / 1e6:.1f} MB, written in "
            f"{time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )

        class _Batal(Exception):
            pass

        def bawaan():
            try:
                with transaction.atomic():
                    t0 = time.perf_counter()
                    ds = tablib.Dataset().load(raw, format="xlsx")
                    hasil = resource_bawaan(periode, petugas).import_data(
                        ds, dry_run=False, raise_errors=True
                    )
                    dt = time.perf_counter() - t0
                    n = Usulan.objects.count()
                    assert not hasil.has_errors() and n == args.rows, n
                    raise _Batal(dt)
            except _Batal as e:
                return e.args[0]

        def portal():
            try:
                with transaction.atomic():
                    t0 = time.perf_counter()
                    impor = imp.impor_buat(
                        user=petugas,
                        jenis="rekap",
                        periode=periode,
                        wilayah=kec,
                        raw=raw,
                        nama_berkas="bench.xlsx",
                    )
                    impor = imp.impor_validasi(impor)
                    assert impor.status == ImporRekap.Status.VALID, (impor.pesan, impor.errors[:3])
                    impor = imp.impor_terapkan(impor, user=petugas)
                    dt = time.perf_counter() - t0
                    assert impor.status == ImporRekap.Status.SELESAI, impor.pesan
                    assert Usulan.objects.count() == args.rows
                    raise _Batal(dt)
            except _Batal as e:
                return e.args[0]

        tb, tp = [], []
        for _ in range(args.repeat):  # alternate
            tp.append(portal())
            tb.append(bawaan())
        b, p = statistics.median(tb), statistics.median(tp)
        rasio = b / p
        print(f"rows: {rupiah_angka(args.rows)}   database: {db}")
        print(
            f"(a) django-import-export ModelResource (load + import_data) : {b:8.2f} s "
            f"({args.rows / b:,.0f} rows/s)"
        )
        print(
            f"(b) bpum staged import (validate + commit, with step log)  : {p:8.2f} s "
            f"({args.rows / p:,.0f} rows/s)"
        )
        print(
            f"speed-up (a)/(b): {rasio:.1f}x   target >= {TARGET}x   "
            f"{'OK' if rasio >= TARGET else 'MISSED'}"
        )
        return 0 if rasio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
