#!/usr/bin/env bash
# `make bench`: builds boxoffice-bench in release mode, starts a private PostgreSQL on 127.0.0.1
# (stopped on exit), runs every scenario and writes bench-results.json at the top level.
# Arguments are passed to boxoffice-bench (e.g. `scripts/bench.sh --tiny`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

swift build -c release --product boxoffice-bench
bench="$(swift build -c release --show-bin-path)/boxoffice-bench"

work=$(mktemp -d /tmp/boxoffice-bench.XXXXXX)
chmod 755 "$work"
cleanup() {
  scripts/postgres.sh stop "$work/postgres" || true
  rm -rf "$work"
}
trap cleanup EXIT

BOXOFFICE_BENCH_POSTGRES_URL=$(scripts/postgres.sh start "$work/postgres")
export BOXOFFICE_BENCH_POSTGRES_URL
"$bench" --output bench-results.json "$@"
