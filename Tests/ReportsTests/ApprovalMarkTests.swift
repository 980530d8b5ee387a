import Foundation
import RubricEngine
import Testing
import ZwgkFormats

@testable import Reports

/// Annual reports say where the result stands: 初评 until approved, then 审定 with approver and date, on
/// every page, with the approval history; quarterly reports are not marked.
@Suite(.timeLimit(.minutes(10))) struct ApprovalMarks {
    static let approved = ApprovalHistory(steps: [
        .init(approve: true, by: "张三", at: "2024-01-20T02:00:00.000Z", localAt: "2024-01-20 10:00", note: "常务会议审定"),
        .init(approve: false, by: "李四", at: "2024-01-22T01:30:00.000Z", localAt: "2024-01-22 09:30", note: "城西街道异议成立,更正后重新审定"),
        .init(approve: true, by: "张三", at: "2024-01-25T02:00:00.000Z", localAt: "2024-01-25 10:00", note: nil),
    ])

    func annual(_ approvals: ApprovalHistory) -> ReportContext {
        var report = fixedReport(period: "2023-annual")
        report.approvals = approvals
        return report
    }

    @Test func draftAnnualSummary() throws { try golden("summary-draft.md", ReportMarkdown.render(annual(ApprovalHistory()))) }
    @Test func approvedAnnualSummary() throws { try golden("summary-approved.md", ReportMarkdown.render(annual(Self.approved))) }
    @Test func approvedAnnualScoresJSON() throws {
        let json = ScoresJSON.render(annual(Self.approved))
        // The header only: the units are pinned by scores.json.
        try golden("scores-approved-header.json", String(json[..<json.range(of: "\n  \"classes\"")!.lowerBound]))
    }

    @Test func draftAnnualReportIsMarkedOnEveryPage() throws {
        let html = ReportHTML.render(annual(ApprovalHistory()))
        let units = fixedReport().standings.cards.count
        #expect(html.components(separatedBy: "<span class=\"approval-tag draft\">初评(未审定)</span></h2>").count - 1 == units)
        #expect(html.contains("@page{@top-right{content:\"初评(未审定)\";"))
        #expect(html.contains("<h2>审定记录</h2>\n<p class=\"note\">尚未审定。</p>"))
        try golden("approval-draft-header.html", String(html[html.range(of: "<header>")!.lowerBound..<html.range(of: "</header>")!.upperBound]))
    }

    @Test func approvedAnnualReportNamesApproverAndHistory() throws {
        let html = ReportHTML.render(annual(Self.approved))
        #expect(html.contains("@page{@top-right{content:\"审定 · 张三 · 2024-01-25\";"))
        #expect(!html.contains("初评"))
        let history = String(html[html.range(of: "<section class=\"approvals\">")!.lowerBound...])
        try golden("approval-history.html", String(history[..<history.range(of: "</section>")!.upperBound]))
        let card = fixedReport().standings.cards[0]
        #expect(ReportHTML.renderUnit(card, report: annual(Self.approved)).contains("审定 · 张三 · 2024-01-25"))
    }

    /// An approver's name is text in the page margin's CSS string, never markup or the end of the style.
    @Test func theMarginMarkIsAnEscapedCSSString() {
        #expect(Reports.ApprovalMarks.cssString(#"张"三\</style><b>"#) == #""张\22 三\5c \3c /style\3e \3c b\3e ""#)
    }

    @Test func quarterlyReportsAreNotMarked() {
        let report = fixedReport()
        for text in [ReportHTML.render(report), ReportMarkdown.render(report), ScoresJSON.render(report)] {
            #expect(!text.contains("初评") && !text.contains("审定") && !text.contains("\"status\""))
        }
    }
}
