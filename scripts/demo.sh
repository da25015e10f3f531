#!/usr/bin/env bash
# Sets up the machine, builds LeanDesk core and runs the demo: the real engine on a local database
# file, told as a short story, then offline sync between two replicas through a real
# leandesk-server that the demo starts on loopback over HTTPS (examples/demo).
#
#   scripts/demo.sh [DATABASE]     # default: $BUILD_DIR/leandesk-demo.db, recreated on every run;
#                                  # the sync chapter's files go to $BUILD_DIR/leandesk-demo-sync/
#
# Environment: BUILD_DIR (default build) and what scripts/build.sh reads.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export BUILD_DIR=${BUILD_DIR:-build}

"$ROOT/scripts/setup.sh"

# Only what the demo needs: the test suites are built by scripts/test.sh.
if ! "$ROOT/scripts/build.sh" leandesk-demo leandesk-server; then
    echo "[demo] could not build the targets leandesk-demo and leandesk-server (see above; they need" \
        "LEANDESK_BUILD_EXAMPLES=ON)" >&2
    exit 1
fi

demo=$BUILD_DIR/examples/leandesk-demo
server=$BUILD_DIR/src/server/leandesk-server
if [[ ! -x $demo ]]; then
    echo "[demo] $demo is missing after the build" >&2
    exit 1
fi
# Without the server the demo still runs its local walkthrough and says why sync is skipped.
server_args=()
if [[ -x $server ]]; then
    server_args=(--server "$server")
fi

if (($# == 0)); then
    set -- "$BUILD_DIR/leandesk-demo.db"
fi
echo "[demo] $demo ${server_args[*]} $*"
echo
exec "$demo" "${server_args[@]}" "$@"
