import CShims
import RubricEngine
import ZwgkFormats
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A new file (or standard output) written as a stream of text: buffered, hashed (SHA-256) as it goes,
/// synced when finished. Reports of thousands of units are written this way, never held whole in memory.
final class FileTextStream: TextOutputStream {
    let path: String
    private let fd: Int32
    /// A file of its own, closed and synced at the end; not so standard output.
    private let owned: Bool
    private var buffer: [UInt8] = []
    private var hash = SHA256()
    /// The first write error; reported by `finish`, since `write` cannot throw.
    private var failure: Int32?
    private static let flushAt = 1 << 20

    init(creating path: String) throws(FS.Failure) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw FS.Failure(action: "创建", path: path, code: errno) }
        owned = true
        buffer.reserveCapacity(FileTextStream.flushAt + 64 * 1024)
    }

    private init(descriptor: Int32, path: String) {
        self.path = path
        fd = descriptor
        owned = false
    }

    static func standardOutput() -> FileTextStream { FileTextStream(descriptor: STDOUT_FILENO, path: "标准输出") }

    deinit { if owned { close(fd) } }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= FileTextStream.flushAt { flush() }
    }

    private func flush() {
        if owned { hash.update(buffer) }
        if failure == nil { failure = buffer.withUnsafeBytes { FS.writeAll(fd, $0) } }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and syncs the file; returns its SHA-256 (of a file of its own).
    func finish() throws(FS.Failure) -> String {
        flush()
        if let failure { throw FS.Failure(action: "写入", path: path, code: failure) }
        guard !owned || fsync(fd) == 0 else { throw FS.Failure(action: "同步", path: path, code: errno) }
        return hash.finalize()
    }
}

/// Small, explicit file-system steps with the durability zwgk needs (fsync, no-replace renames).
enum FS {
    struct Failure: Error, CustomStringConvertible {
        var action: String
        var path: String
        var code: Int32
        var description: String { "\(action) \(path) 失败:\(String(cString: strerror(code)))" }
    }

    /// What is at a path, without following a symbolic link.
    enum Kind: Equatable {
        case regular(size: Int)
        case directory
        case symlink
        case special
        case missing
    }

