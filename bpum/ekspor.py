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
KOLOM_RINGKASAN_PROVINSI = ("Kabupaten/Kota", "Kecamatan", "Jumlah Usulan")

_S = Usulan.Status
# What an export holds unless the officer chooses otherwise: proposals past the village office,
# without those dropped as duplicates or withdrawn (the choice is shown on the export form).
STATUS_EKSPOR_BAWAAN = [
    s for s in _S.values if s not in (_S.DIAJUKAN, _S.DIKEMBALIKAN, _S.GUGUR, _S.DITARIK)
]
# The province's rekap for the ministry: what the regencies sent to the province and after.
STATUS_EKSPOR_PROVINSI = [_S.DIKIRIM_PROVINSI, _S.DITERUSKAN, _S.DITERIMA, _S.DITOLAK]


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

    if ekspor.wilayah_id.count(".") == 0:  # a province's rekap across its regencies
        return usulan_ekspor_provinsi(
            usulan_lingkup(ekspor.dibuat_oleh),
            provinsi_kode=ekspor.wilayah_id,
            kode_periode=ekspor.periode.kode,
            status=ekspor.filter_status,
        )
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


def _baris(qs: QuerySet, *, kabupaten_nama: str, ditulis: list, progres, total) -> Iterator:
    label = dict(Usulan.Status.choices)
    it = (
        qs.order_by("kecamatan__nama", "wilayah__nama", "nama", "pk")
        .values_list(*_NILAI, "kecamatan__nama")
        .iterator(chunk_size=PORSI)
    )
    for nik, kk, nama, alamat, desa, bidang, hp, nomor, st, kec in it:
        ditulis[0] += 1
        if progres is not None and ditulis[0] % 5000 == 0:
            progres(ditulis[0], total)
        yield (
            nik,
            kk,
            nama,
            alamat,
            desa,
            kec,
            kabupaten_nama,
            bidang,
            hp,
            nomor,
            str(label.get(st, st)),
        )


def usulan_ekspor_provinsi(
    qs: QuerySet, *, provinsi_kode: str, kode_periode: str, status: Iterable[str] = ()
) -> QuerySet:
    """The proposals of the province's rekap: the rounds with code ``kode_periode`` of every
    regency of the province, in ``status`` (default ``STATUS_EKSPOR_PROVINSI``)."""
    status = [s for s in status if s] or STATUS_EKSPOR_PROVINSI
    return qs.filter(
        periode__kode=kode_periode,
        periode__wilayah__kode__startswith=provinsi_kode + ".",
        status__in=status,
    )


def tulis_ekspor_provinsi(
    out, qs: QuerySet, *, progres: Callable[[int, int], None] | None = None
) -> int:
    """The province's rekap across regencies: a summary sheet per regency and district, then one
    sheet per regency, in the kabupaten export's columns (same text cells and formula
    neutralising, ``bpum.spreadsheet.tulis_rekap``). Returns the row count."""
    ringkasan_rows = list(
        qs.order_by()
        .values_list("periode__wilayah_id", "periode__wilayah__nama", "kecamatan__nama")
        .annotate(n=Count("id"))
        .order_by("periode__wilayah__nama", "kecamatan__nama")
    )
    total = sum(r[3] for r in ringkasan_rows)
    kabupaten: dict[str, str] = {}
    for kode, nama, _kec, _n in ringkasan_rows:
        kabupaten.setdefault(kode, nama)
    ditulis = [0]
    tulis_rekap(
        out,
        (
            (
                nama,
                _baris(
                    qs.filter(periode__wilayah_id=kode),
                    kabupaten_nama=nama,
                    ditulis=ditulis,
                    progres=progres,
                    total=total,
                ),
            )
            for kode, nama in kabupaten.items()
        ),
        [(kab, kec, n) for _k, kab, kec, n in ringkasan_rows],
        KOLOM_EKSPOR,
        kolom_ringkasan=KOLOM_RINGKASAN_PROVINSI,
    )
    return ditulis[0]


def nama_berkas_provinsi(provinsi_kode: str, kode_periode: str) -> str:
    return f"rekap-provinsi-{kode_periode}-{provinsi_kode}.xlsx".replace(" ", "_")


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
        provinsi = ekspor.wilayah_id.count(".") == 0
        with tempfile.TemporaryFile() as tmp:
            if provinsi:
                n = tulis_ekspor_provinsi(tmp, qs, progres=progres)
                nama = nama_berkas_provinsi(ekspor.wilayah_id, ekspor.periode.kode)
            else:
                n = tulis_ekspor(
                    tmp, qs, kabupaten_nama=ekspor.periode.wilayah.nama, progres=progres
                )
                nama = nama_berkas(ekspor.periode, ekspor.wilayah_id)
            tmp.seek(0)
            ekspor.berkas.save(nama, ContentFile(tmp.read()), save=False)
        ekspor.jumlah, ekspor.status, ekspor.progres = n, EksporRekap.Status.SELESAI, 100
    except Exception:
        log.exception("ekspor %s gagal", ekspor.pk)
        ekspor.status, ekspor.pesan = (
            EksporRekap.Status.GAGAL,
            "Kesalahan sistem saat menulis berkas.",
        )
    ekspor.save()
    return ekspor
