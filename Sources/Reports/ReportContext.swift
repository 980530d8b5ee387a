public import RubricEngine

/// What a report is about: the standings and the period they were taken for, and what they are
/// compared with.
public struct ReportContext: Sendable {
    public var standings: Standings
    /// nil for "now" (`zwgk scores`).
    public var period: Period?
    /// The previous period's published totals and ranks, for the change column.
    public var previous: (period: Period, units: [String: (total: Points, rank: Int)])?
    /// Records dated on or before the previous snapshot's cutoff that arrived after it was written (补录).
    public var lateEntries: [LedgerEntry] = []
    /// When this snapshot replaces one on purpose (`--force`): the replaced totals.
    public var replaced: [String: Points]?
    /// The 整改台账 on the cutoff, for its section and each unit's items; nil: not shown.
    public var rectification: RectificationList?
    /// Each unit's grade (`[grades]`); nil: no grades shown anywhere.
    public var grading: Grading?
    /// The year before, for an annual report: each unit's result then and the change; nil: not shown.
    public var lastYear: YearOverYear?
    /// An annual result's approval state and history (初评/审定, marked on every page); nil: not marked.
    public var approvals: ApprovalHistory?

    public init(standings: Standings, period: Period?) {
        self.standings = standings
        self.period = period
    }

    /// The change in total against the previous period, if the unit was in it.
    func change(_ card: Scorecard) -> Points? {
        previous?.units[card.unit.name].map { card.total - $0.total }
    }

    /// Rows by points lost across all units (deductions), most first; the annual report's training list.
    func mostLost(limit: Int = 10) -> [(row: String, lost: Points, units: Int)] {
        var lost: [String: (Points, Int)] = [:]
        for card in standings.cards {
            for r in card.rows where r.deducted > .zero {
                lost[r.row.name, default: (.zero, 0)].0 = lost[r.row.name, default: (.zero, 0)].0 + r.deducted
                lost[r.row.name]!.1 += 1
            }
        }
        let rows: [(row: String, lost: Points, units: Int)] = lost.map { (row: $0.key, lost: $0.value.0, units: $0.value.1) }
        let sorted = rows.sorted { a, b in a.lost != b.lost ? a.lost > b.lost : a.row < b.row }
        return Array(sorted.prefix(limit))
    }

    var year: Int { standings.rubric.year }
    var periodLabel: String { period?.label ?? "截至目前" }
}
