public import Foundation

/// Time as the service sees it: the wall clock for dates ("today", receipts, the snapshot schedule), a
/// monotonic reading for intervals (the watchdog, STATUS pacing), and sleeping. The service never reads
/// the system's clocks itself, so a test can move time by hand instead of waiting.
public protocol ServiceClock: Sendable {
    /// The wall-clock time now.
    var now: Date { get }
    /// Monotonic time since an arbitrary start; never goes back.
    var uptime: Duration { get }
    /// Suspends the caller for `duration` of this clock's time; throws when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The system's clocks: `Date` and `ContinuousClock`.
public struct SystemClock: ServiceClock {
    private let start = ContinuousClock.now

    public init() {}

    public var now: Date { Date() }
    public var uptime: Duration { ContinuousClock.now - start }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
