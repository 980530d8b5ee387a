import RubricEngine
import Testing

/// Every assigned-score row of the B table, with its printed range.
let assignedRows: [(String, String, String)] = [
    ("双公示数据报送情况", "0", "8"), ("双公示排名情况", "0", "8"), ("重大行政决策事项目录公开", "-3", "3"),
    ("重大行政决策预公开", "-3", "3"), ("促进民营经济发展壮大", "-8", "8"), ("行政事业性收费", "-3", "3"),
    ("征地信息录入情况", "-3", "3"), ("食品药品监管", "-3", "3"), ("稳岗就业", "-3", "3"), ("养老服务", "-3", "3"),
    ("义务教育", "-3", "3"), ("涉农补贴", "-3", "3"), ("公共文化服务", "-3", "3"), ("社会救助", "-3", "3"),
    ("其他栏目", "-3", "3"), ("政务公开专区建设管理情况", "0", "3"),
]

@Suite(.timeLimit(.minutes(10))) struct AssignedScores {
    @Test(arguments: assignedRows.map(\.0))
    func pendingUntilGiven(_ name: String) {
        let row = Ledgerish().row(B, name)
        #expect(row.pending)
        #expect(row.score == .zero)
        #expect(Ledgerish().card(B).pending.contains(name))
    }

    @Test(arguments: assignedRows)
    func rangeIsAsPrinted(_ item: (String, String, String)) throws {
        let row = try #require(rubric2023.row(named: item.0))
        #expect(row.scoring == .assigned(pts(item.1)...pts(item.2)))
    }

    @Test(arguments: assignedRows)
    func latestByDateThenArrivalWins(_ item: (String, String, String)) {
        var l = Ledgerish()
        l.finding(B, item.0, score: item.2, date: "2023-06-01")
        l.finding(B, item.0, score: item.1, date: "2023-03-01")  // arrives later, dated earlier: loses
        #expect(l.row(B, item.0).score == pts(item.2))
        l.finding(B, item.0, score: "1.5", date: "2023-06-01")  // same date, later arrival: wins
        #expect(l.row(B, item.0).score == pts("1.5"))
        #expect(!l.row(B, item.0).pending)
        #expect(!l.card(B).pending.contains(item.0))
    }

    @Test func pendingAtCutoffWhenOnlyLaterScoreExists() {
        var l = Ledgerish()
        l.finding(B, "双公示数据报送情况", score: "6", date: "2023-08-01")
        #expect(l.row(B, "双公示数据报送情况", cutoff: "2023-06-30").pending)
        #expect(l.row(B, "双公示数据报送情况", cutoff: "2023-09-30").score == pts("6"))
    }

    @Test func negativeAndHalfScoresCountExactly() {
        var l = Ledgerish()
        l.finding(B, "促进民营经济发展壮大", score: "-7.5")
        l.finding(B, "社会救助", score: "2.25")
        let base = Ledgerish().card(B).total
        #expect(l.card(B).total == base - pts("7.5") + pts("2.25"))
    }

    @Test func assignedOnlyRowsAreAbsentForUnassignedUnits() {
        let card = Ledgerish().card("丙局")
        #expect(card.rows.contains { $0.row.name == "双公示数据报送情况" })
        #expect(!card.rows.contains { $0.row.name == "双公示排名情况" })
        #expect(card.pending == ["双公示数据报送情况"])
    }
}

