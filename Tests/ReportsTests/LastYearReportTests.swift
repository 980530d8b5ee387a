import Foundation
import RubricEngine
import Testing
import ZwgkFormats

@testable import Reports

/// The fixed year's annual report, graded, compared with a 2022 of our own: 城东街道 96 then, 城西街道 (then
/// 城西镇) 100, 市财政局 with 行政事业性收费 at 3; 市民政局 is new.
func comparedReport() -> ReportContext {
    var report = gradedReport(period: "2023-annual")
    var rubric2022 = rubric2023
    rubric2022.year = 2022
    let roster = UnitRoster(units: [
        Unit(name: "城东街道", unitClass: "A"), Unit(name: "城西街道", unitClass: "A"),
        Unit(name: "市财政局", unitClass: "B", assigned: ["行政事业性收费"]), Unit(name: "市民政局", unitClass: "B", assigned: ["养老服务", "社会救助"]),
    ])
    let entries = [
        LedgerEntry(seq: 1, record: .finding(Finding(id: "p1", year: 2022, date: Day("2022-05-01")!, unit: "城东街道", indicator: "财政预决算"))),
        LedgerEntry(
            seq: 2,
            record: .finding(
                Finding(
                    id: "p2", year: 2022, date: Day("2022-06-01")!, unit: "市财政局", indicator: "行政事业性收费",
                    score: Points(3)))),
    ]
    let previous = Scorer.standings(rubric: rubric2022, roster: roster, entries: entries, cutoff: Day("2022-12-31")!)
    let formerName = { (unit: RubricEngine.Unit) -> String? in unit.name == "市民政局" ? nil : unit.name == "城西街道" ? "城西镇" : unit.name }
    report.lastYear = YearOverYear.compare(
        current: report.standings,
        previous: PreviousYear(previous, formerName: formerName, grade: { Grading($0, policy: gradedPolicy) }))
    return report
}

@Suite(.timeLimit(.minutes(10))) struct LastYearRenderers {
    @Test func scoresJSON() throws { try golden("yoy-scores.json", ScoresJSON.render(comparedReport())) }
    @Test func scoresCSV() throws { try golden("yoy-scores.csv", ScoresCSV.render(comparedReport())) }
    @Test func markdown() throws { try golden("yoy-summary.md", ReportMarkdown.render(comparedReport())) }
    /// The ranking tables' 2022年度 and 较上年 columns, the 进步最大 lists and each unit page's sentence.
    @Test func html() throws { try golden("yoy-report.html", ReportHTML.render(comparedReport())) }

    @Test func streamedJSONIsTheDocument() {
        let report = comparedReport()
        #expect(ScoresJSON.render(report) == JSONWriter.pretty(.object(ScoresJSON.document(report))))
    }
}
