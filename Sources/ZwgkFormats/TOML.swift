// zwgk reads its TOML (zwgk.toml and the units file) with this hand-written reader rather than
// TOMLKit: TOMLKit cannot be used here, as its checkit dependency cannot be fetched on the build
// machines, and zwgk needs the line of every key, so that it can report every configuration problem
// with its line instead of stopping at the first. It reads a subset of TOML 1.0: comments; bare,
// quoted and dotted keys; `[table]` and `[[array.of.tables]]` headers; basic and literal strings
// (single-line); integers (decimal, `0x`, `0o`, `0b`, underscores only between digits, no leading
// zeros); decimal floats with fraction and/or exponent (kept as written, without inf and nan);
// booleans; arrays (which may span lines); and inline tables `{ k = v, … }` on one line. Dates and
// times, multi-line strings, inf and nan are refused with their line, never guessed at.

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

    public init(line: Int) { self.line = line }

    /// Reading gives a key's value; setting keeps a known key's line, and gives a new key the table's line.
    public subscript(key: String) -> TOMLValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let newValue {
                set(key, to: newValue, line: keyLines[key] ?? line)
            } else if let i = entries.firstIndex(where: { $0.key == key }) {
                entries.remove(at: i)
                keyLines[key] = nil
            }
        }
    }

    /// Sets `key` to `value`, written on `line`.
    public mutating func set(_ key: String, to value: TOMLValue, line: Int) {
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i].value = value
        } else {
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

/// Reads the TOML subset described at the top of this file. Anything else is refused with its line.
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

    private func fail(_ reason: String, line: Int? = nil) -> TOMLSyntaxError {
        TOMLSyntaxError(line: line ?? lineNumber, reason: reason)
    }

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
                try keyValue(&cursor, into: current)
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
        let parent = try node(at: Array(path.dropLast()), from: root)
        let name = path[path.count - 1]
        if isArray {
            let table = Node(line: lineNumber)
            switch parent[name] {
            case nil: parent.set(name, .tables(NodeList(table)), line: lineNumber)
            case .tables(let list)?: list.nodes.append(table)
            default: throw fail("“\(name)”已被定义为其他类型,不能再用[[\(path.joined(separator: "."))]]")
            }
            current = table
        } else {
            guard definedTables.insert(path).inserted else { throw fail("表[\(path.joined(separator: "."))]重复定义") }
            switch parent[name] {
            case nil:
                let table = Node(line: lineNumber)
                parent.set(name, .table(table), line: lineNumber)
                current = table
            case .table(let table)?: current = table
            default: throw fail("“\(name)”已是一个值,不能再作为表")
            }
        }
    }

    /// Reads `key = value` and puts it into `table`; the key's line is the line the key is written on,
    /// even when the value (an array) runs on over further lines.
    private mutating func keyValue(_ cursor: inout Cursor, into table: Node) throws(TOMLSyntaxError) {
        let line = lineNumber
        let path = try key(&cursor)
        cursor.skipSpaces()
        guard cursor.peek == "=" else { throw fail("键“\(path.joined(separator: "."))”后应是“=”") }
        cursor.advance(1)
        cursor.skipSpaces()
        let v = try value(&cursor)
        let parent = try node(at: Array(path.dropLast()), from: table, line: line)
        let name = path[path.count - 1]
        guard parent[name] == nil else { throw fail("键“\(path.joined(separator: "."))”重复定义", line: line) }
        parent.set(name, .value(v), line: line)
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
        guard let c = cursor.peek, c != "#" else { throw fail("“=”后缺少值") }
        switch c {
        case "\"":
            if cursor.text[cursor.index...].hasPrefix("\"\"\"") { throw fail("不支持多行字符串") }
            return .string(try basicString(&cursor))
        case "'":
            if cursor.text[cursor.index...].hasPrefix("'''") { throw fail("不支持多行字符串") }
            return .string(try literalString(&cursor))
        case "[": return try array(&cursor)
        case "{": return try inlineTable(&cursor)
        default:
            let start = cursor.index
            while let c = cursor.peek, !(c == "," || c == "]" || c == "}" || c == "#" || c == " " || c == "\t" || c == "\r") {
                cursor.advance(1)
            }
            let word = String(cursor.text[start..<cursor.index])
            guard !word.isEmpty else { throw fail("此处缺少值") }
            if word == "true" { return .bool(true) }
            if word == "false" { return .bool(false) }
            if let n = try number(word) { return n }
            throw fail("无法识别的值“\(word)”(字符串须加引号)")
        }
    }

    // MARK: - Numbers

    /// The number `word` spells, nil when it does not look like a number at all; a word that looks
    /// like one but breaks TOML's rules (`1__0`, `_1`, `1_`, `01`, `1.`, `.5`) is refused.
    private func number(_ word: String) throws(TOMLSyntaxError) -> TOMLValue? {
        var body = Substring(word)
        var sign = ""
        if body.first == "+" || body.first == "-" {
            sign = String(body.first!)
            body = body.dropFirst()
        }
        if ["inf", "nan"].contains(body) { throw fail("不支持 inf 和 nan,请写成普通数字") }
        guard let first = body.first, first.isASCII,
              first.isNumber || ((first == "_" || first == ".") && body.contains(where: { $0.isASCII && $0.isNumber }))
        else { return nil }

        for (prefix, radix, name) in [("0x", 16, "十六进制"), ("0o", 8, "八进制"), ("0b", 2, "二进制")] where body.hasPrefix(prefix) {
            guard sign.isEmpty else { throw fail("\(name)整数“\(word)”前不能有正负号") }
            let digits = try self.digits(body.dropFirst(2), of: word, radix: radix)
            guard let i = Int(digits, radix: radix) else { throw fail("整数“\(word)”超出范围") }
            return .integer(i)
        }

        guard body.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else {
            let digits = try self.digits(body, of: word)
            guard digits.count == 1 || digits.first != "0" else { throw fail("整数“\(word)”不能以0开头") }
            guard let i = Int(sign + digits) else { throw fail("整数“\(word)”超出范围") }
            return .integer(i)
        }

        // A float: an integer part (no leading zeros), then a fraction, an exponent or both.
        var mantissa = body
        var exponent: Substring?
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = body[..<e]
            exponent = body[body.index(after: e)...]
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw fail("无法识别的数字“\(word)”") }
        let whole = try digits(parts[0], of: word)
        guard whole.count == 1 || whole.first != "0" else { throw fail("小数“\(word)”的整数部分不能以0开头") }
        var text = sign + whole
        if parts.count == 2 { text += "." + (try digits(parts[1], of: word)) }
        if var exponent {
            let marker = body[mantissa.endIndex]
            var expSign = ""
            if exponent.first == "+" || exponent.first == "-" {
                expSign = String(exponent.first!)
                exponent = exponent.dropFirst()
            }
            text += String(marker) + expSign + (try digits(exponent, of: word))
        }
        return .float(text)
    }

    /// The digits of `run` without its underscores; each underscore must stand between two digits.
    private func digits(_ run: Substring, of word: String, radix: Int = 10) throws(TOMLSyntaxError) -> String {
        var out = ""
        var afterDigit = false
        for c in run {
            if c == "_" {
                guard afterDigit else { throw fail("数字“\(word)”中的下划线只能写在两个数字之间") }
                afterDigit = false
            } else if c.isASCII, let d = c.hexDigitValue, d < radix {
                out.append(c)
                afterDigit = true
            } else {
                throw fail("无法识别的值“\(word)”(字符串须加引号)")
            }
        }
        guard afterDigit else {
            if out.isEmpty { throw fail("数字“\(word)”不完整(小数点两侧、指数和进制前缀之后都要有数字,如 0.5、1e3、0xff)") }
            throw fail("数字“\(word)”中的下划线只能写在两个数字之间")
        }
        return out
    }

    // MARK: - Arrays and inline tables

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

    /// `{ key = value, … }`, all on one line (a value inside, such as an array, may itself span lines),
    /// with no comma after the last entry.
    private mutating func inlineTable(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> TOMLValue {
        let table = Node(line: lineNumber)
        cursor.advance(1)
        cursor.skipSpaces()
        if cursor.peek == "}" {
            cursor.advance(1)
            return .table(table.table)
        }
        let unclosed = "内联表 { … } 必须写在同一行内,缺少右花括号“}”(多行请改用 [表名] 的写法)"
        while true {
            cursor.skipSpaces()
            switch cursor.peek {
            case nil, "#": throw fail(unclosed)
            case "}": throw fail("内联表最后一项后面不能有逗号")
            case ",": throw fail("内联表中有多余的逗号")
            default: break
            }
            try keyValue(&cursor, into: table)
            cursor.skipSpaces()
            switch cursor.peek {
            case "}":
                cursor.advance(1)
                return .table(table.table)
            case ",": cursor.advance(1)
            case nil, "#": throw fail(unclosed)
            default: throw fail("内联表的各项之间应以逗号分隔")
            }
        }
    }

    // MARK: - Strings

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

    /// The table at `path` below `start`, created where missing (named on `line`, by default the
    /// current one); an array of tables resolves to its last table.
    private func node(at path: [String], from start: Node, line: Int? = nil) throws(TOMLSyntaxError) -> Node {
        var table = start
        for name in path {
            switch table[name] {
            case nil:
                let child = Node(line: line ?? lineNumber)
                table.set(name, .table(child), line: line ?? lineNumber)
                table = child
            case .table(let child)?: table = child
            case .tables(let list)?: table = list.nodes[list.nodes.count - 1]
            case .value?: throw fail("“\(name)”已是一个值,不能再作为表", line: line)
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
    /// Each key with what it holds and the line it was first written on.
    private var items: [(key: String, item: Item, line: Int)] = []

    init(line: Int) { self.line = line }

    subscript(key: String) -> Item? { items.first { $0.key == key }?.item }

    /// Adds `key` (new to this table), written on `line`.
    func set(_ key: String, _ item: Item, line: Int) {
        items.append((key, item, line))
    }

    /// The finished table, as a value.
    var table: TOMLTable {
        var t = TOMLTable(line: line)
        for (key, item, keyLine) in items {
            switch item {
            case .value(let v): t.set(key, to: v, line: keyLine)
            case .table(let n): t.set(key, to: .table(n.table), line: keyLine)
            case .tables(let list): t.set(key, to: .array(list.nodes.map { .table($0.table) }), line: keyLine)
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
