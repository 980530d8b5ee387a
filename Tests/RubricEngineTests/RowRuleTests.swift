import RubricEngine
import Testing

/// One finding in a row case: clause, count, date, discretionary points.
struct Hit: Sendable {
    var clause: String?
    var count = 1
    var date = "2023-05-10"
    var points: String?
    var notice: String?

    static func c(_ clause: String?, _ count: Int = 1, on date: String = "2023-05-10") -> Hit {
        Hit(clause: clause, count: count, date: date)
    }

    static func notice(_ level: String, on date: String = "2023-05-10") -> Hit {
        Hit(clause: nil, date: date, notice: level)
    }

    static func points(_ p: String, clause: String? = nil) -> Hit { Hit(clause: clause, points: p) }
}

/// A row, the findings on it, and what the rubric text says the row is worth afterwards.
struct RowCase: Sendable, CustomTestStringConvertible {
    var unit: String
    var row: String
    var hits: [Hit]
    var base: String
    var deducted: String
    var bonus: String
    var score: String
    var note: String

    var testDescription: String { "\(unit) \(row): \(note)" }

    init(
        _ unit: String, _ row: String, _ hits: [Hit], base: String, deducted: String = "0", bonus: String = "0",
        score: String, _ note: String
    ) {
        self.unit = unit
        self.row = row
        self.hits = hits
        self.base = base
        self.deducted = deducted
        self.bonus = bonus
        self.score = score
        self.note = note
    }
}

let A = "甲镇"
let B = "乙局"

