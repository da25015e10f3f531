import Foundation
import LeanDesk
import XCTest

final class LifecycleTests: XCTestCase {
    func testDeinitClosesAndTheFileReopens() throws {
        let temp = try TempDatabase()
        let mailbox = Mailbox()
        weak var weakDatabase: Database?
        weak var weakSession: Session?
        var token = ""
        do {
            let db = try Database(path: temp.path, options: fastOptions)
            weakDatabase = db
            try mailbox.install(on: db)
            try db.signUp(SignUp(firstName: "Ann", lastName: "Archer", email: "ann@example.com",
                                 password: password))
            try db.activate(code: try mailbox.lastCode(to: "ann@example.com"))
            let session = try db.signIn(email: "ann@example.com", password: password)
            weakSession = session
            _ = try session.createGroup(name: "Kept")
            token = try session.token
        }
        XCTAssertNil(weakSession, "the session handle was freed")
        XCTAssertNil(weakDatabase, "the database was closed")

        // Freeing a handle does not end the session: it resumes on a new handle to the same file.
        let db = try Database(path: temp.path, options: fastOptions)
        let resumed = try db.resumeSession(token: token)
        XCTAssertEqual(try resumed.groups().map(\.name), ["Kept"])
    }

    func testSessionKeepsItsDatabaseOpen() throws {
        let f = try Fixture()
        _ = try f.user("Ann", "Archer")
        weak var weakDatabase: Database?
        var session: Session?
        do {
            let db = try Database(path: f.temp.path, options: fastOptions)
            weakDatabase = db
            session = try db.signIn(email: "ann@example.com", password: password)
        }
        XCTAssertNotNil(weakDatabase, "the session holds its database")
        XCTAssertTrue(session?.database === weakDatabase)
        XCTAssertNoThrow(try session?.me())
        session = nil
        XCTAssertNil(weakDatabase)
    }

    func testOneDatabaseFromSeveralThreads() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        let group = try ann.createGroup(name: "Team")
        let project = try ann.createProject(NewProject(groupID: group.id, name: "Busy"))
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<10 {
                do {
                    _ = try ann.createAction(NewAction(projectID: project.id, title: "w\(worker)-\(i)"))
                    _ = try ann.actions(ofProject: project.id)
                } catch {
                    failures.withValue { $0.append("\(error)") }
                }
            }
        }
        XCTAssertEqual(failures.current, [])
        XCTAssertEqual(try ann.actions(ofProject: project.id).count, 80)
    }
}
