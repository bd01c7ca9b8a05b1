#!/usr/bin/env bash
# Installs the headless Chromium the dashboard's browser tests drive (Debian's `chromium` package),
# when none is on the PATH and $FEDLINK_CHROMIUM names none. Run by .ci/run, and by the browser tests
# themselves when they find no browser, so that `mvn -B verify` needs nothing installed by hand.
# Needs apt-get and root (or sudo without a password).
set -euo pipefail
if [ -n "${FEDLINK_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 \
    || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium.sh: no apt-get here; install a Chromium (or Chrome) and put it on the PATH, or set FEDLINK_CHROMIUM" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! sudo -n true 2>/dev/null; then
    echo "install-chromium.sh: not root and no password-less sudo; run: sudo apt-get install -y chromium" >&2
    exit 1
  fi
  sudo="sudo -n"
fi
echo "install-chromium.sh: installing Debian's chromium for the dashboard's browser tests" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
