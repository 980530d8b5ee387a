/// A record as the ledger holds it: arrival order and where it came from.
public struct LedgerEntry: Sendable, Equatable {
    /// Arrival order; later entries have larger numbers.
    public var seq: Int64
    public var record: Record
    /// The drop file it came in.
    public var file: String
    /// When it was received (ISO 8601, UTC).
    public var received: String

    public init(seq: Int64, record: Record, file: String = "", received: String = "") {
        self.seq = seq
        self.record = record
        self.file = file
        self.received = received
    }
}

/// Everything scored at one cutoff: each class's units, ranked.
public struct Standings: Sendable {
    public var rubric: Rubric
    public var cutoff: Day
    public var classes: [ClassStandings]
    /// Records that could not be placed on any card (their unit or row is gone from the units file or rubric).
    public var unplaced: [Unplaced]

    public var cards: [Scorecard] { classes.flatMap(\.cards) }
}

public struct ClassStandings: Sendable {
    public var unitClass: UnitClass
    /// Highest total first; equal totals share a rank and keep units-file order.
    public var cards: [Scorecard]
}

/// A record the scorer had to leave out, and why.
public struct Unplaced: Sendable, Equatable {
    public var recordID: String
    public var unit: String
    public var reason: String
}

/// One unit's score card.
public struct Scorecard: Sendable {
    public var unit: Unit
    public var rows: [RowScore]
    public var total: Points
    public var rank: Int
    /// Names of assigned-score rows not yet given (未评).
    public var pending: [String] { rows.filter(\.pending).map(\.row.name) }
    /// Retractions that withdrew something from this unit, with their effect on its total.
    public var retractions: [RetractionEffect]
}

/// A row of a score card.
public struct RowScore: Sendable {
    public var row: Row
    public var base: Points
    public var deducted: Points
    public var bonus: Points
    public var score: Points
    /// An assigned-score row with no score given yet.
    public var pending: Bool
    /// The records behind the row, in arrival order, withdrawn ones included and marked.
    public var entries: [RowEntry]
}

/// One record's part in a row.
public struct RowEntry: Sendable, Equatable {
    public var seq: Int64
    public var recordID: String
    public var date: Day
    public var isNotice: Bool
    public var clause: String?
    public var count: Int
    public var score: Points?
    public var points: Points?
    public var method: String?
    public var evidence: String?
    public var file: String
    /// Dated after the cutoff: shown for information, not counted.
    public var afterCutoff: Bool
    /// The retraction that withdrew it, if any.
    public var withdrawnBy: String?
}

/// What a retraction did to one unit.
public struct RetractionEffect: Sendable, Equatable {
    public var retraction: Retraction
    public var targetRow: String?
    /// Total with the retraction minus total without it.
    public var effect: Points
}

