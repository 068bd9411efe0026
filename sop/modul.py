"""The module registry: each domain app describes itself on its ``AppConfig``.

    class BpumConfig(AppConfig):
        name = "bpum"
        modul = Modul(layanan="bpum", nama=_("BPUM"), beranda="bpum:beranda", setup="bpum.setup.setup")

The menu, the home page cards, ``setup_portal`` and ``sop_sla`` read the registry instead of a
hard-coded list of apps, so a new module plugs in by declaring itself. ``sop`` never imports the
domain apps: it only reads what they declare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Modul:
    """What the portal needs to know about a domain module.

    ``layanan``: the service code offices list in ``Unit.layanan`` (who sees the module);
    ``beranda``: URL name of the module's home page (the menu entry);
    ``kartu``: template of the module's card on the portal home page ("" = a plain link);
    ``setup``: dotted path of ``setup(*, demo: bool) -> dict`` run by ``setup_portal``;
    ``sapuan``: dotted paths of domain sweeps ``fn(now) -> dict[str, int]`` run by ``sop_sla``
    after the engine's own sweep (each set-based and idempotent, see ``sop.sla``);
    ``sop``: codes of the SOPs the module runs on its own screens: the generic runner ("Buat
    permohonan") never offers them, so a loan or a BPUM proposal is not started as a bare request;
    ``kartu_keterangan``: one line under the module's name on the home page card.
    """

    layanan: str
    nama: str
    beranda: str
    urutan: int = 50
    kartu: str = ""
    setup: str = ""
    sapuan: tuple[str, ...] = field(default_factory=tuple)
    sop: tuple[str, ...] = field(default_factory=tuple)
    kartu_keterangan: str = ""

    def fungsi_setup(self) -> Callable | None:
        return import_string(self.setup) if self.setup else None

    def fungsi_sapuan(self) -> list[tuple[str, Callable]]:
        return [(p, import_string(p)) for p in self.sapuan]


def semua_modul() -> list[Modul]:
    """Every registered module, in menu order."""
    hasil = [m for c in apps.get_app_configs() if isinstance(m := getattr(c, "modul", None), Modul)]
    return sorted(hasil, key=lambda m: (m.urutan, m.layanan))


def sop_milik_modul() -> set[str]:
    """Codes of the SOPs some registered module runs on its own screens."""
    return {kode for m in semua_modul() for kode in m.sop}


def modul_untuk(layanan: set[str], *, semua: bool = False) -> list[Modul]:
    """The modules an officer whose offices run ``layanan`` sees (``semua``: superusers)."""
    return [m for m in semua_modul() if semua or m.layanan in layanan]
