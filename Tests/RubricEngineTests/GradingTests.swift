import RubricEngine
import Testing

/// A class of units with the given totals, reached through the rubric: a class-A card starts at 100 and a bare
/// class-B card at 103; 综合加分项 lifts it, 重大扣分项 (六, discretionary) lowers it.
private func graded(
    _ units: [(name: String, unitClass: String, total: String)], policy: GradePolicy,
    extra: (inout Ledgerish) -> Void = { _ in }
) -> (Standings, Grading) {
    var l = Ledgerish()
    for u in units {
        let diff = pts(u.total) - (u.unitClass == "A" ? Points(100) : Points(103))
        if diff > .zero { l.finding(u.name, "综合加分项", points: diff.description) }
        if diff < .zero { l.finding(u.name, "重大扣分项", clause: "六", points: (-diff).description) }
    }
    extra(&l)
    let roster = UnitRoster(units: units.map { Unit(name: $0.name, unitClass: $0.unitClass) })
    let standings = l.standings(roster: roster)
    if l.entries.count == units.filter({ pts($0.total) != Points($0.unitClass == "A" ? 100 : 103) }).count {
        for u in units { #expect(standings.cards.first { $0.unit.name == u.name }!.total == pts(u.total)) }
    }
    return (standings, Grading(standings, policy: policy))
}

/// `"优秀" = 90, "良好" = 80, "合格" = 60`, as the issue writes it.
private let usual = GradeBands(cutoffs: [(.excellent, Points(90)), (.good, Points(80)), (.pass, Points(60))])

@Suite(.timeLimit(.minutes(10))) struct Grades {
    @Test func bandsAreAtOrAboveTheirCutoffs() {
        let totals = ["90", "89.99", "80", "79.99", "60", "59.99", "100.5", "0"]
        let (_, grading) = graded(totals.enumerated().map { ("单位\($0.offset)", "A", $0.element) }, policy: GradePolicy(defaults: usual))
        let expected: [Grade] = [.excellent, .good, .good, .pass, .pass, .fail, .excellent, .fail]
        for (i, grade) in expected.enumerated() {
            #expect(grading.grade(of: "单位\(i)") == UnitGrade(grade: grade), "total \(totals[i])")
        }
        #expect(grading.counts["A"]!.map(\.grade) == [.excellent, .good, .pass, .fail])
        #expect(grading.counts["A"]!.map(\.units) == [2, 2, 2, 2])
        #expect(grading.countLine("A") == "优秀 2 个、良好 2 个、合格 2 个、不合格 2 个")
    }

    @Test func aSubsetOfBandsLeavesTheRestToFail() {
        let (_, grading) = graded(
            [("甲", "A", "75"), ("乙", "A", "74.99")],
            policy: GradePolicy(defaults: GradeBands(cutoffs: [(.pass, Points(75))])))
        #expect(grading.grade(of: "甲")?.grade == .pass)
        #expect(grading.grade(of: "乙")?.grade == .fail)
        #expect(grading.counts["A"]!.map(\.grade) == [.pass, .fail])
    }

    /// 10 units, share 0.3: three may be 优秀. Two are clear; three are tied at rank 3 and would make five, so none
    /// of the tied ones gets it, and each says why.
    @Test func unitsTiedAtTheShareEdgeAllMoveDown() {
        let totals = ["98", "95", "93", "93", "93", "91", "85", "70", "60", "50"]
        var policy = usual
        policy.excellentShare = ExactShare(literal: "0.3")
        let (standings, grading) = graded(
            totals.enumerated().map { ("单位\($0.offset)", "A", $0.element) },
            policy: GradePolicy(defaults: policy))
        #expect(standings.classes[0].cards.map(\.rank) == [1, 2, 3, 3, 3, 6, 7, 8, 9, 10])
        let capped = UnitGrade(grade: .good, reason: "因优秀名额限制")
        let expected = [
            UnitGrade(grade: .excellent), UnitGrade(grade: .excellent), capped, capped, capped, capped,
            UnitGrade(grade: .good), UnitGrade(grade: .pass), UnitGrade(grade: .pass), UnitGrade(grade: .fail),
        ]
        for (i, grade) in expected.enumerated() { #expect(grading.grade(of: "单位\(i)") == grade, "单位\(i)") }
        #expect(grading.counts["A"]!.map(\.units) == [2, 5, 2, 1])
    }

    /// A tie that fits the cap exactly is given the band whole.
    @Test func aTieThatFitsTheCapKeepsTheBand() {
        var policy = usual
        policy.excellentShare = ExactShare(literal: "0.3")
        let totals = ["98", "93", "93", "92", "85", "70", "60", "50", "40", "30"]
        let (_, grading) = graded(totals.enumerated().map { ("单位\($0.offset)", "A", $0.element) }, policy: GradePolicy(defaults: policy))
        #expect((0...2).allSatisfy { grading.grade(of: "单位\($0)") == UnitGrade(grade: .excellent) })
        #expect(grading.grade(of: "单位3") == UnitGrade(grade: .good, reason: UnitGrade.cappedReason))
    }

    /// ⌊0.3 × 3⌋ = 0: nobody is 优秀, however high; a share of 1 caps nothing. The share is exact: 0.7 × 10 is 7,
    /// where a binary 0.7 × 10 would be 7.000000000000001 and a binary 0.7 × 30 is 20.999999999999996.
    @Test func theCapIsFloorOfTheExactShare() {
        var policy = usual
        policy.excellentShare = ExactShare(literal: "0.3")
        let (_, few) = graded([("甲", "A", "99"), ("乙", "A", "98"), ("丙", "A", "97")], policy: GradePolicy(defaults: policy))
        #expect(["甲", "乙", "丙"].allSatisfy { few.grade(of: $0) == UnitGrade(grade: .good, reason: "因优秀名额限制") })
        #expect(ExactShare(literal: "0.7")!.floorOf(30) == 21)
        #expect(ExactShare(literal: "0.7")!.floorOf(10) == 7)
        #expect(ExactShare(literal: "1")!.floorOf(7) == 7)
        #expect(ExactShare(literal: "0.333")!.floorOf(1000) == 333)
        #expect(ExactShare(literal: "1.5")?.isFraction == false)
        #expect(ExactShare(literal: "1e-1") == nil)
        #expect(ExactShare(literal: "0.30")!.description == "0.30")
    }

    /// A unit moved down below the top band goes to the next band its total reaches; with no lower band, 不合格.
    @Test func movedDownUnitsTakeTheNextBandTheyReach() {
        let onlyTop = GradeBands(cutoffs: [(.excellent, Points(90))], excellentShare: ExactShare(literal: "0.5"))
        let (_, grading) = graded(
            [("甲", "A", "95"), ("乙", "A", "94"), ("丙", "A", "93"), ("丁", "A", "10")],
            policy: GradePolicy(defaults: onlyTop))
        #expect(grading.grade(of: "甲")?.grade == .excellent)
        #expect(grading.grade(of: "乙")?.grade == .excellent)
        #expect(grading.grade(of: "丙") == UnitGrade(grade: .fail, reason: "因优秀名额限制"))
        #expect(grading.grade(of: "丁") == UnitGrade(grade: .fail))
    }

    /// A 重大扣分项 deduction fails a unit still at 96; it takes no 优秀 place, and the row is named as printed.
    @Test func aVetoBeatsAHighTotal() {
        var policy = usual
        policy.veto = ["重大扣分项", "财政预决算"]
        policy.excellentShare = ExactShare(literal: "0.5")
        let (standings, grading) = graded(
            [("甲", "A", "100"), ("乙", "A", "100"), ("丙", "A", "100"), ("丁", "A", "80")],
            policy: GradePolicy(defaults: policy)
        ) { l in
            l.finding("乙", "重大扣分项", clause: "一")  // −5
            l.finding("乙", "综合加分项", points: "1")  // back up to 96
            l.finding("丙", "研究部署政务公开工作情况")  // −5 on a row that vetoes nothing: 95
            l.finding("丁", "财政预决算")  // −4, and 重大扣分项 at 六 already: both named, in printed order
        }
        #expect(standings.cards.map(\.total) == [100, 96, 95, 76].map { Points($0) })
        #expect(grading.grade(of: "乙") == UnitGrade(grade: .fail, reason: "一票否决:重大扣分项"))
        #expect(grading.grade(of: "丁") == UnitGrade(grade: .fail, reason: "一票否决:财政预决算、重大扣分项"))
        // Cap ⌊0.5 × 4⌋ = 2: 甲 and 丙; 乙's 96 takes no place.
        #expect(grading.grade(of: "甲") == UnitGrade(grade: .excellent))
        #expect(grading.grade(of: "丙") == UnitGrade(grade: .excellent))
    }

    /// Only a counted deduction vetoes: a withdrawn one, or one dated after the cutoff, does not.
    @Test func aWithdrawnOrLaterDeductionDoesNotVeto() {
        var policy = usual
        policy.veto = ["重大扣分项"]
        var l = Ledgerish()
        l.finding("甲镇", "重大扣分项", clause: "一", id: "x1")
        l.retract("x1")
        l.finding("甲镇", "重大扣分项", clause: "二", date: "2023-12-30")
        let grading = Grading(l.standings(cutoff: "2023-12-29"), policy: GradePolicy(defaults: policy))
        #expect(grading.grade(of: "甲镇") == UnitGrade(grade: .excellent))
        #expect(Grading(l.standings(), policy: GradePolicy(defaults: policy)).grade(of: "甲镇")?.reason == "一票否决:重大扣分项")
    }

    /// `[grades.B] "优秀" = 93`: class B's base is 103, so a 92 is 良好 there and 优秀 in A.
    @Test func aClassOverrideGradesThatClassOnly() {
        var b = usual
        b.cutoffs[0].cutoff = Points(93)
        let (_, grading) = graded(
            [("甲", "A", "92"), ("乙", "B", "92"), ("丙", "B", "93")],
            policy: GradePolicy(defaults: usual, classes: ["B": b]))
        #expect(grading.grade(of: "甲")?.grade == .excellent)
        #expect(grading.grade(of: "乙")?.grade == .good)
        #expect(grading.grade(of: "丙")?.grade == .excellent)
        #expect(grading.counts["B"]!.map(\.units) == [1, 1, 0, 0])
    }

    @Test func gradesOrderHighestFirst() {
        #expect(Grade.excellent > Grade.good && Grade.good > Grade.pass && Grade.pass > Grade.fail)
        #expect(usual.isOrdered)
        #expect(!GradeBands(cutoffs: [(.excellent, Points(80)), (.good, Points(80))]).isOrdered)
    }
}
