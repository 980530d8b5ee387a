/// Each unit's result in the year before and how it changed, and who improved most: the annual report's
/// 上年度对比. Pure: the caller scores the previous year (its records, its own rubric) and says which units
/// were assessed then.
public struct YearOverYear: Sendable {
    public var previousYear: Int
    /// By current unit name; a unit absent here was not assessed the year before (新增).
    public var results: [String: PreviousResult]
    /// By class name, the units that improved most, best first (at most `listLength`).
    public var mostImproved: [String: [PreviousResult]]

    public static let listLength = 5

    /// The unit's result the year before, nil for a unit new this year.
    public func previous(_ unit: Unit) -> PreviousResult? { results[unit.name] }

    /// Compares `current` with `previous`: the year before, scored with the same roster and its own rubric and
    /// kept to the units assessed then (`Standings.keeping`), so that its ranks and grades are among them.
    /// `formerName(unit)` is the name a unit was assessed under the year before.
    /// `previousGrading` is the year before's grading, when grades are configured.
    public static func compare(current: Standings, previous: Standings, formerName: (Unit) -> String?,
                               previousGrading: Grading? = nil) -> YearOverYear {
        var lastYear: [String: (card: Scorecard, unitClass: String)] = [:]
        for c in previous.classes {
            for card in c.cards { lastYear[card.unit.name] = (card, c.unitClass.name) }
        }
        var results: [String: PreviousResult] = [:]
        var mostImproved: [String: [PreviousResult]] = [:]
        for c in current.classes {
            var improved: [PreviousResult] = []
            for card in c.cards {
                guard let name = formerName(card.unit), let old = lastYear[card.unit.name] else { continue }
                let sameClass = old.unitClass == c.unitClass.name
                let result = PreviousResult(
                    unit: card.unit.name, name: name, unitClass: old.unitClass, total: old.card.total, rank: old.card.rank,
                    grade: previousGrading?.grade(of: card.unit.name)?.grade.rawValue,
                    totalChange: card.total - old.card.total, rankChange: sameClass ? old.card.rank - card.rank : nil,
                    share: Share(now: card.total, of: current.rubric.base(of: c.unitClass.name),
                                 then: old.card.total, of: previous.rubric.base(of: old.unitClass)))
                results[card.unit.name] = result
                if sameClass && (result.rankChange! > 0 || (result.rankChange == 0 && result.share.map { $0.change > .zero } == true)) {
                    improved.append(result)
                }
            }
            // Largest rise in rank, then in total as a share of the class base (bases change between years);
            // ties keep the class's order.
            improved.sort { a, b in
                if a.rankChange != b.rankChange { return a.rankChange! > b.rankChange! }
                return Share.isLarger(a.share, than: b.share)
            }
            mostImproved[c.unitClass.name] = Array(improved.prefix(listLength))
        }
        return YearOverYear(previousYear: previous.rubric.year, results: results, mostImproved: mostImproved)
    }
}

/// A unit's result the year before, and the change since.
public struct PreviousResult: Sendable, Equatable {
    /// Its name now.
    public var unit: String
    /// The name it was assessed under then (differs for a renamed unit).
    public var name: String
    public var unitClass: String
    public var total: Points
    public var rank: Int
    public var grade: String?
    /// This year's total minus last year's.
    public var totalChange: Points
    /// Last year's rank minus this year's (positive: it rose); nil when its class changed.
    public var rankChange: Int?
    /// The change in total as a share of the class base; nil when a class has no base.
    public var share: Share?
}

/// The change of a total as a share of its class base, kept exact (bases differ between years).
public struct Share: Sendable, Equatable {
    /// (now / base now) − (then / base then) = numerator / denominator, denominator > 0.
    var numerator: Int64
    var denominator: Int64

    init?(now: Points, of base: Points, then: Points, of oldBase: Points) {
        guard base > .zero, oldBase > .zero else { return nil }
        numerator = now.hundredths * oldBase.hundredths - then.hundredths * base.hundredths
        denominator = base.hundredths * oldBase.hundredths
    }

    /// The change in percentage points, rounded half away from zero to hundredths.
    public var change: Points {
        let scaled = numerator * 10_000
        let half = denominator / 2
        return Points(hundredths: (scaled + (scaled >= 0 ? half : -half)) / denominator)
    }

    /// Compares exactly; a share beats none.
    static func isLarger(_ a: Share?, than b: Share?) -> Bool {
        guard let a else { return false }
        guard let b else { return true }
        return a.numerator * b.denominator > b.numerator * a.denominator
    }
}

extension Rubric {
    /// A class's base: the points its rows give every unit before deductions and bonuses (A 100, B 103 in
    /// 2023). Assigned-score rows and rows only some units have add nothing.
    public func base(of unitClass: String) -> Points {
        rows(of: unitClass).filter { $0.applies == .all }.map { row -> Points in
            if case .points(let rule) = row.scoring { return rule.base }
            return .zero
        }.sum()
    }
}

extension Standings {
    /// These standings with only the units `keep` accepts, ranked again among them.
    public func keeping(_ keep: (Unit) -> Bool) -> Standings {
        var kept = self
        for c in kept.classes.indices {
            var cards = kept.classes[c].cards.filter { keep($0.unit) }
            guard cards.count != kept.classes[c].cards.count else { continue }
            // Equal totals stay in the order they had, the units file's.
            Scorer.rank(&cards)
            kept.classes[c].cards = cards
        }
        return kept
    }
}
