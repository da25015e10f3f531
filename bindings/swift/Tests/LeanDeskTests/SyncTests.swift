import Foundation
import LeanDesk
import XCTest

/// Replicas of a real `leandesk-server` (``TestServer``) over loopback HTTPS: offline edits, the
/// progress closure and cancelling, rejected commands, the status, and certificate checks.
final class SyncTests: XCTestCase {
    private var server: TestServer!

    override func setUpWithError() throws {
        server = try TestServer()
    }

    override func tearDownWithError() throws {
        server?.stop()
        server = nil
    }

    /// A replica database signed in as `email` (a fresh file unless `file` names one).
    private func replica(_ email: String, file: String? = nil) throws -> (Database, Session) {
        let path = server.folder.appendingPathComponent(file ?? "\(email).db").path
        let db = try Database.openReplica(path: path, options: fastOptions, serverURL: server.url,
                                          caFile: server.caFile)
        return (db, try db.syncSignIn(email: "\(email)", password: TestServer.password))
    }

    /// Ann's group with Bob as a member, her project "Scrap" with Bob as participant and one
    /// action, all synced to both replicas.
    private struct Shared {
        let annDB: Database, ann: Session, bobDB: Database, bob: Session
        let bobID: String
        let group: LeanDesk.Group, project: Project, action: Action
    }

    private func shared() throws -> Shared {
        try server.account("ann@example.com", first: "Ann", last: "Archer")
        try server.account("bob@example.com", first: "Bob", last: "Baker")
        let (annDB, ann) = try replica("ann@example.com")
        let (bobDB, bob) = try replica("bob@example.com")
        let group = try ann.createGroup(name: "Plant")
        try ann.addMember(email: "bob@example.com", toGroup: group.id)
        let project = try ann.createProject(NewProject(groupID: group.id, name: "Scrap"))
        try annDB.syncNow()
        let bobID = try XCTUnwrap(try bob.info().userID)
        try ann.addParticipant(bobID, toProject: project.id)
        let action = try ann.createAction(NewAction(projectID: project.id, title: "Measure"))
        try annDB.syncNow()
        try bobDB.syncNow()
        return Shared(annDB: annDB, ann: ann, bobDB: bobDB, bob: bob, bobID: bobID, group: group,
                      project: project, action: action)
    }

    func testAnEditMadeOfflineReachesTheOtherReplica() throws {
        let s = try shared()
        XCTAssertEqual(try s.bob.action(s.action.id).action.title, "Measure", "Bob's replica has Ann's work")

        // The server goes away; Bob keeps working on his replica.
        server.stop()
        var patch = ActionPatch()
        patch.title = "Measure scrap per shift"
        patch.progress = 40
        try s.bob.updateAction(s.action.id, patch)
        XCTAssertEqual(try s.bob.action(s.action.id).action.title, "Measure scrap per shift", "applied locally at once")
        assertLeanDeskError(.network) { try s.bobDB.syncNow() }
        let offline = try s.bobDB.syncStatus()
        XCTAssertEqual(offline.pending, 1)
        XCTAssertEqual(offline.lastError?.code, .network)

        // Back online: his edit goes up, and Ann's replica gets it.
        try server.start()
        try s.bobDB.syncNow()
        XCTAssertNil(try s.bobDB.syncStatus().lastError)
        try s.annDB.syncNow()
        let seen = try s.ann.action(s.action.id).action
        XCTAssertEqual(seen.title, "Measure scrap per shift")
        XCTAssertEqual(seen.progress, 40)
    }

