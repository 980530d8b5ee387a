import RubricEngine
import ZwgkFormats

/// `summary.md`: the standings in Markdown, for a message or a wiki.
public enum ReportMarkdown {
    public static func render(_ report: ReportContext) -> String {
        let s = report.standings
        var out = "# \(s.rubric.subject)得分报告(\(report.periodLabel))\n\n"
        out += "统计截止 \(s.cutoff),依据《\(s.rubric.title)》(版本 \(s.rubric.version))。\n"
        if let approvals = report.approvals { out += ApprovalMarks.markdown(approvals) }
        for c in s.classes where !c.cards.isEmpty {
            out += "\n## \(c.unitClass.title)\n\n"
            let versus = report.previous.map { "较\($0.period.label)" }
            let grading = report.grading
            let lastYear = report.lastYear
            if let counts = grading?.countLine(c.unitClass.name) { out += "等次:\(counts)。\n\n" }
            out +=
                "| 排名 | 单位 | 总分 |" + (grading == nil ? "" : " 等次 |") + (versus.map { " \($0) |" } ?? "")
                + (lastYear.map { " \($0.previousYear)年度 | 较上年 |" } ?? "") + " 未评指标 |\n"
            out += "|---:|---|---:|" + (grading == nil ? "" : "---|") + (versus == nil ? "" : "---:|") + (lastYear == nil ? "" : "---:|---:|") + "---|\n"
            for card in c.cards {
                var line = "| \(card.rank) | \(cell(card.unit.name)) | \(card.total) |"
                if let grading { line += " \(cell(grading.grade(of: card.unit.name)?.label ?? "")) |" }
                if versus != nil {
                    let change = report.change(card)
                    line += " " + (change.map { $0 > .zero ? "↑ \($0)" : $0 < .zero ? "↓ \(-$0)" : "—" } ?? "新增") + " |"
                }
                if let lastYear {
                    let p = lastYear.previous(card.unit)
                    line += " \(LastYearReport.then(p)) | \(LastYearReport.change(p)) |"
                }
                out += line + " \(cell(card.pending.joined(separator: "、"))) |\n"
            }
        }
        if let lastYear = report.lastYear { out += LastYearReport.mostImprovedMarkdown(report, lastYear) }
        if !report.lateEntries.isEmpty {
            out += "\n## 补录记录\n\n本期计入 \(report.lateEntries.count) 条在上一期快照生成后才收到、日期在其截止日之前的记录。\n"
        }
        if let list = report.rectification {
            out += "\n## 整改台账\n\n截至 \(list.asOf):" + RectificationHTML.summary(list.total) + "\n"
        }
        if case .annual? = report.period.map(\.span) {
            let lost = report.mostLost()
            if !lost.isEmpty {
                out += "\n## 全年失分最多的指标\n\n| 指标 | 扣分合计 | 被扣分单位数 |\n|---|---:|---:|\n"
                for r in lost { out += "| \(cell(r.row)) | \(r.lost) | \(r.units) |\n" }
            }
        }
        return out
    }

    /// A table cell: one line (control characters escaped), its `|` kept from ending the cell.
    static func cell(_ s: String) -> String { ControlText.escaped(s).replacing("|", with: "\\|") }
}
