import RubricEngine
import Testing

/// A hand-computed year for one A unit and one B unit, quarter by quarter, arithmetic written out.
@Suite(.timeLimit(.minutes(10))) struct HandComputedYear {
    let ledger: Ledgerish = {
        var l = Ledgerish()
        // ---- Q1 ----
        l.finding(A, "已公布标准目录执行情况", count: 3, date: "2023-01-15")  // 3 × 0.5 = −1.5
        l.finding(A, "机构、人员、经费保障情况", clause: "经费", date: "2023-02-10")  // −2
        l.notice("monthly", [A], date: "2023-03-05")  // −1
        l.finding(A, "政策咨询", clause: "及时回复并公开", count: 2, date: "2023-03-20")  // +1
        l.finding(B, "双公示数据报送情况", score: "6", date: "2023-02-01")  // +6
        l.finding(B, "运维情况", date: "2023-03-15")  // −2
        // ---- Q2 ----
        l.finding(A, "审查机制建设", clause: "不健全", date: "2023-04-12")  // −1
        l.notice("quarterly", [A], date: "2023-05-08")  // −4
        l.finding(A, "多样化解读", date: "2023-05-20")  // +3
        l.finding(A, "已公布标准目录执行情况", count: 4, date: "2023-06-30")  // 7 × 0.5 = 3.5: −2 more
        l.finding(B, "促进民营经济发展壮大", score: "-2.5", date: "2023-04-01")  // −2.5
        l.finding(B, "解读质量", clause: "参选", count: 2, date: "2023-05-05")  // +2
        l.finding(B, "双公示数据报送情况", score: "7.5", date: "2023-06-01")  // 6 → 7.5: +1.5
        // ---- Q3 ----
        l.finding(A, "审查机制建设", clause: "未制定", date: "2023-07-03")  // worst level 3: −2 more
        l.finding(A, "政策咨询", clause: "好评", count: 3, date: "2023-08-15")  // bonus 1 + 3 = 4, cap 3: +2 more
        l.notice("quarterly", [A], date: "2023-09-01")  // −4 more (8 in all)
        l.finding(A, "机构、人员、经费保障情况", clause: "经费", date: "2023-09-09")  // same element: nothing
        l.finding(B, "解读质量", clause: "入选", date: "2023-07-20")  // 2 + 5 = 7, cap 5: +3 more
        l.finding(B, "运维情况", count: 2, date: "2023-08-08")  // 3 × 2 = 6, cap 4: −2 more
        l.finding(B, "双公示数据报送情况", score: "5", date: "2023-05-31")  // arrives late, dated before 06-01: 7.5 stays
        l.finding(B, "重大行政决策事项目录公开", score: "3", date: "2023-09-10")  // +3
        // ---- Q4 ----
        l.notice("quarterly", [A], date: "2023-10-10")  // cap 8 reached: nothing
        l.finding(A, "已公布标准目录执行情况", count: 5, date: "2023-11-11")  // 12 × 0.5 = 6, cap 5: −1.5 more
        l.finding(A, "综合加分项", points: "1.5", date: "2023-12-01")  // +1.5
        l.finding(A, "重大扣分项", clause: "四", date: "2023-12-20")  // −5
        l.finding(B, "政务公开专区建设管理情况", score: "2", date: "2023-10-01")  // +2
        l.finding(B, "对依申请公开的规范答复情况", clause: "不规范", date: "2023-11-01")  // −3
        l.finding(B, "对依申请公开的规范答复情况", clause: "优质案卷", count: 3, date: "2023-11-01")  // 6, cap 4: +4
        l.finding(B, "重大扣分项", clause: "六", points: "1.5", date: "2023-12-31")  // −1.5
        l.notice("monthly", [B], date: "2023-12-31")  // −1
        return l
    }()

    @Test func classAUnit() {
        // Q1: 100 − 1.5 − 2 − 1 + 1 = 96.5
        #expect(ledger.card(A, cutoff: "2023-03-31").total == pts("96.5"))
        // Q2: 96.5 − 1 − 4 + 3 − 2 = 92.5
        #expect(ledger.card(A, cutoff: "2023-06-30").total == pts("92.5"))
        // Q3: 92.5 − 2 + 2 − 4 + 0 = 88.5
        #expect(ledger.card(A, cutoff: "2023-09-30").total == pts("88.5"))
        // Q4 = annual: 88.5 + 0 − 1.5 + 1.5 − 5 = 83.5
        #expect(ledger.card(A, cutoff: "2023-12-31").total == pts("83.5"))
        #expect(ledger.card(A).pending.isEmpty)
    }

    @Test func classBUnit() {
        // B base 103; every assigned row pending (0) until scored.
        // Q1: 103 + 6 − 2 = 107
        #expect(ledger.card(B, cutoff: "2023-03-31").total == pts("107"))
        // Q2: 107 − 2.5 + 2 + 1.5 = 108
        #expect(ledger.card(B, cutoff: "2023-06-30").total == pts("108"))
        // Q3: 108 + 3 − 2 + 0 + 3 = 112
        #expect(ledger.card(B, cutoff: "2023-09-30").total == pts("112"))
        // Q4 = annual: 112 + 2 − 3 + 4 − 1.5 − 1 = 112.5
        #expect(ledger.card(B).total == pts("112.5"))
        let given: Set = ["双公示数据报送情况", "促进民营经济发展壮大", "重大行政决策事项目录公开", "政务公开专区建设管理情况"]
        #expect(Set(ledger.card(B).pending) == Set(assignedRows.map(\.0)).subtracting(given))
        #expect(ledger.card(B, cutoff: "2023-03-31").pending.count == assignedRows.count - 1)
    }

    @Test func rowDetailsAtYearEnd() {
        let r = ledger.row(A, "政策咨询")
        #expect((r.base, r.deducted, r.bonus, r.score) == (Points(6), .zero, Points(3), Points(9)))
        let t = ledger.row(A, "审查机制建设", cutoff: "2023-06-30")
        #expect(t.score == Points(2))
        #expect(ledger.row(A, "审查机制建设").score == .zero)
    }
}
