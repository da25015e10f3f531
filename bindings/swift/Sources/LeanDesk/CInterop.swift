// The few helpers every call through the C API uses: status checks, owned strings and bytes,
// JSON in and out. Each C call and the read of its thread-local error happen on the same thread,
// one right after the other.

internal import CLeanDesk
import Foundation

typealias CStringOut = UnsafeMutablePointer<CChar>?

/// Runs a C function that hands back a string through `out`; returns it and frees it.
func cString(_ body: (inout CStringOut) -> Int32) throws(LeanDeskError) -> String {
    var out: CStringOut = nil
    let status = body(&out)
    defer { ld_string_free(out) }
    try check(status)
    guard let out else { return "null" }
    return String(cString: out)
}

/// Runs a C function that hands back JSON through `out` and decodes it as `T`.
func cJSON<T: Decodable>(_ type: T.Type = T.self,
                         _ body: (inout CStringOut) -> Int32) throws(LeanDeskError) -> T {
    try decodeResult(T.self, from: try cString(body))
}

/// Decodes JSON text the library produced; a mismatch is reported as an internal error, since it
/// means the library and this binding disagree on a shape.
func decodeResult<T: Decodable>(_ type: T.Type, from text: String) throws(LeanDeskError) -> T {
    do {
        return try JSON.decode(T.self, from: text)
    } catch {
        throw LeanDeskError(code: .internalError,
                            message: "LeanDesk Swift binding: cannot decode \(T.self) from the library's JSON: \(error)")
    }
}

/// Encodes an input or a patch as JSON text for the library.
func encodeArgument<T: Encodable>(_ value: T) throws(LeanDeskError) -> String {
    do {
        return try JSON.text(value)
    } catch let error as JSON.NestedTooDeeply {
        throw LeanDeskError(code: .invalidArgument, message: error.description)
    } catch {
        throw LeanDeskError(code: .invalidArgument,
                            message: "LeanDesk Swift binding: cannot encode \(T.self) as JSON: \(error)")
    }
}

/// An object whose address is handed to C as `userdata`, retained until the library calls
/// ``releaseUserdata`` on it (the callback is replaced or removed, or the database closes).
final class CallbackBox<Handler: Sendable>: @unchecked Sendable {
    let handler: Handler
    init(_ handler: Handler) { self.handler = handler }

    /// A +1 reference for C; balanced by ``releaseUserdata``.
    func retainedPointer() -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(self).toOpaque()
    }

    static func from(_ userdata: UnsafeMutableRawPointer?) -> CallbackBox<Handler> {
        Unmanaged<CallbackBox<Handler>>.fromOpaque(userdata!).takeUnretainedValue()
    }
}

/// The `ld_free_fn` of every callback this binding registers: drops the box's +1 reference.
let releaseUserdata: ld_free_fn = { userdata in
    guard let userdata else { return }
    Unmanaged<AnyObject>.fromOpaque(userdata).release()
}
