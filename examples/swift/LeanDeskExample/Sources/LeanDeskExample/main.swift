// The LeanDesk core from Swift, in one page: open a database, sign two people up, plan an action,
// watch the changes, see a rule refuse a write, export the group and render and mail the report.
//
//   swift run LeanDeskExample [database-path]     (default: a temporary file)

import Foundation
import LeanDesk

/// Keeps the mails the engine asks us to send; a real app hands them to its mail service.
final class Outbox: @unchecked Sendable {
    private let lock = NSLock()
    private var mails: [Mail] = []

    func send(_ mail: Mail) {
        lock.lock()
        defer { lock.unlock() }
        mails.append(mail)
    }

    /// How many mails were handed over.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return mails.count
    }

    /// The code in the last mail to `address` (the line indented by four spaces).
    func code(for address: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return mails.last { $0.to == address }?.text
            .split(separator: "\n")
            .first { $0.hasPrefix("    ") }?
            .trimmingCharacters(in: .whitespaces)
    }
}

func run() throws {
    let given = CommandLine.arguments.dropFirst().first
    let path = given
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("leandesk-example-\(UUID()).db").path
    defer {
        // A temporary database goes away with its write-ahead log files.
        if given == nil {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }
    print("LeanDesk \(LeanDeskLibrary.version), database \(path)")

    // Cheap password hashing keeps the example fast; an app keeps the library's defaults.
    let db = try Database(path: path, options: .fastPasswordHashingForTests)
    let outbox = Outbox()
    try db.setMailSender { mail in outbox.send(mail) }

    func join(_ first: String, _ last: String) throws -> Session {
        let email = "\(first.lowercased())@example.com"
        try db.signUp(SignUp(firstName: first, lastName: last, email: email, password: "a long passphrase"))
        guard let code = outbox.code(for: email) else { fatalError("no activation mail") }
        try db.activate(code: code)
        return try db.signIn(email: email, password: "a long passphrase")
    }
    let marie = try join("Marie", "Curie")
    let pierre = try join("Pierre", "Curie")

    // Print every committed change while the token lives.
    let token = try db.addObserver { changes in
        for change in changes where change.entity != .step {
            print("  change #\(change.seq): \(change.op.rawValue) \(change.entity.rawValue)")
        }
    }

    let group = try marie.createGroup(name: "Lab")
    try marie.addMember(email: "pierre@example.com", toGroup: group.id)
    let project = try marie.createProject(NewProject(groupID: group.id, name: "Radium", targetDate: "2026-12-31"))
    let action = try marie.createAction(NewAction(projectID: project.id, title: "Order pitchblende",
                                                  dueDate: "2026-03-02", priority: 2))
    print("Marie planned \"\(action.title)\", due \(action.dueDate ?? "-")")

    // Pierre is a member of the group but not a participant of the project: R9 refuses.
    // Every call throws LeanDeskError (typed throws), so the catch gets one without a cast.
    do throws(LeanDeskError) {
        _ = try pierre.createAction(NewAction(projectID: project.id, title: "Sneak in"))
    } catch {
        print("Pierre was refused: \(error.code.name) (\(error.rule ?? "-")): \(error.message)")
    }

    try marie.addParticipant(try pierre.me().id, toProject: project.id)
    try pierre.updateAction(action.id, ActionPatch(ownerID: .set(try pierre.me().id), progress: 50))
    for step in try marie.review(ofProject: project.id).steps where !step.actions.isEmpty {
        print("\(step.step.name): \(step.actions.map { "\($0.title) (\($0.progress)%)" }.joined(separator: ", "))")
    }
    token.cancel()

    // The group spreadsheet for the manager (R10), with a progress closure (false would cancel),
    // and the project report that any participant may render and mail to participants (R15).
    let sheet = FileManager.default.temporaryDirectory.appendingPathComponent("leandesk-example-\(UUID()).xlsx")
    defer { try? FileManager.default.removeItem(at: sheet) }
    var rows = 0
    try marie.exportGroupXLSX(groupID: group.id, to: sheet) { done, _ in
        rows = done
        return true
    }
    let size = (try FileManager.default.attributesOfItem(atPath: sheet.path)[.size] as? Int) ?? 0
    print("Marie exported the group: \(rows) rows, \(size) bytes of .xlsx")
    let report = try pierre.projectReport(project.id)
    print("Pierre's report starts: \(report.text.split(separator: "\n").first ?? "")")
    try pierre.sendProjectReport(project.id, to: [try marie.me().id])
    print("and was mailed to Marie (the sender closure got \(outbox.count) mails so far)")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
