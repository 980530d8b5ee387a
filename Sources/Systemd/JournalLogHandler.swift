import CSystemd
public import Logging
import ZwgkFormats

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes to journald natively (sd_journal_sendv): `MESSAGE`, `PRIORITY`,
/// `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`, `SYSLOG_IDENTIFIER`, the metadata key `message_id` as
/// `MESSAGE_ID`, and every other metadata key as a `ZWGK_<KEY>` field (`file` → `ZWGK_FILE`). Every value is
/// `LogText.clean`: one line, no control characters, bounded.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    let identifier: String

    public init(identifier: String) { self.identifier = identifier }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let extra = event.metadata { all.merge(extra) { $1 } }
        var fields = [
            "MESSAGE=\(LogText.clean(event.message.description))",
            "PRIORITY=\(Self.priority(event.level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(event.file)",
            "CODE_LINE=\(event.line)",
            "CODE_FUNC=\(event.function)",
        ]
        if let error = event.error { fields.append("ZWGK_ERROR=\(LogText.clean("\(error)"))") }
        for (key, value) in all.sorted(by: { $0.key < $1.key }) {
            if key == "message_id" {
                fields.append("MESSAGE_ID=\(LogText.clean(value.description))")
            } else {
                fields.append("ZWGK_\(Self.fieldName(key))=\(LogText.clean(value.description))")
            }
        }
        Self.send(fields)
    }

    /// syslog priorities: error 3, warning 4, notice 5, info 6, debug 7.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: 2
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    /// Journal field names: uppercase ASCII letters, digits and underscores.
    static func fieldName(_ key: String) -> String {
        String(key.uppercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" })
    }

    /// Sends `FIELD=value` strings (values may hold newlines) with sd_journal_sendv.
    static func send(_ fields: [String]) {
        var storage: [UInt8] = []
        var spans: [Range<Int>] = []
        for field in fields {
            let start = storage.count
            storage.append(contentsOf: field.utf8)
            spans.append(start..<storage.count)
        }
        storage.withUnsafeMutableBytes { raw in
            let vectors = spans.map { iovec(iov_base: raw.baseAddress! + $0.lowerBound, iov_len: $0.count) }
            _ = sd_journal_sendv(vectors, Int32(vectors.count))
        }
    }
}

/// Readable lines on stderr, for a terminal or a log file when stderr is not the journal.
public struct ConsoleLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    let identifier: String

    public init(identifier: String) { self.identifier = identifier }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        all["message_id"] = nil
        var now = time(nil)
        var tm = tm()
        localtime_r(&now, &tm)
        var stamp = [CChar](repeating: 0, count: 32)
        strftime(&stamp, stamp.count, "%Y-%m-%d %H:%M:%S", &tm)
        let details =
            all.isEmpty ? "" : " (" + all.sorted { $0.key < $1.key }.map { "\($0.key)=\(LogText.clean($0.value.description))" }.joined(separator: " ") + ")"
        let line =
            "\(String(decoding: stamp.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) \(identifier) \(event.level): \(LogText.clean(event.message.description))\(details)\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}

/// Chooses where logs go: the journal when stderr is connected to it (`JOURNAL_STREAM` names stderr)
/// or `ZWGK_LOG_TARGET=journal` says so; readable stderr lines otherwise.
public enum LogTarget {
    /// `journal` forces the choice (`journalRunning()` for a command whose actions belong in the journal
    /// even when run from a terminal); nil chooses by `useJournal()`.
    public static func bootstrap(identifier: String, level: Logger.Level = .info, journal: Bool? = nil) {
        let journal = journal ?? useJournal()
        LoggingSystem.bootstrap { _ in
            if journal {
                var h = JournalLogHandler(identifier: identifier)
                h.logLevel = level
                return h
            }
            var h = ConsoleLogHandler(identifier: identifier)
            h.logLevel = level
            return h
        }
    }

    /// Whether the system journal runs here (its socket is writable), or `ZWGK_LOG_TARGET` says where logs go.
    public static func journalRunning() -> Bool {
        if let forced = getenv("ZWGK_LOG_TARGET").map({ String(cString: $0) }) { return forced == "journal" }
        return access("/run/systemd/journal/socket", W_OK) == 0
    }

    public static func useJournal() -> Bool {
        if let forced = getenv("ZWGK_LOG_TARGET").map({ String(cString: $0) }) { return forced == "journal" }
        guard let stream = getenv("JOURNAL_STREAM").map({ String(cString: $0) }) else { return false }
        var st = stat()
        guard fstat(2, &st) == 0 else { return false }
        return stream == "\(st.st_dev):\(st.st_ino)"
    }
}