/// The scoring engine: pure, deterministic, exact.
public enum Scorer {
    /// Scores every unit of `roster` from `entries` (any years; only `rubric.year` counts), counting
    /// findings and notices dated on or before `cutoff`. Retractions apply whatever their date.
    public static func standings(rubric: Rubric, roster: UnitRoster, entries: [LedgerEntry], cutoff: Day) -> Standings {
        var entries = entries.filter { $0.record.year == rubric.year }
        if !zip(entries, entries.dropFirst()).allSatisfy({ $0.seq < $1.seq }) { entries.sort { $0.seq < $1.seq } }
        var unplaced: [Unplaced] = []
        let withdrawals = Withdrawals(entries)

        // Gather each unit's row entries; names are looked up once, not once per record.
        var byUnit: [String: [String: [(RowEntry, Int?)]]] = [:]
        var rowsByName: [String: Row?] = [:]
        var applicable: [String: Set<String>] = [:]
        var clauseIndex: [String: [String?: Int]] = [:]
        func row(_ name: String) -> Row? {
            if let known = rowsByName[name] { return known }
            let found = rubric.row(named: name)
            rowsByName[name] = .some(found)
            return found
        }
        var rowsFor: [String: [Row]] = [:]
        func rows(for unit: Unit) -> [Row] {
            if let known = rowsFor[unit.name] { return known }
            let rows = roster.rows(for: unit, in: rubric)
            rowsFor[unit.name] = rows
            return rows
        }
        func rowsApplying(to unit: Unit) -> Set<String> {
            if let known = applicable[unit.name] { return known }
            let ids = Set(rows(for: unit).map(\.id))
            applicable[unit.name] = ids
            return ids
        }
        func index(of clause: String?, in row: Row) -> Int? {
            if let known = clauseIndex[row.id]?[clause] { return known }
            let found = row.clause(named: clause).flatMap { c in row.clauses.firstIndex(of: c) }
            if let found { clauseIndex[row.id, default: [:]][clause] = found }
            return found
        }
        for entry in entries {
            switch entry.record {
            case .finding(let f):
                guard let unit = roster[f.unit] else {
                    unplaced.append(Unplaced(recordID: f.id, unit: f.unit, reason: "单位不在当前单位名单中"))
                    continue
                }
                guard let row = row(f.indicator), rowsApplying(to: unit).contains(row.id) else {
                    unplaced.append(Unplaced(recordID: f.id, unit: f.unit, reason: "指标“\(f.indicator)”不适用于该单位"))
                    continue
                }
                let clauseAt = index(of: f.clause, in: row)
                let clause = clauseAt.map { row.clauses[$0] }
                let e = RowEntry(seq: entry.seq, recordID: f.id, date: f.date, isNotice: false, clause: clause?.name ?? f.clause,
                                 count: f.count, score: f.score, points: f.points, method: f.method, evidence: f.evidence,
                                 file: entry.file, afterCutoff: f.date > cutoff,
                                 withdrawnBy: withdrawals.by(f.id, unit: f.unit))
                byUnit[unit.name, default: [:]][row.id, default: []].append((e, clauseAt))
            case .notice(let n):
                for name in n.units {
                    guard let unit = roster[name] else {
                        unplaced.append(Unplaced(recordID: n.id, unit: name, reason: "单位不在当前单位名单中"))
                        continue
                    }
                    guard let row = rows(for: unit).first(where: { $0.noticeLevel == n.level }) else {
                        unplaced.append(Unplaced(recordID: n.id, unit: name, reason: "没有对应“\(n.level)”通报的指标"))
                        continue
                    }
                    let e = RowEntry(seq: entry.seq, recordID: n.id, date: n.date, isNotice: true, clause: nil, count: 1,
                                     score: nil, points: nil, method: n.title, evidence: n.evidence, file: entry.file,
                                     afterCutoff: n.date > cutoff, withdrawnBy: withdrawals.by(n.id, unit: name))
                    byUnit[unit.name, default: [:]][row.id, default: []].append((e, 0))
                }
            case .retraction:
                continue
            }
        }

        var classes: [ClassStandings] = []
        let withdrawnAny = !withdrawals.retractions.isEmpty
        for unitClass in rubric.classes {
            var cards: [Scorecard] = []
            for unit in roster.units where unit.unitClass == unitClass.name {
                let unitEntries = byUnit[unit.name] ?? [:]
                let rows = rows(for: unit).map { row in
                    score(row, (unitEntries[row.id] ?? []))
                }
                let total = rows.map(\.score).sum()
                var card = Scorecard(unit: unit, rows: rows, total: total, rank: 0, retractions: [])
                if withdrawnAny {
                    card.retractions = retractionEffects(for: card, unitEntries: unitEntries, withdrawals: withdrawals)
                }
                cards.append(card)
            }
            rank(&cards)
            classes.append(ClassStandings(unitClass: unitClass, cards: cards))
        }
        return Standings(rubric: rubric, cutoff: cutoff, classes: classes, unplaced: unplaced)
    }

