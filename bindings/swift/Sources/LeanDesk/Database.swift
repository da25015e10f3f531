internal import CLeanDesk
import Foundation

/// The versions of the library and of the header this binding was compiled against.
public enum LeanDeskLibrary {
    /// The library's version ("0.1.0").
    public static var version: String { String(cString: ld_version()) }
    /// The library's version number: MAJOR * 1000000 + MINOR * 1000 + PATCH.
    public static var versionNumber: Int { Int(ld_version_number()) }
    /// The version number of the C header this binding was compiled against.
    public static let headerVersionNumber: Int =
        Int(LD_VERSION_MAJOR) * 1_000_000 + Int(LD_VERSION_MINOR) * 1_000 + Int(LD_VERSION_PATCH)

    /// Throws ``LeanDeskErrorCode/conflict`` when the loaded library cannot serve code compiled
    /// against this binding's header (different major, or an older minor). ``Database`` checks it
    /// before opening.
    public static func checkVersion() throws(LeanDeskError) {
        try check(ld_check_version(Int32(headerVersionNumber)))
    }
}

/// The log levels of ``Database/setLog(_:)``.
public enum LogLevel: Int32, Comparable, Sendable, CustomStringConvertible {
    case debug = 0, info, warning, error

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .debug: return "debug"
        case .info: return "info"
        case .warning: return "warning"
        case .error: return "error"
        }
    }
}

/// An open LeanDesk database: the engine over one SQLite file.
///
/// The database closes when the last reference goes away (`deinit`); each ``Session`` keeps its
/// database alive, and an ``ObserverToken`` does not. Callbacks (mail sender, log, clock,
/// observers) are Swift closures; the library holds them until they are replaced or removed, or
/// the database closes, and then releases them. A closure that captures the database should
/// capture it `weak`, or the database keeps itself alive.
///
/// Thread safety: the C library serializes the calls on one database and allows them from any
/// thread, which is why this class is `@unchecked Sendable`. Callbacks run on the thread of the
/// call that triggered them, so they are `@Sendable`.
public final class Database: @unchecked Sendable {
    let handle: OpaquePointer

    /// Opens (and creates or migrates when needed) the database at `path`; ":memory:" opens a
    /// temporary one. Checks first that the loaded library matches the header
    /// (``LeanDeskLibrary/checkVersion()``).
    ///
    /// Throws ``LeanDeskErrorCode/invalidArgument`` (bad option), ``LeanDeskErrorCode/io``
    /// (cannot open or write), ``LeanDeskErrorCode/corrupt`` (not a LeanDesk database) or
    /// ``LeanDeskErrorCode/conflict`` (written by a newer LeanDesk, or a library of another
    /// version).
    public init(path: String, options: DatabaseOptions? = nil) throws(LeanDeskError) {
        try LeanDeskLibrary.checkVersion()
        let optionsJSON = try options.map { (o) throws(LeanDeskError) in try encodeArgument(o) }
        var out: OpaquePointer?
        try check(ld_db_open(&out, path, optionsJSON))
        guard let out else {
            throw LeanDeskError(code: .internalError, message: "ld_db_open returned no handle")
        }
        handle = out
    }

    /// Takes over a handle the library just opened (``openReplica(path:options:serverURL:caFile:pinnedKey:)``).
    init(adopting handle: OpaquePointer) {
        self.handle = handle
    }

    /// Opens a temporary database that lives in memory.
    public static func inMemory(options: DatabaseOptions? = nil) throws(LeanDeskError) -> Database {
        try Database(path: ":memory:", options: options)
    }

    deinit {
        // No session can be alive (each holds this database) and no call can be running.
        // The library releases the registered callbacks here.
        ld_db_close(handle)
    }

    // MARK: Storage

    /// How the store is set up (schema version, journal mode, ...).
    public func storageInfo() throws(LeanDeskError) -> StorageInfo {
        try cJSON { ld_db_storage_info(&$0, handle) }
    }

    /// Moves the write-ahead log into the database file and truncates it.
    public func checkpoint() throws(LeanDeskError) {
        try check(ld_db_checkpoint(handle))
    }

    /// The change log after `seq`, oldest first, at most `limit` records (at most 100,000).
    /// Low-level: it names records of every group in this database.
    public func changes(after seq: Int64 = 0, limit: Int64 = 1000) throws(LeanDeskError) -> [Change] {
        try cJSON { ld_db_changes_since(&$0, handle, seq, limit) }
    }

    // MARK: Callbacks

