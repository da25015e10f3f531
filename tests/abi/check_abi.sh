#!/usr/bin/env bash
# Compares the ABI of a freshly built libleandesk.so with the stored baseline of the last release
# (tests/abi/leandesk-<version>.abi, written by update_baseline.sh) using abigail-tools' abidiff.
#
#   [ABIDIFF=abidiff] [READELF=readelf] check_abi.sh <baseline.abi> <libleandesk.so> <include/leandesk>
#
# Passes when the library offers everything the baseline does, unchanged: a function added since
# the release is fine (allow_additions.suppr hides additions from the verdict; they are listed for
# information). Fails on anything else abidiff reports about the public interface: a function
# removed, a parameter or return type changed, a public type changed, the SONAME changed.
# Types defined outside include/leandesk (the insides of ld_db, ld_session) are private: the
# handles are opaque, so their layout is free to change.
#
# abidiff's exit status is a bit field: 1 error, 2 usage error, 4 ABI change, 8 incompatible ABI
# change (at least a removed function or variable). With additions suppressed, any of 4 or 8 fails.
#
# Exit status: 0 compatible; 1 incompatible or error; 77 skipped (ctest SKIP_RETURN_CODE): abidiff
# is not installed, or the library has no debug information so signatures cannot be compared
# (the symbol-level comparison still runs first and fails on a removed function).
set -uo pipefail

baseline=${1:?usage: check_abi.sh <baseline.abi> <libleandesk.so> <include/leandesk>}
lib=${2:?usage: check_abi.sh <baseline.abi> <libleandesk.so> <include/leandesk>}
headers=${3:?usage: check_abi.sh <baseline.abi> <libleandesk.so> <include/leandesk>}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
suppr=$here/allow_additions.suppr
SKIP=77

abidiff=${ABIDIFF:-abidiff}
if ! command -v "$abidiff" >/dev/null 2>&1; then
    echo "SKIP: abidiff not found (Debian/Ubuntu: apt-get install abigail-tools)"
    exit $SKIP
fi
for f in "$baseline" "$lib" "$suppr"; do
    [[ -r $f ]] || { echo "FAIL: cannot read $f"; exit 1; }
done
[[ -d $headers ]] || { echo "FAIL: no headers directory $headers"; exit 1; }

# Without DWARF, abidiff can compare ELF symbols only (removals, not signatures).
has_debug_info=unknown
readelf=${READELF:-readelf}
if command -v "$readelf" >/dev/null 2>&1; then
    if "$readelf" -S --wide "$lib" 2>/dev/null | grep -q '\.debug_info'; then
        has_debug_info=yes
    else
        has_debug_info=no
    fi
fi

echo "baseline: $baseline"
echo "library:  $lib"
"$abidiff" --version | head -n 1

# The same options as update_baseline.sh used for the baseline: exported ld_ functions only,
# types judged against the public headers, no paths of the build machine.
common=(--no-corpus-path --exported-interfaces-only --headers-dir2 "$headers" --drop-private-types)

report=$("$abidiff" "${common[@]}" --suppressions "$suppr" "$baseline" "$lib" 2>&1)
rc=$?
[[ -n $report ]] && printf '%s\n' "$report"

if ((rc & 3)); then
    echo "FAIL: abidiff could not compare (exit status $rc)"
    exit 1
fi
if ((rc & 12)); then
    echo
    if ((rc & 8)); then
        echo "FAIL: incompatible ABI change (abidiff exit status $rc: a released function or variable was removed)"
    else
        echo "FAIL: ABI change (abidiff exit status $rc: a released signature or public type changed)"
    fi
    echo "A released signature never changes: keep the old function and add a new one (ld_..._v2)."
    echo "If this break is intended, it needs a new major version (new SONAME) and a new baseline at"
    echo "that release: see docs/abi.md."
    exit 1
fi

# Compatible. Show what was added since the release, for the release notes (minor version bump).
added=$("$abidiff" "${common[@]}" --no-show-locs "$baseline" "$lib" 2>&1)
if (($? & 4)) && [[ -n $added ]]; then
    echo "Compatible additions since the baseline (the next release must raise the minor version):"
    printf '%s\n' "$added"
fi

if [[ $has_debug_info == no ]]; then
    echo "SKIP: $lib has no debug information: symbols were compared (none removed), but signatures"
    echo "      cannot be. Build with CMAKE_BUILD_TYPE=RelWithDebInfo (the default) or Debug."
    exit $SKIP
fi
echo "OK: the library is ABI-compatible with $(basename "$baseline")"
exit 0
