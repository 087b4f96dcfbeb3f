#!/usr/bin/env bash
# The Debian packages the tests drive, installed when missing: chromium (the dashboard's
# browser tests, never a downloaded browser) and nginx (two servers behind a proxy).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "the tests need ${missing[*]}: install them with your package manager" >&2
    exit 0  # the tests that need them fail saying so
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
