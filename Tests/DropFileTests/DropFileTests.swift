import DropFile
import RubricEngine
import Testing

let rubric2023: Rubric = try! Rubric.builtIn()
let roster = UnitRoster(units: [
    Unit(name: "市财政局", unitClass: "B", assigned: ["行政事业性收费"]),
    Unit(name: "市发改局", unitClass: "B", assigned: ["双公示排名情况"]),
    Unit(name: "城东街道", unitClass: "A"),
])

/// A ledger stand-in for lookups: the records "already stored".
func context(stored: [Record] = []) -> DropFileContext {
    DropFileContext(
        rubrics: [2023: rubric2023], roster: roster,
        existing: { year, id in stored.first { $0.year == year && $0.id == id } },
        retractions: { year, id in
            stored.compactMap { r -> Retraction? in
                if case .retraction(let x) = r, x.year == year, x.target == id { return x }
                return nil
            }
        })
}

func problems(_ json: String, stored: [Record] = []) -> [Problem] {
    switch DropFile.check(Array(json.utf8), context: context(stored: stored)) {
    case .success: return []
    case .failure(let p): return p.all
    }
}

func valid(_ json: String, stored: [Record] = []) throws -> ValidFile {
    try DropFile.check(Array(json.utf8), context: context(stored: stored)).get()
}

let good = #"{"type": "finding", "id": "f-1", "year": 2023, "date": "2023-05-12", "unit": "市财政局", "indicator": "财政预决算", "method": "网上检查"}"#

