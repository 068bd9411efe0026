"""The rekap export in the ministry's column order: a summary sheet and one sheet per district.

Streams: rows come from ``values_list(...).iterator()`` one district at a time and
``bpum.spreadsheet.tulis_rekap`` writes them with xlsxwriter ``constant_memory``, so memory does
not grow with the row count. NIK / No KK / No HP are written as text and formula-like cells are
neutralised by ``tulis_rekap``. Used by the UI (small exports at once, large ones in a task) and
by ``manage.py bpum_export_rekap``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from django.core.files.base import ContentFile
from django.db.models import Count, QuerySet

from sop.selectors import q_wilayah

from .models import EksporRekap, Periode, Rekap, Usulan
from .spreadsheet import tulis_rekap

log = logging.getLogger(__name__)

BATAS_LATAR = 2_000  # rows: larger exports run as a background task
PORSI = 500  # rows per fetch: memory holds at most two fetches and one buffer per sheet

KOLOM_EKSPOR = [
    "NIK",
    "No KK",
    "Nama Lengkap",
    "Alamat Sesuai KTP",
    "Desa/Kelurahan",
    "Kecamatan",
    "Kabupaten/Kota",
    "Bidang Usaha",
    "No HP",
    "Nomor Registrasi",
    "Status",
]
_NILAI = (
    "nik",
    "no_kk",
    "nama",
    "alamat",
    "wilayah__nama",
    "bidang_usaha",
    "no_hp",
    "nomor",
    "status",
)
KOLOM_RINGKASAN = ("Kecamatan", "Desa/Kelurahan", "Jumlah Usulan")


def usulan_ekspor(
    qs: QuerySet,
    *,
    periode: Periode,
    wilayah_kode: str,
    status: Iterable[str] = (),
    rekap: Rekap | None = None,
) -> QuerySet:
    """The proposals an export covers. ``qs``: the caller's (already scoped) base queryset."""
    qs = qs.filter(periode=periode)
    if wilayah_kode != periode.wilayah_id:
        qs = qs.filter(q_wilayah(wilayah_kode))
    status = [s for s in status if s]
    if status:
        qs = qs.filter(status__in=status)
    if rekap is not None:
        f = "rekap_kecamatan" if rekap.tingkat == Rekap.Tingkat.KECAMATAN else "rekap_kabupaten"
        qs = qs.filter(**{f: rekap})
    return qs


def usulan_ekspor_latar(ekspor: EksporRekap) -> QuerySet:
    """The proposals of a background export: built from the requester's scope
    (``bpum.selectors.usulan_lingkup`` of ``ekspor.dibuat_oleh``, as when the export runs), then
    narrowed to the chosen region, statuses and batch. The chosen region alone is not a scope:
    a village officer choosing the district gets the rows of the village only."""
    from .selectors import usulan_lingkup

    rekap = Rekap.objects.filter(pk=ekspor.rekap_id).first() if ekspor.rekap_id else None
    return usulan_ekspor(
        usulan_lingkup(ekspor.dibuat_oleh),
        periode=ekspor.periode,
        wilayah_kode=ekspor.wilayah_id,
        status=ekspor.filter_status,
        rekap=rekap,
    )


def tulis_ekspor(
    out, qs: QuerySet, *, kabupaten_nama: str, progres: Callable[[int, int], None] | None = None
) -> int:
    """Write the export of ``qs`` to ``out`` (path or binary file); returns the row count."""
    ringkasan_rows = list(
        qs.order_by()
        .values_list("kecamatan_id", "kecamatan__nama", "wilayah__nama")
        .annotate(n=Count("id"))
        .order_by("kecamatan__nama", "wilayah__nama")
    )
    total = sum(r[3] for r in ringkasan_rows)
    kecamatan: dict[str, str] = {}
    for kode, nama, _desa, _n in ringkasan_rows:
        kecamatan.setdefault(kode, nama)
    label = dict(Usulan.Status.choices)
    ditulis = [0]

    def baris(kode: str, nama_kec: str) -> Iterator[tuple]:
        it = (
            qs.filter(kecamatan_id=kode)
            .order_by("wilayah__nama", "nama", "pk")
            .values_list(*_NILAI)
            .iterator(chunk_size=PORSI)
        )
        for nik, kk, nama, alamat, desa, bidang, hp, nomor, st in it:
            ditulis[0] += 1
            if progres is not None and ditulis[0] % 5000 == 0:
                progres(ditulis[0], total)
            yield (
                nik,
                kk,
                nama,
                alamat,
                desa,
                nama_kec,
                kabupaten_nama,
                bidang,
                hp,
                nomor,
                str(label.get(st, st)),
            )

    tulis_rekap(
        out,
        ((nama, baris(kode, nama)) for kode, nama in kecamatan.items()),
        [(kec, desa, n) for _k, kec, desa, n in ringkasan_rows],
        KOLOM_EKSPOR,
        kolom_ringkasan=KOLOM_RINGKASAN,
    )
    return ditulis[0]


def nama_berkas(periode: Periode, wilayah_kode: str) -> str:
    return f"rekap-{periode.kode}-{wilayah_kode}.xlsx".replace(" ", "_")


def jalankan_ekspor(ekspor: EksporRekap, qs: QuerySet) -> EksporRekap:
    """Body of the background export: writes the file and keeps ``progres`` current."""
    import tempfile

    EksporRekap.objects.filter(pk=ekspor.pk).update(status=EksporRekap.Status.BERJALAN, progres=1)

    def progres(n: int, total: int) -> None:
        EksporRekap.objects.filter(pk=ekspor.pk).update(
            progres=min(99, int(100 * n / max(total, 1)))
        )

    try:
        with tempfile.TemporaryFile() as tmp:
            n = tulis_ekspor(tmp, qs, kabupaten_nama=ekspor.periode.wilayah.nama, progres=progres)
            tmp.seek(0)
            ekspor.berkas.save(
                nama_berkas(ekspor.periode, ekspor.wilayah_id), ContentFile(tmp.read()), save=False
            )
        ekspor.jumlah, ekspor.status, ekspor.progres = n, EksporRekap.Status.SELESAI, 100
    except Exception:
        log.exception("ekspor %s gagal", ekspor.pk)
        ekspor.status, ekspor.pesan = (
            EksporRekap.Status.GAGAL,
            "Kesalahan sistem saat menulis berkas.",
        )
    ekspor.save()
    return ekspor