    func testProgressIsCalledAndReturningFalseCancels() throws {
        try server.account("ann@example.com", first: "Ann", last: "Archer")
        let (db, ann) = try replica("ann@example.com")
        let group = try ann.createGroup(name: "Plant")
        let project = try ann.createProject(NewProject(groupID: group.id, name: "Scrap"))
        for i in 0..<20 {
            _ = try ann.createAction(NewAction(projectID: project.id, title: "Action \(i)"))
        }

        var calls = 0
        assertLeanDeskError(.cancelled) {
            try db.syncNow { _, _ in
                calls += 1
                return false
            }
        }
        XCTAssertEqual(calls, 1, "the sync stopped at the batch after the one that cancelled")
        XCTAssertEqual(try db.syncStatus().lastError?.code, .cancelled)

        // A Swift error thrown by the closure cancels too, and reaches the caller unchanged.
        do {
            try db.syncNow { done, _ in throw StopRequested(at: done) }
            XCTFail("the sync should have been stopped")
        } catch let error as StopRequested {
            XCTAssertGreaterThan(error.at, 0)
        }

        // The next sync resumes and finishes; progress only grows and has no total.
        var seen: [(Int, Int)] = []
        try db.syncNow { done, total in
            seen.append((done, total))
            return true
        }
        XCTAssertFalse(seen.isEmpty)
        XCTAssertEqual(seen.map(\.1), Array(repeating: 0, count: seen.count))
        XCTAssertEqual(seen.map(\.0), seen.map(\.0).sorted())
        let status = try db.syncStatus()
        XCTAssertEqual(status.pending, 0)
        XCTAssertNil(status.lastError)
        XCTAssertNotNil(status.lastSuccessAt)

        // Nothing is lost: a second device of hers, whose first sync is cancelled after its push
        // (before the download), ends with everything, and the first device gets its group.
        let (second, secondSession) = try replica("ann@example.com", file: "second.db")
        let office = try secondSession.createGroup(name: "Office")
        assertLeanDeskError(.cancelled) { try second.syncNow { _, _ in false } }
        XCTAssertEqual(try second.syncStatus().pending, 0, "the push before the cancel was kept")
        try second.syncNow()
        XCTAssertEqual(try secondSession.actions(ofProject: project.id).count, 20)
        try db.syncNow()
        XCTAssertEqual(try ann.group(office.id).name, "Office")
    }

