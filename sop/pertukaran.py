"""SOP definitions in and out: the interchange format of docs/sop-format.md (JSON and xlsx).

Used by ``setup_portal`` (fixtures), ``sop_import`` / ``sop_export`` and the admin. Imports are
all-or-nothing: every SOP and step is validated first, errors name the SOP and the step.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .kelengkapan import alat_bawaan
from .models import KolomPelaksana, Langkah, Pelaksana, Sop
from .validasi_langkah import galat_kelengkapan, galat_waktu

IDENTITAS = [
    "kode",
    "nomor",
    "nama",
    "instansi",
    "bagian",
    "tanggal_pembuatan",
    "tanggal_pembuatan_teks",
    "tanggal_revisi",
    "tanggal_revisi_teks",
    "tanggal_efektif",
    "tanggal_efektif_teks",
    "disahkan_jabatan",
    "disahkan_nama",
    "disahkan_nip",
    "dasar_hukum",
    "kualifikasi_pelaksana",
    "keterkaitan",
    "peralatan",
    "peringatan",
    "pencatatan",
    "sumber",
    "catatan_transkripsi",
    "tanpa_langkah",
]
DAFTAR = {"dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan", "catatan_transkripsi"}
TANGGAL = {"tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif"}
LANGKAH = [
    "nomor",
    "kode",
    "kegiatan",
    "pelaksana",
    "kelengkapan",
    "kelengkapan_wajib",
    "kelengkapan_alat",
    "waktu",
    "waktu_tidak_dipantau",
    "output",
    "keterangan",
    "cabang",
    "tunggu_pemohon",
    "saat_kedaluwarsa",
    "keyakinan",
]
MAKS_BARIS = 20_000  # rows of one sheet of an SOP workbook (the 23 seed SOPs have ~300 steps)
MAKS_BERKAS = 20 * 1024 * 1024
RE_KODE_SOP = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,39}$")
RE_KODE_LANGKAH = re.compile(r"^[a-z0-9][a-z0-9\-]{0,59}$")
RE_KODE_PERAN = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,59}$")


class ImporGagal(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class HasilImpor:
    dibuat: list[str] = field(default_factory=list)
    revisi_baru: list[str] = field(default_factory=list)
    sama: list[str] = field(default_factory=list)
    draf: list[str] = field(default_factory=list)  # fixture changes kept as drafts (see impor)


# --------------------------------------------------------------------------- export
def sop_ke_dict(sop: Sop, *, dengan_batas: bool = True) -> dict:
    d = {}
    for f in IDENTITAS:
        v = getattr(sop, f)
        d[f] = v.isoformat() if isinstance(v, dt.date) else v
    d["revisi"] = sop.revisi
    d["pelaksana"] = [
        {
            "kode": k.pelaksana.kode,
            "nama": k.nama or k.pelaksana.nama,
            "eksternal": k.eksternal,
            "dicatat_oleh": k.dicatat_oleh.kode if k.dicatat_oleh_id else None,
        }
        for k in sop.kolom.select_related("pelaksana", "dicatat_oleh")
    ]
    urutan = {p["kode"]: i for i, p in enumerate(d["pelaksana"])}
    d["langkah"] = []
    for lk in sop.langkah.prefetch_related("pelaksana"):
        item = {
            "nomor": lk.nomor,
            "kode": lk.kode,
            "kegiatan": lk.kegiatan,
            "pelaksana": sorted(
                (p.kode for p in lk.pelaksana.all()), key=lambda k: urutan.get(k, 99)
            ),
            "kelengkapan": lk.kelengkapan,
            "kelengkapan_wajib": lk.kelengkapan_wajib,
            "kelengkapan_alat": lk.kelengkapan_alat,
            "waktu": lk.waktu,
            "waktu_tidak_dipantau": lk.waktu_tidak_dipantau,
            "output": lk.output,
            "keterangan": lk.keterangan,
            "cabang": {"ya": lk.cabang_ya, "tidak": lk.cabang_tidak} if lk.keputusan else None,
            "tunggu_pemohon": lk.tunggu_pemohon,
            "saat_kedaluwarsa": lk.saat_kedaluwarsa,
            "keyakinan": lk.keyakinan,
        }
        if dengan_batas:
            item["batas"] = lk.batas
        d["langkah"].append(item)
    return d


def ekspor_json(sops) -> str:
    return json.dumps([sop_ke_dict(s) for s in sops], ensure_ascii=False, indent=2)


def ekspor_xlsx(sops) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    teks = wb.add_format({"text_wrap": True, "valign": "top", "num_format": "@"})
    judul = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    ws_s, ws_p, ws_l = (
        wb.add_worksheet("SOP"),
        wb.add_worksheet("Pelaksana"),
        wb.add_worksheet("Langkah"),
    )
    kol_p = ["sop", "kode", "nama", "eksternal", "dicatat_oleh"]
    kol_l = ["sop", *[k for k in LANGKAH if k != "cabang"], "cabang_ya", "cabang_tidak"]
    for ws, kol in ((ws_s, IDENTITAS), (ws_p, kol_p), (ws_l, kol_l)):
        ws.write_row(0, 0, kol, judul)
        ws.freeze_panes(1, 0)
    rs = rp = rl = 1
    for sop in sops:
        d = sop_ke_dict(sop, dengan_batas=False)
        for c, f in enumerate(IDENTITAS):
            v = d[f]
            ws_s.write_string(
                rs, c, "\n".join(v) if f in DAFTAR else ("" if v is None else str(v)), teks
            )
        rs += 1
        for p in d["pelaksana"]:
            ws_p.write_row(
                rp,
                0,
                [
                    d["kode"],
                    p["kode"],
                    p["nama"],
                    "ya" if p["eksternal"] else "",
                    p["dicatat_oleh"] or "",
                ],
                teks,
            )
            rp += 1
        for lk in d["langkah"]:
            cab = lk["cabang"] or {}
            vals = [d["kode"]]
            for k in kol_l[1:]:
                v = cab.get(k.removeprefix("cabang_"), "") if k.startswith("cabang_") else lk[k]
                if isinstance(v, list):
                    v = ", ".join(v) if k == "pelaksana" else "\n".join(v)
                elif isinstance(v, bool):
                    v = "ya" if v else ""
                vals.append(str(v))
            for c, v in enumerate(vals):
                ws_l.write_string(rl, c, v, teks)
            rl += 1
    ws_s.set_column(0, len(IDENTITAS), 24)
    ws_l.set_column(0, len(kol_l), 22)
    wb.close()
    return buf.getvalue()


def baca_xlsx(data: bytes) -> list[dict]:
    """The xlsx written by ``ekspor_xlsx`` back into interchange dicts (read through the
    project's one guarded reader, ``sop.lembar``: sizes bounded before calamine sees it)."""
    from .lembar import BerkasTidakValid, baca_lembar_mentah

    try:
        sheets = baca_lembar_mentah(data, ("SOP", "Pelaksana", "Langkah"), max_rows=MAKS_BARIS)
    except BerkasTidakValid as e:
        raise ImporGagal(
            [f"Berkas bukan xlsx SOP yang valid (butuh lembar SOP, Pelaksana, Langkah): {e}"]
        ) from e

    def baris(rows):
        if not rows:
            return []
        head = [str(h).strip() for h in rows[0]]
        return [
            dict(
                zip(
                    head,
                    [
                        ""
                        if v is None
                        else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                        for v in r
                    ],
                    strict=False,
                )
            )
            for r in rows[1:]
            if any(str(v).strip() for v in r)
        ]

    sops: dict[str, dict] = {}
    for r in baris(sheets["SOP"]):
        d = {}
        for f in IDENTITAS:
            v = r.get(f, "")
            if f in DAFTAR:
                v = [x.strip() for x in v.split("\n") if x.strip()]
            elif f in TANGGAL:
                v = v or None
            elif f == "tanpa_langkah":
                v = v.strip().lower() in ("true", "ya", "1")
            d[f] = v
        d["pelaksana"], d["langkah"] = [], []
        sops[d["kode"]] = d
    for r in baris(sheets["Pelaksana"]):
        if r.get("sop") in sops:
            sops[r["sop"]]["pelaksana"].append(
                {
                    "kode": r.get("kode", ""),
                    "nama": r.get("nama", ""),
                    "eksternal": r.get("eksternal", "").lower() in ("ya", "true", "1"),
                    "dicatat_oleh": r.get("dicatat_oleh") or None,
                }
            )
    for r in baris(sheets["Langkah"]):
        if r.get("sop") not in sops:
            continue
        ya, tidak = r.get("cabang_ya", ""), r.get("cabang_tidak", "")
        sops[r["sop"]]["langkah"].append(
            {
                "nomor": r.get("nomor", ""),
                "kode": r.get("kode", ""),
                "kegiatan": r.get("kegiatan", ""),
                "pelaksana": [x.strip() for x in r.get("pelaksana", "").split(",") if x.strip()],
                "kelengkapan": [
                    x.strip() for x in r.get("kelengkapan", "").split("\n") if x.strip()
                ],
                "kelengkapan_wajib": [
                    x.strip() for x in r.get("kelengkapan_wajib", "").split("\n") if x.strip()
                ],
                # absent column (older files): None, the default classification applies
                "kelengkapan_alat": [
                    x.strip() for x in r["kelengkapan_alat"].split("\n") if x.strip()
                ]
                if "kelengkapan_alat" in r
                else None,
                "waktu": r.get("waktu", ""),
                "waktu_tidak_dipantau": r.get("waktu_tidak_dipantau", "").lower()
                in ("ya", "true", "1"),
                "keyakinan": r.get("keyakinan", "") or "tinggi",
                "output": r.get("output", ""),
                "keterangan": r.get("keterangan", ""),
                "cabang": {"ya": ya, "tidak": tidak} if (ya or tidak) else None,
                "tunggu_pemohon": r.get("tunggu_pemohon", "").lower() in ("ya", "true", "1"),
                "saat_kedaluwarsa": r.get("saat_kedaluwarsa", ""),
            }
        )
    return list(sops.values())


# --------------------------------------------------------------------------- import
def _tanggal(v, label, errors):
    if v in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        errors.append(
            _("%(lokasi)s: date “%(nilai)s” is not in the YYYY-MM-DD format")
            % {"lokasi": label, "nilai": v}
        )
        return None


def validasi(data) -> list[str]:
    """Every problem of an interchange list, each naming the SOP and step (empty: valid)."""
    errors: list[str] = []
    if not isinstance(data, list):
        return [_("The file must hold a list of SOPs.")]
    kode_terlihat = set()
    for i, s in enumerate(data, start=1):
        if not isinstance(s, dict):
            errors.append(_("SOP no. %(i)s: must be an object") % {"i": i})
            continue
        kode = str(s.get("kode", "")).strip()
        label = _("SOP %(kode)s") % {"kode": kode or _("no. %(i)s") % {"i": i}}
        if not RE_KODE_SOP.match(kode):
            errors.append(
                _("%(sop)s: the code is required, capitals/digits/dots/dashes (e.g. PACITAN-17)")
                % {"sop": label}
            )
        if kode in kode_terlihat:
            errors.append(_("%(sop)s: the code appears twice in the file") % {"sop": label})
        kode_terlihat.add(kode)
        if not str(s.get("nama", "")).strip():
            errors.append(_("%(sop)s: the SOP name is required") % {"sop": label})
        for f in sorted(DAFTAR):
            if f in s and not isinstance(s[f], list):
                errors.append(_("%(sop)s: %(kolom)s must be a list") % {"sop": label, "kolom": f})
        for f in sorted(TANGGAL):
            _tanggal(s.get(f), f"{label}, {f}", errors)
        peran = {}
        for p in s.get("pelaksana") or []:
            pk = str(p.get("kode", ""))
            lp = _("%(sop)s, performer “%(kode)s”") % {"sop": label, "kode": pk}
            if not RE_KODE_PERAN.match(pk):
                errors.append(_("%(lokasi)s: invalid performer code") % {"lokasi": lp})
            if not str(p.get("nama", "")).strip():
                errors.append(_("%(lokasi)s: the name is required") % {"lokasi": lp})
            peran[pk] = p
        langkah = s.get("langkah") or []
        if not isinstance(langkah, list):
            errors.append(_("%(sop)s: langkah must be a list") % {"sop": label})
            continue
        kode_lk = [str(lk.get("kode", "")) for lk in langkah if isinstance(lk, dict)]
        seen = set()
        for j, lk in enumerate(langkah, start=1):
            if not isinstance(lk, dict):
                errors.append(_("%(sop)s, step %(n)s: must be an object") % {"sop": label, "n": j})
                continue
            ll = _("%(sop)s, step %(n)s") % {"sop": label, "n": lk.get("nomor", j)}
            errors.extend(f"{ll}: {e}" for e in _galat_langkah(lk, peran, kode_lk, seen))
    return errors


def _galat_langkah(lk: dict, peran: dict, kode_lk: list[str], seen: set) -> list[str]:
    """Problems of one step dict (without the SOP/step prefix)."""
    errors: list[str] = []
    try:
        if int(lk.get("nomor")) < 1:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(_("the number must be a positive whole number"))
    k = str(lk.get("kode", ""))
    if not RE_KODE_LANGKAH.match(k):
        errors.append(
            _("step code “%(kode)s” is invalid (lowercase letters, digits, dashes)") % {"kode": k}
        )
    if k in seen:
        errors.append(_("step code “%(kode)s” is used twice") % {"kode": k})
    seen.add(k)
    if not str(lk.get("kegiatan", "")).strip():
        errors.append(_("the activity (kegiatan) is required"))
    for pk in lk.get("pelaksana") or []:
        if pk not in peran:
            errors.append(
                _("performer “%(kode)s” is not in this SOP's performer list") % {"kode": pk}
            )
    daftar = {f: lk.get(f) for f in ("kelengkapan", "kelengkapan_wajib", "kelengkapan_alat")}
    for f, v in daftar.items():
        if v is not None and not (
            isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v)
        ):
            errors.append(_("%(kolom)s must be a list of names") % {"kolom": f})
    if all(isinstance(v, list | None) for v in daftar.values()):
        kel = daftar["kelengkapan"] or []
        alat = daftar["kelengkapan_alat"]
        errors.extend(
            galat_kelengkapan(kel, alat_bawaan(kel) if alat is None else alat,
                              daftar["kelengkapan_wajib"] or [])
        )  # fmt: skip
    cab = lk.get("cabang") or {}
    for arah in ("ya", "tidak"):
        tgt = cab.get(arah) if isinstance(cab, dict) else None
        if tgt and tgt not in kode_lk:
            errors.append(
                _("branch “%(arah)s” leads to step “%(kode)s”, which does not exist")
                % {"arah": arah, "kode": tgt}
            )
    waktu = lk.get("waktu", "")
    tidak_dipantau = lk.get("waktu_tidak_dipantau", False)
    if not isinstance(tidak_dipantau, bool):
        errors.append(_("waktu_tidak_dipantau must be true or false"))
    if waktu is not None and not isinstance(waktu, str):
        errors.append(_("waktu must be text"))
    elif g := galat_waktu(
        waktu or "",
        tidak_dipantau is True,
        petunjuk=_("If the step has no tracked limit, set waktu_tidak_dipantau to true."),
    ):
        errors.append(g)
    if lk.get("keyakinan", Langkah.Keyakinan.TINGGI) not in Langkah.Keyakinan.values:
        errors.append(
            _("keyakinan must be one of: %(nilai)s")
            % {"nilai": ", ".join(Langkah.Keyakinan.values)}
        )
    return errors


