internal import CLeanDesk
import Foundation

/// A signed-in user, or the operator, on a ``Database``.
///
/// Get one from ``Database/signIn(email:password:)``, ``Database/resumeSession(token:)`` or
/// ``Database/operatorSignIn(secret:)``. The session keeps its database open; `deinit` frees the
/// handle but leaves the session itself valid (keep ``token`` to resume it later); ``signOut()``
/// ends it.
///
/// Every operation is a throwing method named after what it does; the permission rules (R1–R17)
/// apply to the signed-in user, and a refusal throws ``LeanDeskErrorCode/permissionDenied`` with
/// the rule id at the start of the message.
///
/// Thread safety: `@unchecked Sendable` because the C library serializes the calls on one database
/// and lets a session be used from any thread.
public final class Session: @unchecked Sendable {
    /// The database this session is on (kept open by the session).
    public let database: Database
    let handle: OpaquePointer

    init(database: Database, handle: OpaquePointer) {
        self.database = database
        self.handle = handle
    }

    deinit {
        ld_session_free(handle)
    }

    // MARK: The session

    /// The session's secret token, to keep in the Keychain and pass to
    /// ``Database/resumeSession(token:)``. Never log it.
    public var token: String {
        get throws(LeanDeskError) { try cString { ld_session_token(&$0, handle) } }
    }

    /// Who the session is for, when it expires, and whether a privacy-policy notice is due.
    /// Throws ``LeanDeskErrorCode/sessionExpired`` once the session has ended.
    public func info() throws(LeanDeskError) -> SessionInfo {
        try cJSON { ld_session_info(&$0, handle) }
    }

    /// Ends the session; later calls with it throw ``LeanDeskErrorCode/sessionExpired``.
    public func signOut() throws(LeanDeskError) {
        try check(ld_session_sign_out(handle))
    }

    /// Runs any command or query by name (the list is in docs/api.md) with JSON arguments.
    /// The typed methods are the same calls; this is the escape hatch for new commands.
    /// Arguments nested more than ``JSONValue/maxInputDepth`` levels deep throw
    /// ``LeanDeskErrorCode/invalidArgument`` before they are encoded.
    @discardableResult
    public func execute(_ command: String, arguments: JSONValue? = nil) throws(LeanDeskError) -> JSONValue {
        let args = try arguments.map { (a) throws(LeanDeskError) in try encodeArgument(a) }
        return try cJSON { ld_session_execute(&$0, handle, command, args) }
    }

    /// Runs a command by name and decodes its result as `T`.
    public func execute<T: Decodable>(_ command: String, arguments: JSONValue? = nil,
                                      as type: T.Type) throws(LeanDeskError) -> T {
        let args = try arguments.map { (a) throws(LeanDeskError) in try encodeArgument(a) }
        return try cJSON(T.self) { ld_session_execute(&$0, handle, command, args) }
    }

    // MARK: My account (R11)

    /// The signed-in user's own full record.
    public func me() throws(LeanDeskError) -> User {
        try cJSON { ld_me_get(&$0, handle) }
    }

    /// Edits the own profile: names, newsletter consent, dashboard preference.
    @discardableResult
    public func updateProfile(_ patch: ProfilePatch) throws(LeanDeskError) -> User {
        let json = try encodeArgument(patch)
        return try cJSON { ld_me_update(&$0, handle, json) }
    }

    /// Mails a confirmation code to a new address; the change applies when the code is passed to
    /// ``Database/activate(code:)``. Throws ``LeanDeskErrorCode/conflict`` (address in use).
    public func requestEmailChange(to newEmail: String) throws(LeanDeskError) {
        try check(ld_me_request_email_change(handle, newEmail))
    }

    /// Changes the password (the current one is required) and ends every other session.
    /// Throws ``LeanDeskErrorCode/authenticationFailed`` when `current` is wrong.
    public func changePassword(current: String, new: String) throws(LeanDeskError) {
        try check(ld_me_change_password(handle, current, new))
    }

    /// Sets the avatar from image bytes (JPEG, PNG, WebP or HEIC), or removes it with nil or
    /// empty data.
    @discardableResult
    public func setAvatar(_ image: Data?) throws(LeanDeskError) -> User {
        let image = image ?? Data()
        let text = try withBytes(image) { (bytes, count) throws(LeanDeskError) in
            try cString { ld_me_set_avatar(&$0, handle, bytes, count) }
        }
        return try decodeResult(User.self, from: text)
    }

    /// Acknowledges the privacy-policy notice of `version` (``SessionInfo/policyVersion``).
    @discardableResult
    public func acknowledgePolicy(version: Int64) throws(LeanDeskError) -> User {
        try cJSON { ld_me_acknowledge_policy(&$0, handle, version) }
    }

    /// Deletes the own account (password required); the session ends. Throws
    /// ``LeanDeskErrorCode/conflict`` while the user still manages a group (R3).
    public func deleteAccount(password: String) throws(LeanDeskError) {
        try check(ld_me_delete_account(handle, password))
    }

    /// The user's actions across projects, late and soon-due first.
    public func dashboard() throws(LeanDeskError) -> [Action] {
        try cJSON { ld_dashboard_get(&$0, handle) }
    }

    // MARK: Blobs

    /// The bytes of a photo or avatar by content hash, if the caller may see it
    /// (``LeanDeskErrorCode/notFound`` otherwise).
    public func blob(_ hash: String) throws(LeanDeskError) -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        let status = ld_blob_read(&out, &size, handle, hash)
        defer { ld_bytes_free(out) }
        try check(status)
        guard let out else { return Data() }
        return Data(bytes: out, count: size)
    }
}

/// Runs `body` with a pointer to `data`'s bytes and their count (nil and 0 when empty).
func withBytes<R>(_ data: Data,
                  _ body: (UnsafePointer<UInt8>?, Int) throws(LeanDeskError) -> R) throws(LeanDeskError) -> R {
    let result: Result<R, LeanDeskError> = data.withUnsafeBytes { raw in
        do throws(LeanDeskError) {
            return .success(try body(raw.bindMemory(to: UInt8.self).baseAddress, raw.count))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}
