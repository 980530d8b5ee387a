import Foundation
import RubricEngine
import Spreadsheet
import Testing
import ZwgkFormats

@testable import Reports

/// The fixed year graded: A by 优秀 96 / 良好 93 / 合格 90 with one 优秀 place in two (城东街道's 96.5 is moved
/// down), B by 优秀 101; 重大扣分项 vetoes (市民政局).
func gradedReport(period: String = "2023-Q2") -> ReportContext {
    var report = fixedReport(period: period)
    report.grading = Grading(report.standings, policy: gradedPolicy)
    return report
}

let gradedPolicy: GradePolicy = {
    let defaults = GradeBands(
        cutoffs: [(.excellent, Points(96)), (.good, Points(93)), (.pass, Points(90))],
        excellentShare: ExactShare(literal: "0.5"), veto: ["重大扣分项"])
    var b = defaults
    b.cutoffs[0].cutoff = Points(101)
    return GradePolicy(defaults: defaults, classes: ["B": b])
}()

@Suite(.timeLimit(.minutes(10))) struct GradedRenderers {
    @Test func scoresJSON() throws { try golden("graded-scores.json", ScoresJSON.render(gradedReport())) }
    @Test func scoresCSV() throws { try golden("graded-scores.csv", ScoresCSV.render(gradedReport())) }
    @Test func table() throws { try golden("graded-table.txt", ScoresTable.render(gradedReport())) }
    @Test func markdown() throws { try golden("graded-summary.md", ReportMarkdown.render(gradedReport())) }

    /// The ranking tables with their 等次 column and band counts, and each unit page's heading, chart and weakest sections.
    @Test func html() throws { try golden("graded-report.html", ReportHTML.render(gradedReport())) }

    @Test func gradesAreAsTheRulesSay() {
        let grading = gradedReport().grading!
        #expect(grading.grade(of: "城西街道") == UnitGrade(grade: .excellent))
        #expect(grading.grade(of: "城东街道") == UnitGrade(grade: .good, reason: "因优秀名额限制"))
        #expect(grading.grade(of: "市财政局") == UnitGrade(grade: .excellent))
        #expect(grading.grade(of: "市民政局") == UnitGrade(grade: .fail, reason: "一票否决:重大扣分项"))
    }

    @Test func streamedJSONIsTheDocument() {
        let report = gradedReport()
        #expect(ScoresJSON.render(report) == JSONWriter.pretty(.object(ScoresJSON.document(report))))
    }

    /// A unit that lost nothing in any section says so instead of listing three.
    @Test func aUnitThatLostNothingSaysSo() {
        let report = gradedReport()
        let card = report.standings.cards.first { $0.unit.name == "城西街道" }!
        let html = ReportHTML.renderUnit(card, report: report)
        #expect(html.contains("各一级指标均未失分"))
        #expect(html.contains("等次 <b>优秀</b>"))
        #expect(!html.contains("<script"))
    }
}

@Suite(.timeLimit(.minutes(10))) struct GradedWorkbook {
    /// scores.xlsx's ranking sheets get a 等次 column after 总分 when graded, and none otherwise.
    @Test func rankingSheetsHaveAGradeColumnWhenGraded() {
        func sheet(_ report: ReportContext) -> (xml: String, strings: String) {
            let strings = SharedStrings()
            var xml = ""
            ScoresWorkbook.writeSheet(1, of: report, strings: strings, to: &xml)
            var table = ""
            strings.write(to: &table)
            return (xml, table)
        }
        let graded = sheet(gradedReport())
        #expect(graded.xml.contains("<t>等次</t>") || graded.strings.contains("<t>等次</t>"))
        #expect(graded.strings.contains("<t>不合格</t>") && graded.strings.contains("<t>优秀</t>"))
        let plain = sheet(fixedReport())
        #expect(!plain.xml.contains("等次") && !plain.strings.contains("等次"))
    }
}
