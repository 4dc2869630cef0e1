#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, starts the servers the tests use on
# 127.0.0.1 (and stops them on exit), then runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

swift build --build-tests
swift test "$@"
