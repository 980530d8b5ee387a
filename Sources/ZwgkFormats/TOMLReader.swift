// zwgk reads its TOML (zwgk.toml and the units file) with this hand-written reader rather than
// TOMLKit: TOMLKit cannot be used here, as its checkit dependency cannot be fetched on the build
// machines, and zwgk needs the line of every key, so that it can report every configuration problem
// with its line instead of stopping at the first. It reads a subset of TOML 1.0: comments; bare,
// quoted and dotted keys; `[table]` and `[[array.of.tables]]` headers; basic and literal strings
// (single-line); integers (decimal, `0x`, `0o`, `0b`, underscores only between digits, no leading
// zeros); decimal floats with fraction and/or exponent (kept as written, without inf and nan);
// booleans; arrays (which may span lines); and inline tables `{ k = v, … }` on one line. Dates and
// times, multi-line strings, inf and nan are refused with their line, never guessed at.

/// Reads the TOML subset described at the top of this file. Anything else is refused with its line.
/// The work is bounded: a text of at most ``maxBytes``, nested at most ``maxDepth`` deep (tables, dotted keys,
/// arrays and inline tables together), each key found by hash.
public struct TOMLReader {
    /// The largest text read: 4 MiB (a units file of 5,000 units is about 500 KB).
    public static let maxBytes = 4 * 1024 * 1024
    /// The deepest nesting read; zwgk's files need 4.
    public static let maxDepth = 32
    let lines: [Substring]
    var lineIndex = 0
    /// The tree is built from reference nodes (edited in place), and turned into values at the end.
    let root = Node(line: 0)
    /// The table that key/value lines go into.
    var current: Node
    var definedTables = Set<[String]>()
    /// How deep the value being read is: the table's header path, the dotted keys, arrays and inline tables.
    var depth = 0
    /// The depth of the current `[table]` (its header path).
    var tableDepth = 0

    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        guard text.utf8.count <= maxBytes else {
            throw TOMLSyntaxError(line: 0, reason: "文件过大(\(text.utf8.count) 字节),超过 \(maxBytes / 1024 / 1024) MiB 的上限;请检查是否选错了文件")
        }
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

    var lineNumber: Int { lineIndex + 1 }

    func fail(_ reason: String, line: Int? = nil) -> TOMLSyntaxError {
        TOMLSyntaxError(line: line ?? lineNumber, reason: reason)
    }

    mutating func run() throws(TOMLSyntaxError) {
        while lineIndex < lines.count {
            var cursor = Cursor(text: lines[lineIndex])
            cursor.skipSpaces()
            if cursor.atEndOrComment {
                lineIndex += 1
                continue
            }
            depth = tableDepth
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

    mutating func header(_ cursor: inout Cursor) throws(TOMLSyntaxError) {
        let isArray = cursor.text[cursor.index...].hasPrefix("[[")
        cursor.advance(isArray ? 2 : 1)
        let path = try key(&cursor)
        cursor.skipSpaces()
        let close = isArray ? "]]" : "]"
        guard cursor.text[cursor.index...].hasPrefix(close) else { throw fail("表头缺少“\(close)”") }
        cursor.advance(close.count)
        try deeper(path.count)
        tableDepth = path.count
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
    mutating func keyValue(_ cursor: inout Cursor, into table: Node) throws(TOMLSyntaxError) {
        let line = lineNumber
        let path = try key(&cursor)
        cursor.skipSpaces()
        guard cursor.peek == "=" else { throw fail("键“\(path.joined(separator: "."))”后应是“=”") }
        cursor.advance(1)
        cursor.skipSpaces()
        try deeper(path.count)
        let v = try value(&cursor)
        depth -= path.count
        let parent = try node(at: Array(path.dropLast()), from: table, line: line)
        let name = path[path.count - 1]
        guard parent[name] == nil else { throw fail("键“\(path.joined(separator: "."))”重复定义", line: line) }
        parent.set(name, .value(v), line: line)
    }

    mutating func key(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> [String] {
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

    mutating func value(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> TOMLValue {
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

    /// Goes `levels` deeper, refusing to pass ``maxDepth``.
    mutating func deeper(_ levels: Int) throws(TOMLSyntaxError) {
        depth += levels
        guard depth <= TOMLReader.maxDepth else {
            throw fail("嵌套过深(超过 \(TOMLReader.maxDepth) 层表、数组或点号键);zwgk 的配置不需要这样的结构,请检查文件")
        }
    }

    // MARK: - Building the tree

    /// The table at `path` below `start`, created where missing (named on `line`, by default the
    /// current one); an array of tables resolves to its last table.
    func node(at path: [String], from start: Node, line: Int? = nil) throws(TOMLSyntaxError) -> Node {
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
final class NodeList {
    var nodes: [Node]
    init(_ first: Node) { nodes = [first] }
}

/// A table under construction.
final class Node {
    enum Item {
        case value(TOMLValue)
        case table(Node)
        case tables(NodeList)
    }

    let line: Int
    /// Each key with what it holds and the line it was first written on.
    var items: [(key: String, item: Item, line: Int)] = []
    /// Each key's place in `items`.
    var positions: [String: Int] = [:]

    init(line: Int) { self.line = line }

    subscript(key: String) -> Item? { positions[key].map { items[$0].item } }

    /// Adds `key` (new to this table), written on `line`.
    func set(_ key: String, _ item: Item, line: Int) {
        positions[key] = items.count
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

struct Cursor {
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
