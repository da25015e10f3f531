import Foundation
import LeanDesk
import XCTest

/// A value shared with `@Sendable` callbacks, behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withValue<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var current: Value { withValue { $0 } }
}

/// Captures the mails the engine sends, through ``Database/setMailSender(_:)``.
final class Mailbox: Sendable {
    let mails = Locked<[Mail]>([])

    func install(on database: Database) throws {
        try database.setMailSender { [mails] mail in mails.withValue { $0.append(mail) } }
    }

    /// The code of the last mail to `email`: the line of its text indented by four spaces.
    func lastCode(to email: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let mail = try XCTUnwrap(mails.current.last { $0.to == email }, "no mail to \(email)",
                                 file: file, line: line)
        let codeLine = try XCTUnwrap(
            mail.text.split(separator: "\n", omittingEmptySubsequences: false)
                .first { $0.hasPrefix("    ") },
            "no code line in the mail to \(email)", file: file, line: line)
        return codeLine.trimmingCharacters(in: .whitespaces)
    }
}

/// Options that make Argon2id cheap, for fast tests.
let fastOptions = DatabaseOptions(passwordOpslimit: 1, passwordMemlimit: 8192)
let password = "correct horse battery"

/// A fresh database file in a temporary folder that goes away with the fixture.
final class TempDatabase {
    let folder: URL
    var path: String { folder.appendingPathComponent("test.db").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("leandesk-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

/// A database with a mailbox, and helpers to make activated, signed-in users.
final class Fixture {
    let temp: TempDatabase
    let database: Database
    let mailbox = Mailbox()

    init(options: DatabaseOptions = fastOptions) throws {
        temp = try TempDatabase()
        database = try Database(path: temp.path, options: options)
        try mailbox.install(on: database)
    }

    /// Signs up, activates with the mailed code and signs in.
    func user(_ first: String, _ last: String, email: String? = nil) throws -> Session {
        let email = email ?? "\(first.lowercased())@example.com"
        try database.signUp(SignUp(firstName: first, lastName: last, email: email, password: password))
        try database.activate(code: try mailbox.lastCode(to: email))
        return try database.signIn(email: email, password: password)
    }
}

/// Asserts that `body` throws a LeanDeskError with `code` (and, if given, a message prefix);
/// returns the error.
@discardableResult
func assertLeanDeskError<T>(_ code: LeanDeskErrorCode, messagePrefix: String? = nil,
                            file: StaticString = #filePath, line: UInt = #line,
                            _ body: () throws -> T) -> LeanDeskError? {
    do {
        _ = try body()
        XCTFail("expected \(code) but the call succeeded", file: file, line: line)
        return nil
    } catch let error as LeanDeskError {
        XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
        if let messagePrefix {
            XCTAssertTrue(error.message.hasPrefix(messagePrefix),
                          "message '\(error.message)' should start with '\(messagePrefix)'",
                          file: file, line: line)
        }
        return error
    } catch {
        XCTFail("expected a LeanDeskError, got \(error)", file: file, line: line)
        return nil
    }
}

/// The smallest valid PNG (1x1, transparent).
let tinyPNG = Data(base64Encoded:
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!
