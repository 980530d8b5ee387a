/// A JSON value that keeps numbers as their literal text, so that no amount
/// is ever rounded through a binary floating-point type.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number exactly as written (validated JSON number syntax).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A short Chinese name of the value's type, for messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "布尔值"
        case .number: "数字"
        case .string: "字符串"
        case .array: "数组"
        case .object: "对象"
        }
    }
}

/// A JSON object with its members in written order; keys are unique.
public struct JSONObject: Equatable, Sendable {
    public struct Member: Equatable, Sendable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public var members: [Member]

    public init(_ members: [Member] = []) { self.members = members }

    public subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    public var keys: [String] { members.map(\.key) }

    public mutating func append(_ key: String, _ value: JSONValue) {
        members.append(Member(key, value))
    }
}

/// Where and why a JSON text could not be read.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var reason: String

    public var description: String { "第\(line)行第\(column)列:\(reason)" }
}
