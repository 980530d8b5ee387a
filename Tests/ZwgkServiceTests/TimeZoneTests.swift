import Foundation
import Ledger
import Logging
import RubricEngine
import Testing
import ZwgkService
import ZwgkTestSupport

/// "2023-12-31T16:30:00Z" as a moment; every expectation below is written in UTC, independent of the
/// calendar code under test.
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("not an ISO 8601 UTC time: \(text)") }
    return date
}

/// `zwgk status`'s "today" is the configured zone's calendar day, although the ledger keeps UTC.
@Suite(.timeLimit(.minutes(10))) struct TodayInTheLocalZone {
    @Test func aFileAtHalfPastMidnightInShanghaiCountsForTheNewYearsFirstDay() throws {
        let box = try Sandbox()
        var config = box.config
        config.timeZone = "Asia/Shanghai"  // UTC+8, no daylight saving
        try FileManager.default.createDirectory(atPath: box.state, withIntermediateDirectories: true)
        let rules = try Rules.load(config)
        let ledger = try Ledger(path: box.state + "/ledger.sqlite")
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        func receive(_ name: String, _ content: String, at time: String) throws {
            try box.drop(name, content)
            let clock = utc(time)
            let ingest = Ingest(spool: Spool(root: box.spool), ledger: ledger, rules: rules, logger: quiet, clock: ManualClock(now: clock))
            #expect(try ingest.run(Spool(root: box.spool).waiting()).files == 1)
        }
        func today(at time: String) -> FileCounts { StatusReport.gather(config, now: utc(time)).today }

        // 23:30 on 31 December in Shanghai.
        try receive("old.json", finding("o1"), at: "2023-12-31T15:30:00Z")
        #expect(today(at: "2023-12-31T15:45:00Z").accepted == 1)
        // 00:30 and 00:45 on 1 January 2024 in Shanghai, still 31 December in UTC.
        try receive("new.json", finding("n1"), at: "2023-12-31T16:30:00Z")
        try receive("bad.json", "{", at: "2023-12-31T16:45:00Z")
        #expect(try box.sql("SELECT received_at FROM files WHERE name = 'new.json'") == "2023-12-31T16:30:00.000Z", "the ledger keeps UTC")

        let report = StatusReport.gather(config, now: utc("2023-12-31T17:00:00Z"))  // 01:00 on 1 January
        #expect(report.today.accepted == 1, "old.json came yesterday, local time: \(report.today)")
        #expect(report.today.rejected == 1)
        #expect(report.total.accepted == 2 && report.total.rejected == 1, "\(report.total)")
        #expect(report.text.contains("今日:接收 1,重复 0,拒收 1"), "\(report.text)")
        // The local day lasts until 16:00 UTC; then 2 January begins with nothing received.
        #expect(today(at: "2024-01-01T15:59:59Z").accepted == 1)
        #expect(today(at: "2024-01-01T16:00:00Z") == FileCounts())
    }
}

