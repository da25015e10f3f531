import Foundation
import LeanDesk
import XCTest

final class AccountsTests: XCTestCase {
    func testVersionsMatch() throws {
        XCTAssertEqual(LeanDeskLibrary.versionNumber, LeanDeskLibrary.headerVersionNumber)
        XCTAssertFalse(LeanDeskLibrary.version.isEmpty)
        XCTAssertNoThrow(try LeanDeskLibrary.checkVersion())
    }

    func testSignUpActivateSignInAndSignOut() throws {
        let f = try Fixture()
        let user = try f.database.signUp(
            SignUp(firstName: "Ann", lastName: "Archer", email: "Ann@Example.com", password: password))
        XCTAssertEqual(user.email, "ann@example.com")
        XCTAssertFalse(user.isActivated)
        XCTAssertEqual(user.displayName, "ann@example.com")  // R16: the address until activation

        let mails = f.mailbox.mails.current
        XCTAssertEqual(mails.count, 1)
        XCTAssertEqual(mails.first?.to, "ann@example.com")
        // The names typed at sign-up are not verified: the activation mail shows them neither in
        // its header nor its text (docs/accounts.md).
        XCTAssertEqual(mails.first?.toName, "")
        XCTAssertFalse(mails.first?.text.contains("Archer") ?? true)

        let code = try f.mailbox.lastCode(to: "ann@example.com")
        let activated = try f.database.activate(code: code)
        XCTAssertTrue(activated.isActivated)
        XCTAssertEqual(activated.displayName, "Ann Archer")
        // A code is single-use.
        assertLeanDeskError(.authenticationFailed) { try f.database.activate(code: code) }

        let session = try f.database.signIn(email: "ann@example.com", password: password)
        let info = try session.info()
        XCTAssertEqual(info.userID, user.id)
        XCTAssertFalse(info.isOperator)
        XCTAssertEqual(try session.me().id, user.id)

        // The token resumes the session on another handle.
        let token = try session.token
        XCTAssertFalse(token.isEmpty)
        let resumed = try f.database.resumeSession(token: token)
        XCTAssertEqual(try resumed.info().userID, user.id)

        try session.signOut()
        assertLeanDeskError(.sessionExpired) { try session.me() }
        assertLeanDeskError(.sessionExpired) { try resumed.me() }
        assertLeanDeskError(.sessionExpired) { try f.database.resumeSession(token: token) }
        assertLeanDeskError(.notSignedIn) { try f.database.resumeSession(token: "not a token") }
    }

    func testWrongPasswordAndDuplicateAccount() throws {
        let f = try Fixture()
        _ = try f.user("Ann", "Archer")
        assertLeanDeskError(.authenticationFailed) {
            try f.database.signIn(email: "ann@example.com", password: "wrong password!")
        }
        assertLeanDeskError(.authenticationFailed) {
            try f.database.signIn(email: "nobody@example.com", password: password)
        }
        // A sign-up for a taken address is no conflict: it answers like any other (the answer
        // tells nothing), and the owner gets a mail saying someone tried, without a code.
        _ = try f.database.signUp(SignUp(firstName: "A", lastName: "B", email: "ann@example.com",
                                         password: password))
        XCTAssertTrue(f.mailbox.mails.current.last { $0.to == "ann@example.com" }?.subject
            .contains("tried") ?? false)
        assertLeanDeskError(.invalidArgument) {
            try f.database.signUp(SignUp(firstName: "A", lastName: "B", email: "short@example.com",
                                         password: "short"))
        }
    }

    func testSignUpWithoutMailSenderFailsAndChangesNothing() throws {
        let temp = try TempDatabase()
        let db = try Database(path: temp.path, options: fastOptions)
        assertLeanDeskError(.io) {
            try db.signUp(SignUp(firstName: "A", lastName: "B", email: "a@example.com", password: password))
        }
        // A sender that throws is a failed hand-over: same error, still nothing created.
        struct Down: Error {}
        try db.setMailSender { _ in throw Down() }
        assertLeanDeskError(.io) {
            try db.signUp(SignUp(firstName: "A", lastName: "B", email: "a@example.com", password: password))
        }
        let mailbox = Mailbox()
        try mailbox.install(on: db)
        XCTAssertNoThrow(try db.signUp(SignUp(firstName: "A", lastName: "B", email: "a@example.com",
                                              password: password)))
    }

    func testPasswordResetAndChange() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        try f.database.requestPasswordReset(email: "ann@example.com")
        try f.database.requestPasswordReset(email: "nobody@example.com")  // reveals nothing
        let code = try f.mailbox.lastCode(to: "ann@example.com")
        try f.database.resetPassword(code: code, newPassword: "a brand new password")
        assertLeanDeskError(.sessionExpired) { try ann.me() }  // every session ended

