import CShims
public import Foundation
public import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Small, explicit file-system steps with the durability zwgk needs (fsync, no-replace renames), on
/// swift-system's descriptors and errno. CShims adds what swift-system lacks: renameat2 and read leases.
public enum FS {
    /// A failed step: what was done, to which path, and the system's errno.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var action: String
        public var path: String
        public var errno: Errno
        public var description: String { "\(action) \(path) 失败:\(String(cString: strerror(errno.rawValue)))" }
        /// The disk (or the user's quota) is full.
        public var isDiskFull: Bool { errno == .noSpace || errno == .diskQuotaExceeded }
    }

    /// What is at a path, without following a symbolic link.
    public enum Kind: Equatable, Sendable {
        case regular(size: Int)
        case directory
        case symlink
        case special
        case missing
    }

    public static func kind(_ path: String) -> Kind {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular(size: Int(st.st_size))
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .special
        }
    }

    private static func open(
        _ path: String, _ mode: FileDescriptor.AccessMode, _ options: FileDescriptor.OpenOptions,
        action: String
    ) throws(Failure) -> FileDescriptor {
        do {
            return try FileDescriptor.open(
                FilePath(path), mode, options: options.union(.closeOnExec),
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw Failure(action: action, path: path, errno: error as? Errno ?? .ioError)
        }
    }

    /// Whether some process still has the file open for writing. Uses a read lease where the kernel
    /// allows one (owner or CAP_LEASE); otherwise takes a file changed in the last second as still being written.
    static func stillBeingWritten(_ path: String, now: Date) -> Bool {
        guard let fd = try? open(path, .readOnly, [.nonBlocking, .noFollow], action: "打开") else { return false }
        defer { try? fd.close() }
        switch zwgk_open_for_writing(fd.rawValue) {
        case 0: return false
        case 1: return true
        default:
            var st = stat()
            guard fstat(fd.rawValue, &st) == 0 else { return false }
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

    /// Reads a configuration file (zwgk.toml, the units file): a link is followed, anything but a regular
    /// file is refused without blocking (a FIFO, a device), and at most `limit` + 1 bytes are read, so that a
    /// file over the limit is known as such.
    public static func readSetting(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        let fd = try open(path, .readOnly, [.nonBlocking], action: "打开")
        defer { try? fd.close() }
        return try readOpened(fd, path, limit: limit).bytes
    }

    /// Reads a regular file without following links or blocking on FIFOs; at most `limit` bytes. `links` is
    /// the file's number of hard links, as seen on the file opened.
    static func read(_ path: String, limit: Int) throws(Failure) -> (bytes: [UInt8], links: Int) {
        let fd = try open(path, .readOnly, [.noFollow, .nonBlocking], action: "打开")
        defer { try? fd.close() }
        return try readOpened(fd, path, limit: limit)
    }

    /// Reads the open file `fd` (`path`), which must be a regular file: at most `limit` + 1 bytes.
    private static func readOpened(_ fd: FileDescriptor, _ path: String, limit: Int) throws(Failure) -> (bytes: [UInt8], links: Int) {
        var st = stat()
        guard fstat(fd.rawValue, &st) == 0 else { throw Failure(action: "读取属性", path: path, errno: Errno(rawValue: Glibc.errno)) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw Failure(action: "读取", path: path, errno: .invalidArgument) }
        var bytes = [UInt8](repeating: 0, count: min(Int(st.st_size), limit) + 1)
        var total = 0
        do {
            while total < bytes.count {
                let n = try bytes.withUnsafeMutableBytes { try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[total...])) }
                if n == 0 { break }
                total += n
            }
        } catch {
            throw Failure(action: "读取", path: path, errno: error as? Errno ?? .ioError)
        }
        bytes.removeSubrange(total...)
        return (bytes, Int(st.st_nlink))
    }

    /// Writes a string's UTF-8 atomically.
    public static func writeAtomically(_ path: String, _ text: String, syncFolder: Bool = true) throws(Failure) {
        try writeAtomically(path, Array(text.utf8), syncFolder: syncFolder)
    }

    /// Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], syncFolder: Bool = true) throws(Failure) {
        let file = FilePath(path)
        let folder = file.removingLastComponent().string
        let temp = (folder.isEmpty ? "" : folder + "/") + temporaryName(for: file.lastComponent?.string ?? path)
        let fd = try open(temp, .writeOnly, [.create, .truncate, .noFollow], action: "创建")
        do throws(Failure) {
            do { _ = try fd.writeAll(bytes) } catch { throw Failure(action: "写入", path: temp, errno: error as? Errno ?? .ioError) }
            guard fsync(fd.rawValue) == 0 else { throw Failure(action: "同步", path: temp, errno: Errno(rawValue: Glibc.errno)) }
            try? fd.close()
            guard rename(temp, path) == 0 else { throw Failure(action: "重命名", path: path, errno: Errno(rawValue: Glibc.errno)) }
        } catch {
            try? fd.close()
            unlink(temp)
            throw error
        }
        if syncFolder { try syncDirectory(folder.isEmpty ? "." : folder) }
    }

    /// The hidden name a file called `name` is written under before it is renamed into place:
    /// `.NAME.PID.tmp`, or, when that would pass the 255 bytes a name may have, `NAME` shortened and
    /// followed by a hash of the whole (so that two long names never share a temporary name).
    static func temporaryName(for name: String) -> String {
        let end = ".\(getpid()).tmp"
        if 1 + name.utf8.count + end.utf8.count <= 255 { return "." + name + end }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for b in name.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        let tag = "." + String(hash, radix: 16)
        return "." + FileName.shortened(name, toFit: 255 - 1 - tag.utf8.count - end.utf8.count) + tag + end
    }

    static func syncDirectory(_ path: String) throws(Failure) {
        let fd = try open(path, .readOnly, .directory, action: "打开目录")
        defer { try? fd.close() }
        guard fsync(fd.rawValue) == 0 else { throw Failure(action: "同步目录", path: path, errno: Errno(rawValue: Glibc.errno)) }
    }

    /// Renames without ever replacing an existing entry; false when the target exists.
    static func renameNoReplace(_ from: String, _ to: String) throws(Failure) -> Bool {
        if zwgk_rename_noreplace(from, to) == 0 { return true }
        if Glibc.errno == EEXIST { return false }
        throw Failure(action: "移动", path: from, errno: Errno(rawValue: Glibc.errno))
    }

    /// Swaps two existing paths in one step.
    static func exchange(_ a: String, _ b: String) throws(Failure) {
        guard zwgk_rename_exchange(a, b) == 0 else { throw Failure(action: "替换", path: b, errno: Errno(rawValue: Glibc.errno)) }
    }

    /// Creates `path` and any missing parents (mkdir -p), with errno in any failure.
    public static func makeDirectory(_ path: String) throws(Failure) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && Glibc.errno != EEXIST {
                throw Failure(action: "创建目录", path: prefix, errno: Errno(rawValue: Glibc.errno))
            }
        }
        guard case .directory = kind(path) else { throw Failure(action: "创建目录", path: path, errno: .notDirectory) }
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
    public static func list(_ path: String) -> [String]? {
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
