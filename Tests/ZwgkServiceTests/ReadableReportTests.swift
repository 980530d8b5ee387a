import Foundation
import Testing
import ZwgkTestSupport

/// The report as a person sees it: Chromium (Debian's, installed by scripts/setup) prints it to PDF and
/// takes a screenshot; poppler counts the pages and reads the text back.
@Suite(.serialized) struct ReadableReport {
    @Test func printsOnA4WithOnePagePerUnitAndChineseText() throws {
        let box = try Sandbox()
        try box.drop("a.json", "[\(goodFinding), \(goodNotice)]")
        try box.zwgk(["daemon", "--once"])
        try box.zwgk(["snapshot", "--period", "2023-annual"])
        let html = box.reports + "/2023/annual/report.html"
        let pdf = box.root + "/report.pdf"
        let png = box.root + "/report.png"
        let chromium = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(box.root)/chromium"]
        let printed = try runProgram("/usr/bin/chromium", chromium + ["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", html])
        #expect(FileManager.default.fileExists(atPath: pdf), "\(printed.1)")
        let shot = try runProgram("/usr/bin/chromium", chromium + ["--hide-scrollbars", "--window-size=1000,1400", "--screenshot=\(png)", html])
        #expect(((try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0) > 10_000, "\(shot.1)")

        let info = try runProgram("/usr/bin/pdfinfo", [pdf]).1
        #expect(info.contains("(A4)"))
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
        // The rankings first, then each of the four units on a page (or two) of its own.
        #expect(pages >= 5 && pages <= 10, "\(pages) pages")
        let text = try runProgram("/usr/bin/pdftotext", ["-layout", pdf, "-"]).1
        for phrase in ["2023年度永济市政务公开工作考核得分报告(全年)", "A类单位排名", "城东街道", "市财政局", "财政预决算", "未评", "全年失分最多的指标"] {
            #expect(text.contains(phrase), "the PDF lacks “\(phrase)”")
        }
        // The fonts the report asks for first are installed, so no glyph falls back to a box.
        #expect(try runProgram("/usr/bin/fc-match", ["Noto Sans CJK SC"]).1.contains("NotoSansCJK"))
    }

    @Test func aUnitsOwnPageForFeedback() throws {
        let box = try Sandbox()
        try box.drop("a.json", "[\(goodFinding), \(goodNotice)]")
        try box.zwgk(["daemon", "--once"])
        let out = box.root + "/市财政局.html"
        let run = try box.zwgk(["report", "--unit", "市财政局", "--period", "2023-Q2", "--output", out])
        #expect(run.status == 0, "\(run.err)")
        let html = try box.read(out)
        #expect(html.contains("市财政局 · 2023年度永济市政务公开工作考核得分情况(第二季度)"))
        #expect(html.contains("wsjc-2023-017"))
        #expect(!html.contains("城东街道"))
        #expect(try box.zwgk(["report", "--unit", "市财政", "--period", "2023-Q2"]).err.contains("是否是:市财政局"))
    }
}
