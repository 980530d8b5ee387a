import Foundation
import Ledger
import Logging
import Synchronization

/// The tamper check (`Integrity`, as `zwgk verify` runs it) the daemon runs once at start, on a thread
/// of its own with its own read-only ledger connection, so a large ledger does not hold up the spool.
/// Its verdict is logged (an `integrityFailed` event when it fails) and kept for `zwgk status`.
final class StartupCheck: Sendable {
    enum Verdict: Equatable {
        case running
        case passed
        /// What the check found, in words for `zwgk status`.
        case failed(String)
        /// The ledger could not be read now: no verdict on tampering.
        case unfinished
    }

    private let verdict = Mutex<Verdict>(.running)

    /// What the check found, in words for `zwgk status`; nil while running or when all is well.
    var problem: String? {
        if case .failed(let text) = verdict.withLock({ $0 }) { return text }
        return nil
    }

    /// Whether snapshots may be written from the ledger: not while the check runs, nor after it found tampering
    /// (a snapshot written then would agree with the tampered ledger).
    var allowsSnapshots: Bool {
        switch verdict.withLock({ $0 }) {
        case .passed, .unfinished: true
        case .running, .failed: false
        }
    }

    /// Starts the check of `config`'s ledger and reports; `done` is called once it has finished. Its duration
    /// (for the log) is read from `clock`.
    init(config: Config, logger: Logger, clock: any ServiceClock, done: @escaping @Sendable () -> Void) {
        Thread.detachNewThread { [self] in
            let started = clock.uptime
            do {
                let ledger = try LedgerAccess.open(config, readOnly: true)
                let result = try Integrity.check(ledger: ledger, reports: config.reports, timeZone: config.timeZone)
                let elapsed = clock.uptime - started
                let seconds = String(format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                if result.ok && !result.complete {
                    // Not a verdict on tampering either: some files could not be read now.
                    logger.warning("完整性校验未能完成:\(result.unreadable.count) 个文件无法读取:\(result.unreadable.prefix(3).joined(separator: ";"))")
                    self.verdict.withLock { $0 = .unfinished }
                } else if result.ok {
                    logger.info("完整性校验通过:\(result.summary),用时 \(seconds) 秒")
                    self.verdict.withLock { $0 = .passed }
                } else {
                    let text =
                        "完整性校验发现 \(result.problems.count) 个问题(账本或报告在 zwgk 之外被改动过):"
                        + result.problems.prefix(3).joined(separator: ";") + (result.problems.count > 3 ? " 等" : "")
                        + "。运行 zwgk verify 查看全部;查明并恢复前不生成定期快照"
                    logger.error(
                        "\(text)",
                        metadata: Event.integrityFailed.metadata([
                            "problems": "\(result.problems.count)", "first_problem": "\(result.problems[0])",
                        ]))
                    self.verdict.withLock { $0 = .failed(text) }
                }
            } catch {
                // Not a verdict on tampering: the ledger could not be read now (the daemon's own passes say why).
                logger.warning("完整性校验未能完成:\(error)")
                self.verdict.withLock { $0 = .unfinished }
            }
            done()
        }
    }
}
