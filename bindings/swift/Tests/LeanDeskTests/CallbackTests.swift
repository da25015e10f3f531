import Foundation
import LeanDesk
import XCTest

/// An object whose lifetime shows whether a closure that captured it was released.
final class Sentinel: Sendable {}

final class CallbackTests: XCTestCase {
    // MARK: Observers

    func testObserverReceivesChangesUntilTheTokenGoes() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        let received = Locked<[[Change]]>([])
        var token: ObserverToken? = try f.database.addObserver { changes in
            received.withValue { $0.append(changes) }
        }
        XCTAssertTrue(token?.isActive ?? false)

        let group = try ann.createGroup(name: "Team")
        let batches = received.current
        XCTAssertEqual(batches.count, 1, "one unit of work, one call")
        let first = try XCTUnwrap(batches.first)
        XCTAssertTrue(first.contains { $0.entity == .group && $0.op == .insert && $0.entityID == group.id })
        XCTAssertTrue(first.contains { $0.entity == .step }, "the default steps come with the group")
        XCTAssertTrue(first.allSatisfy { $0.actor == group.managerID })

        try ann.renameGroup(group.id, to: "Renamed")
        let rename = try XCTUnwrap(received.current.last)
        XCTAssertEqual(rename.map(\.entity), [.group])
        XCTAssertEqual(rename.first?.fields, ["name"])

