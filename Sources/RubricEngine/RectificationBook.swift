/// The 整改台账 of one assessment year, built from the ledger one record at a time (as ``Tally`` is): every
/// deducting finding and every unit a notice names is an item; rectification reports, re-checks and
/// retractions are filed on their items. ``list(asOf:)`` gives every item's state on a day.
public struct RectificationBook {
    public let rubric: Rubric
    public let roster: UnitRoster
    public let policy: RectificationPolicy
    /// Every item, in the order its finding or notice arrived (a notice's units together, as named).
    public private(set) var items: [RectificationItem] = []
    /// The first item of each target, by the FNV-1a hash of the target's id (compact: a ledger holds hundreds of
    /// thousands of findings, and few are ever looked up); a target whose hash another had first is in `collided`.
    private var firstByHash: [UInt64: Int32] = [:]
    private var collided: [String: Int] = [:]
    /// For each row name met, whether each clause met deducts.
    private var deducting = NameMap<[(clause: String?, deducts: Bool)]>()
    /// The row name of each notice level met.
    private var noticeRows: [String: String] = [:]

    public init(rubric: Rubric, roster: UnitRoster, policy: RectificationPolicy) {
        self.rubric = rubric
        self.roster = roster
        self.policy = policy
    }

    /// Adds one ledger entry; entries must come in arrival order. Other years' records are ignored.
    public mutating func add(_ entry: LedgerEntry) { add(entry.record) }

    /// Adds one record, in arrival order. Other years' records are ignored.
    public mutating func add(_ record: Record) {
        guard record.year == rubric.year else { return }
        switch record {
        case .finding(let f):
            guard deducts(f) else { return }
            index(f.id)
            items.append(
                RectificationItem(
                    target: f.id, unit: f.unit, kind: .finding, indicator: f.indicator, clause: f.clause,
                    date: f.date, rectifyBy: f.rectifyBy, problem: f.note))
        case .notice(let n):
            let row = noticeRow(n.level)
            index(n.id)
            for unit in n.units {
                items.append(
                    RectificationItem(
                        target: n.id, unit: unit, kind: .notice, indicator: row, date: n.date, rectifyBy: n.rectifyBy,
                        problem: n.title))
            }
        case .retraction(let r):
            for i in items(of: r.target) where items[i].withdrawal == nil && (r.units?.contains(items[i].unit) ?? true) {
                items[i].withdrawal = .init(id: r.id, date: r.date)
            }
        case .rectification(let r):
            file(FollowUp(record: record)!, target: r.target, unit: r.unit)
        case .recheck(let r):
            file(FollowUp(record: record)!, target: r.target, unit: r.unit)
        }
    }

    /// Every item open by `day`, with its state that day.
    public func list(asOf day: Day) -> RectificationList {
        RectificationList(items: items, asOf: day, policy: policy, roster: roster)
    }

    private mutating func file(_ followUp: FollowUp, target: String, unit: String) {
        for i in items(of: target) where sameBytes(items[i].unit, unit) {
            items[i].followUps.append(followUp)
        }
    }

    /// Notes that the next item is `target`'s first.
    private mutating func index(_ target: String) {
        let hash = fnv1a(target)
        if firstByHash[hash] == nil {
            firstByHash[hash] = Int32(items.count)
        } else {
            collided[target] = items.count
        }
    }

    /// The places of `target`'s items in `items` (a notice's are together).
    private func items(of target: String) -> Range<Int> {
        guard
            let first = firstByHash[fnv1a(target)].map(Int.init).flatMap({ sameBytes(items[$0].target, target) ? $0 : nil })
                ?? collided[target]
        else { return 0..<0 }
        var end = first + 1
        while end < items.count, sameBytes(items[end].target, target) { end += 1 }
        return first..<end
    }

    private mutating func deducts(_ f: Finding) -> Bool {
        var known = deducting[f.indicator] ?? []
        if let hit = known.first(where: { a in
            if let a = a.clause, let b = f.clause { sameBytes(a, b) } else { a.clause == nil && f.clause == nil }
        }) {
            return hit.deducts
        }
        let answer = rubric.deducts(f)
        known.append((f.clause, answer))
        deducting[f.indicator] = known
        return answer
    }

    private mutating func noticeRow(_ level: String) -> String {
        if let known = noticeRows[level] { return known }
        let name = rubric.noticeRow(level: level)?.name ?? "检查通报情况"
        noticeRows[level] = name
        return name
    }
}
