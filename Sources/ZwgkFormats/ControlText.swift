/// Control characters from input, made visible: what logs, the journal, the terminal and HTML show of a file
/// name, a record's id or text. A newline from a file must not start a forged log line, and an escape
/// sequence (`ESC[`) must not reach a terminal.
///
/// Escaped are C0 controls (U+0000–U+001F), DEL, C1 controls (U+0080–U+009F) and the Unicode line and
/// paragraph separators, as `\n`, `\r`, `\t` or `\u{1B}`. Other text, Chinese, emoji and
/// right-to-left marks included, is left as it is.
public enum ControlText {
    /// `text` with every control character escaped; with `keepingLineBreaks`, `\n` and `\t` stay (for zwgk's
    /// own multi-line text, such as a rejection reason, shown whole).
    public static func escaped(_ text: String, keepingLineBreaks: Bool = false) -> String {
        if !needsEscaping(text, keepingLineBreaks: keepingLineBreaks) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for s in text.unicodeScalars {
            if !isControl(s) || (keepingLineBreaks && (s == "\n" || s == "\t")) {
                out.unicodeScalars.append(s)
                continue
            }
            switch s {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// Whether `s` is a character `escaped` writes out.
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
    }

    /// Whether `text` holds a character `escaped` would change (decided on the UTF-8 bytes, for speed).
    static func needsEscaping(_ text: String, keepingLineBreaks: Bool) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for b in text.utf8 {
            switch b {
            case 0x0A, 0x09: if !keepingLineBreaks { return true }
            case 0x00..<0x20, 0x7F: return true
            // C1 controls are C2 80–C2 9F; U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
            case 0x80...0x9F: if previous.1 == 0xC2 { return true }
            case 0xA8, 0xA9: if previous == (0xE2, 0x80) { return true }
            default: break
            }
            previous = (previous.1, b)
        }
        return false
    }
}
