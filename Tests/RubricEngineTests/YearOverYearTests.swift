import RubricEngine
import Testing

/// The comparison with the year before, from the rules: last year's total, rank and grade, the change,
/// and the 进步最大 list (largest rise in rank, then in total as a share of the class base).
@Suite(.timeLimit(.minutes(10))) struct YearOverYearComparison {
    /// Class-A units at the given totals: a discretionary bonus above 100, a 重大扣分项(六) deduction below it.
    func standings(_ totals: [(String, Int)]) -> Standings {
        var l = Ledgerish()
        for (unit, total) in totals where total != 100 {
            if total > 100 {
                l.finding(unit, "综合加分项", points: String(total - 100))
            } else {
                l.finding(unit, "重大扣分项", clause: "六", points: String(100 - total))
            }
        }
        return l.standings(roster: UnitRoster(units: totals.map { Unit(name: $0.0, unitClass: "A") }))
    }

    @Test func changesAndTheMostImprovedListFollowTheRanks() throws {
        let before = standings([("U1", 96), ("U2", 98), ("U3", 90), ("U4", 100), ("U5", 94)])
        let now = standings([("U1", 100), ("U2", 92), ("U3", 99), ("U4", 95), ("U5", 97)])
        let policy = GradePolicy(defaults: GradeBands(cutoffs: [(.excellent, Points(100)), (.pass, Points(60))]))
        let yoy = YearOverYear.compare(current: now, previous: PreviousYear(before, formerName: { $0.name }, grade: { Grading($0, policy: policy) }))
        let u1 = try #require(yoy.results["U1"])
        #expect(u1.total == Points(96) && u1.rank == 3 && u1.totalChange == Points(4) && u1.rankChange == 2)
        #expect(u1.share?.change == Points(4))  // 100/100 − 96/100, in percentage points
        #expect(yoy.results["U4"]?.grade == "优秀" && yoy.results["U4"]?.rankChange == -3)
        #expect(yoy.results["U2"]?.grade == "合格")
        #expect(yoy.mostImproved["A"]?.map(\.unit) == ["U3", "U1", "U5"])
    }

    @Test func anEqualRiseInRankGoesToTheLargerRiseInShare() {
        let before = standings([("X", 90), ("Y", 91), ("Z", 95), ("W", 80)])
        let now = standings([("X", 99), ("Y", 96), ("Z", 97), ("W", 98)])
        let yoy = YearOverYear.compare(current: now, previous: PreviousYear(before, formerName: { $0.name }))
        // X rises 3→1 and W 4→2: two places each; W gained 18 points of the base, X 9.
        #expect(yoy.mostImproved["A"]?.map(\.unit) == ["W", "X"])
    }

    @Test func aUnitNotAssessedLastYearIsNewAndLeftOutOfLastYearsRanks() {
        let before = standings([("老单位", 95), ("新单位", 100), ("另一单位", 97)])
        let now = standings([("老单位", 99), ("新单位", 90), ("另一单位", 98)])
        let yoy = YearOverYear.compare(current: now, previous: PreviousYear(before, formerName: { $0.name == "新单位" ? nil : $0.name }))
        #expect(yoy.results["新单位"] == nil)
        // Last year 另一单位 (97) led 老单位 (95): the new unit's 100 is not among them.
        #expect(yoy.results["另一单位"]?.rank == 1)
        #expect(yoy.results["老单位"]?.rank == 2)
        #expect(yoy.mostImproved["A"]?.map(\.unit) == ["老单位"])
    }

    @Test func classBasesAreThePointsEveryUnitStartsWith() {
        #expect(rubric2023.base(of: "A") == Points(100))
        #expect(rubric2023.base(of: "B") == Points(103))
    }
}

/// Records that name a unit by a former name (`formerly`) are its records.
@Suite(.timeLimit(.minutes(10))) struct RenamedUnits {
    @Test func recordsAndPartialRetractionsUnderTheFormerNameCount() {
        let roster = UnitRoster(units: [
            Unit(name: "城东街道", unitClass: "A"),
            Unit(name: "城西新区街道", unitClass: "A", formerly: ["城西街道"]),
        ])
        var l = Ledgerish()
        l.finding("城西街道", "财政预决算")
        l.notice("monthly", ["城东街道", "城西街道"], id: "通报1")
        l.retract("通报1", units: ["城西街道"])
        let s = l.standings(roster: roster)
        let totals = Dictionary(uniqueKeysWithValues: s.cards.map { ($0.unit.name, $0.total) })
        // 城西新区街道: −4 for 财政预决算; the notice is withdrawn for it. 城东街道: −1 for the notice.
        #expect(totals == ["城东街道": Points(99), "城西新区街道": Points(96)])
        #expect(s.unplaced.isEmpty)
    }
}
