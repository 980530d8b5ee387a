import DropFile
import RubricEngine
import Testing

/// Rectification reports and re-checks are refused, each with its reason, for every case issue 12 names;
/// deadlines on findings and notices are checked too.
@Suite(.timeLimit(.minutes(10))) struct RectificationChecks {
    static func d(_ s: String) -> Day { Day(s)! }

    /// The ledger so far: findings and notices in every situation an item can be in.
    static let stored: [Record] = [
        .finding(Finding(id: "f1", year: 2023, date: d("2023-05-12"), unit: "市财政局", indicator: "财政预决算")),
        .finding(Finding(id: "bonus", year: 2023, date: d("2023-05-12"), unit: "城东街道", indicator: "政策咨询", clause: "好评")),
        .finding(Finding(id: "assigned", year: 2023, date: d("2023-05-12"), unit: "市财政局", indicator: "行政事业性收费", score: Points(2))),
        .notice(Notice(id: "n1", year: 2023, date: d("2023-04-10"), level: "quarterly", units: ["市财政局", "城东街道"])),
        .notice(Notice(id: "n2", year: 2023, date: d("2023-04-10"), level: "monthly", units: ["市财政局", "城东街道"])),
        .retraction(Retraction(id: "r2", year: 2023, date: d("2023-06-01"), target: "n2", reason: "点名有误", units: ["城东街道"])),
        .finding(Finding(id: "f2", year: 2023, date: d("2023-05-12"), unit: "城东街道", indicator: "财政预决算")),
        .retraction(Retraction(id: "r1", year: 2023, date: d("2023-06-01"), target: "f2", reason: "申诉成立")),
        // f3: reported and closed.
        .finding(Finding(id: "f3", year: 2023, date: d("2023-05-12"), unit: "市发改局", indicator: "财政预决算")),
        .rectification(Rectification(id: "z3", year: 2023, date: d("2023-05-20"), target: "f3", unit: "市发改局", measures: "已公开")),
        .recheck(Recheck(id: "c3", year: 2023, date: d("2023-05-25"), target: "f3", unit: "市发改局", passed: true)),
        // f4: reported, failed its re-check, nothing since.
        .finding(Finding(id: "f4", year: 2023, date: d("2023-05-12"), unit: "市发改局", indicator: "部门信息公开")),
        .rectification(Rectification(id: "z4", year: 2023, date: d("2023-05-20"), target: "f4", unit: "市发改局", measures: "已公开")),
        .recheck(Recheck(id: "c4", year: 2023, date: d("2023-05-25"), target: "f4", unit: "市发改局", passed: false)),
        // f5: reported on 20 May, awaiting its re-check.
        .finding(Finding(id: "f5", year: 2023, date: d("2023-05-12"), unit: "市发改局", indicator: "机构职能")),
        .rectification(Rectification(id: "z5", year: 2023, date: d("2023-05-20"), target: "f5", unit: "市发改局", measures: "已公开")),
    ]

    var context: DropFileContext {
        DropFileContext(
            rubrics: [2023: rubric2023], roster: roster,
            existing: { year, id in Self.stored.first { $0.year == year && $0.id == id } },
            retractions: { year, id in
                Self.stored.compactMap { r -> Retraction? in
                    if case .retraction(let x) = r, x.year == year, x.target == id { return x }
                    return nil
                }
            },
            followUps: { year, id in Self.stored.filter { $0.year == year && $0.isFollowUp && $0.target == id } })
    }

    func check(_ json: String) -> Result<ValidFile, Problems> { DropFile.check(Array(json.utf8), context: context) }

    func problems(_ json: String) -> [Problem] {
        if case .failure(let p) = check(json) { return p.all }
        return []
    }

    func rect(_ target: String, unit: String? = nil, date: String = "2023-06-10", id: String = "z", extra: String = "") -> String {
        #"{"type": "rectification", "id": "\#(id)", "year": 2023, "date": "\#(date)", "target": "\#(target)", "#
            + (unit.map { #""unit": "\#($0)", "# } ?? "") + #""measures": "已在门户网站公开"\#(extra)}"#
    }

    func recheck(
        _ target: String, unit: String? = nil, date: String = "2023-06-10", id: String = "c", result: String = "passed",
        extra: String = ""
    ) -> String {
        #"{"type": "recheck", "id": "\#(id)", "year": 2023, "date": "\#(date)", "target": "\#(target)", "#
            + (unit.map { #""unit": "\#($0)", "# } ?? "") + #""result": "\#(result)"\#(extra)}"#
    }

    /// Refused, with exactly one problem on `field` whose message contains `words`.
    func refused(_ json: String, field: String, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let p = problems(json)
        #expect(p.count == 1, "\(p)", sourceLocation: sourceLocation)
        #expect(p.first?.field == field, "\(p)", sourceLocation: sourceLocation)
        #expect(p.first?.message.contains(words) == true, "\(p)", sourceLocation: sourceLocation)
    }

    @Test func aReportAndItsRecheckAreAcceptedAndTheFindingsUnitIsFilledIn() throws {
        let v = try check("[\(rect("f1")), \(recheck("f1", date: "2023-06-11", result: "failed", extra: #", "rectify_by": "2023-06-30", "note": "佐证不足""#))]")
            .get()
        #expect(
            v.new == [
                .rectification(Rectification(id: "z", year: 2023, date: Self.d("2023-06-10"), target: "f1", unit: "市财政局", measures: "已在门户网站公开")),
                .recheck(
                    Recheck(
                        id: "c", year: 2023, date: Self.d("2023-06-11"), target: "f1", unit: "市财政局", passed: false, note: "佐证不足",
                        rectifyBy: Self.d("2023-06-30"))),
            ])
        // The same with the unit written out is the same record.
        #expect(try check(rect("f1", unit: "市财政局")).get().new == [v.new[0]])
        // Each unit a notice names rectifies on its own; one the notice withdrew for another unit is still open.
        #expect(try check(rect("n1", unit: "城东街道")).get().new.count == 1)
        #expect(try check(rect("n2", unit: "市财政局")).get().new.count == 1)
        // The awaited re-check, and a new report after a failed one.
        #expect(try check(recheck("f5")).get().new.count == 1)
        #expect(try check(rect("f4")).get().new.count == 1)
    }

    @Test func anUnknownOrUnfitTargetIsRefused() {
        refused(rect("nope"), field: "target", "没有 id 为“nope”的记录可以整改")
        refused(recheck("nope"), field: "target", "没有 id 为“nope”的记录可以复查")
        refused(rect("r1"), field: "target", "整改和复查只能针对发现问题(finding)或通报(notice)")
        refused(rect("z3"), field: "target", "整改和复查只能针对发现问题(finding)或通报(notice)")
        refused(rect("bonus"), field: "target", "是加分记录,不扣分")
        refused(rect("assigned"), field: "target", "是赋分记录,不扣分")
    }

    @Test func aRetractedTargetIsRefusedForTheUnitsItWasWithdrawnFor() {
        refused(rect("f2"), field: "target", "已被撤销(撤销记录“r1”)")
        refused(recheck("n2", unit: "城东街道"), field: "target", "“n2”对“城东街道”已被撤销")
        // Retracted earlier in the same file.
        let retraction = #"{"type": "retraction", "id": "r9", "year": 2023, "date": "2023-06-09", "target": "f1", "reason": "申诉成立"}"#
        let p = problems("[\(retraction), \(rect("f1"))]")
        #expect(p.count == 1 && p[0].record == 2 && p[0].message.contains("已被撤销(撤销记录“r9”)"), "\(p)")
    }

    @Test func aUnitTheTargetDoesNotNameIsRefused() {
        refused(rect("n1"), field: "unit", "必须写明 unit(“市财政局”、“城东街道”之一)")
        refused(rect("n1", unit: "市发改局"), field: "unit", "通报“n1”没有点名“市发改局”")
        refused(rect("f1", unit: "城东街道"), field: "unit", "发现问题“f1”的单位是“市财政局”,不是“城东街道”")
    }

    @Test func aRecheckNeedsARectificationSinceTheLastRecheck() {
        refused(recheck("f1"), field: "target", "“f1”自立项以来没有新的整改报告,无法复查")
        refused(recheck("f4"), field: "target", "“f4”自上次复查以来没有新的整改报告,无法复查")
        refused(recheck("n1", unit: "城东街道"), field: "target", "“n1”对“城东街道”自立项以来没有新的整改报告")
        // Against the records before it in the same file: one re-check per report.
        let p = problems("[\(rect("f1")), \(recheck("f1", id: "c1", result: "failed")), \(recheck("f1", id: "c2"))]")
        #expect(p.count == 1 && p[0].record == 3 && p[0].message.contains("自上次复查以来没有新的整改报告"), "\(p)")
    }

    @Test func nothingMoreOnAClosedItem() {
        refused(rect("f3"), field: "target", "“f3”已复查通过并销号,不能再提交整改报告或复查记录")
        refused(recheck("f3"), field: "target", "已复查通过并销号")
        let p = problems("[\(rect("f1")), \(recheck("f1", id: "c1")), \(rect("f1", id: "z2"))]")
        #expect(p.count == 1 && p[0].record == 3 && p[0].message.contains("已复查通过并销号"), "\(p)")
    }

    @Test func aDateBeforeTheTargetsOrTheLastRecordsIsRefused() {
        refused(rect("f1", date: "2023-05-11"), field: "date", "日期2023-05-11早于被整改记录“f1”的日期2023-05-12")
        refused(rect("n1", unit: "市财政局", date: "2023-04-09"), field: "date", "早于被整改记录“n1”的日期2023-04-10")
        refused(recheck("f5", date: "2023-05-19"), field: "date", "日期2023-05-19早于该事项上一条整改或复查记录的日期2023-05-20")
        refused(rect("f4", date: "2023-05-24"), field: "date", "早于该事项上一条整改或复查记录的日期2023-05-25")
    }

    @Test func fieldsOfReportsAndRechecks() {
        refused(#"{"type": "rectification", "id": "z", "year": 2023, "date": "2023-06-10", "target": "f1"}"#, field: "measures", "缺少必填字段 measures")
        refused(#"{"type": "rectification", "id": "z", "year": 2023, "date": "2023-06-10", "target": "f1", "measures": "  "}"#, field: "measures", "不能为空白")
        refused(recheck("f5", result: "ok"), field: "result", "“ok”不是有效的复查结果")
        refused(recheck("f5", extra: #", "rectify_by": "2023-07-01""#), field: "rectify_by", "复查通过即销号")
        refused(recheck("f5", result: "failed", extra: #", "rectify_by": "2023-06-09""#), field: "rectify_by", "整改期限2023-06-09早于记录日期2023-06-10")
        refused(rect("f1", extra: #", "note": "x""#), field: "note", "rectification 记录没有这个字段")
        let missing = problems(#"{"type": "recheck", "id": "c", "year": 2023, "date": "2023-06-10", "unit": "市财政局"}"#)
        #expect(missing.map(\.field) == ["target", "result"], "\(missing)")
    }

    @Test func deadlinesOnFindingsAndNotices() throws {
        let finding = #"{"type": "finding", "id": "x", "year": 2023, "date": "2023-05-12", "unit": "市财政局", "indicator": "财政预决算", "rectify_by": "2023-06-30"}"#
        guard case .finding(let f)? = try check(finding).get().new.first else {
            Issue.record("not a finding")
            return
        }
        #expect(f.rectifyBy == Self.d("2023-06-30"))
        #expect(Record.finding(f).canonicalText.hasSuffix(#","rectify_by":"2023-06-30"}"#))
        refused(finding.replacing("2023-06-30", with: "2023-05-11"), field: "rectify_by", "整改期限2023-05-11早于记录日期2023-05-12")
        refused(finding.replacing("2023-06-30", with: "6月30日"), field: "rectify_by", "“6月30日”不是有效日期")
        refused(
            #"{"type": "finding", "id": "x", "year": 2023, "date": "2023-05-12", "unit": "城东街道", "indicator": "政策咨询", "clause": "好评", "rectify_by": "2023-06-30"}"#,
            field: "rectify_by", "只有扣分的发现问题才有整改期限;“政策咨询”(好评)是加分项")
        refused(
            #"{"type": "finding", "id": "x", "year": 2023, "date": "2023-05-12", "unit": "市财政局", "indicator": "行政事业性收费", "score": 1, "rectify_by": "2023-06-30"}"#,
            field: "rectify_by", "“行政事业性收费”是赋分项")
        let notice = #"{"type": "notice", "id": "n9", "year": 2023, "date": "2023-04-10", "level": "monthly", "units": ["城东街道"], "rectify_by": "2023-04-20"}"#
        guard case .notice(let n)? = try check(notice).get().new.first else {
            Issue.record("not a notice")
            return
        }
        #expect(n.rectifyBy == Self.d("2023-04-20"))
        refused(notice.replacing("2023-04-20", with: "2023-04-01"), field: "rectify_by", "早于记录日期2023-04-10")
    }

    /// A file sent again is a duplicate, though the item has moved on since (here: closed).
    @Test func theSameReportAgainIsADuplicate() throws {
        let again = #"{"type": "rectification", "id": "z3", "year": 2023, "date": "2023-05-20", "target": "f3", "unit": "市发改局", "measures": "已公开"}"#
        let v = try check(again).get()
        #expect(v.new.isEmpty && v.duplicates.count == 1)
        let changed = problems(again.replacing("已公开", with: "另写"))
        #expect(changed.count == 1 && changed[0].message.contains("内容不同(冲突)"), "\(changed)")
    }

    @Test func reportsAndRechecksReadBackFromTheLedgersCanonicalForm() throws {
        for record in Self.stored where record.isFollowUp {
            var text = record.canonicalText
            let read = try text.withUTF8 { try Record(canonicalUTF8: $0) }
            #expect(read == record)
        }
        let failed = Record.recheck(
            Recheck(
                id: "c", year: 2023, date: Self.d("2023-06-10"), target: "f", unit: "市财政局", passed: false,
                note: "未见佐证", rectifyBy: Self.d("2023-06-30")))
        #expect(
            failed.canonicalText
                == #"{"type":"recheck","id":"c","year":2023,"date":"2023-06-10","target":"f","unit":"市财政局","result":"failed","note":"未见佐证","rectify_by":"2023-06-30"}"#
        )
        var text = failed.canonicalText
        #expect(try text.withUTF8 { try Record(canonicalUTF8: $0) } == failed)
    }
}
