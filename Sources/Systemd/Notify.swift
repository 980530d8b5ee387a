import CSystemd
import ZwgkFormats

#if canImport(Glibc)
import Glibc
#endif

/// The service manager's notification protocol (sd_notify), through libsystemd.
/// Outside systemd (no `NOTIFY_SOCKET`) every call is silently skipped.
public enum Notify {
    /// Whether a service manager listens.
    public static var isActive: Bool { getenv("NOTIFY_SOCKET") != nil }

    /// Sends newline-separated `FIELD=value` assignments; true when a manager received them.
    @discardableResult
    public static func send(_ assignments: String) -> Bool {
        guard isActive else { return false }
        return sd_notify(0, assignments) > 0
    }

    public static func ready(status: String) { send("READY=1\nSTATUS=\(oneLine(status))") }
    public static func status(_ text: String) { send("STATUS=\(oneLine(text))") }
    public static func stopping() { send("STOPPING=1") }
    public static func watchdog() { send("WATCHDOG=1") }

    /// `RELOADING=1` with the `MONOTONIC_USEC` newer managers use to match it with the following `READY=1`.
    public static func reloading() { send("RELOADING=1\nMONOTONIC_USEC=\(monotonicMicroseconds())") }

    /// Asks for more start-up (or shut-down) time while long work runs.
    public static func extendTimeout(seconds: Int) { send("EXTEND_TIMEOUT_USEC=\(UInt64(seconds) * 1_000_000)") }

    /// The watchdog interval the manager expects pings within, if it set one for this process.
    public static func watchdogInterval() -> Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(usec))
    }

    static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }

    /// One line, so that no text can add an assignment of its own: line breaks become spaces, other control
    /// characters are escaped.
    static func oneLine(_ s: String) -> String {
        ControlText.escaped(String(s.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 }))
    }
}
