import CShims
import Ledger
import Logging
import RubricEngine

/// The work that falls due besides files: the scheduled snapshots and the rectification deadline count.
extension SpoolService {
    /// Writes every due snapshot that is missing (a failure is logged and retried at the next wake).
    func writeDueSnapshots() {
        guard startupCheck?.allowsSnapshots ?? false else { return }
        var writer = SnapshotWriter(root: config.reports)
        writer.progress = progress
        let scheduler = SnapshotScheduler(schedule: config.schedule, writer: writer)
        do {
            var skipped: [Period] = []
            defer { skippedSnapshots = skipped.map(\.description) }
            let written = try scheduler.catchUp(
                now: clock.now, rules: daemon.ingest.rules, ledger: daemon.ingest.ledger,
                notes: daemon.notes, skipped: &skipped)
            for period in written {
                logger.info(
                    "已生成 \(period) 快照",
                    metadata: Event.snapshotWritten.metadata([
                        "period": "\(period)",
                        "folder": "\(scheduler.writer.folder(period))",
                    ]))
                lastStatusIsCurrent = false
            }
            // A large year's snapshot takes a few hundred MB for a few seconds: hand them back to the system
            // rather than keep them through months of idling.
            if !written.isEmpty { zwgk_trim_heap() }
        } catch is Stopping {
            logger.info("服务正在停止,未写完的快照已删除,下次启动时重新生成")
        } catch {
            logger.error("生成快照失败,稍后重试:\(error)", metadata: ["unhealthy": "snapshot"])
            health.lastError = "生成快照失败:\(error)"
            health.lastErrorAt = Timestamp.iso(clock.now)
        }
    }

    /// Counts the overdue rectification items and announces newly missed deadlines (a failure is logged and
    /// retried at the next check).
    func checkDeadlines() {
        do {
            try deadlines.check(ledger: daemon.ingest.ledger, rules: daemon.ingest.rules, timeZone: config.timeZone, progress: progress)
            health.overdue = deadlines.overdue
        } catch is Stopping {
            deadlines.recordsAdded()  // not counted: count again at the next start
        } catch {
            logger.error("检查整改期限失败,稍后重试:\(error)")
            health.lastError = "检查整改期限失败:\(error)"
            health.lastErrorAt = Timestamp.iso(clock.now)
        }
    }
}
