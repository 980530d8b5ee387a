/// A value of the TOML subset zwgk reads (configuration and units files).
public enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    /// A float as written (without underscores), kept exact.
    case float(String)
    case bool(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    public var typeName: String {
        switch self {
        case .string: "字符串"
        case .integer: "整数"
        case .float: "小数"
        case .bool: "布尔值"
        case .array: "数组"
        case .table: "表"
        }
    }
}

/// A TOML table: keys in written order with the line each key is written on, and the line the
/// table starts on (0 for the root).
public struct TOMLTable: Equatable, Sendable {
    public private(set) var entries: [(key: String, value: TOMLValue)] = []
    public var line: Int
    private var keyLines: [String: Int] = [:]
    /// Each key's place in `entries` (a table of many keys is read in linear time).
    private var positions: [String: Int] = [:]

    public init(line: Int) { self.line = line }

    /// Reading gives a key's value; setting keeps a known key's line, and gives a new key the table's line.
    public subscript(key: String) -> TOMLValue? {
        get { positions[key].map { entries[$0].value } }
        set {
            if let newValue {
                set(key, to: newValue, line: keyLines[key] ?? line)
            } else if let i = positions[key] {
                entries.remove(at: i)
                keyLines[key] = nil
                positions = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
            }
        }
    }

    /// Sets `key` to `value`, written on `line`.
    public mutating func set(_ key: String, to value: TOMLValue, line: Int) {
        if let i = positions[key] {
            entries[i].value = value
        } else {
            positions[key] = entries.count
            entries.append((key, value))
        }
        keyLines[key] = line
    }

    /// The line `key` is written on: its `key = value` line, or the header line for a `[table]` or the
    /// first `[[table]]`, or where a dotted key first named it. Nil when the table has no such key.
    public func line(of key: String) -> Int? { keyLines[key] }

    public var keys: [String] { entries.map(\.key) }

    public static func == (a: TOMLTable, b: TOMLTable) -> Bool {
        a.line == b.line && a.keyLines == b.keyLines && a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// Where and why a TOML text could not be read.
public struct TOMLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "第\(line)行:\(reason)" }
}