/// Every points row of both tables, from rubric-2023.md's text.
let rowCases: [RowCase] = [
    // 研究部署政务公开工作情况: base 5, single −5.
    RowCase(A, "研究部署政务公开工作情况", [], base: "5", score: "5", "no finding keeps the base"),
    RowCase(A, "研究部署政务公开工作情况", [.c(nil)], base: "5", deducted: "5", score: "0", "one finding −5"),
    RowCase(
        A, "研究部署政务公开工作情况", [.c(nil, on: "2023-02-01"), .c(nil, on: "2023-09-01")], base: "5", deducted: "5", score: "0",
        "single: a second finding deducts nothing more"),
    RowCase(A, "研究部署政务公开工作情况", [.c(nil, 3)], base: "5", deducted: "5", score: "0", "single: count does not multiply"),
    RowCase(B, "研究部署政务公开工作情况", [.c(nil)], base: "5", deducted: "5", score: "0", "B keeps A's rule"),
    // 机构、人员、经费保障情况: base 6, set 机构/人员/经费 −2 each, cap 6.
    RowCase(A, "机构、人员、经费保障情况", [.c("经费")], base: "6", deducted: "2", score: "4", "one element −2"),
    RowCase(A, "机构、人员、经费保障情况", [.c("经费"), .c("经费")], base: "6", deducted: "2", score: "4", "the same element twice costs 2, not 4"),
    RowCase(A, "机构、人员、经费保障情况", [.c("经费", 3)], base: "6", deducted: "2", score: "4", "count does not multiply a set element"),
    RowCase(A, "机构、人员、经费保障情况", [.c("经费"), .c("人员")], base: "6", deducted: "4", score: "2", "two distinct elements −4"),
    RowCase(A, "机构、人员、经费保障情况", [.c("机构"), .c("人员"), .c("经费"), .c("机构")], base: "6", deducted: "6", score: "0", "all three: cap 6"),
    RowCase(B, "机构、人员、经费保障情况", [.c("人员"), .c("经费"), .c("经费")], base: "6", deducted: "4", score: "2", "B: the seed's h is 6"),
    // 已公布标准目录执行情况 (A only): base 5, −0.5 per occurrence, cap 5.
    RowCase(A, "已公布标准目录执行情况", [.c(nil)], base: "5", deducted: "0.5", score: "4.5", "half a point per item"),
    RowCase(A, "已公布标准目录执行情况", [.c(nil, 3)], base: "5", deducted: "1.5", score: "3.5", "count 3 → 1.5"),
    RowCase(A, "已公布标准目录执行情况", [.c(nil, 4), .c(nil, 4)], base: "5", deducted: "4", score: "1", "8 items → 4"),
    RowCase(A, "已公布标准目录执行情况", [.c(nil, 10)], base: "5", deducted: "5", score: "0", "10 items reach the cap exactly"),
    RowCase(
        A, "已公布标准目录执行情况", [.c(nil, 6, on: "2023-01-05"), .c(nil, 6, on: "2023-11-05")], base: "5", deducted: "5", score: "0",
        "cap holds over the year across quarters"),
    // 信息公开指南: base 4, −1 per occurrence, cap 4.
    RowCase(A, "信息公开指南", [.c(nil)], base: "4", deducted: "1", score: "3", "one item −1"),
    RowCase(A, "信息公开指南", [.c(nil, 3)], base: "4", deducted: "3", score: "1", "three items −3"),
    RowCase(A, "信息公开指南", [.c(nil, 2), .c(nil, 3)], base: "4", deducted: "4", score: "0", "five items: cap 4"),
    RowCase(B, "信息公开指南", [.c(nil, 2)], base: "4", deducted: "2", score: "2", "B: same rule"),
    // 机构职能: base 6, −2 per occurrence, cap 6.
    RowCase(A, "机构职能", [.c(nil)], base: "6", deducted: "2", score: "4", "one item −2"),
    RowCase(A, "机构职能", [.c(nil, 2)], base: "6", deducted: "4", score: "2", "two items −4"),
    RowCase(A, "机构职能", [.c(nil, 4)], base: "6", deducted: "6", score: "0", "four items: cap 6"),
    RowCase(B, "机构职能", [.c(nil), .c(nil), .c(nil)], base: "6", deducted: "6", score: "0", "B: three findings reach the cap"),
    // 部门信息公开: base 2, single −2.
    RowCase(A, "部门信息公开", [.c(nil)], base: "2", deducted: "2", score: "0", "single −2"),
    RowCase(A, "部门信息公开", [.c(nil), .c(nil)], base: "2", deducted: "2", score: "0", "single: twice still −2"),
    RowCase(B, "部门信息公开", [.c(nil)], base: "2", deducted: "2", score: "0", "B: single −2"),
    // 重大项目建设信息公开情况: base 6, −2 per occurrence, cap 6.
    RowCase(A, "重大项目建设信息公开情况", [.c(nil, 2)], base: "6", deducted: "4", score: "2", "two checks without news −4"),
    RowCase(A, "重大项目建设信息公开情况", [.c(nil, 5)], base: "6", deducted: "6", score: "0", "cap 6"),
    RowCase(B, "重大项目建设信息公开情况", [.c(nil)], base: "6", deducted: "2", score: "4", "B: the seed's h is 6"),
    // 财政预决算: base 4, single −4.
    RowCase(A, "财政预决算", [.c(nil)], base: "4", deducted: "4", score: "0", "single −4"),
    RowCase(A, "财政预决算", [.c(nil), .c(nil)], base: "4", deducted: "4", score: "0", "single: twice still −4"),
    RowCase(B, "财政预决算", [.c(nil)], base: "4", deducted: "4", score: "0", "B: single −4"),
    // 审查机制建设: base 3, tiered 未制定 −3 / 不健全 −1.
    RowCase(A, "审查机制建设", [.c("不健全")], base: "3", deducted: "1", score: "2", "不健全 −1"),
    RowCase(A, "审查机制建设", [.c("未制定")], base: "3", deducted: "3", score: "0", "未制定 −3"),
    RowCase(A, "审查机制建设", [.c("不健全"), .c("未制定")], base: "3", deducted: "3", score: "0", "worst level applies, not the sum"),
    RowCase(A, "审查机制建设", [.c("未制定"), .c("不健全")], base: "3", deducted: "3", score: "0", "worst level applies in either order"),
    RowCase(A, "审查机制建设", [.c("不健全"), .c("不健全", 2)], base: "3", deducted: "1", score: "2", "a level reported again costs nothing more"),
    RowCase(B, "审查机制建设", [.c("不健全")], base: "3", deducted: "1", score: "2", "B: tiered"),
    // 审查制度执行情况: base 5, −1 per occurrence, cap 5.
    RowCase(A, "审查制度执行情况", [.c(nil, 2)], base: "5", deducted: "2", score: "3", "two documents −2"),
    RowCase(A, "审查制度执行情况", [.c(nil, 7)], base: "5", deducted: "5", score: "0", "cap 5"),
    RowCase(B, "审查制度执行情况", [.c(nil, 5)], base: "5", deducted: "5", score: "0", "B: blank cell, the text says cap 5"),
    // 公开属性认定情况: base 5, −1 per occurrence, cap 5.
    RowCase(A, "公开属性认定情况", [.c(nil)], base: "5", deducted: "1", score: "4", "one document −1"),
    RowCase(A, "公开属性认定情况", [.c(nil, 6)], base: "5", deducted: "5", score: "0", "cap 5"),
    RowCase(B, "公开属性认定情况", [.c(nil, 3)], base: "5", deducted: "3", score: "2", "B: same rule"),
    // 起草政府公文台账管理情况: base 2, single −2.
    RowCase(A, "起草政府公文台账管理情况", [.c(nil)], base: "2", deducted: "2", score: "0", "single −2"),
    RowCase(B, "起草政府公文台账管理情况", [], base: "2", score: "2", "B: untouched keeps 2"),
    RowCase(B, "起草政府公文台账管理情况", [.c(nil), .c(nil)], base: "2", deducted: "2", score: "0", "B: single"),
    // 对依申请公开的规范答复情况: base 6; 不规范 −3 each cap 6; 优质案卷 +2 each, bonus cap 4.
    RowCase(A, "对依申请公开的规范答复情况", [.c("不规范")], base: "6", deducted: "3", score: "3", "one irregular reply −3"),
    RowCase(A, "对依申请公开的规范答复情况", [.c("不规范", 3)], base: "6", deducted: "6", score: "0", "deduction cap 6"),
    RowCase(A, "对依申请公开的规范答复情况", [.c("优质案卷")], base: "6", bonus: "2", score: "8", "a fine case file +2 lifts the row above its base"),
    RowCase(A, "对依申请公开的规范答复情况", [.c("优质案卷", 3)], base: "6", bonus: "4", score: "10", "bonus cap 4"),
    RowCase(A, "对依申请公开的规范答复情况", [.c("不规范"), .c("优质案卷")], base: "6", deducted: "3", bonus: "2", score: "5", "deduction and bonus together"),
    RowCase(A, "对依申请公开的规范答复情况", [.c("不规范", 2), .c("优质案卷", 2)], base: "6", deducted: "6", bonus: "4", score: "4", "both at their caps"),
    RowCase(B, "对依申请公开的规范答复情况", [.c("优质案卷", 2), .c("优质案卷")], base: "6", bonus: "4", score: "10", "B: bonus cap over findings"),
    // 申请人复议或诉讼情况: base 8, −4 per lost case, cap 8.
    RowCase(A, "申请人复议或诉讼情况", [.c(nil)], base: "8", deducted: "4", score: "4", "one lost case −4"),
    RowCase(A, "申请人复议或诉讼情况", [.c(nil), .c(nil, 2)], base: "8", deducted: "8", score: "0", "cap 8"),
    RowCase(B, "申请人复议或诉讼情况", [.c(nil, 2)], base: "8", deducted: "8", score: "0", "B: same rule"),
    // 政府、政府办公文解读情况: base 6, −3 per document, cap 6.
    RowCase(A, "政府、政府办公文解读情况", [.c(nil)], base: "6", deducted: "3", score: "3", "one late reading −3"),
    RowCase(A, "政府、政府办公文解读情况", [.c(nil, 3)], base: "6", deducted: "6", score: "0", "cap 6"),
    RowCase(B, "政府、政府办公文解读情况", [.c(nil)], base: "6", deducted: "3", score: "3", "B: same rule"),
    // 多样化解读: base 0, bonus only +3 each, cap 6.
    RowCase(A, "多样化解读", [], base: "0", score: "0", "bonus-only row starts at 0"),
    RowCase(A, "多样化解读", [.c(nil)], base: "0", bonus: "3", score: "3", "+3"),
    RowCase(A, "多样化解读", [.c(nil, 2)], base: "0", bonus: "6", score: "6", "+6 reaches the cap"),
    RowCase(A, "多样化解读", [.c(nil, 2), .c(nil)], base: "0", bonus: "6", score: "6", "cap 6"),
    RowCase(B, "多样化解读", [.c(nil, 3)], base: "0", bonus: "6", score: "6", "B: cap 6"),
    // 政策咨询: base 6; 超时未回复 −2 each cap 6; 及时回复并公开 +0.5, 好评 +1, one shared bonus cap 3.
    RowCase(A, "政策咨询", [.c("超时未回复")], base: "6", deducted: "2", score: "4", "one late reply −2"),
    RowCase(A, "政策咨询", [.c("超时未回复", 4)], base: "6", deducted: "6", score: "0", "deduction cap 6"),
    RowCase(A, "政策咨询", [.c("及时回复并公开")], base: "6", bonus: "0.5", score: "6.5", "+0.5"),
    RowCase(A, "政策咨询", [.c("及时回复并公开", 4)], base: "6", bonus: "2", score: "8", "four timely replies +2"),
    RowCase(A, "政策咨询", [.c("好评", 2)], base: "6", bonus: "2", score: "8", "two praised +2"),
    RowCase(A, "政策咨询", [.c("好评", 2), .c("及时回复并公开", 4)], base: "6", bonus: "3", score: "9", "the two bonus clauses share one cap of 3"),
    RowCase(A, "政策咨询", [.c("好评", 5)], base: "6", bonus: "3", score: "9", "bonus cap 3"),
    RowCase(A, "政策咨询", [.c("超时未回复"), .c("好评")], base: "6", deducted: "2", bonus: "1", score: "5", "deduction and bonus together"),
    RowCase(B, "政策咨询", [.c("超时未回复", 2), .c("及时回复并公开")], base: "6", deducted: "4", bonus: "0.5", score: "2.5", "B: blank cell reads as A's rule"),
    // 与新闻媒体联系情况: base 0, bonus only +2 each, cap 4.
    RowCase(A, "与新闻媒体联系情况", [.c(nil)], base: "0", bonus: "2", score: "2", "+2"),
    RowCase(A, "与新闻媒体联系情况", [.c(nil, 3)], base: "0", bonus: "4", score: "4", "cap 4"),
    RowCase(B, "与新闻媒体联系情况", [.c(nil), .c(nil)], base: "0", bonus: "4", score: "4", "B: +4"),
    // 政务新媒体开设情况: base 5, single −5.
    RowCase(A, "政务新媒体开设情况", [.c(nil)], base: "5", deducted: "5", score: "0", "opened without approval −5"),
    RowCase(B, "政务新媒体开设情况", [.c(nil), .c(nil)], base: "5", deducted: "5", score: "0", "B: single"),
    // 检查通报情况(上级季度检查): base 8, −4 per notice, cap 8.
    RowCase(A, "检查通报情况(上级季度检查)", [.notice("quarterly")], base: "8", deducted: "4", score: "4", "one quarterly notice −4"),
    RowCase(
        A, "检查通报情况(上级季度检查)", [.notice("quarterly", on: "2023-03-01"), .notice("quarterly", on: "2023-06-01"), .notice("quarterly", on: "2023-09-01")],
        base: "8", deducted: "8", score: "0", "cap 8 over the year"),
    RowCase(A, "检查通报情况(上级季度检查)", [.notice("monthly")], base: "8", score: "8", "a monthly notice does not touch the quarterly row"),
    RowCase(B, "检查通报情况(上级季度检查)", [.notice("quarterly")], base: "8", deducted: "4", score: "4", "B: −4"),
    RowCase(A, "检查通报情况(上级季度检查)", [.c(nil)], base: "8", deducted: "4", score: "4", "a finding on the row counts as one occurrence"),
    // 检查通报情况(市月度检查): base 8, −1 per notice, cap 8.
    RowCase(
        A, "检查通报情况(市月度检查)", [.notice("monthly"), .notice("monthly"), .notice("monthly")], base: "8", deducted: "3", score: "5", "three monthly notices −3"),
    RowCase(A, "检查通报情况(市月度检查)", Array(repeating: .notice("monthly"), count: 9), base: "8", deducted: "8", score: "0", "cap 8"),
    RowCase(B, "检查通报情况(市月度检查)", [.notice("monthly"), .notice("quarterly")], base: "8", deducted: "1", score: "7", "B: the seed's Q is 8"),
    // B only — 双公示政府网站公开情况: base 4, single −4.
    RowCase(B, "双公示政府网站公开情况", [], base: "4", score: "4", "untouched keeps 4"),
    RowCase(B, "双公示政府网站公开情况", [.c(nil), .c(nil)], base: "4", deducted: "4", score: "0", "single −4"),
    RowCase("丙局", "双公示政府网站公开情况", [.c(nil)], base: "4", deducted: "4", score: "0", "applies to every B unit"),
    // B only — 运维情况: base 4, −2 per occurrence, cap 4.
    RowCase(B, "运维情况", [.c(nil)], base: "4", deducted: "2", score: "2", "one late update −2"),
    RowCase(B, "运维情况", [.c(nil, 3)], base: "4", deducted: "4", score: "0", "cap 4"),
    // B only — 解读质量: bonus only, 入选 +5, 参选 +1 each, cap 5.
    RowCase(B, "解读质量", [.c("参选")], base: "0", bonus: "1", score: "1", "参选 +1"),
    RowCase(B, "解读质量", [.c("参选", 3)], base: "0", bonus: "3", score: "3", "three entries +3"),
    RowCase(B, "解读质量", [.c("入选")], base: "0", bonus: "5", score: "5", "入选 +5"),
    RowCase(B, "解读质量", [.c("入选"), .c("参选")], base: "0", bonus: "5", score: "5", "cap 5"),
    RowCase(B, "解读质量", [.c("参选", 6)], base: "0", bonus: "5", score: "5", "cap 5 from 参选 alone"),
    // 综合加分项: discretionary bonus, no printed cap.
    RowCase(A, "综合加分项", [.points("1.5")], base: "0", bonus: "1.5", score: "1.5", "the decided amount is added"),
    RowCase(A, "综合加分项", [.points("1.5"), .points("2")], base: "0", bonus: "3.5", score: "3.5", "amounts add up"),
    RowCase(B, "综合加分项", [.points("10"), .points("10")], base: "0", bonus: "20", score: "20", "no cap is printed"),
    // 重大扣分项: 一…五 −5 per occurrence, no cap; 六 discretionary.
    RowCase(A, "重大扣分项", [.c("一")], base: "0", deducted: "5", score: "-5", "(一) −5"),
    RowCase(A, "重大扣分项", [.c("一"), .c("三")], base: "0", deducted: "10", score: "-10", "two items −10"),
    RowCase(A, "重大扣分项", [.c("二", 2)], base: "0", deducted: "10", score: "-10", "per occurrence"),
    RowCase(A, "重大扣分项", [.points("2.5", clause: "六")], base: "0", deducted: "2.5", score: "-2.5", "(六) deducts the decided amount"),
    RowCase(
        B, "重大扣分项", [.c("一"), .c("二"), .c("三"), .c("四"), .c("五"), .points("3", clause: "六")], base: "0", deducted: "28", score: "-28", "no cap: all six add up"),
]

@Test(.timeLimit(.minutes(10)), arguments: rowCases)
func rowRule(_ c: RowCase) {
    var ledger = Ledgerish()
    for hit in c.hits {
        if let level = hit.notice {
            ledger.notice(level, [c.unit], date: hit.date)
        } else {
            ledger.finding(c.unit, c.row, clause: hit.clause, count: hit.count, points: hit.points, date: hit.date)
        }
    }
    let row = ledger.row(c.unit, c.row)
    #expect(row.base == pts(c.base))
    #expect(row.deducted == pts(c.deducted))
    #expect(row.bonus == pts(c.bonus))
    #expect(row.score == pts(c.score))
    #expect(row.pending == false)
}

/// Every points row of both tables has at least one case above.
@Test(.timeLimit(.minutes(10))) func everyPointsRowHasACase() {
    let covered = Set(rowCases.map { "\($0.unit == A ? "A" : "B")|\($0.row)" })
    for unitClass in ["A", "B"] {
        for row in rubric2023.rows(of: unitClass) {
            guard case .points = row.scoring else { continue }
            #expect(covered.contains("\(unitClass)|\(row.name)"), "no case for \(unitClass) \(row.name)")
        }
    }
}
