/// Writes JSON. Members keep their order unless `sortedKeys` asks for keys in byte order.
public struct JSONWriter {
    public static func compact(_ value: JSONValue, sortedKeys: Bool = false) -> String {
        var out = ""
        write(value, into: &out, indent: nil, level: 0, sortedKeys: sortedKeys)
        return out
    }

    public static func pretty(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, indent: "  ", level: 0, sortedKeys: false)
        out.append("\n")
        return out
    }

    /// Writes `value` pretty-printed as if nested `level` deep (no line break before or after it).
    public static func pretty(_ value: JSONValue, level: Int, to out: inout some TextOutputStream) {
        write(value, into: &out, indent: "  ", level: level, sortedKeys: false)
    }

    public static func quote(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + s + "\"" }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
        return out
    }

    private static func write(_ value: JSONValue, into out: inout some TextOutputStream, indent: String?, level: Int, sortedKeys: Bool) {
        func newline(_ l: Int) {
            guard let indent else { return }
            out.write("\n")
            out.write(String(repeating: indent, count: l))
        }
        switch value {
        case .null: out.write("null")
        case .bool(let b): out.write(b ? "true" : "false")
        case .number(let n): out.write(n)
        case .string(let s): out.write(quote(s))
        case .array(let items):
            if items.isEmpty {
                out.write("[]")
                return
            }
            // Arrays of scalars stay on one line in pretty output.
            let flat = items.allSatisfy {
                if case .array = $0 { return false }
                if case .object = $0 { return false }
                return true
            }
            out.write("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.write(indent != nil && flat ? ", " : ",") }
                if !flat { newline(level + 1) }
                write(item, into: &out, indent: indent, level: level + 1, sortedKeys: sortedKeys)
            }
            if !flat { newline(level) }
            out.write("]")
        case .object(let object):
            if object.members.isEmpty {
                out.write("{}")
                return
            }
            let members = sortedKeys ? object.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : object.members
            out.write("{")
            for (i, member) in members.enumerated() {
                if i > 0 { out.write(",") }
                newline(level + 1)
                out.write(quote(member.key))
                out.write(indent == nil ? ":" : ": ")
                write(member.value, into: &out, indent: indent, level: level + 1, sortedKeys: sortedKeys)
            }
            newline(level)
            out.write("}")
        }
    }
}
