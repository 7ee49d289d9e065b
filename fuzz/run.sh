#!/usr/bin/env bash
# Fuzzes the engine for a chosen time per target (docs/fuzzing.md):
#
#   fuzz/run.sh [SECONDS] [TARGET...]    default: 600 seconds each for normalize, facts, explain
#
# Seeds each target's corpus with the knowledge examples and the evaluation sets, then runs
# libFuzzer; a crash leaves its input in fuzz/artifacts/TARGET/ and stops with a non-zero status.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(normalize facts explain)

cargo run --quiet --release --example seed -- "${targets[@]/#/corpus/}"
for target in "${targets[@]}"; do
  printf '\n== fuzzing %s for %s s\n' "$target" "$seconds"
  # The engine has no unsafe code: AddressSanitizer would only slow it down. Debug assertions
  # (integer overflow, slicing) stay on; an input slower than 10 s counts as a crash.
  cargo fuzz run --sanitizer none "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=16384 -timeout=10 -dict=engine.dict -print_final_stats=1
done
