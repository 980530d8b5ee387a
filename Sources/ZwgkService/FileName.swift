import ZwgkFormats

/// File names zwgk makes from texts it did not choose (a unit's name, a dropped file's name): one name in one
/// folder, never a path, never hidden, and short enough for any Linux file system (255 bytes).
public enum FileName {
    /// The most bytes a name may have.
    public static let maxBytes = 255

    /// A name for `text` followed by `suffix` (`-2023-annual.html`): `/`, control characters and NUL become
    /// `_`, a leading `.` or `-` does too (no hidden file, `..` or option-like name), and `text` is cut short
    /// (at a character) so that the whole fits in `maxBytes` bytes.
    public static func safe(_ text: String, suffix: String) -> String {
        var stem = String(
            text.unicodeScalars.map { s -> Character in
                s == "/" || ControlText.isControl(s) ? "_" : Character(s)
            })
        if stem.first == "." || stem.first == "-" { stem = "_" + stem.dropFirst() }
        if stem.isEmpty { stem = "_" }
        return shortened(stem, toFit: maxBytes - suffix.utf8.count) + suffix
    }

    /// `text`, its end cut off (at a character) so that its UTF-8 takes at most `bytes` bytes.
    static func shortened(_ text: String, toFit bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var kept = ""
        var used = 0
        for c in text {
            used += c.utf8.count
            if used > bytes { break }
            kept.append(c)
        }
        return kept
    }
}
