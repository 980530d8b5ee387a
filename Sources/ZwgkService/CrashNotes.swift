import Foundation
import ZwgkFormats

#if canImport(Glibc)
import Glibc
#endif

/// What the daemon was working on when it died, so that a drop file or a snapshot that kills it (a trap no one
/// has found yet, the OOM killer, a bug in a library) is set aside after its second death instead of stopping
/// intake at every restart.
///
/// Before deciding a file, or writing a snapshot, the daemon notes it in `<state>/working.json`, and empties the
/// note when done. The note is one `pwrite`, not synced: it must outlive the process, not the machine (a power
/// cut loses a note, and so one death counted, never a file). A start that finds a note counts a death against
/// its subject in `<state>/crashes.json` (rare, so written atomically and synced).
final class CrashNotes {
    enum Subject: Hashable, Sendable {
        /// A drop file in `incoming/`, by name and content.
        case file(name: String, sha256: String)
        /// A period's snapshot, by its name (`2023-Q2`).
        case snapshot(period: String)
    }

    /// Deaths after which a subject is set aside.
    static let limit = 2

    private let countsPath: String
    private let note: Int32
    private(set) var deaths: [Subject: Int]
    /// The subject a note found at start named: the previous process died working on it.
    private(set) var diedOn: Subject?

    static func notePath(state: String) -> String { state + "/working.json" }
    static func countsPath(state: String) -> String { state + "/crashes.json" }

    /// Opens the note in `state` (the state lock must be held) and counts the death a note left there says.
    init(state: String) throws(ServiceError) {
        countsPath = Self.countsPath(state: state)
        deaths = Self.readCounts(countsPath)
        let path = Self.notePath(state: state)
        note = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard note >= 0 else {
            throw ServiceError(.state, "无法打开状态目录中的 \(path):\(String(cString: strerror(errno)))。请检查状态目录的权限")
        }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let n = bytes.withUnsafeMutableBytes { pread(note, $0.baseAddress, $0.count, 0) }
        if n > 0, let subject = Self.parse(Array(bytes[..<n].prefix { $0 != 0x0A })) {
            diedOn = subject
            deaths[subject, default: 0] += 1
            try save()
        }
        end()
    }

    deinit { close(note) }

    /// Whether `subject` killed the daemon often enough to be set aside.
    func isSetAside(_ subject: Subject) -> Bool { deaths[subject, default: 0] >= Self.limit }

    /// Notes that the daemon now works on `subject`: one write, the new note first and its length last (a death
    /// in between leaves the note and an old tail after its newline, which the reader ignores).
    func begin(_ subject: Subject) {
        let bytes = Array((JSONWriter.compact(Self.json(subject)) + "\n").utf8)
        _ = bytes.withUnsafeBytes { pwrite(note, $0.baseAddress, $0.count, 0) }
        _ = ftruncate(note, off_t(bytes.count))
    }

    /// The work on the noted subject ended, the process alive.
    func end() { _ = ftruncate(note, 0) }

    /// `subject` was done without a death: deaths counted against it before were chance.
    func done(_ subject: Subject) throws(ServiceError) {
        guard deaths.removeValue(forKey: subject) != nil else { return }
        try save()
    }

    /// Forgets the subjects `keep` does not keep (files no longer waiting, snapshots since written).
    func prune(keep: (Subject) -> Bool) throws(ServiceError) {
        let before = deaths.count
        deaths = deaths.filter { keep($0.key) }
        if deaths.count != before { try save() }
    }

    /// The periods whose snapshots are set aside, as the counts in `state` say (for `zwgk status`).
    static func snapshotsSetAside(state: String) -> [String] {
        readCounts(countsPath(state: state)).compactMap { subject, deaths in
            if case .snapshot(let period) = subject, deaths >= limit { return period }
            return nil
        }.sorted()
    }

    /// What `zwgk status` and the STATUS line say of snapshots set aside; nil when there are none.
    static func skippedText(_ periods: [String]) -> String? {
        guard !periods.isEmpty else { return nil }
        return "快照 \(periods.joined(separator: "、")) 生成时服务两次意外停止,已跳过(接收文件不受影响);请联系系统管理员"
    }

    private func save() throws(ServiceError) {
        let entries = deaths.sorted { "\($0.key)" < "\($1.key)" }.map { subject, count -> JSONValue in
            guard case .object(var o) = Self.json(subject) else { return .null }
            o.append("deaths", .number(String(count)))
            return .object(o)
        }
        do {
            try FS.writeAtomically(countsPath, JSONWriter.pretty(.array(entries)))
        } catch {
            throw ServiceError(.state, "无法写入 \(countsPath):\(error)")
        }
    }

    private static func json(_ subject: Subject) -> JSONValue {
        var o = JSONObject()
        switch subject {
        case .file(let name, let sha256):
            o.append("file", .string(name))
            o.append("sha256", .string(sha256))
        case .snapshot(let period):
            o.append("snapshot", .string(period))
        }
        return .object(o)
    }

    private static func parse(_ bytes: [UInt8]) -> Subject? {
        guard case .object(let o)? = try? JSONReader.parse(bytes) else { return nil }
        if case .string(let name)? = o["file"], case .string(let sha256)? = o["sha256"] { return .file(name: name, sha256: sha256) }
        if case .string(let period)? = o["snapshot"] { return .snapshot(period: period) }
        return nil
    }

    private static func readCounts(_ path: String) -> [Subject: Int] {
        guard let data = FileManager.default.contents(atPath: path), case .array(let entries)? = try? JSONReader.parse(Array(data)) else {
            return [:]
        }
        var counts: [Subject: Int] = [:]
        for case .object(let o) in entries {
            guard let subject = parse(Array(JSONWriter.compact(.object(o)).utf8)), case .number(let n)? = o["deaths"], let deaths = Int(n),
                deaths > 0
            else { continue }
            counts[subject] = deaths
        }
        return counts
    }
}