    /// Sets, or with nil removes, the mail sender that delivers account mails (activation,
    /// password reset, e-mail change). Sign-up and password resets need one.
    ///
    /// The closure runs on the calling thread inside the operation's transaction and must not
    /// call LeanDesk. Throwing from it means the mail could not be handed over: the operation
    /// then fails with ``LeanDeskErrorCode/io`` and changes nothing.
    public func setMailSender(_ sender: (@Sendable (Mail) throws -> Void)?) throws(LeanDeskError) {
        guard let sender else {
            try check(ld_db_set_mail_sender(handle, nil, nil, nil))
            return
        }
        let box = CallbackBox(sender)
        let userdata = box.retainedPointer()
        let status = ld_db_set_mail_sender(handle, { json, userdata in
            let send = CallbackBox<@Sendable (Mail) throws -> Void>.from(userdata).handler
            guard let json, let mail = try? JSON.decode(Mail.self, from: String(cString: json)) else {
                return 1
            }
            do {
                try send(mail)
                return 0
            } catch {
                return 1
            }
        }, userdata, releaseUserdata)
        try registered(status, userdata)
    }

    /// Sets, or with nil removes, the log callback. It receives lines of ids and events (never a
    /// password, token or hash), on the thread of the call that logs, and must not call LeanDesk.
    public func setLog(_ log: (@Sendable (LogLevel, String) -> Void)?) throws(LeanDeskError) {
        guard let log else {
            try check(ld_db_set_log(handle, nil, nil, nil))
            return
        }
        let userdata = CallbackBox(log).retainedPointer()
        let status = ld_db_set_log(handle, { level, message, userdata in
            let log = CallbackBox<@Sendable (LogLevel, String) -> Void>.from(userdata).handler
            log(LogLevel(rawValue: level) ?? .error, message.map { String(cString: $0) } ?? "")
        }, userdata, releaseUserdata)
        try registered(status, userdata)
    }

    /// Replaces the clock, or with nil restores the system clock. For tests: session expiries,
    /// idle timeouts and rate-limit windows then follow the injected time. The closure must not
    /// call LeanDesk.
    public func setClock(_ now: (@Sendable () -> Date)?) throws(LeanDeskError) {
        guard let now else {
            try check(ld_db_set_clock(handle, nil, nil, nil))
            return
        }
        let userdata = CallbackBox(now).retainedPointer()
        let status = ld_db_set_clock(handle, { userdata in
            CallbackBox<@Sendable () -> Date>.from(userdata).handler().leanDeskMillis
        }, userdata, releaseUserdata)
        try registered(status, userdata)
    }

    /// Registers an observer of committed changes. It runs on the thread that committed, after
    /// the commit, with the change records of one unit of work; it may call LeanDesk.
    ///
    /// The observer stays registered while the returned token lives: keep it, and drop it (or
    /// call ``ObserverToken/cancel()``) to unregister.
    public func addObserver(_ observer: @escaping @Sendable ([Change]) -> Void)
        throws(LeanDeskError) -> ObserverToken
    {
        let userdata = CallbackBox(observer).retainedPointer()
        var id: UInt64 = 0
        let status = ld_db_add_observer(&id, handle, { json, userdata in
            let observer = CallbackBox<@Sendable ([Change]) -> Void>.from(userdata).handler
            guard let json else { return }
            guard let changes = try? JSON.decode([Change].self, from: String(cString: json)) else {
                assertionFailure("LeanDesk: cannot decode the changes given to an observer")
                return
            }
            observer(changes)
        }, userdata, releaseUserdata)
        try registered(status, userdata)
        return ObserverToken(database: self, id: id)
    }

    /// After registering a callback: on failure the library did not take the userdata (the only
    /// failures are arguments checked before it does), so this drops the reference C would have
    /// owned, then throws.
    func registered(_ status: Int32, _ userdata: UnsafeMutableRawPointer) throws(LeanDeskError) {
        guard status == LD_OK else {
            let error = LeanDeskError.last(status)
            releaseUserdata(userdata)
            throw error
        }
    }

    fileprivate func removeObserver(_ id: UInt64) throws(LeanDeskError) {
        try check(ld_db_remove_observer(handle, id))
    }

    // MARK: Accounts (no session needed)

    /// Creates an account and mails its activation code (through the mail sender). Returns the
    /// user, not yet activated.
    ///
    /// Throws ``LeanDeskErrorCode/invalidArgument`` (password rules, bad e-mail, missing name,
    /// R17), ``LeanDeskErrorCode/conflict`` (an account already exists) or
    /// ``LeanDeskErrorCode/io`` (no mail sender, or it failed).
    @discardableResult
    public func signUp(_ account: SignUp) throws(LeanDeskError) -> User {
        let input = try encodeArgument(account)
        return try cJSON { ld_account_sign_up(&$0, handle, input) }
    }

