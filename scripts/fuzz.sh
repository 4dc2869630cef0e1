#!/usr/bin/env bash
# Fuzzes the parsers of input a counter does not control, with libFuzzer (issue 12):
#   scripts/fuzz.sh build                  compile every target into .build-fuzz/ (only what changed)
#   scripts/fuzz.sh run TARGET SECONDS     fuzz one target, growing Fuzz/corpus/TARGET/, then minimise it
#   scripts/fuzz.sh replay                 run every saved input of every target once: fixed seed, no new
#                                          inputs, at most 60 s a target; non-zero on any crash or failure
#   scripts/fuzz.sh list                   the targets
#
# Each target is built with swiftc straight over its harness (Fuzz/) and the dependency-free sources it
# exercises, not through SwiftPM, whose fuzzer flags are unreliable on Linux (/work/shared/TRAPS.md).
# Its saved inputs are Fuzz/seeds/TARGET/ (realistic inputs, by hand), Fuzz/regressions/TARGET/ (every
# input that ever failed, each with a regression test in Tests/) and Fuzz/corpus/TARGET/ (libFuzzer's own,
# minimised). A failing input found by `run` lands in .build-fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."

out=.build-fuzz
kit=Sources/BoxOfficeKit
targets=(feed-payload hlc seat-layout card-filter)

# The files of each target: its harness, then the parser's own sources.
sources() {
  case "$1" in
    feed-payload) echo Fuzz/FeedPayloadFuzz.swift $kit/Replica/FeedPayload.swift $kit/Store/StoreError.swift $kit/Core/ErrorKind.swift ;;
    hlc)          echo Fuzz/HLCFuzz.swift $kit/ChangeLog/HLC.swift ;;
    seat-layout)  echo Fuzz/SeatLayoutFuzz.swift $kit/Catalog/SeatLayout.swift $kit/Catalog/SeatLayoutParser.swift $kit/Catalog/SeatKind.swift ;;
    card-filter)  echo Fuzz/CardFilterFuzz.swift $kit/Sales/PaymentReference.swift $kit/Core/CardData.swift ;;
    *) echo "fuzz.sh: unknown target '$1' (targets: ${targets[*]})" >&2; return 64 ;;
  esac
}

# -O keeps every precondition (bounds, overflow, exclusivity) and runs many more inputs a second than
# -Onone; -g gives the reports file and line. The toolchain's own lld links: the default ld.gold links
# the same binary but prints some 140 harmless "Cannot export local symbol" warnings, one for each of
# the ASan runtime's local assembly helpers (`__asan_check_*`, `__asan_report_*_asm`), which lld does
# not, so the build prints nothing unless something is wrong.
swift_flags=(-sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g -warnings-as-errors -use-ld=lld)

build_target() {
  local target=$1 files binary
  files=(Fuzz/FuzzSupport.swift $(sources "$target"))
  binary=$out/$target
  if [[ -x $binary ]] && [[ -z $(find "${files[@]}" scripts/fuzz.sh -newer "$binary" 2>/dev/null) ]]; then
    return 0
  fi
  echo "fuzz.sh: building $target"
  mkdir -p "$out/modules/$target"
  # The module name keeps the targets' intermediate files apart; the sources are one module, so the
  # harness reaches the parsers' internal API as the kit's tests do.
  swiftc "${swift_flags[@]}" -module-name "Fuzz_${target//-/_}" -module-cache-path "$out/module-cache" \
    "${files[@]}" -o "$binary"
}

build() {
  for target in "${targets[@]}"; do build_target "$target"; done
}

# Leak checking stays on: a parser that leaks on some input is a finding too. Swift's own crash
# backtracer is off: it runs inside the failing process and trips over ASan's shadow memory, hiding
# the report libFuzzer and ASan give.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}
export SWIFT_BACKTRACE=enable=no

inputs() {
  local target=$1
  mkdir -p "Fuzz/corpus/$target" "Fuzz/seeds/$target" "Fuzz/regressions/$target"
  echo "Fuzz/corpus/$target" "Fuzz/seeds/$target" "Fuzz/regressions/$target"
}

run() {
  local target=$1 seconds=$2
  sources "$target" > /dev/null
  build_target "$target"
  mkdir -p "$out/artifacts/$target"
  # New inputs go into the first folder, the corpus; -timeout makes a pathologically slow input a
  # finding; -max_len lets inputs grow past libFuzzer's 4 KiB default (a payload nested deeper than
  # SQLite's limit takes 4 KiB) while the saved corpus stays small.
  local status=0
  "$out/$target" -max_total_time="$seconds" -timeout=10 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$target/" $(inputs "$target") || status=$?
  minimise "$target"
  if ((status != 0)); then
    echo "fuzz.sh: $target failed (exit $status); the input is in $out/artifacts/$target/:" >&2
    ls -t "$out/artifacts/$target" | head -1 >&2
  fi
  return $status
}

# Keeps only the corpus inputs that add coverage beyond the seeds and regressions (which stay as
# they are): libFuzzer's -merge=1 counts what its first folder holds and adds only what is new to it.
# Edges alone decide (-use_counters=0), not how often each ran, which keeps the saved corpus to a few
# hundred small files; fuzzing at length regrows the rest in minutes.
minimise() {
  local target=$1 scratch
  scratch=$(mktemp -d)
  for file in Fuzz/seeds/"$target"/* Fuzz/regressions/"$target"/*; do
    [[ -f $file ]] && cp "$file" "$scratch/kept-$(basename "$file")"
  done
  "$out/$target" -merge=1 -use_counters=0 -timeout=10 "$scratch" "Fuzz/corpus/$target" 2>"$out/merge-$target.log" \
    || { cat "$out/merge-$target.log" >&2; rm -rf "$scratch"; return 1; }
  rm -f "$scratch"/kept-*
  rm -f "Fuzz/corpus/$target"/*
  if compgen -G "$scratch/*" > /dev/null; then mv "$scratch"/* "Fuzz/corpus/$target/"; fi
  rm -rf "$scratch"
  echo "fuzz.sh: $target corpus: $(ls "Fuzz/corpus/$target" | wc -l) inputs, $(cat "Fuzz/corpus/$target"/* 2>/dev/null | wc -c) bytes"
}

# CI: every saved input once, with a fixed seed and -runs=0 so that no new random input is made; an
# unrelated change can fail this only by breaking a parser on an input already saved.
replay() {
  local failed=0
  for target in "${targets[@]}"; do
    local log=$out/replay-$target.log status=0
    mkdir -p "$out/artifacts/replay-$target"
    timeout 60 "$out/$target" -runs=0 -seed=1 -timeout=20 -artifact_prefix="$out/artifacts/replay-$target/" \
      $(inputs "$target") > "$log" 2>&1 || status=$?
    if ((status == 0)); then
      echo "fuzz.sh: $target: $(grep -o 'INITED.*' "$log" | head -1 || echo 'replayed')"
    else
      failed=1
      ((status == 124)) && echo "fuzz.sh: $target: the replay took more than 60 s" >&2
      echo "fuzz.sh: $target FAILED (exit $status):" >&2
      tail -40 "$log" >&2
    fi
  done
  return $failed
}

case "${1:-}" in
  build) build ;;
  run)
    [[ $# -eq 3 && $3 =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh run TARGET SECONDS" >&2; exit 64; }
    run "$2" "$3" ;;
  replay) build; replay ;;
  list) printf '%s\n' "${targets[@]}" ;;
  *) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64 ;;
esac
