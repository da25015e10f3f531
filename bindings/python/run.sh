#!/usr/bin/env bash
# Type-checks the Python binding (mypy --strict), builds it into a virtual environment, runs its
# tests and the example.
#
#   bindings/python/run.sh
#
# Called by scripts/test.sh (suite "python") after scripts/setup.sh, which installs pytest,
# scikit-build-core, pybind11, openpyxl and mypy. Environment: LEANDESK_SOURCE_DIR (the repository;
# default: two levels up), LEANDESK_BUILD_DIR (default: <source>/build), JOBS (parallel compile
# jobs), PYTHON (the interpreter; default python3), LEANDESK_SERVER (the leandesk-server binary the
# sync tests start; they fail without it). Everything it writes goes under
# $LEANDESK_BUILD_DIR/python: the venv, the CMake build tree (kept, so a rebuild with nothing
# changed is quick), the mypy cache and bytecode.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=${LEANDESK_SOURCE_DIR:-$(cd "$HERE/../.." && pwd)}
BUILD=${LEANDESK_BUILD_DIR:-$SRC/build}
mkdir -p "$BUILD/python"
OUT=$(cd "$BUILD/python" && pwd)
VENV=$OUT/venv
export CMAKE_BUILD_PARALLEL_LEVEL=${JOBS:-2}
export PYTHONPYCACHEPREFIX=$OUT/pycache PIP_DISABLE_PIP_VERSION_CHECK=1

step() { printf '\n== %s\n' "$*"; }

# --system-site-packages: the build tools and pytest that setup.sh installed are used as they are,
# so nothing is downloaded when they are there.
if [[ ! -x $VENV/bin/python ]]; then
    step "creating $VENV"
    "${PYTHON:-python3}" -m venv --system-site-packages "$VENV"
fi
PY=$VENV/bin/python
if ! "$PY" -c 'import scikit_build_core, pybind11, pytest, openpyxl, mypy' 2>/dev/null; then
    step "installing the build and test tools into the venv"
    "$PY" -m pip install --quiet "scikit-build-core>=0.10" "pybind11>=2.12" "pytest>=7" \
        openpyxl mypy
fi

# Before the build: it needs only the sources (the extension is typed by its stub _leandesk.pyi).
step "type check (mypy --strict: the package, the tests, the example)"
(cd "$HERE" && "$PY" -m mypy --strict --config-file pyproject.toml --cache-dir "$OUT/mypy-cache" \
    src/leandesk tests "$SRC/examples/python")

step "building and installing the binding (build tree $OUT/cmake)"
# No build isolation: the tools above are used, and the CMake tree in build-dir is reused.
# The build type of the main build (RelWithDebInfo, scripts/build.sh), not scikit-build-core's
# Release: with the same flags the engine's objects are ccache hits of the main build, so the
# library is not compiled a second time.
"$PY" -m pip install --quiet --no-build-isolation --no-deps --force-reinstall \
    -C build-dir="$OUT/cmake" -C cmake.build-type="${PYTHON_BUILD_TYPE:-RelWithDebInfo}" "$HERE"

step "tests"
if [[ -z ${LEANDESK_SERVER:-} ]]; then
    echo "LEANDESK_SERVER is not set: the sync tests (tests/test_sync.py) will fail" >&2
fi
cd "$OUT"  # not the source folder: the installed package is what is tested
"$PY" -m pytest -q -p no:cacheprovider "$HERE/tests"

step "example"
"$PY" "$SRC/examples/python/quickstart.py"

step "python binding: all passed"
