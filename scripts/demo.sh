#!/usr/bin/env bash
# Sets up the machine, builds LeanDesk core and runs the demo: the real engine on a local database
# file, told as a short story (examples/demo).
#
#   scripts/demo.sh [DATABASE]     # default: $BUILD_DIR/leandesk-demo.db, recreated on every run
#
# Environment: BUILD_DIR (default build) and what scripts/build.sh reads.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export BUILD_DIR=${BUILD_DIR:-build}

"$ROOT/scripts/setup.sh"

# Only what the demo needs: the test suites are built by scripts/test.sh.
if ! "$ROOT/scripts/build.sh" leandesk-demo; then
    echo "[demo] could not build the target leandesk-demo (see above; it needs LEANDESK_BUILD_EXAMPLES=ON)" >&2
    exit 1
fi

demo=$BUILD_DIR/examples/leandesk-demo
if [[ ! -x $demo ]]; then
    echo "[demo] $demo is missing after the build" >&2
    exit 1
fi

if (($# == 0)); then
    set -- "$BUILD_DIR/leandesk-demo.db"
fi
echo "[demo] $demo $*"
echo
exec "$demo" "$@"
