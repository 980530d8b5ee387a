import Foundation
import RubricEngine
import Testing
import ZwgkFormats

@testable import Reports

let rubric2023: Rubric = try! Rubric.builtIn()

/// A fixed small year: two towns, two departments, every kind of record.
func fixedReport(period: String = "2023-Q2") -> ReportContext {
    let roster = UnitRoster(units: [
        Unit(name: "城东街道", unitClass: "A"), Unit(name: "城西街道", unitClass: "A"),
        Unit(name: "市财政局", unitClass: "B", assigned: ["行政事业性收费"]), Unit(name: "市民政局", unitClass: "B", assigned: ["养老服务", "社会救助"]),
    ])
    var seq: Int64 = 0
    var entries: [LedgerEntry] = []
    func add(_ r: Record) {
        seq += 1
        entries.append(LedgerEntry(seq: seq, record: r, file: "batch-\(seq / 3 + 1).json", received: "2023-07-01T02:00:00.000Z"))
    }
    func f(_ id: String, _ date: String, _ unit: String, _ row: String, clause: String? = nil, count: Int = 1, score: String? = nil, points: String? = nil) {
        add(
            .finding(
                Finding(
                    id: id, year: 2023, date: Day(date)!, unit: unit, indicator: row, clause: clause, count: count,
                    score: score.flatMap { Points(exactly: $0) }, points: points.flatMap { Points(exactly: $0) },
                    method: "网上检查", evidence: "截图\(id)")))
    }
    f("f1", "2023-02-03", "城东街道", "已公布标准目录执行情况", count: 3)
    f("f2", "2023-04-20", "城东街道", "政策咨询", clause: "好评", count: 2)
    f("f3", "2023-05-06", "市财政局", "行政事业性收费", score: "2.5")
    f("f4", "2023-05-07", "市民政局", "养老服务", score: "-1")
    f("f5", "2023-05-08", "市民政局", "重大扣分项", clause: "六", points: "1.5")
    f("f6", "2023-08-01", "城西街道", "财政预决算")
    add(.notice(Notice(id: "运政办通〔2023〕12号", year: 2023, date: Day("2023-04-10")!, level: "quarterly", units: ["市财政局", "城东街道"], title: "二季度检查通报")))
    f("f7", "2023-06-01", "城西街道", "部门信息公开")
    add(.retraction(Retraction(id: "r1", year: 2023, date: Day("2023-06-20")!, target: "f7", reason: "复核后认定已及时公开")))
    let period = Period(period)!
    return ReportContext(standings: Scorer.standings(rubric: rubric2023, roster: roster, entries: entries, cutoff: period.cutoff), period: period)
}

/// Compares `actual` with `Golden/<name>` as bytes (a BOM and CRLF line ends are part of what is pinned).
/// With `ZWGK_UPDATE_GOLDEN=1` a file that differs is rewritten and the test still fails, naming it: an update
/// is reviewed (`git diff`) and then run again without the variable, so fixing one renderer never silently
/// re-approves the others.
func golden(_ name: String, _ actual: String) throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)").path
    let expected = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    guard actual != expected else { return }
    if ProcessInfo.processInfo.environment["ZWGK_UPDATE_GOLDEN"] == "1" {
        try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
        Issue.record("golden file \(name) rewritten: review `git diff Tests/ReportsTests/Golden/\(name)`, then run again without ZWGK_UPDATE_GOLDEN")
        return
    }
    #expect(actual == expected, "\(name) differs from its golden file; rerun with ZWGK_UPDATE_GOLDEN=1 and review the diff")
}

@Suite(.timeLimit(.minutes(10))) struct Renderers {
    @Test func scoresJSON() throws { try golden("scores.json", ScoresJSON.render(fixedReport())) }
    @Test func scoresCSV() throws { try golden("scores.csv", ScoresCSV.render(fixedReport())) }
    @Test func table() throws { try golden("table.txt", ScoresTable.render(fixedReport())) }
    @Test func markdown() throws {
        var annual = fixedReport(period: "2023-annual")
        let q2 = fixedReport()
        annual.previous = (q2.period!, Dictionary(uniqueKeysWithValues: q2.standings.cards.map { ($0.unit.name, ($0.total, $0.rank)) }))
        try golden("summary.md", ReportMarkdown.render(annual))
    }

    @Test func htmlMarksPendingWithdrawnAndLateEntries() {
        let html = ReportHTML.render(fixedReport())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<td class=\"num\">未评</td>"))
        #expect(html.contains("已撤销(r1)"))
        #expect(html.contains("截止日后,未计入"))
        #expect(html.contains("复核后认定已及时公开"))
        #expect(html.contains("@page{size:A4"))
        #expect(!html.contains("<script"))
    }

    @Test func unitPageStandsAlone() {
        let report = fixedReport()
        let card = report.standings.cards.first { $0.unit.name == "市民政局" }!
        let html = ReportHTML.renderUnit(card, report: report)
        #expect(html.contains("市民政局"))
        #expect(!html.contains("城东街道"))
    }

    @Test func csvFieldsAreQuotedAndFormulaSafe() {
        #expect(ScoresCSV.field("a,b") == "\"a,b\"")
        #expect(ScoresCSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ScoresCSV.field("=SUM(A1)") == "'=SUM(A1)")
        // Only text reaches `field` (numbers are written as they are), so nothing that looks like a number is parsed.
        #expect(ScoresCSV.field("-2.5") == "'-2.5")
        #expect(ScoresCSV.field("-e-9223372036854775808") == "'-e-9223372036854775808")
        #expect(ScoresCSV.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(ScoresCSV.field("+1") == "'+1")
        #expect(ScoresCSV.field("\tx") == "'\tx")
        #expect(ScoresCSV.field("1e5") == "1e5")
    }

    /// scores.json is written a unit at a time; it must be exactly the document's pretty form.
    @Test func streamedJSONIsTheDocument() {
        var report = fixedReport()
        #expect(ScoresJSON.render(report) == JSONWriter.pretty(.object(ScoresJSON.document(report))))
        report.standings.classes = []
        #expect(ScoresJSON.render(report) == JSONWriter.pretty(.object(ScoresJSON.document(report))))
    }

    /// Pages rendered on every core come out in order, across many batches, separators between them only.
    @Test func parallelPiecesKeepTheirOrder() {
        for count in [0, 1, 255, 256, 257, 1_000] {
            var text = ""
            writeInParallel(Array(0..<count), to: &text, separator: ",") { String($0) }
            #expect(text == (0..<count).map(String.init).joined(separator: ","))
        }
        let report = fixedReport()
        #expect(ReportHTML.render(report).contains(report.standings.cards.map { ReportHTML.unitPage($0, report: report) }.joined()))
    }
}
