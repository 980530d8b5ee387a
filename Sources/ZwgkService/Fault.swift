import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Faults the tests inject through the environment: `ZWGK_FAULT=POINT` kills the process with SIGKILL
/// when it reaches that point, so crash safety is tested at chosen moments. Unset in production. Points name a
/// step (`after-commit`), or a step and its subject (`deciding:NAME` for one drop file, `snapshot-writing:2023-Q1`).
enum Fault {
    static let point = ProcessInfo.processInfo.environment["ZWGK_FAULT"]

    /// Dies here when the fault names `point`.
    static func crash(at point: String) {
        if Fault.point == point { kill(getpid(), SIGKILL) }
    }
}
