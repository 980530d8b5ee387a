import RubricEngine

// Grades (等次) in report.html: a ranking column, a count per class and the unit page's heading.
extension ReportHTML {
    /// `<p class="grades">等次:优秀 1 个、…</p>` for a class, or nothing when ungraded.
    static func gradeSummary(_ c: ClassStandings, report: ReportContext) -> String {
        guard let line = report.grading?.countLine(c.unitClass.name) else { return "" }
        return "<p class=\"grades\">等次:\(esc(line))</p>\n"
    }

    /// The ranking table's 等次 cell: the grade, and its reason as a small note.
    static func gradeCell(_ card: Scorecard, report: ReportContext) -> String {
        guard let g = report.grading?.grade(of: card.unit.name) else { return "<td></td>" }
        return "<td class=\"grade\">\(esc(g.grade.rawValue))" + (g.reason.map { "<br><small class=\"note\">\(esc($0))</small>" } ?? "") + "</td>"
    }

    /// ` · 等次 <b>良好</b>(因优秀名额限制)` for the unit page's heading, or nothing when ungraded.
    static func gradeHeading(_ card: Scorecard, report: ReportContext) -> String {
        guard let g = report.grading?.grade(of: card.unit.name) else { return "" }
        return " · 等次 <b>\(esc(g.grade.rawValue))</b>" + (g.reason.map { "(\(esc($0)))" } ?? "")
    }
}
