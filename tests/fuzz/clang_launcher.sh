#!/usr/bin/env bash
# Compiler launcher for the clang fuzz build: drops the GCC-only flag the library's options carry
# (-fno-ipa-icf, which clang refuses), then runs the compiler, through ccache when installed. Passed
# as CMAKE_<LANG>_COMPILER_LAUNCHER by run.sh, so the top-level CMakeLists.txt stays as it is.
args=()
for a in "$@"; do
    [[ $a == -fno-ipa-icf ]] || args+=("$a")
done
if command -v ccache >/dev/null; then
    exec env CCACHE_NOHASHDIR=true ccache "${args[@]}"
fi
exec "${args[@]}"
