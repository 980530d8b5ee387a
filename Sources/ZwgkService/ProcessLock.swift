import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// A lock file that one process at a time holds (flock), naming its holder: the pid on the first line and
/// the state folder on the second. The daemon holds two: the state folder's (one process per ledger) and
/// the spool's (one ledger per spool), so two daemons can never split one spool's files between them.
public final class ProcessLock {
    public let path: String
    private var fd: FileDescriptor?

    private init(path: String) { self.path = path }

    deinit { try? fd?.close() }

    /// The state folder's lock.
    public static func state(_ folder: String) -> ProcessLock { ProcessLock(path: folder + "/zwgk.lock") }

    /// The spool's lock, a hidden file beside `incoming/`.
    public static func spool(_ root: String) -> ProcessLock { ProcessLock(path: root + "/.zwgk.lock") }

    /// Who holds a lock: the pid (nil when it could not be read) and the state folder it works on.
    public struct Holder: Equatable, Sendable {
        public var pid: Int32?
        public var state: String?
    }

    /// Takes the lock for this process, working on `state`; or says which process holds it.
    public func acquire(state: String, what: String) throws(ServiceError) {
        let opened: FileDescriptor
        do {
            opened = try FileDescriptor.open(
                FilePath(path), .readWrite, options: [.create, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw ServiceError(.state, "无法创建锁文件 \(path):\(error)。请检查目录的权限")
        }
        guard flock(opened.rawValue, LOCK_EX | LOCK_NB) == 0 else {
            try? opened.close()
            let holder = holder()
            let pid = holder?.pid.map(String.init) ?? "未知"
            let theirs = holder?.state.map { ",状态目录 \($0)" } ?? ""
            throw ServiceError(.locked(pid: holder?.pid), "另一个 zwgk 进程(pid \(pid)\(theirs))正在使用\(what)。同一\(what)同时只能由一个 zwgk 进程处理;请先停止它,或使用另一个目录")
        }
        _ = try? opened.resize(to: 0)
        _ = try? opened.writeAll(toAbsoluteOffset: 0, Array("\(getpid())\n\(state)\n".utf8))
        fd = opened
    }

    /// The process holding the lock, or nil when none does.
    public func holder() -> Holder? {
        guard let reader = try? FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec) else { return nil }
        defer { try? reader.close() }
        if flock(reader.rawValue, LOCK_SH | LOCK_NB) == 0 {
            flock(reader.rawValue, LOCK_UN)
            return nil
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = (try? buffer.withUnsafeMutableBytes { try reader.read(fromAbsoluteOffset: 0, into: $0) }) ?? 0
        let lines = String(decoding: buffer[..<n], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let pid = lines.first.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
        let state = lines.count > 1 && !lines[1].isEmpty ? String(lines[1]) : nil
        return Holder(pid: pid, state: state)
    }
}
