import DropFile
import Foundation
import RubricEngine
import Spreadsheet
import Testing
import ZwgkTestSupport

/// Hostile drop files, crafted: numbers that would trap, oversized and control-character fields, and files
/// whose every record is a problem. Each is refused with a short reason naming the place.
@Suite(.timeLimit(.minutes(10))) struct HostileDrops {
    func finding(_ fields: String, id: String = "f-1") -> String {
        #"{"type": "finding", "id": "\#(id)", "year": 2023, "date": "2023-05-12", "unit": "市财政局", "indicator": "双公示数据报送情况", "score": 6\#(fields)}"#
    }

    @Test(arguments: ["1e-9223372036854775808", "-1E-9223372036854775808", "5e9223372036854775807", "1e99999999999999999999"])
    func scoresAndPointsWithExtremeExponentsAreProblems(_ n: String) {
        let score = problems(#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "双公示数据报送情况", "score": \#(n)}"#)
        #expect(score.map(\.field) == ["score"], "\(score)")
        let points = problems(#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "综合加分项", "points": \#(n)}"#)
        #expect(points.map(\.field) == ["points"], "\(points)")
        let year = problems(#"{"type": "finding", "id": "x", "year": \#(n), "date": "2023-01-01"}"#)
        #expect(year.contains { $0.field == "year" })
    }

    @Test func anIdThatLooksLikeAnExtremeNumberStaysText() throws {
        let v = try valid(finding("", id: "-e-9223372036854775808"))
        #expect(v.new.first?.id == "-e-9223372036854775808")
    }

    @Test(arguments: [
        (#", "note": "a\u0007b""#, "note", "U+0007"),
        (#", "evidence": "a\u001bb""#, "evidence", "U+001B"),
        (#", "note": "a\u007fb""#, "note", "U+007F"),
        (#", "note": "a\u0085b""#, "note", "U+0085"),
        (#", "note": "a\ufffeb""#, "note", "U+FFFE"),
        (#", "method": "网上\n检查""#, "method", "U+000A"),
        (#", "method": "网上\u2028检查""#, "method", "U+2028"),
    ])
    func controlCharactersAreRefusedWithTheirField(_ c: (String, String, String)) {
        let p = problems(finding(c.0))
        #expect(p.map(\.field) == [c.1], "\(p)")
        #expect(p.first?.message.contains(c.2) == true, "\(p)")
        #expect(p.first?.record == 1)
    }

    @Test func freeTextMayHoldLineBreaksAndTabs() throws {
        #expect(try valid(finding(#", "note": "第一行\n第二行\t完", "evidence": "a\r\nb""#)).new.count == 1)
    }

    @Test func controlCharactersInIdsUnitsAndDatesAreRefused() {
        #expect(problems(finding("", id: #"f\u00851"#)).map(\.field) == ["id"])
        let unit = problems(#"{"type": "notice", "id": "n", "year": 2023, "date": "2023-04-10", "level": "monthly", "units": ["市财政局\u0000"]}"#)
        #expect(unit.map(\.field) == ["units[0]"], "\(unit)")
        let date = problems(#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-05-12\u0000", "unit": "市财政局", "indicator": "财政预决算"}"#)
        #expect(date.map(\.field) == ["date"], "\(date)")
    }

    @Test func fieldsAreBoundedByLength() {
        let unit = problems(
            #"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "\#(String(repeating: "市", count: 201))", "indicator": "财政预决算"}"#)
        #expect(unit.map(\.field) == ["unit"])
        #expect(unit.first?.message.contains("超过200个字符") == true)
        #expect(problems(finding(#", "note": "\#(String(repeating: "注", count: 2000))""#)).isEmpty)
        let note = problems(finding(#", "note": "\#(String(repeating: "注", count: 2001))""#))
        #expect(note.map(\.field) == ["note"] && note[0].message.contains("超过2000个字符"), "\(note)")
    }

    @Test func aHugeIndicatorNameGetsNoSuggestionAndAShortProblem() throws {
        let name = String(repeating: "财政预决算", count: 60_000)
        let p = problems(#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "\#(name)"}"#)
        #expect(p.map(\.field) == ["indicator"])
        #expect(p[0].description.count < 400, "\(p[0].description.count)")
        // Short misspellings still get one.
        #expect(
            problems(#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "财政决算"}"#)[0].message.contains("是否是"))
    }

    @Test func aLongIdAndAnUnknownLongKeyAreShownShort() throws {
        let key = String(repeating: "k", count: 100_000)
        guard case .failure(let p) = DropFile.check(Array(finding(#", "\#(key)": 1"#, id: String(repeating: "i", count: 200_000)).utf8), context: context())
        else {
            Issue.record("accepted")
            return
        }
        #expect(p.all.allSatisfy { $0.description.count < 600 }, "\(p)")
    }

    @Test func moreThanTwentyThousandRecordsAreRefusedAsAWhole() {
        let small = #"{"type":"x"}"#
        let json = "[" + Array(repeating: small, count: DropLimits.records + 1).joined(separator: ",") + "]"
        let p = problems(json)
        #expect(p.count == 1 && p[0].message.contains("20000") && p[0].message.contains("请拆分为多个文件"), "\(p)")
    }

    @Test func aFileOfProblemsListsTheFirstHundredAndCountsTheRest() throws {
        let bad = #"{"type": "finding", "id": "x\u0001", "year": 2023, "date": "2023-13-01", "unit": "无此单位", "indicator": "无此指标"}"#
        let json = "[" + Array(repeating: bad, count: 5_000).joined(separator: ",") + "]"
        guard case .failure(let p) = DropFile.check(Array(json.utf8), context: context()) else {
            Issue.record("accepted")
            return
        }
        #expect(p.all.count == Problems.listLimit)
        #expect(p.count == 20_000, "\(p.count)")
        #expect(p.all.first?.record == 1 && p.all.last?.record == 25)
        let listing = p.listing
        #expect(listing.hasPrefix("共20000处问题:"))
        #expect(listing.contains("还有 19900 处问题未列出"), "\(listing.suffix(200))")
        #expect(listing.utf8.count < 64 << 10)
    }

    @Test func aCSVWhoseEveryRowIsAProblemGivesAShortReason() throws {
        var csv = "类型,编号,日期,单位,指标,次数,赋分,分值,方式,佐证,备注\n"
        let row = "发现问题,\u{1}x,2023-13-45,无此单位\u{7},无此指标,零,abc,x,\u{8},\(String(repeating: "很长", count: 10)),\u{0}\n"
        csv += String(repeating: row, count: 20_000)
        #expect(csv.utf8.count < 5 << 20)
        guard case .failure(let p) = check(Array(csv.utf8), .csv) else {
            Issue.record("accepted")
            return
        }
        #expect(p.count > 100_000, "\(p.count)")
        #expect(p.all.count == 100)
        #expect(p.all.first?.place?.row == 2)
        let listing = p.listing
        #expect(listing.utf8.count < 64 << 10, "\(listing.utf8.count)")
        #expect(!listing.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a control character in the reason")
    }

    @Test func aCSVOfMoreThanTwentyThousandRowsIsRefusedAsAWhole() throws {
        let csv = "类型,编号\n" + String(repeating: "发现问题,x\n", count: DropLimits.records + 1)
        let l = lines(check(Array(csv.utf8), .csv))
        #expect(l.count == 1 && l[0].contains("请拆分为多个文件"), "\(l)")
    }

    @Test func aWorkbookWhoseSheetNameHasALineBreakKeepsItOutOfTheSource() throws {
        let header = ["编号", "日期", "单位", "指标"].enumerated().map {
            #"<c r="\#(["A", "B", "C", "D"][$0.offset])1" t="inlineStr"><is><t>\#($0.element)</t></is></c>"#
        }.joined()
        let data = ["f-1", "2023-05-12", "市财政局", "财政预决算"].enumerated().map {
            #"<c r="\#(["A", "B", "C", "D"][$0.offset])2" t="inlineStr"><is><t>\#($0.element)</t></is></c>"#
        }.joined()
        let sheet = CraftedZip.sheet(#"<row r="1">\#(header)</row><row r="2">\#(data)</row>"#)
        let v = try check(CraftedZip.workbook([("发现问题&#10;", sheet)]).bytes, .xlsx).get()
        #expect(v.sources == ["发现问题!2"])
    }

    @Test func aWorkbookOverTheCellTextLimitIsRefused() throws {
        let long = String(repeating: "长", count: 1_000_000)
        let header = #"<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c></row>"#
        let rows = (2...20).map { #"<row r="\#($0)"><c r="A\#($0)" t="s"><v>0</v></c></row>"# }.joined()
        let l = lines(check(CraftedZip.workbook([("发现问题", CraftedZip.sheet(header + rows))], sharedStrings: [long]).bytes, .xlsx))
        #expect(l.count == 1 && l[0].contains("16 MiB"), "\(l)")
    }
}