@Suite(.timeLimit(.minutes(10))) struct Totals {
    @Test func classBasesAreAsPrinted() {
        // A: the six groups total 11 + 5 + 37 + 14 + 12 + 21 = 100.
        #expect(Ledgerish().card(A).total == Points(100))
        // B without assigned rows: 95 from the rows shared with A (A's 100 less 已公布标准目录执行情况's 5),
        // plus 双公示政府网站公开情况 4 and 运维情况 4 = 103.
        #expect(Ledgerish().card("丙局").total == Points(103))
    }

    @Test func groupsOfClassASumToTheirPrintedTotals() {
        let unitClass = rubric2023.unitClass("A")!
        for (group, total) in unitClass.groups {
            let sum = rubric2023.rows(of: "A").filter { $0.group == group }.compactMap { row -> Points? in
                if case .points(let rule) = row.scoring { return rule.base }
                return nil
            }.sum()
            #expect(sum == total, "\(group)")
        }
    }

    @Test func rowsPerClass() {
        #expect(rubric2023.rows(of: "A").count == 23)  // 21 rows + 综合加分项 + 重大扣分项
        #expect(rubric2023.rows(of: "B").count == 41)  // 20 shared + 19 B-only + the two extra rows
        #expect(!rubric2023.rows(of: "B").contains { $0.name == "已公布标准目录执行情况" })
    }

    @Test func totalMayGoBelowZero() {
        var l = Ledgerish()
        for clause in ["一", "二", "三", "四", "五"] { l.finding(A, "重大扣分项", clause: clause, count: 5) }
        #expect(l.card(A).total == Points(100 - 125))
    }

    @Test func ranksShareOnEqualTotals() {
        let roster = UnitRoster(units: ["一镇", "二镇", "三镇", "四镇"].map { Unit(name: $0, unitClass: "A") })
        var l = Ledgerish()
        l.finding("一镇", "部门信息公开")  // 98
        l.finding("二镇", "部门信息公开")  // 98
        l.finding("四镇", "财政预决算")  // 96
        let cards = l.standings(roster: roster).classes[0].cards
        #expect(cards.map(\.unit.name) == ["三镇", "一镇", "二镇", "四镇"])
        #expect(cards.map(\.rank) == [1, 2, 2, 4])
    }

    @Test func ranksAreWithinAClass() {
        // 甲镇 (A, 100) ranks first in A although both B units (103 each) have more; they share B's first place.
        let s = Ledgerish().standings()
        #expect(s.classes.map { $0.cards.map(\.rank) } == [[1], [1, 1]])
    }
}

@Suite(.timeLimit(.minutes(10))) struct NoticesAndRetractions {
    @Test func oneNoticeGivesEachNamedUnitOneOccurrence() {
        var l = Ledgerish()
        l.notice("quarterly", [A, B])
        #expect(l.row(A, "检查通报情况(上级季度检查)").deducted == Points(4))
        #expect(l.row(B, "检查通报情况(上级季度检查)").deducted == Points(4))
        #expect(l.row("丙局", "检查通报情况(上级季度检查)").deducted == .zero)
    }

    @Test func retractingAFindingGivesThePointsBack() {
        var l = Ledgerish()
        l.finding(A, "财政预决算", id: "cz-1")
        #expect(l.card(A).total == Points(96))
        l.retract("cz-1")
        let card = l.card(A)
        #expect(card.total == Points(100))
        #expect(card.retractions.map(\.effect) == [Points(4)])
        #expect(card.rows.first { $0.row.name == "财政预决算" }!.entries.first!.withdrawnBy != nil)
    }

    @Test func retractingANoticeForOneUnitOnlyAffectsThatUnit() {
        var l = Ledgerish()
        l.notice("monthly", [A, B], id: "tb-1")
        l.retract("tb-1", units: [B])
        #expect(l.row(A, "检查通报情况(市月度检查)").deducted == Points(1))
        #expect(l.row(B, "检查通报情况(市月度检查)").deducted == .zero)
    }

    @Test func aRetractionAppliesWhateverItsDate() {
        var l = Ledgerish()
        l.finding(A, "财政预决算", date: "2023-02-01", id: "cz-1")
        l.retract("cz-1", date: "2023-11-30")
        #expect(l.card(A, cutoff: "2023-03-31").total == Points(100))
    }

    @Test func recordsAfterTheCutoffDoNotCount() {
        var l = Ledgerish()
        l.finding(A, "财政预决算", date: "2023-07-01")
        #expect(l.card(A, cutoff: "2023-06-30").total == Points(100))
        #expect(l.card(A, cutoff: "2023-09-30").total == Points(96))
    }

    @Test func recordsOfOtherYearsAndUnknownUnitsAreLeftOut() {
        var l = Ledgerish()
        l.finding("不存在的单位", "财政预决算")
        let s = l.standings()
        #expect(s.unplaced.map(\.unit) == ["不存在的单位"])
        #expect(s.cards.allSatisfy { $0.total == ($0.unit.unitClass == "A" ? Points(100) : $0.total) })
    }
}