def _normal(d: dict) -> dict:
    """The comparable content of an SOP dict (for 'unchanged' detection)."""
    out = {
        f: d.get(f) if d.get(f) is not None else ("" if f not in TANGGAL else None)
        for f in IDENTITAS
    }
    for f in DAFTAR:
        out[f] = list(out[f] or [])
    out["tanpa_langkah"] = bool(out["tanpa_langkah"])
    out["pelaksana"] = [
        {
            "kode": p["kode"],
            "nama": p["nama"],
            "eksternal": bool(p.get("eksternal")),
            "dicatat_oleh": p.get("dicatat_oleh") or None,
        }
        for p in d.get("pelaksana") or []
    ]
    out["langkah"] = [
        {
            "nomor": int(lk["nomor"]),
            "kode": lk["kode"],
            "kegiatan": lk["kegiatan"],
            "pelaksana": sorted(lk.get("pelaksana") or []),
            "kelengkapan": list(lk.get("kelengkapan") or []),
            "kelengkapan_wajib": list(lk.get("kelengkapan_wajib") or []),
            "kelengkapan_alat": _alat(lk),
            "waktu": lk.get("waktu") or "",
            "waktu_tidak_dipantau": bool(lk.get("waktu_tidak_dipantau")),
            "keyakinan": lk.get("keyakinan") or Langkah.Keyakinan.TINGGI,
            "output": lk.get("output") or "",
            "keterangan": lk.get("keterangan") or "",
            "cabang": {
                "ya": (lk.get("cabang") or {}).get("ya") or "",
                "tidak": (lk.get("cabang") or {}).get("tidak") or "",
            },
            "tunggu_pemohon": bool(lk.get("tunggu_pemohon")),
            "saat_kedaluwarsa": lk.get("saat_kedaluwarsa") or "",
        }
        for lk in d.get("langkah") or []
    ]
    return out


