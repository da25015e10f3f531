internal import CLeanDesk
import Foundation

/// The status codes of the C API (`LD_E*`), as a Swift enum.
///
/// The raw value is the C code. A code this binding does not know yet (a newer library) becomes
/// ``unknown(_:)`` rather than a crash.
public enum LeanDeskErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// `LD_ERROR`: unclassified failure.
    case error
    /// `LD_ENOTFOUND`: the id names nothing the caller may see.
    case notFound
    /// `LD_EPERM`: refused by a rule; the message starts with its id ("R9: ...").
    case permissionDenied
    /// `LD_EINVAL`: invalid argument (NULL, bad JSON, wrong shape, bad value).
    case invalidArgument
    /// `LD_ECONFLICT`: unique key taken, still in use, or state changed.
    case conflict
    /// `LD_ENOTSIGNEDIN`: no signed-in user behind this handle or token.
    case notSignedIn
    /// `LD_ESESSION`: the session expired, went idle too long, or was ended.
    case sessionExpired
    /// `LD_ENETWORK`: network failure (sync, mail).
    case network
    /// `LD_EIO`: the database file, the disk or a mail sender failed.
    case io
    /// `LD_EBUSY`: the database is locked by another process.
    case busy
    /// `LD_ENOMEM`: out of memory.
    case outOfMemory
    /// `LD_ERATELIMIT`: too many attempts; try again later.
    case rateLimited
    /// `LD_ECANCELLED`: cancelled by the caller.
    case cancelled
    /// `LD_ECORRUPT`: damaged database or input file.
    case corrupt
    /// `LD_EINTERNAL`: a bug in LeanDesk.
    case internalError
    /// `LD_EAUTH`: wrong e-mail or password, or an unknown, used or expired code.
    case authenticationFailed
    /// A code this version of the binding does not know.
    case unknown(Int32)

    /// The code for a C status (`LD_OK` has none: it is not an error).
    public init(rawValue: Int32) {
        switch rawValue {
        case LD_ERROR: self = .error
        case LD_ENOTFOUND: self = .notFound
        case LD_EPERM: self = .permissionDenied
        case LD_EINVAL: self = .invalidArgument
        case LD_ECONFLICT: self = .conflict
        case LD_ENOTSIGNEDIN: self = .notSignedIn
        case LD_ESESSION: self = .sessionExpired
        case LD_ENETWORK: self = .network
        case LD_EIO: self = .io
        case LD_EBUSY: self = .busy
        case LD_ENOMEM: self = .outOfMemory
        case LD_ERATELIMIT: self = .rateLimited
        case LD_ECANCELLED: self = .cancelled
        case LD_ECORRUPT: self = .corrupt
        case LD_EINTERNAL: self = .internalError
        case LD_EAUTH: self = .authenticationFailed
        default: self = .unknown(rawValue)
        }
    }

    /// The C status code (`LD_E*`).
    public var rawValue: Int32 {
        switch self {
        case .error: return LD_ERROR
        case .notFound: return LD_ENOTFOUND
        case .permissionDenied: return LD_EPERM
        case .invalidArgument: return LD_EINVAL
        case .conflict: return LD_ECONFLICT
        case .notSignedIn: return LD_ENOTSIGNEDIN
        case .sessionExpired: return LD_ESESSION
        case .network: return LD_ENETWORK
        case .io: return LD_EIO
        case .busy: return LD_EBUSY
        case .outOfMemory: return LD_ENOMEM
        case .rateLimited: return LD_ERATELIMIT
        case .cancelled: return LD_ECANCELLED
        case .corrupt: return LD_ECORRUPT
        case .internalError: return LD_EINTERNAL
        case .authenticationFailed: return LD_EAUTH
        case .unknown(let code): return code
        }
    }

    /// The library's short stable name of the code ("permission denied").
    public var name: String { String(cString: ld_error_name(rawValue)) }

    public var description: String { name }
}

/// Coded as its C status (an integer), as the library writes it in JSON (``SyncStatus``,
/// ``SyncRejection``).
extension LeanDeskErrorCode: Codable {}

/// A failure reported by the LeanDesk core: the C status code and the message of
/// `ld_last_error()`, both kept as they were.
///
/// A refusal by a permission rule has the code ``LeanDeskErrorCode/permissionDenied`` and a
/// message that starts with the rule's id ("R9: ..."); ``rule`` extracts it.
///
/// It is `Codable` as the library's `{code, message}` JSON (the last failed sync in
/// ``SyncStatus/lastError``).
public struct LeanDeskError: Error, Hashable, Sendable, Codable, LocalizedError, CustomStringConvertible {
    /// What kind of failure it was.
    public let code: LeanDeskErrorCode
    /// The library's message. It never holds a password, token or hash.
    public let message: String
    /// The sync server's time to wait before trying again, in seconds, when the failure came
    /// with one (``LeanDeskErrorCode/rateLimited`` or ``LeanDeskErrorCode/busy`` from
    /// `syncSignIn`/`syncNow`: `ld_last_error_retry_after_ms()`); nil otherwise. Not part of the
    /// JSON coding.
    public var retryAfter: TimeInterval? = nil

    public init(code: LeanDeskErrorCode, message: String, retryAfter: TimeInterval? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    enum CodingKeys: String, CodingKey {
        case code, message
    }

    /// The id of the rule that refused the operation ("R9"), when the message names one.
    public var rule: String? {
        guard code == .permissionDenied else { return nil }
        let prefix = message.prefix { $0 != ":" }
        guard prefix.count >= 2, prefix.count < message.count, prefix.first == "R",
              prefix.dropFirst().allSatisfy(\.isNumber) else { return nil }
        return String(prefix)
    }

    public var errorDescription: String? { description }

    public var description: String {
        message.isEmpty ? "LeanDesk error: \(code.name)" : "LeanDesk error (\(code.name)): \(message)"
    }

    /// The calling thread's last failure, for a status the C API just returned.
    static func last(_ status: Int32) -> LeanDeskError {
        let message = String(cString: ld_last_error())
        let waitMs = ld_last_error_retry_after_ms()
        return LeanDeskError(code: LeanDeskErrorCode(rawValue: status), message: message,
                             retryAfter: waitMs >= 0 ? TimeInterval(waitMs) / 1000 : nil)
    }
}

/// Throws the thread's last error when `status` is not `LD_OK`.
@inline(__always)
func check(_ status: Int32) throws(LeanDeskError) {
    if status != LD_OK { throw LeanDeskError.last(status) }
}
