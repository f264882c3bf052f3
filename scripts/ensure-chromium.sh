#!/usr/bin/env bash
# The preview app's end-to-end tests drive Debian's Chromium through playwright-core
# (`npx playwright install` cannot download browsers on these machines). Installs it when missing.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Chromium not found at $chromium. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH." >&2
  exit 1
fi
echo "Installing Chromium with apt-get (once)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The emoji font lets screenshots show the severity emoji instead of empty boxes.
apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
