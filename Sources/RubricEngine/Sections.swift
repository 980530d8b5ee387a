/// A unit's score in one section (一级指标): the sum of its rows in that group.
public struct SectionScore: Sendable, Equatable {
    public var name: String
    /// The sum of the card's row bases in the section (assigned-score rows count 0, as in `scores.json` rows).
    public var base: Points
    public var score: Points
    /// The most the section can score: each row's base plus its bonus cap, an assigned row's top of range; nil
    /// where a row has no such bound (an uncapped bonus), 0 for a section that can only lose (重大扣分项).
    public var maximum: Points?

    public init(name: String, base: Points, score: Points, maximum: Points? = nil) {
        self.name = name
        self.base = base
        self.score = score
        self.maximum = maximum
    }

    /// Points below the base (negative when bonuses lifted the section above it).
    public var lost: Points { base - score }
}

/// One section across a class: its usual base, the average, lowest and highest score of the units that have it.
public struct SectionStats: Sendable, Equatable {
    public var name: String
    /// The base most units of the class have in the section (the larger one on a tie). The rubric's printed group
    /// total is not used: assigned-score rows count 0 in a unit's base, so B's 平台建设 prints 3 while every card has 0.
    public var base: Points
    public var average: Points
    public var lowest: Points
    public var highest: Points
    /// How many units have the section.
    public var units: Int
}

/// Sections (一级指标) of score cards, and how a class did in each.
public enum Sections {
    /// The card's sections: the class's groups in printed order (those with a row on the card), then each row
    /// without a group (综合加分项, 重大扣分项) as a section of its own, named as the row. They sum to the total.
    public static func of(_ card: Scorecard, in unitClass: UnitClass) -> [SectionScore] {
        var order = unitClass.groups.map(\.name)
        var sums: [String: (base: Points, score: Points, maximum: Points?)] = [:]
        var loose: [SectionScore] = []
        for r in card.rows {
            guard let group = r.row.group else {
                loose.append(SectionScore(name: r.row.name, base: r.base, score: r.score, maximum: maximum(r.row)))
                continue
            }
            if !order.contains(group) { order.append(group) }
            let sum = sums[group, default: (.zero, .zero, .zero)]
            sums[group] = (sum.base + r.base, sum.score + r.score, sum.maximum.flatMap { m in maximum(r.row).map { m + $0 } })
        }
        return order.compactMap { name in sums[name].map { SectionScore(name: name, base: $0.base, score: $0.score, maximum: $0.maximum) } }
            + loose
    }

    /// The most a row can score in a year (see ``SectionScore/maximum``).
    static func maximum(_ row: Row) -> Points? {
        switch row.scoring {
        case .assigned(let range):
            return range.upperBound
        case .points(let rule):
            let bonuses = rule.clauses.contains {
                switch $0.effect {
                case .bonus, .discretionaryBonus: true
                case .deduct, .discretionaryDeduct: false
                }
            }
            guard bonuses else { return rule.base }
            return rule.bonusCap.map { rule.base + $0 }
        }
    }

    /// Each section of the class's cards, in the order first met (the printed order), with its statistics.
    public static func stats(_ c: ClassStandings) -> [SectionStats] {
        var names: [String] = []
        var scores: [String: [SectionScore]] = [:]
        for card in c.cards {
            for s in of(card, in: c.unitClass) {
                if scores[s.name] == nil { names.append(s.name) }
                scores[s.name, default: []].append(s)
            }
        }
        return names.map { name in
            let all = scores[name]!
            var bases: [Points: Int] = [:]
            for s in all { bases[s.base, default: 0] += 1 }
            let base = bases.max { a, b in (a.value, a.key) < (b.value, b.key) }!.key
            let values = all.map(\.score)
            return SectionStats(
                name: name, base: base, average: average(values), lowest: values.min()!,
                highest: values.max()!, units: values.count)
        }
    }

    /// The exact mean rounded half up to the hundredth: a half hundredth rounds away from zero (−0.005 → −0.01).
    public static func average(_ values: [Points]) -> Points {
        guard !values.isEmpty else { return .zero }
        let sum = values.map(\.hundredths).reduce(0, +)
        let n = Int64(values.count)
        let rounded = (2 * sum.magnitude + n.magnitude) / (2 * n.magnitude)
        return Points(hundredths: sum < 0 ? -Int64(rounded) : Int64(rounded))
    }

    /// The sections that lost the largest share of their base, most first; on equal shares the larger loss
    /// first, then printed order. A section without a base that lost points (重大扣分项) lost more than any share
    /// and comes first. Empty when nothing was lost.
    public static func weakest(_ sections: [SectionScore], limit: Int = 3) -> [SectionScore] {
        let losing = sections.enumerated().filter { $0.element.lost > .zero }
        let sorted = losing.sorted { x, y in
            let a = x.element, b = y.element
            if (a.base == .zero) != (b.base == .zero) { return a.base == .zero }
            // lost/base compared exactly: a.lost × b.base against b.lost × a.base (both zero between two base-less ones).
            let left = a.lost.hundredths * b.base.hundredths, right = b.lost.hundredths * a.base.hundredths
            if left != right { return left > right }
            if a.lost != b.lost { return a.lost > b.lost }
            return x.offset < y.offset
        }
        return Array(sorted.prefix(limit).map(\.element))
    }

    /// Shown when no section lost anything.
    public static let noneLost = "各一级指标均未失分"
}