        let again = try f.database.signIn(email: "ann@example.com", password: "a brand new password")
        assertLeanDeskError(.authenticationFailed) {
            try again.changePassword(current: "wrong current pw", new: "another password 2")
        }
        try again.changePassword(current: "a brand new password", new: "another password 2")
        XCTAssertNoThrow(try f.database.signIn(email: "ann@example.com", password: "another password 2"))
    }

    func testProfileEmailChangeAvatarAndDeletion() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        var patch = ProfilePatch()
        patch.firstName = "Anne"
        patch.newsletterOptIn = false
        let updated = try ann.updateProfile(patch)
        XCTAssertEqual(updated.displayName, "Anne Archer")
        XCTAssertFalse(updated.newsletterOptIn)

        try ann.requestEmailChange(to: "anne@example.org")
        let code = try f.mailbox.lastCode(to: "anne@example.org")
        XCTAssertEqual(try f.database.activate(code: code).email, "anne@example.org")

        let withAvatar = try ann.setAvatar(tinyPNG)
        let hash = try XCTUnwrap(withAvatar.avatar)
        XCTAssertEqual(try ann.blob(hash), tinyPNG)
        XCTAssertNil(try ann.setAvatar(nil).avatar)
        assertLeanDeskError(.notFound) { try ann.blob(hash) }

        assertLeanDeskError(.authenticationFailed) { try ann.deleteAccount(password: "not my password") }
        try ann.deleteAccount(password: password)
        assertLeanDeskError(.authenticationFailed) {
            try f.database.signIn(email: "anne@example.org", password: password)
        }
    }

    func testOperatorPowersAndPolicy() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        let annID = try ann.me().id
        let secret = "the operator's long secret"
        try f.database.setOperatorSecret(secret)
        assertLeanDeskError(.authenticationFailed) { try f.database.operatorSignIn(secret: "wrong secret, long enough") }
        let op = try f.database.operatorSignIn(secret: secret)
        XCTAssertTrue(try op.info().isOperator)
        XCTAssertNil(try op.info().userID)

        XCTAssertEqual(try op.user(annID).email, "ann@example.com")
        XCTAssertEqual(try op.setStatus(.gold, ofUser: annID).status, .gold)
        // R11/R12: nobody but the operator sets a status.
        assertLeanDeskError(.permissionDenied) { try ann.setStatus(.silver, ofUser: annID) }

        let policy = try op.publishPolicy(summary: "We now keep less.")
        XCTAssertEqual(policy.summary, "We now keep less.")
        let fresh = try f.database.signIn(email: "ann@example.com", password: password)
        let info = try fresh.info()
        XCTAssertTrue(info.policyNoticeRequired)
        XCTAssertEqual(info.policyVersion, policy.version)
        XCTAssertEqual(try fresh.acknowledgePolicy(version: policy.version).acceptedPolicyVersion,
                       policy.version)
        XCTAssertFalse(try fresh.info().policyNoticeRequired)

        XCTAssertTrue(try op.activeUsers().contains { $0.id == annID })
        XCTAssertTrue(try op.newsletterRecipients().contains { $0.id == annID })

        XCTAssertEqual(try op.changeLoginEmail(ofUser: annID, to: "ann@example.net").email, "ann@example.net")

        // R12: deactivating ends every session at once, and sign-in is refused.
        XCTAssertTrue(try op.setDeactivated(true, user: annID).deactivated)
        assertLeanDeskError(.sessionExpired) { try fresh.me() }
        assertLeanDeskError(.permissionDenied, messagePrefix: "R12") {
            try f.database.signIn(email: "ann@example.net", password: password)
        }
        XCTAssertFalse(try op.setDeactivated(false, user: annID).deactivated)

        try op.resetPassword(ofUser: annID)
        XCTAssertNoThrow(try f.mailbox.lastCode(to: "ann@example.net"))
    }

    func testUsageFigures() throws {
        let f = try Fixture()
        try f.database.setUsageEnabled(true)
        XCTAssertTrue(try f.database.isUsageEnabled())
        try f.database.recordUsage(UsageEvent(event: "app_start", platform: "ios", osVersion: "18.0",
                                              appVersion: "1.0", deviceClass: "phone"))
        try f.database.recordUsage(UsageEvent(event: "app_start", platform: "ios", osVersion: "18.0",
                                              appVersion: "1.0", deviceClass: "phone"))
        try f.database.setOperatorSecret("the operator's long secret")
        let op = try f.database.operatorSignIn(secret: "the operator's long secret")
        let report = try op.usageReport()
        XCTAssertEqual(report.count, 1)
        XCTAssertEqual(report.first?.count, 2)
        XCTAssertEqual(report.first?.osVersion, "18.0")

        try f.database.setUsageEnabled(false)
        XCTAssertFalse(try f.database.isUsageEnabled())
        try f.database.recordUsage(UsageEvent(event: "app_start", platform: "ios"))
        XCTAssertEqual(try op.usageReport().first?.count, 2)
    }

    func testStorageInfoAndCheckpoint() throws {
        let f = try Fixture()
        let info = try f.database.storageInfo()
        XCTAssertTrue(info.foreignKeys)
        XCTAssertTrue(info.secureDelete)
        XCTAssertEqual(info.journalMode?.lowercased(), "wal")
        XCTAssertGreaterThan(info.schemaVersion, 0)
        XCTAssertNoThrow(try f.database.checkpoint())
    }

    func testBadOptionsAndBadPath() throws {
        let temp = try TempDatabase()
        assertLeanDeskError(.invalidArgument) {
            try Database(path: temp.path, options: DatabaseOptions(passwordOpslimit: 1_000_000))
        }
        assertLeanDeskError(.io) {
            try Database(path: temp.folder.appendingPathComponent("missing/dir/x.db").path)
        }
        XCTAssertNoThrow(try Database.inMemory())
    }
}
