#!/usr/bin/env bash
# Builds LeanDesk.xcframework for iOS apps: the LeanDesk core as a static library (with libsodium
# merged in) for iOS devices (arm64) and the iOS simulator (arm64 + x86_64), with the C header and
# a module map for the Swift package's `CLeanDesk` module.
#
#   LIBSODIUM_SRC=~/src/libsodium-1.0.20 bindings/swift/scripts/build-xcframework.sh
#
# Runs on macOS with Xcode (xcodebuild, xcrun, lipo, libtool), CMake and Ninja. It cannot run on
# Linux, so it is not part of scripts/test.sh; bindings/swift/README.md says how it was reviewed.
#
# Environment:
#   LIBSODIUM_SRC      (required) an unpacked libsodium release tarball (a "-stable" or release
#                      tarball, which carries its configure script); built once per slice
#   NLOHMANN_JSON_DIR  folder holding nlohmann_jsonConfig.cmake (default: found through Homebrew,
#                      `brew install nlohmann-json`); header-only, so the host copy serves iOS
#   IOS_MIN            minimum iOS version (default 15.0, as in Package.swift)
#   BUILD_ROOT         scratch folder (default: <repo>/build-ios)
#   OUT                the XCFramework to write (default: bindings/swift/LeanDesk.xcframework,
#                      where bindings/swift/Package.swift picks it up)
#   JOBS               parallel jobs (default: number of cores)
#   EXTRA_CMAKE_ARGS   more arguments for the LeanDesk configure step
#
# SQLite comes from the iOS SDK (libsqlite3), so the app links it; Package.swift adds `sqlite3`
# and `c++` to the link when it uses the XCFramework.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PACKAGE_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
ROOT=$(cd "$PACKAGE_DIR/../.." && pwd)

die() { echo "build-xcframework: $*" >&2; exit 1; }

[[ $(uname -s) == Darwin ]] || die "needs macOS with Xcode (this is $(uname -s))"
for tool in xcodebuild xcrun lipo libtool cmake ninja make; do
    command -v "$tool" >/dev/null || die "missing tool: $tool"
done
[[ -n ${LIBSODIUM_SRC:-} ]] || die "set LIBSODIUM_SRC to an unpacked libsodium release"
LIBSODIUM_SRC=$(cd "$LIBSODIUM_SRC" && pwd)
[[ -x $LIBSODIUM_SRC/configure ]] || die "$LIBSODIUM_SRC has no configure script"

if [[ -z ${NLOHMANN_JSON_DIR:-} ]]; then
    command -v brew >/dev/null || die "set NLOHMANN_JSON_DIR (or install Homebrew's nlohmann-json)"
    NLOHMANN_JSON_DIR=$(brew --prefix nlohmann-json)/share/cmake/nlohmann_json
fi
[[ -f $NLOHMANN_JSON_DIR/nlohmann_jsonConfig.cmake ]] ||
    die "no nlohmann_jsonConfig.cmake in $NLOHMANN_JSON_DIR"

IOS_MIN=${IOS_MIN:-15.0}
BUILD_ROOT=${BUILD_ROOT:-$ROOT/build-ios}
OUT=${OUT:-$PACKAGE_DIR/LeanDesk.xcframework}
JOBS=${JOBS:-$(sysctl -n hw.ncpu)}
read -r -a EXTRA <<<"${EXTRA_CMAKE_ARGS:-}"

# One slice: name, SDK, architecture, clang target triple.
SLICES=(
    "ios-arm64                iphoneos        arm64   arm64-apple-ios${IOS_MIN}"
    "ios-simulator-arm64      iphonesimulator arm64   arm64-apple-ios${IOS_MIN}-simulator"
    "ios-simulator-x86_64     iphonesimulator x86_64  x86_64-apple-ios${IOS_MIN}-simulator"
)

# libsodium, static, for one slice, installed into $BUILD_ROOT/<slice>/deps.
build_sodium() {
    local slice=$1 sdk=$2 arch=$3 target=$4
    local prefix=$BUILD_ROOT/$slice/deps work=$BUILD_ROOT/$slice/libsodium
    if [[ -f $prefix/lib/libsodium.a ]]; then return; fi
    local sysroot host
    sysroot=$(xcrun --sdk "$sdk" --show-sdk-path)
    [[ $arch == arm64 ]] && host=aarch64-apple-darwin || host=x86_64-apple-darwin
    rm -rf "$work" && mkdir -p "$work"
    (
        cd "$work"
        # An out-of-tree build keeps the source folder clean for the next slice.
        "$LIBSODIUM_SRC/configure" --host="$host" --prefix="$prefix" \
            --disable-shared --enable-static --with-pic --disable-dependency-tracking \
            CC="$(xcrun --sdk "$sdk" --find clang)" \
            CFLAGS="-O2 -target $target -isysroot $sysroot" \
            LDFLAGS="-target $target -isysroot $sysroot"
        make -j"$JOBS" install
    )
}

