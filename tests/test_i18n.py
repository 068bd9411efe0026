"""The Bahasa Indonesia catalogue is complete, up to date and actually used.

The UI strings are English msgids; an untranslated or missing msgid shows up in English on
screen. Fix any failure here with ``scripts/i18n_refresh.sh`` and translate what it lists.
"""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
FIX = "run scripts/i18n_refresh.sh and translate: "


def _load_checker():
    spec = importlib.util.spec_from_file_location("i18n_check", ROOT / "scripts" / "i18n_check.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


check = _load_checker()


def _require(*tools):
    missing = [t for t in tools if shutil.which(t) is None]
    assert not missing, f"GNU gettext tools missing: {missing} (scripts/bootstrap.sh installs them)"


@pytest.fixture(scope="module")
def catalogue():
    assert check.PO_PATH.exists(), f"{check.PO_PATH} is missing: {FIX}everything"
    return check.parse_po(check.PO_PATH)


def test_every_entry_translated_and_not_fuzzy(catalogue):
    header, entries = catalogue
    assert len(entries) > 100, "the catalogue looks truncated"
    problems = check.catalogue_problems(header, entries)
    assert not problems, FIX + "\n  " + "\n  ".join(problems)


def test_catalogue_matches_sources(tmp_path, catalogue):
    """makemessages on a fresh copy of the sources yields exactly the committed msgids."""
    _require("xgettext", "msgmerge", "msguniq")
    fresh = check.fresh_entries(tmp_path)
    assert fresh, "makemessages found no msgids at all"
    have, want = {c.key for c in catalogue[1]}, {e.key for e in fresh}
    missing = [e for e in fresh if e.key not in have]
    stale = [c for c in catalogue[1] if c.key not in want]
    assert not missing, (
        f"{len(missing)} msgid(s) not in the catalogue; "
        + FIX
        + "\n  "
        + "\n  ".join(e.describe() for e in missing)
    )
    assert not stale, (
        f"{len(stale)} msgid(s) no longer in the sources; run scripts/i18n_refresh.sh "
        "(makemessages --no-obsolete drops them):\n  " + "\n  ".join(e.describe() for e in stale)
    )


def test_compiled_catalogue_is_used(tmp_path, settings):
    """Compile the committed .po into a temporary locale dir and use it through Django."""
    _require("msgfmt")
    out = tmp_path / "locale" / check.LANGUAGE / "LC_MESSAGES"
    out.mkdir(parents=True)
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(out / "django.mo"), str(check.PO_PATH)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt rejected the catalogue:\n{result.stderr}"
    # Changing LOCALE_PATHS resets Django's translation caches (and again on teardown).
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    # "Log in" is also in django.contrib.admin's catalogue; the others exist only in ours.

    with translation.override("id"):
        assert translation.gettext("Log in") == "Masuk"
        assert translation.gettext("My tasks") == "Tugas Saya"
        assert translation.gettext("Wrong username or password. Please try again.") == (
            "Nama pengguna atau kata sandi salah. Silakan coba lagi."
        )
        assert translation.ngettext("%(c)s item", "%(c)s items", 1) % {"c": 1} == "1 data"
        assert translation.ngettext("%(c)s item", "%(c)s items", 5) % {"c": 5} == "5 data"
        html = Template(
            '{% load i18n %}{% translate "Overdue" %}|'
            "{% blocktranslate count c=n %}{{ c }} item{% plural %}{{ c }} items"
            "{% endblocktranslate %}"
        ).render(Context({"n": 3}))
        assert html == "Lewat Tenggat|3 data"
