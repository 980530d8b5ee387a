import Foundation
import Ledger
import RubricEngine
import Testing
import ZwgkFormats
import ZwgkService
import ZwgkTestSupport

/// Every output is total over what the ledger can hold (issue 17): ids and texts that look like numbers,
/// formulas, markup, control characters, right-to-left marks and very long texts are written as text by every
/// renderer, through the real binary, and each output stays well-formed.
@Suite(.serialized, .timeLimit(.minutes(10))) struct HostileValues {
    /// Ids the checker accepts that a renderer could take for something else.
    static let ids = [
        "-e-9223372036854775808", "1e5", "-0", "0x10", "=cmd|' /C calc'!A0", "+1", "@SUM(A1)",
        "<script>alert(1)</script>", "]]>", "\"引号\"'", "编号〔2023〕1号", "\u{202E}evil", "\u{0301}x", "😀-1",
    ]
    /// Texts with control characters, as a ledger written before the checker refused them (or by a future
    /// checker that lets one through) holds them.
    static let controlTexts = [
        "换行\n#999 伪造的一行", "tab\there", "\u{1B}[31m红色\u{1B}[0m", "NUL\u{0}byte", "C1\u{85}\u{9B}x",
        "分隔\u{2028}符", "DEL\u{7F}",
    ]

    @Test func everyOutputRendersTheNastiestValues() throws {
        let box = try Sandbox()
        // Through the real ingest: one JSON drop file of findings with every odd id, and follow-ups with long texts.
        let long = String(repeating: "很长的说明<b>&amp;", count: 140)  // 1,960 characters: under the 2,000 a free text may have
        var records = Self.ids.enumerated().map { i, id in
            #"{"type": "finding", "id": \#(JSONWriter.quote(id)), "year": 2023, "date": "2023-05-0\#(i % 9 + 1)", "unit": "城东街道", "indicator": "已公布标准目录执行情况", "note": \#(JSONWriter.quote(long))}"#
        }
        records.append(
            #"{"type": "retraction", "id": "r-1", "year": 2023, "date": "2023-07-15", "target": "1e5", "reason": \#(JSONWriter.quote("申诉成立 " + long))}"#)
        records.append(
            #"{"type": "rectification", "id": "z-1", "year": 2023, "date": "2023-06-01", "target": "-e-9223372036854775808", "measures": \#(JSONWriter.quote(long))}"#
        )
        try box.drop("hostile.json", "[" + records.joined(separator: ",\n") + "]")
        let once = try box.zwgk(["daemon", "--once"])
        #expect(once.status == 0 && once.signal == nil, "\(once.out)\(once.err)")
        #expect(box.names(box.accepted) == ["hostile.json"], "\(box.names(box.rejected)) \(once.err)")

        // Through the Ledger API: what no checker may let in today, but a ledger can hold.
        try commitControlTexts(box)

        try expectEveryOutputWellFormed(box)
    }

    /// Findings, a notice and a retraction whose ids and texts hold control characters, from a file whose name does.
    func commitControlTexts(_ box: Sandbox) throws {
        let ledger = try Ledger(path: box.state + "/ledger.sqlite")
        var new: [Record] = []
        for (i, text) in Self.controlTexts.enumerated() {
            new.append(
                .finding(
                    Finding(
                        id: "ctl-\(i)-" + text, year: 2023, date: Day(year: 2023, month: 6, day: i + 1)!, unit: "城西街道",
                        indicator: "已公布标准目录执行情况", method: text, note: text)))
        }
        new.append(
            .notice(
                Notice(
                    id: "通报\u{1B}[2J", year: 2023, date: Day(year: 2023, month: 4, day: 10)!, level: "quarterly",
                    units: ["城西街道"], title: Self.controlTexts.joined())))
        new.append(
            .retraction(
                Retraction(
                    id: "撤销\n伪造", year: 2023, date: Day(year: 2023, month: 7, day: 1)!,
                    target: "ctl-0-" + Self.controlTexts[0], reason: Self.controlTexts.joined(separator: " "))))
        let bytes = Array(new.map(\.canonicalText).joined(separator: "\n").utf8)
        let receipt = FileReceipt(
            name: "控制\n字符\u{1B}[31m.json", sha256: ContentHash.hex(bytes), size: bytes.count,
            receivedAt: "2023-07-02T00:00:00Z")
        _ = try ledger.commit([.init(receipt: receipt, outcome: .accepted, newRecords: new)])
        try ledger.markStored([(try #require(ledger.allUnfinished().first).id, "控制字符.json")])
    }

    func expectEveryOutputWellFormed(_ box: Sandbox) throws {
        func run(_ args: [String]) throws -> Sandbox.Run {
            let r = try box.zwgk(args)
            #expect(r.status == 0 && r.signal == nil, "zwgk \(args.joined(separator: " ")): \(r.status) \(r.err)")
            #expect(
                !r.out.utf8.contains(0x1B) && !r.out.utf8.contains(0) && !r.err.utf8.contains(0x1B),
                "zwgk \(args.joined(separator: " ")) let a control character through: \(r.out.prefix(2000))")
            return r
        }
        // The snapshot: every file written, each well-formed.
        for period in ["2023-Q2", "2023-Q3", "2023-annual"] { _ = try run(["snapshot", "--period", period]) }
        let folder = box.reports + "/2023/annual"
        _ = try JSONReader.parse(try box.read(folder + "/scores.json"))
        _ = try JSONReader.parse(try box.read(folder + "/manifest.json"))
        let html = try Data(contentsOf: URL(fileURLWithPath: folder + "/report.html"))
        #expect(!html.contains { $0 < 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }, "report.html holds a control character")
        #expect(!String(decoding: html, as: UTF8.self).contains("<script>"))
        let csv = try box.read(folder + "/rectification.csv")
        #expect(csv.contains("'-e-9223372036854775808") && csv.contains("'=cmd|") && csv.contains("'+1") && csv.contains("'@SUM(A1)"))
        #expect(!csv.split(separator: "\r\n").contains { $0.hasPrefix("=") || $0.contains(",=") }, "a formula cell in rectification.csv")
        _ = try box.read(folder + "/scores.csv")
        _ = try box.read(folder + "/summary.md")
        let workbook = try OfficeTools.dump(folder + "/scores.xlsx")  // openpyxl parses every part
        #expect(((workbook["sheets"] as? [Any])?.count ?? 0) > 0)

        // Every command that prints what the ledger holds.
        for format in ["csv", "json", "text"] {
            let r = try run(["rectification", "--format", format])
            if format == "json" { _ = try JSONReader.parse(r.out) }
            if format == "csv" { #expect(r.out.contains("'-e-9223372036854775808")) }
        }
        for format in ["table", "json", "csv"] { _ = try run(["scores", "--year", "2023", "--format", format]) }
        for unit in ["城东街道", "城西街道"] {
            let text = try run(["history", "--unit", unit]).out
            #expect(!text.split(separator: "\n").contains { $0.hasPrefix("#999") }, "a text from the ledger forged a line: \(text)")
            _ = try JSONReader.parse(try run(["history", "--unit", unit, "--format", "json"]).out)
            let page = try run(["report", "--unit", unit, "--period", "2023-annual", "--output", box.root + "/\(unit).html"])
            #expect(page.out.hasSuffix(".html\n"))
        }
        _ = try run(["verify"])
        let status = try box.zwgk(["status"])
        #expect(status.signal == nil && !status.out.utf8.contains(0x1B), "\(status.out)")
    }

    /// `report --unit` names its output after the unit: one file in the current folder, whatever the name holds.
    @Test func aUnitNameNeverLeavesTheReportFolder() throws {
        let hostile = ["../逃逸", "a/b", "-rf", ".隐藏", "\u{1B}[31m", String(repeating: "很长的单位名称", count: 30)]
        var units = try String(contentsOf: URL(fileURLWithPath: fixturePath("units.toml")), encoding: .utf8)
        for name in hostile { units += "\n[[unit]]\nname = \(JSONWriter.quote(name))\nclass = \"A\"\n" }
        let box = try Sandbox(units: units)
        try box.drop("a.json", finding("a1"))
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        for name in hostile {
            let r = try box.zwgk(["report", "--unit=" + name, "--period", "2023-annual"])
            #expect(r.status == 0, "\(name): \(r.err)")
            let written = r.out.trimmingCharacters(in: .newlines)
            #expect(!written.contains("/") && !written.hasPrefix(".") && !written.hasPrefix("-") && written.utf8.count <= 255, "\(written)")
            #expect(FileManager.default.fileExists(atPath: box.root + "/" + written), "\(written)")
        }
        #expect(!FileManager.default.fileExists(atPath: box.root + "/../逃逸-2023-annual.html"))
    }
}
