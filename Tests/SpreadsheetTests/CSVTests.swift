import Foundation
import Testing
import ZwgkTestSupport

@testable import Spreadsheet

/// The CSV reader against RFC 4180's cases, and the encodings offices save CSV in.
@Suite(.timeLimit(.minutes(10))) struct CSVReading {
    func rows(_ text: String) throws -> [[String]] {
        try CSVSheet.read(text, name: "").rows.map { row in
            let width = (row.cells.map(\.column).max() ?? -1) + 1
            return (0..<width).map { c in if case .text(let t)? = row[c] { t } else { "" } }
        }
    }

    @Test func rfc4180Cases() throws {
        // §2.1–2.2: CRLF between records, the last line with or without one.
        #expect(try rows("aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n") == [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
        #expect(try rows("aaa,bbb,ccc\r\nzzz,yyy,xxx") == [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
        // §2.5: quoted fields.
        #expect(try rows("\"aaa\",\"bbb\",\"ccc\"\r\n") == [["aaa", "bbb", "ccc"]])
        // §2.6: line breaks and commas inside quotes.
        #expect(try rows("\"aaa\",\"b\r\nbb\",\"c,cc\"\r\nzzz,yyy,xxx\r\n") == [["aaa", "b\r\nbb", "c,cc"], ["zzz", "yyy", "xxx"]])
        // §2.7: a double quote inside a quoted field is doubled.
        #expect(try rows("\"aaa\",\"b\"\"bb\",\"ccc\"\r\n") == [["aaa", "b\"bb", "ccc"]])
        // LF alone, as WPS and Linux tools write.
        #expect(try rows("a,b\nc,d\n") == [["a", "b"], ["c", "d"]])
    }

    @Test func rowNumbersCountRecordsNotLinesAndBlankLinesAreKeptOut() throws {
        let sheet = try CSVSheet.read("编号,备注\r\nf-1,\"两\r\n行\"\r\n\r\nf-2,x\r\n,,\r\n", name: "")
        #expect(sheet.rows.map(\.number) == [1, 2, 4])
        #expect(sheet.rows[1][1] == .text("两\r\n行"))
    }

    @Test func utf8WithAndWithoutByteOrderMark() throws {
        #expect(try TextDecoding.decode(Array("编号\r\n".utf8)) == ("编号\r\n", .utf8))
        #expect(try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array("编号".utf8)) == ("编号", .utf8))
    }

    @Test func gb18030AsIconvWritesIt() throws {
        let text = "类型,编号,单位\r\n发现问题,f-1,市财政局、城东街道\r\n𠀀,€,·\r\n"
        let dir = NSTemporaryDirectory() + "zwgk-csv-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
        // GBK (what Excel writes as "CSV" on Chinese Windows) is GB18030's two-byte part; 𠀀 needs GB18030's four bytes.
        let gbkText = String(text.prefix { $0 != "𠀀" })
        try gbkText.write(toFile: dir + "/gbk-in.csv", atomically: true, encoding: .utf8)
        let (status, out) = try runProgram(
            "/bin/sh", ["-c", "iconv -f UTF-8 -t GB18030 in.csv > gb.csv && iconv -f UTF-8 -t GBK gbk-in.csv > gbk.csv"], cwd: dir)
        #expect(status == 0, "\(out)")
        for (file, expected) in [("gb.csv", text), ("gbk.csv", gbkText)] {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)))
            #expect(String(validating: bytes, as: UTF8.self) == nil)
            let decoded = try TextDecoding.decode(bytes)
            #expect(decoded.encoding == .gb18030)
            #expect(decoded.text == expected)
        }
    }

    @Test func otherBytesAreRefusedWithAReason() {
        #expect(throws: TextDecoding.Failure.self) { try TextDecoding.decode([0xFF, 0xFE, 0x16, 0x7F]) }
        // 0x80 and 0xFF are not GB18030 lead bytes; 0x81 0x20 is no valid pair.
        do {
            _ = try TextDecoding.decode([0x41, 0x81, 0x20, 0xFF, 0x80])
            Issue.record("random bytes were read as text")
        } catch {
            #expect(error.description.contains("既不是 UTF-8"))
        }
        // A UTF-8 mark followed by bytes that are not UTF-8.
        #expect(throws: TextDecoding.Failure.self) { try TextDecoding.decode([0xEF, 0xBB, 0xBF, 0xC4, 0xE3]) }
    }
}

@Suite(.timeLimit(.minutes(10))) struct Dates {
    @Test func serialNumbers() {
        #expect(CalendarDate(serial: 45058, date1904: false)?.description == "2023-05-12")
        #expect(CalendarDate(serial: 45058.75, date1904: false)?.description == "2023-05-12")
        #expect(CalendarDate(serial: 1, date1904: false)?.description == "1900-01-01")
        #expect(CalendarDate(serial: 59, date1904: false)?.description == "1900-02-28")
        #expect(CalendarDate(serial: 60, date1904: false) == nil)
        #expect(CalendarDate(serial: 61, date1904: false)?.description == "1900-03-01")
        #expect(CalendarDate(serial: 43596, date1904: true)?.description == "2023-05-12")
        #expect(CalendarDate(year: 2023, month: 5, day: 12).serial1900 == 45058)
    }

    @Test func dateFormatCodes() {
        #expect(WorkbookParts.isDateFormat("yyyy\\-mm\\-dd"))
        #expect(WorkbookParts.isDateFormat("yyyy\"年\"m\"月\"d\"日\""))
        #expect(WorkbookParts.isDateFormat("[$-804]yyyy/m/d"))
        #expect(!WorkbookParts.isDateFormat("0.00"))
        #expect(!WorkbookParts.isDateFormat("General"))
        #expect(!WorkbookParts.isDateFormat("\"day\"0"))
        #expect(!WorkbookParts.isDateFormat("[Red]0.0"))
    }

    @Test func columnLetters() {
        #expect(CellReference.letters(0) == "A")
        #expect(CellReference.letters(25) == "Z")
        #expect(CellReference.letters(26) == "AA")
        #expect(CellReference("AB12") == CellReference(column: 27, row: 12))
        #expect(CellReference("$E$3") == CellReference(column: 4, row: 3))
        #expect(CellReference("12") == nil)
    }
}