/// Due moments keep their local wall-clock time when daylight saving begins or ends between them.
@Suite(.timeLimit(.minutes(10))) struct ScheduleAcrossDaylightSaving {
    @Test func berlinDueAtTwoOClockLocalInSummerAndInWinter() {
        // Europe/Berlin: CEST (UTC+2) from 26 March to 29 October 2023, CET (UTC+1) otherwise.
        let schedule = Schedule(hour: 2, minute: 0, graceDays: 5, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(schedule.due(Period("2023-Q1")!) == utc("2023-04-06T00:00:00Z"))  // 02:00 CEST
        #expect(schedule.due(Period("2023-Q2")!) == utc("2023-07-06T00:00:00Z"))
        #expect(schedule.due(Period("2023-Q3")!) == utc("2023-10-06T00:00:00Z"))
        #expect(schedule.due(Period("2023-Q4")!) == utc("2024-01-06T01:00:00Z"))  // 02:00 CET
        #expect(schedule.due(Period("2023-annual")!) == utc("2024-01-06T01:00:00Z"))

        // From Q3's due moment the next one is Q4's, an hour later in UTC terms than a fixed offset would say.
        #expect(schedule.next(after: utc("2023-10-06T00:00:00Z"), years: [2023]) == utc("2024-01-06T01:00:00Z"))
        #expect(schedule.due(by: utc("2024-01-06T00:30:00Z"), years: [2023]).map(\.name) == ["Q1", "Q2", "Q3"])
        #expect(schedule.next(after: utc("2024-01-06T00:30:00Z"), years: [2023]) == utc("2024-01-06T01:00:00Z"))
        #expect(schedule.due(by: utc("2024-01-06T01:00:00Z"), years: [2023]).map(\.name) == ["Q1", "Q2", "Q3", "Q4", "annual"])
        #expect(schedule.next(after: utc("2024-01-06T01:00:00Z"), years: [2023]) == nil)
        // Q1 fell due just after the clocks went forward: 01:59 CEST is not yet 02:00.
        #expect(schedule.due(by: utc("2023-04-05T23:59:00Z"), years: [2023]).isEmpty)
        #expect(schedule.next(after: utc("2023-01-10T00:00:00Z"), years: [2023]) == utc("2023-04-06T00:00:00Z"))
    }

    @Test func newYorkOnTheDaysTheClocksChange() {
        let newYork = TimeZone(identifier: "America/New_York")!
        // 5 November 2023: 01:00–02:00 happens twice (EDT, UTC−4, then EST, UTC−5). Q3 ends 30 September;
        // 35 days' grace makes it fall due at 01:30 that morning: the first 01:30, once.
        let fall = Schedule(hour: 1, minute: 30, graceDays: 35, timeZone: newYork)
        #expect(fall.due(Period("2023-Q3")!) == utc("2023-11-05T05:30:00Z"))
        #expect(fall.due(Period("2023-Q2")!) == utc("2023-08-05T05:30:00Z"))  // 01:30 EDT
        #expect(fall.due(Period("2023-Q4")!) == utc("2024-02-05T06:30:00Z"))  // 01:30 EST
        #expect(fall.due(by: utc("2023-11-05T05:29:59Z"), years: [2023]).map(\.name) == ["Q1", "Q2"])
        #expect(fall.next(after: utc("2023-11-05T05:29:59Z"), years: [2023]) == utc("2023-11-05T05:30:00Z"))
        // After the first 01:30 the next due moment is Q4's, not the repeated 01:30 an hour later.
        #expect(fall.next(after: utc("2023-11-05T05:30:00Z"), years: [2023]) == utc("2024-02-05T06:30:00Z"))
        #expect(fall.due(by: utc("2023-11-05T06:30:00Z"), years: [2023]).map(\.name) == ["Q1", "Q2", "Q3"])

        // 12 March 2023: 02:00–03:00 does not happen (EST to EDT). 2022's Q4 and annual, 70 days' grace, due
        // at 02:30 that day: they fall due when the clock reads 03:30 EDT, as long after 01:59 EST as 02:30 would be.
        let spring = Schedule(hour: 2, minute: 30, graceDays: 70, timeZone: newYork)
        #expect(spring.due(Period("2022-Q4")!) == utc("2023-03-12T07:30:00Z"))
        #expect(spring.due(Period("2022-annual")!) == utc("2023-03-12T07:30:00Z"))
        #expect(spring.next(after: utc("2023-03-12T06:59:00Z"), years: [2022]) == utc("2023-03-12T07:30:00Z"))  // 01:59 EST
        #expect(spring.due(by: utc("2023-03-12T07:29:59Z"), years: [2022]).map(\.name) == ["Q1", "Q2", "Q3"])
        #expect(spring.due(by: utc("2023-03-12T07:30:00Z"), years: [2022]).map(\.name) == ["Q1", "Q2", "Q3", "Q4", "annual"])
        #expect(spring.next(after: utc("2023-03-12T07:30:00Z"), years: [2022]) == nil)
        // Every due moment, on either side of the change, is at 02:30 on the local wall clock but the skipped one.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = newYork
        for period in ["2022-Q1", "2022-Q2", "2022-Q3"] {
            let local = calendar.dateComponents([.hour, .minute], from: spring.due(Period(period)!))
            #expect(local.hour == 2 && local.minute == 30, "\(period): \(local)")
        }
    }
}
