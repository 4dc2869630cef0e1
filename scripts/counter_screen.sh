#!/usr/bin/env bash
# The counter screen in a real headless browser: installs Debian's chromium and chromium-driver
# (apt-get) and Selenium with axe-selenium-python (pip) when missing, then runs
# scripts/counter_screen.py against `boxoffice serve` on 127.0.0.1 — a sale from the seat map, a
# seat sold meanwhile by another process, the keyboard, a phone-sized screen, the printed receipt, a
# refund by code, head office unreachable, a sync conflict resolved (on $BOXOFFICE_TEST_POSTGRES_URL)
# — with an accessibility check of each view. At most 5 minutes.
#
#     scripts/counter_screen.sh [ARTIFACTS]   (default .build/artifacts/counter-screen; `make test` runs it)
#
# Screenshots (1024x768 and 390x844), axe's results and the servers' logs stay in ARTIFACTS.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts=${1:-${BOXOFFICE_ARTIFACTS:-$PWD/.build/artifacts}/counter-screen}

missing=()
for package in chromium chromium-driver; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "counter_screen.sh: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  # setup.sh has just read the package lists on a fresh machine: read them again only if that fails.
  for attempt in 1 2 3 4 5; do
    if { [[ $attempt -eq 1 ]] || "${sudo_cmd[@]}" apt-get update -qq; } \
       && "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null; then
      break
    fi
    [[ $attempt -eq 5 ]] && { echo "counter_screen.sh: apt-get could not install ${missing[*]}: no browser test" >&2; exit 1; }
    echo "counter_screen.sh: apt-get failed (attempt $attempt), retrying in 10s" >&2
    sleep 10
  done
fi
# Selenium 4.27 is the newest whose dependencies this Python's index serves; axe-selenium-python
# 2.1.6 brings its own axe-core.
if ! python3 -c 'import selenium, axe_selenium_python' 2>/dev/null; then
  echo "counter_screen.sh: installing selenium and axe-selenium-python"
  python3 -m pip install --quiet 'selenium==4.27.1' 'axe-selenium-python==2.1.6' 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages 'selenium==4.27.1' 'axe-selenium-python==2.1.6'
fi

bin="$(swift build --show-bin-path)/boxoffice"
work=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-screen.XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -rf "$artifacts"
mkdir -p "$artifacts"
echo "counter_screen.sh: $(chromium --version 2>/dev/null | head -1), artifacts in $artifacts"
timeout --kill-after=10 300 python3 scripts/counter_screen.py --bin "$bin" --work "$work" --artifacts "$artifacts"
echo "counter_screen.sh: screenshots and accessibility results in $artifacts"