# The LeanDesk static library for one slice, with libsodium merged in:
# $BUILD_ROOT/<slice>/libleandesk-full.a
build_leandesk() {
    local slice=$1 sdk=$2 arch=$3
    local dir=$BUILD_ROOT/$slice deps=$BUILD_ROOT/$slice/deps
    # pkg-config must see this slice's libsodium only, never the Mac's.
    PKG_CONFIG_PATH="" PKG_CONFIG_LIBDIR="$deps/lib/pkgconfig" \
        cmake -S "$ROOT" -B "$dir/leandesk" -G Ninja \
        -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_SYSTEM_NAME=iOS \
        -DCMAKE_OSX_SYSROOT="$sdk" \
        -DCMAKE_OSX_ARCHITECTURES="$arch" \
        -DCMAKE_OSX_DEPLOYMENT_TARGET="$IOS_MIN" \
        -DCMAKE_FIND_ROOT_PATH="$deps" \
        -DCMAKE_FIND_ROOT_PATH_MODE_PACKAGE=BOTH \
        -DCMAKE_FIND_ROOT_PATH_MODE_INCLUDE=BOTH \
        -DCMAKE_FIND_ROOT_PATH_MODE_LIBRARY=BOTH \
        -Dnlohmann_json_DIR="$NLOHMANN_JSON_DIR" \
        -DLEANDESK_BUILD_TESTS=OFF \
        -DLEANDESK_BUILD_BENCH=OFF \
        -DLEANDESK_BUILD_EXAMPLES=OFF \
        "${EXTRA[@]}"
    # Only the static library: iOS apps cannot ship a loose shared library, and the shared
    # library's link options (a GNU version script) are for ELF platforms.
    cmake --build "$dir/leandesk" --target leandesk_static -j "$JOBS"
    local lib
    lib=$(find "$dir/leandesk" -maxdepth 1 -name 'libleandesk.a' -print -quit)
    [[ -n $lib ]] || die "no libleandesk.a in $dir/leandesk"
    libtool -static -o "$dir/libleandesk-full.a" "$lib" "$deps/lib/libsodium.a"
}

rm -rf "$OUT"
mkdir -p "$BUILD_ROOT"
for line in "${SLICES[@]}"; do
    read -r slice sdk arch target <<<"$line"
    echo "== $slice: libsodium"
    build_sodium "$slice" "$sdk" "$arch" "$target"
    echo "== $slice: LeanDesk"
    build_leandesk "$slice" "$sdk" "$arch"
done

# One library per platform: the device slice as is, the two simulator slices as one fat library.
mkdir -p "$BUILD_ROOT/device" "$BUILD_ROOT/simulator"
cp "$BUILD_ROOT/ios-arm64/libleandesk-full.a" "$BUILD_ROOT/device/libleandesk.a"
lipo -create \
    "$BUILD_ROOT/ios-simulator-arm64/libleandesk-full.a" \
    "$BUILD_ROOT/ios-simulator-x86_64/libleandesk-full.a" \
    -output "$BUILD_ROOT/simulator/libleandesk.a"

# The headers: the C API, and the module map of the Swift package's CLeanDesk module. The map
# sits in a folder named after the module (clang looks there for `import CLeanDesk`), so that it
# cannot collide with another XCFramework's top-level module.modulemap in the app's build.
HEADERS=$BUILD_ROOT/headers
rm -rf "$HEADERS"
mkdir -p "$HEADERS/leandesk" "$HEADERS/CLeanDesk"
cp "$ROOT/include/leandesk/leandesk.h" "$HEADERS/leandesk/"
cat >"$HEADERS/CLeanDesk/module.modulemap" <<'EOF'
module CLeanDesk [system] {
    header "../leandesk/leandesk.h"
    export *
}
EOF

xcodebuild -create-xcframework \
    -library "$BUILD_ROOT/device/libleandesk.a" -headers "$HEADERS" \
    -library "$BUILD_ROOT/simulator/libleandesk.a" -headers "$HEADERS" \
    -output "$OUT"

echo "wrote $OUT"
echo "bindings/swift/Package.swift uses it when it sits there (or set LEANDESK_XCFRAMEWORK)."
