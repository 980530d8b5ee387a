// Arrays, inline tables and strings.
extension TOMLReader {
    // MARK: - Arrays and inline tables

    /// Moves past spaces, and past line ends, comments and blank lines, which an array may span.
    private mutating func skipToArrayContent(_ cursor: inout Cursor) throws(TOMLSyntaxError) {
        cursor.skipSpaces()
        while cursor.atEndOrComment {
            guard lineIndex + 1 < lines.count else { throw fail("数组缺少右方括号“]”") }
            lineIndex += 1
            cursor = Cursor(text: lines[lineIndex])
            cursor.skipSpaces()
        }
    }

    mutating func array(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> TOMLValue {
        try deeper(1)
        defer { depth -= 1 }
        cursor.advance(1)
        var items: [TOMLValue] = []
        while true {
            try skipToArrayContent(&cursor)
            if cursor.peek == "]" {
                cursor.advance(1)
                return .array(items)
            }
            items.append(try value(&cursor))
            try skipToArrayContent(&cursor)
            if cursor.peek == "," {
                cursor.advance(1)
            } else if cursor.peek != "]" {
                throw fail("数组元素之间应以逗号分隔")
            }
        }
    }

    /// `{ key = value, … }`, all on one line (a value inside, such as an array, may itself span lines),
    /// with no comma after the last entry.
    mutating func inlineTable(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> TOMLValue {
        try deeper(1)
        defer { depth -= 1 }
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

    func basicString(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> String {
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

    func literalString(_ cursor: inout Cursor) throws(TOMLSyntaxError) -> String {
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
}
