import Foundation
import LeanDesk
import XCTest

/// The hostile values, built once and never freed: Swift releases a nested value level by level,
/// recursively, and at 100,000 levels that alone would overflow the test thread's stack (a limit
/// of the language, not of the binding: an app must not build such a value either).
private let hostileDepth = 100_000
private let deepArray: JSONValue = {
    var value: JSONValue = []
    for _ in 1..<hostileDepth { value = .array([value]) }
    return value
}()
private let deepObject: JSONValue = {
    var value: JSONValue = [:]
    for _ in 1..<hostileDepth { value = .object(["a": value]) }
    return value
}()

/// Deeply nested JSON input at the binding's JSON entry point, ``Session/execute(_:arguments:)``
/// (every other input is a typed struct of bounded depth): refused with invalidArgument "nested too
/// deeply" before the recursive JSONEncoder sees it, never a crash (issue 20).
final class DepthTests: XCTestCase {
    func testDeepExecuteArgumentsAreRefused() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        for (what, deep) in [("array", deepArray), ("object", deepObject)] {
            for arguments in [deep, ["input": deep] as JSONValue] {
                let error = assertLeanDeskError(.invalidArgument) {
                    try ann.execute("create_group", arguments: arguments)
                }
                XCTAssertTrue(error?.message.contains("nested too deeply") ?? false,
                              "\(what): \(error?.message ?? "no error")")
                let typed = assertLeanDeskError(.invalidArgument) {
                    try ann.execute("create_group", arguments: arguments, as: Group.self)
                }
                XCTAssertTrue(typed?.message.contains("nested too deeply") ?? false,
                              "\(what): \(typed?.message ?? "no error")")
            }
        }
        XCTAssertEqual(try ann.groups().count, 0)
    }

    func testDeepValuesAreNotEncoded() {
        // jsonText and description cannot throw: they give "null" rather than overflow the stack.
        XCTAssertEqual(deepArray.jsonText, "null")
        XCTAssertEqual(deepObject.description, "null")
        XCTAssertThrowsError(try deepArray.decode([JSONValue].self))
    }

    func testTheBindingsBoundLeavesTheRestToTheLibrary() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        var atBound: JSONValue = []
        for _ in 1..<JSONValue.maxInputDepth { atBound = .array([atBound]) }
        // At the bound the value is encoded and the library refuses it itself (32 levels).
        let library = assertLeanDeskError(.invalidArgument) {
            try ann.execute("create_group", arguments: atBound)
        }
        XCTAssertTrue(library?.message.contains("nested too deeply") ?? false, library?.message ?? "")
        XCTAssertFalse(library?.message.contains("\(JSONValue.maxInputDepth)") ?? true, library?.message ?? "")
        XCTAssertTrue(atBound.jsonText.hasPrefix("[[["))
        // One level more and the binding refuses it.
        let binding = assertLeanDeskError(.invalidArgument) {
            try ann.execute("create_group", arguments: .array([atBound]))
        }
        XCTAssertTrue(binding?.message.contains("\(JSONValue.maxInputDepth)") ?? false, binding?.message ?? "")
        XCTAssertEqual(try ann.groups().count, 0)
    }
}
