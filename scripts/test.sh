#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, starts the servers the tests use on
# 127.0.0.1 (and stops them on exit), then runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

work=$(mktemp -d /tmp/boxoffice-test.XXXXXX)
chmod 755 "$work"
cleanup() {
  scripts/postgres.sh stop "$work/postgres" || true
  rm -rf "$work"
}
trap cleanup EXIT

BOXOFFICE_TEST_POSTGRES_URL=$(scripts/postgres.sh start "$work/postgres")
export BOXOFFICE_TEST_POSTGRES_URL
# Every server above must be there: a test that needs one fails instead of skipping.
export BOXOFFICE_REQUIRE_TEST_SERVERS=1

swift build --build-tests
swift test "$@"
