/// A unit's grade, and why it is not simply the band its total reaches.
public struct UnitGrade: Sendable, Equatable {
    public var grade: Grade
    /// `一票否决:重大扣分项`, or `因优秀名额限制`; nil when the total alone decides.
    public var reason: String?

    public init(grade: Grade, reason: String? = nil) {
        self.grade = grade
        self.reason = reason
    }

    /// `良好(因优秀名额限制)`, or the grade alone, for tables.
    public var label: String { grade.rawValue + (reason.map { "(\($0))" } ?? "") }

    /// The reason given to a unit the cap on the top band moved down.
    public static let cappedReason = "因优秀名额限制"
}

/// Every unit's grade under a ``GradePolicy``, and how many units of each class got each grade.
public struct Grading: Sendable {
    /// By unit name.
    public private(set) var units: [String: UnitGrade] = [:]
    /// By class name: each configured band of the class and 不合格, highest first, with its number of units.
    public private(set) var counts: [String: [(grade: Grade, units: Int)]] = [:]

    /// Grades every unit of `standings`:
    /// - a counted deduction (`deducted > 0`) on a veto row makes the unit 不合格, naming the rows;
    /// - otherwise the highest band whose cut-off the total reaches, 不合格 below the lowest;
    /// - under an excellent share, the top band goes by rank to at most ⌊share × units in the class⌋ units; a
    ///   group tied at the edge that would exceed the cap is moved down whole (the cap is never exceeded), as is
    ///   everyone ranked below it, each to the next band its total reaches.
    public init(_ standings: Standings, policy: GradePolicy) {
        for c in standings.classes {
            let bands = policy.bands(for: c.unitClass.name)
            let vetoIDs = Set(bands.veto.compactMap { standings.rubric.row(named: $0)?.id })
            var grades: [UnitGrade] = c.cards.map { card in
                let vetoed = card.rows.filter { vetoIDs.contains($0.row.id) && $0.deducted > .zero }.map(\.row.name)
                if !vetoed.isEmpty { return UnitGrade(grade: .fail, reason: "一票否决:" + vetoed.joined(separator: "、")) }
                return UnitGrade(grade: bands.band(for: card.total))
            }
            // (The share caps 优秀 places alone: the configuration refuses a share without a 优秀 cut-off.)
            if let share = bands.excellentShare, let top = bands.cutoffs.first?.grade, top == .excellent {
                let cap = share.floorOf(c.cards.count)
                // Cards are in rank order; equal totals share a rank and are one group.
                let candidates = c.cards.indices.filter { grades[$0].grade == top }
                var given = 0
                var full = false
                var i = 0
                while i < candidates.count {
                    var j = i
                    while j < candidates.count && c.cards[candidates[j]].total == c.cards[candidates[i]].total { j += 1 }
                    if full || given + (j - i) > cap {
                        full = true
                        for k in candidates[i..<j] {
                            grades[k] = UnitGrade(grade: bands.band(for: c.cards[k].total, below: top), reason: UnitGrade.cappedReason)
                        }
                    } else {
                        given += j - i
                    }
                    i = j
                }
            }
            var count: [Grade: Int] = [:]
            for (card, grade) in zip(c.cards, grades) {
                units[card.unit.name] = grade
                count[grade.grade, default: 0] += 1
            }
            counts[c.unitClass.name] = (bands.cutoffs.map(\.grade) + [.fail]).map { ($0, count[$0] ?? 0) }
        }
    }

    /// The grade of the unit named `unit`, if it was graded.
    public func grade(of unit: String) -> UnitGrade? { units[unit] }

    /// `优秀 2 个、良好 5 个、合格 1 个、不合格 0 个` for a class, or nil when it was not graded.
    public func countLine(_ unitClass: String) -> String? {
        counts[unitClass].map { $0.map { "\($0.grade.rawValue) \($0.units) 个" }.joined(separator: "、") }
    }
}