def _alat(lk: dict) -> list[str]:
    """The step's equipment items; files without the key get the default classification."""
    if lk.get("kelengkapan_alat") is None:
        return alat_bawaan(list(lk.get("kelengkapan") or []))
    return list(lk["kelengkapan_alat"])


def _peran(kode: str, nama: str = "", eksternal: bool = False) -> Pelaksana:
    obj, _created = Pelaksana.objects.get_or_create(
        kode=kode, defaults={"nama": nama or kode.replace("_", " ").title(), "eksternal": eksternal}
    )
    return obj


def simpan_sop(d: dict, revisi: int, user=None, status=Sop.Status.BERLAKU) -> Sop:
    """Write one (validated) interchange dict as SOP revision ``revisi``."""
    sop = Sop(revisi=revisi, status=status, dibuat_oleh=user)
    for f in IDENTITAS:
        v = d.get(f)
        if f in TANGGAL:
            v = _tanggal(v, f, [])
        elif f in DAFTAR:
            v = list(v or [])
        elif f == "tanpa_langkah":
            v = bool(v)
        elif v is None:
            v = ""
        setattr(sop, f, v)
    sop.save()
    peran = {}
    for i, p in enumerate(d.get("pelaksana") or []):
        obj = _peran(p["kode"], p["nama"], bool(p.get("eksternal")))
        pencatat = _peran(p["dicatat_oleh"]) if p.get("dicatat_oleh") else None
        if pencatat and not obj.dicatat_oleh_id:
            obj.dicatat_oleh = pencatat
            obj.save(update_fields=["dicatat_oleh"])
        peran[p["kode"]] = obj
        KolomPelaksana.objects.create(
            sop=sop,
            pelaksana=obj,
            urutan=i,
            nama=p["nama"][:200],
            eksternal=bool(p.get("eksternal")),
            dicatat_oleh=pencatat,
        )
    for lk in d.get("langkah") or []:
        cab = lk.get("cabang") or {}
        obj = Langkah(
            sop=sop,
            nomor=int(lk["nomor"]),
            kode=lk["kode"],
            kegiatan=lk["kegiatan"],
            kelengkapan=list(lk.get("kelengkapan") or []),
            kelengkapan_wajib=list(lk.get("kelengkapan_wajib") or []),
            kelengkapan_alat=_alat(lk),
            waktu=lk.get("waktu") or "",
            waktu_tidak_dipantau=bool(lk.get("waktu_tidak_dipantau")),
            keyakinan=lk.get("keyakinan") or Langkah.Keyakinan.TINGGI,
            output=lk.get("output") or "",
            keterangan=lk.get("keterangan") or "",
            cabang_ya=cab.get("ya") or "",
            cabang_tidak=cab.get("tidak") or "",
            tunggu_pemohon=bool(lk.get("tunggu_pemohon")),
            saat_kedaluwarsa=lk.get("saat_kedaluwarsa") or "",
        )
        obj.save()  # computes batas
        obj.pelaksana.set([peran[k] for k in lk.get("pelaksana") or []])
    return sop


