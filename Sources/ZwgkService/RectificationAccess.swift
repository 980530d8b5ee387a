public import Foundation
public import Ledger
public import RubricEngine

extension LedgerAccess {
    /// The 整改台账 of `rubric`'s year on `day`, read from the ledger one record at a time (empty when there
    /// is no ledger yet).
    public static func rectification(_ config: Config, rules: Rules, rubric: Rubric, asOf day: Day) throws -> RectificationList {
        try book(of: open(config, readOnly: true), rules: rules, rubric: rubric).list(asOf: day)
    }

    /// The book of `rubric`'s year from `ledger` (none: an empty book).
    static func book(of ledger: Ledger?, rules: Rules, rubric: Rubric, progress: WorkProgress = WorkProgress()) throws -> RectificationBook {
        var book = RectificationBook(rubric: rubric, roster: rules.roster, policy: rules.rectification)
        var read = 0
        try ledger?.forEachEntry(year: rubric.year) { entry, _ in
            read += 1
            if read & 4095 == 0 { progress.tick() }
            if progress.isStopped { return }
            book.add(entry)
        }
        return book
    }

    /// Items overdue on `day`, over every year with both a rubric and records.
    /// `progress` is fed as the ledger is read; a stop ends the count between years (throwing `Stopping`).
    static func overdue(
        in ledger: Ledger?, rules: Rules, asOf day: Day,
        progress: WorkProgress = WorkProgress()
    ) throws -> [(year: Int, row: RectificationRow)] {
        guard let ledger else { return [] }
        var out: [(Int, RectificationRow)] = []
        for year in try ledger.years() {
            guard let rubric = rules.rubrics[year] else { continue }
            try progress.step()
            let book = try book(of: ledger, rules: rules, rubric: rubric, progress: progress)
            try progress.step()  // (a book cut short by a stop is not counted)
            let list = book.list(asOf: day)
            out += list.rows.filter { $0.status.state == .overdue }.map { (year, $0) }
        }
        return out
    }
}

/// Calendar days in the configured time zone: "today" for deadlines and `zwgk status`.
public enum LocalDay {
    /// The day `moment` falls on in `timeZone` (UTC when the name is unknown).
    public static func of(_ moment: Date, timeZone: String) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: moment)
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}
