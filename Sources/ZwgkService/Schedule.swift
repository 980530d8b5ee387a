public import Foundation
public import Ledger
public import RubricEngine

/// When each period's snapshot is due: the day after the period ends, plus a grace period for late
/// records, at a time of day, in a time zone. Q4 and `annual` fall due together, after the year ends.
public struct Schedule: Sendable, Equatable {
    public var hour: Int
    public var minute: Int
    public var graceDays: Int
    public var timeZone: TimeZone

    public init(hour: Int = 2, minute: Int = 0, graceDays: Int = 5, timeZone: TimeZone) {
        self.hour = hour
        self.minute = minute
        self.graceDays = graceDays
        self.timeZone = timeZone
    }

    /// The moment `period`'s snapshot falls due.
    public func due(_ period: Period) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let end = period.cutoff
        let components = DateComponents(year: end.year, month: end.month, day: end.day + 1 + graceDays, hour: hour, minute: minute)
        return calendar.date(from: components)!
    }

    /// Every period of `years`, in the order they fall due.
    public func periods(years: [Int]) -> [Period] {
        years.sorted().flatMap(Schedule.allPeriods)
    }

    /// Q1…Q4 and annual of one year.
    public static func allPeriods(of year: Int) -> [Period] {
        [1, 2, 3, 4].map { Period(year: year, span: .quarter($0)) } + [Period(year: year, span: .annual)]
    }

    /// Periods of `years` due at or before `now`.
    public func due(by now: Date, years: [Int]) -> [Period] {
        periods(years: years).filter { due($0) <= now }
    }

    /// The next moment after `now` at the time of day, in the time zone: when rectification deadlines are
    /// checked each day.
    public func nextDaily(after now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.nextDate(after: now, matching: DateComponents(hour: hour, minute: minute, second: 0), matchingPolicy: .nextTime)
            ?? now.addingTimeInterval(86400)
    }

    /// The next moment after `now` when something falls due.
    public func next(after now: Date, years: [Int]) -> Date? {
        periods(years: years).map(due).filter { $0 > now }.min()
    }
}

/// Writes every due snapshot that is missing, like a persistent timer: a period counts as done only
/// once its snapshot was written completely, so downtime across a due date is caught up at start.
public struct SnapshotScheduler {
    public var schedule: Schedule
    public var writer: SnapshotWriter

    public init(schedule: Schedule, writer: SnapshotWriter) {
        self.schedule = schedule
        self.writer = writer
    }

    /// Writes the due, missing snapshots; returns the periods written. An approved (审定) year's annual
    /// snapshot is never written here: `zwgk approve` wrote it.
    public func catchUp(now: Date, rules: Rules, ledger: Ledger) throws -> [Period] {
        try catchUp(now: now, rules: rules, ledger: ledger, notes: nil)
    }

    /// As `catchUp(now:rules:ledger:)`, noting in `notes` the period being written, and skipping one the daemon
    /// died on twice (those go into `skipped`).
    func catchUp(now: Date, rules: Rules, ledger: Ledger, notes: CrashNotes?, skipped: inout [Period]) throws -> [Period] {
        var written: [Period] = []
        for period in schedule.due(by: now, years: Array(rules.rubrics.keys)) where !writer.exists(period) {
            if period.span == .annual, try ledger.approval(year: period.year) != nil { continue }
            let subject = CrashNotes.Subject.snapshot(period: "\(period)")
            if let notes, notes.isSetAside(subject) {
                skipped.append(period)
                continue
            }
            notes?.begin(subject)
            defer { notes?.end() }
            Fault.crash(at: "snapshot-writing:\(period)")
            let outcome = try writer.write(period, rules: rules, ledger: ledger, force: false, now: now)
            try notes?.done(subject)
            if case .written = outcome { written.append(period) }
        }
        return written
    }

    func catchUp(now: Date, rules: Rules, ledger: Ledger, notes: CrashNotes?) throws -> [Period] {
        var skipped: [Period] = []
        return try catchUp(now: now, rules: rules, ledger: ledger, notes: notes, skipped: &skipped)
    }
}
