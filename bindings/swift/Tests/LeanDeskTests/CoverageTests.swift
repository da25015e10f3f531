import Foundation
import XCTest

/// Every function of the C API (leandesk.h and the headers it includes: export.h, sync.h) is called
/// by the Swift sources, so a function added to the C API without a binding fails here.
final class CoverageTests: XCTestCase {
    /// Functions the binding does not call, and why.
    private let notCalled = [
        "ld_last_error_code": "LeanDeskError.last(status) takes the code from the returned status",
    ]

    private var includeDir: URL {
        if let dir = ProcessInfo.processInfo.environment["LEANDESK_INCLUDE_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        // Tests/LeanDeskTests/CoverageTests.swift -> the repository's include folder
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../../include").standardizedFileURL
    }

    private var sourcesDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/LeanDesk").standardizedFileURL
    }

    private func cFunctions() throws -> [String] {
        let folder = includeDir.appendingPathComponent("leandesk")
        let names = ["leandesk.h", "export.h", "sync.h"]
        let text = try names.map {
            try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }.joined(separator: "\n")
        let regex = try NSRegularExpression(pattern: #"LD_API[^;(]*?\b(ld_[a-z0-9_]+)\s*\("#)
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    func testEveryCFunctionIsCalledByTheSwiftSources() throws {
        let functions = try cFunctions()
        XCTAssertGreaterThan(functions.count, 100)
        XCTAssertTrue(functions.contains("ld_last_error_retry_after_ms"))
        let files = try FileManager.default.contentsOfDirectory(at: sourcesDir,
                                                                includingPropertiesForKeys: nil)
        // Code only: a function named in a comment is not bound.
        let swift = try files.filter { $0.pathExtension == "swift" }
            .map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            .joined(separator: "\n")
        let missing = try functions.filter { name in
            guard notCalled[name] == nil else { return false }
            let call = try NSRegularExpression(pattern: "\\b\(name)\\(")
            return call.firstMatch(in: swift, range: NSRange(swift.startIndex..., in: swift)) == nil
        }
        XCTAssertEqual(missing, [], "C functions the Swift binding does not call")
    }
}
