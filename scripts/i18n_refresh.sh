#!/usr/bin/env bash
# Refresh the Bahasa Indonesia catalogue after adding or changing translatable strings:
#   1. makemessages: add new msgids to locale/id/LC_MESSAGES/django.po, drop removed ones;
#   2. compilemessages: build the .mo that Django reads (not committed: *.mo is git-ignored);
#   3. scripts/i18n_check.py: list every msgid still untranslated or fuzzy (exit 1 if any).
# Translate the listed entries in the .po (msgstr, or msgstr[0] for plurals; remove "#, fuzzy")
# and run this script again until it reports nothing. tests/test_i18n.py runs the same checks.
# The --ignore list must match IGNORES in scripts/i18n_check.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}

"$PY" manage.py makemessages -l id --no-obsolete \
  --ignore=.venv --ignore=tests --ignore=bench --ignore=artifacts
"$PY" manage.py compilemessages -l id --ignore=.venv
"$PY" scripts/i18n_check.py --no-fresh