    /// Mails a fresh activation code; unknown or activated addresses are silently ignored.
    public func resendActivation(email: String) throws(LeanDeskError) {
        try check(ld_account_resend_activation(handle, email))
    }

    /// Consumes an activation or e-mail-change code. Throws
    /// ``LeanDeskErrorCode/authenticationFailed`` for an unknown, used or expired code.
    @discardableResult
    public func activate(code: String) throws(LeanDeskError) -> User {
        try cJSON { ld_account_activate(&$0, handle, code) }
    }

    /// Mails a password-reset code; unknown addresses are silently ignored.
    public func requestPasswordReset(email: String) throws(LeanDeskError) {
        try check(ld_account_request_password_reset(handle, email))
    }

    /// Sets a new password with a reset code and ends every session of the user.
    public func resetPassword(code: String, newPassword: String) throws(LeanDeskError) {
        try check(ld_account_reset_password(handle, code, newPassword))
    }

    // MARK: Sessions

    /// Signs in; every sign-in is a new session with a new token.
    ///
    /// Throws ``LeanDeskErrorCode/authenticationFailed`` (wrong e-mail or password, the same for
    /// both), ``LeanDeskErrorCode/rateLimited`` or ``LeanDeskErrorCode/permissionDenied`` (R12:
    /// the account is deactivated).
    public func signIn(email: String, password: String) throws(LeanDeskError) -> Session {
        try openSession { ld_session_sign_in(&$0, handle, email, password) }
    }

    /// Resumes a session from a token the app kept (``Session/token``). Throws
    /// ``LeanDeskErrorCode/sessionExpired`` (ended, expired or idle) or
    /// ``LeanDeskErrorCode/notSignedIn`` (malformed token).
    public func resumeSession(token: String) throws(LeanDeskError) -> Session {
        try openSession { ld_session_resume(&$0, handle, token) }
    }

    /// Signs the operator in (R12). Throws ``LeanDeskErrorCode/authenticationFailed``.
    public func operatorSignIn(secret: String) throws(LeanDeskError) -> Session {
        try openSession { ld_operator_sign_in(&$0, handle, secret) }
    }

    /// Sets the operator secret (at least 16 characters): the first time with `current` nil,
    /// afterwards with the current one. Ends every operator session.
    public func setOperatorSecret(_ newSecret: String, current: String? = nil) throws(LeanDeskError) {
        try check(ld_operator_set_secret(handle, current, newSecret))
    }

    func openSession(_ body: (inout OpaquePointer?) -> Int32) throws(LeanDeskError) -> Session {
        var out: OpaquePointer?
        try check(body(&out))
        guard let out else {
            throw LeanDeskError(code: .internalError, message: "the library returned no session")
        }
        return Session(database: self, handle: out)
    }

    // MARK: Anonymous usage figures

    /// Counts one anonymous event, unless figures are turned off.
    public func recordUsage(_ event: UsageEvent) throws(LeanDeskError) {
        let json = try encodeArgument(event)
        try check(ld_usage_record(handle, json))
    }

    /// Whether anonymous usage figures are counted for this database.
    public func isUsageEnabled() throws(LeanDeskError) -> Bool {
        var out: Int32 = 0
        try check(ld_usage_enabled(&out, handle))
        return out != 0
    }

    /// Turns the anonymous usage figures on or off for this database.
    public func setUsageEnabled(_ enabled: Bool) throws(LeanDeskError) {
        try check(ld_usage_set_enabled(handle, enabled ? 1 : 0))
    }
}

/// Keeps an observer registered; dropping the last reference (or ``cancel()``) unregisters it.
/// It does not keep the database alive: once the database has closed, its observers are gone and
/// the token does nothing.
public final class ObserverToken: @unchecked Sendable {
    private let lock = NSLock()
    private weak var database: Database?
    /// The library's observer id.
    public let id: UInt64

    init(database: Database, id: UInt64) {
        self.database = database
        self.id = id
    }

    /// Whether the observer is still registered by this token.
    public var isActive: Bool {
        lock.lock()
        defer { lock.unlock() }
        return database != nil
    }

    /// Unregisters the observer (the library then releases its closure). Calling it again does
    /// nothing.
    public func cancel() {
        lock.lock()
        let database = self.database
        self.database = nil
        lock.unlock()
        // The strong reference taken above keeps the database open during the call.
        try? database?.removeObserver(id)
    }

    deinit { cancel() }
}
