#!/usr/bin/env bash
# Prepare a machine for the portal: Debian packages, a Python 3.12+ virtualenv in .venv with the
# locked dependencies, compiled translations and migrated database. Idempotent: a second run only
# checks and returns within seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*"; }

# 1. Debian packages: chromium (browser tests), poppler-utils (PDF -> PNG checks), gettext
#    (compilemessages), pango (WeasyPrint), postgresql (CI's second database).
need_pkgs=()
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need_pkgs+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || need_pkgs+=(gettext)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need_pkgs+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || need_pkgs+=(fonts-dejavu-core)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "apt-get install ${need_pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    log "missing Debian packages (install them as root): ${need_pkgs[*]}"
  fi
fi

# 2. Python 3.12 or newer: PYTHON env, then python3.13/3.12 on PATH, then pyenv's versions.
find_python() {
  local c
  for c in "${PYTHON:-}" python3.13 python3.12 python3 \
           $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do
    [ -n "$c" ] || continue
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  return 1
}
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  PY=$(find_python) || { echo "Python 3.12+ tidak ditemukan (set PYTHON=/path/to/python3.12)" >&2; exit 1; }
  log "creating .venv with $PY ($("$PY" --version))"
  rm -rf .venv
  "$PY" -m venv .venv
fi

# 3. Locked dependencies, reinstalled only when requirements.lock changes.
stamp=.venv/.lock-sha
want=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing requirements.lock"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
  echo "$want" > "$stamp"
fi

# 4. Translations and database.
export PATH="$ROOT/.venv/bin:$PATH"
python manage.py compilemessages -v 0 --ignore=.venv >/dev/null
python manage.py migrate -v 0 --no-input
python manage.py createcachetable
