/// Text from a drop file as a problem shows it: control characters written out (`[U+000A]`), so that no
/// value can break a line of a `.why.txt` or a log, and long values cut short, so that no problem grows with
/// what it quotes.
enum ShownText {
    /// The most characters of one quoted value (“…”) in a message, and of a name (field, id, header, sheet).
    static let quoteLimit = 60
    /// The most characters of a whole message.
    static let messageLimit = 1_000

    /// Whether a character may never be shown as is: C0 and C1 controls, DEL, the line and paragraph
    /// separators, and the noncharacters U+FFFE and U+FFFF.
    static func isHidden(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
            || s.value == 0xFFFE || s.value == 0xFFFF
    }

    /// `name` with hidden characters written out, cut at `limit` characters.
    static func name(_ name: String, limit: Int = quoteLimit) -> String {
        if name.utf8.count <= limit && !name.unicodeScalars.contains(where: isHidden) { return name }
        var out = ""
        var n = 0
        for s in name.unicodeScalars {
            if n == limit {
                out += "…(共\(name.unicodeScalars.count)个字符)"
                break
            }
            append(s, to: &out)
            n += 1
        }
        return out
    }

    /// A message with every quoted value (“…”) cut at ``quoteLimit`` characters, hidden characters written
    /// out, and the whole cut at ``messageLimit``.
    static func message(_ text: String) -> String {
        if text.unicodeScalars.count <= 200 && !text.unicodeScalars.contains(where: isHidden) { return text }
        var out = ""
        var depth = 0
        var quoted = 0
        var total = 0
        var cut = false
        for s in text.unicodeScalars {
            if total >= messageLimit {
                out += "……"
                break
            }
            switch s {
            case "“":
                depth += 1
                quoted = 0
            case "”":
                depth = max(0, depth - 1)
                if cut { out += "…" }
                cut = false
            default:
                if depth > 0 {
                    quoted += 1
                    if quoted > quoteLimit {
                        cut = true
                        continue
                    }
                }
            }
            append(s, to: &out)
            total += 1
        }
        return out
    }

    private static func append(_ s: Unicode.Scalar, to out: inout String) {
        if isHidden(s) {
            let hex = String(s.value, radix: 16, uppercase: true)
            out += "[U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
        } else {
            out.unicodeScalars.append(s)
        }
    }
}
