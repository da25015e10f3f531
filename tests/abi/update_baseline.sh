#!/usr/bin/env bash
# Writes the ABI baseline of a release: tests/abi/leandesk-<version>.abi, the abidw (abigail-tools)
# description of the public interface of libleandesk.so, against which the ctest test
# `abi.compatible` (check_abi.sh) compares every later build.
#
# WHEN TO USE IT: only when cutting a release, by the release manager, on the commit that is
# tagged, with the library built from that commit (RelWithDebInfo: it needs debug information).
# Never to make a failing `abi.compatible` pass during development: that failure means a released
# function was removed or its signature changed, which the API promises never to do (add a _v2
# function instead). A deliberate break is a new major version with a new SONAME; see docs/abi.md.
#
#   tests/abi/update_baseline.sh [--force] <path/to/libleandesk.so>
#
# The version is LD_VERSION of include/leandesk/leandesk.h and must match the library's file name
# (libleandesk.so.<version>) and ld_version(). Before writing, the new library is checked against
# the newest earlier baseline of the same major version: a minor or patch release must be
# compatible with it. An existing baseline is never overwritten unless --force is given (a
# released baseline is history; --force is for repairing a baseline written from the wrong build).
set -euo pipefail

force=no
if [[ ${1:-} == --force ]]; then
    force=yes
    shift
fi
lib=${1:?usage: update_baseline.sh [--force] <path/to/libleandesk.so>}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
headers=$source_dir/include/leandesk
abidw=${ABIDW:-abidw}
readelf=${READELF:-readelf}

command -v "$abidw" >/dev/null || { echo "abidw not found (apt-get install abigail-tools)" >&2; exit 1; }
[[ -r $lib ]] || { echo "cannot read $lib" >&2; exit 1; }

version=$(sed -n 's/^#define LD_VERSION "\([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\)".*/\1/p' "$headers/leandesk.h")
[[ -n $version ]] || { echo "LD_VERSION not found in $headers/leandesk.h" >&2; exit 1; }
major=${version%%.*}

real=$(readlink -f "$lib")
if [[ $(basename "$real") != "libleandesk.so.$version" ]]; then
    echo "$lib is $(basename "$real"), but the header says version $version: build this commit first" >&2
    exit 1
fi
if ! "$readelf" -S --wide "$real" | grep -q '\.debug_info'; then
    echo "$real has no debug information: build with CMAKE_BUILD_TYPE=RelWithDebInfo" >&2
    exit 1
fi
soname=$("$readelf" -d "$real" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [[ $soname != "libleandesk.so.$major" ]]; then
    echo "SONAME is '$soname', expected libleandesk.so.$major (SOVERSION = major version)" >&2
    exit 1
fi

out=$here/leandesk-$version.abi
if [[ -e $out && $force != yes ]]; then
    echo "$out exists: the baseline of a release is never rewritten (use --force to repair it)" >&2
    exit 1
fi

# The newest earlier baseline of the same major version must still be honoured.
previous=$(find "$here" -maxdepth 1 -name "leandesk-$major.*.abi" ! -name "leandesk-$version.abi" -printf '%f\n' |
    sed 's/^leandesk-\(.*\)\.abi$/\1/' | sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1)
if [[ -n $previous ]]; then
    echo "checking $real against the $previous baseline first"
    "$here/check_abi.sh" "$here/leandesk-$previous.abi" "$real" "$headers" || {
        echo "not writing a baseline: $version breaks the ABI of $previous (same major version)" >&2
        exit 1
    }
fi

# Only the exported ld_ functions and the types they use; types defined outside the public
# headers (the insides of ld_db and ld_session) are recorded as opaque declarations; no build
# paths, so the file depends on the code only.
tmp=$(mktemp "$here/.leandesk-$version.abi.XXXXXX")
trap 'rm -f "$tmp"' EXIT
"$abidw" --no-corpus-path --exported-interfaces-only --headers-dir "$headers" --drop-private-types \
    --drop-undefined-syms --no-comp-dir-path --short-locs --out-file "$tmp" "$real"
chmod 0644 "$tmp"
mv "$tmp" "$out"
trap - EXIT

functions=$(grep -c '<elf-symbol name=' "$out" || true)
echo "wrote $out ($functions exported symbols, SONAME $soname)"
echo "commit it with the release; CMake picks the newest leandesk-$major.*.abi as the baseline."
