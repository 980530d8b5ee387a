import Foundation
import ZwgkFormats

#if canImport(Glibc)
import Glibc
#endif

/// What the running daemon says about itself, kept in `<state>/health.json` for `zwgk status`.
struct Health: Equatable {
    var pid: Int32
    var startedAt: String
    var watch: String
    /// nil while healthy; otherwise what is wrong now, in words for the operator.
    var problem: String?
    var lastError: String?
    var lastErrorAt: String?
    var lastBatchAt: String?
    /// Rectification items overdue at the daemon's last check; nil before its first.
    var overdue: Int?
    /// What the tamper check at start found (`StartupCheck`); nil while it runs or when all is well.
    var integrity: String?

    var json: JSONValue {
        var o = JSONObject()
        o.append("pid", .number(String(pid)))
        o.append("started_at", .string(startedAt))
        o.append("watch", .string(watch))
        o.append("problem", problem.map { .string($0) } ?? .null)
        o.append("last_error", lastError.map { .string($0) } ?? .null)
        o.append("last_error_at", lastErrorAt.map { .string($0) } ?? .null)
        o.append("last_batch_at", lastBatchAt.map { .string($0) } ?? .null)
        o.append("overdue", overdue.map { .number(String($0)) } ?? .null)
        o.append("integrity", integrity.map { .string($0) } ?? .null)
        return .object(o)
    }

    static func path(state: String) -> String { state + "/health.json" }
    /// The spare the next state is written into before it is exchanged with the file.
    static func sparePath(state: String) -> String { state + "/.health.json.next" }

    /// The file's fixed size. Both it and its spare keep blocks allocated at start, so that it can still say
    /// "disk full" when the disk is full; readers skip the padding.
    static let size = 8192

    /// Writes the new state into the spare (in place; created at its full size the first time), then exchanges
    /// the spare with the file in one rename: a reader sees the whole old state or the whole new one, never a
    /// torn mix. Not synced.
    func write(state: String) {
        let spare = Health.sparePath(state: state)
        guard fill(spare) else { return }
        let path = Health.path(state: state)
        if (try? FS.exchange(spare, path)) == nil { _ = rename(spare, path) }  // the first time, there is nothing to exchange with
    }

    private func fill(_ path: String) -> Bool {
        var bytes = Array(JSONWriter.pretty(json).utf8)
        if bytes.count > Health.size - 1 {
            var trimmed = self
            trimmed.lastError = lastError.map { String($0.prefix(200)) }
            trimmed.problem = problem.map { String($0.prefix(200)) }
            trimmed.integrity = integrity.map { String($0.prefix(600)) }
            bytes = Array(JSONWriter.pretty(trimmed.json).utf8)
        }
        bytes += [UInt8](repeating: 0x20, count: max(0, Health.size - 1 - bytes.count)) + [0x0A]
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } == bytes.count
    }

    static func read(state: String) -> Health? {
        guard let data = FileManager.default.contents(atPath: path(state: state)),
            case .object(let o)? = try? JSONReader.parse(Array(data)),
            case .number(let pid)? = o["pid"], let p = Int32(pid)
        else { return nil }
        func s(_ k: String) -> String? { if case .string(let v)? = o[k] { return v } else { return nil } }
        var overdue: Int?
        if case .number(let n)? = o["overdue"] { overdue = Int(n) }
        return Health(
            pid: p, startedAt: s("started_at") ?? "", watch: s("watch") ?? "", problem: s("problem"),
            lastError: s("last_error"), lastErrorAt: s("last_error_at"), lastBatchAt: s("last_batch_at"), overdue: overdue,
            integrity: s("integrity"))
    }
}
