import Foundation
import Testing
import ZwgkFormats
import ZwgkTestSupport

/// The same records as JSON, as a workbook (openpyxl; LibreOffice), and as CSVs (GB18030 by iconv, UTF-8 with
/// and without a byte-order mark): each dropped into a sandbox of its own must give the same ledger and scores.
enum SameRecords {
    static let json = """
        [
          {"type": "finding", "id": "wsjc-2023-017", "year": 2023, "date": "2023-05-12", "unit": "市财政局", "indicator": "财政预决算", "method": "网上检查"},
          {"type": "finding", "id": "wsjc-2023-018", "year": 2023, "date": "2023-05-12", "unit": "城东街道", "indicator": "机构、人员、经费保障情况", "clause": "经费", "count": 2},
          {"type": "finding", "id": "fgj-2023-003", "year": 2023, "date": "2023-06-30", "unit": "市发改局", "indicator": "双公示数据报送情况", "score": 6.5},
          {"type": "finding", "id": "f-4", "year": 2023, "date": "2023-08-01", "unit": "城西街道", "indicator": "财政预决算", "evidence": "检查记录 #4", "note": "备注, 含逗号和\\"引号\\""},
          {"type": "notice", "id": "运政办通〔2023〕12号", "year": 2023, "date": "2023-04-10", "level": "quarterly", "units": ["市财政局", "城东街道"], "title": "季度通报"},
          {"type": "retraction", "id": "ss-2023-001", "year": 2023, "date": "2023-07-15", "target": "wsjc-2023-017", "reason": "申诉成立:预决算已于5月10日公开"},
          {"type": "retraction", "id": "ss-2023-002", "year": 2023, "date": "2023-07-16", "target": "运政办通〔2023〕12号", "reason": "更正", "units": ["城东街道"]}
        ]
        """

