#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, replays the fuzz targets' saved inputs, starts
# the servers the tests use on 127.0.0.1 (a PostgreSQL 15 and an SMTP sink), stops them on exit, and
# runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each phase's time, printed as it ends and again together at the end (CI's budget is kept by them).
phase_times=()
phase_started=$SECONDS
phase_done() {
  phase_times+=("$1 $((SECONDS - phase_started)) s")
  echo "test.sh: $1 took $((SECONDS - phase_started)) s"
  phase_started=$SECONDS
}

scripts/setup.sh --test
phase_done "setup"

# The parsers of input a counter does not control, replayed over their saved fuzz inputs (no new
# random inputs, so an unrelated change never fails here on one): see scripts/fuzz.sh.
scripts/fuzz.sh build
scripts/fuzz.sh replay
phase_done "fuzz build and replay"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-test.XXXXXX")
chmod 755 "$scratch"   # the postgres user must reach its data folder inside
servers=()
stop_servers() {
  scripts/postgres.sh stop "$scratch/postgres" || true
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap stop_servers EXIT

# PostgreSQL: head office for the sync tests; each test makes its own database.
BOXOFFICE_TEST_POSTGRES_URL=$(scripts/postgres.sh start "$scratch/postgres")
export BOXOFFICE_TEST_POSTGRES_URL
echo "test.sh: PostgreSQL at $BOXOFFICE_TEST_POSTGRES_URL"

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
phase_done "servers"

# Every server above must be there: a test that needs one fails instead of skipping; and the
# PostgreSQL must ask nodes for their passwords, which the credential tests prove reach libpq.
export BOXOFFICE_REQUIRE_TEST_SERVERS=1
export BOXOFFICE_REQUIRE_PASSWORD_AUTH=1

# Every `--json` output the CLI tests see is kept here and checked against schemas/json/ below.
export BOXOFFICE_JSON_OUTPUTS="$scratch/json"
mkdir -p "$BOXOFFICE_JSON_OUTPUTS"

swift build --build-tests
phase_done "build"
swift test "$@"
phase_done "swift test"
python3 scripts/check_json.py "$BOXOFFICE_JSON_OUTPUTS"
phase_done "JSON schemas"

# `boxoffice serve` against its OpenAPI document (schemathesis, fixed seed, at most 60 s of it).
scripts/api_contract.sh
phase_done "OpenAPI contract (schemathesis)"

# The counter screen in headless Chromium (installed here when missing): a sale from the seat map,
# another process's sale turning up live, keyboard, phone size, the receipt's print, a refund, head
# office unreachable, a conflict resolved at head office, axe-core on each view. Screenshots are kept
# in the folder it prints (CI keeps it).
scripts/counter_screen.sh
phase_done "counter screen (headless Chromium)"

# The simulation (docs/simulation.md): counters and head office under faults, a fixed set of seeds,
# each on a PostgreSQL server of its own; a violation fails the run and prints its history.
for seed in 1 2 3; do
  "$(swift build --show-bin-path)/boxoffice-sim" --counters 4 --steps 300 --minutes 3 --seed "$seed"
done
phase_done "simulation (3 seeds, 4 counters, 300 steps each)"

# The kit's DocC builds without a warning (about half a minute after the test build).
echo "test.sh: the kit's DocC (swift package generate-documentation --warnings-as-errors)"
if ! swift package generate-documentation --target BoxOfficeKit --warnings-as-errors > "$scratch/docc.log" 2>&1; then
  grep -E -A8 "warning:|error:" "$scratch/docc.log" >&2 || cat "$scratch/docc.log" >&2
  echo "test.sh: the DocC build has warnings" >&2
  exit 1
fi
echo "test.sh: DocC built without warnings"
phase_done "DocC"
summary=$(printf '%s; ' "${phase_times[@]}")
echo "test.sh: phases: ${summary}$SECONDS s in all"
