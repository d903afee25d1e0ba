#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the test suite needs, only those that are missing.
# Idempotent: when everything is installed it only runs `dpkg -s`. Extra packages can be passed as
# arguments. Without root (and without passwordless sudo) or without apt it warns and exits 0.
set -euo pipefail

# Packages needed by the tests (PDF rendering, fonts, headless browser, PDF inspection). Extend here.
SYSTEM_PACKAGES=(
  fonts-liberation2
  libharfbuzz-subset0
  libpango-1.0-0
  libpangoft2-1.0-0
  chromium
  poppler-utils
)

packages=("${SYSTEM_PACKAGES[@]}" "$@")

warn() { echo "install_system_deps: warning: $*" >&2; }

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  warn "dpkg/apt-get not available; make sure these are installed: ${packages[*]}"
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  warn "not root and no passwordless sudo; skipping install of: ${missing[*]}"
  exit 0
fi

echo "install_system_deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
