import Foundation

/// Any JSON value: the result of ``Session/execute(_:arguments:)``, and a free-form way to build
/// arguments and patches.
public enum JSONValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// An integer literal. The engine refuses `2.0` where it wants an integer, so integers and
    /// floating-point numbers are kept apart.
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The value as compact JSON text ("null" for a value nested more than
    /// ``maxInputDepth`` levels deep, which the binding does not encode).
    public var jsonText: String {
        // Encoding a JSONValue fails only for such a value: every case is plain JSON (a
        // non-finite double is written as a string by the shared encoder).
        (try? JSON.text(self)) ?? "null"
    }

    /// The deepest nesting of arrays and objects the binding encodes. JSONEncoder recurses once
    /// per level (and gives up, with an error that says nothing of depth, somewhat below 512
    /// levels), so a deeper value (``Session/execute(_:arguments:)``) is refused with
    /// ``LeanDeskErrorCode/invalidArgument`` ("nested too deeply") first. The library itself
    /// refuses more than 32 levels.
    public static let maxInputDepth = 256

    /// Whether arrays and objects nest more than `limit` levels deep, found with an explicit
    /// stack (never recursively).
    func nestsDeeper(than limit: Int) -> Bool {
        var todo: [(value: JSONValue, depth: Int)] = [(self, 1)]
        while let top = todo.popLast() {
            let children: [JSONValue]
            switch top.value {
            case .array(let a): children = a
            case .object(let o): children = Array(o.values)
            default: continue
            }
            if top.depth > limit { return true }
            for child in children { todo.append((child, top.depth + 1)) }
        }
        return false
    }

    public var description: String { jsonText }

    /// The member `key` of an object (nil for other values or a missing key).
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The element at `index` of an array (nil for other values or out of range).
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var intValue: Int64? { if case .int(let i) = self { return i } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var doubleValue: Double? {
        switch self {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: return nil
        }
    }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o } else { return nil }
    }
    public var isNull: Bool { self == .null }

    /// Re-decodes this value as a typed entity.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSON.decode(type, from: JSON.text(self))
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

/// A patch value that distinguishes "set to this" from "clear" (JSON `null`); leaving a patch
/// property `nil` leaves the field unchanged.
///
///     var patch = ActionPatch()
///     patch.dueDate = .set("2026-03-02")   // change it
///     patch.ownerID = .clear               // make it null
public enum Nullable<Wrapped: Encodable & Sendable>: Encodable, Sendable {
    case set(Wrapped)
    case clear

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .set(let v): try c.encode(v)
        case .clear: try c.encodeNil()
        }
    }
}

extension Nullable: Equatable where Wrapped: Equatable {}
extension Nullable: Hashable where Wrapped: Hashable {}

/// The JSON coding the binding uses at the C boundary.
enum JSON {
    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// A JSONValue nested more than ``JSONValue/maxInputDepth`` levels deep, refused before the
    /// (recursive) encoder sees it.
    struct NestedTooDeeply: Error, CustomStringConvertible {
        var description: String {
            "JSON input is nested too deeply (more than \(JSONValue.maxInputDepth) levels of arrays and objects)"
        }
    }

    static func text<T: Encodable>(_ value: T) throws -> String {
        if let json = value as? JSONValue, json.nestsDeeper(than: JSONValue.maxInputDepth) {
            throw NestedTooDeeply()
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension KeyedEncodingContainer {
    /// Encodes a patch field: nothing when `nil`, JSON `null` for `.clear`.
    mutating func encodePatch<T>(_ value: Nullable<T>?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }
}

extension Date {
    /// The date of a LeanDesk time (milliseconds since the Unix epoch, UTC).
    public init(leanDeskMillis millis: Int64) {
        self.init(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// This date as a LeanDesk time (milliseconds since the Unix epoch, UTC).
    public var leanDeskMillis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
