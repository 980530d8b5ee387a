import Synchronization

/// Work waiting for the ingest loop, filled from the watcher's thread, timers and signals.
/// Wake-ups collapse: however many arrive during a pass, the next pass takes all the work at once.
final class WorkQueue: Sendable {
    struct Work {
        var names: [String] = []
        var seen: Set<String> = []
        var scan = false
        var reload = false
        /// Only the STATUS line needs refreshing.
        var refresh = false
        /// A snapshot may have fallen due.
        var snapshots = false
        /// Rectification deadlines are to be checked (the daily check, or a recount after arrivals).
        var deadlines = false
        /// The watched folder went away: watch it again once it is back.
        var rewatch = false
    }

    private let work = Mutex(Work())
    private let continuation: AsyncStream<Void>.Continuation
    let wakes: AsyncStream<Void>

    init() {
        (wakes, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func arrived(_ names: [String]) {
        work.withLock { w in
            for name in names where Spool.isReady(name) && w.seen.insert(name).inserted { w.names.append(name) }
        }
        continuation.yield()
    }

    func scan() {
        work.withLock { $0.scan = true }
        continuation.yield()
    }

    func reload() {
        work.withLock { $0.reload = true }
        continuation.yield()
    }

    func refresh() {
        work.withLock { $0.refresh = true }
        continuation.yield()
    }

    func folderGone() {
        work.withLock {
            $0.rewatch = true
            $0.scan = true
        }
        continuation.yield()
    }

    func snapshots() {
        work.withLock { $0.snapshots = true }
        continuation.yield()
    }

    func deadlines() {
        work.withLock { $0.deadlines = true }
        continuation.yield()
    }

    /// Ends `wakes`: the loop stops once the pass in hand is done.
    func finish() { continuation.finish() }

    func take() -> Work {
        work.withLock { w in
            let taken = w
            w = Work()
            return taken
        }
    }
}
