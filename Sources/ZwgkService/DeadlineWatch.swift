import Foundation
import Ledger
import Logging
import RubricEngine

/// The daemon's watch on rectification deadlines: how many items are overdue today (for STATUS and `zwgk
/// status`), and one journal event for each deadline missed, once, across restarts (noted in the ledger).
///
/// It checks at start, at `snapshot_time` each day, and after records that can change the 整改台账 arrive; a
/// check reads the ledger, so after arrivals it waits until twenty times the last check's duration has passed
/// since it (at most one check in twenty-one of the daemon's time on a busy large ledger, at once on a small one).
final class DeadlineWatch {
    private let logger: Logger
    private let clock: any ServiceClock
    /// Items overdue at the last check; nil before the first.
    private(set) var overdue: Int?
    /// Records arrived since the last check.
    private var stale = false
    private var lastCheck: (at: Duration, took: Duration)?

    init(logger: Logger, clock: any ServiceClock) {
        self.logger = logger
        self.clock = clock
    }

    /// Asks `queue` for a check once a day at the schedule's time of day (a second after, so that the day has
    /// turned), until cancelled: the daemon's only wake-up for deadlines while idle.
    static func daily(_ schedule: Schedule, clock: any ServiceClock, queue: WorkQueue) async {
        while !Task.isCancelled {
            let now = clock.now
            try? await clock.sleep(for: .seconds(schedule.nextDaily(after: now).timeIntervalSince(now) + 1))
            queue.deadlines()
        }
    }

    /// Records were added: the count may have changed.
    func recordsAdded() { stale = true }

    /// Seconds to wait before a check after arrivals may run: nil when none is needed, 0 when it may run now.
    var refreshIn: Double? {
        guard stale else { return nil }
        guard let last = lastCheck else { return 0 }
        let wait = last.took * 20 - (clock.uptime - last.at)
        return wait <= .zero ? 0 : Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
    }

    /// Counts the items overdue today (in the configured time zone) and announces each newly missed deadline.
    /// `progress` is fed as the ledger is read; a stop ends the check (throwing `Stopping`), nothing noted.
    func check(ledger: Ledger, rules: Rules, timeZone: String, progress: WorkProgress = WorkProgress()) throws {
        let started = clock.uptime
        let today = LocalDay.of(clock.now, timeZone: timeZone)
        stale = false
        let overdue = try LedgerAccess.overdue(in: ledger, rules: rules, asOf: today, progress: progress)
        var announced: [Int: Set<MissedDeadline>] = [:]
        var fresh: [(MissedDeadline, RectificationRow)] = []
        for (year, row) in overdue {
            guard let deadline = row.status.deadline else { continue }
            if announced[year] == nil { announced[year] = try ledger.announcedOverdue(year: year) }
            let missed = MissedDeadline(year: year, target: row.item.target, unit: row.item.unit, deadline: deadline)
            if !announced[year]!.contains(missed) { fresh.append((missed, row)) }
        }
        // Noted first, then told: a crash in between loses an event rather than repeating it at every start.
        try ledger.noteAnnounced(fresh.map(\.0), at: Timestamp.iso(clock.now))
        for (missed, row) in fresh { announce(missed, row, today: today) }
        self.overdue = overdue.count
        lastCheck = (started, clock.uptime - started)
        logger.debug("已检查整改期限(\(today)):逾期 \(overdue.count) 项,其中新逾期 \(fresh.count) 项")
    }

    private func announce(_ missed: MissedDeadline, _ row: RectificationRow, today: Day) {
        let item = row.item
        let what = item.kind == .notice ? "通报" : "发现问题"
        // The records behind the item: the finding or notice, and the failed re-check that set this deadline, if one did.
        let ids = [item.target] + item.followUps.filter { if case .recheck(passed: false, _) = $0.kind { true } else { false } }.suffix(1).map(\.id)
        logger.notice(
            "整改逾期:\(item.unit) 的\(what) \(item.target)(\(item.indicator))整改期限 \(missed.deadline) 已过,逾期 \(row.status.daysOverdue) 天,尚未报送整改报告",
            metadata: Event.rectificationOverdue.metadata([
                "unit": "\(item.unit)", "record_ids": "\(ids.joined(separator: ","))", "target": "\(item.target)",
                "indicator": "\(item.indicator)", "deadline": "\(missed.deadline)", "days_overdue": "\(row.status.daysOverdue)",
                "as_of": "\(today)",
            ]))
    }
}
