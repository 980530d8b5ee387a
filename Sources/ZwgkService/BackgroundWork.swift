import Dispatch

/// One piece of work run on a thread of its own from the moment it is made; `result()` waits for it.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the work's thread before `done` is signalled; read only after waiting on `done`.
    private var outcome: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async {
            self.outcome = Result { try work() }
            self.done.signal()
        }
    }

    /// Waits for the work (once; later calls return the same) and gives its value or throws its error.
    func result() throws -> Value {
        // Signalled again after each wait, so that every later call passes too.
        done.wait()
        done.signal()
        return try outcome!.get()
    }
}
