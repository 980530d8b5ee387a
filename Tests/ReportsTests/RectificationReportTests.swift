import Foundation
import RubricEngine
import Testing

@testable import Reports

/// A fixed small year with an item in every state on 2023-06-30: closed on time, reported late, overdue after
/// a failed re-check, open with its own deadline, withdrawn, and not open yet.
func rectificationFixture(period: String = "2023-Q2") -> ReportContext {
    let roster = UnitRoster(units: [
        Unit(name: "城东街道", unitClass: "A"), Unit(name: "城西街道", unitClass: "A"),
        Unit(name: "市财政局", unitClass: "B", assigned: ["行政事业性收费"]), Unit(name: "市民政局", unitClass: "B"),
    ])
    var entries: [LedgerEntry] = []
    func add(_ r: Record) { entries.append(LedgerEntry(seq: Int64(entries.count + 1), record: r, file: "f.json", received: "2023-07-01T02:00:00.000Z")) }
    func d(_ s: String) -> Day { Day(s)! }
    func f(
        _ id: String, _ date: String, _ unit: String, _ row: String, clause: String? = nil, score: Points? = nil, points: Points? = nil,
        rectifyBy: String? = nil
    ) {
        add(
            .finding(
                Finding(
                    id: id, year: 2023, date: d(date), unit: unit, indicator: row, clause: clause, score: score, points: points,
                    rectifyBy: rectifyBy.map(d))))
    }
    func rect(_ id: String, _ date: String, _ target: String, _ unit: String) {
        add(.rectification(Rectification(id: id, year: 2023, date: d(date), target: target, unit: unit, measures: "已整改")))
    }
    func check(_ id: String, _ date: String, _ target: String, _ unit: String, passed: Bool, rectifyBy: String? = nil) {
        add(.recheck(Recheck(id: id, year: 2023, date: d(date), target: target, unit: unit, passed: passed, rectifyBy: rectifyBy.map(d))))
    }
    f("f1", "2023-02-03", "城东街道", "已公布标准目录执行情况")
    rect("z1", "2023-02-10", "f1", "城东街道")
    check("c1", "2023-02-15", "f1", "城东街道", passed: true)
    f("f2", "2023-04-20", "城东街道", "政策咨询", clause: "好评")
    f("f3", "2023-05-06", "市财政局", "行政事业性收费", score: Points(exactly: "2.5"))
    f("f5", "2023-05-08", "市民政局", "重大扣分项", clause: "六", points: Points(exactly: "1.5"))
    add(.notice(Notice(id: "运政办通〔2023〕12号", year: 2023, date: d("2023-04-10"), level: "quarterly", units: ["市财政局", "城东街道"])))
    rect("z2", "2023-04-30", "运政办通〔2023〕12号", "城东街道")
    rect("z3", "2023-04-20", "运政办通〔2023〕12号", "市财政局")
    check("c3", "2023-04-22", "运政办通〔2023〕12号", "市财政局", passed: false, rectifyBy: "2023-05-10")
    f("f6", "2023-08-01", "城西街道", "财政预决算")
    f("f7", "2023-06-01", "城西街道", "部门信息公开")
    add(.retraction(Retraction(id: "r1", year: 2023, date: d("2023-06-20"), target: "f7", reason: "复核后认定已及时公开")))
    f("f8", "2023-06-20", "城西街道", "机构职能", rectifyBy: "2023-07-15")

    let period = Period(period)!
    var book = RectificationBook(rubric: rubric2023, roster: roster, policy: RectificationPolicy(days: 15))
    for e in entries { book.add(e) }
    var report = ReportContext(
        standings: Scorer.standings(rubric: rubric2023, roster: roster, entries: entries, cutoff: period.cutoff),
        period: period)
    report.rectification = book.list(asOf: period.cutoff)
    return report
}

@Suite(.timeLimit(.minutes(10))) struct RectificationRenderers {
    func render(_ write: (RectificationList, inout String) -> Void) -> String {
        var text = ""
        write(rectificationFixture().rectification!, &text)
        return text
    }

    @Test func json() throws { try golden("rectification.json", render { RectificationReport.writeJSON($0, to: &$1) }) }
    @Test func csv() throws { try golden("rectification.csv", render { RectificationReport.writeCSV($0, to: &$1) }) }
    @Test func text() throws { try golden("rectification.txt", render { RectificationReport.writeText($0, to: &$1) }) }

    /// The page sent back to a unit is its 问题清单.
    @Test func aUnitsPageListsItsItems() throws {
        let report = rectificationFixture()
        let card = report.standings.cards.first { $0.unit.name == "市财政局" }!
        try golden("unit-rectification.html", ReportHTML.renderUnit(card, report: report))
    }

    @Test func theReportHasASectionWithEveryUnitsCountsAndRates() {
        let html = ReportHTML.render(rectificationFixture(period: "2023-annual"))
        let section = html.components(separatedBy: "<section class=\"rect\">")
        #expect(section.count == 2, "one 整改台账 section")
        #expect(section[1].hasPrefix("\n<h2>整改台账</h2>\n<p>截至 2023-12-31:共 6 项问题:"), "\(section[1].prefix(200))")
        // By the year's end: 城东街道 closed f1 on time and awaits a re-check of the notice; 城西街道's f6 and f8 are overdue.
        #expect(
            section[1].contains(
                "<td><a href=\"#\(ReportHTML.anchor(unit: "城东街道"))\">城东街道</a></td><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">50%</td><td class=\"num\">100%</td>"
            ),
            "\(section[1])")
        #expect(
            section[1].contains(
                ">城西街道</a></td><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">0%</td><td class=\"num\">—</td>"
            ),
            "\(section[1])")
        // It starts a new sheet in print, before the unit pages.
        #expect(html.contains("section.unit,section.rect{break-before:page}"))
        #expect(html.range(of: "<section class=\"rect\">")!.lowerBound < html.range(of: "<section class=\"unit")!.lowerBound)
        #expect(ReportMarkdown.render(rectificationFixture()).contains("## 整改台账\n\n截至 2023-06-30:共 5 项问题:待整改 1、逾期未整改 2、已报待复查 1、已销号 1(另有已撤销 1 项)"))
    }

    /// Without a 整改台账 (as `zwgk scores` renders) nothing of it shows.
    @Test func noListNoSection() {
        let html = ReportHTML.render(fixedReport())
        #expect(!html.contains("整改台账"))
    }
}
