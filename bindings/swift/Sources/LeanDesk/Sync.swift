// Offline sync: a database kept as a replica of a LeanDesk server (sync.h, docs/sync.md).
//
// Commands on a replica's session apply locally at once and wait in an outbox; ``Database/syncNow(progress:)``
// pushes them (the server replays each through the same rules) and pulls what changed. A command the
// server refuses is undone on the replica and reported to the rejection handler.

internal import CLeanDesk
import Foundation

/// A replica's sync state (``Database/syncStatus()``).
public struct SyncStatus: Codable, Hashable, Sendable {
    /// Commands waiting in the outbox.
    public var pending: Int64
    /// Commands the server refused (the last 1,000 are kept).
    public var rejected: Int64
    /// When the last full sync ended, in ms since the epoch; nil before the first.
    public var lastSuccessAt: Int64?
    /// The last failed sync (its status code and message); nil after a success.
    public var lastError: LeanDeskError?
    /// Whether a server session is held (false after ``LeanDeskErrorCode/sessionExpired``:
    /// sign in again with ``Database/syncSignIn(email:password:)``).
    public var signedIn: Bool
    /// The replica's user, once someone signed in.
    public var userID: String?
    /// The server, as given to ``Database/openReplica(path:options:serverURL:caFile:pinnedKey:)``.
    public var serverURL: String

    public init(pending: Int64, rejected: Int64, lastSuccessAt: Int64?, lastError: LeanDeskError?,
                signedIn: Bool, userID: String?, serverURL: String) {
        self.pending = pending
        self.rejected = rejected
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
        self.signedIn = signedIn
        self.userID = userID
        self.serverURL = serverURL
    }

    enum CodingKeys: String, CodingKey {
        case pending, rejected
        case lastSuccessAt = "last_success_at"
        case lastError = "last_error"
        case signedIn = "signed_in"
        case userID = "user_id"
        case serverURL = "server_url"
    }
}

/// A command the server refused; it has already been undone on the replica.
public struct SyncRejection: Codable, Hashable, Sendable {
    /// The id the replica gave the command.
    public var commandID: String
    /// Its name, as for ``Session/execute(_:arguments:)`` ("update_action").
    public var command: String
    /// Its arguments.
    public var arguments: JSONValue
    /// Why, as a status code (``LeanDeskErrorCode/permissionDenied``, ``LeanDeskErrorCode/notFound``, ...).
    public var code: LeanDeskErrorCode
    /// The refusing rule ("R9"), or "" when no rule refused it.
    public var rule: String
    /// The server's message.
    public var message: String

    public init(commandID: String, command: String, arguments: JSONValue, code: LeanDeskErrorCode,
                rule: String, message: String) {
        self.commandID = commandID
        self.command = command
        self.arguments = arguments
        self.code = code
        self.rule = rule
        self.message = message
    }

    /// The refusal as the error the command would have thrown on the server.
    public var error: LeanDeskError { LeanDeskError(code: code, message: message) }

    enum CodingKeys: String, CodingKey {
        case command, code, rule, message
        case commandID = "command_id"
        case arguments = "args"
    }
}

extension Database {
    /// Opens (creating if needed) the database at `path` as a replica of the server at
    /// `serverURL`, which must be `https`: the server's certificate and host name are always
    /// verified. `caFile` is a PEM bundle of the CA that signed the server's certificate (intranet
    /// servers; nil uses the system's trust store); `pinnedKey` pins the server's public key as
    /// `"sha256//<base64>"` (several joined by `;`). An existing replica of the same server keeps
    /// its data and takes the new CA file and pin. The database closes in `deinit`, as any other.
    ///
    /// Sign in with ``syncSignIn(email:password:)``. Throws ``LeanDeskErrorCode/invalidArgument``
    /// (not an https URL, bad option), ``LeanDeskErrorCode/conflict`` (the file is a replica of
    /// another server, or holds local data that was never synced), and what
    /// ``init(path:options:)`` throws.
    public static func openReplica(path: String, options: DatabaseOptions? = nil, serverURL: URL,
                                   caFile: URL? = nil, pinnedKey: String? = nil) throws(LeanDeskError) -> Database {
        try LeanDeskLibrary.checkVersion()
        let optionsJSON = try options.map { (o) throws(LeanDeskError) in try encodeArgument(o) }
        let caPath = try caFile.map { (url) throws(LeanDeskError) in try filePath(url, "the CA file") }
        var out: OpaquePointer?
        try check(ld_sync_open(&out, path, optionsJSON, serverURL.absoluteString, caPath, pinnedKey))
        guard let out else {
            throw LeanDeskError(code: .internalError, message: "ld_sync_open returned no handle")
        }
        return Database(adopting: out)
    }

