import SystemPackage
import ZwgkFormats

#if canImport(Glibc)
import Glibc
#endif

/// A new file (or standard output) written as a stream of text: buffered, hashed (SHA-256) as it goes,
/// synced when finished. Reports of thousands of units are written this way, never held whole in memory.
public final class FileTextStream: TextOutputStream {
    let path: String
    private let fd: FileDescriptor
    /// A file of its own, closed and synced at the end; not so standard output.
    private let owned: Bool
    private var buffer: [UInt8] = []
    private var hash = ContentHash()
    /// The first write error; reported by `finish`, since `write` cannot throw.
    private var failure: Errno?
    private static let flushAt = 1 << 20
    /// Fed at each flush; once it is stopped, writing ends (`finish` fails).
    private let progress: WorkProgress?

    init(creating path: String, progress: WorkProgress? = nil) throws(FS.Failure) {
        self.path = path
        self.progress = progress
        do {
            fd = try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec, .noFollow],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw FS.Failure(action: "创建", path: path, errno: error as? Errno ?? .ioError)
        }
        owned = true
        buffer.reserveCapacity(FileTextStream.flushAt + 64 * 1024)
    }

    private init(descriptor: FileDescriptor, path: String) {
        self.path = path
        fd = descriptor
        owned = false
        progress = nil
    }

    public static func standardOutput() -> FileTextStream { FileTextStream(descriptor: .standardOutput, path: "标准输出") }

    deinit { if owned { try? fd.close() } }

    public func write(_ text: String) {
        guard failure == nil else { return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= FileTextStream.flushAt { flush() }
    }

    private func flush() {
        if let progress, !progress.tick(), failure == nil { failure = .canceled }
        if owned { hash.update(buffer) }
        if failure == nil {
            do { _ = try fd.writeAll(buffer) } catch { failure = error as? Errno ?? .ioError }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and syncs the file; returns its SHA-256 (of a file of its own).
    public func finish() throws(FS.Failure) -> String {
        flush()
        if let failure { throw FS.Failure(action: "写入", path: path, errno: failure) }
        guard !owned || fsync(fd.rawValue) == 0 else { throw FS.Failure(action: "同步", path: path, errno: Errno(rawValue: errno)) }
        return hash.finalize()
    }
}
