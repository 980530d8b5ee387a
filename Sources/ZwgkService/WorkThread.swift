import Foundation
import Synchronization

/// A thread of its own for the daemon's blocking work (passes over the spool, snapshots, deadline checks), so
/// that none of it runs on Swift's cooperative pool, whose few threads (one a core) the service's timers and
/// signal handling, and a test's own tasks, need to make progress. Jobs run one at a time, in order.
final class WorkThread: Sendable {
    private let jobs = Mutex<(queue: [@Sendable () -> Void], finished: Bool)>(([], false))
    private let waiting = DispatchSemaphore(value: 0)

    init(name: String) {
        // (The thread holds this object until `finish` ends it.)
        let thread = Thread { [self] in
            while true {
                waiting.wait()
                let next = jobs.withLock { j -> (@Sendable () -> Void)? in j.queue.isEmpty ? nil : j.queue.removeFirst() }
                guard let next else { return }  // woken with nothing queued: finished
                next()
            }
        }
        thread.name = name
        thread.start()
    }

    /// Runs `work` on the thread and suspends (without blocking a cooperative thread) until it is done.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            enqueue { continuation.resume(returning: work()) }
        }
    }

    private func enqueue(_ job: @escaping @Sendable () -> Void) {
        let accepted = jobs.withLock { j in
            if !j.finished { j.queue.append(job) }
            return !j.finished
        }
        if accepted { waiting.signal() } else { job() }
    }

    /// Ends the thread once the jobs queued so far are done (a job given later runs on the caller's thread).
    func finish() {
        let first = jobs.withLock { j in
            defer { j.finished = true }
            return !j.finished
        }
        if first { waiting.signal() }
    }
}
