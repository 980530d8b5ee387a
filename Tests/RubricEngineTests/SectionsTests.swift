import RubricEngine
import Testing

@Suite(.timeLimit(.minutes(10))) struct SectionScores {
    /// Class A's groups as printed (11, 5, 37, 14, 12, 21: together 100), then the two rows outside the groups.
    @Test func aCleanClassACardHasThePrintedGroups() {
        let card = Ledgerish().card("甲镇")
        let sections = Sections.of(card, in: rubric2023.unitClass("A")!)
        #expect(sections.map(\.name) == ["组织领导与工作保障", "基层政务公开", "主动公开", "依申请公开", "解读咨询回应", "日常监管", "综合加分项", "重大扣分项"])
        #expect(sections.map(\.base) == [11, 5, 37, 14, 12, 21, 0, 0].map { Points($0) })
        #expect(sections.map(\.score) == sections.map(\.base))
        // The most each can score (rubric-2023.md): 依申请公开 6 + bonus cap 4 and 8; 解读咨询回应 6, 0 + 6, 6 + 3 and
        // 0 + 4; 综合加分项 has no printed cap; 重大扣分项 can only lose.
        let maximum = Dictionary(uniqueKeysWithValues: sections.map { ($0.name, $0.maximum) })
        #expect(maximum["依申请公开"] == Points(18) && maximum["解读咨询回应"] == Points(25))
        #expect(maximum["综合加分项"]! == nil && maximum["重大扣分项"] == .zero)
    }

    /// A bare class-B card totals 103: 主动公开 has no printed total, its rows' bases make 41; the assigned-score
    /// 平台建设 row is not on the card, so neither is the section.
    @Test func aBareClassBCardSumsTo103() {
        let card = Ledgerish().card("丙局")
        let sections = Sections.of(card, in: rubric2023.unitClass("B")!)
        #expect(sections.map(\.name) == ["组织领导与工作保障", "主动公开", "依申请公开", "解读咨询回应", "日常监管", "综合加分项", "重大扣分项"])
        #expect(sections.first { $0.name == "主动公开" }!.base == Points(41))
        #expect(sections.map(\.base).sum() == Points(103))
        #expect(card.total == Points(103))
        let assigned = Sections.of(Ledgerish().card("乙局"), in: rubric2023.unitClass("B")!)
        #expect(assigned.first { $0.name == "平台建设" } == SectionScore(name: "平台建设", base: .zero, score: .zero, maximum: Points(3)))
    }

    /// On a generated ledger of many units and every kind of row, each card's sections sum exactly to its total,
    /// and their bases to its rows' bases.
    @Test func sectionsSumToTheTotal() {
        var rng = SplitMix(seed: 2023)
        let assignable = rubric2023.rows.values.filter { $0.applies == .assigned }.map(\.name).sorted()
        var units: [Unit] = []
        for i in 0..<60 {
            let b = i % 3 != 0
            units.append(
                Unit(
                    name: "单位\(i)", unitClass: b ? "B" : "A",
                    assigned: b ? assignable.filter { _ in rng.next() % 3 == 0 } : []))
        }
        let roster = UnitRoster(units: units)
        var l = Ledgerish()
        for _ in 0..<1_500 {
            let unit = units[Int(rng.next() % UInt64(units.count))]
            let rows = roster.rows(for: unit, in: rubric2023)
            let row = rows[Int(rng.next() % UInt64(rows.count))]
            switch row.scoring {
            case .assigned(let range):
                let steps = (range.upperBound - range.lowerBound).hundredths / 25
                let value = range.lowerBound + Points(hundredths: Int64(rng.next() % UInt64(steps + 1)) * 25)
                l.finding(unit.name, row.name, score: value.description)
            case .points(let rule):
                let clause = rule.clauses[Int(rng.next() % UInt64(rule.clauses.count))]
                let points = clause.isDiscretionary ? "\(rng.next() % 500 + 1)".withTwoDecimals : nil
                l.finding(unit.name, row.name, clause: clause.name, count: Int(rng.next() % 3) + 1, points: points)
            }
        }
        let standings = l.standings(roster: roster)
        #expect(standings.unplaced.isEmpty)
        var checked = 0
        for c in standings.classes {
            for card in c.cards {
                let sections = Sections.of(card, in: c.unitClass)
                #expect(sections.map(\.score).sum() == card.total, "\(card.unit.name)")
                #expect(sections.map(\.base).sum() == card.rows.map(\.base).sum(), "\(card.unit.name)")
                checked += 1
            }
        }
        #expect(checked == 60)
        #expect(standings.cards.contains { $0.total != Points($0.unit.unitClass == "A" ? 100 : 103) })
    }

    /// Average, lowest and highest of each section over the class's units; the mean is exact, then rounded half up
    /// to the hundredth.
    @Test func classStatistics() {
        var l = Ledgerish()
        l.finding("甲", "已公布标准目录执行情况", count: 3)  // 基层政务公开 5 → 3.5
        l.finding("乙", "已公布标准目录执行情况", count: 1)  // → 4.5
        l.finding("丙", "重大扣分项", clause: "六", points: "0.01")
        let roster = UnitRoster(units: ["甲", "乙", "丙"].map { Unit(name: $0, unitClass: "A") })
        let stats = Sections.stats(l.standings(roster: roster).classes[0])
        let grassroots = stats.first { $0.name == "基层政务公开" }!
        #expect(grassroots.base == Points(5))
        #expect(grassroots.average == pts("4.33"))  // 13 / 3 = 4.333…
        #expect(grassroots.lowest == pts("3.5") && grassroots.highest == Points(5) && grassroots.units == 3)
        let major = stats.first { $0.name == "重大扣分项" }!
        #expect(major.average == .zero)  // −0.01 / 3 = −0.0033…
        #expect(major.lowest == pts("-0.01") && major.highest == .zero)
    }

    @Test func averagesRoundHalfUp() {
        #expect(Sections.average([pts("0.01"), .zero]) == pts("0.01"))
        #expect(Sections.average([pts("-0.01"), .zero]) == pts("-0.01"))
        #expect(Sections.average([pts("0.01"), .zero, .zero]) == .zero)
        #expect(Sections.average([pts("0.01"), pts("0.01"), .zero]) == pts("0.01"))
        #expect(Sections.average([pts("10"), pts("9.5"), pts("9")]) == pts("9.5"))
        #expect(Sections.average([]) == .zero)
    }

    /// By share of the base lost; equal shares: the larger loss, then printed order. A section without a base that
    /// lost points (重大扣分项) comes first, so a vetoed unit's page never says nothing was lost.
    @Test func weakestByShareLost() {
        let s = [
            SectionScore(name: "甲", base: Points(10), score: Points(8)),  // 20%
            SectionScore(name: "乙", base: Points(20), score: Points(16)),  // 20%, lost more
            SectionScore(name: "丙", base: Points(5), score: Points(4)),  // 20%, lost less
            SectionScore(name: "丁", base: Points(4), score: Points(2)),  // 50%
            SectionScore(name: "戊", base: Points(10), score: Points(12)),  // gained
            SectionScore(name: "己", base: .zero, score: Points(-5)),  // no base, lost: first
            SectionScore(name: "庚", base: Points(10), score: Points(9)),  // 10%
        ]
        #expect(Sections.weakest(s).map(\.name) == ["己", "丁", "乙"])
        #expect(Sections.weakest(s, limit: 10).map(\.name) == ["己", "丁", "乙", "甲", "丙", "庚"])
        #expect(Sections.weakest([SectionScore(name: "综合加分项", base: .zero, score: Points(2))]).isEmpty, "a bonus is no loss")
        let tied = [SectionScore(name: "一", base: Points(10), score: Points(9)), SectionScore(name: "二", base: Points(10), score: Points(9))]
        #expect(Sections.weakest(tied).map(\.name) == ["一", "二"])
        #expect(Sections.weakest([SectionScore(name: "甲", base: Points(10), score: Points(10))]).isEmpty)
    }
}

/// A small deterministic generator, so that a failing case can be replayed.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private extension String {
    /// `"123"` hundredths as `"1.23"`.
    var withTwoDecimals: String { Points(hundredths: Int64(self)!).description }
}