def impor(data, *, user=None, dry_run: bool = False, fixture: bool = False) -> HasilImpor:
    """Validate everything, then write all or nothing. Same content twice creates nothing.

    A changed SOP becomes a new revision in force (the one in force is archived; running requests
    keep theirs). With ``fixture=True`` (``setup_portal`` loading ``fixtures/sop/``) content equal
    to *any* earlier revision counts as unchanged, so an admin's later revision is never undone by
    re-running setup; and a changed fixture whose SOP an admin has revised becomes a draft for the
    admin to review instead of replacing the admin's revision in force.
    """
    errors = validasi(data)
    if errors:
        raise ImporGagal(errors)
    hasil = HasilImpor()
    with transaction.atomic():
        for d in data:
            revisi = list(Sop.objects.filter(kode=d["kode"]).order_by("-revisi"))
            if not revisi:
                simpan_sop(d, 1, user)
                hasil.dibuat.append(d["kode"])
                continue
            baru = _normal(d)
            if any(
                _normal(sop_ke_dict(r, dengan_batas=False)) == baru
                for r in (revisi if fixture else revisi[:1])
            ):
                hasil.sama.append(d["kode"])
                continue
            berlaku = next((r for r in revisi if r.status == Sop.Status.BERLAKU), None)
            if fixture and berlaku is not None and berlaku.dibuat_oleh_id is not None:
                simpan_sop(d, revisi[0].revisi + 1, user, status=Sop.Status.DRAF)
                hasil.draf.append(d["kode"])
                continue
            Sop.objects.filter(kode=d["kode"], status=Sop.Status.BERLAKU).update(
                status=Sop.Status.ARSIP
            )
            simpan_sop(d, revisi[0].revisi + 1, user)
            hasil.revisi_baru.append(d["kode"])
        if dry_run:
            transaction.set_rollback(True)
    return hasil


def baca_berkas(path_or_bytes, nama: str = "") -> list[dict]:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else open(path_or_bytes, "rb").read()  # noqa: SIM115
    if len(data) > MAKS_BERKAS:
        raise ImporGagal([f"Berkas terlalu besar (maksimal {MAKS_BERKAS // 1024 // 1024} MB)."])
    nama = nama or (path_or_bytes if isinstance(path_or_bytes, str) else "")
    if data[:2] == b"PK" or nama.endswith(".xlsx"):
        return baca_xlsx(data)
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ImporGagal([f"Berkas bukan JSON atau xlsx yang valid: {e}"]) from e
