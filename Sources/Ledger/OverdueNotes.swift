public import RubricEngine

/// A missed rectification deadline: one item (target and unit) of a year, and the deadline it missed.
public struct MissedDeadline: Hashable, Sendable {
    public var year: Int
    public var target: String
    public var unit: String
    public var deadline: Day

    public init(year: Int, target: String, unit: String, deadline: Day) {
        self.year = year
        self.target = target
        self.unit = unit
        self.deadline = deadline
    }
}

// MARK: - Overdue items announced: so that each missed deadline is told once, across restarts

extension Ledger {
    /// The missed deadlines of `year` already announced.
    public func announcedOverdue(year: Int) throws(LedgerError) -> Set<MissedDeadline> {
        do {
            return try db.withStatement("SELECT target, unit, deadline FROM overdue_announced WHERE year = ?") { s in
                try s.bind([.int(year)])
                var out = Set<MissedDeadline>()
                while try s.step() {
                    guard let day = Day(s.text(2) ?? "") else { throw LedgerRecordError(field: "deadline") }
                    out.insert(MissedDeadline(year: year, target: s.text(0) ?? "", unit: s.text(1) ?? "", deadline: day))
                }
                return out
            }
        } catch {
            throw fail("读取逾期通知记录", error)
        }
    }

    /// Notes missed deadlines as announced at `at` (ISO 8601 UTC), in one durable transaction; any already
    /// noted are left as they are.
    public func noteAnnounced(_ missed: [MissedDeadline], at: String) throws(LedgerError) {
        guard !missed.isEmpty else { return }
        do {
            try db.transaction {
                try db.withStatement(
                    """
                    INSERT OR IGNORE INTO overdue_announced(year, target, unit, deadline, announced_at) VALUES (?, ?, ?, ?, ?)
                    """
                ) { s in
                    for m in missed {
                        try s.bind([.int(m.year), .text(m.target), .text(m.unit), .text(m.deadline.description), .text(at)]).run()
                    }
                }
            }
        } catch {
            throw fail("记录逾期通知", error)
        }
    }
}
