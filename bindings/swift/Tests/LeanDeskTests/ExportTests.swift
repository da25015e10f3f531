import Foundation
import LeanDesk
import XCTest

/// An error of the caller's own, thrown from a progress closure.
struct StopRequested: Error, Equatable {
    let at: Int
}

/// The group spreadsheet, backup and restore, and the project report with its mail (export.h),
/// on a plain database.
final class ExportTests: XCTestCase {
    /// Ann manages "Lean Team" and owns "Pilot <line 7>", in which Bob takes part; Cat is a
    /// member who takes part in nothing; Dan shares no group with them.
    private struct World {
        let f: Fixture
        let ann: Session, bob: Session, cat: Session, dan: Session
        let bobID: String, catID: String
        let group: LeanDesk.Group
        let project: Project
    }

    private func world() throws -> World {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        let bob = try f.user("Bob", "Baker")
        let cat = try f.user("Cat", "Cole")
        let dan = try f.user("Dan", "Dale")
        let group = try ann.createGroup(name: "Lean Team")
        try ann.addMember(email: "bob@example.com", toGroup: group.id)
        try ann.addMember(email: "cat@example.com", toGroup: group.id)
        let project = try ann.createProject(NewProject(groupID: group.id, name: "Pilot <line 7>",
                                                       targetDate: "2026-06-30"))
        let bobID = try bob.me().id
        try ann.addParticipant(bobID, toProject: project.id)
        for title in ["Measure scrap", "Sort the bins", "Train the team"] {
            let action = try ann.createAction(NewAction(projectID: project.id, title: title,
                                                        dueDate: "2026-03-02"))
            try bob.addComment("On it", toAction: action.id)
        }
        return World(f: f, ann: ann, bob: bob, cat: cat, dan: dan, bobID: bobID,
                     catID: try cat.me().id, group: group, project: project)
    }

