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
    /// The position of the clause it counts under in the row; nil when it names none of them.
    public var clauseIndex: Int?
    public var count: Int
    public var score: Points?
    public var points: Points?
    /// How it was found (方式); nil for a notice, which is its own way.
    public var method: String?
    public var evidence: String?
    /// What was wrong, in the inspector's words: a finding's note (备注), a notice's title (标题).
    public var note: String?
    public var file: String
    /// Where in the file (a spreadsheet's sheet and row), if not JSON.
    public var source: String?
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
        var tally = Tally(rubric: rubric, roster: roster, cutoff: cutoff)
        if zip(entries, entries.dropFirst()).allSatisfy({ $0.seq < $1.seq }) {
            for entry in entries { tally.add(entry) }
        } else {
            for entry in entries.sorted(by: { $0.seq < $1.seq }) { tally.add(entry) }
        }
        return tally.standings()
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
    static func score(_ row: Row, _ entries: [RowEntry]) -> RowScore {
        let counted = entries.filter { $0.withdrawnBy == nil && !$0.afterCutoff }
        switch row.scoring {
        case .assigned:
            let latest = counted.max { a, b in (a.date, a.seq) < (b.date, b.seq) }
            let value = latest?.score ?? .zero
            return RowScore(
                row: row, base: .zero, deducted: .zero, bonus: .zero, score: value,
                pending: latest == nil, entries: entries)
        case .points(let rule):
            var deductions: [Points] = []
            var bonus = Points.zero
            var discretionaryDeduction = Points.zero
            for (i, clause) in rule.clauses.enumerated() {
                let hits = counted.filter { $0.clauseIndex == i }
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
            return RowScore(
                row: row, base: rule.base, deducted: deducted, bonus: bonus,
                score: rule.base - deducted + bonus, pending: false, entries: entries)
        }
    }

    /// For each retraction touching the unit: the unit's total with it minus the total without it.
    static func retractionEffects(for card: Scorecard, withdrawals: Withdrawals) -> [RetractionEffect] {
        // Only the retractions that withdrew one of this unit's entries, in arrival order.
        let touching = Set(card.rows.flatMap { $0.entries.compactMap(\.withdrawnBy) })
        var effects: [RetractionEffect] = []
        for retraction in withdrawals.inArrivalOrder(touching) {
            guard let rowIndex = card.rows.firstIndex(where: { $0.entries.contains { $0.withdrawnBy == retraction.id } }) else { continue }
            let restored = card.rows[rowIndex].entries.map { entry in
                var e = entry
                if e.withdrawnBy == retraction.id { e.withdrawnBy = nil }
                return e
            }
            let without = score(card.rows[rowIndex].row, restored)
            effects.append(
                RetractionEffect(
                    retraction: retraction, targetRow: card.rows[rowIndex].row.name,
                    effect: card.rows[rowIndex].score - without.score))
        }
        return effects
    }
}

/// Which records retractions have withdrawn, for which units.
struct Withdrawals: Sendable {
    /// Retractions in arrival order.
    var retractions: [Retraction] = []
    /// target id → (retraction id, units or nil for all).
    private var targets: [String: [(String, Set<String>?)]] = [:]

    /// Retraction id to its place in `retractions`.
    private var position: [String: Int] = [:]

    mutating func add(_ r: Retraction) {
        position[r.id] = retractions.count
        retractions.append(r)
        targets[r.target, default: []].append((r.id, r.units.map(Set.init)))
    }

    /// The retractions with these ids, in arrival order.
    func inArrivalOrder(_ ids: Set<String>) -> [Retraction] {
        ids.compactMap { position[$0] }.sorted().map { retractions[$0] }
    }

    /// The retraction that withdrew record `id` for `unit` (a partial retraction may name it by a former name).
    func by(_ id: String, unit: Unit) -> String? {
        targets[id]?.first { target in target.1.map { named in unit.names.contains(where: named.contains) } ?? true }?.0
    }
}
