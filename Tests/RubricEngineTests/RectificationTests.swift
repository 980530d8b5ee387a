import RubricEngine
import Testing

/// The 整改台账's state machine: an item's state is a function of its records and a day, checked here
/// transition by transition on chosen days.
@Suite(.timeLimit(.minutes(10))) struct RectificationStates {
    let fifteen = RectificationPolicy(days: 15)

    /// A finding item dated 2023-05-12 (default deadline 2023-05-27).
    func item(rectifyBy: String? = nil, _ followUps: [FollowUp] = []) -> RectificationItem {
        var i = RectificationItem(
            target: "f1", unit: "甲镇", kind: .finding, indicator: "已公布标准目录执行情况", date: day("2023-05-12"),
            rectifyBy: rectifyBy.map(day))
        i.followUps = followUps
        return i
    }

    func rect(_ id: String, _ date: String) -> FollowUp { FollowUp(id: id, date: day(date), kind: .rectification) }
    func recheck(_ id: String, _ date: String, passed: Bool, rectifyBy: String? = nil) -> FollowUp {
        FollowUp(id: id, date: day(date), kind: .recheck(passed: passed, rectifyBy: rectifyBy.map(day)))
    }

    func at(_ i: RectificationItem, _ date: String, policy: RectificationPolicy? = nil) -> ItemStatus? {
        i.status(asOf: day(date), policy: policy ?? fifteen)
    }

    @Test func opensOnItsDateAndFallsOverdueTheDayAfterItsDeadline() {
        let i = item()
        #expect(at(i, "2023-05-11") == nil, "not an item before its date")
        #expect(at(i, "2023-05-12") == ItemStatus(state: .open, deadline: day("2023-05-27")))
        #expect(at(i, "2023-05-27") == ItemStatus(state: .open, deadline: day("2023-05-27")), "the deadline day itself is in time")
        #expect(at(i, "2023-05-28") == ItemStatus(state: .overdue, deadline: day("2023-05-27"), daysOverdue: 1))
        #expect(at(i, "2023-07-01")?.daysOverdue == 35)
        #expect(at(i, "2024-01-10")?.daysOverdue == 228, "across the year end")
    }

    @Test func theRecordsOwnDeadlineAndNoDefaultDeadline() {
        #expect(at(item(rectifyBy: "2023-06-30"), "2023-06-30")?.state == .open)
        #expect(at(item(rectifyBy: "2023-06-30"), "2023-07-01") == ItemStatus(state: .overdue, deadline: day("2023-06-30"), daysOverdue: 1))
        // `days = 0`: no default deadline, never overdue; a record's own deadline still holds.
        let none = RectificationPolicy(days: 0)
        #expect(at(item(), "2025-01-01", policy: none) == ItemStatus(state: .open, deadline: nil))
        #expect(at(item(rectifyBy: "2023-06-30"), "2023-07-02", policy: none)?.state == .overdue)
        #expect(at(item([rect("z", "2024-03-01")]), "2024-03-01", policy: none) == ItemStatus(state: .reported, deadline: nil, reported: day("2024-03-01")))
    }

    @Test func openToReportedOnTimeThenClosed() {
        let i = item([rect("z1", "2023-05-20"), recheck("c1", "2023-06-05", passed: true)])
        #expect(at(i, "2023-05-19")?.state == .open)
        #expect(at(i, "2023-05-20") == ItemStatus(state: .reported, deadline: day("2023-05-27"), late: false, reported: day("2023-05-20")))
        // Awaiting re-check past the deadline is not overdue: the unit did report in time.
        #expect(at(i, "2023-06-04") == ItemStatus(state: .reported, deadline: day("2023-05-27"), late: false, reported: day("2023-05-20")))
        #expect(
            at(i, "2023-06-05")
                == ItemStatus(
                    state: .closed, deadline: day("2023-05-27"), late: false, reported: day("2023-05-20"),
                    closed: day("2023-06-05")))
        #expect(at(i, "2023-12-31")?.state == .closed)
    }

    @Test func overdueToReportedLateThenClosedLate() {
        let i = item([rect("z1", "2023-06-10"), recheck("c1", "2023-06-12", passed: true)])
        #expect(at(i, "2023-06-09") == ItemStatus(state: .overdue, deadline: day("2023-05-27"), daysOverdue: 13))
        #expect(at(i, "2023-06-10") == ItemStatus(state: .reported, deadline: day("2023-05-27"), late: true, reported: day("2023-06-10")))
        #expect(
            at(i, "2023-06-12")
                == ItemStatus(
                    state: .closed, deadline: day("2023-05-27"), late: true, reported: day("2023-06-10"),
                    closed: day("2023-06-12")))
    }

    @Test func aFailedRecheckReopensWithItsNewDeadlineOrTheDefault() {
        let given = item([
            rect("z1", "2023-05-20"), recheck("c1", "2023-05-25", passed: false, rectifyBy: "2023-06-05"),
            rect("z2", "2023-06-08"), recheck("c2", "2023-06-09", passed: true),
        ])
        #expect(at(given, "2023-05-25") == ItemStatus(state: .open, deadline: day("2023-06-05")), "back to open, nothing reported since")
        #expect(at(given, "2023-06-05")?.state == .open)
        #expect(at(given, "2023-06-06") == ItemStatus(state: .overdue, deadline: day("2023-06-05"), daysOverdue: 1))
        #expect(at(given, "2023-06-08") == ItemStatus(state: .reported, deadline: day("2023-06-05"), late: true, reported: day("2023-06-08")))
        #expect(
            at(given, "2023-06-09")
                == ItemStatus(
                    state: .closed, deadline: day("2023-06-05"), late: true, reported: day("2023-06-08"),
                    closed: day("2023-06-09")))
        // Without rectify_by the new deadline is the re-check's date plus the configured days.
        let byDefault = item([
            rect("z1", "2023-05-20"), recheck("c1", "2023-05-25", passed: false), rect("z2", "2023-06-09"),
            recheck("c2", "2023-06-12", passed: true),
        ])
        #expect(at(byDefault, "2023-06-09") == ItemStatus(state: .reported, deadline: day("2023-06-09"), late: false, reported: day("2023-06-09")))
        #expect(at(byDefault, "2023-06-12")?.late == false, "closed on time against the deadline in force")
        #expect(
            at(item([rect("z1", "2023-05-20"), recheck("c1", "2023-05-25", passed: false)]), "2023-06-10")
                == ItemStatus(state: .overdue, deadline: day("2023-06-09"), daysOverdue: 1))
        // With no default deadline a failed re-check without rectify_by sets none.
        #expect(
            at(item([rect("z1", "2023-05-20"), recheck("c1", "2023-05-25", passed: false)]), "2024-06-10", policy: .init(days: 0))
                == ItemStatus(state: .open, deadline: nil))
    }

    @Test func theFirstReportOfACycleCounts() {
        let i = item([rect("z1", "2023-05-26"), rect("z2", "2023-06-01")])
        #expect(at(i, "2023-06-02") == ItemStatus(state: .reported, deadline: day("2023-05-27"), late: false, reported: day("2023-05-26")))
    }

    @Test func withdrawnFromTheRetractionsDateOnKeepingWhatWasDone() {
        var i = item([rect("z1", "2023-05-20")])
        i.withdrawal = .init(id: "r1", date: day("2023-07-01"))
        #expect(at(i, "2023-06-30")?.state == .reported)
        #expect(at(i, "2023-07-01") == ItemStatus(state: .withdrawn, deadline: day("2023-05-27"), reported: day("2023-05-20")))
        var overdue = item()
        overdue.withdrawal = .init(id: "r1", date: day("2023-07-01"))
        #expect(at(overdue, "2023-06-30")?.state == .overdue)
        #expect(at(overdue, "2023-07-01") == ItemStatus(state: .withdrawn, deadline: day("2023-05-27")), "withdrawn is never overdue")
    }

    @Test func progressIsWhatTheNextRecordIsCheckedAgainst() {
        #expect(item().progress == .init(closed: false, awaitingRecheck: false, lastDate: day("2023-05-12")))
        #expect(item([rect("z", "2023-05-20")]).progress == .init(closed: false, awaitingRecheck: true, lastDate: day("2023-05-20")))
        #expect(
            item([rect("z", "2023-05-20"), recheck("c", "2023-05-22", passed: false)]).progress
                == .init(closed: false, awaitingRecheck: false, lastDate: day("2023-05-22")))
        #expect(
            item([rect("z", "2023-05-20"), recheck("c", "2023-05-22", passed: true)]).progress
                == .init(closed: true, awaitingRecheck: false, lastDate: day("2023-05-22")))
    }
}