    func testCancelSyncFromAnotherThreadStopsARunningSync() throws {
        try server.account("ann@example.com", first: "Ann", last: "Archer")
        let (db, ann) = try replica("ann@example.com")
        let group = try ann.createGroup(name: "Plant")
        _ = try ann.createProject(NewProject(groupID: group.id, name: "Scrap"))
        try db.cancelSync()  // nothing runs: does nothing

        // The sync runs on a background thread; its first progress call waits until the test
        // thread has called cancelSync(), then lets it go on: it stops at the next batch.
        let inProgress = DispatchSemaphore(value: 0)
        let cancelled = DispatchSemaphore(value: 0)
        let outcome = Locked<(any Error)?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do {
                try db.syncNow { _, _ in
                    inProgress.signal()
                    cancelled.wait()
                    return true
                }
            } catch {
                outcome.withValue { $0 = error }
            }
            finished.signal()
        }
        XCTAssertEqual(inProgress.wait(timeout: .now() + 60), .success)
        try db.cancelSync()
        cancelled.signal()
        XCTAssertEqual(finished.wait(timeout: .now() + 60), .success)
        XCTAssertEqual((outcome.current as? LeanDeskError)?.code, .cancelled)
        try db.syncNow()
        XCTAssertEqual(try db.syncStatus().pending, 0)
    }

    func testARemovedParticipantsQueuedEditsAreRejectedAndTheProjectLeavesHisReplica() throws {
        let s = try shared()
        let rejections = Locked<[SyncRejection]>([])
        try s.bobDB.setRejectionHandler { rejection in rejections.withValue { $0.append(rejection) } }

        // Bob works offline on the project...
        var patch = ActionPatch()
        patch.title = "Bob's offline title"
        try s.bob.updateAction(s.action.id, patch)
        try s.bob.addComment("Done on the night shift", toAction: s.action.id)
        let queued = try s.bobDB.syncStatus()
        XCTAssertEqual(queued.pending, 2, "both commands wait in the outbox")
        XCTAssertTrue(queued.signedIn)
        XCTAssertEqual(queued.userID, s.bobID)
        XCTAssertEqual(queued.serverURL, server.url.absoluteString)

        // ...while Ann removes him from it.
        try s.ann.removeParticipant(s.bobID, fromProject: s.project.id)
        try s.annDB.syncNow()
        try s.bobDB.syncNow()

        let refused = rejections.current
        XCTAssertEqual(refused.map(\.command), ["update_action", "add_comment"])
        for rejection in refused {
            XCTAssertTrue([.permissionDenied, .notFound].contains(rejection.code), "\(rejection)")
            XCTAssertEqual(rejection.error.code, rejection.code)
            XCTAssertFalse(rejection.commandID.isEmpty)
        }
        XCTAssertEqual(refused.first?.arguments["action_id"], .string(s.action.id))
        let after = try s.bobDB.syncStatus()
        XCTAssertEqual(after.pending, 0)
        XCTAssertEqual(after.rejected, 2)
        XCTAssertNil(after.lastError)

        // The project is gone from his replica; the server never saw his edits.
        XCTAssertTrue(try s.bob.projects().isEmpty)
        XCTAssertThrowsError(try s.bob.project(s.project.id))
        XCTAssertThrowsError(try s.bob.action(s.action.id))
        try s.annDB.syncNow()
        let kept = try s.ann.action(s.action.id)
        XCTAssertEqual(kept.action.title, "Measure")
        XCTAssertTrue(kept.comments.isEmpty)

        // Removing the handler releases the closure.
        try s.bobDB.setRejectionHandler(nil)
    }

    func testAServerCertificateFromAnUnknownCAIsRefused() throws {
        try server.account("cat@example.com", first: "Cat", last: "Cole")
        let path = server.folder.appendingPathComponent("cat.db").path
        let db = try Database.openReplica(path: path, options: fastOptions, serverURL: server.url,
                                          caFile: server.unknownCAFile)
        let refused = assertLeanDeskError(.network) {
            try db.syncSignIn(email: "cat@example.com", password: TestServer.password)
        }
        XCTAssertTrue(refused?.message.contains("securely") ?? false, refused?.message ?? "")
        XCTAssertFalse(try db.syncStatus().signedIn)

        // The right CA with a wrong public-key pin is refused too; the server's own pin passes.
        let wrongPin = try Database.openReplica(
            path: server.folder.appendingPathComponent("pinned-wrong.db").path, options: fastOptions,
            serverURL: server.url, caFile: server.caFile,
            pinnedKey: "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        assertLeanDeskError(.network) {
            try wrongPin.syncSignIn(email: "cat@example.com", password: TestServer.password)
        }
        let pinned = try Database.openReplica(
            path: server.folder.appendingPathComponent("pinned.db").path, options: fastOptions,
            serverURL: server.url, caFile: server.caFile, pinnedKey: try server.publicKeyPin())
        _ = try pinned.syncSignIn(email: "cat@example.com", password: TestServer.password)
        XCTAssertTrue(try pinned.syncStatus().signedIn)

        // Plain HTTP is not even attempted; a database that is no replica has no sync.
        assertLeanDeskError(.invalidArgument) {
            try Database.openReplica(path: server.folder.appendingPathComponent("plain.db").path,
                                     serverURL: URL(string: "http://localhost:\(server.port)")!)
        }
        let plain = try Database.inMemory()
        assertLeanDeskError(.invalidArgument) { try plain.syncStatus() }
        assertLeanDeskError(.invalidArgument) { try plain.syncNow() }
        assertLeanDeskError(.invalidArgument) { try plain.cancelSync() }
        assertLeanDeskError(.invalidArgument) { try plain.setRejectionHandler { _ in } }
    }

    /// The server throttles per (address, client): five failures, then 429 with Retry-After
    /// (docs/accounts.md); the error carries the wait as `retryAfter`.
    func testARateLimitedSignInCarriesTheServersTimeToWait() throws {
        try server.account("dee@example.com", first: "Dee", last: "Dunn")
        let path = server.folder.appendingPathComponent("dee.db").path
        let db = try Database.openReplica(path: path, options: fastOptions, serverURL: server.url,
                                          caFile: server.caFile)
        for _ in 0..<5 {
            let failed = assertLeanDeskError(.authenticationFailed) {
                try db.syncSignIn(email: "dee@example.com", password: "not the password")
            }
            XCTAssertNil(failed?.retryAfter)
        }
        let limited = assertLeanDeskError(.rateLimited) {
            try db.syncSignIn(email: "dee@example.com", password: TestServer.password)
        }
        let wait = try XCTUnwrap(limited?.retryAfter)
        XCTAssertGreaterThanOrEqual(wait, 1)
        XCTAssertTrue(limited?.message.hasSuffix("(retry after \(Int(wait)) s)") ?? false,
                      limited?.message ?? "")
    }

    func testAReplicaClosesInDeinitAndReopensWithItsData() throws {
        try server.account("ann@example.com", first: "Ann", last: "Archer")
        weak var closed: Database?
        weak var released: Witness?
        let groupID: String
        do {
            let (db, ann) = try replica("ann@example.com", file: "ann.db")
            groupID = try ann.createGroup(name: "Plant").id
            try db.syncNow()
            let witness = Witness()
            released = witness
            try db.setRejectionHandler { [witness] _ in _ = witness }
            closed = db
        }
        XCTAssertNil(closed, "the replica closed with its last reference")
        XCTAssertNil(released, "and the library released the rejection handler")
        let (again, ann) = try replica("ann@example.com", file: "ann.db")
        XCTAssertEqual(try ann.group(groupID).name, "Plant")
        XCTAssertEqual(try again.syncStatus().pending, 0)
    }
}

