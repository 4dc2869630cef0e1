#!/usr/bin/env bash
# Installs what building and testing BoxOfficeKit needs, and only what is missing.
#   scripts/setup.sh          system libraries for building and running
#   scripts/setup.sh --test   also the servers the tests start (PostgreSQL 15, a Python SMTP server)
set -euo pipefail

packages=(libsqlite3-dev libcurl4-openssl-dev libcrypt-dev libpq-dev pkg-config)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(postgresql-15 python3 python3-pip)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists; another apt run may hold the lock for a while.
  for attempt in 1 2 3 4 5; do
    if "${sudo_cmd[@]}" apt-get update -qq && "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null; then
      break
    fi
    [[ $attempt -eq 5 ]] && { echo "setup: apt-get failed" >&2; exit 1; }
    echo "setup: apt-get failed (attempt $attempt), retrying in 10s" >&2
    sleep 10
  done
fi

if [[ "${1:-}" == "--test" ]]; then
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    echo "setup: installing aiosmtpd"
    python3 -m pip install -q aiosmtpd 2>/dev/null || python3 -m pip install -q --break-system-packages aiosmtpd
  fi
fi
