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

    /// Compares `current` with the year before.
    public static func compare(current: Standings, previous: PreviousYear) -> YearOverYear {
        var results: [String: PreviousResult] = [:]
        var mostImproved: [String: [PreviousResult]] = [:]
        for c in current.classes {
            var improved: [PreviousResult] = []
            for card in c.cards {
                guard let old = previous.units[card.unit.name] else { continue }
                let sameClass = old.unitClass == c.unitClass.name
                let result = PreviousResult(
                    unit: card.unit.name, name: old.name, unitClass: old.unitClass, total: old.total, rank: old.rank, grade: old.grade,
                    totalChange: card.total - old.total, rankChange: sameClass ? old.rank - card.rank : nil,
                    share: Share(
                        now: card.total, of: current.rubric.base(of: c.unitClass.name),
                        then: old.total, of: previous.bases[old.unitClass] ?? .zero))
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
        return YearOverYear(previousYear: previous.year, results: results, mostImproved: mostImproved)
    }
}

/// What the comparison needs of the year before: each unit's result then. Small, so that the year's records
/// need not be held while this year's are scored.
public struct PreviousYear: Sendable {
    public struct Result: Sendable, Equatable {
        /// The name the unit was assessed under.
        public var name: String
        public var unitClass: String
        public var total: Points
        public var rank: Int
        public var grade: String?

        public init(name: String, unitClass: String, total: Points, rank: Int, grade: String?) {
            self.name = name
            self.unitClass = unitClass
            self.total = total
            self.rank = rank
            self.grade = grade
        }
    }

    public var year: Int
    /// Each class's base that year (`Rubric.base(of:)`).
    public var bases: [String: Points]
    /// By the unit's name now.
    public var units: [String: Result]

    /// The year before as published: `published` by the name each unit had then, matched to `roster`'s units by
    /// their names now or formerly; `bases` that year's class bases (none known: no change of share).
    public init(year: Int, published: [String: Result], roster: UnitRoster, bases: [String: Points]) {
        self.year = year
        self.bases = bases
        var units: [String: Result] = [:]
        for unit in roster.units {
            // A former name first: for a unit renamed since, the name it was assessed under.
            if let then = (unit.formerly + [unit.name]).lazy.compactMap({ published[$0] }).first { units[unit.name] = then }
        }
        self.units = units
    }

    /// `standings`: the year before, scored with today's roster and that year's rubric. Only the units assessed
    /// then count — `formerName(unit)` is the name a unit was assessed under, nil when it was not — and ranks and
    /// grades (`grade`, when grades are configured) are taken among them.
    public init(_ standings: Standings, formerName: (Unit) -> String?, grade: (Standings) -> Grading? = { _ in nil }) {
        let assessed = standings.keeping { formerName($0) != nil }
        let grading = grade(assessed)
        year = standings.rubric.year
        bases = Dictionary(uniqueKeysWithValues: standings.rubric.classes.map { ($0.name, standings.rubric.base(of: $0.name)) })
        var units: [String: Result] = [:]
        for c in assessed.classes {
            for card in c.cards {
                units[card.unit.name] = Result(
                    name: formerName(card.unit)!, unitClass: c.unitClass.name, total: card.total, rank: card.rank,
                    grade: grading?.grade(of: card.unit.name)?.grade.rawValue)
            }
        }
        self.units = units
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
