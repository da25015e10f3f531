#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (AddressSanitizer + UndefinedBehaviorSanitizer) in
# $LEANDESK_BUILD_DIR/fuzz and gives each a short, bounded run from its seed corpus and dictionary.
# Prints the executions of each run; fails when a target crashes, leaks, hits undefined behaviour
# or finds an inconsistent error status. Longer runs: see docs/reliability.md.
#
# Environment (from scripts/test.sh): LEANDESK_SOURCE_DIR, LEANDESK_BUILD_DIR, JOBS; FUZZ_SECONDS
# (per target, default 20); LEANDESK_BUILD_ONLY=1 builds and stops.
set -euo pipefail

SRC=${LEANDESK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${LEANDESK_BUILD_DIR:-$SRC/build}/fuzz
JOBS=${JOBS:-2}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-20}
HERE=$SRC/tests/fuzz
TARGETS=(fuzz_capi_json fuzz_open_options fuzz_sign_in fuzz_backup_import fuzz_server_requests
    fuzz_pull_answer fuzz_http_layer)

if ! command -v clang++ >/dev/null; then
    echo "clang++ is not installed: the fuzz suite needs clang (libFuzzer)"
    exit 77
fi

# The library itself gets -fsanitize=fuzzer-no-link (coverage for libFuzzer) next to ASan/UBSan;
# LEANDESK_SANITIZE adds -fsanitize=address,undefined -fno-sanitize-recover=all. The library's
# options carry GCC's -fno-ipa-icf, which clang refuses: clang_launcher.sh drops it.
echo "[fuzz] configuring $BUILD with clang"
# -O1 -g1 (line tables for symbolized stacks), as the sanitizer suite: a bounded smoke run loses
# little to -O1, and the build takes far less time than at -O2 -g.
cmake -S "$HERE" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DLEANDESK_SANITIZE=ON \
    -DCMAKE_C_COMPILER_LAUNCHER="$HERE/clang_launcher.sh" -DCMAKE_CXX_COMPILER_LAUNCHER="$HERE/clang_launcher.sh" \
    "-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link" \
    "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link" \
    >/dev/null
echo "[fuzz] building ${TARGETS[*]}"
cmake --build "$BUILD" --parallel "$JOBS" --target "${TARGETS[@]}"
# scripts/test.sh builds this tree ahead, in the background, with LEANDESK_BUILD_ONLY=1.
[[ ${LEANDESK_BUILD_ONLY:-0} == 1 ]] && exit 0

export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:print_stacktrace=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for t in "${TARGETS[@]}"; do
    corpus=$BUILD/corpus/$t            # grows run after run; the seeds stay read-only in the tree
    mkdir -p "$corpus" "$BUILD/artifacts/$t"
    log=$BUILD/$t.log
    echo "[fuzz] $t: ${SECONDS_PER_TARGET}s from $HERE/corpus/$t with $HERE/dict/$t.dict"
    if "$BUILD/$t" "$corpus" "$HERE/corpus/$t" -dict="$HERE/dict/$t.dict" \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$BUILD/artifacts/$t/" -print_final_stats=1 >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "[fuzz] $t: ${execs:-?} executions, no failure"
    else
        status=1
        echo "[fuzz] $t FAILED; the input is in $BUILD/artifacts/$t/. Last lines of $log:"
        tail -n 60 "$log"
    fi
done
exit $status
