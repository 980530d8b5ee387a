import ZwgkFormats

/// What a log line may hold of a text: one line (control characters escaped, so a newline in a file name or a
/// record cannot forge a line), and at most `limit` bytes (a file's reason of any length cannot make a
/// log entry of hundreds of megabytes; its `.why.txt` keeps it whole).
public enum LogText {
    /// The most UTF-8 bytes of one value in a log entry.
    public static let limit = 16 * 1024

    public static func clean(_ text: String) -> String {
        let escaped = ControlText.escaped(text)
        guard escaped.utf8.count > limit else { return escaped }
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for s in escaped.unicodeScalars {
            bytes += UTF8.width(s)
            if bytes > limit { break }
            kept.append(s)
        }
        return String(kept) + "…(已截断,共 \(escaped.utf8.count) 字节)"
    }
}
