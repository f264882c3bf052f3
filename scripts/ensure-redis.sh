#!/usr/bin/env bash
# The queue's tests start their own redis-server per suite (Debian's package; no system service is
# used). Installs it with apt-get when it is missing, as scripts/ensure-chromium.sh does for Chromium.
set -euo pipefail
if command -v "${REDIS_SERVER:-redis-server}" >/dev/null; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "redis-server not found. Install it (Debian: apt-get install redis-server) or set REDIS_SERVER to its path." >&2
  exit 1
fi
echo "Installing redis-server with apt-get (once)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends: only the server and its tools; the tests never use the system service.
apt-get install -y -qq --no-install-recommends redis-server >/dev/null