/// An object whose release shows that a closure holding it was released.
private final class Witness: Sendable {}

/// The sync values as the library writes them (no server needed).
final class SyncValueTests: XCTestCase {
    func testStatusAndRejectionDecodeAndRoundTrip() throws {
        let statusJSON = """
            {"pending":3,"rejected":1,"last_success_at":1772442000000,
             "last_error":{"code":-7,"message":"session expired"},
             "signed_in":false,"user_id":"0f0e0d0c-0b0a-4908-8706-050403020100","server_url":"https://x.example"}
            """
        let status = try JSONDecoder().decode(SyncStatus.self, from: Data(statusJSON.utf8))
        XCTAssertEqual(status.pending, 3)
        XCTAssertEqual(status.lastError, LeanDeskError(code: .sessionExpired, message: "session expired"))
        XCTAssertEqual(status.lastSuccessAt, 1_772_442_000_000)
        XCTAssertFalse(status.signedIn)
        XCTAssertEqual(try JSONDecoder().decode(SyncStatus.self, from: JSONEncoder().encode(status)), status)

        let fresh = try JSONDecoder().decode(SyncStatus.self, from: Data("""
            {"pending":0,"rejected":0,"last_success_at":null,"last_error":null,"signed_in":true,
             "user_id":null,"server_url":"https://x.example"}
            """.utf8))
        XCTAssertNil(fresh.lastSuccessAt)
        XCTAssertNil(fresh.lastError)
        XCTAssertNil(fresh.userID)

        let rejection = try JSONDecoder().decode(SyncRejection.self, from: Data("""
            {"command_id":"c1","command":"update_action","args":{"action_id":"a1","patch":{"title":"T"}},
             "code":-3,"rule":"R9","message":"R9: only participants may edit actions"}
            """.utf8))
        XCTAssertEqual(rejection.code, .permissionDenied)
        XCTAssertEqual(rejection.error.rule, "R9")
        XCTAssertEqual(rejection.arguments["patch"]?["title"], .string("T"))
        XCTAssertEqual(try JSONDecoder().decode(SyncRejection.self, from: JSONEncoder().encode(rejection)), rejection)
        // An unknown code survives as .unknown.
        let future = try JSONDecoder().decode(LeanDeskErrorCode.self, from: Data("-99".utf8))
        XCTAssertEqual(future, .unknown(-99))
    }
}
