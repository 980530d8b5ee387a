import Dispatch

/// Runs a test body that blocks for long (driving processes, waiting for them) on a thread of its own, in the
/// test's own task, so that it does not hold one of Swift's cooperative threads (one a core) for minutes while
/// async tests — a service running in the test process — need them.
public func blocking<T>(_ body: () throws -> T) async rethrows -> T {
    try await withTaskExecutorPreference(OwnThread()) { try body() }
}

/// Runs an async test body, and every task it starts, on a thread of its own: a service under test and the test
/// polling it then need no thread of Swift's cooperative pool, which blocking tests elsewhere in a full run can
/// hold for minutes (the time a test waits counts against its time limit and its polls' deadlines).
public func onOwnThread<T>(_ body: () async throws -> T) async rethrows -> T {
    try await withTaskExecutorPreference(OwnThread()) { try await body() }
}

/// A task executor with a thread of its own (a serial dispatch queue).
final class OwnThread: TaskExecutor {
    private let queue = DispatchQueue(label: "zwgk.test.blocking")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
