import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The state folder's lock: one process at a time merges into a ledger. The file holds the owner's pid.
public final class DaemonLock {
    public let path: String
    private var fd: Int32 = -1

    public init(state: String) { path = state + "/zwgk.lock" }

    deinit { if fd >= 0 { close(fd) } }

    /// Takes the lock, or says which process holds it.
    public func acquire() throws(StartError) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StartError("无法创建锁文件 \(path):\(String(cString: strerror(errno)))。请检查 --state 目录的权限") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = DaemonLock.holder(state: (path as NSString).deletingLastPathComponent)
            close(fd)
            fd = -1
            throw StartError("另一个 zwgk 进程(pid \(holder.flatMap { $0 > 0 ? String($0) : nil } ?? "未知"))正在使用状态目录 \((path as NSString).deletingLastPathComponent)。同一份账本同时只能由一个进程处理;请先停止它,或使用另一个 --state 目录")
        }
        _ = ftruncate(fd, 0)
        let text = "\(getpid())\n"
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// The pid holding the lock of `state`, or nil when no process holds it.
    public static func holder(state: String) -> Int32? {
        let path = state + "/zwgk.lock"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = read(fd, &buffer, 31)
        guard n > 0 else { return -1 }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
