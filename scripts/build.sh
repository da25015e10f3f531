#!/usr/bin/env bash
# Configures and builds LeanDesk core with CMake and Ninja.
#
#   scripts/build.sh [target...]      # no target: build everything
#
# Environment:
#   BUILD_DIR   build directory (default: build, relative to the repository root)
#   BUILD_TYPE  CMake build type (default: RelWithDebInfo for a new build directory; an existing
#               one keeps its own)
#   JOBS        parallel jobs (default: number of cores)
#   CMAKE_ARGS  extra arguments for the configure step, e.g. "-DLEANDESK_SANITIZE=ON"
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
read -r -a extra_args <<<"${CMAKE_ARGS:-}"

configure=(cmake -S "$ROOT" -B "$BUILD_DIR" "${extra_args[@]}")
if [[ -n ${BUILD_TYPE:-} ]]; then
    configure+=(-DCMAKE_BUILD_TYPE="$BUILD_TYPE")
fi
if [[ -f $BUILD_DIR/CMakeCache.txt ]]; then
    generator=$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$BUILD_DIR/CMakeCache.txt")
    if [[ $generator != Ninja ]]; then
        echo "[build] $BUILD_DIR was configured with '$generator', not Ninja; remove it or set BUILD_DIR" >&2
        exit 1
    fi
else
    configure+=(-G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}")
fi

echo "[build] configuring $BUILD_DIR"
"${configure[@]}" >/dev/null

targets=()
for t in "$@"; do targets+=(--target "$t"); done
echo "[build] building ${*:-all targets} with $JOBS jobs"
cmake --build "$BUILD_DIR" --parallel "$JOBS" "${targets[@]}"
