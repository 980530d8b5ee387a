import Testing
import ZwgkTestSupport

@testable import Spreadsheet

/// Crafted workbooks: every number read from the container or the XML is range-checked, every limit holds,
/// and each such file is refused with a `WorkbookError` (never a trap).
@Suite(.timeLimit(.minutes(10))) struct HostileWorkbooks {
    let plain = CraftedZip.sheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c></row>"#)

    func refusal(_ bytes: [UInt8], limits: ReadLimits = .generous) -> WorkbookError? {
        do {
            _ = try WorkbookReader.read(bytes, limits: limits) { _ in true }
            return nil
        } catch {
            return error
        }
    }

    @Test func aPlainCraftedWorkbookReads() throws {
        let read = try WorkbookReader.read(CraftedZip.workbook([("发现问题", plain)]).bytes) { _ in true }
        #expect(read.sheets.first?.rows.first?[0] == .text("编号"))
    }

    // MARK: The container

    @Test func aDirectoryOffsetPastTheEnd() throws {
        var zip = CraftedZip.workbook([("发现问题", plain)])
        zip.patch(zip.end + 16, 0xFFFF_FF00, size: 4)
        #expect(refusal(zip.bytes)?.code == .damaged)
    }

    @Test func aLocalHeaderOffsetPastTheEnd() throws {
        var zip = CraftedZip.workbook([("发现问题", plain)])
        zip.patch(zip.centralEntries[0] + 42, 0x7FFF_FFF0, size: 4)
        #expect(refusal(zip.bytes)?.code == .damaged)
    }

    @Test(arguments: [UInt64(1) << 63 | 5, UInt64.max, 1 << 40])
    func aZip64LocalHeaderOffsetOutOfRange(_ offset: UInt64) throws {
        let zip = CraftedZip([.init("xl/workbook.xml", "<workbook/>")], zip64Offset: offset)
        #expect(refusal(zip.bytes)?.code == .damaged)
    }

    @Test func aZip64EndRecordPointingPastTheEnd() throws {
        let zip = CraftedZip.workbook([("发现问题", plain)])
        // A zip64 end record and its locator, put before the end record, whose directory starts at 2^63.
        var record: [UInt8] = [0x50, 0x4B, 0x06, 0x06] + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4)
        record += le(3, 8) + le(3, 8) + le(100, 8) + le(1 << 63, 8)
        let locator: [UInt8] = [0x50, 0x4B, 0x06, 0x07] + le(0, 4) + le(UInt64(zip.end), 8) + le(1, 4)
        let bytes = Array(zip.bytes[..<zip.end]) + record + locator + Array(zip.bytes[zip.end...])
        #expect(refusal(bytes)?.code == .damaged)
    }

    @Test func aCompressedSizePastTheEnd() throws {
        var zip = CraftedZip.workbook([("发现问题", plain)])
        zip.patch(zip.centralEntries[0] + 20, 0xFFFF_FFF0, size: 4)
        #expect(refusal(zip.bytes)?.code == .damaged)
    }

    @Test func aWrongCRCIsRefused() throws {
        var zip = CraftedZip.workbook([("发现问题", plain)])
        let entry = zip.centralEntries[2]  // the sheet part
        zip.patch(entry + 16, UInt64(CraftedZip.crc32(Array(plain.utf8)) ^ 1), size: 4)
        let error = try #require(refusal(zip.bytes))
        #expect(error.code == .damaged)
        #expect(error.description.contains("CRC"), "\(error)")
    }

    // MARK: Numbers in the XML

    @Test(arguments: ["9223372036854775807", "1048576"])
    func aRowNumberWhoseNextRowWouldOverflow(_ r: String) throws {
        let sheet = CraftedZip.sheet(#"<row r="\#(r)"><c t="inlineStr"><is><t>x</t></is></c></row><row><c t="inlineStr"><is><t>y</t></is></c></row>"#)
        let error = try #require(refusal(CraftedZip.workbook([("s", sheet)]).bytes))
        #expect(error.code == .damaged)
        #expect(error.description.contains("行号"), "\(error)")
    }

    @Test(arguments: ["-1", "0", "99999999999999999999999", "0x10"])
    func aRowNumberOutOfRange(_ r: String) throws {
        let sheet = CraftedZip.sheet(#"<row r="\#(r)"><c t="inlineStr"><is><t>x</t></is></c></row>"#)
        #expect(refusal(CraftedZip.workbook([("s", sheet)]).bytes)?.code == .damaged)
    }

    @Test func hugeStyleAndCellReferencesAndSharedStringIndexes() throws {
        let ok = CraftedZip.sheet(#"<row r="1"><c r="ZZZZZZZZ99999999999" s="99999999999999999999"><v>1</v></c><c s="-9223372036854775808"><v>2</v></c></row>"#)
        let read = try WorkbookReader.read(CraftedZip.workbook([("s", ok)]).bytes) { _ in true }
        #expect(read.sheets[0].rows[0].cells.map(\.value) == [.number("1"), .number("2")])
        let bad = CraftedZip.sheet(#"<row r="1"><c t="s"><v>99999999999999999999999</v></c></row>"#)
        let error = try #require(refusal(CraftedZip.workbook([("s", bad)], sharedStrings: ["a"]).bytes))
        #expect(error.description.contains("共享字符串"), "\(error)")
    }

    @Test(arguments: ["0x1p3", "nan", "inf", "-infinity", "1e", "--1", "1.2.3", "0x10"])
    func aNumberCellThatIsNoDecimalNumberIsNoDateAndNoNumber(_ v: String) throws {
        let sheet = CraftedZip.sheet(#"<row r="1"><c r="A1" s="1"><v>\#(v)</v></c></row>"#)
        let error = try #require(refusal(CraftedZip.workbook([("s", sheet)], styles: CraftedZip.dateStyles).bytes))
        #expect(error.description.contains("A1") && error.description.contains("十进制"), "\(error)")
    }

    @Test func decimalNumbersInADateStyleAreDates() throws {
        let sheet = CraftedZip.sheet(#"<row r="1"><c r="A1" s="1"><v>45058</v></c><c r="B1"><v>1.5E-3</v></c></row>"#)
        let read = try WorkbookReader.read(CraftedZip.workbook([("s", sheet)], styles: CraftedZip.dateStyles).bytes) { _ in true }
        #expect(read.sheets[0].rows[0].cells.map(\.value) == [.date(CalendarDate(year: 2023, month: 5, day: 12)), .number("1.5E-3")])
    }

    // MARK: Bounded work

    @Test func onePartListedAsManySheetsIsReadOnce() throws {
        let listed = (0..<1000).map { (name: "s\($0)", id: "rId1") }
        let error = try #require(refusal(CraftedZip.workbook([("s", plain)], listed: listed).bytes))
        #expect(error.code == .damaged && error.description.contains("同一个部件"), "\(error)")
        let many = (0..<100_000).map { (name: "s\($0)", id: "rId1") }
        let tooMany = try #require(
            refusal(
                CraftedZip.workbook([("s", plain)], listed: many).bytes,
                limits: ReadLimits(rows: 10, cellsPerRow: 10, cells: 100, textBytes: 1000, sheets: 64)))
        #expect(tooMany.code == .tooLarge && tooMany.description.contains("64"), "\(tooMany)")
    }

    @Test func aLongSharedStringInManyCellsCountsEachTime() throws {
        let long = String(repeating: "长", count: 100_000)
        let rows = (1...40).map { #"<row r="\#($0)"><c t="s"><v>0</v></c></row>"# }.joined()
        let limits = ReadLimits(rows: 100, cellsPerRow: 10, cells: 100, textBytes: 1 << 20, sheets: 4)
        let error = try #require(refusal(CraftedZip.workbook([("s", CraftedZip.sheet(rows))], sharedStrings: [long]).bytes, limits: limits))
        #expect(error.code == .tooLarge && error.description.contains("1 MiB"), "\(error)")
    }

    @Test func rowsCellsAndCellsPerRowAreBounded() throws {
        let limits = ReadLimits(rows: 5, cellsPerRow: 3, cells: 12, textBytes: 1 << 20, sheets: 4)
        func cells(_ n: Int) -> String { String(repeating: "<c><v>1</v></c>", count: n) }
        let wide = CraftedZip.sheet("<row>\(cells(4))</row>")
        #expect(refusal(CraftedZip.workbook([("s", wide)]).bytes, limits: limits)?.description.contains("每行3个") == true)
        let long = CraftedZip.sheet(String(repeating: "<row>\(cells(1))</row>", count: 6))
        #expect(refusal(CraftedZip.workbook([("s", long)]).bytes, limits: limits)?.description.contains("拆分") == true)
        let full = CraftedZip.sheet(String(repeating: "<row>\(cells(3))</row>", count: 5))
        #expect(refusal(CraftedZip.workbook([("s", full)]).bytes, limits: limits)?.description.contains("12个") == true)
        let fits = CraftedZip.sheet(String(repeating: "<row>\(cells(2))</row>", count: 5))
        #expect(refusal(CraftedZip.workbook([("s", fits)]).bytes, limits: limits) == nil)
    }

    @Test func aSheetPartOverTenMegabytesParses() throws {
        // libxml2 refuses a push-parser buffer over 10,000,000 bytes: the part is fed in chunks.
        let row = #"<row><c t="inlineStr"><is><t>\#(String(repeating: "x", count: 200))</t></is></c></row>"#
        let sheet = CraftedZip.sheet(String(repeating: row, count: 60_000))
        #expect(sheet.utf8.count > 12_000_000)
        let read = try WorkbookReader.read(CraftedZip.workbook([("s", sheet)]).bytes) { _ in true }
        #expect(read.sheets[0].rows.count == 60_000)
    }

    private func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
}

@Suite(.timeLimit(.minutes(10))) struct HostileCSV {
    @Test func rowsAndCellsPerRowAreBounded() throws {
        let limits = ReadLimits(rows: 3, cellsPerRow: 2, cells: 100, textBytes: 1 << 20, sheets: 1)
        #expect(throws: TextDecoding.Failure.self) { try CSVSheet.read("a,b,c\n", name: "", limits: limits) }
        #expect(throws: TextDecoding.Failure.self) { try CSVSheet.read("a\nb\nc\nd\n", name: "", limits: limits) }
        #expect(try CSVSheet.read("a,b\n\n\nc\nd\n", name: "", limits: limits).rows.count == 3)
    }
}

@Suite(.timeLimit(.minutes(10))) struct CSVWidth {
    @Test func aRowOfTooManyFieldsIsRefusedBeforeItIsSplit() throws {
        let wide = "a,b\n" + String(repeating: ",", count: CSVSheet.fieldLimit) + "\n"
        #expect(CSVSheet.widestRow(wide) == 2)
        do {
            _ = try CSVSheet.read(wide, name: "")
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("第2行") && error.description.contains("16384"), "\(error)")
        }
        // Separators inside quotes are no fields; a row at the limit is read.
        #expect(CSVSheet.widestRow("\"" + String(repeating: ",", count: 20_000) + "\"\n") == nil)
        #expect(CSVSheet.widestRow(String(repeating: ",", count: CSVSheet.fieldLimit - 1)) == nil)
    }
}

@Suite(.timeLimit(.minutes(10))) struct OOXMLEscapes {
    @Test func escapesAreUndoneAndAnythingElseKept() {
        #expect(WorkbookParts.unescapeOOXML("a_x000D_b_x0041_") == "a\rbA")
        #expect(WorkbookParts.unescapeOOXML("_x00ZZ_ _xD800_ _x12_ x_") == "_x00ZZ_ _xD800_ _x12_ x_")
        #expect(WorkbookParts.unescapeOOXML("市_x4E2D_") == "市中")
    }
}

@Suite(.timeLimit(.minutes(10))) struct XMLShapes {
    func refusal(_ xml: String) -> WorkbookError? { refusal(bytes: CraftedZip.workbook([("s", xml)]).bytes) }

    func refusal(bytes: [UInt8]) -> WorkbookError? {
        do {
            _ = try WorkbookReader.read(bytes) { _ in true }
            return nil
        } catch {
            return error
        }
    }

    @Test func anElementWithTooManyAttributesIsRefusedBeforeLibxml2SeesIt() throws {
        let attributes = (0..<200_000).map { #"a\#($0)="1""# }.joined(separator: " ")
        let error = try #require(refusal(CraftedZip.sheet(#"<row r="1"><c r="A1" \#(attributes)><v>1</v></c></row>"#)))
        #expect(error.code == .tooLarge && error.description.contains("属性超过64个"), "\(error)")
        // Quoted `>` and `=`, comments and CDATA are no attributes.
        let fine = CraftedZip.sheet(
            #"<!-- a="1" b="2" --><row r="1"><c r="A1" t="str"><v><![CDATA[x=1 y=2]]></v></c></row>"#
                + String(repeating: #"<row spans="a=b>c"/>"#, count: 3))
        #expect(refusal(fine) == nil)
    }

    @Test func aPartOfTooManyElementsIsRefused() throws {
        let error = try #require(refusal(CraftedZip.sheet(String(repeating: "<c/>", count: WorkbookReader.elementLimit))))
        #expect(error.code == .tooLarge && error.description.contains("3000000"), "\(error)")
    }

    @Test func moreEntriesThanTheLimitAreRefusedFromTheEndRecord() throws {
        var zip = CraftedZip.workbook([("s", CraftedZip.sheet(""))])
        zip.patch(zip.end + 10, 60_000, size: 2)
        zip.patch(zip.end + 8, 60_000, size: 2)
        let error = try #require(refusal(bytes: zip.bytes))
        #expect(error.code == .damaged && error.description.contains("60000个") && error.description.contains("10000"), "\(error)")
    }
}
