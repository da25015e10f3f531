#!/usr/bin/env bash
# Checks the dynamic symbol table of the shared library against the public headers:
#   - every symbol the library defines and exports starts with ld_ (nothing of the engine, of the
#     C++ standard library or of SQLite/libsodium leaks);
#   - every function declared with LD_API in include/leandesk/*.h is exported;
#   - every exported ld_ symbol is declared in a public header (no accidental ABI).
#
#   [NM=nm] check_exports.sh <path/to/libleandesk.so> <path/to/include/leandesk>
set -euo pipefail

lib=${1:?usage: check_exports.sh <libleandesk.so> <include/leandesk>}
headers=${2:?usage: check_exports.sh <libleandesk.so> <include/leandesk>}

# Defined dynamic symbols, without version suffixes.
mapfile -t exported < <("${NM:-nm}" -D --defined-only "$lib" | awk 'NF >= 3 {sub(/@.*/, "", $3); print $3}' | sort -u)
# Names of the LD_API functions: comments and preprocessor lines removed, whitespace collapsed.
mapfile -t declared < <(
    cat "$headers"/*.h |
        perl -0777 -ne 's{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g; s/\\\n/ /g; s/^[ \t]*#[^\n]*//mg; s/\s+/ /g;
            print "$1\n" while /\bLD_API\b[^;{}()]*?\b(ld_\w+)\s*\(/g' |
        sort -u
)

status=0
echo "$lib: ${#exported[@]} exported symbols; ${#declared[@]} LD_API functions in $headers/*.h"
((${#declared[@]} > 0)) || { echo "FAIL: no LD_API declarations found in $headers"; status=1; }

leaked=$(printf '%s\n' "${exported[@]}" | grep -v '^ld_' || true)
if [[ -n $leaked ]]; then
    echo "FAIL: exported symbols without the ld_ prefix:"
    sed 's/^/  /' <<<"$leaked"
    status=1
fi

missing=$(comm -23 <(printf '%s\n' "${declared[@]}") <(printf '%s\n' "${exported[@]}"))
if [[ -n $missing ]]; then
    echo "FAIL: declared with LD_API but not exported:"
    sed 's/^/  /' <<<"$missing"
    status=1
fi

undeclared=$(comm -13 <(printf '%s\n' "${declared[@]}") <(printf '%s\n' "${exported[@]}") | grep '^ld_' || true)
if [[ -n $undeclared ]]; then
    echo "FAIL: exported but declared in no public header (mark it LD_API in a header or hide it):"
    sed 's/^/  /' <<<"$undeclared"
    status=1
fi

((status == 0)) && echo "OK: the library exports exactly the LD_API functions of the public headers"
exit $status
