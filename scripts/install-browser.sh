#!/usr/bin/env bash
# Install the browser the end-to-end tests drive: Debian's Chromium at /usr/bin/chromium.
# Idempotent and quiet: does nothing when Chromium is already there. Playwright's own browser download
# (`playwright install`) is never used: the tests launch this system Chromium through executable_path.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && chromium --version >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser.sh: apt-get not found; install Chromium with your package manager" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
chromium --version
