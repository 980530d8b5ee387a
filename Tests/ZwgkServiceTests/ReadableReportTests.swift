import Foundation
import Testing
import ZwgkTestSupport

/// The report as a person sees it: Chromium (Debian's, installed by scripts/setup) prints it to PDF and
/// takes a screenshot; poppler counts the pages and reads the text back.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ReadableReport {
    @Test func printsOnA4WithOnePagePerUnitAndChineseText() throws {
        let box = try Sandbox()
        // The evidence on a class-A unit, whose page has room for it: every unit's page fits on one sheet.
        let found = goodFinding.replacing("市财政局", with: "城东街道")
        let notice = #"{"type": "notice", "id": "运政办通〔2023〕12号", "year": 2023, "date": "2023-04-10", "level": "quarterly", "units": ["城东街道"]}"#
        try box.drop("a.json", "[\(found), \(notice)]")
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
        #expect(info.contains("(A4)"), "\(info)")
        let pagesLine = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }, "\(info)")
        let pages = try #require(Int(pagesLine.split(separator: " ").last ?? ""), "\(pagesLine)")
        // The print CSS starts the 整改台账 and every unit's section on a new page
        // (section.unit,section.rect{break-before:page}); all before them — title, the A and B rankings with their
        // charts, the year's most-lost indicators — flows onto the ranking pages: one sheet for four units. Then
        // the 整改台账 (one sheet), then one page per unit, its own items included.
        let units = try box.read(box.units).split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("name = \"") else { return nil }
            return String(line.dropFirst(8).dropLast())
        }
        #expect(units.count == 4, "\(units)")
        let rankingPages = 1, ledgerPages = 1
        #expect(
            pages == units.count + rankingPages + ledgerPages,
            "\(pages) pages for \(units.count) units, \(rankingPages) ranking page and \(ledgerPages) page of the 整改台账")
        func page(_ n: Int) throws -> String {
            try runProgram("/usr/bin/pdftotext", ["-layout", "-f", String(n), "-l", String(n), pdf, "-"]).1
        }
        let first = try page(1)
        for phrase in ["2023年度永济市政务公开工作考核得分报告(全年)", "A类单位排名", "B类单位排名", "全年失分最多的指标", "审定记录", "尚未审定"] {
            #expect(first.contains(phrase), "the ranking page lacks “\(phrase)”: \(first)")
        }
        // Every unit page opens with its heading ("城东街道 A类 · 总分 92 · 第2名"): each unit exactly once, class A first.
        var headings: [(unit: String, unitClass: String)] = []
        let ledger = try page(rankingPages + 1)
        for phrase in ["整改台账", "截至 2023-12-31:共 2 项问题:待整改 0、逾期未整改 2", "整改率", "按期整改率"] {
            #expect(ledger.contains(phrase), "the 整改台账 page lacks “\(phrase)”: \(ledger)")
        }
        // Until approved, every printed page carries the 初评 mark (a fixed element, which Chromium repeats on each
        // page) at its top right: the first line, alone on a page that opens with a heading of its own.
        for n in 1...pages {
            let top = try page(n).split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
            #expect(top.hasSuffix("初评(未审定)"), "page \(n) lacks the 初评 mark: \(top)")
        }
        for n in stride(from: rankingPages + ledgerPages + 1, through: pages, by: 1) {
            let text = try page(n)
            let lines = text.split(separator: "\n").filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0.trimmingCharacters(in: .whitespaces) != "初评(未审定)"
            }
            let words = (lines.first ?? "").split(separator: " ")
            #expect(words.count > 2 && words[2] == "·", "page \(n) does not open with a unit's heading: \(text.prefix(200))")
            if words.count > 1 { headings.append((String(words[0]), String(words[1]))) }
        }
        #expect(headings.map(\.unit).sorted() == units.sorted(), "\(headings)")
        #expect(headings.map(\.unitClass) == ["A类", "A类", "B类", "B类"], "\(headings)")
        let text = try runProgram("/usr/bin/pdftotext", ["-layout", pdf, "-"]).1
        for unit in units { #expect(text.contains(unit), "the PDF lacks the unit “\(unit)”") }
        for phrase in ["财政预决算", "未评", "运政办通〔2023〕12号", "本报告由 zwgk 根据账本中的记录自动生成", "逾期未整改"] {
            #expect(text.contains(phrase), "the PDF lacks “\(phrase)”")
        }
        // The fonts the report asks for first are installed, so no glyph falls back to a box.
        #expect(try runProgram("/usr/bin/fc-match", ["Noto Sans CJK SC"]).1.contains("NotoSansCJK"))
    }

    /// The annual report with everything issue 13 adds — 等次, sections against the class, the comparison with the
    /// year before and the 审定 mark — still prints each unit on one A4 page of its own, marked on every page.
    @Test func aGradedComparedApprovedYearPrintsOneUnitPerPage() throws {
        let box = try TwoYears.twoYears()
        try box.configure(
            """
            [grades]
            "优秀" = 100
            "良好" = 95
            "合格" = 60
            """)
        let approved = try box.zwgk(["approve", "--period", "2024-annual", "--by", "张三", "--note", "常务会议审定", "--yes"])
        #expect(approved.status == 0, "\(approved.err)")
        let html = box.reports + "/2024/annual/report.html"
        let pdf = box.root + "/report.pdf"
        let chromium = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(box.root)/chromium"]
        let printed = try runProgram("/usr/bin/chromium", chromium + ["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", html])
        #expect(FileManager.default.fileExists(atPath: pdf), "\(printed.1)")
        let info = try runProgram("/usr/bin/pdfinfo", [pdf]).1
        let pages = try #require(
            info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") },
            "\(info)")
        func page(_ n: Int) throws -> String {
            try runProgram("/usr/bin/pdftotext", ["-layout", "-f", String(n), "-l", String(n), pdf, "-"]).1
        }
        let all = try runProgram("/usr/bin/pdftotext", ["-layout", pdf, "-"]).1
        for phrase in ["进步最大的单位", "等次", "审定记录", "张三", "一级指标", "以“城西街道”参加考核", "新增单位"] {
            #expect(all.contains(phrase), "the PDF lacks “\(phrase)”")
        }
        // Every page carries the 审定 mark; every unit's heading opens a page of its own, and the unit pages come last.
        var unitPages: [String] = []
        for n in 1...pages {
            let text = try page(n)
            let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            // (The mark stands alone at the top, or beside the title on the first page.)
            #expect(lines.first?.hasSuffix("审定 · 张三 · " + (lines.first?.suffix(10) ?? "")) == true, "page \(n) lacks the 审定 mark: \(lines.first ?? "")")
            let heading = lines.dropFirst().first ?? ""
            let words = heading.split(separator: " ")
            if words.count > 2, words[2] == "·", TwoYears.units2024.contains("name = \"\(words[0])\"") {
                unitPages.append(String(words[0]))
            }
        }
        #expect(unitPages.sorted() == ["城东街道", "城南街道", "城西新区街道", "市发改局", "市财政局"].sorted(), "\(unitPages)")
        #expect(try page(pages - unitPages.count + 1).contains(unitPages.first ?? "?"), "unit pages are not the last \(unitPages.count)")
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
