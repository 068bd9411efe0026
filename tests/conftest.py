"""Shared fixtures: the portal's base data (regions, calendar, roles, offices, SOPs, demo users)
is loaded once per test database; each test runs in a rolled-back transaction on top of it."""

import pytest
from django.contrib.auth import get_user_model


def _isi_data_dasar():
    from sop.models import Unit

    if not Unit.objects.filter(kode="dinas-koperasi-ukm-inhil").exists():
        from io import StringIO

        from django.core.management import call_command
        from django.test import override_settings

        # demo users and the demo round, without the records that run SOPs (the living BPUM
        # round, the loan proposals and collection letters, the licensing requests): their clocks
        # are relative to today, and tests build the records they look at
        with override_settings(BPUM_DEMO_USULAN=False, DEMO_PROSES=False):
            call_command("setup_portal", "--demo", stdout=StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _isi_data_dasar()


@pytest.fixture(autouse=True)
def _data_dasar(request):
    """Browser (transactional) tests flush the tables: load the base data again when it is gone."""
    if "django_db" in {m.name for m in request.node.iter_markers()} or any(
        f in request.fixturenames for f in ("db", "transactional_db", "live_server")
    ):
        request.getfixturevalue(
            "db" if "live_server" not in request.fixturenames else "transactional_db"
        )
        _isi_data_dasar()


@pytest.fixture(autouse=True)
def _jadwal_segar():
    """The schedule cache is per process: a test's rolled-back holiday must not leak into the next."""
    from sop.jadwal import kosongkan_cache

    kosongkan_cache()
    yield
    kosongkan_cache()


def pytest_collection_modifyitems(config, items):
    """Browser tests last: their table flush is then followed by as few reloads as possible."""
    items.sort(key=lambda it: 1 if it.get_closest_marker("e2e") else 0)


@pytest.fixture
def pengguna():
    """Demo user by username: pengguna("desa.tembilahan-kota")."""
    User = get_user_model()
    return lambda username: User.objects.get(username=username)


@pytest.fixture
def masuk(client):
    """Log the test client in as a demo user."""

    def _masuk(username):
        client.logout()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return _masuk
