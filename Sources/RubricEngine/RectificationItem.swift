/// How deadlines are set where a record gives none: `days` calendar days after the finding, notice or
/// failed re-check (`[rectification] days` in zwgk.toml); 0 sets none.
public struct RectificationPolicy: Sendable, Equatable {
    public var days: Int

    public init(days: Int = 15) { self.days = days }

    /// The default deadline for something dated `date`; nil when `days` is 0.
    public func deadline(from date: Day) -> Day? { days > 0 ? date.adding(days: days) : nil }
}

/// Where an item of the 整改台账 stands on a day.
public enum ItemState: String, Sendable, CaseIterable {
    /// Before its deadline (or with none), nothing reported.
    case open
    /// Its deadline passed with nothing reported since it opened or since its last failed re-check.
    case overdue
    /// A rectification report awaits re-check.
    case reported
    /// A re-check passed (销号).
    case closed
    /// Its finding or notice was retracted, for this unit.
    case withdrawn

    /// The state in words, for clerks.
    public var label: String {
        switch self {
        case .open: "待整改"
        case .overdue: "逾期未整改"
        case .reported: "已报待复查"
        case .closed: "已销号"
        case .withdrawn: "已撤销"
        }
    }

    /// The state a clerk names: its English name, its label, or the label's short form (逾期, 待复查, 销号, 撤销).
    public init?(word: String) {
        let short = ["逾期": ItemState.overdue, "待复查": .reported, "销号": .closed, "撤销": .withdrawn]
        guard let state = ItemState(rawValue: word.lowercased()) ?? ItemState.allCases.first(where: { $0.label == word }) ?? short[word]
        else { return nil }
        self = state
    }
}

/// A rectification report or re-check on one item, as the state machine needs it.
public struct FollowUp: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case rectification
        /// A re-check, and after a failed one the new deadline it set (nil: the default from its date).
        case recheck(passed: Bool, rectifyBy: Day?)
    }

    public var id: String
    public var date: Day
    public var kind: Kind
    /// In words: a report's measures (整改措施), a re-check's note (复查意见).
    public var text: String?

    public init(id: String, date: Day, kind: Kind, text: String? = nil) {
        self.id = id
        self.date = date
        self.kind = kind
        self.text = text
    }

    /// A rectification report or re-check as the state machine sees it, with its words; nil for other records.
    public init?(record: Record) {
        switch record {
        case .rectification(let r): self.init(id: r.id, date: r.date, kind: .rectification, text: r.measures)
        case .recheck(let r): self.init(id: r.id, date: r.date, kind: .recheck(passed: r.passed, rectifyBy: r.rectifyBy), text: r.note)
        default: return nil
        }
    }
}

/// An item of the 整改台账 on a day: its state, the deadline in force, and when it was reported and closed.
public struct ItemStatus: Sendable, Equatable {
    public var state: ItemState
    /// The deadline in force: the first one, or the one a failed re-check set. nil: none.
    public var deadline: Day?
    /// The rectification awaiting re-check (or the one that closed the item) came after the deadline.
    public var late: Bool
    /// Days past the deadline, for an overdue item; else 0.
    public var daysOverdue: Int
    /// The first rectification report since the item opened or since its last failed re-check.
    public var reported: Day?
    /// The re-check that closed the item.
    public var closed: Day?

    public init(state: ItemState, deadline: Day?, late: Bool = false, daysOverdue: Int = 0, reported: Day? = nil, closed: Day? = nil) {
        self.state = state
        self.deadline = deadline
        self.late = late
        self.daysOverdue = daysOverdue
        self.reported = reported
        self.closed = closed
    }
}

