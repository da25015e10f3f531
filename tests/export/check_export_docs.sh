#!/usr/bin/env bash
# Doxygen over include/leandesk/export.h with the project's settings (docs/Doxyfile: warnings for
# anything undocumented, warnings are errors). leandesk.h is read too, so that links to its items
# resolve; only problems in export.h fail this check (leandesk.h has docs.api_reference).
#   check_export_docs.sh <doxygen> <output-dir>
set -uo pipefail
doxygen=$1
out=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
mkdir -p "$out"
cat >"$out/Doxyfile" <<CFG
@INCLUDE = $src/docs/Doxyfile
FILE_PATTERNS = leandesk.h export.h
GENERATE_HTML = NO
GENERATE_XML = YES
CFG
version=$(sed -n 's/^#define LD_VERSION "\(.*\)".*/\1/p' "$src/include/leandesk/leandesk.h")
(cd "$src" && LEANDESK_SOURCE_DIR=$src LEANDESK_DOXYGEN_OUTPUT=$out LEANDESK_VERSION=$version \
    "$doxygen" "$out/Doxyfile") >"$out/doxygen.log" 2>"$out/warnings.log"
rc=$?
problems=$(sed "s|^$src/||" "$out/warnings.log" | grep '^include/leandesk/export.h:' | sort -u)
if [[ -n $problems || ! -r $out/xml/export_8h.xml ]]; then
    echo "FAIL: doxygen reported problems in include/leandesk/export.h (status $rc):"
    echo "$problems"
    exit 1
fi
# Every LD_API function of export.h has a description in the XML.
declared=$(perl -0777 -ne 's{/\*.*?\*/}{ }gs; print "$1\n" while /\bLD_API\b[^;{}()]*?\b(ld_\w+)\s*\(/g' \
    "$src/include/leandesk/export.h" | sort -u)
missing=0
for fn in $declared; do
    if ! perl -0777 -ne "exit(!(m{<memberdef kind=\"function\"[^>]*>.*?<name>$fn</name>.*?<detaileddescription>\\s*<para>}s))" \
        "$out"/xml/export_8h.xml; then
        echo "FAIL: $fn has no description"
        missing=1
    fi
done
((missing)) && exit 1
echo "OK: $(wc -w <<<"$declared") LD_API functions of export.h documented"