    /// Signs in on the replica's server, keeps the server's session token in the replica (never
    /// the password), and returns the local session of that user: use it for every command and
    /// query. A replica belongs to one user. Signing in again (after
    /// ``LeanDeskErrorCode/sessionExpired`` from ``syncNow(progress:)``) keeps the outbox.
    ///
    /// Blocks for a network round trip. Throws ``LeanDeskErrorCode/authenticationFailed``,
    /// ``LeanDeskErrorCode/rateLimited``, ``LeanDeskErrorCode/permissionDenied`` (R12),
    /// ``LeanDeskErrorCode/network`` (unreachable, or a certificate that is not trusted),
    /// ``LeanDeskErrorCode/conflict`` (another user's replica), ``LeanDeskErrorCode/invalidArgument``
    /// (not a replica).
    public func syncSignIn(email: String, password: String) throws(LeanDeskError) -> Session {
        try openSession { ld_sync_sign_in(&$0, handle, email, password) }
    }

    /// Syncs now: pushes the outbox in batches, then pulls every change the user may see. Blocks
    /// until both are done; call it off the main actor.
    ///
    /// `progress` is called after each batch on this thread with `done` = commands pushed plus
    /// rows pulled so far and `total` = 0; returning false (or throwing) cancels before the next
    /// batch. After the last batch there is nothing left to cancel: `false` then changes nothing,
    /// while an error the closure throws is still rethrown (the sync's work is kept). Nothing
    /// acknowledged is lost by a failure or a cancel: the next sync resumes. Rejected commands go
    /// to the rejection handler during the call. One sync at a time per database (a second call
    /// waits); other calls on the database may run meanwhile, and ``cancelSync()`` may come from
    /// any thread.
    ///
    /// Throws ``LeanDeskError`` — ``LeanDeskErrorCode/sessionExpired`` or
    /// ``LeanDeskErrorCode/notSignedIn`` (sign in again), ``LeanDeskErrorCode/network`` (after
    /// retries with backoff), ``LeanDeskErrorCode/cancelled``, ``LeanDeskErrorCode/permissionDenied``
    /// (R12), ``LeanDeskErrorCode/invalidArgument`` (not a replica) — or the error `progress` threw.
    public func syncNow(progress: LeanDeskProgress? = nil) throws {
        try runWithProgress(progress) { fn, userdata in ld_sync_now(handle, fn, userdata) }
    }

    /// Asks a running ``syncNow(progress:)`` (on another thread) to stop at its next batch; it
    /// then throws ``LeanDeskErrorCode/cancelled``. Does nothing when no sync runs.
    public func cancelSync() throws(LeanDeskError) {
        try check(ld_sync_cancel(handle))
    }

    /// Pending and rejected commands, the last success and the last error, the user and the
    /// server. Throws ``LeanDeskErrorCode/invalidArgument`` when this is not a replica.
    public func syncStatus() throws(LeanDeskError) -> SyncStatus {
        try cJSON { ld_sync_status(&$0, handle) }
    }

    /// Sets, or with nil removes, the handler told of each command the server refused (already
    /// undone on the replica). It runs on the thread of ``syncNow(progress:)``, during that call,
    /// and must not call ``syncNow(progress:)``. The library holds the closure until it is
    /// replaced or removed, or the database closes; a closure that uses the database should
    /// capture it `weak`.
    public func setRejectionHandler(_ handler: (@Sendable (SyncRejection) -> Void)?) throws(LeanDeskError) {
        guard let handler else {
            try check(ld_sync_set_rejection_callback(handle, nil, nil, nil))
            return
        }
        let userdata = CallbackBox(handler).retainedPointer()
        let status = ld_sync_set_rejection_callback(handle, { json, userdata in
            let handler = CallbackBox<@Sendable (SyncRejection) -> Void>.from(userdata).handler
            guard let json else { return }
            // The sync goes on either way; the rejection stays counted in syncStatus().
            guard let rejection = try? JSON.decode(SyncRejection.self, from: String(cString: json)) else {
                assertionFailure("LeanDesk: cannot decode a sync rejection")
                return
            }
            handler(rejection)
        }, userdata, releaseUserdata)
        try registered(status, userdata)
    }
}