/// One item of the 整改台账: a deducting finding, or one unit named by a notice, with everything done about
/// it since. Its state on any day is a function of these records and the day alone (``status(asOf:policy:)``).
public struct RectificationItem: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case finding
        case notice
    }

    /// The finding's or notice's id.
    public var target: String
    public var unit: String
    public var kind: Kind
    /// The row it deducts on (for a notice, the 检查通报情况 row of its level).
    public var indicator: String
    /// The clause, for a finding on a row with several.
    public var clause: String?
    /// The finding's or notice's date: the item opens that day.
    public var date: Day
    /// The deadline the finding or notice set itself.
    public var rectifyBy: Day?
    /// What was wrong, in the inspector's words: the finding's note (备注), the notice's title (标题).
    public var problem: String?
    /// Rectification reports and re-checks, in arrival order (their dates never go back: the drop-file
    /// checks refuse one dated before the record it follows).
    public var followUps: [FollowUp] = []
    /// The retraction that withdrew it for this unit.
    public var withdrawal: Withdrawal?

    /// The measures of the latest rectification report dated by `day` (整改措施), if any.
    public func measures(asOf day: Day) -> String? {
        followUps.last { f in
            if case .rectification = f.kind { f.date <= day } else { false }
        }?.text
    }

    /// The latest re-check dated by `day`: passed or not, and its note (复查意见).
    public func lastRecheck(asOf day: Day) -> (passed: Bool, note: String?)? {
        for f in followUps.reversed() where f.date <= day { if case .recheck(let passed, _) = f.kind { return (passed, f.text) } }
        return nil
    }

    /// A retraction's id and date.
    public struct Withdrawal: Sendable, Equatable {
        public var id: String
        public var date: Day

        public init(id: String, date: Day) {
            self.id = id
            self.date = date
        }
    }

    public init(
        target: String, unit: String, kind: Kind, indicator: String, clause: String? = nil, date: Day, rectifyBy: Day? = nil,
        problem: String? = nil
    ) {
        self.target = target
        self.unit = unit
        self.kind = kind
        self.indicator = indicator
        self.clause = clause
        self.date = date
        self.rectifyBy = rectifyBy
        self.problem = problem
    }

    /// The first deadline: the record's own, else the default from its date.
    public func firstDeadline(_ policy: RectificationPolicy) -> Day? { rectifyBy ?? policy.deadline(from: date) }

    /// The item on `day`: nil before it opened. Counts the follow-ups and the retraction dated on or before `day`.
    public func status(asOf day: Day, policy: RectificationPolicy) -> ItemStatus? {
        guard date <= day else { return nil }
        let p = replay(through: day, policy: policy)
        if let w = withdrawal, w.date <= day {
            return ItemStatus(state: .withdrawn, deadline: p.deadline, late: false, reported: p.reported, closed: p.closed)
        }
        if let closed = p.closed {
            return ItemStatus(state: .closed, deadline: p.deadline, late: p.late, reported: p.reported, closed: closed)
        }
        if let reported = p.reported {
            return ItemStatus(state: .reported, deadline: p.deadline, late: p.late, reported: reported)
        }
        if let deadline = p.deadline, day > deadline {
            return ItemStatus(state: .overdue, deadline: deadline, daysOverdue: day.days(since: deadline))
        }
        return ItemStatus(state: .open, deadline: p.deadline)
    }

    /// Where the item stands after every follow-up, whatever its date: what the next one is checked against.
    public var progress: Progress {
        let p = replay(through: nil, policy: RectificationPolicy(days: 0))
        return Progress(
            closed: p.closed != nil, awaitingRecheck: p.reported != nil && p.closed == nil,
            lastDate: followUps.last?.date ?? date)
    }

    /// An item's standing for validating what comes next.
    public struct Progress: Sendable, Equatable {
        /// A re-check passed: nothing more may be recorded on it.
        public var closed: Bool
        /// A rectification was reported since the item opened or since its last re-check.
        public var awaitingRecheck: Bool
        /// The date of its latest record (the item's own date when nothing followed).
        public var lastDate: Day

        public init(closed: Bool, awaitingRecheck: Bool, lastDate: Day) {
            self.closed = closed
            self.awaitingRecheck = awaitingRecheck
            self.lastDate = lastDate
        }
    }

    private struct Replay {
        var deadline: Day?
        var reported: Day?
        var closed: Day?
        var late = false
    }

    /// Runs the follow-ups dated up to `day` (all when nil) through the state machine.
    private func replay(through day: Day?, policy: RectificationPolicy) -> Replay {
        var r = Replay(deadline: firstDeadline(policy))
        for f in followUps {
            if let day, f.date > day { break }  // dates never go back: the rest are later still
            switch f.kind {
            case .rectification:
                if r.reported == nil {
                    r.reported = f.date
                    r.late = r.deadline.map { f.date > $0 } ?? false
                }
            case .recheck(passed: true, _):
                r.closed = f.date
                return r
            case .recheck(passed: false, let rectifyBy):
                r.reported = nil
                r.late = false
                r.deadline = rectifyBy ?? policy.deadline(from: f.date)
            }
        }
        return r
    }
}

extension Rubric {
    /// Whether a finding deducts points (and so must be rectified): its clause deducts, per occurrence, once
    /// or by decision. Bonuses and assigned scores carry no deadline.
    public func deducts(_ finding: Finding) -> Bool {
        guard let clause = row(named: finding.indicator)?.clause(named: finding.clause) else { return false }
        switch clause.effect {
        case .deduct, .discretionaryDeduct: return true
        case .bonus, .discretionaryBonus: return false
        }
    }

    /// The row a notice of `level` deducts on (检查通报情况), by name.
    public func noticeRow(level: String) -> Row? {
        rows.values.filter { $0.noticeLevel == level }.min { $0.id < $1.id }
    }
}
