// swift-tools-version:6.0
//
// The Swift binding of the LeanDesk core: a module map over the stable C API (`CLeanDesk`) and an
// idiomatic Swift facade over it (`LeanDesk`). It uses the C ABI only.
//
// Where the C header and library come from (README.md, "Where the C library comes from"):
//
//   LEANDESK_XCFRAMEWORK   path of LeanDesk.xcframework (scripts/build-xcframework.sh), relative to
//                          this folder: the C module is then that binary target, for iOS apps, and
//                          the two variables below are not read. Without the variable, a
//                          LeanDesk.xcframework folder next to this file is used when there is one
//                          (that is where the script puts it, and Xcode sets no variables).
//   LEANDESK_INCLUDE_DIR   the folder that holds leandesk/leandesk.h
//                          (default: the repository's include/)
//   LEANDESK_LIB_DIR       the folder that holds libleandesk.so (or .dylib)
//                          (default: $LEANDESK_BUILD_DIR, else the repository's build/)
//
// The include and library folders reach the compiler and the linker as unsafe flags, which SwiftPM
// allows for a root package and for a local (path) dependency. `-Xcc -I<dir> -Xlinker -L<dir>` on
// the `swift build` command line work as well and add to them. The library folder is also written
// as an rpath, so test and example binaries find the library without LD_LIBRARY_PATH; an
// LD_LIBRARY_PATH set at run time still takes precedence.
import Foundation
import PackageDescription

let packageDir = Context.packageDirectory
let environment = Context.environment

/// An environment variable, or nil when it is unset or empty.
func env(_ name: String) -> String? {
    guard let value = environment[name], !value.isEmpty else { return nil }
    return value
}

/// `path` made absolute against the package directory (SwiftPM runs the tools from elsewhere).
func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : packageDir + "/" + path
}

let repoRoot = packageDir + "/../.."
let xcframework = env("LEANDESK_XCFRAMEWORK")
    ?? (FileManager.default.fileExists(atPath: packageDir + "/LeanDesk.xcframework") ? "LeanDesk.xcframework" : nil)
let includeDir = absolute(env("LEANDESK_INCLUDE_DIR") ?? repoRoot + "/include")
let libDir = absolute(env("LEANDESK_LIB_DIR") ?? env("LEANDESK_BUILD_DIR") ?? repoRoot + "/build")

/// The C module: the system library over an installed header and shared library, or the
/// XCFramework of static libraries for iOS.
let cModule: Target
/// What every Swift target needs to see the C header.
let swiftSettings: [SwiftSetting]
/// What linking against the C library needs.
let linkerSettings: [LinkerSetting]

if let xcframework {
    cModule = .binaryTarget(name: "CLeanDesk", path: xcframework)
    swiftSettings = []
    // The static library is C++ and uses the system SQLite; libsodium is merged into it.
    linkerSettings = [.linkedLibrary("c++"), .linkedLibrary("sqlite3")]
} else {
    cModule = .systemLibrary(name: "CLeanDesk", path: "Sources/CLeanDesk")
    swiftSettings = [.unsafeFlags(["-Xcc", "-I" + includeDir])]
    linkerSettings = [.unsafeFlags(["-L" + libDir, "-Xlinker", "-rpath", "-Xlinker", libDir])]
}

let package = Package(
    name: "LeanDesk",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "LeanDesk", targets: ["LeanDesk"]),
    ],
    targets: [
        cModule,
        .target(
            name: "LeanDesk",
            dependencies: ["CLeanDesk"],
            swiftSettings: swiftSettings,
            linkerSettings: linkerSettings
        ),
        .testTarget(
            name: "LeanDeskTests",
            dependencies: ["LeanDesk"],
            swiftSettings: swiftSettings,
            linkerSettings: linkerSettings
        ),
    ]
)
