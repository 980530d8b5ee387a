import Foundation
import Testing
import ZwgkTestSupport

@testable import Spreadsheet

/// Workbooks written by `WorksheetWriter` + `WorkbookWriter` (inline strings, styled dates) read back by
/// `WorkbookReader`, and workbooks from openpyxl (shared strings) read by it.
@Suite(.timeLimit(.minutes(10))) struct WorkbookRoundTrip {
    let dir = NSTemporaryDirectory() + "zwgk-xlsx-\(UUID().uuidString)"

    func write(_ rows: [[OutputCell]], name: String = "发现问题") throws -> [UInt8] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var xml = ""
        var sheet = WorksheetWriter()
        sheet.begin(columns: [ColumnFormat(width: 12, style: .textFormat)], freezeHeader: true, to: &xml)
        for row in rows { sheet.row(row, to: &xml) }
        sheet.end(validations: [ListValidation(cells: "A2:A9", source: "'名单'!$A$2:$A$3", strict: true)], to: &xml)
        try xml.write(toFile: dir + "/part.xml", atomically: true, encoding: .utf8)
        var lists = ""
        var second = WorksheetWriter()
        second.begin(columns: [], freezeHeader: false, to: &lists)
        second.row([.text("名单")], to: &lists)
        second.end(to: &lists)
        try lists.write(toFile: dir + "/lists.xml", atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: dir + "/book.xlsx")
        try WorkbookWriter.write([.init(name: name, path: dir + "/part.xml"), .init(name: "名单", path: dir + "/lists.xml")], to: dir + "/book.xlsx")
        return Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/book.xlsx")))
    }

    @Test func inlineStringsNumbersAndDatesComeBackAsWritten() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = try write([
            [.text("编号", style: .header), .text("日期", style: .header), .text("分值", style: .header)],
            [.text("a<b>&\"c\""), .date(CalendarDate(year: 2023, month: 5, day: 12)), .number("6.5")],
            [.text("两\n行\u{1}"), .text(""), .number("-0.25")],
        ])
        let read = try WorkbookReader.read(bytes) { $0 == "发现问题" }
        #expect(read.names == ["发现问题", "名单"])
        #expect(read.sheets.count == 1)
        let rows = read.sheets[0].rows
        #expect(rows.map(\.number) == [1, 2, 3])
        #expect(rows[1][0] == .text("a<b>&\"c\""))
        #expect(rows[1][1] == .date(CalendarDate(year: 2023, month: 5, day: 12)))
        #expect(rows[1][2] == .number("6.5"))
        #expect(rows[2][0] == .text("两\n行\u{1}"))
        #expect(rows[2][1] == nil)
        #expect(rows[2][2] == .number("-0.25"))
    }

    @Test func openpyxlSharedStringsDatesFormulasAndMergedCells() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OfficeTools.writeWorkbook(
            #"""
            {"sheets": [{"name": "Sheet", "rows": [["a"]]}, {"name": "发现问题", "rows": [["编号", "日期", null, "次数"],
              ["f-1", {"date": "2023-05-12"}, null, {"formula": "=1+1"}], [], ["f-1", {"text": "007"}, 3.25, true]],
              "merge": ["B1:C1"]}]}
            """#, to: dir + "/op.xlsx")
        let read = try WorkbookReader.read(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/op.xlsx")))) { $0 == "发现问题" }
        let sheet = try #require(read.sheets.first)
        #expect(sheet.merged == [CellRange(firstRow: 1, lastRow: 1, firstColumn: 1, lastColumn: 2)])
        #expect(sheet.rows.map(\.number) == [1, 2, 4])
        #expect(sheet.rows[0][0] == .text("编号") && sheet.rows[2][0] == .text("f-1"), "one shared string, twice")
        #expect(sheet.rows[1][1] == .date(CalendarDate(year: 2023, month: 5, day: 12)))
        #expect(sheet.rows[1][3] == .formulaWithoutValue("1+1"))
        #expect(sheet.rows[2][1] == .text("007"))
        #expect(sheet.rows[2][2] == .number("3.25"))
        #expect(sheet.rows[2][3] == .bool(true))
    }
}
