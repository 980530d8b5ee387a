import Synchronization

/// Long work's link to the running daemon: each step it makes feeds the watchdog's heartbeat, and a stop
/// asked for (SIGTERM) ends it at its next step. Work run outside the daemon (a command) gets one that
/// feeds nothing and never stops.
final class WorkProgress: Sendable {
    private let heartbeat: Heartbeat?
    private let stopped = Atomic<Bool>(false)

    init(heartbeat: Heartbeat? = nil) { self.heartbeat = heartbeat }

    /// Asks the work to stop at its next step.
    func stop() { stopped.store(true, ordering: .relaxed) }

    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    /// Progress was made: the watchdog may be fed. Returns false once a stop was asked for.
    @discardableResult
    func tick() -> Bool {
        heartbeat?.touch()
        return !isStopped
    }

    /// A step boundary: progress was made, and the work ends here (throwing `Stopping`) once a stop was asked for.
    func step() throws(Stopping) {
        guard tick() else { throw Stopping() }
    }
}

/// The daemon is stopping: long work ended early at a step boundary, leaving nothing half-done.
struct Stopping: Error, CustomStringConvertible {
    var description: String { "服务正在停止,本次工作已中止(未留下写了一半的结果)" }
}
