import Ledger
import Systemd

extension SpoolService {
    /// Sends STATUS= at most once a second; a skipped update is sent by the one trailing refresh, which
    /// always sends (else a refresh landing just inside the second would reschedule itself forever).
    func sendStatus(trailing: Bool = false) {
        guard trailing || clock.uptime - statusSentAt >= .seconds(1) else {
            lastStatusIsCurrent = false
            return
        }
        let line = statusLine()
        if line != lastStatus { Notify.status(line) }
        lastStatus = line
        statusSentAt = clock.uptime
        lastStatusIsCurrent = true
    }

    /// The one-line status, worded exactly as the summary line of `zwgk status`.
    func statusLine() -> String {
        let today =
            (try? daemon.ingest.ledger.counts(since: Timestamp.iso(StatusReport.startOfDay(clock.now, timeZone: config.timeZone))))
            ?? FileCounts()
        let snapshot = SnapshotWriter(root: config.reports).latest().map { "\($0.0)" }
        let skipped = CrashNotes.skippedText(skippedSnapshots)
        return StatusReport.summary(
            problem: health.problem ?? health.integrity ?? skipped, backlog: daemon.spool.readyNames().count, today: today,
            lastSnapshot: snapshot, overdue: deadlines.overdue ?? 0)
    }
}
