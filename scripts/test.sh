#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, starts the servers the tests use on
# 127.0.0.1 (and stops them on exit), then runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

servers=()
scratch=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-test-servers.XXXXXX")
stop_servers() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap stop_servers EXIT

# SMTP: a sink that writes each received message as a file (tests that must stop and start a
# server, or need their own mail folder, start their own instance of scripts/smtp_sink.py).
export BOXOFFICE_TEST_MAILDIR="$scratch/mail"
python3 scripts/smtp_sink.py --port 0 --maildir "$BOXOFFICE_TEST_MAILDIR" > "$scratch/smtp.out" 2>"$scratch/smtp.err" &
servers+=($!)
for _ in $(seq 1 100); do
  grep -q '^LISTENING ' "$scratch/smtp.out" 2>/dev/null && break
  sleep 0.1
done
BOXOFFICE_TEST_SMTP_PORT=$(awk '/^LISTENING /{print $2; exit}' "$scratch/smtp.out")
[[ -n "$BOXOFFICE_TEST_SMTP_PORT" ]] || { echo "test.sh: the SMTP sink did not start" >&2; cat "$scratch/smtp.err" >&2; exit 1; }
export BOXOFFICE_TEST_SMTP_PORT
echo "test.sh: SMTP sink on 127.0.0.1:$BOXOFFICE_TEST_SMTP_PORT, mail in $BOXOFFICE_TEST_MAILDIR"

swift build --build-tests
swift test "$@"