    /// Competition ranking, highest total first: 1, 2, 2, 4. Ties keep their given order.
    static func rank(_ cards: inout [Scorecard]) {
        let order = cards.indices.sorted { a, b in
            cards[a].total != cards[b].total ? cards[a].total > cards[b].total : a < b
        }
        var ranked = order.map { cards[$0] }
        for i in ranked.indices {
            ranked[i].rank = i > 0 && ranked[i].total == ranked[i - 1].total ? ranked[i - 1].rank : i + 1
        }
        cards = ranked
    }

    /// Scores one row from its entries (withdrawn and later-dated entries are shown but not counted).
    static func score(_ row: Row, _ items: [(RowEntry, Int?)]) -> RowScore {
        let counted = items.filter { $0.0.withdrawnBy == nil && !$0.0.afterCutoff }
        switch row.scoring {
        case .assigned:
            let latest = counted.max { a, b in (a.0.date, a.0.seq) < (b.0.date, b.0.seq) }
            let value = latest?.0.score ?? .zero
            return RowScore(row: row, base: .zero, deducted: .zero, bonus: .zero, score: value,
                            pending: latest == nil, entries: items.map(\.0))
        case .points(let rule):
            var deductions: [Points] = []
            var bonus = Points.zero
            var discretionaryDeduction = Points.zero
            for (i, clause) in rule.clauses.enumerated() {
                let hits = counted.filter { $0.1 == i }.map(\.0)
                let occurrences = hits.map(\.count).reduce(0, +)
                switch clause.effect {
                case .deduct(let amount, let once):
                    deductions.append(hits.isEmpty ? .zero : once ? amount : amount * occurrences)
                case .bonus(let amount):
                    bonus = bonus + amount * occurrences
                case .discretionaryDeduct:
                    discretionaryDeduction = discretionaryDeduction + hits.map { ($0.points ?? .zero) * $0.count }.sum()
                case .discretionaryBonus:
                    bonus = bonus + hits.map { ($0.points ?? .zero) * $0.count }.sum()
                }
            }
            var deducted = rule.combine == .worst ? (deductions.max() ?? .zero) : deductions.sum()
            deducted = deducted + discretionaryDeduction
            if let cap = rule.deductionCap { deducted = min(deducted, cap) }
            if let cap = rule.bonusCap { bonus = min(bonus, cap) }
            return RowScore(row: row, base: rule.base, deducted: deducted, bonus: bonus,
                            score: rule.base - deducted + bonus, pending: false, entries: items.map(\.0))
        }
    }

    /// For each retraction touching the unit: the unit's total with it minus the total without it.
    private static func retractionEffects(for card: Scorecard, unitEntries: [String: [(RowEntry, Int?)]],
                                          withdrawals: Withdrawals) -> [RetractionEffect] {
        var effects: [RetractionEffect] = []
        for retraction in withdrawals.retractions {
            guard let (rowID, _) = unitEntries.first(where: { $0.value.contains { $0.0.withdrawnBy == retraction.id } }),
                  let rowIndex = card.rows.firstIndex(where: { $0.row.id == rowID }) else { continue }
            let items = unitEntries[rowID]!.map { item -> (RowEntry, Int?) in
                var e = item.0
                if e.withdrawnBy == retraction.id { e.withdrawnBy = nil }
                return (e, item.1)
            }
            let without = score(card.rows[rowIndex].row, items)
            effects.append(RetractionEffect(retraction: retraction, targetRow: card.rows[rowIndex].row.name,
                                            effect: card.rows[rowIndex].score - without.score))
        }
        return effects
    }
}

/// Which records retractions have withdrawn, for which units.
private struct Withdrawals {
    /// Retractions in arrival order.
    var retractions: [Retraction] = []
    /// target id → (retraction id, units or nil for all).
    private var targets: [String: [(String, Set<String>?)]] = [:]

    init(_ entries: [LedgerEntry]) {
        for entry in entries {
            guard case .retraction(let r) = entry.record else { continue }
            retractions.append(r)
            targets[r.target, default: []].append((r.id, r.units.map(Set.init)))
        }
    }

    func by(_ id: String, unit: String) -> String? {
        targets[id]?.first { $0.1 == nil || $0.1!.contains(unit) }?.0
    }
}
