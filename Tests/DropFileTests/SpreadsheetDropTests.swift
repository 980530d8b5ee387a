import DropFile
import Foundation
import RubricEngine
import Spreadsheet
import Testing
import ZwgkTestSupport

/// A folder for one test's files.
final class Scratch {
    let path = NSTemporaryDirectory() + "zwgk-drop-\(UUID().uuidString)"
    init() { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A workbook written by openpyxl from `spec`, as bytes.
    func workbook(_ spec: String, name: String = "in.xlsx") throws -> [UInt8] {
        try OfficeTools.writeWorkbook(spec, to: path + "/" + name)
        return try bytes(name)
    }

    func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))) }
}

func check(_ bytes: [UInt8], _ format: DropFormat, stored: [Record] = []) -> Result<ValidFile, Problems> {
    DropFile.check(bytes, format: format, context: context(stored: stored))
}

func lines(_ result: Result<ValidFile, Problems>) -> [String] {
    if case .failure(let p) = result { return p.all.map(\.description) }
    return []
}

let findingHeaders = #"["编号", "日期", "单位", "指标", "条款", "次数", "赋分", "分值", "方式", "佐证", "备注"]"#

@Suite(.timeLimit(.minutes(10))) struct WorkbookDrops {
    @Test func recordsAndTheirPlacesFromAWorkbook() throws {
        let s = Scratch()
        let v = try check(
            try s.workbook(
                #"""
                {"sheets": [{"name": "说明", "rows": [["随便写", 1]]},
                  {"name": "通报", "rows": [["编号", "日期", "级别", "单位"], ["n-1", {"date": "2023-04-10"}, "季度", "市财政局、城东街道\n市发改局"]]},
                  {"name": "发现问题", "rows": [\#(findingHeaders),
                    ["f-1", {"date": "2023-05-12"}, "市财政局", "财政预决算", null, null, null, null, "网上检查"],
                    [],
                    ["f-2", "2023/5/12", "城东街道", "机构、人员、经费保障情况", "经费", 2],
                    ["f-3", "2023年6月30日", "市发改局", "双公示数据报送情况", null, null, 6.5]]}]}
                """#), .xlsx
        ).get()
        #expect(v.new.map(\.id) == ["f-1", "f-2", "f-3", "n-1"])
        #expect(v.sources == ["发现问题!2", "发现问题!4", "发现问题!5", "通报!2"])
        guard case .finding(let f2) = v.new[1], case .finding(let f3) = v.new[2], case .notice(let n) = v.new[3] else {
            Issue.record("wrong record types: \(v.new)")
            return
        }
        #expect(f2.count == 2 && f2.clause == "经费" && f2.date == Day("2023-05-12") && f2.year == 2023)
        #expect(f3.score == Points(exactly: "6.5") && f3.date == Day("2023-06-30"))
        #expect(n.level == "quarterly" && n.units == ["市财政局", "城东街道", "市发改局"])
    }

    @Test func aProblemNamesSheetRowColumnAndHeader() throws {
        let s = Scratch()
        let blank = Array(repeating: "[]", count: 9).joined(separator: ", ")
        let result = check(
            try s.workbook(
                #"""
                {"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "方式", "指标"], ["f-1", {"date": "2023-05-12"}, "市财政局", "网上检查", "财政预决算"],
                  \#(blank), ["f-12", {"date": "2023-05-12"}, "市财政局", "网上检查", "财政预算"]]}]}
                """#), .xlsx)
        #expect(lines(result) == ["工作表“发现问题”第12行 E列(指标):“财政预算”不是2023年度考核细则中的指标。是否是:财政预决算?"])
    }

    @Test func everyProblemAtOnceInSheetOrderInTheClerksTerms() throws {
        let s = Scratch()
        let result = check(
            try s.workbook(
                #"""
                {"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "指标", "赋分", "次数", "级别", "条款"],
                  ["x-1", {"date": "2023-05-12"}, "市财政", "财政预决算", null, "两次", null, "经费"],
                  ["x-2", {"date": "2023-05-12"}, "市发改局", "双公示数据报送情况", 6.499999999],
                  ["x-3", {"formula": "=TODAY()"}, "市财政局", "财政预决算"],
                  ["x-4", 45058, "市财政局", "财政预决算", null, null, "季度"],
                  ["x-5", "2023-13-40", "城东街道", "财政预决算"],
                  ["x-6", "2023-05-12", "城东街道", "机构、人员、经费保障情况"]]}]}
                """#), .xlsx)
        let got = lines(result)
        #expect(
            got == [
                "工作表“发现问题”第1行 G列(级别):“发现问题”记录没有“级别”这一项。请删除这一列,或清空其中的内容。",
                "工作表“发现问题”第2行 C列(单位):单位“市财政”不在单位名单中。是否是:市财政局?",
                "工作表“发现问题”第2行 F列(次数):应填数字,收到“两次”。",
                "工作表“发现问题”第2行 H列(条款):指标“财政预决算”只有一项,不应填写条款(收到“经费”)。请删除该字段。",
                "工作表“发现问题”第3行 E列(赋分):“6.499999999”不是最多两位小数的数值。",
                "工作表“发现问题”第4行 B列(日期):单元格是公式(=TODAY()),但文件中没有保存它的计算结果。请在 Excel/WPS 中打开后保存一次,或把公式改为数值后再提交。",
                "工作表“发现问题”第5行 B列(日期):单元格是数字 45058,不是日期。请把单元格格式设为日期,或写成 2023-05-12 这样的文字。",
                "工作表“发现问题”第6行 B列(日期):“2023-13-40”不是有效日期;请写成 YYYY-MM-DD(如 2023-05-12),并确认该日期存在。",
                "工作表“发现问题”第7行 H列(条款):指标“机构、人员、经费保障情况”有多个细项,必须写明条款:机构、人员、经费。",
            ], "\(got)")
    }

    @Test func unknownAndDuplicateHeadersAreRefused() throws {
        let s = Scratch()
        let got = lines(
            check(
                try s.workbook(
                    #"""
                    {"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "指标", "财政", "单位"], ["f-1", {"date": "2023-05-12"}, "市财政局", "财政预决算"]]}]}
                    """#), .xlsx))
        #expect(got.count == 2)
        #expect(got[0].hasPrefix("工作表“发现问题”第1行 E列(财政):“财政”不是可识别的表头。"), "\(got)")
        #expect(got[1] == "工作表“发现问题”第1行 F列(单位):表头“单位”与C列(单位)重复,每项只能有一列。")
    }

    @Test func englishHeadersMergedHeaderCellsAndBlankRowsAreFine() throws {
        let s = Scratch()
        let v = try check(
            try s.workbook(
                #"""
                {"sheets": [{"name": "发现问题", "rows": [["id", "date", "unit", "indicator", "备注", null],
                  [], ["f-1", "2023-5-2", "市财政局", "财政预决算", "注"], [null, "  "]],
                  "merge": ["E1:F1"]}]}
                """#), .xlsx
        ).get()
        #expect(v.new.count == 1)
        #expect(v.sources == ["发现问题!3"])
    }

    @Test func aWorkbookWithoutRecordSheetsIsRefused() throws {
        let s = Scratch()
        let got = lines(check(try s.workbook(#"{"sheets": [{"name": "Sheet1", "rows": [["编号"], ["f-1"]]}, {"name": "说明", "rows": [["x"]]}]}"#), .xlsx))
        #expect(got == ["整个文件:工作簿中没有“发现问题”“通报”“撤销”“整改”或“复查”工作表(现有工作表:“Sheet1”、“说明”),没有可读取的记录。请把记录填在以这些名称命名的工作表中(可用 zwgk template 生成模板)。"])
    }

    @Test func aMissingRequiredColumnIsSaidOnce() throws {
        let s = Scratch()
        let got = lines(
            check(
                try s.workbook(#"{"sheets": [{"name": "通报", "rows": [["编号", "日期", "单位"], ["n-1", "2023-04-10", "市财政局"], ["n-2", "2023-04-10", "市财政局"]]}]}"#),
                .xlsx))
        #expect(got == ["工作表“通报”:缺少必填的列:“级别”。请在第1行加上这些表头(可用 zwgk template 生成模板)。"])
    }

    @Test func wrongCellTypes() throws {
        let s = Scratch()
        let got = lines(
            check(
                try s.workbook(
                    #"""
                    {"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "指标", "次数"],
                      ["f-1", true, "市财政局", "财政预决算", {"date": "2023-01-01"}]]}]}
                    """#), .xlsx))
        #expect(
            got == [
                "工作表“发现问题”第2行 B列(日期):应填日期,收到的是逻辑值 TRUE。",
                "工作表“发现问题”第2行 E列(次数):应填数字,收到的是日期 2023-01-01。",
            ], "\(got)")
    }

    @Test func aRetractionMayWithdrawARecordOfTheSameWorkbookWhateverTheSheetOrder() throws {
        let s = Scratch()
        let v = try check(
            try s.workbook(
                #"""
                {"sheets": [{"name": "撤销", "rows": [["编号", "日期", "撤销对象", "理由"], ["r-1", "2023-07-01", "f-1", "申诉成立"]]},
                  {"name": "发现问题", "rows": [["编号", "日期", "单位", "指标"], ["f-1", "2023-05-12", "市财政局", "财政预决算"]]}]}
                """#), .xlsx
        ).get()
        #expect(v.new.map(\.id) == ["f-1", "r-1"])
        #expect(v.sources == ["发现问题!2", "撤销!2"])
    }

    @Test func duplicatesAndConflictsAreDecidedAsForJSON() throws {
        let s = Scratch()
        let stored: [Record] = [.finding(Finding(id: "f-1", year: 2023, date: Day("2023-05-12")!, unit: "市财政局", indicator: "财政预决算"))]
        let same = try check(
            try s.workbook(#"{"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "指标"], ["f-1", "2023-05-12", "市财政局", "财政预决算"]]}]}"#, name: "a.xlsx"),
            .xlsx, stored: stored
        ).get()
        #expect(same.new.isEmpty && same.duplicates.count == 1)
        let other = lines(
            check(
                try s.workbook(#"{"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "指标"], ["f-1", "2023-05-13", "市财政局", "财政预决算"]]}]}"#, name: "b.xlsx"),
                .xlsx, stored: stored))
        #expect(
            other.count == 1 && other[0].hasPrefix("工作表“发现问题”第2行 A列(编号):2023年度已有编号为“f-1”的发现问题记录,但内容不同(冲突)。已入账的记录不能修改:如需更正,请提交撤销记录和新的记录;如果这是另一条记录,请换一个编号。"),
            "\(other)")
    }
}

@Suite(.timeLimit(.minutes(10))) struct BadWorkbooks {
    @Test func notAZip() {
        let got = lines(check(Array("编号,日期\n".utf8), .xlsx))
        #expect(got.count == 1 && got[0].contains("不是 .xlsx 工作簿"))
    }

    @Test func aTruncatedZip() throws {
        let s = Scratch()
        let bytes = try s.workbook(#"{"sheets": [{"name": "发现问题", "rows": [["编号"]]}]}"#)
        let got = lines(check(Array(bytes.prefix(bytes.count / 2)), .xlsx))
        #expect(got.count == 1 && got[0].contains("不是完整的 .xlsx 工作簿"), "\(got)")
    }

    /// A part that would unpack to 400 MiB is refused from the zip's directory, before anything is unpacked.
    @Test func aZipBombIsRefusedBySizeBeforeUnpacking() throws {
        let s = Scratch()
        try OfficeTools.workbook(["bomb", s.path + "/bomb.xlsx", "400"])
        let bytes = try s.bytes("bomb.xlsx")
        #expect(bytes.count < DropFormat.xlsx.maxBytes)
        let start = ContinuousClock.now
        let got = lines(check(bytes, .xlsx))
        #expect(got.count == 1 && got[0].contains("解压后过大"), "\(got)")
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    /// A bomb whose zip headers claim 1 KiB: unpacking stops at the claimed size.
    @Test func aZipBombThatLiesAboutItsSizeIsStoppedWhileUnpacking() throws {
        let s = Scratch()
        try OfficeTools.workbook(["bomb", s.path + "/bomb.xlsx", "400", "lie"])
        let got = lines(check(try s.bytes("bomb.xlsx"), .xlsx))
        #expect(got.count == 1 && got[0].contains("解压后超过其声明的大小"), "\(got)")
    }

    @Test func anEncryptedWorkbook() throws {
        let s = Scratch()
        _ = try s.workbook(#"{"sheets": [{"name": "发现问题", "rows": [["编号"]]}]}"#, name: "plain.xlsx")
        try OfficeTools.workbook(["encrypt", s.path + "/plain.xlsx", s.path + "/locked.xlsx"])
        let got = lines(check(try s.bytes("locked.xlsx"), .xlsx))
        #expect(got.count == 1 && got[0].contains("设置了打开密码"), "\(got)")
    }

    @Test func overFiveMebibytes() {
        let got = lines(check([UInt8](repeating: 0x50, count: (5 << 20) + 1), .xlsx))
        #expect(got == ["整个文件:文件大小为5242881字节,超过5 MiB(5242880字节)的上限。请把记录拆分到多个文件中再提交。"])
    }
}

@Suite(.timeLimit(.minutes(10))) struct CSVDrops {
    @Test func oneTypePerFileNamedInATypeColumn() throws {
        let v = try check(Array("类型,编号,日期,级别,单位\r\nnotice,n-1,2023/4/10,月度,\"市财政局,城东街道\"\r\n".utf8), .csv).get()
        #expect(v.sources == ["第2行"])
        guard case .notice(let n) = v.new.first else {
            Issue.record("no notice")
            return
        }
        #expect(n.level == "monthly" && n.units == ["市财政局", "城东街道"])

        let mixed = lines(check(Array("类型,编号,日期,单位,指标\n发现问题,f-1,2023-05-12,市财政局,财政预决算\n通报,n-1,2023-05-12,市财政局,\n".utf8), .csv))
        #expect(mixed == ["第3行 A列(类型):一个 CSV 文件只能有一种类型;本文件前面的行是“发现问题”,这一行是“通报”。请分成两个文件。"])
        let untyped = lines(check(Array("编号,日期,单位,指标\nf-1,2023-05-12,市财政局,财政预决算\n".utf8), .csv))
        #expect(untyped == ["整个文件:CSV 文件必须有“类型”列,每行填写“发现问题”“通报”“撤销”“整改”或“复查”。"])
    }

    @Test func numbersInTextAreNumbersExactly() throws {
        let ok = try check(Array("类型,编号,日期,单位,指标,赋分\nfinding,f-1,2023-06-30,市发改局,双公示数据报送情况, 6.5 \n".utf8), .csv).get()
        guard case .finding(let f) = ok.new.first else {
            Issue.record("no finding")
            return
        }
        #expect(f.score == Points(exactly: "6.5"))
        let bad = lines(check(Array("类型,编号,日期,单位,指标,赋分\nfinding,f-1,2023-06-30,市发改局,双公示数据报送情况,6.499999999\n".utf8), .csv))
        #expect(bad == ["第2行 F列(赋分):“6.499999999”不是最多两位小数的数值。"])
    }
}

/// 整改 and 复查 sheets (and 整改期限 on findings and notices) give the records the same JSON gives.
@Suite(.timeLimit(.minutes(10))) struct FollowUpSheets {
    @Test func rectificationAndRecheckSheetsGiveTheRecordsJSONGives() throws {
        let s = Scratch()
        let fromJSON = try check(Array(FollowUpRecords.json.utf8), .json).get()
        let v = try check(try s.workbook(FollowUpRecords.workbook), .xlsx).get()
        #expect(v.new == fromJSON.new)
        #expect(v.new.map(\.id) == ["f-1", "n-1", "z-1", "z-2", "c-1", "c-2"])
        #expect(v.sources == ["发现问题!2", "通报!2", "整改!2", "整改!3", "复查!2", "复查!3"])
        guard case .recheck(let c1) = v.new[4], case .rectification(let z2) = v.new[3] else {
            Issue.record("wrong records: \(v.new)")
            return
        }
        #expect(!c1.passed && c1.rectifyBy == Day("2023-06-10") && z2.unit == "城东街道")
    }

    @Test func aCSVOfRectificationsOrRechecks() throws {
        let stored = try check(Array(FollowUpRecords.json.utf8), .json).get().new.prefix(2)
        let v = try check(
            Array("类型,编号,日期,整改对象,单位,整改措施\r\n整改,z-1,2023/5/20,f-1,,已公开预决算\r\nrectification,z-2,2023-04-20,n-1,城东街道,已整改\r\n".utf8),
            .csv, stored: Array(stored)
        ).get()
        #expect(v.new.map(\.id) == ["z-1", "z-2"] && v.sources == ["第2行", "第3行"])
        guard case .rectification(let z1) = v.new[0] else {
            Issue.record("no rectification")
            return
        }
        #expect(z1.target == "f-1" && z1.measures == "已公开预决算" && z1.date == Day("2023-05-20"))
        let rechecks = lines(check(Array("类型,编号,日期,复查对象,单位,复查结果\n复查,c-1,2023-05-25,f-1,市财政局,通过\n".utf8), .csv, stored: Array(stored)))
        #expect(rechecks == ["第2行 D列(复查对象):“f-1”自立项以来没有新的整改报告,无法复查。请先提交整改报告(整改)。"], "\(rechecks)")
    }

    @Test func aBadRecheckResultNamesSheetRowAndColumn() throws {
        let s = Scratch()
        let got = lines(
            check(
                try s.workbook(
                    #"""
                    {"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "指标"], ["f-1", "2023-05-12", "市财政局", "财政预决算"]]},
                      {"name": "整改", "rows": [["编号", "日期", "整改对象", "整改措施"], ["z-1", "2023-05-20", "f-1", "已公开"]]},
                      {"name": "复查", "rows": [["编号", "日期", "复查对象", "单位", "复查结果"], ["c-1", "2023-05-25", "f-1", "市财政局", "合格"],
                                                 ["c-2", "2023-05-26", "f-1", "市财政局", 1]]}]}
                    """#), .xlsx))
        #expect(
            got == [
                "工作表“复查”第2行 E列(复查结果):“合格”不是有效的复查结果;应为“通过”(整改到位,销号)或“未通过”(需继续整改)。",
                "工作表“复查”第3行 E列(复查结果):复查结果应填“通过”或“未通过”。",
            ], "\(got)")
    }

    @Test func eachSheetTakesOnlyItsOwnTargetHeaderAndOneUnit() throws {
        let s = Scratch()
        let got = lines(
            check(
                try s.workbook(
                    #"""
                    {"sheets": [{"name": "发现问题", "rows": [["编号", "日期", "单位", "指标"], ["f-1", "2023-05-12", "市财政局", "财政预决算"]]},
                      {"name": "整改", "rows": [["编号", "日期", "撤销对象", "整改措施", "单位"], ["z-1", "2023-05-20", "f-1", "已公开", "市财政局、城东街道"]]},
                      {"name": "复查", "rows": [["编号", "日期", "单位", "复查结果"], ["c-1", "2023-05-25", "市财政局", "通过"]]}]}
                    """#), .xlsx))
        #expect(got.count == 3, "\(got)")
        #expect(got.first == "工作表“整改”第1行 C列(撤销对象):“整改”记录的对象列表头应为“整改对象”,不是“撤销对象”。", "\(got)")
        #expect(got.contains { $0.hasPrefix("工作表“整改”第2行 E列(单位):") }, "one unit on a 整改 sheet: \(got)")
        #expect(got.last == "工作表“复查”:缺少必填的列:“复查对象”。请在第1行加上这些表头(可用 zwgk template 生成模板)。", "\(got)")
    }
}
