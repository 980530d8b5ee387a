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
    private var root = TOMLTable(line: 0)
    /// The path of the current table; an array-of-tables step addresses its last element.
    private var current: [String] = []
    private var definedTables = Set<[String]>()

    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        var text = Substring(text.replacing("\r\n", with: "\n"))
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        var reader = TOMLReader(lines: text.split(separator: "\n", omittingEmptySubsequences: false))
        try reader.run()
        return reader.root
    }

    private init(lines: [Substring]) { self.lines = lines }

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
        if isArray {
            try appendTable(at: path)
        } else {
            guard definedTables.insert(path).inserted else { throw fail("表[\(path.joined(separator: "."))]重复定义") }
            try ensureTable(at: path)
        }
        current = path
    }

    private mutating func keyValue(_ cursor: inout Cursor) throws(TOMLSyntaxError) {
        let path = try key(&cursor)
        cursor.skipSpaces()
        guard cursor.peek == "=" else { throw fail("键“\(path.joined(separator: "."))”后应是“=”") }
        cursor.advance(1)
        cursor.skipSpaces()
        let v = try value(&cursor)
        let full = current + path
        try set(v, at: full)
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

    private mutating func ensureTable(at path: [String]) throws(TOMLSyntaxError) {
        try modify(path, create: true) { (_: inout TOMLTable) throws(TOMLSyntaxError) in }
    }

    private mutating func appendTable(at path: [String]) throws(TOMLSyntaxError) {
        let line = lineNumber
        let parent = Array(path.dropLast())
        let name = path[path.count - 1]
        let failure = fail("“\(name)”已被定义为其他类型,不能再用[[\(path.joined(separator: "."))]]")
        try modify(parent, create: true) { (table: inout TOMLTable) throws(TOMLSyntaxError) in
            switch table[name] {
            case nil: table[name] = .array([.table(TOMLTable(line: line))])
            case .array(var items) where items.allSatisfy({ if case .table = $0 { return true }; return false }):
                items.append(.table(TOMLTable(line: line)))
                table[name] = .array(items)
            default: throw failure
            }
        }
    }

    private mutating func set(_ value: TOMLValue, at path: [String]) throws(TOMLSyntaxError) {
        let name = path[path.count - 1]
        let failure = fail("键“\(path.joined(separator: "."))”重复定义")
        try modify(Array(path.dropLast()), create: true) { (table: inout TOMLTable) throws(TOMLSyntaxError) in
            guard table[name] == nil else { throw failure }
            table[name] = value
        }
    }

    /// Walks `path` from the root (an array of tables resolves to its last table) and edits the table there.
    private mutating func modify(_ path: [String], create: Bool, _ edit: (inout TOMLTable) throws(TOMLSyntaxError) -> Void) throws(TOMLSyntaxError) {
        let line = lineNumber
        func walk(_ table: inout TOMLTable, _ rest: ArraySlice<String>) throws(TOMLSyntaxError) {
            guard let head = rest.first else { return try edit(&table) }
            switch table[head] {
            case nil:
                var child = TOMLTable(line: line)
                try walk(&child, rest.dropFirst())
                table[head] = .table(child)
            case .table(var child):
                try walk(&child, rest.dropFirst())
                table[head] = .table(child)
            case .array(var items):
                guard case .table(var last)? = items.last else {
                    throw TOMLSyntaxError(line: line, reason: "“\(head)”不是表")
                }
                try walk(&last, rest.dropFirst())
                items[items.count - 1] = .table(last)
                table[head] = .array(items)
            default:
                throw TOMLSyntaxError(line: line, reason: "“\(head)”已是一个值,不能再作为表")
            }
        }
        try walk(&root, path[...])
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
