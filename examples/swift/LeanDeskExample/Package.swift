// swift-tools-version:6.0
//
// A tiny program that uses the LeanDesk Swift package of this repository (bindings/swift) through a
// path dependency. (It lives one folder down, in examples/swift/LeanDeskExample, because SwiftPM
// names a path package after its folder: two packages both called "swift" would clash.)
//
// The C header and library are found as bindings/swift/Package.swift finds them:
// LEANDESK_INCLUDE_DIR (default: the repository's include/) and LEANDESK_LIB_DIR (default:
// $LEANDESK_BUILD_DIR, else the repository's build/). A target that imports LeanDesk needs the
// include folder too, because the Swift compiler loads the C module behind it; so this target gets
// the same -I flag.
import PackageDescription

let environment = Context.environment
func env(_ name: String) -> String? {
    guard let value = environment[name], !value.isEmpty else { return nil }
    return value
}
func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : Context.packageDirectory + "/" + path
}
let repoRoot = Context.packageDirectory + "/../../.."
let includeDir = absolute(env("LEANDESK_INCLUDE_DIR") ?? repoRoot + "/include")
let swiftSettings: [SwiftSetting] =
    env("LEANDESK_XCFRAMEWORK") == nil ? [.unsafeFlags(["-Xcc", "-I" + includeDir])] : []

let package = Package(
    name: "LeanDeskExample",
    dependencies: [
        .package(path: "../../../bindings/swift"),
    ],
    targets: [
        .executableTarget(
            name: "LeanDeskExample",
            dependencies: [.product(name: "LeanDesk", package: "swift")],
            swiftSettings: swiftSettings
        ),
    ]
)
