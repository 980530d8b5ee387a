import RubricEngine

/// The 整改台账 in `report.html`: a section before the unit pages with every unit's counts and rates, and on
/// each unit's page its own items (the 问题清单 sent back to the unit).
enum RectificationHTML {
    /// The report's 整改台账 section (starting a new sheet in print).
    static func section(_ list: RectificationList) -> String {
        let total = list.total
        var h = "<section class=\"rect\">\n<h2>整改台账</h2>\n<p>截至 \(list.asOf):\(summary(total))</p>\n"
        if list.units.isEmpty { return h + "</section>\n" }
        h += "<table class=\"rect-units\"><thead><tr><th>单位</th><th class=\"num\">问题</th><th class=\"num\">待整改</th>"
        h += "<th class=\"num\">逾期</th><th class=\"num\">已报待复查</th><th class=\"num\">已销号</th><th class=\"num\">已撤销</th>"
        h += "<th class=\"num\">整改率</th><th class=\"num\">按期整改率</th></tr></thead><tbody>\n"
        for u in list.units {
            let c = RectificationReport.summaryCells(u)
            h += "<tr\(u.overdue > 0 ? " class=\"overdue\"" : "")><td><a href=\"#\(ReportHTML.anchor(unit: u.unit))\">\(ReportHTML.esc(u.unit))</a></td>"
            h += c.dropFirst().map { "<td class=\"num\">\($0)</td>" }.joined() + "</tr>\n"
        }
        if list.units.count > 1 {
            h +=
                "<tr class=\"total\"><td>合计</td>" + RectificationReport.summaryCells(total).dropFirst().map { "<td class=\"num\">\($0)</td>" }.joined()
                + "</tr>\n"
        }
        h += "</tbody></table>\n<p class=\"note\">整改率 = 已销号 ÷ 问题数(不含已撤销);按期整改率 = 整改报告在期限内报送的已销号事项 ÷ 已销号。</p>\n"
        return h + "</section>\n"
    }

    /// One unit's items, on its page.
    static func unitItems(_ list: RectificationList, unit: String) -> String {
        let rows = list.rows(of: unit)
        var h = "<h3>整改台账(截至 \(list.asOf))</h3>\n"
        guard !rows.isEmpty, let counts = list.summary(of: unit) else {
            return h + "<p class=\"rect-none\">截至 \(list.asOf) 没有需要整改的问题。</p>\n"
        }
        h += "<p class=\"rect-summary\">\(summary(counts))</p>\n"
        h += "<table class=\"rect\"><thead><tr><th>编号</th><th>类型</th><th>指标</th><th>日期</th><th>整改期限</th><th>状态</th>"
        h += "<th>逾期天数</th><th>整改报告</th><th>销号</th></tr></thead><tbody>\n"
        for row in rows {
            let (item, s) = (row.item, row.status)
            var state = s.state.label
            if s.late && (s.state == .reported || s.state == .closed) { state += "(逾期报送)" }
            if s.state == .withdrawn, let w = item.withdrawal { state += "(\(ReportHTML.esc(w.id)))" }
            // (Kept short: a year's report repeats this row for every item of every unit. Styles by state and the
            // right-aligned days column come from the stylesheet.)
            h += s.state == .open || s.state == .reported ? "<tr>" : "<tr class=\"\(s.state.rawValue)\">"
            h += "<td>\(ReportHTML.esc(item.target))</td><td>\(RectificationReport.kindLabel(item.kind))</td>"
            h += "<td>\(ReportHTML.esc(item.indicator + (item.clause.map { "(\($0))" } ?? "")))</td><td>\(item.date)</td>"
            h += "<td>\(s.deadline?.description ?? "无")</td><td>\(state)</td><td>\(s.state == .overdue ? String(s.daysOverdue) : "")</td>"
            h += "<td>\(s.reported?.description ?? "")</td><td>\(s.closed?.description ?? "")</td></tr>\n"
            // What was wrong, what the unit did, what the re-check found: on a line of its own below the item.
            let recheck = item.lastRecheck(asOf: list.asOf).map { "复查\($0.passed ? "通过" : "未通过")" + ($0.note.map { ":" + ReportHTML.esc($0) } ?? "") }
            let words = [item.problem.map { "问题:" + ReportHTML.esc($0) }, item.measures(asOf: list.asOf).map { "整改措施:" + ReportHTML.esc($0) }, recheck]
                .compactMap { $0 }
            if !words.isEmpty { h += "<tr class=\"words\"><td colspan=\"9\">\(words.joined(separator: ";"))</td></tr>\n" }
        }
        return h + "</tbody></table>\n"
    }

    /// 共 N 项:待整改 a、逾期未整改 b、已报待复查 c、已销号 d(另有已撤销 e 项);整改率 x,按期整改率 y。
    static func summary(_ u: UnitRectification) -> String {
        var text = "共 \(u.items) 项问题:待整改 \(u.open)、逾期未整改 \(u.overdue)、已报待复查 \(u.reported)、已销号 \(u.closed)"
        if u.withdrawn > 0 { text += "(另有已撤销 \(u.withdrawn) 项)" }
        return text + ";整改率 \(u.rectificationRate?.percent ?? "—"),按期整改率 \(u.onTimeRate?.percent ?? "—")。"
    }
}
