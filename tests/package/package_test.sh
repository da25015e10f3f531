#!/usr/bin/env bash
# Packaging tests, run by ctest (see CMakeLists.txt in this folder):
#
#   package_test.sh install             install the build tree into $LEANDESK_PREFIX
#   package_test.sh cmake shared|static build and run consumer/ with find_package(leandesk)
#   package_test.sh pkg-config          build and run consumer/main.c with `pkg-config leandesk`
#
# Environment (set by CMakeLists.txt): LEANDESK_BUILD_DIR, LEANDESK_CONFIG, LEANDESK_PREFIX,
# LEANDESK_LIBDIR, LEANDESK_VERSION, LEANDESK_WORK, CC, CMAKE_GENERATOR, LEANDESK_CONSUMER_FLAGS.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${LEANDESK_PREFIX:?}" "${LEANDESK_WORK:?}" "${LEANDESK_VERSION:?}" "${LEANDESK_LIBDIR:?}"
flags=${LEANDESK_CONSUMER_FLAGS:-}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# The program must load libleandesk from the test prefix, not from anywhere else on the machine.
check_loads_from_prefix() {
    local exe=$1 lib
    lib=$(ldd "$exe" | awk '/libleandesk\.so/ {print $3}')
    if [[ -n $lib ]]; then
        [[ $(realpath "$lib") == "$(realpath "$LEANDESK_PREFIX")"/* ]] ||
            fail "$exe loads $lib, not the library installed in $LEANDESK_PREFIX"
        echo "loads $lib"
    fi
}

case ${1:-} in
install)
    : "${LEANDESK_BUILD_DIR:?}"
    rm -rf "$LEANDESK_PREFIX"
    cmake --install "$LEANDESK_BUILD_DIR" --config "${LEANDESK_CONFIG:-RelWithDebInfo}" \
        --prefix "$LEANDESK_PREFIX"
    for f in include/leandesk/leandesk.h \
        "$LEANDESK_LIBDIR/libleandesk.so" "$LEANDESK_LIBDIR/libleandesk.a" \
        "$LEANDESK_LIBDIR/cmake/leandesk/leandeskConfig.cmake" \
        "$LEANDESK_LIBDIR/cmake/leandesk/leandeskConfigVersion.cmake" \
        "$LEANDESK_LIBDIR/pkgconfig/leandesk.pc"; do
        [[ -e $LEANDESK_PREFIX/$f ]] || fail "not installed: $f"
    done
    soname=$(objdump -p "$LEANDESK_PREFIX/$LEANDESK_LIBDIR/libleandesk.so" | awk '/SONAME/ {print $2}')
    [[ $soname == "libleandesk.so.${LEANDESK_VERSION%%.*}" ]] ||
        fail "SONAME is '$soname', expected libleandesk.so.${LEANDESK_VERSION%%.*}"
    # The version is set in CMakeLists.txt and repeated in the header: they must agree.
    header_version=$(sed -n 's/^#define LD_VERSION "\(.*\)"$/\1/p' "$LEANDESK_PREFIX/include/leandesk/leandesk.h")
    [[ $header_version == "$LEANDESK_VERSION" ]] ||
        fail "leandesk.h says LD_VERSION \"$header_version\", CMakeLists.txt says $LEANDESK_VERSION"
    echo "installed $LEANDESK_VERSION into $LEANDESK_PREFIX (SONAME $soname)"
    ;;

cmake)
    kind=${2:?shared or static}
    bin=$LEANDESK_WORK/cmake-$kind
    rm -rf "$bin"
    static=OFF
    [[ $kind == static ]] && static=ON
    cmake -S "$here/consumer" -B "$bin" -G "${CMAKE_GENERATOR:-Ninja}" \
        -DCMAKE_C_COMPILER="${CC:-cc}" -DCMAKE_C_FLAGS="$flags" \
        -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_PREFIX_PATH="$LEANDESK_PREFIX" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
        -DLEANDESK_VERSION="$LEANDESK_VERSION" -DCONSUMER_STATIC=$static
    found=$(sed -n 's/^leandesk_DIR:PATH=//p' "$bin/CMakeCache.txt")
    [[ $(realpath "$found") == "$(realpath "$LEANDESK_PREFIX")"/* ]] ||
        fail "find_package(leandesk) found $found, not the package in $LEANDESK_PREFIX"
    cmake --build "$bin"
    if [[ $kind == static ]]; then
        ! ldd "$bin/consumer" | grep -q libleandesk || fail "static consumer links libleandesk.so"
    else
        check_loads_from_prefix "$bin/consumer"
    fi
    "$bin/consumer"
    ;;

pkg-config)
    bin=$LEANDESK_WORK/pkg-config
    rm -rf "$bin"
    mkdir -p "$bin"
    export PKG_CONFIG_PATH="$LEANDESK_PREFIX/$LEANDESK_LIBDIR/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
    prefix=$(pkg-config --variable=prefix leandesk)
    [[ $prefix == "$LEANDESK_PREFIX" ]] || fail "pkg-config found leandesk in '$prefix'"
    version=$(pkg-config --modversion leandesk)
    [[ $version == "$LEANDESK_VERSION" ]] || fail "pkg-config says version $version"
    pkg_flags=$(pkg-config --cflags --libs leandesk)
    echo "pkg-config --cflags --libs leandesk: $pkg_flags"
    # shellcheck disable=SC2086 # word splitting of the flags is intended
    "${CC:-cc}" -std=c99 -Wall -Wextra -Wpedantic -Werror $flags \
        "$here/consumer/main.c" -o "$bin/consumer" $pkg_flags
    libdir=$(pkg-config --variable=libdir leandesk)
    export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    check_loads_from_prefix "$bin/consumer"
    "$bin/consumer"
    ;;

*)
    echo "usage: $0 install | cmake shared|static | pkg-config" >&2
    exit 2
    ;;
esac