@Suite(.timeLimit(.minutes(10))) struct RectificationBookkeeping {
    func book(_ build: (inout Ledgerish) -> Void, policy: RectificationPolicy = .init(days: 15)) -> RectificationBook {
        var l = Ledgerish()
        build(&l)
        var book = RectificationBook(rubric: rubric2023, roster: testRoster, policy: policy)
        for e in l.entries { book.add(e) }
        return book
    }

    func follow(_ l: inout Ledgerish, _ record: Record) {
        l.entries.append(LedgerEntry(seq: Int64(l.entries.count + 1), record: record))
    }

    @Test func deductingFindingsAndEachUnitOfANoticeAreItemsBonusesAndScoresAreNot() {
        let b = book { l in
            l.finding("甲镇", "已公布标准目录执行情况", id: "deduct")
            l.finding("甲镇", "政策咨询", clause: "好评", id: "bonus")
            l.finding("乙局", "行政事业性收费", score: "-1", id: "assigned")
            l.finding("丙局", "重大扣分项", clause: "一", id: "major")
            l.finding("丙局", "综合加分项", points: "2", id: "extra")
            l.notice("monthly", ["甲镇", "丙局"], id: "n1")
        }
        #expect(b.items.map { "\($0.target) \($0.unit)" } == ["deduct 甲镇", "major 丙局", "n1 甲镇", "n1 丙局"])
        #expect(b.items[2].indicator == "检查通报情况(市月度检查)" && b.items[2].kind == .notice)
    }

    @Test func followUpsGoToTheirUnitsItemAndRetractionsWithdrawTheUnitsNamed() {
        let b = book { l in
            l.notice("quarterly", ["甲镇", "乙局", "丙局"], date: "2023-04-10", id: "n1")
            follow(&l, .rectification(Rectification(id: "z1", year: 2023, date: day("2023-04-20"), target: "n1", unit: "乙局", measures: "已整改")))
            follow(&l, .recheck(Recheck(id: "c1", year: 2023, date: day("2023-04-22"), target: "n1", unit: "乙局", passed: true)))
            l.retract("n1", units: ["丙局"], date: "2023-05-01")
            // Another year's records are another book's.
            l.entries.append(
                LedgerEntry(
                    seq: 99,
                    record: .finding(
                        Finding(
                            id: "old", year: 2022, date: day("2022-05-01"), unit: "甲镇",
                            indicator: "财政预决算"))))
        }
        let list = b.list(asOf: day("2023-05-02"))
        #expect(list.rows.map { "\($0.item.unit) \($0.status.state)" } == ["甲镇 overdue", "乙局 closed", "丙局 withdrawn"])
        #expect(list.rows[2].item.withdrawal?.id == "r4")
        #expect(b.list(asOf: day("2023-04-25")).rows.map(\.status.state) == [.open, .closed, .open])
        #expect(b.list(asOf: day("2023-04-30")).rows.map(\.status.state) == [.overdue, .closed, .overdue], "withdrawn only from 1 May")
    }

    @Test func aListIsByUnitsFileOrderThenDateWithCountsAndRates() {
        let b = book { l in
            l.finding("丙局", "财政预决算", date: "2023-03-01", id: "c-late")
            l.finding("甲镇", "信息公开指南", date: "2023-06-01", id: "a-june")
            l.finding("甲镇", "机构职能", date: "2023-02-01", id: "a-feb")
            l.finding("甲镇", "运维情况", date: "2023-02-01", id: "a-feb2")
            l.finding("甲镇", "机构职能", date: "2023-12-01", id: "a-dec")
            for (id, date) in [("a-feb", "2023-02-10"), ("a-feb2", "2023-03-01"), ("c-late", "2023-04-01")] {
                follow(
                    &l,
                    .rectification(
                        Rectification(
                            id: "z-\(id)", year: 2023, date: day(date), target: id, unit: id.hasPrefix("a") ? "甲镇" : "丙局",
                            measures: "改")))
                follow(
                    &l,
                    .recheck(
                        Recheck(
                            id: "c-\(id)", year: 2023, date: day(date), target: id, unit: id.hasPrefix("a") ? "甲镇" : "丙局",
                            passed: true)))
            }
        }
        let list = b.list(asOf: day("2023-07-01"))
        #expect(list.rows.map(\.item.target) == ["a-feb", "a-feb2", "a-june", "c-late"], "a-dec is not open yet on 1 July")
        #expect(list.units.map(\.unit) == ["甲镇", "丙局"])
        let town = list.units[0]
        #expect("\(town.open) \(town.overdue) \(town.reported) \(town.closed) \(town.closedOnTime)" == "0 1 0 2 1")
        #expect(town.rectificationRate == Ratio(2, 3) && town.rectificationRate?.percent == "66.67%" && town.rectificationRate?.decimal == "0.6667")
        #expect(town.onTimeRate?.decimal == "0.5" && town.onTimeRate?.percent == "50%")
        #expect(list.units[1].onTimeRate?.decimal == "0.0", "c-late was reported after its deadline")
        #expect(list.total.items == 4 && list.total.closed == 3)
        #expect(UnitRectification(unit: "x").onTimeRate == nil && UnitRectification(unit: "x").rectificationRate == nil)
        #expect(Ratio(1, 1).decimal == "1.0" && Ratio(1, 1).percent == "100%" && Ratio(1, 8).percent == "12.5%" && Ratio(1, 3).percent == "33.33%")

        let overdue = list.filtered(state: .overdue)
        #expect(overdue.rows.map(\.item.target) == ["a-june"])
        #expect(overdue.units == list.units, "the counts follow the unit filter only")
        let office = list.filtered(unit: "丙局")
        #expect(office.rows.map(\.item.target) == ["c-late"] && office.units.map(\.unit) == ["丙局"])
        #expect(list.filtered(unit: "乙局").rows.isEmpty && list.filtered(unit: "乙局").units.isEmpty)
        #expect(list.rows(of: "甲镇").map(\.item.target) == ["a-feb", "a-feb2", "a-june"])
    }
}

@Suite(.timeLimit(.minutes(10))) struct CalendarArithmetic {
    @Test func daysAddAcrossMonthsYearsAndLeapDays() {
        #expect(day("2023-05-12").adding(days: 15) == day("2023-05-27"))
        #expect(day("2023-12-20").adding(days: 15) == day("2024-01-04"))
        #expect(day("2024-02-20").adding(days: 15) == day("2024-03-06"), "2024 is a leap year")
        #expect(day("2023-02-20").adding(days: 15) == day("2023-03-07"))
        #expect(day("2023-03-07").adding(days: -15) == day("2023-02-20"))
        #expect(day("2024-01-04").days(since: day("2023-12-20")) == 15)
        #expect(day("1970-01-01").ordinal == 0 && day("2000-03-01").ordinal == 11_017)
        #expect(day("9999-12-20").adding(days: 30) == day("9999-12-31"), "held within the years a Day can be")
        var d = day("1999-12-25")
        for _ in 0..<800 {
            let next = d.adding(days: 1)
            #expect(next > d && next.days(since: d) == 1 && Day(ordinal: next.ordinal) == next)
            d = next
        }
        #expect(d == day("2002-03-04"))
    }
}
