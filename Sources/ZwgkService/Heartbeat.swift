import Synchronization

/// When the ingest loop last showed life, for the watchdog: idle, or busy but making progress.
final class Heartbeat: Sendable {
    private let clock: any ServiceClock
    private let state: Mutex<(busy: Bool, last: Duration)>
    private let readySent = Atomic<Bool>(false)

    init(clock: any ServiceClock) {
        self.clock = clock
        state = Mutex((false, clock.uptime))
    }

    /// READY was sent: from now on the watchdog is fed. (Not before: a WATCHDOG=1 during the start would start
    /// systemd's count there, and the start may check a large backlog with `TimeoutStartSec` as its limit.)
    func ready() { readySent.store(true, ordering: .releasing) }

    func begin() { state.withLock { $0 = (true, clock.uptime) } }
    func touch() { state.withLock { $0.last = clock.uptime } }
    func end() { state.withLock { $0 = (false, clock.uptime) } }

    /// Whether to feed the watchdog: once READY was sent, when idle, or when the current pass made progress
    /// within `window`.
    func alive(within window: Duration) -> Bool {
        readySent.load(ordering: .acquiring) && state.withLock { !$0.busy || clock.uptime - $0.last < window }
    }
}
