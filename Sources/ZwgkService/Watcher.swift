import CShims
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What the kernel said about `incoming/`.
enum WatchEvent: Sendable {
    /// Names closed after writing or moved in, in the order the kernel reported them.
    case arrived([String])
    /// The kernel's queue overflowed: some names were lost, so the folder must be scanned.
    case overflow
    /// The watched folder was removed or moved away.
    case folderGone
    /// Reading the kernel's events failed (the text says how): the watch has ended and must be set up again.
    case failed(String)
}

/// Watches one folder with inotify (close-after-write and moved-in) on a thread of its own,
/// which blocks in poll(2) and so costs nothing while the folder is quiet.
final class Watcher: Sendable {
    /// The pipe's write end, which stops the thread; nil once cancelled, so a second `cancel` never touches
    /// a descriptor number that may since belong to something else.
    private let stopWriter: Mutex<Int32?>

    /// Starts watching `folder`; `deliver` is called from the watcher's thread.
    init(folder: String, deliver: @escaping @Sendable (WatchEvent) -> Void) throws(ServiceError) {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw ServiceError(.watch, "无法启用 inotify:\(String(cString: strerror(errno)))。可改用 watch = \"poll\"") }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR | IN_DELETE_SELF | IN_MOVE_SELF)
        guard inotify_add_watch(fd, folder, mask) >= 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw ServiceError(.watch, "无法监视目录 \(folder):\(message)。可改用 watch = \"poll\"")
        }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            close(fd)
            throw ServiceError(.watch, "无法创建管道:\(String(cString: strerror(errno)))")
        }
        for p in pipeFDs { _ = fcntl(p, F_SETFD, FD_CLOEXEC) }
        stopWriter = Mutex(pipeFDs[1])
        let stopFD = pipeFDs[0]
        let thread = Thread { Watcher.readLoop(fd, stopFD, deliver) }
        thread.name = "zwgk-inotify"
        thread.start()
    }

    /// Stops the thread (which then closes the inotify descriptor and the pipe's read end) and closes the
    /// pipe's write end. Safe to call more than once.
    func cancel() {
        guard
            let writer = stopWriter.withLock({ w -> Int32? in
                defer { w = nil }
                return w
            })
        else { return }
        var byte: UInt8 = 1
        _ = write(writer, &byte, 1)
        close(writer)
    }

    /// Whether the `watch-read` fault has fired (once per process).
    private static let faulted = Atomic<Bool>(false)

    private static func readLoop(_ fd: Int32, _ stopFD: Int32, _ deliver: @Sendable (WatchEvent) -> Void) {
        defer {
            close(fd)
            close(stopFD)
        }
        let header = Int(zwgk_inotify_event_size())
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return deliver(.failed("poll: \(String(cString: strerror(errno)))"))
            }
            if fds[1].revents != 0 { return }
            // `ZWGK_FAULT=watch-read`: the first read fails, so that the restart of the watch can be tested.
            if Fault.point == "watch-read" && !Watcher.faulted.exchange(true, ordering: .relaxed) {
                return deliver(.failed("read: \(String(cString: strerror(EIO)))"))
            }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n <= 0 {
                if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                return deliver(.failed(n == 0 ? "read: 0" : "read: \(String(cString: strerror(errno)))"))
            }
            var names: [String] = []
            var offset = 0
            while offset + header <= n {
                let (mask, length) = buffer.withUnsafeBytes { raw -> (UInt32, Int) in
                    (
                        raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                        Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    )
                }
                if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    deliver(.overflow)
                } else if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
                    deliver(.folderGone)
                } else if length > 0 {
                    let bytes = buffer[(offset + header)..<(offset + header + length)].prefix { $0 != 0 }
                    if let name = String(validating: bytes, as: UTF8.self) {
                        names.append(name)
                    } else {
                        deliver(.overflow)  // a name that is not UTF-8: the scan renames it to a readable one
                    }
                }
                offset += header + length
            }
            if !names.isEmpty { deliver(.arrived(names)) }
        }
    }
}
