/// A value of the TOML subset zwgk reads (configuration and units files).
public enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    /// A float as written, kept exact.
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

/// A TOML table: keys in written order, and the line it starts on (0 for the root).
public struct TOMLTable: Equatable, Sendable {
    public private(set) var entries: [(key: String, value: TOMLValue)] = []
    public var line: Int

    public init(line: Int) { self.line = line }

    public subscript(key: String) -> TOMLValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    public var keys: [String] { entries.map(\.key) }

    public static func == (a: TOMLTable, b: TOMLTable) -> Bool {
        a.line == b.line && a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// Where and why a TOML text could not be read.
public struct TOMLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "第\(line)行:\(reason)" }
}

/// Reads the TOML subset zwgk needs: comments, `key = value` with bare, quoted and dotted keys,
/// `[table]` and `[[array.of.tables]]` headers, basic and literal strings, integers, floats,
/// booleans and (multi-line) arrays. Anything else is refused with its line, never guessed at.
public struct TOMLReader {
    private let lines: [Substring]
    private var lineIndex = 0
    /// The tree is built from reference nodes (edited in place), and turned into values at the end.
    private let root = Node(line: 0)
    /// The table that key/value lines go into.
    private var current: Node
    private var definedTables = Set<[String]>()

    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        var text = Substring(text.replacing("\r\n", with: "\n"))
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        var reader = TOMLReader(lines: text.split(separator: "\n", omittingEmptySubsequences: false))
        try reader.run()
        return reader.root.table
    }

    private init(lines: [Substring]) {
        self.lines = lines
        current = root
    }

    private var lineNumber: Int { lineIndex + 1 }

    private func fail(_ reason: String) -> TOMLSyntaxError { TOMLSyntaxError(line: lineNumber, reason: reason) }

    private mutating func run() throws(TOMLSyntaxError) {
        while lineIndex < lines.count {
            var cursor = Cursor(text: lines[lineIndex])
            cursor.skipSpaces()
            if cursor.atEndOrComment {
                lineIndex += 1
                continue
            }
            if cursor.peek == "[" {
                try header(&cursor)
            } else {
                try keyValue(&cursor)
            }
            cursor.skipSpaces()
            guard cursor.atEndOrComment else { throw fail("行尾有多余的内容“\(cursor.rest)”") }
            lineIndex += 1
        }
    }

    private mutating func header(_ cursor: inout Cursor) throws(TOMLSyntaxError) {
        let isArray = cursor.text[cursor.index...].hasPrefix("[[")
        cursor.advance(isArray ? 2 : 1)
        let path = try key(&cursor)
        cursor.skipSpaces()
        let close = isArray ? "]]" : "]"
        guard cursor.text[cursor.index...].hasPrefix(close) else { throw fail("表头缺少“\(close)”") }
        cursor.advance(close.count)
        let parent = try node(at: Array(path.dropLast()))
        let name = path[path.count - 1]
        if isArray {
            let table = Node(line: lineNumber)
            switch parent[name] {
            case nil: parent[name] = .tables(NodeList(table))
            case .tables(let list)?: list.nodes.append(table)
            default: throw fail("“\(name)”已被定义为其他类型,不能再用[[\(path.joined(separator: "."))]]")
            }
            current = table
        } else {
            guard definedTables.insert(path).inserted else { throw fail("表[\(path.joined(separator: "."))]重复定义") }
            switch parent[name] {
            case nil:
                let table = Node(line: lineNumber)
                parent[name] = .table(table)
                current = table
            case .table(let table)?: current = table
            default: throw fail("“\(name)”已是一个值,不能再作为表")
            }
        }
    }

    private mutating func keyValue(_ cursor: inout Cursor) throws(TOMLSyntaxError) {
        let path = try key(&cursor)
        cursor.skipSpaces()
        guard cursor.peek == "=" else { throw fail("键“\(path.joined(separator: "."))”后应是“=”") }
        cursor.advance(1)
        cursor.skipSpaces()
        let v = try value(&cursor)
        let table = try node(at: Array(path.dropLast()), from: current)
        let name = path[path.count - 1]
        guard table[name] == nil else { throw fail("键“\(path.joined(separator: "."))”重复定义") }
        table[name] = .value(v)
    }

    private mutating func key(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> [String] {
        var parts: [String] = []
        while true {
            cursor.skipSpaces()
            if cursor.peek == "\"" {
                parts.append(try basicString(&cursor))
            } else if cursor.peek == "'" {
                parts.append(try literalString(&cursor))
            } else {
                let start = cursor.index
                while let c = cursor.peek, c.isASCII, c.isLetter || c.isNumber || c == "_" || c == "-" { cursor.advance(1) }
                guard start != cursor.index else { throw fail("这里应是一个键名") }
                parts.append(String(cursor.text[start..<cursor.index]))
            }
            cursor.skipSpaces()
            if cursor.peek == "." {
                cursor.advance(1)
                continue
            }
            return parts
        }
    }

    private mutating func value(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> TOMLValue {
        guard let c = cursor.peek else { throw fail("“=”后缺少值") }
        switch c {
        case "\"":
            if cursor.text[cursor.index...].hasPrefix("\"\"\"") { throw fail("不支持多行字符串") }
            return .string(try basicString(&cursor))
        case "'":
            if cursor.text[cursor.index...].hasPrefix("'''") { throw fail("不支持多行字符串") }
            return .string(try literalString(&cursor))
        case "[": return try array(&cursor)
        case "{": throw fail("不支持内联表 { … },请改用 [表名] 的写法")
        default:
            let start = cursor.index
            while let c = cursor.peek, !(c == "," || c == "]" || c == "#" || c == " " || c == "\t" || c == "\r") { cursor.advance(1) }
            let word = String(cursor.text[start..<cursor.index])
            if word == "true" { return .bool(true) }
            if word == "false" { return .bool(false) }
            let digits = word.replacingUnderscores()
            if let i = Int(digits) { return .integer(i) }
            if isFloat(digits) { return .float(digits) }
            throw fail("无法识别的值“\(word)”(字符串须加引号)")
        }
    }

    private func isFloat(_ s: String) -> Bool {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    private mutating func array(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> TOMLValue {
        cursor.advance(1)
        var items: [TOMLValue] = []
        while true {
            cursor.skipSpaces()
            // Arrays may span lines; comments and blank lines inside are allowed.
            while cursor.atEndOrComment {
                guard lineIndex + 1 < lines.count else { throw fail("数组缺少右方括号“]”") }
                lineIndex += 1
                cursor = Cursor(text: lines[lineIndex])
                cursor.skipSpaces()
            }
            if cursor.peek == "]" {
                cursor.advance(1)
                return .array(items)
            }
            items.append(try value(&cursor))
            cursor.skipSpaces()
            while cursor.atEndOrComment {
                guard lineIndex + 1 < lines.count else { throw fail("数组缺少右方括号“]”") }
                lineIndex += 1
                cursor = Cursor(text: lines[lineIndex])
                cursor.skipSpaces()
            }
            if cursor.peek == "," {
                cursor.advance(1)
            } else if cursor.peek != "]" {
                throw fail("数组元素之间应以逗号分隔")
            }
        }
    }

    private func basicString(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> String {
        cursor.advance(1)
        var out = ""
        while let c = cursor.peek {
            cursor.advance(1)
            switch c {
            case "\"": return out
            case "\\":
                guard let e = cursor.peek else { break }
                cursor.advance(1)
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "u", "U":
                    let n = e == "u" ? 4 : 8
                    let hex = cursor.text[cursor.index...].prefix(n)
                    guard hex.count == n, let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else {
                        throw fail("字符串中的\\\(e)转义不正确")
                    }
                    cursor.advance(n)
                    out.unicodeScalars.append(s)
                default: throw fail("字符串中有无效的转义“\\\(e)”")
                }
            default: out.append(c)
            }
        }
        throw fail("字符串缺少结束的双引号")
    }

    private func literalString(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> String {
        cursor.advance(1)
        let start = cursor.index
        while let c = cursor.peek {
            if c == "'" {
                let s = String(cursor.text[start..<cursor.index])
                cursor.advance(1)
                return s
            }
            cursor.advance(1)
        }
        throw fail("字符串缺少结束的单引号")
    }

    // MARK: - Building the tree

    /// The table at `path` below `start`, created where missing; an array of tables resolves to its last table.
    private func node(at path: [String], from start: Node? = nil) throws(TOMLSyntaxError) -> Node {
        var table = start ?? root
        for name in path {
            switch table[name] {
            case nil:
                let child = Node(line: lineNumber)
                table[name] = .table(child)
                table = child
            case .table(let child)?: table = child
            case .tables(let list)?: table = list.nodes[list.nodes.count - 1]
            case .value?: throw fail("“\(name)”已是一个值,不能再作为表")
            }
        }
        return table
    }
}

/// An array of tables under construction, appended to in place.
private final class NodeList {
    var nodes: [Node]
    init(_ first: Node) { nodes = [first] }
}

/// A table under construction.
private final class Node {
    enum Item {
        case value(TOMLValue)
        case table(Node)
        case tables(NodeList)
    }

    let line: Int
    private var items: [(key: String, item: Item)] = []

    init(line: Int) { self.line = line }

    subscript(key: String) -> Item? {
        get { items.first { $0.key == key }?.item }
        set {
            if let i = items.firstIndex(where: { $0.key == key }) {
                if let newValue { items[i].item = newValue } else { items.remove(at: i) }
            } else if let newValue {
                items.append((key, newValue))
            }
        }
    }

    /// The finished table, as a value.
    var table: TOMLTable {
        var t = TOMLTable(line: line)
        for (key, item) in items {
            switch item {
            case .value(let v): t[key] = v
            case .table(let n): t[key] = .table(n.table)
            case .tables(let list): t[key] = .array(list.nodes.map { .table($0.table) })
            }
        }
        return t
    }
}

private struct Cursor {
    let text: Substring
    var index: Substring.Index

    init(text: Substring) {
        self.text = text
        self.index = text.startIndex
    }

    var peek: Character? { index < text.endIndex ? text[index] : nil }
    var rest: Substring { text[index...] }
    var atEndOrComment: Bool { peek == nil || peek == "#" }

    mutating func advance(_ n: Int) {
        index = text.index(index, offsetBy: n, limitedBy: text.endIndex) ?? text.endIndex
    }

    mutating func skipSpaces() {
        while let c = peek, c == " " || c == "\t" { advance(1) }
    }
}

private extension String {
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
