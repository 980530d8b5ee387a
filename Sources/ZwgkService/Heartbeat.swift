import Synchronization

/// When the ingest loop last showed life, for the watchdog: idle, or busy but making progress.
final class Heartbeat: Sendable {
    private let clock: any ServiceClock
    private let state: Mutex<(busy: Bool, last: Duration)>

    init(clock: any ServiceClock) {
        self.clock = clock
        state = Mutex((false, clock.uptime))
    }

    func begin() { state.withLock { $0 = (true, clock.uptime) } }
    func touch() { state.withLock { $0.last = clock.uptime } }
    func end() { state.withLock { $0 = (false, clock.uptime) } }

    /// Healthy when idle, or when the current pass made progress within `window`.
    func alive(within window: Duration) -> Bool {
        state.withLock { !$0.busy || clock.uptime - $0.last < window }
    }
}
