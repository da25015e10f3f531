#!/usr/bin/env bash
# Generates the API reference from the public headers with docs/Doxyfile and fails when anything
# public is undocumented or the documentation has errors.
#
#   [DOXYGEN=doxygen] check_api_docs.sh <output-dir>        (the reference: <output-dir>/html)
#
# Two checks:
#   1. doxygen itself, with WARN_IF_UNDOCUMENTED and WARN_AS_ERROR=FAIL_ON_WARNINGS: every
#      warning (undocumented function, macro, type; a broken \ref or #name; a \param naming no
#      parameter) is printed once and fails the run;
#   2. independently of doxygen's warning settings, every function declared with LD_API in
#      include/leandesk/*.h (leandesk.h and the module headers it includes) must appear in the
#      generated XML with a description.
#
# Exit status: 0 documented; 1 not; 77 skipped (ctest SKIP_RETURN_CODE) when doxygen is missing.
set -uo pipefail

out=${1:?usage: check_api_docs.sh <output-dir>}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
doxygen=${DOXYGEN:-doxygen}

if ! command -v "$doxygen" >/dev/null 2>&1; then
    echo "SKIP: doxygen not found (Debian/Ubuntu: apt-get install doxygen)"
    exit 77
fi
# The reference goes to a build directory, never among the sources.
abs_out=$(realpath -m "$out")
if [[ $source_dir == "$abs_out" || $source_dir == "$abs_out"/* ]]; then
    echo "refusing to write the reference to $abs_out: use a build directory"
    exit 1
fi
if [[ $abs_out == "$source_dir"/* ]] && command -v git >/dev/null 2>&1 &&
    git -C "$source_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
    ! git -C "$source_dir" check-ignore -q "$abs_out"; then
    echo "refusing to write the reference into the source tree ($abs_out): use a build directory"
    exit 1
fi

version=$(sed -n 's/^#define LD_VERSION "\(.*\)".*/\1/p' "$source_dir/include/leandesk/leandesk.h")
mkdir -p "$out"
rm -rf "$out/html" "$out/xml"
out=$(cd "$out" && pwd)
log=$out/doxygen-warnings.log

echo "$("$doxygen" --version | head -n 1): $source_dir/docs/Doxyfile -> $out"
(
    cd "$source_dir" &&
        LEANDESK_SOURCE_DIR=$source_dir LEANDESK_DOXYGEN_OUTPUT=$out LEANDESK_VERSION=$version \
            "$doxygen" docs/Doxyfile
) >"$out/doxygen.log" 2>"$log"
rc=$?
status=0

# Doxygen repeats a warning once per output format; report each once.
if [[ -s $log ]]; then
    mapfile -t warnings < <(sed "s|^$source_dir/||" "$log" | sort -t: -k1,1 -k2,2n -u)
    echo "FAIL: doxygen reported ${#warnings[@]} problem(s) in the public headers:"
    printf '  %s\n' "${warnings[@]}"
    status=1
elif ((rc != 0)); then
    echo "FAIL: doxygen exited with status $rc"
    cat "$out/doxygen.log"
    status=1
fi

# Every LD_API function of the C headers, documented in the XML output of its header.
declared=() documented=()
for header in "$source_dir"/include/leandesk/*.h; do
    mapfile -t -O "${#declared[@]}" declared < <(
        perl -0777 -ne 's{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g; s/\\\n/ /g; s/^[ \t]*#[^\n]*//mg; s/\s+/ /g;
            print "$1\n" while /\bLD_API\b[^;{}()]*?\b(ld_\w+)\s*\(/g' "$header"
    )
    name=$(basename "$header" .h)
    xml=$out/xml/${name//_/__}_8h.xml
    if [[ ! -r $xml ]]; then
        echo "FAIL: $xml was not generated"
        status=1
        continue
    fi
    mapfile -t -O "${#documented[@]}" documented < <(
        perl -0777 -ne '
            while (m{<memberdef kind="function"[^>]*>(.*?)</memberdef>}gs) {
                my $m = $1;
                my ($name) = $m =~ m{<name>(\w+)</name>};
                my ($brief) = $m =~ m{<briefdescription>(.*?)</briefdescription>}s;
                my ($detail) = $m =~ m{<detaileddescription>(.*?)</detaileddescription>}s;
                my $text = ($brief // "") . ($detail // "");
                $text =~ s{<[^>]*>}{}g;
                print "$name\n" if $text =~ /\S/;
            }' "$xml"
    )
done
mapfile -t declared < <(printf '%s\n' "${declared[@]}" | sort -u)
mapfile -t documented < <(printf '%s\n' "${documented[@]}" | sort -u)
undocumented=$(comm -23 <(printf '%s\n' "${declared[@]}") <(printf '%s\n' "${documented[@]}"))
if [[ -n $undocumented ]]; then
    echo "FAIL: LD_API functions without documentation in the reference:"
    sed 's/^/  /' <<<"$undocumented"
    status=1
fi
echo "${#declared[@]} LD_API functions in include/leandesk/*.h; $(comm -12 <(printf '%s\n' "${declared[@]}") <(printf '%s\n' "${documented[@]}") | wc -l) documented in the reference"

((status == 0)) && echo "OK: the API reference is complete: $out/html/index.html"
exit $status
