#!/usr/bin/env bash
# The library as an integrator builds it: a plain Release build (no -g), and the ABI check on it.
#
# tests/abi's abi.compatible runs in the main build (RelWithDebInfo). An integrator who builds with
# -DCMAKE_BUILD_TYPE=Release and runs ctest must get the same verdict: compatible, with the
# functions added since the baseline listed, never "added symbols not referenced by debug info"
# as a break (the C API's files carry debug info in every build type: CMakeLists.txt). This suite
# builds only the shared library in $LEANDESK_BUILD_DIR/release and runs tests/abi/check_abi.sh on
# it, requiring exit status 0 (a SKIP, 77, would mean signatures were not compared).
#
# Environment (from scripts/test.sh): LEANDESK_SOURCE_DIR, LEANDESK_BUILD_DIR, JOBS;
# LEANDESK_BUILD_ONLY=1 builds and stops.
set -euo pipefail

SRC=${LEANDESK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${LEANDESK_BUILD_DIR:-$SRC/build}/release
JOBS=${JOBS:-2}

if ! command -v abidiff >/dev/null; then
    echo "abidiff is not installed (abigail-tools): nothing to check"
    exit 77
fi

echo "[release] configuring $BUILD (CMAKE_BUILD_TYPE=Release, tests, benchmarks and examples off)"
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLEANDESK_BUILD_TESTS=OFF \
    -DLEANDESK_BUILD_BENCH=OFF -DLEANDESK_BUILD_EXAMPLES=OFF >/dev/null
echo "[release] building the shared library"
cmake --build "$BUILD" --parallel "$JOBS" --target leandesk
[[ ${LEANDESK_BUILD_ONLY:-0} == 1 ]] && exit 0

lib=$(find "$BUILD" -maxdepth 1 -name 'libleandesk.so.*.*.*' | head -n 1)
[[ -n $lib ]] || { echo "no libleandesk.so.X.Y.Z in $BUILD"; exit 1; }
baseline=$(ls "$SRC"/tests/abi/leandesk-*.abi | sort -V | tail -n 1)

set +e
bash "$SRC/tests/abi/check_abi.sh" "$baseline" "$lib" "$SRC/include/leandesk"
rc=$?
set -e
if ((rc != 0)); then
    echo "[release] FAIL: the ABI check on a Release build exited $rc (0 expected, as in RelWithDebInfo)"
    exit 1
fi
echo "[release] the Release library passes the ABI check with its signatures compared"
