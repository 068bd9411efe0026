"""Writes of the generic runner. Every state change goes through ``sop.engine.jalankan``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .engine import GagalTransisi, cari_izin, jalankan, mulai_proses
from .models import Lampiran, Permohonan, Sop, Unit
from .penomoran import kode_unik_model
from .selectors import penugasan_aktif, sop_ditawarkan
from .unggah import KANTOR, BerkasDitolak, JenisBerkas, nama_simpan, periksa_unggahan


def unit_pemula(user, layanan: str) -> list[Unit]:
    """Offices in which ``user`` may start a request of ``layanan``."""
    return [t.unit for t in penugasan_aktif(user) if layanan in t.layanan and not t.hanya_baca]


@transaction.atomic
def permohonan_mulai(
    *,
    user,
    sop: Sop,
    unit: Unit,
    judul: str,
    pemohon_nama: str = "",
    pemohon_kontak: str = "",
    now=None,
) -> Permohonan:
    if unit not in unit_pemula(user, Permohonan.LAYANAN):
        raise PermissionDenied("Anda tidak bertugas di kantor ini.")
    if sop.status != Sop.Status.BERLAKU or sop.tanpa_langkah:
        raise ValidationError({"sop": "SOP ini belum berlaku atau belum memiliki langkah."})
    if not sop_ditawarkan(user, unit).filter(pk=sop.pk).exists():
        raise ValidationError({"sop": "SOP ini tidak dijalankan kantor Anda."})
    pertama = sop.langkah.order_by("nomor").first()
    if pertama is None:
        raise ValidationError({"sop": "SOP ini belum memiliki langkah."})
    if not judul.strip():
        raise ValidationError({"judul": "Perihal wajib diisi."})
    p = Permohonan(
        sop=sop,
        unit=unit,
        wilayah=unit.wilayah,
        judul=judul.strip()[:200],
        pemohon_nama=pemohon_nama.strip()[:200],
        pemohon_kontak=pemohon_kontak.strip()[:100],
        dibuat_oleh=user,
        nomor=kode_unik_model(Permohonan, "nomor", "PMH")[0],
        status=pertama.kode,  # protected FSM field: the initial state is given once, at creation
    )
    p.save()
    mulai_proses(p, user=user, now=now or timezone.now())
    return p


def cek_berkas(berkas, label: str = "Berkas") -> JenisBerkas:
    """The one upload check (``sop.unggah``): type from the content, size bounded. The forms
    call it to show the message; the services below then store the upload under a
    server-chosen name with the detected type's extension."""
    if berkas is None:
        raise ValidationError({"berkas": "Pilih berkas yang akan diunggah."})
    try:
        return periksa_unggahan(berkas, boleh=KANTOR, label=label)
    except BerkasDitolak as e:
        raise ValidationError({"berkas": e.message}) from e


@transaction.atomic
def permohonan_lampirkan(*, user, permohonan: Permohonan, jenis: str, berkas) -> Lampiran:
    p = Permohonan.objects.select_for_update().select_related("sop").get(pk=permohonan.pk)
    langkah = p.langkah_aktif()
    if langkah is None:
        raise ValidationError("Permohonan ini sudah selesai.")
    if cari_izin(p, user, langkah) is None:
        raise PermissionDenied("Hanya pelaksana langkah ini yang dapat melampirkan berkas.")
    if jenis not in langkah.kelengkapan_dokumen and jenis != "Lainnya":  # equipment: never
        raise ValidationError({"jenis": "Jenis berkas tidak termasuk kelengkapan langkah ini."})
    berkas.name = nama_simpan(cek_berkas(berkas, jenis))
    return Lampiran.objects.create(
        permohonan=p, langkah_kode=langkah.kode, jenis=jenis, berkas=berkas, diunggah_oleh=user
    )


@transaction.atomic
def permohonan_unggah_hasil(*, user, permohonan: Permohonan, berkas) -> Permohonan:
    p = Permohonan.objects.select_for_update().select_related("sop").get(pk=permohonan.pk)
    langkah = p.langkah_aktif()
    if langkah is None or cari_izin(p, user, langkah) is None:
        raise PermissionDenied(
            "Hanya pelaksana langkah terakhir yang dapat mengunggah output akhir."
        )
    berkas.name = nama_simpan(cek_berkas(berkas, "Output akhir"))
    p.hasil = berkas
    p.save(update_fields=["hasil"])
    return p


TRANSISI_RUNNER = {"selesaikan", "putuskan_ya", "putuskan_tidak"}


def permohonan_transisi(
    *,
    user,
    permohonan: Permohonan,
    nama: str,
    catatan: str = "",
    status_terlihat: str | None = None,
    now=None,
) -> Permohonan:
    if nama not in TRANSISI_RUNNER:
        raise GagalTransisi("Tindakan tidak dikenal.")
    return jalankan(
        getattr(permohonan, nama),
        user=user,
        catatan=catatan,
        status_terlihat=status_terlihat,
        now=now,
    )


@transaction.atomic
def permohonan_pin_baru(*, user, permohonan: Permohonan) -> tuple[Permohonan, str]:
    """A new tracking PIN for the applicant (the previous one stops working), issued by an
    officer of the request's office when printing the receipt. Returns the row and the clear
    PIN: print it once, it is stored only as a hash."""
    if permohonan.unit not in unit_pemula(user, Permohonan.LAYANAN):
        raise PermissionDenied(
            _("Only officers of the office handling this request can print its receipt.")
        )
    p = Permohonan.objects.select_for_update().select_related("sop", "unit").get(pk=permohonan.pk)
    pin = p.set_pin()
    p.save(update_fields=["kode_lacak", "pin_hash"])
    return p, pin
