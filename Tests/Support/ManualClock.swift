public import Foundation
import Synchronization
public import ZwgkService

/// A clock that moves only when the test says so: `advance(by:)` moves both the wall clock and uptime,
/// and wakes every sleeper whose time has come. The service runs a year of timers in milliseconds.
public final class ManualClock: ServiceClock {
    private struct Sleeper {
        var id: Int
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var uptime: Duration = .zero
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    public init(now: Date) { state = Mutex(State(now: now)) }

    public var now: Date { state.withLock { $0.now } }
    public var uptime: Duration { state.withLock { $0.uptime } }

    /// How many tasks are sleeping on this clock now.
    public var sleepers: Int { state.withLock { $0.sleepers.count } }

    public func sleep(for duration: Duration) async throws {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { s in
                    if duration <= .zero || Task.isCancelled { return true }
                    s.sleepers.append(Sleeper(id: id, deadline: s.uptime + duration, continuation: continuation))
                    return false
                }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { s -> Sleeper? in
                guard let i = s.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return s.sleepers.remove(at: i)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes the sleepers that are due.
    public func advance(by duration: Duration) {
        let due = state.withLock { s -> [Sleeper] in
            s.uptime += duration
            let (seconds, attoseconds) = duration.components
            s.now = s.now.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
            let due = s.sleepers.filter { $0.deadline <= s.uptime }
            s.sleepers.removeAll { $0.deadline <= s.uptime }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
