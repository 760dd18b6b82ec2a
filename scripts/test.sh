#!/usr/bin/env bash
# Installs what the tests need and runs them all: the README's test command.
#   - Python packages from requirements-dev.txt, into the python3 on PATH
#     (activate a virtual environment first if you want them kept apart);
#   - Debian's chromium for the browser tests, when it is missing (browser downloads
#     do not work everywhere, so Playwright drives the system Chromium).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k queries`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium >/dev/null
fi

"$PYTHON" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
exec "$PYTHON" -m pytest "$@"