    /// The names in a folder, sorted.
    private func names(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    func testExportWritesAWorkbookAndOnlyForTheManager() throws {
        let w = try world()
        let folder = w.f.temp.folder
        let before = try names(in: folder)
        let file = folder.appendingPathComponent("team.xlsx")

        var calls = 0
        var last = (done: 0, total: 0)
        try w.ann.exportGroupXLSX(groupID: w.group.id, to: file) { done, total in
            calls += 1
            XCTAssertGreaterThanOrEqual(done, last.done, "progress only grows")
            last = (done, total)
            return true
        }
        let data = try Data(contentsOf: file)
        XCTAssertGreaterThan(data.count, 1000)
        XCTAssertEqual(Array(data.prefix(2)), Array("PK".utf8), "an .xlsx file is a ZIP archive")
        XCTAssertGreaterThan(calls, 0, "the progress closure was called")
        XCTAssertGreaterThan(last.done, 0)
        // Without a progress closure, replacing the existing file.
        try w.ann.exportGroupXLSX(groupID: w.group.id, to: file)
        XCTAssertEqual(try names(in: folder), (before + ["team.xlsx"]).sorted())

        // A non-member is refused by R13, a member who is not the manager by R10; nothing is
        // written, not even a temporary file.
        let refused = folder.appendingPathComponent("refused.xlsx")
        let r13 = assertLeanDeskError(.permissionDenied, messagePrefix: "R13") {
            try w.dan.exportGroupXLSX(groupID: w.group.id, to: refused)
        }
        XCTAssertEqual(r13?.rule, "R13")
        let r10 = assertLeanDeskError(.permissionDenied, messagePrefix: "R10") {
            try w.bob.exportGroupXLSX(groupID: w.group.id, to: refused) { _, _ in true }
        }
        XCTAssertEqual(r10?.rule, "R10")
        assertLeanDeskError(.notFound) {
            try w.ann.exportGroupXLSX(groupID: "00000000-0000-4000-8000-000000000000", to: refused)
        }
        assertLeanDeskError(.invalidArgument) {
            try w.ann.exportGroupXLSX(groupID: w.group.id, to: URL(string: "https://example.com/x.xlsx")!)
        }
        XCTAssertEqual(try names(in: folder), (before + ["team.xlsx"]).sorted())
    }

    func testExportCancelledByFalseOrByAThrownErrorLeavesNoFile() throws {
        let w = try world()
        let folder = w.f.temp.folder
        let before = try names(in: folder)
        let file = folder.appendingPathComponent("cancelled.xlsx")

        var calls = 0
        assertLeanDeskError(.cancelled) {
            try w.ann.exportGroupXLSX(groupID: w.group.id, to: file) { _, _ in
                calls += 1
                return false
            }
        }
        XCTAssertEqual(calls, 1, "no call after the one that cancelled")

        // A Swift error thrown by the closure cancels the work and reaches the caller unchanged.
        do {
            try w.ann.exportGroupXLSX(groupID: w.group.id, to: file) { done, _ in
                throw StopRequested(at: done)
            }
            XCTFail("the export should have been stopped")
        } catch let error as StopRequested {
            XCTAssertGreaterThanOrEqual(error.at, 0)
        }
        XCTAssertEqual(try names(in: folder), before, "no file and no temporary file left")
    }

    func testBackupThenRestoreMakesANewGroupWithTheSameContent() throws {
        let w = try world()
        let actionID = try w.ann.actions(ofProject: w.project.id)[0].id
        try w.bob.addPhoto(tinyPNG, toAction: actionID, options: PhotoOptions(caption: "line 7"))
        let backup = w.f.temp.folder.appendingPathComponent("backup")

        var calls = 0
        try w.ann.backupGroup(groupID: w.group.id, to: backup) { _, _ in
            calls += 1
            return true
        }
        XCTAssertGreaterThan(calls, 0)
        XCTAssertEqual(try names(in: backup), ["group.json", "photos"])
        XCTAssertEqual(try names(in: backup.appendingPathComponent("photos")).count, 1)

        // The folder must be new; only the manager may back up (R10).
        assertLeanDeskError(.conflict) { try w.ann.backupGroup(groupID: w.group.id, to: backup) }
        assertLeanDeskError(.permissionDenied, messagePrefix: "R10") {
            try w.bob.backupGroup(groupID: w.group.id, to: w.f.temp.folder.appendingPathComponent("b2"))
        }

        // A cancelled restore changes nothing.
        assertLeanDeskError(.cancelled) { try w.cat.restoreGroup(from: backup) { _, _ in false } }
        XCTAssertEqual(try w.cat.groups().map(\.id), [w.group.id])

        // Cat restores it: a new group she manages, with the same plan, people matched by e-mail.
        var restoreCalls = 0
        let restored = try w.cat.restoreGroup(from: backup) { _, _ in
            restoreCalls += 1
            return true
        }
        XCTAssertGreaterThan(restoreCalls, 0)
        XCTAssertNotEqual(restored.id, w.group.id)
        XCTAssertEqual(restored.name, "Lean Team")
        XCTAssertEqual(restored.managerID, w.catID)
        let projects = try w.cat.projects(inGroup: restored.id)
        XCTAssertEqual(projects.map(\.name), ["Pilot <line 7>"])
        XCTAssertNotEqual(projects[0].id, w.project.id)
        let actions = try w.cat.actions(ofProject: projects[0].id)
        XCTAssertEqual(Set(actions.map(\.title)), ["Measure scrap", "Sort the bins", "Train the team"])
        let detail = try w.cat.action(try XCTUnwrap(actions.first { $0.title == "Measure scrap" }).id)
        XCTAssertEqual(detail.comments.map(\.body), ["On it"])
        XCTAssertEqual(detail.photos.map(\.caption), ["line 7"])
        XCTAssertEqual(try w.cat.blob(detail.photos[0].blob), tinyPNG)
        // The original is untouched.
        XCTAssertEqual(try w.ann.actions(ofProject: w.project.id).count, 3)

        assertLeanDeskError(.notFound) {
            try w.cat.restoreGroup(from: w.f.temp.folder.appendingPathComponent("no-such-backup"))
        }
    }

    func testProjectReportHasTheProjectInHTMLAndText() throws {
        let w = try world()
        // A participant and the manager may render it (R8, R7).
        let report = try w.bob.projectReport(w.project.id)
        XCTAssertTrue(report.text.contains("Pilot <line 7>"), report.text)
        XCTAssertTrue(report.html.contains("Pilot &lt;line 7&gt;"), "the name is HTML-escaped")
        XCTAssertFalse(report.html.contains("Pilot <line 7>"))
        XCTAssertTrue(report.html.hasPrefix("<!DOCTYPE html>"), "a whole page")
        for title in ["Measure scrap", "Sort the bins", "Train the team"] {
            XCTAssertTrue(report.text.contains(title), title)
        }
        XCTAssertEqual(try w.ann.projectReport(w.project.id).text, report.text)
        // A member who takes part in nothing may not read the project (R8).
        assertLeanDeskError(.permissionDenied, messagePrefix: "R8") { try w.cat.projectReport(w.project.id) }
        assertLeanDeskError(.notFound) { try w.ann.projectReport("00000000-0000-4000-8000-000000000000") }
        let decoded = try JSONDecoder().decode(ProjectReport.self, from: JSONEncoder().encode(report))
        XCTAssertEqual(decoded, report)
    }

    func testReportMailGoesToParticipantsOnly() throws {
        let w = try world()
        let mailsBefore = w.f.mailbox.mails.current.count
        try w.ann.sendProjectReport(w.project.id, to: [w.bobID])
        let sent = Array(w.f.mailbox.mails.current.dropFirst(mailsBefore))
        XCTAssertEqual(sent.map(\.to), ["bob@example.com"])
        XCTAssertTrue(sent[0].subject.contains("Pilot <line 7>"), sent[0].subject)
        XCTAssertTrue(sent[0].text.contains("Pilot <line 7>"))
        XCTAssertTrue(sent[0].html.contains("Pilot &lt;line 7&gt;"))

        // Cat is a member of the group but not a participant: R15 refuses her as a recipient
        // (even next to Bob, and before any mail goes) and as a sender.
        let count = w.f.mailbox.mails.current.count
        let refused = assertLeanDeskError(.permissionDenied, messagePrefix: "R15") {
            try w.ann.sendProjectReport(w.project.id, to: [w.bobID, w.catID])
        }
        XCTAssertEqual(refused?.rule, "R15")
        assertLeanDeskError(.permissionDenied) { try w.cat.sendProjectReport(w.project.id, to: [w.bobID]) }
        assertLeanDeskError(.invalidArgument) { try w.ann.sendProjectReport(w.project.id, to: []) }
        XCTAssertEqual(w.f.mailbox.mails.current.count, count, "no mail went out")
    }
}