        token = nil  // deinit unregisters
        try ann.renameGroup(group.id, to: "Again")
        XCTAssertEqual(received.current.count, 2)
    }

    func testCancelAndTheReleaseOfObserverClosures() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        weak var weakSentinel: Sentinel?
        let calls = Locked(0)
        let token: ObserverToken
        do {
            let sentinel = Sentinel()
            weakSentinel = sentinel
            token = try f.database.addObserver { _ in
                _ = sentinel
                calls.withValue { $0 += 1 }
            }
        }
        XCTAssertNotNil(weakSentinel, "the library holds the closure")
        _ = try ann.createGroup(name: "One")
        token.cancel()
        XCTAssertFalse(token.isActive)
        XCTAssertNil(weakSentinel, "removing the observer released its closure")
        _ = try ann.createGroup(name: "Two")
        XCTAssertEqual(calls.current, 1)
        token.cancel()  // twice is harmless
    }

    func testObserverMayCallLeanDesk() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        let names = Locked<[String]>([])
        let token = try f.database.addObserver { [ann] changes in
            for change in changes where change.entity == .group && change.op != .delete {
                if let group = try? ann.group(change.entityID) {
                    names.withValue { $0.append(group.name) }
                }
            }
        }
        _ = try ann.createGroup(name: "Team")
        XCTAssertEqual(names.current, ["Team"])
        withExtendedLifetime(token) {}
    }

    func testObserverMayCancelItselfWhileRunning() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        let holder = Locked<ObserverToken?>(nil)
        let calls = Locked(0)
        let token = try f.database.addObserver { _ in
            calls.withValue { $0 += 1 }
            holder.withValue { $0?.cancel() }
        }
        holder.withValue { $0 = token }
        _ = try ann.createGroup(name: "A")
        _ = try ann.createGroup(name: "B")
        XCTAssertEqual(calls.current, 1)
        XCTAssertFalse(token.isActive)
    }

    func testTokenOutlivingTheDatabaseDoesNothing() throws {
        weak var weakDatabase: Database?
        let token: ObserverToken
        do {
            let database = try Database.inMemory()
            weakDatabase = database
            token = try database.addObserver { _ in }
            XCTAssertTrue(token.isActive)
        }
        XCTAssertNil(weakDatabase, "a token does not keep the database open")
        XCTAssertFalse(token.isActive)
        token.cancel()
    }

    // MARK: Mail sender, log and clock closures

    func testReplacingAndRemovingCallbacksReleasesThem() throws {
        let db = try Database.inMemory(options: fastOptions)
        weak var weakMail: Sentinel?
        weak var weakLog: Sentinel?
        weak var weakClock: Sentinel?
        do {
            let mail = Sentinel(), log = Sentinel(), clock = Sentinel()
            weakMail = mail
            weakLog = log
            weakClock = clock
            try db.setMailSender { _ in _ = mail }
            try db.setLog { _, _ in _ = log }
            try db.setClock { _ = clock; return Date() }
        }
        XCTAssertNotNil(weakMail)
        XCTAssertNotNil(weakLog)
        XCTAssertNotNil(weakClock)

        try db.setMailSender { _ in }  // replaced
        XCTAssertNil(weakMail)
        try db.setLog(nil)  // removed
        XCTAssertNil(weakLog)
        try db.setClock(nil)  // system clock again
        XCTAssertNil(weakClock)
    }

    func testClosingTheDatabaseReleasesItsCallbacks() throws {
        weak var weakSentinel: Sentinel?
        weak var weakDatabase: Database?
        var token: ObserverToken?
        do {
            let db = try Database.inMemory()
            weakDatabase = db
            let sentinel = Sentinel()
            weakSentinel = sentinel
            try db.setLog { _, _ in _ = sentinel }
            token = try db.addObserver { _ in _ = sentinel }
        }
        XCTAssertNil(weakDatabase, "deinit closed the database")
        XCTAssertNil(weakSentinel, "ld_db_close released every callback")
        XCTAssertFalse(token?.isActive ?? true)
    }

    func testLogReceivesLines() throws {
        let f = try Fixture()
        let lines = Locked<[(LogLevel, String)]>([])
        try f.database.setLog { level, line in lines.withValue { $0.append((level, line)) } }
        _ = try f.user("Ann", "Archer")
        _ = try? f.database.signIn(email: "ann@example.com", password: "wrong password!")
        let logged = lines.current
        // What the engine logs is its business; whatever it logs must never hold a secret.
        for (_, line) in logged {
            XCTAssertFalse(line.contains(password), line)
        }
        try f.database.setLog(nil)
    }

    // MARK: Session expiry through the clock

    func testSessionExpiresWithTheInjectedClock() throws {
        let now = Locked(Date(timeIntervalSince1970: 1_780_000_000))
        let f = try Fixture(options: DatabaseOptions(sessionLifetimeMs: 3_600_000, sessionIdleTimeoutMs: 600_000,
                                                     passwordOpslimit: 1, passwordMemlimit: 8192))
        try f.database.setClock { now.current }
        let ann = try f.user("Ann", "Archer")
        let info = try ann.info()
        XCTAssertEqual(info.expiresAt, now.current.leanDeskMillis + 3_600_000)
        XCTAssertEqual(Date(leanDeskMillis: info.expiresAt), now.current.addingTimeInterval(3600))

        // Used every 9 minutes, it stays alive until its lifetime ends.
        for _ in 0..<6 {
            now.withValue { $0.addTimeInterval(9 * 60) }
            XCTAssertNoThrow(try ann.me())
        }
        now.withValue { $0.addTimeInterval(9 * 60) }  // 63 minutes after sign-in
        assertLeanDeskError(.sessionExpired) { try ann.me() }

        // Idle for longer than the idle timeout: ended too.
        let bob = try f.user("Bob", "Baker")
        let token = try bob.token
        now.withValue { $0.addTimeInterval(11 * 60) }
        assertLeanDeskError(.sessionExpired) { try bob.groups() }
        assertLeanDeskError(.sessionExpired) { try f.database.resumeSession(token: token) }
    }

    func testActivationCodeExpiresWithTheInjectedClock() throws {
        let now = Locked(Date(timeIntervalSince1970: 1_780_000_000))
        let f = try Fixture(options: DatabaseOptions(activationTokenLifetimeMs: 60_000,
                                                     passwordOpslimit: 1, passwordMemlimit: 8192))
        try f.database.setClock { now.current }
        try f.database.signUp(SignUp(firstName: "Ann", lastName: "Archer", email: "ann@example.com",
                                     password: password))
        let code = try f.mailbox.lastCode(to: "ann@example.com")
        now.withValue { $0.addTimeInterval(61) }
        assertLeanDeskError(.authenticationFailed) { try f.database.activate(code: code) }
        try f.database.resendActivation(email: "ann@example.com")
        XCTAssertTrue(try f.database.activate(code: try f.mailbox.lastCode(to: "ann@example.com")).isActivated)
    }
}