    static func kind(_ path: String) -> Kind {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular(size: Int(st.st_size))
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .special
        }
    }

    /// Whether some process still has the file open for writing. Uses a read lease where the kernel
    /// allows one (owner or CAP_LEASE); otherwise takes a file changed in the last second as still being written.
    static func stillBeingWritten(_ path: String, now: Date) -> Bool {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        switch zwgk_open_for_writing(fd) {
        case 0: return false
        case 1: return true
        default:
            var st = stat()
            guard fstat(fd, &st) == 0 else { return false }
            let modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
            let age = now.timeIntervalSince1970 - modified
            return age >= 0 && age < 1  // a time in the future is another machine's clock, not a writer

        }
    }

    /// The status-change time (when the name arrived in its folder), in nanoseconds.
    static func changeTime(_ path: String) -> Int64 {
        var st = stat()
        guard lstat(path, &st) == 0 else { return 0 }
        return Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
    }

    /// Reads a regular file without following links or blocking on FIFOs; at most `limit` bytes.
    static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(action: "打开", path: path, code: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw Failure(action: "读取属性", path: path, code: errno) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw Failure(action: "读取", path: path, code: EINVAL) }
        var bytes = [UInt8](repeating: 0, count: min(Int(st.st_size), limit) + 1)
        var total = 0
        while total < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(action: "读取", path: path, code: errno)
            }
            if n == 0 { break }
            total += n
        }
        bytes.removeSubrange(total...)
        return bytes
    }

    /// Writes a string's UTF-8 atomically, without copying it first.
    static func writeAtomically(_ path: String, _ text: String, syncFolder: Bool = true) throws(Failure) {
        var text = text
        let result: Result<Void, Failure> = text.withUTF8 { utf8 in
            Result { () throws(Failure) in try writeAtomically(path, UnsafeRawBufferPointer(utf8), syncFolder: syncFolder) }
        }
        try result.get()
    }

    /// Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename.
    static func writeAtomically(_ path: String, _ bytes: [UInt8], syncFolder: Bool = true) throws(Failure) {
        let result: Result<Void, Failure> = bytes.withUnsafeBytes { raw in
            Result { () throws(Failure) in try writeAtomically(path, raw, syncFolder: syncFolder) }
        }
        try result.get()
    }

    private static func writeAtomically(_ path: String, _ bytes: UnsafeRawBufferPointer, syncFolder: Bool) throws(Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        let temp = (folder.isEmpty ? "" : folder + "/") + "." + (path as NSString).lastPathComponent + ".\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw Failure(action: "创建", path: temp, code: errno) }
        if let code = writeAll(fd, bytes) {
            close(fd)
            unlink(temp)
            throw Failure(action: "写入", path: temp, code: code)
        }
        guard fsync(fd) == 0 else {
            let code = errno
            close(fd)
            unlink(temp)
            throw Failure(action: "同步", path: temp, code: code)
        }
        close(fd)
        guard rename(temp, path) == 0 else {
            let code = errno
            unlink(temp)
            throw Failure(action: "重命名", path: path, code: code)
        }
        if syncFolder { try syncDirectory(folder.isEmpty ? "." : folder) }
    }

    /// Writes all of `bytes` to `fd`; the errno of a failure, or nil.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += n
        }
        return nil
    }

    static func syncDirectory(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(action: "打开目录", path: path, code: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure(action: "同步目录", path: path, code: errno) }
    }

    /// Renames without ever replacing an existing entry; false when the target exists.
    static func renameNoReplace(_ from: String, _ to: String) throws(Failure) -> Bool {
        if zwgk_rename_noreplace(from, to) == 0 { return true }
        if errno == EEXIST { return false }
        throw Failure(action: "移动", path: from, code: errno)
    }

    /// Creates `path` and any missing parents (mkdir -p), with errno in any failure.
    static func makeDirectory(_ path: String) throws(Failure) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw Failure(action: "创建目录", path: prefix, code: errno) }
        }
        guard case .directory = kind(path) else { throw Failure(action: "创建目录", path: path, code: ENOTDIR) }
    }

    /// Names in a folder (not . or ..) as raw bytes; nil when it cannot be read.
    static func listRaw(_ path: String) -> [[UInt8]]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if bytes != [0x2E] && bytes != [0x2E, 0x2E] { names.append(bytes) }
        }
        return names
    }

    /// Names in a folder that are valid UTF-8; nil when it cannot be read.
    static func list(_ path: String) -> [String]? {
        listRaw(path)?.compactMap { String(validating: $0, as: UTF8.self) }
    }

    /// Renames an entry whose name is raw bytes; false when the target exists.
    static func renameRaw(in folder: String, _ from: [UInt8], to: String) -> Bool {
        var path = Array((folder + "/").utf8) + from
        path.append(0)
        return path.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { zwgk_rename_noreplace($0.baseAddress!, folder + "/" + to) == 0 }
        }
    }
}

/// ISO 8601 UTC timestamps with milliseconds, for the ledger.
enum Timestamp {
    /// Reads back what `iso` wrote.
    static func parse(_ text: String) -> Date? {
        let u = Array(text.utf8)
        guard u.count == 24, u[10] == UInt8(ascii: "T"), u[23] == UInt8(ascii: "Z"),
              let day = Day(String(decoding: u[0..<10], as: UTF8.self)),
              let h = Int(String(decoding: u[11..<13], as: UTF8.self)), let m = Int(String(decoding: u[14..<16], as: UTF8.self)),
              let s = Int(String(decoding: u[17..<19], as: UTF8.self)), let ms = Int(String(decoding: u[20..<23], as: UTF8.self))
        else { return nil }
        var t = tm()
        t.tm_year = Int32(day.year - 1900)
        t.tm_mon = Int32(day.month - 1)
        t.tm_mday = Int32(day.day)
        t.tm_hour = Int32(h)
        t.tm_min = Int32(m)
        t.tm_sec = Int32(s)
        return Date(timeIntervalSince1970: Double(timegm(&t)) + Double(ms) / 1000)
    }

    static func iso(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        let ms = Int((date.timeIntervalSince1970 - Double(t)) * 1000)
        func pad(_ v: Int32, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(pad(Int32(ms), 3))Z"
    }
}
