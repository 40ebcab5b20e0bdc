#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; PDF checks render pages with poppler's pdftoppm.
# Install them when missing (needs root and Debian's package archive), else fail loudly.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} for the browser and report tests" >&2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
  else
    echo "FATAL: ${missing[*]} missing and cannot be installed here (need root + apt-get)" >&2
    exit 1
  fi
fi
command -v chromium >/dev/null && command -v chromedriver >/dev/null \
  || { echo "FATAL: chromium/chromedriver still missing" >&2; exit 1; }