    /// The workbook spec (workbook.py); `count` is the 次数 cell of wsjc-2023-018 (a number, or a formula).
    static func workbook(count: String = "2") -> String {
        #"""
        {"sheets": [
          {"name": "说明", "rows": [["这一页不会被读取"]]},
          {"name": "发现问题", "rows": [["编号", "日期", "单位", "指标", "条款", "次数", "赋分", "方式", "佐证", "备注", null],
            ["wsjc-2023-017", {"date": "2023-05-12"}, "市财政局", "财政预决算", null, null, null, "网上检查"],
            ["wsjc-2023-018", "2023/5/12", "城东街道", "机构、人员、经费保障情况", "经费", \#(count)],
            [],
            ["fgj-2023-003", "2023年6月30日", "市发改局", "双公示数据报送情况", null, null, 6.5],
            ["f-4", {"date": "2023-08-01"}, "城西街道", "财政预决算", null, null, null, null, "检查记录 #4", "备注, 含逗号和\"引号\""]],
           "merge": ["J1:K1"]},
          {"name": "通报", "rows": [["编号", "日期", "级别", "单位", "标题"],
            ["运政办通〔2023〕12号", {"date": "2023-04-10"}, "季度", "市财政局、城东街道", "季度通报"]]},
          {"name": "撤销", "rows": [["编号", "日期", "撤销对象", "理由", "单位"],
            ["ss-2023-001", {"date": "2023-07-15"}, "wsjc-2023-017", "申诉成立:预决算已于5月10日公开"],
            ["ss-2023-002", "2023-07-16", "运政办通〔2023〕12号", "更正", "城东街道"]]}
        ]}
        """#
    }

    /// Three CSV files: findings (to be GB18030, CRLF), the notice (UTF-8 with BOM), retractions (UTF-8, LF).
    static let findingsCSV =
        "类型,编号,日期,单位,指标,条款,次数,赋分,方式,佐证,备注\r\n"
        + "发现问题,wsjc-2023-017,2023/5/12,市财政局,财政预决算,,,,网上检查,,\r\n"
        + "finding,wsjc-2023-018,2023-05-12,城东街道,机构、人员、经费保障情况,经费,2,,,,\r\n"
        + ",,,,,,,,,,\r\n"
        + "发现问题,fgj-2023-003,2023年6月30日,市发改局,双公示数据报送情况,,,6.5,,,\r\n"
        + "发现问题,f-4,2023/8/1,城西街道,财政预决算,,,,,检查记录 #4,\"备注, 含逗号和\"\"引号\"\"\"\r\n"
    static let noticeCSV = "\u{FEFF}类型,编号,日期,级别,单位,标题\r\n通报,运政办通〔2023〕12号,2023-04-10,quarterly,\"市财政局,城东街道\",季度通报\r\n"
    static let retractionsCSV =
        "编号,日期,撤销对象,理由,单位,类型\nss-2023-001,2023-07-15,wsjc-2023-017,申诉成立:预决算已于5月10日公开,,撤销\n"
        + "ss-2023-002,2023-07-16,运政办通〔2023〕12号,更正,城东街道,retraction\n"

    /// Every record's id and canonical body in the sandbox's ledger.
    static func ledger(_ box: Sandbox) throws -> String { try box.sql("SELECT id || ' ' || body FROM records ORDER BY id") }
    static func scores(_ box: Sandbox) throws -> String {
        let run = try box.zwgk(["scores", "--year", "2023", "--format", "json"])
        #expect(run.status == 0, "\(run.err)")
        return run.out
    }
}

@Suite(.timeLimit(.minutes(10))) struct SpreadsheetSpool {
    @Test func workbooksAndCSVsFromRealWritersScoreExactlyAsJSON() throws {
        let reference = try Sandbox()
        try reference.drop("a.json", SameRecords.json)
        try reference.zwgk(["daemon", "--once"])
        #expect(reference.names(reference.accepted) == ["a.json"])
        let ledger = try SameRecords.ledger(reference)
        let scores = try SameRecords.scores(reference)
        #expect(ledger.split(separator: "\n").count == 7)

        // openpyxl.
        let openpyxl = try Sandbox()
        let bookPath = openpyxl.root + "/8月检查.xlsx"
        try OfficeTools.writeWorkbook(SameRecords.workbook(), to: bookPath)
        let original = try Data(contentsOf: URL(fileURLWithPath: bookPath))
        try FileManager.default.moveItem(atPath: bookPath, toPath: openpyxl.incoming + "/8月检查.xlsx")
        let ran = try openpyxl.zwgk(["daemon", "--once"])
        #expect(openpyxl.names(openpyxl.accepted) == ["8月检查.xlsx"], "\(ran.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: openpyxl.accepted + "/8月检查.xlsx")) == original)
        #expect(try SameRecords.ledger(openpyxl) == ledger)
        #expect(try SameRecords.scores(openpyxl) == scores)
        #expect(try openpyxl.sql("SELECT source FROM records WHERE id = 'fgj-2023-003'") == "发现问题!5")
        let history = try openpyxl.zwgk(["history", "--unit", "市发改局"])
        #expect(history.out.contains("来源:8月检查.xlsx 发现问题!5"), "\(history.out)")
        let historyJSON = try openpyxl.zwgk(["history", "--unit", "市发改局", "--format", "json"])
        #expect(historyJSON.out.contains(#""file": "8月检查.xlsx","#) && historyJSON.out.contains(#""source": "发现问题!5""#), "\(historyJSON.out)")

        // LibreOffice Calc saves the workbook anew (its own shared strings, styles and date formats), with the
        // formula's result: 次数 =1+1 counts 2.
        let libre = try Sandbox()
        try OfficeTools.writeWorkbook(SameRecords.workbook(count: #"{"formula": "=1+1"}"#), to: libre.root + "/lo.xlsx")
        try OfficeTools.soffice(convert: libre.root + "/lo.xlsx", to: "xlsx:Calc MS Excel 2007 XML", outdir: libre.root + "/out")
        try FileManager.default.moveItem(atPath: libre.root + "/out/lo.xlsx", toPath: libre.incoming + "/lo.xlsx")
        let loRun = try libre.zwgk(["daemon", "--once"])
        #expect(
            libre.names(libre.accepted) == ["lo.xlsx"], "\(loRun.err) \(libre.names(libre.rejected).compactMap { try? libre.read(libre.rejected + "/" + $0) })")
        #expect(try SameRecords.ledger(libre) == ledger)
        #expect(try SameRecords.scores(libre) == scores)

        // CSVs: GB18030 by iconv with CRLF, UTF-8 with a byte-order mark, UTF-8 with LF; dropped in that order.
        let csv = try Sandbox()
        try SameRecords.findingsCSV.write(toFile: csv.root + "/f.csv", atomically: true, encoding: .utf8)
        try OfficeTools.iconv(csv.root + "/f.csv", to: "GB18030", output: csv.root + "/1-发现问题.csv")
        try FileManager.default.moveItem(atPath: csv.root + "/1-发现问题.csv", toPath: csv.incoming + "/1-发现问题.csv")
        try csv.zwgk(["daemon", "--once"])
        try csv.drop("2-通报.csv", SameRecords.noticeCSV)
        try csv.zwgk(["daemon", "--once"])
        try csv.drop("3-撤销.CSV", SameRecords.retractionsCSV)
        let csvRun = try csv.zwgk(["daemon", "--once"])
        #expect(csv.names(csv.accepted) == ["1-发现问题.csv", "2-通报.csv", "3-撤销.CSV"], "\(csvRun.err)")
        #expect(try SameRecords.ledger(csv) == ledger)
        #expect(try SameRecords.scores(csv) == scores)
        #expect(try csv.sql("SELECT source FROM records WHERE id = 'f-4'") == "第6行")
    }

    /// 整改 and 复查 sheets (openpyxl) and CSVs (类型 整改 / recheck) give the ledger and 整改台账 the same JSON gives.
    @Test func rectificationsAndRechecksFromSpreadsheetsAreLedgeredExactlyAsJSON() throws {
        let reference = try Sandbox()
        try reference.drop("a.json", FollowUpRecords.json)
        try reference.zwgk(["daemon", "--once"])
        #expect(reference.names(reference.accepted) == ["a.json"])
        let ledger = try SameRecords.ledger(reference)
        #expect(ledger.split(separator: "\n").count == 6)
        let items = ["rectification", "--year", "2023", "--as-of", "2023-06-30", "--format", "json"]
        let states = try reference.zwgk(items).out
        #expect(states.contains(#""state": "closed""#) && states.contains(#""unit": "城东街道""#), "\(states)")

        let book = try Sandbox()
        try OfficeTools.writeWorkbook(FollowUpRecords.workbook, to: book.incoming + "/整改.xlsx")
        let ran = try book.zwgk(["daemon", "--once"])
        #expect(book.names(book.accepted) == ["整改.xlsx"], "\(ran.err)")
        #expect(try SameRecords.ledger(book) == ledger)
        #expect(try book.zwgk(items).out == states)
        #expect(try book.sql("SELECT source FROM records WHERE id = 'c-1'") == "复查!2")

        // CSVs: the finding and notice as JSON, then one CSV of rectifications, one of rechecks.
        let csv = try Sandbox()
        let json = FollowUpRecords.json.split(separator: "\n").filter { $0.contains(#""type": "finding""#) || $0.contains(#""type": "notice""#) }
        try csv.drop("1.json", "[" + json.map { $0.hasSuffix(",") ? String($0.dropLast()) : String($0) }.joined(separator: ",") + "]")
        try csv.zwgk(["daemon", "--once"])
        try csv.drop("2-整改.csv", "类型,编号,日期,整改对象,单位,整改措施,佐证\n整改,z-1,2023-05-20,f-1,,已公开预决算,https://example.gov.cn/yjs\n整改,z-2,2023/4/20,n-1,城东街道,已整改,\n")
        try csv.zwgk(["daemon", "--once"])
        try csv.drop("3-复查.csv", "编号,日期,复查对象,单位,复查结果,整改期限,备注,类型\nc-1,2023-05-25,f-1,市财政局,未通过,2023-06-10,仍缺2022年决算,recheck\nc-2,2023-04-25,n-1,城东街道,通过,,,复查\n")
        let csvRun = try csv.zwgk(["daemon", "--once"])
        #expect(csv.names(csv.accepted) == ["1.json", "2-整改.csv", "3-复查.csv"], "\(csvRun.err)")
        #expect(try SameRecords.ledger(csv) == ledger)
        #expect(try csv.zwgk(items).out == states)
    }

    @Test func aBadWorkbookIsRejectedWholeWithEveryCellNamed() throws {
        let box = try Sandbox()
        try OfficeTools.writeWorkbook(
            #"""
            {"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "指标"],
              ["f-1", "2023-05-12", "市财政局", "财政预决算"], ["f-2", "2023-05-12", "市财政局", "财政预算"]]}]}
            """#, to: box.root + "/bad.xlsx")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: box.root + "/bad.xlsx"))
        try FileManager.default.moveItem(atPath: box.root + "/bad.xlsx", toPath: box.incoming + "/bad.xlsx")
        try box.zwgk(["daemon", "--once"])
        #expect(box.names(box.rejected) == ["bad.xlsx", "bad.xlsx.why.txt"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: box.rejected + "/bad.xlsx")) == bytes)
        let why = try box.read(box.rejected + "/bad.xlsx.why.txt")
        #expect(why.contains("工作表“发现问题”第3行 D列(指标):“财政预算”不是2023年度考核细则中的指标。是否是:财政预决算?"), "\(why)")
        #expect(try box.sql("SELECT COUNT(*) FROM records") == "0")

        // The same name again, fixed: a free name in rejected/ is not needed, it is accepted; then a duplicate.
        try OfficeTools.writeWorkbook(
            #"{"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "指标"], ["f-1", "2023-05-12", "市财政局", "财政预决算"]]}]}"#,
            to: box.incoming + "/bad.xlsx")
        try box.zwgk(["daemon", "--once"])
        try OfficeTools.writeWorkbook(
            #"{"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "指标"], ["f-1", "2023-05-12", "市财政局", "财政预决算"]]}]}"#,
            to: box.incoming + "/bad.xlsx")
        let again = try box.zwgk(["daemon", "--once"])
        #expect(box.names(box.accepted) == ["bad.xlsx", "bad~2.xlsx"], "\(again.err)")
        #expect(again.err.contains("重复"), "\(again.err)")
    }

    @Test func validateAndSubmitTakeSpreadsheets() throws {
        let box = try Sandbox()
        try SameRecords.noticeCSV.write(toFile: box.root + "/n.csv", atomically: true, encoding: .utf8)
        try OfficeTools.writeWorkbook(
            #"{"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "指标"], ["f-1", "2023-05-12", "市财政局", "财政"]]}]}"#,
            to: box.root + "/bad.xlsx")
        let checked = try box.zwgk(["validate", box.root + "/n.csv", box.root + "/bad.xlsx"])
        #expect(checked.status == 1)
        #expect(checked.out.contains("n.csv:有效,新记录 1 条"), "\(checked.out)")
        #expect(checked.out.contains("工作表“发现问题”第2行 D列(指标)"), "\(checked.out)")
        let submitted = try box.zwgk(["submit", box.root + "/n.csv"])
        #expect(submitted.status == 0, "\(submitted.err)")
        #expect(box.names(box.incoming) == ["n.csv"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: box.incoming + "/n.csv")) == Data(SameRecords.noticeCSV.utf8))
    }

    /// Office's lock files (`~$name.xlsx`) and writes in progress are left alone; a file of another kind is
    /// answered in rejected/ with what to do.
    @Test func onlyFinishedSpreadsheetsAreTaken() throws {
        let box = try Sandbox()
        for name in ["~$8月检查.xlsx", "8月检查.xlsx.part", ".8月检查.xlsx", "notes.txt", "x.xls"] { try box.drop(name, "x") }
        try box.zwgk(["daemon", "--once"])
        #expect(box.names(box.accepted).isEmpty)
        #expect(box.names(box.rejected) == ["notes.txt", "notes.txt.why.txt", "x.xls", "x.xls.why.txt"])
        #expect(box.names(box.incoming) == [".8月检查.xlsx", "8月检查.xlsx.part", "~$8月检查.xlsx"])
    }
}