@Suite(.timeLimit(.minutes(10))) struct WholeFile {
    @Test func acceptsTheInterfaceExample() throws {
        let v = try valid(
            """
            [
              {"type": "finding", "id": "wsjc-2023-017", "year": 2023, "date": "2023-05-12",
               "unit": "市财政局", "indicator": "财政预决算", "method": "网上检查"},
              {"type": "notice", "id": "运政办通〔2023〕12号", "year": 2023, "date": "2023-04-10",
               "level": "quarterly", "units": ["市财政局", "城东街道"]}
            ]
            """)
        #expect(v.new.count == 2)
        #expect(v.duplicates.isEmpty)
    }

    @Test func aSingleObjectAndAByteOrderMarkAreFine() throws {
        #expect(try valid("\u{FEFF}" + good).new.count == 1)
    }

    @Test func malformedJSONGivesLineAndColumn() {
        let p = problems("[\n  {\"type\": \"finding\",, }\n]")
        #expect(p.count == 1)
        #expect(p[0].record == nil)
        #expect(p[0].message.contains("第2行第22列"), "\(p[0])")
    }

    @Test func chinesePunctuationIsNamed() {
        let p = problems("{“type”: \"finding\"}")
        #expect(p[0].message.contains("中文标点"))
    }

    @Test func invalidUTF8SaysWhereAndHow() {
        var bytes = Array(good.utf8)
        bytes.insert(0xB9, at: 10)  // a GBK byte in a UTF-8 file
        guard case .failure(let p) = DropFile.check(bytes, context: context()) else {
            Issue.record("accepted invalid UTF-8")
            return
        }
        #expect(p.all[0].message.contains("UTF-8"))
        #expect(p.all[0].message.contains("第11个字节"))
    }

    @Test func overOneMebibyteIsRefusedBeforeParsing() {
        let big = "[" + String(repeating: good + ",", count: 8000) + good + "]"
        #expect(big.utf8.count > DropFile.maxBytes)
        let p = problems(big)
        #expect(p.count == 1)
        #expect(p.first?.message.contains("超过1 MiB") == true)
    }

    @Test func emptyFileAndEmptyArrayAndScalars() {
        #expect(problems("")[0].message.contains("空的"))
        #expect(problems("[]")[0].message.contains("没有任何记录"))
        #expect(problems("42")[0].message.contains("对象或对象数组"))
        #expect(problems("[1]")[0].message.contains("JSON对象"))
    }

    @Test func duplicateKeysAreRefused() {
        let p = problems(#"{"type": "finding", "type": "notice"}"#)
        #expect(p[0].message.contains("重复出现"))
    }

    @Test func deepNestingIsRefused() {
        let p = problems(String(repeating: "[", count: 500) + String(repeating: "]", count: 500))
        #expect(p[0].message.contains("嵌套"))
    }
}

@Suite(.timeLimit(.minutes(10))) struct RecordProblems {
    /// Each bad record, the field named, and a phrase the message must contain.
    static let cases: [(String, String, String)] = [
        (#"{"id": "x", "year": 2023, "date": "2023-01-01"}"#, "type", "缺少必填字段 type"),
        (#"{"type": "findng", "id": "x", "year": 2023, "date": "2023-01-01"}"#, "type", "不是有效的记录类型"),
        (#"{"type": "finding", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "财政预决算"}"#, "id", "缺少必填字段 id"),
        (#"{"type": "finding", "id": 7, "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "财政预决算"}"#, "id", "应为字符串"),
        (#"{"type": "finding", "id": "", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "财政预决算"}"#, "id", "不能为空"),
        (
            "{\"type\": \"finding\", \"id\": \"\(String(repeating: "号", count: 129))\", \"year\": 2023, \"date\": \"2023-01-01\", \"unit\": \"市财政局\", \"indicator\": \"财政预决算\"}",
            "id", "超过128"
        ),
        (#"{"type": "finding", "id": "x", "year": "2023", "date": "2023-01-01", "unit": "市财政局", "indicator": "财政预决算"}"#, "year", "应为整数年份"),
        (#"{"type": "finding", "id": "x", "year": 2024, "date": "2024-01-01", "unit": "市财政局", "indicator": "财政预决算"}"#, "year", "没有2024年度的考核细则"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-02-30", "unit": "市财政局", "indicator": "财政预决算"}"#, "date", "不是有效日期"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023/05/01", "unit": "市财政局", "indicator": "财政预决算"}"#, "date", "YYYY-MM-DD"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2022-12-31", "unit": "市财政局", "indicator": "财政预决算"}"#, "date", "不在考核年度2023年内"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "indicator": "财政预决算"}"#, "unit", "缺少必填字段 unit"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "财政局", "indicator": "财政预决算"}"#, "unit", "是否是:市财政局"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "财政决算"}"#, "indicator", "是否是"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "已公布标准目录执行情况"}"#, "indicator", "B类考核细则没有指标"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "双公示排名情况", "score": 5}"#, "indicator", "只适用于指定单位"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "机构、人员、经费保障情况"}"#, "clause", "必须写明 clause"),
        (
            #"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "机构、人员、经费保障情况", "clause": "场地"}"#, "clause",
            "可选:机构、人员、经费"
        ),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "财政预决算", "clause": "预算"}"#, "clause", "只有一项"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "财政预决算", "count": 0}"#, "count", "至少为1"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "财政预决算", "count": 1.5}"#, "count", "正整数"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "财政预决算", "count": "2"}"#, "count", "正整数"),
        (
            #"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "双公示数据报送情况", "score": 9}"#, "score",
            "超出指标“双公示数据报送情况”的赋分范围0—8"
        ),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "行政事业性收费", "score": -3.5}"#, "score", "-3—3"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "双公示数据报送情况"}"#, "score", "必须给出分值"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "双公示数据报送情况", "score": 2.333}"#, "score", "最多两位小数"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "财政预决算", "score": 2}"#, "score", "不是赋分指标"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "综合加分项"}"#, "points", "必须填写 points"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "综合加分项", "points": 0}"#, "points", "必须大于0"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "综合加分项", "points": -2}"#, "points", "必须大于0"),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "重大扣分项", "clause": "六"}"#, "points", "必须填写 points"),
        (
            #"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "重大扣分项", "clause": "一", "points": 5}"#, "points",
            "不能填写 points"
        ),
        (#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "财政预决算", "cout": 2}"#, "cout", "是否是 count"),
        (#"{"type": "notice", "id": "x", "year": 2023, "date": "2023-01-01", "level": "weekly", "units": ["市财政局"]}"#, "level", "不是有效的通报级别"),
        (#"{"type": "notice", "id": "x", "year": 2023, "date": "2023-01-01", "units": ["市财政局"]}"#, "level", "缺少必填字段 level"),
        (#"{"type": "notice", "id": "x", "year": 2023, "date": "2023-01-01", "level": "monthly", "units": []}"#, "units", "不能为空"),
        (#"{"type": "notice", "id": "x", "year": 2023, "date": "2023-01-01", "level": "monthly", "units": "市财政局"}"#, "units", "应为单位名称的数组"),
        (#"{"type": "notice", "id": "x", "year": 2023, "date": "2023-01-01", "level": "monthly", "units": ["市财政局", "市财政局"]}"#, "units[1]", "重复出现"),
        (#"{"type": "notice", "id": "x", "year": 2023, "date": "2023-01-01", "level": "monthly", "units": ["市财政局", "城南街道"]}"#, "units[1]", "不在单位名单中"),
        (#"{"type": "notice", "id": "x", "year": 2023, "date": "2023-01-01", "level": "monthly"}"#, "units", "缺少必填字段 units"),
    ]

    @Test(arguments: cases)
    func badRecordIsNamedByPositionFieldAndReason(_ c: (String, String, String)) {
        let p = problems("[\(good), \(c.0)]")
        #expect(!p.isEmpty, "accepted: \(c.0)")
        guard let hit = p.first(where: { $0.field == c.1 }) else {
            Issue.record("no problem on field \(c.1): \(p)")
            return
        }
        #expect(hit.record == 2)
        #expect(hit.message.contains(c.2), "\(hit)")
        #expect(hit.description.hasPrefix("第2条记录"))
    }

    @Test func everyProblemOfAFileIsReported() {
        let p = problems(
            """
            [
              {"type": "finding", "id": "a", "year": 2023, "date": "2023-13-01", "unit": "市财政局", "indicator": "财政预决算", "count": 0},
              {"type": "finding", "id": "b", "year": 2023, "date": "2023-01-01", "unit": "无此单位", "indicator": "无此指标"},
              {"type": "notice", "id": "c", "year": 2023, "date": "2023-01-01", "level": "daily", "units": []}
            ]
            """)
        #expect(p.map { "\($0.record!):\($0.field!)" } == ["1:date", "1:count", "2:unit", "2:indicator", "3:level", "3:units"])
        #expect(p[2].description.hasPrefix("第2条记录(id “b”),字段 unit:"))
    }

    @Test func clauseNamesAcceptBrackets() throws {
        let v = try valid(#"{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政局", "indicator": "重大扣分项", "clause": "(二)"}"#)
        guard case .finding(let f) = v.new[0] else {
            Issue.record("not a finding")
            return
        }
        #expect(f.clause == "二")
    }
}

@Suite(.timeLimit(.minutes(10))) struct DuplicatesAndConflicts {
    @Test func theSameRecordAgainIsADuplicate() throws {
        let first = try valid(good).new
        let again = try valid(good, stored: first)
        #expect(again.new.isEmpty)
        #expect(again.duplicates.count == 1)
    }

    @Test func defaultsAndSpellingDoNotMakeNewContent() throws {
        let first = try valid(good).new
        let spelled =
            #"{"type": "finding", "id": "f-1", "year": 2023, "date": "2023-05-12", "unit": "市财政局", "indicator": " 财政预决算 ", "count": 1, "method": "网上检查"}"#
        #expect(try valid(spelled, stored: first).duplicates.count == 1)
    }

    @Test func theSameIdWithOtherContentIsAConflict() throws {
        let first = try valid(good).new
        let p = problems(good.replacing("2023-05-12", with: "2023-05-13"), stored: first)
        #expect(p.count == 1)
        #expect(p[0].field == "id")
        #expect(p[0].message.contains("冲突"))
        #expect(p[0].message.contains("retraction"))
    }

    @Test func aConflictInsideOneFile() {
        let p = problems("[\(good), \(good.replacing("网上检查", with: "实地检查"))]")
        #expect(p.map(\.record) == [2])
        #expect(p[0].message.contains("本文件中前面已有"))
    }

    @Test func aRepeatInsideOneFileCountsOnce() throws {
        let v = try valid("[\(good), \(good)]")
        #expect(v.new.count == 1)
        #expect(v.duplicates.count == 1)
    }

    @Test func idsAreUniquePerYearAcrossTypes() throws {
        let first = try valid(good).new
        let p = problems(#"{"type": "notice", "id": "f-1", "year": 2023, "date": "2023-01-01", "level": "monthly", "units": ["市财政局"]}"#, stored: first)
        #expect(p.first?.message.contains("冲突") == true)
    }
}

@Suite(.timeLimit(.minutes(10))) struct Retractions {
    let notice = #"{"type": "notice", "id": "tb-1", "year": 2023, "date": "2023-03-01", "level": "monthly", "units": ["市财政局", "城东街道"]}"#

    func stored() throws -> [Record] { try valid("[\(good), \(notice)]").new }

    @Test func retractsAFinding() throws {
        let v = try valid(#"{"type": "retraction", "id": "r-1", "year": 2023, "date": "2023-06-01", "target": "f-1", "reason": "申诉成立"}"#, stored: try stored())
        #expect(v.new.count == 1)
    }

    @Test func aCorrectionIsARetractionAndANewFindingInOneFile() throws {
        let v = try valid(
            """
            [{"type": "retraction", "id": "r-1", "year": 2023, "date": "2023-06-01", "target": "f-1", "reason": "单位填错"},
             {"type": "finding", "id": "f-1b", "year": 2023, "date": "2023-05-12", "unit": "城东街道", "indicator": "财政预决算"}]
            """, stored: try stored())
        #expect(v.new.count == 2)
    }

    @Test(arguments: [
        (#"{"type": "retraction", "id": "r-2", "year": 2023, "date": "2023-06-01", "target": "nope", "reason": "x"}"#, "target", "没有 id 为“nope”的记录"),
        (#"{"type": "retraction", "id": "r-2", "year": 2023, "date": "2023-06-01", "target": "f-1", "reason": "  "}"#, "reason", "不能为空白"),
        (#"{"type": "retraction", "id": "r-2", "year": 2023, "date": "2023-06-01", "target": "f-1"}"#, "reason", "缺少必填字段 reason"),
        (
            #"{"type": "retraction", "id": "r-2", "year": 2023, "date": "2023-06-01", "target": "f-1", "reason": "x", "units": ["市财政局"]}"#, "units",
            "只有通报可以按单位撤销"
        ),
        (#"{"type": "retraction", "id": "r-2", "year": 2023, "date": "2023-06-01", "target": "tb-1", "reason": "x", "units": ["市发改局"]}"#, "units", "没有点名"),
    ])
    func badRetraction(_ c: (String, String, String)) throws {
        let p = problems(c.0, stored: try stored())
        #expect(p.contains { $0.field == c.1 && $0.message.contains(c.2) }, "\(p)")
    }

    @Test func cannotRetractTwiceOrRetractARetraction() throws {
        var records = try stored()
        records += try valid(#"{"type": "retraction", "id": "r-1", "year": 2023, "date": "2023-06-01", "target": "f-1", "reason": "x"}"#, stored: records).new
        let twice = problems(#"{"type": "retraction", "id": "r-2", "year": 2023, "date": "2023-06-02", "target": "f-1", "reason": "y"}"#, stored: records)
        #expect(twice.first?.message.contains("已被撤销") == true)
        let ofRetraction = problems(
            #"{"type": "retraction", "id": "r-3", "year": 2023, "date": "2023-06-02", "target": "r-1", "reason": "y"}"#, stored: records)
        #expect(ofRetraction.first?.message.contains("不能再被撤销") == true)
    }

    @Test func theSameRetractionAgainIsADuplicate() throws {
        let retraction = #"{"type": "retraction", "id": "r-1", "year": 2023, "date": "2023-06-01", "target": "f-1", "reason": "申诉成立"}"#
        var records = try stored()
        records += try valid(retraction, stored: records).new
        let again = try valid(retraction, stored: records)
        #expect(again.new.isEmpty && again.duplicates.count == 1)
        let twiceInOneFile = try valid("[\(retraction), \(retraction)]", stored: try stored())
        #expect(twiceInOneFile.new.count == 1 && twiceInOneFile.duplicates.count == 1)
        let changed = problems(retraction.replacing("申诉成立", with: "另一理由"), stored: records)
        #expect(changed.first?.message.contains("冲突") == true)
    }

    @Test func aNoticeIsRetractedUnitByUnit() throws {
        var records = try stored()
        records += try valid(
            #"{"type": "retraction", "id": "r-1", "year": 2023, "date": "2023-06-01", "target": "tb-1", "reason": "x", "units": ["市财政局"]}"#, stored: records
        ).new
        #expect(throws: Never.self) {
            _ = try valid(
                #"{"type": "retraction", "id": "r-2", "year": 2023, "date": "2023-06-01", "target": "tb-1", "reason": "x", "units": ["城东街道"]}"#, stored: records
            )
        }
        let again = problems(#"{"type": "retraction", "id": "r-3", "year": 2023, "date": "2023-06-01", "target": "tb-1", "reason": "x"}"#, stored: records)
        #expect(again.first?.message.contains("“市财政局”已被撤销") == true)
    }

    @Test func otherYearTargetsAreNotFound() throws {
        let p = problems(#"{"type": "retraction", "id": "r-1", "year": 2024, "date": "2024-06-01", "target": "f-1", "reason": "x"}"#, stored: try stored())
        #expect(p.contains { $0.field == "year" })
    }
}
