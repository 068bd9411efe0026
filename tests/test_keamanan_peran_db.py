"""PostgreSQL: the application runs as a role that does not own the schema (sop.hak_db). That
role can do the portal's work (an intake writes the usulan, its jejak and clock) but cannot
change, delete or truncate audit rows, nor switch off or drop their triggers."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from sop.hak_db import PeranTidakSah, pernyataan_hak, tabel_audit, terapkan_hak

PERAN = "keamanan_peran_uji"  # cluster-wide name: unique to these tests
SANDI = "uji-peran-aplikasi"
AUDIT = [
    "sop_jejak",
    "sop_pelanggaran",
    "sop_peringatan",
    "sop_riwayatperubahan",
    "bpum_duplikatkeputusan",
]


def test_tabel_audit_dan_pernyataan():
    assert set(AUDIT) <= set(tabel_audit())
    sql = pernyataan_hak(
        "portal_app",
        skema="public",
        semua=["bpum_usulan", "sop_jejak"],
        audit=["sop_jejak"],
        quote=lambda n: f'"{n}"',
    )
    assert 'GRANT SELECT, INSERT ON "public"."sop_jejak" TO "portal_app"' in sql
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON "public"."bpum_usulan" TO "portal_app"' in sql
    assert not any("sop_jejak" in q and "UPDATE" in q for q in sql)
    with pytest.raises(PeranTidakSah):
        pernyataan_hak('x"; DROP', skema="public", semua=[], audit=[], quote=str)


pg = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles and triggers are PostgreSQL-only"
)


def _bersihkan(c):
    c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [PERAN])
    if c.fetchone():
        c.execute(f"DROP OWNED BY {PERAN}")
        c.execute(f"DROP ROLE {PERAN}")


@pytest.fixture
def peran_aplikasi(transactional_db):
    with connection.cursor() as c:
        _bersihkan(c)
        c.execute(f"CREATE ROLE {PERAN} LOGIN PASSWORD %s", [SANDI])
    try:
        call_command("portal_hak_db", PERAN, stdout=open(os.devnull, "w"))  # noqa: SIM115
        s = connection.settings_dict
        yield {
            "host": s["HOST"] or "127.0.0.1",
            "port": s["PORT"] or 5432,
            "dbname": s["NAME"],
            "user": PERAN,
            "password": SANDI,
        }
    finally:
        with connection.cursor() as c:
            _bersihkan(c)


def _sebagai(info, sql, params=()):
    """Run ``sql`` connected as the application role; rows of a SELECT."""
    with psycopg.connect(**info, autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else None


@pg
@pytest.mark.postgres
def test_peran_aplikasi_tidak_dapat_mengubah_audit(peran_aplikasi):
    info = peran_aplikasi
    (ct,) = _sebagai(info, "SELECT id FROM django_content_type LIMIT 1")[0]
    # it writes and reads audit rows (the identity sequence included) ...
    _sebagai(
        info,
        "INSERT INTO sop_riwayatperubahan (content_type_id, object_id, field, lama, baru, waktu)"
        " VALUES (%s, '1', 'nama', 'a', 'b', now())",
        [ct],
    )
    assert _sebagai(info, "SELECT count(*) FROM sop_riwayatperubahan")[0][0] == 1
    # ... and works on ordinary tables
    _sebagai(info, "UPDATE bpum_usulan SET diubah = diubah")
    _sebagai(info, "DELETE FROM django_session WHERE false")
    ditolak = []
    for t in AUDIT:
        for sql in (
            f"UPDATE {t} SET id = id",
            f"DELETE FROM {t}",
            f"TRUNCATE {t}",
            f"ALTER TABLE {t} DISABLE TRIGGER ALL",
            f"ALTER TABLE {t} DISABLE TRIGGER {t}_tak_berubah",
            f"DROP TRIGGER {t}_tak_berubah ON {t}",
            f"DROP TABLE {t}",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                _sebagai(info, sql)
            ditolak.append(sql)
    assert len(ditolak) == 7 * len(AUDIT)
    # the triggers are all still there and enabled
    with connection.cursor() as c:
        c.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '%%_tak_berubah' "
            "AND tgenabled = 'O'"
        )
        assert set(AUDIT) <= {r[0] for r in c.fetchall()}


@pg
@pytest.mark.postgres
def test_aplikasi_berjalan_sebagai_peran_bukan_pemilik(peran_aplikasi, tmp_path):
    """An intake through the services, connected as the application role: the usulan, its
    jejak, its clock, the form token and the advisory locks all work without ownership."""
    info = peran_aplikasi
    url = (
        f"postgres://{info['user']}:{info['password']}@{info['host']}:{info['port']}/"
        f"{info['dbname']}"
    )
    skrip = textwrap.dedent(
        """
        import django
        django.setup()
        from django.contrib.auth import get_user_model
        from bpum import services
        from bpum.models import Usulan
        from sop.models import Jejak, LangkahBerjalan, Wilayah
        from tests.bpum.conftest import data_usulan
        from tests.rekaman import milik
        user = get_user_model().objects.get(username="desa.tembilahan-kota")
        desa = Wilayah.objects.get(kode="14.04.04.1001")
        u = services.usulan_buat(user=user, desa=desa, data=data_usulan(77), token="t" * 32)
        lagi = services.usulan_buat(user=user, desa=desa, data=data_usulan(77), token="t" * 32)
        assert lagi.pk == u.pk and lagi.sudah_terdaftar == "formulir"
        assert Jejak.objects.filter(**milik(u)).count() == 1
        assert LangkahBerjalan.objects.filter(**milik(u)).count() == 1
        print("OK", u.nomor)
        """
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    r = subprocess.run(
        [sys.executable, "-c", skrip],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.startswith("OK BPUM-")


@pg
@pytest.mark.postgres
@pytest.mark.django_db
def test_keputusan_duplikat_punya_pemicu_audit():
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bpum.models import DuplikatKeputusan, Periode

    k = DuplikatKeputusan.objects.create(
        periode=Periode.objects.first(),
        nik="1404040101700001",
        keputusan=DuplikatKeputusan.Keputusan.BUKAN_DUPLIKAT,
        alasan="uji",
        user=get_user_model().objects.get(username="dinas.inhil"),
        waktu=timezone.now(),
    )
    with connection.cursor() as c:
        c.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'bpum_duplikatkeputusan_tak_berubah'"
        )
        assert c.fetchone()[0] == 1
        for sql in (
            "UPDATE bpum_duplikatkeputusan SET alasan = 'x' WHERE id = %s",
            "DELETE FROM bpum_duplikatkeputusan WHERE id = %s",
        ):
            with pytest.raises(IntegrityError), transaction.atomic():
                c.execute(sql, [k.pk])
    assert DuplikatKeputusan.objects.get(pk=k.pk).alasan == "uji"


@pg
@pytest.mark.postgres
@pytest.mark.django_db
def test_peran_pemilik_ditolak():
    with connection.cursor() as c:
        c.execute("SELECT current_user")
        (saya,) = c.fetchone()
    with pytest.raises(PeranTidakSah, match="pemilik"):
        terapkan_hak(saya)
    with pytest.raises(PeranTidakSah, match="belum ada"):
        terapkan_hak("peran_yang_tidak_ada_sama_sekali")
