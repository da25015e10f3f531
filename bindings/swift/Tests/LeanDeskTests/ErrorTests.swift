import Foundation
import LeanDesk
import XCTest

final class ErrorTests: XCTestCase {
    func testRuleRefusalKeepsCodeAndMessage() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        let cat = try f.user("Cat", "Carter")
        let group = try ann.createGroup(name: "Team")
        try ann.addMember(email: "cat@example.com", toGroup: group.id)
        let project = try ann.createProject(NewProject(groupID: group.id, name: "Pilot"))

        let error = try XCTUnwrap(assertLeanDeskError(.permissionDenied, messagePrefix: "R9:") {
            try cat.createAction(NewAction(projectID: project.id, title: "Sneak"))
        })
        XCTAssertEqual(error.code.rawValue, -3)
        XCTAssertEqual(error.code.name, "permission denied")
        XCTAssertEqual(error.rule, "R9")
        XCTAssertTrue(error.description.contains("permission denied"))
        XCTAssertTrue(error.description.contains(error.message))
        XCTAssertEqual(error.errorDescription, error.description)
        XCTAssertEqual((error as NSError).localizedDescription, error.description)
        // Nothing changed.
        XCTAssertEqual(try ann.actions(ofProject: project.id).count, 0)

        // R2: only the manager renames the group.
        let r2 = assertLeanDeskError(.permissionDenied, messagePrefix: "R2") {
            try cat.renameGroup(group.id, to: "Mine")
        }
        XCTAssertEqual(r2?.rule, "R2")
        XCTAssertEqual(try ann.group(group.id).name, "Team")
    }

    func testOtherCodes() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        let missing = "00000000-0000-4000-8000-000000000000"
        let notFound = assertLeanDeskError(.notFound) { try ann.group(missing) }
        XCTAssertNil(notFound?.rule)
        XCTAssertFalse(notFound?.message.isEmpty ?? true)

        assertLeanDeskError(.invalidArgument) { try ann.createGroup(name: "   ") }
        // Unknown keys are refused with a message naming them (through execute, the escape hatch).
        let unknownKey = assertLeanDeskError(.invalidArgument) {
            try ann.execute("create_group", arguments: ["input": ["name": "G", "colour": "red"]])
        }
        XCTAssertTrue(unknownKey?.message.contains("colour") ?? false, unknownKey?.message ?? "")
        assertLeanDeskError(.invalidArgument) { try ann.execute("no_such_command") }

        let group = try ann.createGroup(name: "Team")
        assertLeanDeskError(.conflict) { try ann.addMember(email: "ann@example.com", toGroup: group.id) }
        // R3: the manager can neither leave nor delete their account while managing.
        assertLeanDeskError(.permissionDenied, messagePrefix: "R3") { try ann.leaveGroup(group.id) }
        assertLeanDeskError(.permissionDenied, messagePrefix: "R3") { try ann.deleteAccount(password: password) }
    }

    func testCodeMapping() {
        let all: [LeanDeskErrorCode] = [
            .error, .notFound, .permissionDenied, .invalidArgument, .conflict, .notSignedIn,
            .sessionExpired, .network, .io, .busy, .outOfMemory, .rateLimited, .cancelled, .corrupt,
            .internalError, .authenticationFailed,
        ]
        XCTAssertEqual(all.map(\.rawValue), Array((-16...(-1)).reversed()).map(Int32.init))
        for code in all {
            XCTAssertEqual(LeanDeskErrorCode(rawValue: code.rawValue), code)
            XCTAssertFalse(code.name.isEmpty)
            if code != .error {
                XCTAssertNotEqual(code.name, LeanDeskErrorCode.error.name, "\(code)")
            }
        }
        XCTAssertEqual(LeanDeskErrorCode.sessionExpired.name, "session expired")
        XCTAssertEqual(LeanDeskErrorCode(rawValue: -99), .unknown(-99))
        XCTAssertEqual(LeanDeskErrorCode.unknown(-99).rawValue, -99)
    }

    func testRuleParsing() {
        XCTAssertEqual(LeanDeskError(code: .permissionDenied, message: "R13: hidden").rule, "R13")
        XCTAssertNil(LeanDeskError(code: .permissionDenied, message: "no rule here").rule)
        XCTAssertNil(LeanDeskError(code: .permissionDenied, message: "R9").rule)
        XCTAssertNil(LeanDeskError(code: .notFound, message: "R9: not a refusal").rule)
    }
}
