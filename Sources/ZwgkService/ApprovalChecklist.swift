public import RubricEngine

/// What is still open in a year before its results are approved (审定): assigned-score rows no score has
/// reached (未评, counted 0), rectification reports awaiting their re-check, and overdue items. `approve`
/// shows it and goes on only when it is empty or the operator confirms (`--yes`).
public struct ApprovalChecklist: Sendable {
    /// Each unit with 未评 rows, and the rows.
    public var pending: [(unit: String, rows: [String])]
    /// Items whose rectification report awaits the office's re-check (已报待复查).
    public var awaitingRecheck: [RectificationRow]
    /// Items past their deadline with nothing reported (逾期未整改).
    public var overdue: [RectificationRow]

    /// The year's open matters from its annual standings and its 整改台账 on `list.asOf`.
    public init(standings: Standings, rectification list: RectificationList) {
        pending = standings.cards.filter { !$0.pending.isEmpty }.map { ($0.unit.name, $0.pending) }
        awaitingRecheck = list.rows.filter { $0.status.state == .reported }
        overdue = list.rows.filter { $0.status.state == .overdue }
    }

    /// Nothing open.
    public var isEmpty: Bool { pending.isEmpty && awaitingRecheck.isEmpty && overdue.isEmpty }

    /// The checklist in words, a line each, for the operator.
    public func lines(year: Int) -> [String] {
        guard !isEmpty else { return ["\(year)年度没有未完成事项:各单位均已赋分,没有待复查或逾期未整改的问题。"] }
        var out: [String] = []
        if !pending.isEmpty {
            out.append("未评指标(尚未赋分,审定后按0分计):\(pending.count) 个单位")
            out += pending.map { "  \($0.unit):\($0.rows.joined(separator: "、"))" }
        }
        if !awaitingRecheck.isEmpty {
            out.append("已报整改、尚待复查:\(awaitingRecheck.count) 项")
            out += awaitingRecheck.map { "  \($0.item.unit):\($0.item.indicator)(\($0.item.target),整改报告 \($0.status.reported?.description ?? "")" + ")" }
        }
        if !overdue.isEmpty {
            out.append("逾期未整改:\(overdue.count) 项")
            out += overdue.map {
                "  \($0.item.unit):\($0.item.indicator)(\($0.item.target),整改期限 \($0.status.deadline?.description ?? ""),逾期 \($0.status.daysOverdue) 天)"
            }
        }
        return out
    }
}

extension YearApproval {
    /// The checklist of `period`'s year, with the 整改台账 as of `day` (today, in the configured time zone).
    public func checklist(_ period: Period, asOf day: Day) throws(ServiceError) -> ApprovalChecklist {
        guard let rubric = rules.rubrics[period.year] else {
            throw ServiceError(.rules, "没有\(period.year)年度的考核细则")
        }
        do {
            let standings = try LedgerAccess.standings(config, rules: rules, rubric: rubric, cutoff: period.cutoff)
            return ApprovalChecklist(standings: standings, rectification: try LedgerAccess.rectification(config, rules: rules, rubric: rubric, asOf: day))
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError(.ledger, "\(error)")
        }
    }

    /// Today in the configured time zone, on the operation's clock.
    public var today: Day { LocalDay.of(clock.now, timeZone: config.timeZone) }
}
